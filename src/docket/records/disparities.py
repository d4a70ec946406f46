"""Disparity of treatment in a cohort of the record, via ``docket.core.disparity``.

The cohort is the people an event happened to (its victims and defendants, groups counted
with their best size) or every person matching a filter; the outcome is read from the status
engine on a date, or is whether a later event of a given type happened to them.
"""

from __future__ import annotations

import datetime
from typing import Any

from docket.core import vocab
from docket.core.dates import parse_date
from docket.core.disparity import Disparity, Unit, disparity
from docket.core.errors import NotFound, ValidationError
from docket.core.status import StatusEvent, status_as_of
from docket.records import models as m
from docket.records.selectors import SUBJECT_ROLES, load_subjects
from docket.records.statistics import IN_CUSTODY

ATTRIBUTES = ("ethnicity", "sex", "citizenship", "residence")
OUTCOMES = ("in_custody", "custody", "legal_stage")  # or "event:TYPE"
ATTRIBUTE_WORDS = {
    "ethnicity": ("ethnicity", "этническая принадлежность"),
    "sex": ("sex", "пол"),
    "citizenship": ("citizenship", "гражданство"),
    "residence": ("place of residence", "место жительства"),
}
YES_NO = {
    "in_custody": {
        "en": {"yes": "kept in custody", "no": "not in custody"},
        "ru": {"yes": "оставлены под стражей", "no": "не под стражей"},
    },
    "event": {
        "en": {"yes": "had such an event", "no": "did not"},
        "ru": {"yes": "с таким событием", "no": "без него"},
    },
}


def _attribute(obj: m.Person | m.Group, by: str) -> str:
    if isinstance(obj, m.Person):
        if by == "residence":
            return obj.residence.name if obj.residence else "unknown"
        return str(getattr(obj, by) or "unknown")
    return str((obj.attributes or {}).get(by, "unknown"))


def _outcome(
    events: list[StatusEvent], outcome: str, as_of: datetime.date, after: datetime.date | None
) -> str:
    if outcome.startswith("event:"):
        etype = outcome.split(":", 1)[1]
        start = after or datetime.date.min
        hit = any(e.type == etype and e.earliest >= start and e.latest <= as_of for e in events)
        return "yes" if hit else "no"
    status = status_as_of(events, as_of)
    if outcome == "in_custody":
        return (
            "unknown"
            if status.custody == "unknown"
            else ("yes" if status.custody in IN_CUSTODY else "no")
        )
    return status.custody if outcome == "custody" else status.legal_stage


def check_outcome(outcome: str, positive: str | None) -> str:
    """The outcome value compared, checked against the vocabularies."""
    if outcome.startswith("event:"):
        vocab.check("event_types", outcome.split(":", 1)[1], where="--outcome")
        return positive or "yes"
    if outcome not in OUTCOMES:
        raise ValidationError(
            f'unknown outcome "{outcome}"; choose from: {", ".join(OUTCOMES)}, event:TYPE'
        )
    if outcome == "in_custody":
        return positive or "yes"
    if not positive:
        raise ValidationError(f"name the {outcome} value to compare with --positive")
    vocab.check(
        "custody_states" if outcome == "custody" else "legal_stages", positive, where="--positive"
    )
    return positive


def cohort_disparity(
    case: m.Case,
    *,
    by: str,
    as_of: datetime.date,
    event: str | None = None,
    where: dict[str, str] | None = None,
    outcome: str = "in_custody",
    positive: str | None = None,
    exposed: str | None = None,
    reference: str | None = None,
    audience: str = "internal",
) -> tuple[Disparity, dict[str, Any]]:
    """The disparity and the words to describe it: (result, labels for its summary)."""
    if by not in ATTRIBUTES:
        raise ValidationError(f'cannot compare by "{by}"; choose from: {", ".join(ATTRIBUTES)}')
    wanted = check_outcome(outcome, positive)
    subjects = load_subjects(case, audience=audience)
    after = None
    if event:
        ev = m.Event.objects.filter(case=case, code=event).first()
        if ev is None:
            raise NotFound(f'no event with code "{event}" in case {case.code}')
        parts = ev.participants.filter(role__in=SUBJECT_ROLES)
        people = {p.person_id for p in parts if p.person_id}
        groups = {p.group_id for p in parts if p.group_id}
        after = ev.date_earliest
        date = parse_date(ev.date)
        cohort = (
            f"people in {ev.code} ({date.render('en')})",
            f"участников {ev.code} ({date.render('ru')})",
        )
    else:
        people = groups = None  # type: ignore[assignment]
        cohort = ("people", "человек")
    filters = where or {}
    units = []
    for person, events, _, _ in subjects.persons:
        if people is not None and person.pk not in people:
            continue
        if any(_attribute(person, k) != v for k, v in filters.items()):
            continue
        units.append(
            Unit(_attribute(person, by), _outcome(events, outcome, as_of, after), 1, person.code)
        )
    for group, events in subjects.groups:
        if group.size is None or (groups is not None and group.pk not in groups):
            continue
        if groups is None:
            continue  # a filtered cohort is of named persons; groups join only through an event
        units.append(
            Unit(
                _attribute(group, by),
                _outcome(events, outcome, as_of, after),
                group.size,
                group.code,
            )
        )
    if not units:
        raise ValidationError("the cohort is empty: no person or counted group matches")
    result = disparity(
        units,
        positive=wanted,
        exposed=exposed,
        reference=reference,
        cohort=cohort[0],
        cohort_ru=cohort[1],
        attribute=ATTRIBUTE_WORDS[by][0],
        attribute_ru=ATTRIBUTE_WORDS[by][1],
    )
    return result, {"en": _labels(by, outcome, "en"), "ru": _labels(by, outcome, "ru")}


def _labels(by: str, outcome: str, lang: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    names = {"ethnicity": "ethnicities", "sex": "sex"}
    if by in names:
        voc = vocab.vocabulary(names[by])
        for t in voc.terms:
            plural = t.extra.get("plural") or {}
            labels[t.code] = plural.get(lang) or t.label(lang)
    if outcome == "in_custody":
        labels.update(YES_NO["in_custody"][lang])
    elif outcome.startswith("event:"):
        labels.update(YES_NO["event"][lang])
    else:
        voc = vocab.vocabulary("custody_states" if outcome == "custody" else "legal_stages")
        labels.update({t.code: t.label(lang) for t in voc.terms})
    return labels
