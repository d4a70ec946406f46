"""Reads from the case record: bundle export, status of persons and groups, statistics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from docket.core.dates import parse_date
from docket.core.status import Status, StatusEvent, status_as_of
from docket.records import models as m
from docket.records.bundle import Bundle
from docket.records.canonical import Index, dump_record
from docket.records.schema import KINDS

# A participant in these roles is the one an event happens to (detained, charged, killed).
SUBJECT_ROLES = ("victim", "defendant")


def bundle_export(case: m.Case) -> Bundle:
    index = Index(case)
    # PostgreSQL's jsonb does not keep key order: fix it here so exports are identical.
    info = {
        "code": case.code,
        "title": dict(sorted(case.title.items())),
        "description": dict(sorted(case.description.items())),
        "defaults": {
            k: case.defaults[k] for k in ("confidentiality", "review_state") if k in case.defaults
        },
    }
    bundle = Bundle(case={k: v for k, v in info.items() if v})
    for kind in KINDS:
        qs = kind.model.objects.filter(case=case).order_by("code")
        if kind.name == "event":
            qs = qs.prefetch_related("participants", "charges")
        elif kind.name == "person":
            qs = qs.prefetch_related("relationships")
        elif kind.name == "damage":
            qs = qs.prefetch_related("items", "pressure_events")
        elif kind.name == "intervention":
            qs = qs.prefetch_related("senders", "concerning")
        records = [dump_record(obj, index) for obj in qs]
        if records:
            bundle.records[kind.name] = records
    return bundle


def _death_event(date: str, code: str) -> StatusEvent | None:
    d = parse_date(date)
    if d.earliest is None or d.latest is None:
        return None
    return StatusEvent("death", d.earliest, d.latest, d.text, {}, (), code)


@dataclass(frozen=True)
class PersonStatus:
    person: m.Person
    status: Status
    sources: int
    names: tuple[str, ...]
    charges: tuple[str, ...]


@dataclass
class Subjects:
    """Persons and groups of a case with the events that happen to them, read once.

    Statuses on many dates (series, disparities) are then computed without touching the
    database again.
    """

    persons: list[tuple[m.Person, list[StatusEvent], int, tuple[str, ...]]]
    groups: list[tuple[m.Group, list[StatusEvent]]]


def _events_by_party(
    case: m.Case, person: m.Person | None = None
) -> tuple[dict[Any, list[StatusEvent]], dict[Any, list[StatusEvent]], dict[Any, set[Any]]]:
    """Events that happen to each person and group, and every event each person takes part in.

    Read as plain rows, not model objects: this runs over every event of a case (or, with
    ``person``, over that person's events only).
    """
    from django.db.models import Q

    selected = m.Event.objects.filter(case=case)
    if person is not None:
        selected = selected.filter(
            Q(participants__person=person) | Q(proceeding__person=person)
        ).distinct()
    ids = selected.values("id")
    rows = (
        m.Event.objects.filter(id__in=ids)
        .exclude(review_state="retracted")
        .values_list(
            "id",
            "type",
            "date",
            "date_earliest",
            "date_latest",
            "details",
            "code",
            "proceeding__person_id",
        )
    )
    charges: dict[Any, list[str]] = {}
    for event_id, article in (
        m.Charge.objects.filter(event__in=ids)
        .order_by("event_id", "position")
        .values_list("event_id", "article")
    ):
        charges.setdefault(event_id, []).append(article)
    events: dict[Any, StatusEvent | None] = {}
    owners: dict[Any, set[Any]] = {}
    for pk, etype, text, early, late, details, code, proceeding_person in rows:
        # An event with no known date cannot place anyone in time.
        events[pk] = (
            StatusEvent(etype, early, late, text, details or {}, tuple(charges.get(pk, ())), code)
            if early is not None and late is not None
            else None
        )
        owners[pk] = {proceeding_person} if proceeding_person is not None else set()
    group_owners: dict[Any, set[Any]] = {}
    involved: dict[Any, set[Any]] = {}
    for event_id, person_id, group_id, role in m.Participant.objects.filter(
        event__in=ids
    ).values_list("event_id", "person_id", "group_id", "role"):
        if event_id not in events:
            continue
        if person_id is not None:
            involved.setdefault(person_id, set()).add(event_id)
            if role in SUBJECT_ROLES:
                owners[event_id].add(person_id)
        if group_id is not None and role in SUBJECT_ROLES:
            group_owners.setdefault(event_id, set()).add(group_id)
    subject: dict[Any, list[StatusEvent]] = {}
    group_subject: dict[Any, list[StatusEvent]] = {}
    for event_id, event in events.items():
        for pk in owners[event_id]:
            involved.setdefault(pk, set()).add(event_id)
            if event is not None:
                subject.setdefault(pk, []).append(event)
        for pk in group_owners.get(event_id, ()):
            if event is not None:
                group_subject.setdefault(pk, []).append(event)
    return subject, group_subject, involved


def load_subjects(case: m.Case, *, audience: str = "restricted") -> Subjects:
    """Every person and group of ``case`` that ``audience`` may see, with their events."""
    from docket.core.audience import can_see

    subject, group_subject, involved = _events_by_party(case)
    sources_of: dict[Any, set[Any]] = {}
    for target, source in m.Citation.objects.filter(case=case).values_list(
        "target_id", "source_id"
    ):
        sources_of.setdefault(target, set()).add(source)
    names_of: dict[Any, list[str]] = {}
    for target, text in (
        m.NameVariant.objects.filter(case=case, target_type="person")
        .order_by("position")
        .values_list("target_id", "text")
    ):
        names_of.setdefault(target, []).append(text)
    persons = []
    for person in m.Person.objects.filter(case=case).select_related("residence").order_by("code"):
        if not can_see(audience, person.confidentiality) or person.review_state == "retracted":
            continue
        events = list(subject.get(person.pk, []))
        if person.deceased and person.death_date:
            death = _death_event(person.death_date, f"{person.code}:death_date")
            if death:
                events.append(death)
        sources: set[Any] = set(sources_of.get(person.pk, set()))
        for event_pk in involved.get(person.pk, set()):
            sources |= sources_of.get(event_pk, set())
        names = tuple(dict.fromkeys([person.name, *names_of.get(person.pk, [])]))
        persons.append((person, events, len(sources), names))
    groups = [
        (group, list(group_subject.get(group.pk, [])))
        for group in m.Group.objects.filter(case=case).order_by("code")
        if can_see(audience, group.confidentiality) and group.review_state != "retracted"
    ]
    return Subjects(persons, groups)


def person_events(case: m.Case, person: m.Person) -> list[StatusEvent]:
    """The events that happen to one person (and their recorded death), for their status."""
    subject, _, _ = _events_by_party(case, person)
    events = list(subject.get(person.pk, []))
    if person.deceased and person.death_date:
        death = _death_event(person.death_date, f"{person.code}:death_date")
        if death:
            events.append(death)
    return events


def person_statuses(
    case: m.Case, as_of: datetime.date, *, subjects: Subjects | None = None
) -> list[PersonStatus]:
    """Custody and legal stage of every person of the case as of the end of ``as_of``."""
    subjects = subjects or load_subjects(case)
    out = []
    for person, events, sources, names in subjects.persons:
        status = status_as_of(events, as_of)
        out.append(PersonStatus(person, status, sources, names, status.charges))
    return out


def status_rows(case: m.Case, as_of: datetime.date) -> list[dict[str, Any]]:
    """One plain dict per person: the interface of ``docket status --json``."""
    return [
        {
            "id": str(ps.person.pk),
            "code": ps.person.code,
            "name": ps.person.name,
            "names": list(ps.names),
            "birth_date": ps.person.birth_date or None,
            "ethnicity": ps.person.ethnicity,
            "sex": ps.person.sex,
            "deceased": ps.person.deceased,
            "custody": ps.status.custody,
            "custody_since": ps.status.custody_since,
            "legal_stage": ps.status.legal_stage,
            "legal_stage_since": ps.status.legal_stage_since,
            "charges": list(ps.charges),
            "sources": ps.sources,
        }
        for ps in person_statuses(case, as_of)
    ]


def render_date(text: str, lang: str = "en") -> str:
    return parse_date(text).render(lang) if text else ""
