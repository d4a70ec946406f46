"""Consistency checks: where the record and its sources disagree.

Each check is a pure function over plain data that the database layer gathers; it returns
``Finding``s with an English and a Russian message that name the records and the values
concerned, so that a documenter can fix the record before a reader finds the fault.

Docket flags only what is certain. Dates are compared by their bounds: an event is certainly
before another when its latest day is before the other's earliest day; dates whose bounds
overlap may be in either order and are never reported as a fault.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from docket.core.dates import PartialDate, parse_date
from docket.core.errors import DateError, ValidationError
from docket.core.status import StatusEvent, effective_date
from docket.core.vocab import vocabulary

KINDS = ("uncited", "figure_mismatch", "contradiction", "impossible_sequence", "possible_duplicate")
SEVERITIES = ("error", "warning", "info")

# Events that may rightly be dated after the death of the person they concern.
POSTHUMOUS = (
    "verdict",
    "appeal_decision",
    "case_closed",
    "complaint",
    "official_response",
    "compensation_offer",
    "compensation_payment",
    "damage_assessment",
    "forensic_examination",
)
DEATHS = ("death", "killing")
CHARGES = ("charge", "indictment")
CUSTODY_MEASURES = ("pretrial_detention", "house_arrest")

_STATEMENT_MAX = 160  # characters of a source's words quoted in a message
_BASIS_MAX = 10  # codes of counted records put in a finding's records

_RECORD_KINDS_RU = {
    "source": "источник",
    "place": "место",
    "organization": "организация",
    "person": "лицо",
    "group": "группа",
    "proceeding": "производство",
    "event": "событие",
    "figure": "показатель",
    "damage": "ущерб",
    "intervention": "обращение",
}
# Fields of a claim, in words.
_FIELDS = {
    "birth_date": ("birth date", "дата рождения"),
    "death_date": ("death date", "дата смерти"),
    "date": ("date", "дата"),
    "term_months": ("term in months", "срок в месяцах"),
    "sentence": ("sentence", "наказание"),
    "outcome": ("outcome", "исход"),
    "cause": ("cause", "причина"),
    "ethnicity": ("ethnicity", "этническая принадлежность"),
    "sex": ("sex", "пол"),
    "citizenship": ("citizenship", "гражданство"),
    "residence": ("residence", "место жительства"),
}
_FILTER_VOCABS = {"ethnicity": "ethnicities", "sex": "sex"}
_FILTER_KEYS_RU = {"residence": "место жительства", "citizenship": "гражданство"}


@dataclass(frozen=True)
class Finding:
    """One disagreement found, in English and Russian; ``records`` are sorted and unique."""

    kind: str
    severity: str
    message: str
    message_ru: str
    records: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValidationError(f'unknown finding kind "{self.kind}"; valid: {", ".join(KINDS)}')
        if self.severity not in SEVERITIES:
            valid = ", ".join(SEVERITIES)
            raise ValidationError(f'unknown severity "{self.severity}"; valid: {valid}')
        object.__setattr__(self, "records", tuple(sorted({r for r in self.records if r})))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("ru" or English)."""
        return self.message_ru if lang == "ru" else self.message

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Plain data for JSON and templates, with the message in ``lang``."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.text(lang),
            "records": list(self.records),
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within each, by kind and records."""
    return sorted(
        findings,
        key=lambda f: (SEVERITIES.index(f.severity), KINDS.index(f.kind), f.records, f.message),
    )


# --- shared wording ------------------------------------------------------------------------


def _label(vocab: str, code: str, lang: str, *, lower: bool = True) -> str:
    """The label of ``code`` in a vocabulary, or the code in words when it is not a term."""
    terms = vocabulary(vocab)
    if code not in terms:
        return code.replace("_", " ")
    text = terms.label(code, lang)
    return text[:1].lower() + text[1:] if lower else text


def _stop(text: str) -> str:
    """End a sentence with one full stop, also after "г."."""
    return text if text.endswith(".") else text + "."


def _quote(text: str, lang: str) -> str:
    text = " ".join(text.split())
    if len(text) > _STATEMENT_MAX:
        text = text[: _STATEMENT_MAX - 1].rstrip() + "…"
    return f"«{text}»" if lang == "ru" else f'"{text}"'


def _number(value: float) -> str:
    """ "25" for 25 or 25.0 (an int may come in for a float), "2.5" for 2.5."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _date_words(text: str, lang: str) -> str:
    """A date text in words; text that is not a date is shown as written."""
    try:
        return parse_date(text).render(lang)
    except DateError:
        return text


