"""`docket check`: where the record and its sources disagree, via ``docket.core.checks``.

This module gathers plain facts from the database; the rules live in the core.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from docket.core import checks
from docket.core.dates import parse_date
from docket.core.status import StatusEvent, status_as_of
from docket.records import models as m
from docket.records.schema import KINDS
from docket.records.selectors import load_subjects
from docket.records.statistics import IN_CUSTODY

# What a reported figure counts, as a test on one person's or group's events and status.
HAD_EVENT = {
    "arrested": ("arrest",),
    "detained": ("detention", "arrest"),
    "released": ("release",),
    "examined": ("forensic_examination",),
}
BY_STATUS = {
    "sentenced": lambda s: s.legal_stage == "convicted",
    "in_custody": lambda s: s.custody in IN_CUSTODY,
    "under_investigation": lambda s: s.legal_stage in ("suspect", "accused", "on_trial"),
    "deaths": lambda s: s.custody == "deceased",
}
FILTER_KEYS = ("ethnicity", "sex", "citizenship", "residence", "article")


def _had(
    events: list[StatusEvent], types: Iterable[str], start: datetime.date | None, end: datetime.date
) -> bool:
    wanted = set(types)
    for e in events:
        if e.type == "measure" and e.details.get("measure") == "pretrial_detention":
            etype = "arrest"
        else:
            etype = e.type
        if etype in wanted and e.latest <= end and (start is None or e.earliest >= start):
            return True
    return False


def _matches(attrs: dict[str, str], charges: tuple[str, ...], flt: dict[str, Any]) -> bool:
    for key, value in flt.items():
        if key == "article":
            if value not in charges:
                return False
        elif attrs.get(key, "unknown") != str(value):
            return False
    return True


def _computed(figure: m.Figure, subjects: Any) -> tuple[float | None, tuple[str, ...]]:
    """What the record counts for the figure's question, and the codes counted."""
    flt = figure.filter or {}
    if figure.kind not in HAD_EVENT and figure.kind not in BY_STATUS:
        return None, ()
    if any(k not in FILTER_KEYS for k in flt) or not figure.as_of:
        return None, ()
    when = parse_date(figure.as_of)
    if when.latest is None:
        return None, ()
    end = when.latest
    # "new" counts only what happened on the figure's date or in its period ("on 28 March, 5
    # more were detained"); "total" counts everything up to its last day ("as of 13 May, 25").
    start = when.earliest if figure.counts == "new" else None
    total = 0.0
    basis: list[str] = []
    units: list[tuple[str, dict[str, str], list[StatusEvent], int]] = []
    for person, events, _, _ in subjects.persons:
        attrs = {
            "ethnicity": person.ethnicity,
            "sex": person.sex,
            "citizenship": person.citizenship or "unknown",
            "residence": person.residence.code if person.residence else "unknown",
        }
        units.append((person.code, attrs, events, 1))
    for group, events in subjects.groups:
        if group.size is None:
            continue
        attrs = {k: str(v) for k, v in (group.attributes or {}).items()}
        units.append((group.code, attrs, events, group.size))
    for code, attrs, events, weight in units:
        status = status_as_of(events, end)
        if not _matches(attrs, status.charges, flt):
            continue
        if figure.kind in HAD_EVENT:
            hit = _had(events, HAD_EVENT[figure.kind], start, end)
        else:
            hit = BY_STATUS[figure.kind](status)
        if hit:
            total += weight
            basis.append(code)
    return total, tuple(basis)


def _citation_sources(case: m.Case) -> dict[Any, list[m.Citation]]:
    out: dict[Any, list[m.Citation]] = {}
    for c in m.Citation.objects.filter(case=case).select_related("source").order_by("position"):
        out.setdefault(c.target_id, []).append(c)
    return out


def findings(case: m.Case) -> list[checks.Finding]:
    """Every consistency finding for ``case``, most serious first."""
    cites = _citation_sources(case)
    found: list[checks.Finding] = []

    cited = [
        checks.CitedRecord(obj.code, kind.name, len(cites.get(obj.pk, [])), obj.review_state)
        for kind in KINDS
        if kind.name != "source"
        for obj in kind.model.objects.filter(case=case).only("id", "code", "review_state")
    ]
    found += checks.uncited(cited)

    subjects = load_subjects(case)
    comparisons = []
    for figure in m.Figure.objects.filter(case=case).exclude(review_state="retracted"):
        computed, basis = _computed(figure, subjects)
        comparisons.append(
            checks.FigureComparison(
                figure.code,
                figure.kind,
                figure.value,
                computed,
                figure.as_of,
                {k: str(v) for k, v in (figure.filter or {}).items()},
                figure.statement,
                basis,
            )
        )
    found += checks.figure_mismatches(comparisons)
    found += checks.figure_conflicts(comparisons)

    found += checks.contradictions(_claims(case, cites))

    for person, events, _, _ in subjects.persons:
        own = [e for e in events if not e.code.endswith(":death_date")]
        death = parse_date(person.death_date) if person.death_date else None
        found += checks.impossible_sequences(person.code, own, death=death)
    for group, events in subjects.groups:
        found += checks.impossible_sequences(group.code, events)

    keys = [
        checks.PersonKey(person.code, names, person.birth_date)
        for person, _, _, names in subjects.persons
    ]
    found += checks.possible_duplicates(keys)
    return checks.sort_findings(found)


def _first_source(citations: list[m.Citation], field: str = "") -> str:
    for c in citations:
        if c.field == field:
            return c.source.code
    return citations[0].source.code if citations else ""


def _claims(case: m.Case, cites: dict[Any, list[m.Citation]]) -> list[checks.Claim]:
    claims: list[checks.Claim] = []
    for p in m.Person.objects.filter(case=case).exclude(death_date=""):
        source = _first_source(cites.get(p.pk, []), "death_date")
        claims.append(checks.Claim(p.code, "death_date", p.death_date, source, p.code))
    # Plain rows, not prefetches: a large case has thousands of verdicts, and SQLite refuses
    # IN lists that long.
    victims: dict[Any, list[str]] = {}
    for event_id, code in m.Participant.objects.filter(
        event__case=case, event__type__in=("death", "killing"), role="victim", person__isnull=False
    ).values_list("event_id", "person__code"):
        victims.setdefault(event_id, []).append(code)
    events = (
        m.Event.objects.filter(case=case, type__in=("death", "killing", "verdict"))
        .exclude(review_state="retracted")
        .values_list("id", "type", "date", "code", "details", "proceeding__person__code")
    )
    for pk, etype, date, code, details, who in events:
        source = _first_source(cites.get(pk, []))
        if etype in ("death", "killing"):
            for person in victims.get(pk, []):
                if date:
                    claims.append(checks.Claim(person, "death_date", date, source, code))
        elif who is not None:
            for key in ("sentence", "term_months"):
                value = (details or {}).get(key)
                if value not in (None, ""):
                    claims.append(checks.Claim(who, key, str(value), source, code))
    return claims
