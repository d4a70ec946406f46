"""The victims and prosecutions list: one row per prosecution of one person, as CSV or XLSX.

A person with no recorded prosecution gets one row with the prosecution columns empty, so the
list also names (as consent allows) everyone affected. Rows follow the profile like every
document: persons the profile may not see are left out, names are shown as consent allows.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from docket.core.status import status_as_of
from docket.records import models as m
from docket.records.selectors import load_subjects
from docket.reports.documents import Reader, dotted

CUSTODY_EVENTS = ("detention", "arrest", "release", "measure")
COLUMNS = (
    ("code", "Code", "Код"),
    ("name", "Name", "Имя"),
    ("name_latin", "Name (Latin)", "Имя (латиница)"),
    ("name_cyrillic", "Name (Cyrillic)", "Имя (кириллица)"),
    ("birth_date", "Date of birth", "Дата рождения"),
    ("ethnicity", "Ethnicity", "Национальность"),
    ("case_number", "Case number", "Номер дела"),
    ("charges", "Charges (articles)", "Обвинения (статьи)"),
    ("measures", "Measures", "Меры пресечения"),
    ("verdict", "Verdict", "Приговор"),
    ("term_months", "Term (months)", "Срок (мес.)"),
    ("custody", "Custody", "Положение"),
    ("legal_stage", "Legal stage", "Стадия"),
)


def victims(case: m.Case, *, profile: str, lang: str, as_of: datetime.date) -> list[dict[str, Any]]:
    """The rows of the list, in person code order."""
    reader = Reader(case, profile, lang)
    variants: dict[Any, dict[str, str]] = {}
    for target, text, script in (
        m.NameVariant.objects.filter(case=case, target_type="person")
        .order_by("position")
        .values_list("target_id", "text", "script")
    ):
        variants.setdefault(target, {}).setdefault(script, text)
    proceedings: dict[Any, list[m.Proceeding]] = {}
    for proc in m.Proceeding.objects.filter(case=case).order_by("code"):
        if reader.sees(proc):
            proceedings.setdefault(proc.person_id, []).append(proc)
    steps: dict[Any, list[m.Event]] = {}
    for event in (
        m.Event.objects.filter(case=case, proceeding__isnull=False)
        .prefetch_related("charges")
        .order_by("date_earliest", "code")
    ):
        if reader.sees(event):
            steps.setdefault(event.proceeding_id, []).append(event)
    # Custody events of each person outside any proceeding (an arrest is often recorded so).
    loose: dict[Any, list[m.Event]] = {}
    for part in (
        m.Participant.objects.filter(
            event__case=case,
            event__proceeding__isnull=True,
            event__type__in=CUSTODY_EVENTS,
            role__in=("victim", "defendant"),
            person__isnull=False,
        )
        .select_related("event")
        .order_by("event__date_earliest", "event__code")
    ):
        if reader.sees(part.event):
            loose.setdefault(part.person_id, []).append(part.event)
    rows = []
    for person, events, _sources, _names in load_subjects(case, audience=reader.audience).persons:
        status = status_as_of(events, as_of)
        full = reader.named_fully(person)
        names = variants.get(person.pk, {}) if full else {}
        base = {
            "code": person.code,
            "name": reader.name(person),
            "name_latin": names.get("Latn", person.name if full and person.name.isascii() else ""),
            "name_cyrillic": names.get("Cyrl", ""),
            "birth_date": dotted(person.birth_date, lang) if full else "",
            "ethnicity": reader.label("ethnicities", person.ethnicity),
            "custody": reader.label("custody_states", status.custody),
            "legal_stage": reader.label("legal_stages", status.legal_stage),
        }
        empty = {"case_number": "", "charges": "", "measures": "", "verdict": "", "term_months": ""}
        if not proceedings.get(person.pk):
            measures = _prosecution(reader, None, loose.get(person.pk, []))["measures"]
            rows.append({**base, **empty, "measures": measures})
        for proc in proceedings.get(person.pk, []):
            found = sorted(
                [*loose.get(person.pk, []), *steps.get(proc.pk, [])],
                key=lambda e: (e.date_earliest or datetime.date.max, e.code),
            )
            rows.append({**base, **_prosecution(reader, proc, found)})
    return rows


def _prosecution(
    reader: Reader, proc: m.Proceeding | None, events: list[m.Event]
) -> dict[str, Any]:
    charges: dict[str, None] = {}
    measures, verdicts = [], []
    term: Any = ""
    for e in events:
        for c in e.charges.all():
            part = f" ({'ч.' if reader.lang == 'ru' else 'part'} {c.part})" if c.part else ""
            charges[reader.article(c.article, named=False) + part] = None
        details = e.details or {}
        when = reader.date(e.date)
        if e.type == "measure" and details.get("measure"):
            measures.append(f"{reader.label('measures', details['measure'])} ({when})")
        elif e.type in CUSTODY_EVENTS:
            measures.append(f"{reader.label('event_types', e.type)} ({when})")
        elif e.type in ("verdict", "appeal_decision"):
            parts = [reader.label("verdict_outcomes", details.get("outcome", ""))]
            if details.get("sentence"):
                parts.append(reader.label("sentence_kinds", details["sentence"]))
            verdicts.append(", ".join(p for p in parts if p) + f" ({when})")
            if details.get("term_months") not in (None, ""):
                term = details["term_months"]
    return {
        "case_number": proc.case_number if proc else "",
        "charges": "; ".join(charges),
        "measures": "; ".join(measures),
        "verdict": "; ".join(verdicts),
        "term_months": term,
    }


def headers(lang: str) -> list[str]:
    return [ru if lang == "ru" else en for _, en, ru in COLUMNS]


def to_csv(rows: list[dict[str, Any]], lang: str) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers(lang))
    for row in rows:
        writer.writerow([_cell(row[key]) for key, _, _ in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict[str, Any]], lang: str, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Пострадавшие" if lang == "ru" else "Victims"
    sheet.append(headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row[key]) for key, _, _ in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, (key, en, ru) in enumerate(COLUMNS, start=1):
        longest = max([len(ru if lang == "ru" else en), *(len(str(r[key])) for r in rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)
    book.properties.title = title
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """Text as text: a value starting with = + - @ is never read as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