def _event_date(event: StatusEvent, lang: str) -> str:
    if event.date_text:
        return _date_words(event.date_text, lang)
    if event.earliest == event.latest:
        return _date_words(event.earliest.isoformat(), lang)
    return _date_words(f"{event.earliest.isoformat()}/{event.latest.isoformat()}", lang)


def _event(event: StatusEvent, lang: str) -> str:
    """ "E-0031 (arrest, 3 March 2021)"."""
    what = _label("event_types", event.type, lang)
    name = f"{event.code} " if event.code else ""
    return f"{name}({what}, {_event_date(event, lang)})"


# --- 1. records without citations ----------------------------------------------------------


@dataclass(frozen=True)
class CitedRecord:
    """A record and how many citations it has."""

    code: str
    kind: str
    citations: int
    review_state: str


def uncited(records: Iterable[CitedRecord]) -> list[Finding]:
    """One finding per record without a citation: an error when it is marked verified."""
    found: list[Finding] = []
    for r in records:
        if r.citations > 0 or r.review_state == "retracted":
            continue
        kind_ru = _RECORD_KINDS_RU.get(r.kind, r.kind.replace("_", " "))
        what = f"{r.code} ({r.kind.replace('_', ' ')})"
        if r.review_state == "verified":
            found.append(
                Finding(
                    "uncited",
                    "error",
                    f"{what} is marked verified but cites no source.",
                    f"Запись {r.code} ({kind_ru}) отмечена как проверенная, "
                    "но не ссылается ни на один источник.",
                    (r.code,),
                )
            )
        else:
            found.append(
                Finding(
                    "uncited",
                    "warning",
                    f"{what} cites no source.",
                    f"Запись {r.code} ({kind_ru}) не ссылается ни на один источник.",
                    (r.code,),
                )
            )
    return found


# --- 2. reported figures -------------------------------------------------------------------


@dataclass(frozen=True)
class FigureComparison:
    """A figure as a source states it, and what the record counts for the same question."""

    code: str
    kind: str
    reported: float
    computed: float | None
    as_of: str
    filter: Mapping[str, str]
    statement: str
    basis: tuple[str, ...] = ()


def _filter_words(filter_: Mapping[str, str], lang: str) -> str:
    parts = []
    for key, value in sorted(filter_.items()):
        vocab = _FILTER_VOCABS.get(key)
        if vocab is not None:
            name = vocabulary(vocab).labels.get(lang) or key
            name = name[:1].lower() + name[1:]
            shown = _label(vocab, value, lang, lower=False)
        else:
            name = _FILTER_KEYS_RU.get(key, key) if lang == "ru" else key
            shown = value
        parts.append(f"{name}: {shown}")
    return "; ".join(parts)


def _what_counted(f: FigureComparison, lang: str) -> str:
    """ "arrested (ethnicity: Dungan (Hui)) as of 13 May 2020"; the figure's value apart."""
    text = _label("figure_kinds", f.kind, lang)
    when = _date_words(f.as_of, lang) if f.as_of.strip() else ""
    if lang == "ru":
        text += f" на {when}" if when else ""
        return text + (f", {_filter_words(f.filter, lang)}" if f.filter else "")
    text += f" ({_filter_words(f.filter, lang)})" if f.filter else ""
    return text + (f" as of {when}" if when else "")


