"""The chronology: events of a case in date order, filtered, with numbered footnotes.

Partial dates sort by their earliest possible day, then their latest (so "February 2020"
comes before "8 February 2020"… only if it can begin earlier), and are shown as written, never
as a made-up exact day. What an audience may not see is left out; people are named only as
their consent allows (``docket.core.audience``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from docket.core import vocab
from docket.core.audience import CLEARANCE, NAMES_AS_RECORDED, can_see, redact, shown_name
from docket.core.dates import parse_date
from docket.core.errors import NotFound, ValidationError
from docket.records import models as m


@dataclass
class Footnotes:
    """Numbers each (source, locator) once, in order of first use."""

    audience: str
    lang: str
    # Names the audience may not see (``name_replacements``): a source's title, publisher or
    # locator can name a witness ("Statement of …") as surely as an event's title can.
    hide: dict[str, str] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    _seen: dict[tuple[Any, str], int] = field(default_factory=dict)

    def cite(self, citation: m.Citation, source: m.Source) -> dict[str, Any]:
        key = (source.pk, citation.locator)
        if key not in self._seen:
            self._seen[key] = len(self.notes) + 1
            self.notes.append(self._note(self._seen[key], citation, source))
        note = self.notes[self._seen[key] - 1]
        # A quote is the source's own words: it can hold a name, a birth date or an address in
        # any spelling, which no redaction can be sure to catch. Only the team reads quotes.
        shown = note["source"] and self.audience in NAMES_AS_RECORDED
        return {**note, "quote": citation.quote if shown else ""}

    def _note(self, number: int, citation: m.Citation, source: m.Source) -> dict[str, Any]:
        hidden = not can_see(self.audience, source.confidentiality) or (
            source.identity_confidential and self.audience in ("public", "partner")
        )
        if hidden:
            withheld = "Источник не раскрывается" if self.lang == "ru" else "Source withheld"
            return {
                "footnote": number,
                "source": "",
                "title": withheld,
                "publisher": "",
                "url": "",
                "locator": "",
                "published": "",
                "accessed": "",
            }
        return {
            "footnote": number,
            "source": source.code,
            "title": redact(source.title, self.hide),
            "publisher": redact(source.publisher, self.hide),
            "url": source.url,
            "locator": redact(citation.locator, self.hide),
            "published": source.published,
            "accessed": source.accessed,
        }


@dataclass
class Timeline:
    case: m.Case
    lang: str
    audience: str
    entries: list[dict[str, Any]]
    footnotes: list[dict[str, Any]]
    filters: dict[str, Any]


def name_replacements(case: m.Case, audience: str, lang: str) -> dict[str, str]:
    """Every spelling of every person an audience may not see named, and what to show instead."""
    withheld = "[имя скрыто]" if lang == "ru" else "[name withheld]"
    persons = m.Person.objects.filter(case=case)
    if audience in NAMES_AS_RECORDED:
        # The team sees names as recorded, except of persons above its clearance.
        persons = persons.exclude(confidentiality__in=CLEARANCE[audience])
        if not persons.exists():
            return {}
    variants: dict[Any, list[str]] = {}
    for target, text in m.NameVariant.objects.filter(
        case=case, target_type="person", target_id__in=persons.values("id")
    ).values_list("target_id", "text"):
        variants.setdefault(target, []).append(text)
    out: dict[str, str] = {}
    for p in persons:
        shown = p.shown_name(audience, lang) if can_see(audience, p.confidentiality) else withheld
        for name in {p.name, *variants.get(p.pk, [])}:
            if name != shown:
                out[name] = shown
    return out


def local_names(case: m.Case, lang: str) -> dict[Any, str]:
    """Each person's name in the script of ``lang``: the first Cyrillic spelling for Russian
    (when the record has one); empty for English, where names are shown as recorded."""
    if lang != "ru":
        return {}
    out: dict[Any, str] = {}
    for target, text in (
        m.NameVariant.objects.filter(case=case, target_type="person", script="Cyrl")
        .order_by("position")
        .values_list("target_id", "text")
    ):
        out.setdefault(target, text)
    return out


# The old private name, kept for callers that use it.
_name_replacements = name_replacements


def _unique(cited: Any) -> list[dict[str, Any]]:
    """One mark per footnote, keeping the first quote from that place in the source."""
    out: dict[int, dict[str, Any]] = {}
    for c in cited:
        out.setdefault(c["footnote"], c)
    return list(out.values())


def _descendants(model: type[m.Place] | type[m.Organization], case: m.Case, code: str) -> set[Any]:
    root = model.objects.filter(case=case, code=code).first()
    if root is None:
        raise NotFound(f'no {model.__name__.lower()} with code "{code}" in case {case.code}')
    parents = dict(model.objects.filter(case=case).values_list("id", "parent_id"))
    found = {root.pk}
    changed = True
    while changed:
        changed = False
        for pk, parent in parents.items():
            if parent in found and pk not in found:
                found.add(pk)
                changed = True
    return found


def _parties(case: m.Case, audience: str, lang: str) -> dict[Any, dict[str, Any]]:
    """Every person, group and organization the audience may see, as a timeline shows them."""
    out: dict[Any, dict[str, Any]] = {}
    people = m.Person.objects.filter(case=case).values_list(
        "id", "code", "name", "consent", "pseudonym", "consent_withdrawn", "confidentiality"
    )
    local = local_names(case, lang)
    for pk, code, name, consent, pseudonym, withdrawn, conf in people:
        if can_see(audience, conf):
            shown = shown_name(
                local.get(pk, name),
                code=code,
                consent=consent,
                audience=audience,
                pseudonym=pseudonym,
                consent_withdrawn=bool(withdrawn),
                lang=lang,
            )
            out[pk] = {"kind": "person", "code": code, "name": shown, "size": None}
    groups = m.Group.objects.filter(case=case).values_list(
        "id", "code", "name", "size", "confidentiality"
    )
    for pk, code, name, size, conf in groups:
        if can_see(audience, conf):
            out[pk] = {"kind": "group", "code": code, "name": name, "size": size}
    orgs = m.Organization.objects.filter(case=case).values_list(
        "id", "code", "name", "confidentiality"
    )
    for pk, code, name, conf in orgs:
        if can_see(audience, conf):
            out[pk] = {"kind": "organization", "code": code, "name": name, "size": None}
    return out


# Below this many events, attached rows are fetched for those events only; above, per case.
_FEW = 500


def timeline(
    case: m.Case,
    *,
    audience: str = "internal",
    lang: str = "en",
    person: str | None = None,
    place: str | None = None,
    organization: str | None = None,
    types: Sequence[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    last: int | None = None,
) -> Timeline:
    """Events of ``case`` in date order, as ``audience`` may see them, in ``lang``."""
    if lang not in ("en", "ru"):
        raise ValidationError(f'unknown language "{lang}"; valid: en, ru')
    qs = m.Event.objects.filter(case=case)
    if person:
        who = m.Person.objects.filter(case=case, code=person).first()
        if who is None:
            raise NotFound(f'no person with code "{person}" in case {case.code}')
        qs = qs.filter(Q(participants__person=who) | Q(proceeding__person=who))
    if place:
        qs = qs.filter(place__in=_descendants(m.Place, case, place))
    if organization:
        qs = qs.filter(
            participants__organization__in=_descendants(m.Organization, case, organization)
        )
    for t in types:
        vocab.check("event_types", t, where="--type")
    if types:
        qs = qs.filter(type__in=list(types))
    if date_from:
        start = parse_date(date_from, where="--from").earliest
        if start:
            qs = qs.filter(date_latest__gte=start)
    if date_to:
        end = parse_date(date_to, where="--to").latest
        if end:
            qs = qs.filter(date_earliest__lte=end)
    events = list(qs.distinct().select_related("place"))
    far = datetime.date.max
    events.sort(key=lambda e: (e.date_earliest or far, e.date_latest or far, e.code))
    if last is not None:
        events = events[-last:]  # e.g. the latest events on an overview
    wanted = {e.pk for e in events}
    few = len(events) < _FEW
    roles = vocab.vocabulary("roles")
    parties = _parties(case, audience, lang)
    participants: dict[Any, list[dict[str, Any]]] = {}
    part_rows = m.Participant.objects.filter(
        **({"event_id__in": wanted} if few else {"event__case": case})
    ).order_by("event_id", "position")
    for event_id, person, group, org, role in part_rows.values_list(
        "event_id", "person_id", "group_id", "organization_id", "role"
    ):
        shown = parties.get(person or group or org)
        if event_id in wanted and shown is not None:
            participants.setdefault(event_id, []).append(
                {"role": role, "role_label": roles.label(role, lang), **shown}
            )
    citations: dict[Any, list[m.Citation]] = {}
    cite_rows = m.Citation.objects.filter(
        **({"target_id__in": wanted} if few else {"case": case, "target_type": "event"})
    ).order_by("position")
    for c in cite_rows:
        if c.target_id in wanted:
            citations.setdefault(c.target_id, []).append(c)
    sources = {s.pk: s for s in m.Source.objects.filter(case=case)}
    hide = name_replacements(case, audience, lang)
    notes = Footnotes(audience, lang, hide=hide)
    types_vocab = vocab.vocabulary("event_types")
    entries = []
    for e in events:
        if not can_see(audience, e.confidentiality) or e.review_state == "retracted":
            continue
        place_obj = e.place if e.place and can_see(audience, e.place.confidentiality) else None
        entries.append(
            {
                "code": e.code,
                "type": e.type,
                "type_label": types_vocab.label(e.type, lang),
                "date": e.date,
                "date_text": parse_date(e.date).render(lang),
                "title": redact(e.title, hide),
                "description": redact(e.description, hide),
                "place": place_obj.name if place_obj else None,
                "place_code": place_obj.code if place_obj else None,
                "participants": participants.get(e.pk, []),
                "sources": _unique(
                    notes.cite(c, sources[c.source_id]) for c in citations.get(e.pk, [])
                ),
            }
        )
    filters = {
        "person": person,
        "place": place,
        "organization": organization,
        "types": list(types),
        "from": date_from,
        "to": date_to,
    }
    return Timeline(
        case, lang, audience, entries, notes.notes, {k: v for k, v in filters.items() if v}
    )
