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
) -> tuple[dict[str, list[StatusEvent]], dict[str, list[StatusEvent]], dict[str, set[str]]]:
    """Events that happen to each person and group, and every event each person takes part in.

    Keyed by code (person code, group code, event code), and read as plain rows of codes, not
    model objects or ids: this runs over every event of a case (or, with ``person``, over that
    person's events only), and turning tens of thousands of ids into UUIDs costs more than
    the database's joins.
    """
    from django.db.models import Q

    if person is None:
        events_qs = m.Event.objects.filter(case=case)
        charges_qs = m.Charge.objects.filter(event__case=case)
        parts_qs = m.Participant.objects.filter(event__case=case)
    else:
        # One person has few events: find them once, then read by their ids.
        ids = list(
            m.Event.objects.filter(case=case)
            .filter(Q(participants__person=person) | Q(proceeding__person=person))
            .values_list("id", flat=True)
            .distinct()
        )
        events_qs = m.Event.objects.filter(id__in=ids)
        charges_qs = m.Charge.objects.filter(event__in=ids)
        parts_qs = m.Participant.objects.filter(event__in=ids)
    events_qs = events_qs.exclude(review_state="retracted")
    rows = events_qs.values_list(
        "code", "type", "date", "date_earliest", "date_latest", "proceeding__person__code"
    )
    # Most events have no details: decoding every empty one costs more than a second query.
    details_of = dict(events_qs.exclude(details={}).values_list("code", "details"))
    charges: dict[str, list[str]] = {}
    for event_code, article in charges_qs.order_by("event_id", "position").values_list(
        "event__code", "article"
    ):
        charges.setdefault(event_code, []).append(article)
    events: dict[str, StatusEvent | None] = {}
    owners: dict[str, set[str]] = {}
    for code, etype, text, early, late, proceeding_person in rows:
        # An event with no known date cannot place anyone in time.
        details = details_of.get(code) or {}
        events[code] = (
            StatusEvent(etype, early, late, text, details, tuple(charges.get(code, ())), code)
            if early is not None and late is not None
            else None
        )
        owners[code] = {proceeding_person} if proceeding_person is not None else set()
    group_owners: dict[str, set[str]] = {}
    involved: dict[str, set[str]] = {}
    for event_code, person_code, group_code, role in parts_qs.values_list(
        "event__code", "person__code", "group__code", "role"
    ):
        if event_code not in events:
            continue
        if person_code is not None:
            involved.setdefault(person_code, set()).add(event_code)
            if role in SUBJECT_ROLES:
                owners[event_code].add(person_code)
        if group_code is not None and role in SUBJECT_ROLES:
            group_owners.setdefault(event_code, set()).add(group_code)
    subject: dict[str, list[StatusEvent]] = {}
    group_subject: dict[str, list[StatusEvent]] = {}
    for event_code, event in events.items():
        for code in owners[event_code]:
            involved.setdefault(code, set()).add(event_code)
            if event is not None:
                subject.setdefault(code, []).append(event)
        for code in group_owners.get(event_code, ()):
            if event is not None:
                group_subject.setdefault(code, []).append(event)
    return subject, group_subject, involved


def _by_target_code(qs: Any, kind: str) -> Any:
    """Attached rows (citations, names) of records of ``kind``, each with its record's code."""
    from django.db.models import OuterRef, Subquery

    model = {"person": m.Person, "event": m.Event}[kind]
    code = model.objects.filter(pk=OuterRef("target_id")).values("code")[:1]
    return qs.filter(target_type=kind).annotate(target_code=Subquery(code))


def _with_death(events: list[StatusEvent], code: str, deceased: bool, death_date: str) -> None:
    if deceased and death_date:
        death = _death_event(death_date, f"{code}:death_date")
        if death:
            events.append(death)