def _said(f: FigureComparison, lang: str) -> str:
    """ "F-0001 says 25 arrested as of 13 May 2020 ("…")"."""
    statement = f" ({_quote(f.statement, lang)})" if f.statement.strip() else ""
    if lang == "ru":
        return (
            f"{f.code}: по источнику — {_number(f.reported)}, {_what_counted(f, lang)}{statement}"
        )
    return f"{f.code} says {_number(f.reported)} {_what_counted(f, lang)}{statement}"


def figure_mismatches(comparisons: Iterable[FigureComparison]) -> list[Finding]:
    """A warning for each figure the record counts differently; info when it cannot count it."""
    found: list[Finding] = []
    for f in comparisons:
        records = (f.code, *sorted(set(f.basis))[:_BASIS_MAX])
        if f.computed is None:
            found.append(
                Finding(
                    "figure_mismatch",
                    "info",
                    f"{_said(f, 'en')}; the record cannot count this, so check it by hand.",
                    f"{_said(f, 'ru')}; по записям это посчитать нельзя — проверьте вручную.",
                    records,
                )
            )
        elif not math.isclose(f.reported, f.computed, rel_tol=0.0, abs_tol=1e-9):
            counted = _number(f.computed)
            found.append(
                Finding(
                    "figure_mismatch",
                    "warning",
                    f"{_said(f, 'en')}; the record counts {counted}.",
                    f"{_said(f, 'ru')}; по записям получается {counted}.",
                    records,
                )
            )
    return found


def _as_of_key(text: str) -> str:
    try:
        return parse_date(text).text
    except DateError:
        return text.strip()


def _each(group: list[FigureComparison], lang: str) -> str:
    """ "F-0001 says 25 ("…"); F-0005 says 17 ("…")"."""
    parts = []
    for f in group:
        quote = f" ({_quote(f.statement, lang)})" if f.statement.strip() else ""
        verb = " — " if lang == "ru" else " says "
        parts.append(f"{f.code}{verb}{_number(f.reported)}{quote}")
    return "; ".join(parts)


def figure_conflicts(figures: Iterable[FigureComparison]) -> list[Finding]:
    """One contradiction per question (kind, filter, date) that figures answer differently, and
    one for each count of a narrower question that exceeds the count of a wider one."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...], str], list[FigureComparison]]
    groups = defaultdict(list)
    figures_list = list(figures)
    for f in figures_list:
        groups[(f.kind, tuple(sorted(f.filter.items())), _as_of_key(f.as_of))].append(f)
    found: list[Finding] = []
    for group in groups.values():
        if len({f.reported for f in group}) < 2:
            continue
        group = sorted(group, key=lambda f: f.code)

        first = group[0]
        found.append(
            Finding(
                "contradiction",
                "warning",
                f"Figures disagree on {_what_counted(first, 'en')}: {_each(group, 'en')}.",
                f"Показатели расходятся ({_what_counted(first, 'ru')}): {_each(group, 'ru')}.",
                tuple(f.code for f in group),
            )
        )
    return found + _narrower_exceeds_wider(list(figures_list))


def _narrower_exceeds_wider(figures: list[FigureComparison]) -> list[Finding]:
    """A count of a narrower question cannot exceed the count of a wider one on the same day.

    "5 of the Dungans were sentenced" and "4 were sentenced" (in all) cannot both be true.
    """
    found: list[Finding] = []
    for narrow in figures:
        for wide in figures:
            same = narrow.kind == wide.kind and _as_of_key(narrow.as_of) == _as_of_key(wide.as_of)
            subset = set(wide.filter.items()) < set(narrow.filter.items())
            if same and subset and narrow.reported > wide.reported + 1e-9:
                pair = [narrow, wide]
                found.append(
                    Finding(
                        "contradiction",
                        "warning",
                        f"A part exceeds the whole: {_each(pair, 'en')} — "
                        f"{_number(narrow.reported)} {_what_counted(narrow, 'en')} cannot be more "
                        f"than {_number(wide.reported)} {_what_counted(wide, 'en')}.",
                        f"Часть больше целого: {_each(pair, 'ru')} — "
                        f"{_what_counted(narrow, 'ru')}: {_number(narrow.reported)}, больше, чем "
                        f"{_what_counted(wide, 'ru')}: {_number(wide.reported)}.",
                        (narrow.code, wide.code),
                    )
                )
    return found


# --- 3. sources that contradict each other -------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One value a source gives for one field of one record."""

    subject: str
    field: str
    value: str
    source: str
    record: str = ""


