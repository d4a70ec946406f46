"""Advocacy documents from the Korday record: appeal, chronology, dossier, UN communication,
victims list — their content, their footnotes, both languages, and what each profile hides."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from docket.core.errors import DocketError, NotFound, ValidationError
from docket.records import models as m
from docket.reports import formats
from docket.reports.render import FORMATS, Request, gather, make, render_html
from tests.reports.conftest import CANARY, WITNESS, WITNESS_RU

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 13)
# The URLs of the appeal's footnotes 1-5, as the bundle records them.
APPEAL_URLS = (
    "https://rus.azattyq.org/a/30513270.html",
    "https://rus.azattyq.org/a/30585238.html",
)


def _text(case: m.Case, kind: str, fmt: str, **kw: object) -> str:
    data = make(case, Request(kind, as_of=DAY, **kw), fmt)  # type: ignore[arg-type]
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        return "\n".join(
            " ".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)
        )
    return data.decode("utf-8-sig")


def test_the_appeal_names_every_person_with_figures_chronology_and_sources(korday: m.Case) -> None:
    md = _text(korday, "appeal", "md", profile="internal")
    for person in m.Person.objects.filter(case=korday).exclude(code="P-CANARY"):
        assert person.name in md, person.code
    assert "29.01.1990" in md  # Ismar Uyshirov's birth date, in the local form
    assert "out of 25 persons arrested" in md  # a reported figure, as the source states it
    assert "Chronology" in md and "8–9 February 2020" in md
    for url in APPEAL_URLS:
        assert url in md
    # Footnotes are numbered once per source and place in it, and numbers are reused.
    defined = re.findall(r"^\[\^(\d+)\]: ", md, flags=re.M)
    assert defined == [str(n) for n in range(1, len(defined) + 1)]
    used = re.findall(r"\[\^(\d+)\](?!:)", md)
    assert set(used) == set(defined) and len(used) > len(defined)


def test_the_appeal_pdf_has_page_numbers_and_the_urls_at_the_foot_of_pages(korday: m.Case) -> None:
    data = make(korday, Request("appeal", profile="public", as_of=DAY), "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 2
    found = set()
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        lines: list[tuple[float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip():  # the height on the page: text matrix, then the page's transform
                lines.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))  # noqa: B023

        page.extract_text(visitor_text=visit)
        text = page.extract_text()
        assert f"Page {number} / {len(reader.pages)}" in text
        for url in APPEAL_URLS:
            heights = [y for y, t in lines if url[:30] in t]
            if heights:
                found.add(url)
                # In the lower part of the page: a footnote, not a list after the text.
                assert all(y < height * 0.5 for y in heights), (url, number, heights)
    assert found == set(APPEAL_URLS)


def test_the_russian_appeal_has_russian_labels_throughout(korday: m.Case) -> None:
    md = _text(korday, "appeal", "md", profile="public", lang="ru")
    for word in ("Обращение", "Хронология", "Пострадавшие лица", "Дата рождения", "13 мая 2020"):
        assert word in md
    # The labels (headings, table headers) are Russian; the record's own words stay as recorded.
    lines = md.splitlines()
    labels = [ln for ln in lines if ln.startswith(("# ", "## "))]
    labels += [lines[i - 1] for i, ln in enumerate(lines) if ln.startswith("|---")]
    assert len(labels) > 6
    assert not [ln for ln in labels if re.search("[A-Za-z]{3,}", ln.replace("Korday", ""))]
    pdf = _text(korday, "appeal", "pdf", profile="public", lang="ru")
    assert "Хронология" in pdf and "Стр. 1 /" in pdf


@pytest.mark.parametrize("profile", ["public", "partner"])
@pytest.mark.parametrize(
    "kind,fmt",
    [(k, f) for k, formats_ in FORMATS.items() for f in formats_ if f != "docx"],
)
def test_public_and_partner_outputs_never_carry_the_canary(
    korday: m.Case, profile: str, kind: str, fmt: str
) -> None:
    person = "P-WITNESS" if kind in ("dossier", "communication") else None
    text = _text(korday, kind, fmt, profile=profile, person=person)
    assert CANARY not in text and "Canarybek" not in text
    assert WITNESS not in text and "Witnessova" not in text and "Витнессова" not in text
    assert "P-CANARY" not in text
    if kind in ("appeal", "victims", "dossier", "communication"):
        assert "W. W." in text  # the witness, as her consent allows
    assert "04.03.1977" not in text  # nor her birth date


def test_internal_outputs_name_the_witness_but_restricted_records_appear_in_no_document(
    korday: m.Case,
) -> None:
    text = _text(korday, "appeal", "md", profile="internal")
    assert WITNESS in text and "04.03.1977" in text
    assert CANARY not in text
    assert r"Detention of \[name withheld\], seen by Wilhelmina Witnessova" in text


def test_russian_documents_name_people_in_cyrillic_where_the_record_has_it(
    korday: m.Case,
) -> None:
    internal = _text(korday, "appeal", "md", profile="internal", lang="ru")
    assert f"| {WITNESS_RU}" in internal  # her row of the persons table
    assert f"{WITNESS_RU} (свидетель)" in internal  # in the chronology's participants too
    public = _text(korday, "appeal", "md", profile="public", lang="ru")
    assert "В. В." in public and "Витнессова" not in public and "Witnessova" not in public
    assert "Ismar Uyshirov" in internal  # no Cyrillic spelling recorded: as recorded


def test_a_restricted_person_is_counted_but_not_listed(korday: m.Case) -> None:
    public = gather(korday, Request("appeal", profile="public", as_of=DAY))
    internal = gather(korday, Request("appeal", profile="internal", as_of=DAY))
    assert public["summary"] == internal["summary"]
    assert public["unlisted"] >= internal["unlisted"] >= 1  # the canary is never listed
    assert len(public["persons"]) + public["unlisted"] == public["summary"]["persons"]


def test_the_un_communication_has_every_field_and_says_unknown(korday: m.Case) -> None:
    md = _text(
        korday, "communication", "md", profile="internal", person="P-0004", submitter="O-0015"
    )
    for field in (
        "Submitting organization",
        "Name in original script",
        "Name in Latin script",
        "Sex",
        "Date of birth or age",
        "Ethnicity",
        "Residence",
        "Current status and whereabouts",
        "Consent and public-naming preference",
        "Alleged violations (date and place)",
        "Chronological account",
        "Alleged perpetrators (unit, function)",
        "Action taken at the national level",
        "Requests",
        "Supporting sources",
    ):
        assert field in md, field
    assert "Ismar Uyshirov" in md and "29.01.1990" in md
    assert "not to be transmitted to the State" in md
    assert "General Prosecutor" in md  # the complaints of the six, made for everyone
    # The record has no Cyrillic spelling of him: the field says so instead of staying empty.
    assert "**Name in original script**: unknown" in md
    assert re.search(r"\*\*[^*]+\*\*: \n", md) is None  # no field left blank


def test_the_submitting_organization_is_named_only_for_the_team(korday: m.Case) -> None:
    req = {"kind": "communication", "person": "P-0004", "submitter": "O-0015", "as_of": DAY}
    internal = gather(korday, Request(profile="internal", **req))  # type: ignore[arg-type]
    partner = gather(korday, Request(profile="partner", **req))  # type: ignore[arg-type]
    assert internal["submitter"] and not partner["submitter"] and partner["submitter_withheld"]


def test_the_dossier_has_status_history_proceedings_and_a_signature_line(korday: m.Case) -> None:
    md = _text(korday, "dossier", "md", profile="internal", person="P-0007")
    assert "M. Yukhnu" in md
    assert "Imprisoned" in md and "Convicted" in md
    assert "Art. 293" in md and "Art. 107" in md
    assert "Signature: ____" in md


def test_a_chronology_of_a_place_or_a_person(korday: m.Case) -> None:
    whole = gather(korday, Request("chronology", profile="internal"))
    one = gather(korday, Request("chronology", profile="internal", person="P-0004"))
    assert 0 < len(one["chronology"]) < len(whole["chronology"])
    assert one["subject"] == "Ismar Uyshirov"
    place = m.Event.objects.filter(case=korday, place__isnull=False).first().place
    here = gather(korday, Request("chronology", profile="internal", place=place.code))
    assert here["subject"] == place.name and here["chronology"]


def test_the_victims_list_has_one_row_per_prosecution(korday: m.Case) -> None:
    data = make(korday, Request("victims", profile="internal", as_of=DAY), "xlsx")
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Code", "Name", "Name (Latin)")
    yukhnu = [r for r in body if r[0] == "P-0007"]
    assert len(yukhnu) == m.Proceeding.objects.filter(person__code="P-0007").count() == 1
    assert "Art. 293" in yukhnu[0][7] and yukhnu[0][10] == 30
    assert {r[0] for r in body} >= set(
        m.Person.objects.filter(case=korday, confidentiality="public").values_list(
            "code", flat=True
        )
    )
    csv_text = _text(korday, "victims", "csv", profile="internal", lang="ru")
    assert csv_text.splitlines()[0].startswith("Код,Имя,")


def test_a_value_that_looks_like_a_formula_stays_text(korday: m.Case) -> None:
    from docket.reports.tables import to_csv

    data = to_csv(
        [
            {
                key: "=HYPERLINK(1)"
                for key in (
                    "code",
                    "name",
                    "name_latin",
                    "name_cyrillic",
                    "birth_date",
                    "ethnicity",
                    "case_number",
                    "charges",
                    "measures",
                    "verdict",
                    "term_months",
                    "custody",
                    "legal_stage",
                )
            }
        ],
        "en",
    )
    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")


def test_screen_html_links_each_footnote_to_its_note(korday: m.Case) -> None:
    page = make(korday, Request("appeal", profile="public", as_of=DAY), "html").decode()
    assert 'href="#fn-1"' in page and 'id="fn-1"' in page
    assert 'class="footnote"' not in page  # all turned into linked marks


def test_a_users_template_folder_is_used_first(korday: m.Case, tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "chronology.html").write_text(
        '{% extends "documents/base.html" %}{% load docket %}{% block body %}'
        "<h1>Our own chronology</h1>{% for e in chronology %}<p>{{ e.title }}"
        "{% cite e.notes %}</p>{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    req = Request("chronology", profile="public")
    page = render_html(req, gather(korday, req), templates=tmp_path)
    assert "Our own chronology" in page and 'class="footnote"' in page
    assert "Our own chronology" in formats.markdown(page)


@pytest.mark.parametrize(
    "req,fmt,error,message",
    [
        (Request("dossier"), "pdf", ValidationError, "give the person's code (--person CODE)"),
        (Request("dossier", person="P-NONE"), "pdf", NotFound, 'no person with code "P-NONE"'),
        (Request("dossier", person="P-CANARY"), "md", NotFound, 'no person with code "P-CANARY"'),
        (Request("appeal"), "csv", ValidationError, "written as md, html, pdf, docx"),
        (
            Request("appeal", profile="everyone"),
            "md",
            ValidationError,
            'unknown profile "everyone"',
        ),
        (Request("appeal", lang="de"), "md", ValidationError, 'unknown language "de"'),
        (Request("chronology", place="PL-NONE"), "md", NotFound, "no place"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    korday: m.Case, req: Request, fmt: str, error: type[DocketError], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        make(korday, req, fmt)


def test_the_appeal_docx_has_word_footnotes_and_opens_in_libreoffice(
    korday: m.Case, tmp_path: Path
) -> None:
    from tests.reports.test_docx import docx_to_pdf

    data = make(korday, Request("appeal", profile="public", as_of=DAY), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference ") == notes.count("<w:footnote ") - 2  # separators
    for url in APPEAL_URLS:
        assert url in notes and url not in body
    text = "\n".join(p.extract_text() for p in docx_to_pdf(data, tmp_path).pages)
    assert "Ismar Uyshirov" in text and APPEAL_URLS[0] in text


def test_every_label_a_template_uses_exists_in_both_languages() -> None:
    from docket.reports.render import HERE, labels

    known = labels()
    used = set()
    for template in (HERE / "documents").glob("*.html"):
        used |= set(re.findall(r"\bw\.(\w+)", template.read_text(encoding="utf-8")))
    assert used and not used - set(known), sorted(used - set(known))
    assert all(pair.get("en") and pair.get("ru") for pair in known.values())