def load_subjects(case: m.Case, *, audience: str = "restricted") -> Subjects:
    """Every person and group of ``case`` that ``audience`` may see, with their events."""
    from docket.core.audience import can_see

    subject, group_subject, involved = _events_by_party(case)
    sources_of: dict[tuple[str, str], set[Any]] = {}
    for kind in ("person", "event"):
        cited = _by_target_code(m.Citation.objects.filter(case=case), kind)
        for target, source in cited.values_list("target_code", "source__code"):
            sources_of.setdefault((kind, target), set()).add(source)
    names_of: dict[str, list[str]] = {}
    named = _by_target_code(m.NameVariant.objects.filter(case=case), "person")
    for target, text in named.order_by("position").values_list("target_code", "text"):
        names_of.setdefault(target, []).append(text)
    persons = []
    for person in m.Person.objects.filter(case=case).select_related("residence").order_by("code"):
        if not can_see(audience, person.confidentiality) or person.review_state == "retracted":
            continue
        events = list(subject.get(person.code, []))
        _with_death(events, person.code, person.deceased, person.death_date)
        sources: set[Any] = set(sources_of.get(("person", person.code), set()))
        for event_code in involved.get(person.code, set()):
            sources |= sources_of.get(("event", event_code), set())
        names = tuple(dict.fromkeys([person.name, *names_of.get(person.code, [])]))
        persons.append((person, events, len(sources), names))
    return Subjects(persons, _groups(case, audience, group_subject))


def _groups(
    case: m.Case, audience: str, group_subject: dict[str, list[StatusEvent]]
) -> list[tuple[m.Group, list[StatusEvent]]]:
    from docket.core.audience import can_see

    return [
        (group, list(group_subject.get(group.code, [])))
        for group in m.Group.objects.filter(case=case).order_by("code")
        if can_see(audience, group.confidentiality) and group.review_state != "retracted"
    ]


@dataclass(frozen=True)
class PlaceFacts:
    code: str
    name: str
    confidentiality: str


@dataclass(frozen=True)
class PersonFacts:
    """A person as plain values: what lists and counts over every person need of them."""

    code: str
    name: str
    sex: str
    ethnicity: str
    citizenship: str
    birth_date: str
    consent: str
    pseudonym: str
    consent_withdrawn: str
    deceased: bool
    death_date: str
    confidentiality: str
    residence: PlaceFacts | None

    def shown_name(self, audience: str, lang: str = "en") -> str:
        """The name an output for ``audience`` may show — as ``Person.shown_name``."""
        return m.person_shown_name(self, audience, lang)


PERSON_FACTS = (
    "code",
    "name",
    "sex",
    "ethnicity",
    "citizenship",
    "birth_date",
    "consent",
    "pseudonym",
    "consent_withdrawn",
    "deceased",
    "death_date",
    "confidentiality",
)


def status_subjects(case: m.Case, *, audience: str) -> Subjects:
    """``load_subjects`` for pages over every person (the person list, the overview's counts).

    The same persons, groups and events, but each person is a ``PersonFacts`` of plain values
    rather than a model object, and neither the number of sources (0) nor the other names
    (only the recorded one) are read: at 10,000 persons that is most of the time.
    """
    from docket.core.audience import can_see

    subject, group_subject, _ = _events_by_party(case)
    persons = []
    rows = (
        m.Person.objects.filter(case=case)
        .exclude(review_state="retracted")
        .order_by("code")
        .values_list(
            *PERSON_FACTS, "residence__code", "residence__name", "residence__confidentiality"
        )
    )
    for row in rows:
        *values, place_code, place_name, place_conf = row
        residence = PlaceFacts(place_code, place_name, place_conf) if place_code else None
        person = PersonFacts(*values, residence=residence)
        if not can_see(audience, person.confidentiality):
            continue
        events = list(subject.get(person.code, []))
        _with_death(events, person.code, person.deceased, person.death_date)
        persons.append((person, events, 0, (person.name,)))
    return Subjects(persons, _groups(case, audience, group_subject))  # type: ignore[arg-type]


def person_events(case: m.Case, person: m.Person) -> list[StatusEvent]:
    """The events that happen to one person (and their recorded death), for their status."""
    subject, _, _ = _events_by_party(case, person)
    events = list(subject.get(person.code, []))
    _with_death(events, person.code, person.deceased, person.death_date)
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