def _is_date_field(name: str) -> bool:
    return name == "date" or name.endswith("_date")


def _bounds(value: str, where: str) -> tuple[datetime.date, datetime.date] | None:
    """Bounds of a date value; None when it is unknown or not a date (compared as text)."""
    try:
        parsed = parse_date(value, where=where)
    except DateError:
        return None
    if parsed.earliest is None or parsed.latest is None:
        return None
    return parsed.earliest, parsed.latest


def _overlap(
    a: tuple[datetime.date, datetime.date], b: tuple[datetime.date, datetime.date]
) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _compatible(a: str, b: str, *, dates: bool, where: str) -> bool:
    if a == b:
        return True
    if dates:
        ba, bb = _bounds(a, where), _bounds(b, where)
        if ba is not None and bb is not None:
            return _overlap(ba, bb)
    return a.casefold() == b.casefold()


def contradictions(claims: Iterable[Claim]) -> list[Finding]:
    """A warning for each field of a record to which sources give incompatible values.

    Date fields ("date", "*_date") are compared by their bounds: "1990" and "1990-01-29"
    agree. Other fields are compared as text, ignoring letter case and extra spaces. Empty
    values and unknown dates claim nothing.
    """
    groups: dict[tuple[str, str], dict[str, list[Claim]]] = defaultdict(dict)
    for c in claims:
        value = " ".join(c.value.split())
        if not value or (_is_date_field(c.field) and not _known_or_text(value)):
            continue
        groups[(c.subject, c.field)].setdefault(value, []).append(c)
    found: list[Finding] = []
    for (subject, field_name), by_value in groups.items():
        dates = _is_date_field(field_name)
        values = sorted(by_value, key=lambda v: _value_key(v, dates))
        clash = any(
            not _compatible(a, b, dates=dates, where=subject) for a, b in combinations(values, 2)
        )
        if not clash:
            continue

        en, ru = _FIELDS.get(field_name, (field_name.replace("_", " "), f"поле «{field_name}»"))
        records = {subject} | {c.record for cs in by_value.values() for c in cs}
        listed_en = _listed(values, by_value, dates, "en")
        listed_ru = _listed(values, by_value, dates, "ru")
        found.append(
            Finding(
                "contradiction",
                "warning",
                f"{subject}: sources disagree on the {en}: {listed_en}.",
                f"{subject}: источники расходятся ({ru}): {listed_ru}.",
                tuple(records),
            )
        )
    return found


def _listed(values: list[str], by_value: dict[str, list[Claim]], dates: bool, lang: str) -> str:
    """ "29 January 1990" per S-0001 (in P-0004); "1991" per S-0003 (in E-0012)."""
    parts = []
    for value in values:
        shown = _quote(_date_words(value, lang) if dates else value, lang)
        origins = sorted({(c.source, c.record) for c in by_value[value]})
        said = ", ".join(_origin(source, record, lang) for source, record in origins)
        parts.append(f"{shown} — {said}" if lang == "ru" else f"{shown} per {said}")
    return "; ".join(parts)


def _known_or_text(value: str) -> bool:
    """True if ``value`` is a known date, or is not a date at all (then compared as text)."""
    try:
        return parse_date(value).known
    except DateError:
        return True


