"""Reads for the person pages: a filtered list, and one person's dossier, for an audience."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from docket.core import vocab
from docket.core.audience import NAMES_AS_RECORDED, can_see, field_visible, redact
from docket.core.dates import parse_date
from docket.core.errors import NotFound
from docket.core.status import effective_date, status_as_of
from docket.records import models as m
from docket.records.chronology import name_replacements, timeline
from docket.records.selectors import PersonFacts, person_events, status_subjects


def _shown(person: m.Person | PersonFacts, audience: str, lang: str) -> str:
    return person.shown_name(audience, lang)


def _named_fully(person: m.Person | PersonFacts, audience: str) -> bool:
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
    """Every person the audience may see, with their status on ``as_of``, filtered and sorted.

    Persons are read as plain values (``status_subjects``), each status is derived once, and
    what only a shown row needs is computed once per distinct value (dates repeat a lot).
    """
    rows = []
    custody_v, stage_v, eth_v = (
        vocab.vocabulary("custody_states"),
        vocab.vocabulary("legal_stages"),
        vocab.vocabulary("ethnicities"),
    )
    labels: dict[tuple[int, str], str] = {}

    def label(voc: Any, code: str) -> str:
        key = (id(voc), code)
        if key not in labels:
            labels[key] = voc.label(code, lang)
        return labels[key]

    rendered: dict[str, str] = {}

    def render(text: str | None) -> str:
        if not text:
            return ""
        if text not in rendered:
            rendered[text] = parse_date(text).render(lang)
        return rendered[text]

    for person, events, _, _ in status_subjects(case, audience=audience).persons:
        if ethnicity and person.ethnicity != ethnicity:
            continue
        place = person.residence
        seen_place = place is not None and can_see(audience, place.confidentiality)
        if residence and (place.code if seen_place else "") != residence:  # type: ignore[union-attr]
            continue
        status = status_as_of(events, as_of)
        if custody and status.custody != custody:
            continue
        if legal_stage and status.legal_stage != legal_stage:
            continue
        rows.append(
            {
                "code": person.code,
                "name": _shown(person, audience, lang),
                "birth_date": person.birth_date if _named_fully(person, audience) else "",
                "ethnicity": person.ethnicity,
                "ethnicity_label": label(eth_v, person.ethnicity),
                "residence": place.code if seen_place else "",  # type: ignore[union-attr]
                "residence_name": place.name if seen_place else "",  # type: ignore[union-attr]
                "custody": status.custody,
                "custody_label": label(custody_v, status.custody),
                "custody_since": render(status.custody_since),
                "legal_stage": status.legal_stage,
                "legal_stage_label": label(stage_v, status.legal_stage),
                "charges": list(status.charges),
            }
        )
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
    # Restricted fields: for admins only (docket.core.audience.RESTRICTED_FIELDS).
    for key in ("contact", "identity_document"):
        if getattr(person, key) and field_visible(audience, "person", key):
            details.append((key, getattr(person, key)))
    proceedings = []
    hide = name_replacements(case, audience, lang)  # a step's title names people, as any event's
    for proc in m.Proceeding.objects.filter(person=person).order_by("code"):
        if not can_see(audience, proc.confidentiality):
            continue
        steps = []
        steps_qs = proc.events.order_by("date_earliest", "date_latest", "code")
        for e in steps_qs.prefetch_related("charges"):  # not one query per step
            if not can_see(audience, e.confidentiality):
                continue
            steps.append(
                {
                    "code": e.code,
                    "date": parse_date(e.date).render(lang),
                    "type": vocab.vocabulary("event_types").label(e.type, lang),
                    "title": redact(e.title, hide),
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
