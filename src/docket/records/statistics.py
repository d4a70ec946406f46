"""Counts as of any date: persons and counted groups by their attributes and derived status,
events by type and month, and series of such counts over time.

A counted group adds its best size to ``count`` and its low/high sizes to ``count_low`` /
``count_high`` (a named person adds 1 to all three), so a table can say "47 (45–50)".
Groups whose size no source states are left out, and so is what the audience may not see.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from docket.core.audience import can_see
from docket.core.errors import ValidationError
from docket.core.status import status_as_of
from docket.records import models as m
from docket.records.selectors import Subjects, load_subjects

IN_CUSTODY = frozenset({"detained", "pretrial_detention", "house_arrest", "imprisoned"})
PERSON_FIELDS = (
    "kind",
    "custody",
    "in_custody",
    "legal_stage",
    "ethnicity",
    "sex",
    "citizenship",
    "residence",
    "article",
)
EVENT_FIELDS = ("type", "month", "year", "place")
STEPS = ("week", "month")


def check_fields(by: Sequence[str], of: str = "persons") -> list[str]:
    """``by`` if every field can be grouped on for ``of`` (persons or events)."""
    allowed = PERSON_FIELDS if of == "persons" else EVENT_FIELDS
    if not by:
        raise ValidationError(f"name at least one field to group by: {', '.join(allowed)}")
    for f in by:
        if f not in allowed:
            raise ValidationError(f'cannot group {of} by "{f}"; choose from: {", ".join(allowed)}')
    return list(by)


def _rows(counts: dict[tuple[str, ...], list[int]], by: Sequence[str], names: Sequence[str]):  # type: ignore[no-untyped-def]
    return [
        {**dict(zip(by, key, strict=True)), **dict(zip(names, values, strict=True))}
        for key, values in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def _units(
    subjects: Subjects, as_of: datetime.date, by: Sequence[str]
) -> Iterable[tuple[dict[str, str], tuple[int, int, int]]]:
    for person, events, _, _ in subjects.persons:
        status = status_as_of(events, as_of)
        base = {
            "kind": "person",
            "custody": status.custody,
            "in_custody": "yes" if status.custody in IN_CUSTODY else "no",
            "legal_stage": status.legal_stage,
            "ethnicity": person.ethnicity,
            "sex": person.sex,
            "citizenship": person.citizenship or "unknown",
            "residence": person.residence.name if person.residence else "unknown",
        }
        for article in status.charges or ("none",):
            yield {**base, "article": article}, (1, 1, 1)
            if "article" not in by:
                break
    for group, events in subjects.groups:
        if group.size is None:
            continue
        status = status_as_of(events, as_of)
        attrs = group.attributes or {}
        low = group.size_low if group.size_low is not None else group.size
        high = group.size_high if group.size_high is not None else group.size
        yield (
            {
                "kind": "group",
                "custody": status.custody,
                "in_custody": "yes" if status.custody in IN_CUSTODY else "no",
                "legal_stage": status.legal_stage,
                "ethnicity": str(attrs.get("ethnicity", "unknown")),
                "sex": str(attrs.get("sex", "unknown")),
                "citizenship": str(attrs.get("citizenship", "unknown")),
                "residence": str(attrs.get("residence", "unknown")),
                "article": "none",
            },
            (group.size, low, high),
        )


def stats_rows(
    case: m.Case,
    as_of: datetime.date,
    by: Sequence[str],
    *,
    audience: str = "internal",
    subjects: Subjects | None = None,
) -> list[dict[str, Any]]:
    """Persons and counted groups as of ``as_of`` grouped by ``by``: count, count_low, count_high.

    ``article`` counts a person once per article charged (and once as "none" if uncharged).
    """
    check_fields(by)
    subjects = subjects or load_subjects(case, audience=audience)
    counts: dict[tuple[str, ...], list[int]] = {}
    for fields, sizes in _units(subjects, as_of, by):
        row = counts.setdefault(tuple(fields[f] for f in by), [0, 0, 0])
        for i, n in enumerate(sizes):
            row[i] += n
    return _rows(counts, by, ("count", "count_low", "count_high"))


def period_ends(start: datetime.date, end: datetime.date, step: str) -> list[datetime.date]:
    """The last day of every week (Sunday) or month from ``start`` to ``end``, and ``end``."""
    if step not in STEPS:
        raise ValidationError(f'unknown step "{step}"; choose from: {", ".join(STEPS)}')
    if end < start:
        raise ValidationError(f"the series ends ({end}) before it starts ({start})")
    days: list[datetime.date] = []
    day = start
    while day < end:
        if step == "week":
            day = day + datetime.timedelta(days=6 - day.weekday())
        else:
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        days.append(min(day, end))
        day = day + datetime.timedelta(days=1)
    if not days or days[-1] != end:
        days.append(end)
    return days


def series_rows(
    case: m.Case,
    dates: Sequence[datetime.date],
    by: Sequence[str],
    *,
    audience: str = "internal",
) -> list[dict[str, Any]]:
    """``stats_rows`` at the end of each of ``dates``, each row with its ``date``."""
    subjects = load_subjects(case, audience=audience)
    out = []
    for day in dates:
        for row in stats_rows(case, day, by, subjects=subjects):
            out.append({"date": day.isoformat(), **row})
    return out


def _month(a: datetime.date | None, b: datetime.date | None) -> str:
    if a is None or b is None:
        return "unknown"
    return f"{a:%Y-%m}" if (a.year, a.month) == (b.year, b.month) else "uncertain"


def _year(a: datetime.date | None, b: datetime.date | None) -> str:
    if a is None or b is None:
        return "unknown"
    return str(a.year) if a.year == b.year else "uncertain"


def _victims(case: m.Case, audience: str) -> dict[Any, list[int]]:
    """Victims (best, low, high) of each event: persons count 1, groups their sizes."""
    persons = {
        pk
        for pk, conf in m.Person.objects.filter(case=case).values_list("id", "confidentiality")
        if can_see(audience, conf)
    }
    groups = {
        pk: (size, low if low is not None else size, high if high is not None else size)
        for pk, size, low, high, conf in m.Group.objects.filter(case=case).values_list(
            "id", "size", "size_low", "size_high", "confidentiality"
        )
        if size is not None and can_see(audience, conf)
    }
    out: dict[Any, list[int]] = {}
    for event_id, person_id, group_id in m.Participant.objects.filter(
        event__case=case, role="victim"
    ).values_list("event_id", "person_id", "group_id"):
        sizes = (1, 1, 1) if person_id in persons else groups.get(group_id, (0, 0, 0))
        row = out.setdefault(event_id, [0, 0, 0])
        for i in range(3):
            row[i] += sizes[i]
    return out


def event_stats_rows(
    case: m.Case,
    by: Sequence[str],
    *,
    audience: str = "internal",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Events grouped by type, month, year or place: ``events`` and ``victims`` (best/low/high).

    An event counts in a month only when its date lies within that month; otherwise its month
    is "uncertain" (or "unknown" without a date) — never guessed.
    """
    check_fields(by, "events")
    qs = m.Event.objects.filter(case=case).exclude(review_state="retracted")
    if date_from:
        qs = qs.filter(date_latest__gte=date_from)
    if date_to:
        qs = qs.filter(date_earliest__lte=date_to)
    places = {
        pk: name if can_see(audience, conf) else "unknown"
        for pk, name, conf in m.Place.objects.filter(case=case).values_list(
            "id", "name", "confidentiality"
        )
    }
    victims = _victims(case, audience)
    counts: dict[tuple[str, ...], list[int]] = {}
    rows = qs.values_list(
        "id", "type", "date_earliest", "date_latest", "place_id", "confidentiality"
    )
    for pk, etype, a, b, place, conf in rows:
        if not can_see(audience, conf):
            continue
        fields = {
            "type": etype,
            "month": _month(a, b),
            "year": _year(a, b),
            "place": places.get(place, "unknown"),
        }
        row = counts.setdefault(tuple(fields[f] for f in by), [0, 0, 0, 0])
        row[0] += 1
        for i, n in enumerate(victims.get(pk, (0, 0, 0))):
            row[i + 1] += n
    return _rows(counts, by, ("events", "victims", "victims_low", "victims_high"))


def events_per_period(
    case: m.Case,
    types: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    step: str,
    *,
    audience: str = "internal",
) -> tuple[list[tuple[datetime.date, int]], int]:
    """Events of ``types`` per week or month: [(period end, count)], and how many were left out
    because their date does not fit inside one period (never guessed into one)."""
    ends = period_ends(start, end, step)
    counts = dict.fromkeys(ends, 0)
    uncertain = 0
    qs = m.Event.objects.filter(
        case=case, type__in=list(types), date_latest__gte=start, date_earliest__lte=end
    ).exclude(review_state="retracted")
    for event in qs:
        if not can_see(audience, event.confidentiality):
            continue
        a, b = event.date_earliest, event.date_latest
        assert a is not None and b is not None
        home = next((e for e in ends if a <= e), None)
        begin = start if home is None or home == ends[0] else ends[ends.index(home) - 1]
        if home is None or b > home or a < begin:
            uncertain += 1
            continue
        counts[home] += 1
    return list(counts.items()), uncertain