def _value_key(value: str, dates: bool) -> tuple[Any, ...]:
    if dates:
        bounds = _bounds(value, "")
        if bounds is not None:
            return (0, bounds[0], bounds[1], value)
    return (1, datetime.date.min, datetime.date.min, value)


def _origin(source: str, record: str, lang: str) -> str:
    """ "S-0001 (in E-0012)", or "no source" when the claim is uncited."""
    name = source or ("без источника" if lang == "ru" else "no source")
    if not record:
        return name
    return f"{name} (в {record})" if lang == "ru" else f"{name} (in {record})"


# --- 4. impossible sequences ---------------------------------------------------------------


def _before(a: StatusEvent, b: StatusEvent) -> bool:
    """True when ``a`` is certainly before ``b``: it ends before ``b`` can begin."""
    return a.latest < b.earliest


def _detail(event: StatusEvent, key: str) -> str:
    value = event.details.get(key)
    return value if isinstance(value, str) else ""


def _convicts(event: StatusEvent) -> bool:
    outcome = _detail(event, "outcome")
    return event.type == "verdict" and (
        outcome == "convicted" or (not outcome and bool(_detail(event, "sentence")))
    )


def _custody(event: StatusEvent) -> bool:
    """An event that puts the subject in custody, from which a release can follow."""
    if event.type in ("detention", "arrest"):
        return True
    if event.type == "measure":
        return _detail(event, "measure") in CUSTODY_MEASURES
    # A prison sentence (of a verdict or a modifying appeal) is custody too.
    return event.type in ("verdict", "appeal_decision") and _detail(event, "sentence") == (
        "imprisonment"
    )


@dataclass(frozen=True)
class _Death:
    """One recorded date of death: the subject's own, or a death or killing event."""

    record: str
    earliest: datetime.date
    latest: datetime.date
    text: str
    event: StatusEvent | None = field(default=None, compare=False)

    def words(self, lang: str) -> str:
        if self.event is not None:
            return _event_date(self.event, lang)
        return _date_words(self.text, lang)


def _deaths(subject: str, events: Sequence[StatusEvent], death: PartialDate | None) -> list[_Death]:
    found = [
        _Death(e.code, e.earliest, e.latest, e.date_text, e) for e in events if e.type in DEATHS
    ]
    if death is not None and death.earliest is not None and death.latest is not None:
        found.insert(0, _Death(subject, death.earliest, death.latest, death.text))
    return found


def impossible_sequences(
    subject: str, events: Sequence[StatusEvent], *, death: PartialDate | None = None
) -> list[Finding]:
    """Orders of events of one person or group that cannot be true.

    Docket flags only what is certain: an event is before another only when it ends before
    the other can begin, so events whose dates overlap produce no finding. ``death`` is the
    date of death on the subject's own record, if any. Checked: events after every recorded
    death (except those that may follow a death, ``POSTHUMOUS``), dates of death that cannot
    all be true, a conviction before every charge (or with none), and a release before every
    detention, arrest, custodial measure or prison sentence (or with none).
    """
    for event in events:
        effective_date(event)  # a date that ends before it begins is a ValidationError
    found: list[Finding] = []
    deaths = _deaths(subject, events, death)
    found += _after_death(subject, events, deaths)
    found += _death_clash(subject, deaths)
    found += _sentence_before_charge(subject, events)
    found += _release_before_custody(subject, events)
    return found


def _after_death(
    subject: str, events: Sequence[StatusEvent], deaths: list[_Death]
) -> list[Finding]:
    if not deaths:
        return []
    last = max(deaths, key=lambda d: (d.latest, d.earliest))
    found = []
    for e in events:
        if e.type in DEATHS or e.type in POSTHUMOUS or not last.latest < e.earliest:
            continue
        died_en = "; ".join(f"{d.record}: {d.words('en')}" for d in deaths)
        died_ru = "; ".join(f"{d.record}: {d.words('ru')}" for d in deaths)
        found.append(
            Finding(
                "impossible_sequence",
                "error",
                f"{subject}: {_event(e, 'en')} is dated after the death ({died_en}).",
                f"{subject}: событие {_event(e, 'ru')} датировано позже смерти ({died_ru}).",
                (subject, e.code, *(d.record for d in deaths)),
            )
        )
    return found


