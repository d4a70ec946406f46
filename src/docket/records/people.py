"""Reads for the person pages: a filtered list, and one person's dossier, for an audience."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from docket.core import vocab
from docket.core.audience import NAMES_AS_RECORDED, can_see
from docket.core.dates import parse_date
from docket.core.errors import NotFound
from docket.core.status import effective_date, status_as_of
from docket.records import models as m
from docket.records.chronology import timeline
from docket.records.selectors import load_subjects, person_events


def _shown(person: m.Person, audience: str, lang: str) -> str:
    return person.shown_name(audience, lang)


def _named_fully(person: m.Person, audience: str) -> bool:
    """May this audience see the person's real names and identifying details?"""
    return audience in NAMES_AS_RECORDED or (
        person.consent == "full_name" and not person.consent_withdrawn
    )


SORTS = ("code", "name", "custody", "legal_stage", "ethnicity", "birth_date")


def person_list(
    case: m.Case,
    *,
    audience: str,
    lang: str,
    as_of: datetime.date,
    custody: str = "",
    legal_stage: str = "",
    ethnicity: str = "",
    residence: str = "",
    sort: str = "code",
) -> list[dict[str, Any]]:
    """Every person the audience may see, with their status on ``as_of``, filtered and sorted."""
    rows = []
    custody_v, stage_v, eth_v = (
        vocab.vocabulary("custody_states"),
        vocab.vocabulary("legal_stages"),
        vocab.vocabulary("ethnicities"),
    )
    for person, events, sources, _ in load_subjects(case, audience=audience).persons:
        status = status_as_of(events, as_of)
        place = person.residence
        row = {
            "code": person.code,
            "name": _shown(person, audience, lang),
            "birth_date": person.birth_date if _named_fully(person, audience) else "",
            "ethnicity": person.ethnicity,
            "ethnicity_label": eth_v.label(person.ethnicity, lang),
            "residence": place.code if place and can_see(audience, place.confidentiality) else "",
            "residence_name": place.name
            if place and can_see(audience, place.confidentiality)
            else "",
            "custody": status.custody,
            "custody_label": custody_v.label(status.custody, lang),
            "custody_since": parse_date(status.custody_since or "").render(lang)
            if status.custody_since
            else "",
            "legal_stage": status.legal_stage,
            "legal_stage_label": stage_v.label(status.legal_stage, lang),
            "charges": list(status.charges),
            "sources": sources,
        }
        if custody and row["custody"] != custody:
            continue
        if legal_stage and row["legal_stage"] != legal_stage:
            continue
        if ethnicity and row["ethnicity"] != ethnicity:
            continue
        if residence and row["residence"] != residence:
            continue
        rows.append(row)
    key = sort.lstrip("-") if sort.lstrip("-") in SORTS else "code"
    rows.sort(key=lambda r: (str(r[key]).casefold(), r["code"]), reverse=sort.startswith("-"))
    return rows


@dataclass
class Dossier:
    person: m.Person
    name: str
    names: list[dict[str, str]]
    birth_date: str
    details: list[tuple[str, str]]
    status: dict[str, str]
    history: list[dict[str, str]]
    proceedings: list[dict[str, Any]]
    relationships: list[dict[str, str]]
    entries: list[dict[str, Any]]
    footnotes: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def person_dossier(
    case: m.Case, code: str, *, audience: str, lang: str, as_of: datetime.date
) -> Dossier:
    """Everything the audience may see about one person; NotFound if they may not see them."""
    person = m.Person.objects.filter(case=case, code=code).select_related("residence").first()
    if person is None or not can_see(audience, person.confidentiality):
        raise NotFound(f'no person "{code}"')
    full = _named_fully(person, audience)
    events = person_events(case, person)
    custody_v, stage_v = vocab.vocabulary("custody_states"), vocab.vocabulary("legal_stages")
    now = status_as_of(events, as_of)
    history: list[dict[str, str]] = []
    for event in sorted(events, key=lambda e: (effective_date(e), e.code)):
        day = effective_date(event)
        if day > as_of:
            break
        s = status_as_of(events, day)
        row = {
            "date": parse_date(event.date_text).render(lang),
            "code": event.code,
            "custody": custody_v.label(s.custody, lang),
            "legal_stage": stage_v.label(s.legal_stage, lang),
        }
        if not history or (history[-1]["custody"], history[-1]["legal_stage"]) != (
            row["custody"],
            row["legal_stage"],
        ):
            history.append(row)
    names = []
    if full:
        variants = m.NameVariant.objects.filter(target_id=person.pk).order_by("position")
        names = [
            {
                "text": n.text,
                "script": n.script,
                "kind": vocab.vocabulary("name_kinds").label(n.kind, lang),
            }
            for n in variants
        ]
    details: list[tuple[str, str]] = []
    if full:
        details.append(("sex", vocab.vocabulary("sex").label(person.sex, lang)))
    details.append(("ethnicity", vocab.vocabulary("ethnicities").label(person.ethnicity, lang)))
    if full and person.residence and can_see(audience, person.residence.confidentiality):
        details.append(("residence", person.residence.name))
    if full and person.occupation:
        details.append(("occupation", person.occupation))
    proceedings = []
    for proc in m.Proceeding.objects.filter(person=person).order_by("code"):
        if not can_see(audience, proc.confidentiality):
            continue
        steps = []
        for e in proc.events.order_by("date_earliest", "date_latest", "code"):
            if not can_see(audience, e.confidentiality):
                continue
            steps.append(
                {
                    "code": e.code,
                    "date": parse_date(e.date).render(lang),
                    "type": vocab.vocabulary("event_types").label(e.type, lang),
                    "title": e.title,
                    "charges": [
                        f"{c.article}" + (f" ({c.part})" if c.part else "") for c in e.charges.all()
                    ],
                }
            )
        proceedings.append({"code": proc.code, "case_number": proc.case_number, "steps": steps})
    relationships = []
    for rel in person.relationships.select_related("other"):
        other = rel.other
        if can_see(audience, other.confidentiality):
            relationships.append(
                {
                    "type": vocab.vocabulary("relationship_types").label(rel.type, lang),
                    "code": other.code,
                    "name": _shown(other, audience, lang),
                }
            )
    tl = timeline(case, audience=audience, lang=lang, person=code)
    return Dossier(
        person=person,
        name=_shown(person, audience, lang),
        names=names,
        birth_date=parse_date(person.birth_date).render(lang) if full and person.birth_date else "",
        details=details,
        status={
            "custody": custody_v.label(now.custody, lang),
            "custody_code": now.custody,
            "custody_since": parse_date(now.custody_since).render(lang)
            if now.custody_since
            else "",
            "legal_stage": stage_v.label(now.legal_stage, lang),
            "charges": ", ".join(now.charges),
        },
        history=history,
        proceedings=proceedings,
        relationships=relationships,
        entries=tl.entries,
        footnotes=tl.footnotes,
    )