def _death_clash(subject: str, deaths: list[_Death]) -> list[Finding]:
    clash = any(
        not _overlap((a.earliest, a.latest), (b.earliest, b.latest))
        for a, b in combinations(deaths, 2)
    )
    if not clash:
        return []
    ordered = sorted(deaths, key=lambda d: (d.earliest, d.latest, d.record))
    en = "; ".join(f"{d.record}: {d.words('en')}" for d in ordered)
    ru = "; ".join(f"{d.record}: {d.words('ru')}" for d in ordered)
    return [
        Finding(
            "impossible_sequence",
            "error",
            _stop(f"{subject}: the record gives dates of death that cannot all be true: {en}"),
            _stop(f"{subject}: в записях несовместимые даты смерти: {ru}"),
            (subject, *(d.record for d in deaths)),
        )
    ]


def _sentence_before_charge(subject: str, events: Sequence[StatusEvent]) -> list[Finding]:
    charges = [e for e in events if e.type in CHARGES]
    found = []
    for verdict in (e for e in events if _convicts(e)):
        if not charges:
            found.append(
                Finding(
                    "impossible_sequence",
                    "info",
                    f"{subject}: a sentence with no recorded charge: verdict {verdict.code} "
                    f"({_event_date(verdict, 'en')}) convicts, but no charge or indictment "
                    "is recorded.",
                    f"{subject}: обвинительный приговор {verdict.code} "
                    f"({_event_date(verdict, 'ru')}) есть, а ни обвинения, ни обвинительного "
                    "акта в записях нет.",
                    (subject, verdict.code),
                )
            )
        elif all(_before(verdict, c) for c in charges):
            en = "; ".join(_event(c, "en") for c in charges)
            ru = "; ".join(_event(c, "ru") for c in charges)
            found.append(
                Finding(
                    "impossible_sequence",
                    "warning",
                    _stop(
                        f"{subject}: sentence before any charge: {_event(verdict, 'en')} "
                        f"convicts before every recorded charge: {en}"
                    ),
                    _stop(
                        f"{subject}: приговор вынесен раньше обвинения: {_event(verdict, 'ru')} "
                        f"предшествует всем записанным обвинениям: {ru}"
                    ),
                    (subject, verdict.code, *(c.code for c in charges)),
                )
            )
    return found


def _release_before_custody(subject: str, events: Sequence[StatusEvent]) -> list[Finding]:
    custody = [e for e in events if _custody(e)]
    found = []
    for release in (e for e in events if e.type == "release"):
        if not custody:
            found.append(
                Finding(
                    "impossible_sequence",
                    "info",
                    f"{subject}: release {release.code} ({_event_date(release, 'en')}) is "
                    "recorded, but there is no detention, arrest or custodial measure.",
                    f"{subject}: освобождение {release.code} ({_event_date(release, 'ru')}) "
                    "записано, а ни задержания, ни ареста, ни меры пресечения под стражей "
                    "в записях нет.",
                    (subject, release.code),
                )
            )
        elif all(_before(release, c) for c in custody):
            en = "; ".join(_event(c, "en") for c in custody)
            ru = "; ".join(_event(c, "ru") for c in custody)
            found.append(
                Finding(
                    "impossible_sequence",
                    "warning",
                    _stop(
                        f"{subject}: release before detention: {_event(release, 'en')} comes "
                        f"before every recorded detention, arrest or custodial measure: {en}"
                    ),
                    _stop(
                        f"{subject}: освобождение раньше задержания: {_event(release, 'ru')} "
                        f"предшествует всем записям о лишении свободы: {ru}"
                    ),
                    (subject, release.code, *(c.code for c in custody)),
                )
            )
    return found


# --- 5. possible duplicates ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonKey:
    """What identifies a person well enough to suspect a duplicate."""

    code: str
    names: tuple[str, ...]
    birth_date: str


def _name_forms(name: str) -> frozenset[str]:
    """Comparable forms of a name: letters and digits only, casefolded, "ё" read as "е".

    Both the words in the order written and in sorted order are kept, so that "Uyshirov Ismar"
    meets "Ismar Uyshirov". Initials stay what they are: "M. Voinhuy" is not "A. Voinhuy".
    """
    text = name.casefold().replace("ё", "е")
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    if not words:
        return frozenset()
    return frozenset({"".join(words), "".join(sorted(words))})


def possible_duplicates(persons: Iterable[PersonKey]) -> list[Finding]:
    """Pairs of persons who may be one: a name in common and birth dates that agree.

    A warning when both birth dates are known and overlap; info when either is unknown (the
    record cannot tell); nothing when the birth dates cannot both be true.
    """
    people = {p.code: p for p in persons}
    by_form: dict[str, set[str]] = defaultdict(set)
    for p in people.values():
        for name in p.names:
            for form in _name_forms(name):
                by_form[form].add(p.code)
    pairs = sorted({pair for codes in by_form.values() for pair in combinations(sorted(codes), 2)})
    found = []
    for a_code, b_code in pairs:
        if a_code == b_code:
            continue
        finding = _duplicate(people[a_code], people[b_code])
        if finding is not None:
            found.append(finding)
    return found


def _shared_names(a: PersonKey, b: PersonKey) -> tuple[str, str]:
    """The first spelling of ``a`` and of ``b`` that meet."""
    for x in a.names:
        for y in b.names:
            if _name_forms(x) & _name_forms(y):
                return x, y
    return a.names[0], b.names[0]


def _bounds_of(date: PartialDate) -> tuple[datetime.date, datetime.date] | None:
    if date.earliest is None or date.latest is None:
        return None
    return date.earliest, date.latest


def _born(person: PersonKey, lang: str) -> str:
    date = parse_date(person.birth_date, where=person.code)
    if date.known:
        return date.render(lang)
    return "не указана" if lang == "ru" else "unknown"


def _duplicate(a: PersonKey, b: PersonKey) -> Finding | None:
    da = _bounds_of(parse_date(a.birth_date, where=a.code))
    db = _bounds_of(parse_date(b.birth_date, where=b.code))
    if da is not None and db is not None and not _overlap(da, db):
        return None
    x, y = _shared_names(a, b)
    names = {"en": f'"{x}"', "ru": f"«{x}»"}
    if x != y:
        names = {"en": f'"{x}" / "{y}"', "ru": f"«{x}» / «{y}»"}
    born_en = f"birth dates {a.code}: {_born(a, 'en')}, {b.code}: {_born(b, 'en')}"
    born_ru = f"даты рождения {a.code}: {_born(a, 'ru')}, {b.code}: {_born(b, 'ru')}"
    if da is not None and db is not None:
        return Finding(
            "possible_duplicate",
            "warning",
            f"{a.code} and {b.code} may be the same person: named {names['en']}; {born_en}.",
            _stop(
                f"{a.code} и {b.code}, возможно, один и тот же человек: {names['ru']}; {born_ru}"
            ),
            (a.code, b.code),
        )
    return Finding(
        "possible_duplicate",
        "info",
        f"{a.code} and {b.code} share a name ({names['en']}), but the record cannot tell "
        f"whether they are one person: {born_en}.",
        _stop(
            f"У {a.code} и {b.code} совпадает имя ({names['ru']}), но по записям нельзя понять, "
            f"один ли это человек: {born_ru}"
        ),
        (a.code, b.code),
    )
