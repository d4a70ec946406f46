"""What each advocacy document says: plain data gathered from the record for one profile.

A document is built in two steps. Here, the facts are read for a publication profile
(``PROFILES``: which audience of ``docket.core.audience`` the output is for) and turned into
plain dicts and lists: names as consent allows, free text with hidden names replaced, records
the profile may not see left out. Then a template (``docket.reports.render``) lays them out;
the templates never see a model object, so editing one cannot leak what the profile hides.

Counts (persons by custody, by legal stage) are of the whole record: a person the profile may
not name is still counted, never listed, and the document says how many are not listed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from docket.core import vocab
from docket.core.audience import NAMES_AS_RECORDED, can_see, field_visible, redact
from docket.core.dates import parse_date
from docket.core.errors import NotFound, ValidationError
from docket.core.status import status_as_of
from docket.records import models as m
from docket.records.chronology import Footnotes, local_names, name_replacements, timeline
from docket.records.selectors import load_subjects, person_events

# A publication profile is the audience an output is made for.
PROFILES = {"public": "public", "partner": "partner", "internal": "internal"}
KINDS = ("appeal", "chronology", "dossier", "communication", "victims")
LANGS = ("en", "ru")

# Custody states that mean a person is held or restricted by the state.
HELD = ("detained", "pretrial_detention", "house_arrest", "imprisoned")


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValidationError(f'unknown profile "{profile}"; valid: {", ".join(PROFILES)}')
    return PROFILES[profile]


def dotted(text: str, lang: str) -> str:
    """A date in the local DD.MM.YYYY form where its precision allows, else as words."""
    d = parse_date(text)
    if d.earliest is None:
        return ""
    if d.precision == "day" and d.earliest == d.latest:
        return d.earliest.strftime("%d.%m.%Y")
    if d.precision == "month":
        return d.earliest.strftime("%m.%Y")
    if d.precision == "year":
        return str(d.earliest.year)
    return d.render(lang)


def age_on(birth: str, day: datetime.date) -> int | None:
    """Age in whole years on ``day``, when the birth date pins it down."""
    d = parse_date(birth)
    if d.earliest is None or d.latest is None:
        return None
    ages = {
        day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        for b in (d.earliest, d.latest)
    }
    return ages.pop() if len(ages) == 1 else None


@dataclass
class Reader:
    """Reads one case for one profile and language; shared by every document builder."""

    case: m.Case
    profile: str
    lang: str
    audience: str = ""
    _hide: dict[str, str] | None = None
    _sources: dict[Any, m.Source] = field(default_factory=dict)
    _local: dict[Any, str] | None = None

    def __post_init__(self) -> None:
        self.audience = check_profile(self.profile)
        if self.lang not in LANGS:
            raise ValidationError(f'unknown language "{self.lang}"; valid: en, ru')
        self._sources = {s.pk: s for s in m.Source.objects.filter(case=self.case)}

    @property
    def team(self) -> bool:
        return self.audience in NAMES_AS_RECORDED

    def sees(self, record: Any) -> bool:
        return (
            record is not None
            and can_see(self.audience, record.confidentiality)
            and record.review_state != "retracted"
        )

    def text(self, value: str) -> str:
        """Free text with every name the profile may not show replaced."""
        if self._hide is None:
            self._hide = name_replacements(self.case, self.audience, self.lang)
        return redact(value, self._hide)

    def local_names(self) -> dict[Any, str]:
        """Each person's name in the document's script: a Cyrillic spelling for Russian."""
        if self._local is None:
            self._local = local_names(self.case, self.lang)
        return self._local

    def name(self, person: m.Person | None) -> str:
        if person is None:
            return ""
        if not self.sees(person):
            return "[имя скрыто]" if self.lang == "ru" else "[name withheld]"
        local = self.local_names().get(person.pk)
        if local:
            original, person.name = person.name, local
            try:
                return person.shown_name(self.audience, self.lang)
            finally:
                person.name = original
        return person.shown_name(self.audience, self.lang)

    def named_fully(self, person: m.Person) -> bool:
        return self.team or (person.consent == "full_name" and not person.consent_withdrawn)

    def label(self, vocabulary: str, code: str) -> str:
        return vocab.vocabulary(vocabulary).label(code, self.lang) if code else ""

    def article(self, code: str, *, named: bool = True) -> str:
        """ "KZ-CC-2014:380" -> "Art. 380 (Use of violence against a representative...)"."""
        articles = vocab.vocabulary("articles")
        if code not in articles:
            return code
        term = articles.term(code)
        number = f"{'ст.' if self.lang == 'ru' else 'Art.'} {term.extra.get('article', code)}"
        return f"{number} ({term.label(self.lang)})" if named else number

    def articles(self, codes: Iterable[str], *, named: bool = False) -> str:
        return ", ".join(self.article(c, named=named) for c in codes)

    def date(self, text: str) -> str:
        return parse_date(text).render(self.lang) if text else ""

    def notes(self, target_ids: Iterable[Any]) -> dict[Any, list[dict[str, Any]]]:
        """The citations of each record, as footnote texts the profile may show."""
        ids = list(target_ids)
        out: dict[Any, list[dict[str, Any]]] = {}
        if self._hide is None:
            self._hide = name_replacements(self.case, self.audience, self.lang)
        cite = Footnotes(self.audience, self.lang, hide=self._hide)
        rows = m.Citation.objects.filter(case=self.case, target_id__in=ids).order_by(
            "target_id", "position"
        )
        if len(ids) > 500:
            wanted = set(ids)
            rows = m.Citation.objects.filter(case=self.case).order_by("target_id", "position")
        else:
            wanted = None
        for c in rows:
            if wanted is not None and c.target_id not in wanted:
                continue
            if c.field and not field_visible(self.audience, c.target_type, c.field):
                continue  # a citation of a restricted field (a contact): admins only
            source = self._sources[c.source_id]
            out.setdefault(c.target_id, []).append(cite.cite(c, source))
        return out


def _summary(reader: Reader, as_of: datetime.date) -> dict[str, Any]:
    """Persons by custody, legal stage and ethnicity on ``as_of``, counting every person."""
    everyone = load_subjects(reader.case, audience="restricted").persons
    custody: Counter[str] = Counter()
    stage: Counter[str] = Counter()
    held_by_ethnicity: Counter[str] = Counter()
    prosecuted_by_ethnicity: Counter[str] = Counter()
    statuses = {}
    for person, events, _sources, _names in everyone:
        s = status_as_of(events, as_of)
        statuses[person.pk] = s
        custody[s.custody] += 1
        stage[s.legal_stage] += 1
        if s.custody in HELD:
            held_by_ethnicity[person.ethnicity] += 1
        if s.legal_stage not in ("none",):
            prosecuted_by_ethnicity[person.ethnicity] += 1
    held = sum(custody[c] for c in HELD)
    return {
        "persons": len(everyone),
        "held": held,
        "custody": [
            {"code": c, "label": reader.label("custody_states", c), "count": n}
            for c, n in sorted(custody.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "legal_stage": [
            {"code": c, "label": reader.label("legal_stages", c), "count": n}
            for c, n in sorted(stage.items(), key=lambda kv: (-kv[1], kv[0]))
            if c != "none"
        ],
        "held_by_ethnicity": [
            {"label": reader.label("ethnicities", e), "count": n}
            for e, n in sorted(held_by_ethnicity.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "prosecuted_by_ethnicity": [
            {"label": reader.label("ethnicities", e), "count": n}
            for e, n in sorted(prosecuted_by_ethnicity.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "_statuses": statuses,
        "_everyone": everyone,
    }


def _figures(reader: Reader, as_of: datetime.date) -> list[dict[str, Any]]:
    figures = [
        f
        for f in m.Figure.objects.filter(case=reader.case).order_by("as_of_latest", "code")
        if reader.sees(f) and (f.as_of_latest is None or f.as_of_latest <= as_of)
    ]
    notes = reader.notes(f.pk for f in figures)
    return [
        {
            "code": f.code,
            "kind": reader.label("figure_kinds", f.kind),
            "value": int(f.value) if f.value == int(f.value) else f.value,
            "as_of": reader.date(f.as_of),
            "statement": reader.text(f.statement),
            "notes": notes.get(f.pk, []),
        }
        for f in figures
    ]


def _persons(reader: Reader, summary: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The persons the profile may list, with status; and how many are counted but not listed."""
    listed = [p for p, *_ in summary["_everyone"] if reader.sees(p)]
    notes = reader.notes(p.pk for p in listed)
    rows = []
    for person in listed:
        s = summary["_statuses"][person.pk]
        full = reader.named_fully(person)
        rows.append(
            {
                "code": person.code,
                "name": reader.name(person),
                "birth_date": dotted(person.birth_date, reader.lang) if full else "",
                "ethnicity": reader.label("ethnicities", person.ethnicity),
                "custody": reader.label("custody_states", s.custody),
                "custody_since": reader.date(s.custody_since or ""),
                "legal_stage": reader.label("legal_stages", s.legal_stage),
                "charges": reader.articles(s.charges),
                "notes": notes.get(person.pk, []),
            }
        )
    return rows, len(summary["_everyone"]) - len(listed)


def _chronology(reader: Reader, **filters: Any) -> list[dict[str, Any]]:
    tl = timeline(reader.case, audience=reader.audience, lang=reader.lang, **filters)
    return [
        {
            **e,
            "parties": [
                f"{p['name']} ({p['role_label'].lower()})"
                for p in e["participants"]
                if p["kind"] != "organization" or p["role"] != "addressee"
            ],
            "notes": e["sources"],
        }
        for e in tl.entries
    ]


def _owner(reader: Reader, d: m.Damage) -> str:
    if d.owner_person_id:
        return reader.name(d.owner_person)
    for other in (d.owner_group, d.owner_organization):
        if other is not None:
            return other.name if reader.sees(other) else ""
    return reader.text(d.owner)


def _money(amount: Any, currency: str) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f} {currency}".replace(",", "\u202f").strip()


def _damages(reader: Reader, as_of: datetime.date | None) -> list[dict[str, Any]]:
    damages = [
        d
        for d in m.Damage.objects.filter(case=reader.case)
        .select_related("owner_person", "owner_group", "owner_organization", "place")
        .prefetch_related("items", "pressure_events")
        .order_by("code")
        if reader.sees(d)
    ]
    notes = reader.notes(d.pk for d in damages)
    out = []
    for d in damages:
        items = [
            {
                "kind": reader.label("damage_kinds", i.kind),
                "description": reader.text(i.description),
                "assessed": _money(i.assessed_amount, i.assessed_currency),
                "claimed": _money(i.claimed_amount, i.claimed_currency),
                "offered": _money(i.offered_amount, i.offered_currency),
                "paid": _money(i.paid_amount, i.paid_currency),
            }
            for i in d.items.all()
        ]
        pressure = [
            f"{reader.date(e.date)}: {reader.text(e.title)}"
            for e in d.pressure_events.all()
            if reader.sees(e)
        ]
        out.append(
            {
                "code": d.code,
                "owner": _owner(reader, d),
                "place": d.place.name if d.place and reader.sees(d.place) else "",
                "agreement": reader.label("agreement_states", d.agreement),
                "as_of": reader.date(d.as_of),
                "items": items,
                "pressure": pressure,
                "notes": notes.get(d.pk, []),
                "text": reader.text(d.notes) if reader.team else "",
            }
        )
    return out


def _interventions(
    reader: Reader, *, concerning: m.Person | None = None, as_of: datetime.date | None = None
) -> list[dict[str, Any]]:
    qs = (
        m.Intervention.objects.filter(case=reader.case)
        .select_related("addressee")
        .prefetch_related("senders__person", "senders__group", "senders__organization")
        .order_by("code")
    )
    if concerning is not None:
        # Those that concern this person, and those made for everyone (concerning nobody).
        qs = qs.filter(Q(concerning=concerning) | Q(concerning=None)).distinct()
    found = [i for i in qs if reader.sees(i)]
    if as_of is not None:
        found = [i for i in found if not i.date or (parse_date(i.date).earliest or as_of) <= as_of]
    notes = reader.notes(i.pk for i in found)
    out = []
    for i in found:
        senders = []
        for s in i.senders.all():
            if s.person_id:
                senders.append(reader.name(s.person))
            elif reader.sees(s.party):
                senders.append(s.party.name)
        out.append(
            {
                "code": i.code,
                "kind": reader.label("intervention_kinds", i.kind),
                "date": reader.date(i.date),
                "addressee": i.addressee.name if i.addressee and reader.sees(i.addressee) else "",
                "subject": reader.text(i.subject),
                "senders": senders,
                "status": reader.label("intervention_statuses", i.status),
                "response": reader.text(i.response),
                "response_date": reader.date(i.response_date),
                "reference": i.reference,
                "notes": notes.get(i.pk, []),
            }
        )
    return out


def case_title(case: m.Case, lang: str) -> str:
    return str(case.title.get(lang) or case.title.get("en") or case.code)


def _requests(text: str) -> list[str]:
    """The requests typed by the user: one per paragraph (blank-line separated)."""
    paras = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in paras if p]


def appeal(
    case: m.Case, *, profile: str, lang: str, as_of: datetime.date, requests: str = ""
) -> dict[str, Any]:
    """The appeal: summary figures as of a date, chronology, persons, compensation, requests."""
    reader = Reader(case, profile, lang)
    summary = _summary(reader, as_of)
    persons, unlisted = _persons(reader, summary)
    return {
        "title": case_title(case, lang),
        "description": str(case.description.get(lang) or case.description.get("en") or ""),
        "as_of": parse_date(as_of.isoformat()).render(lang),
        "summary": {k: v for k, v in summary.items() if not k.startswith("_")},
        "figures": _figures(reader, as_of),
        "chronology": _chronology(reader, date_to=as_of.isoformat()),
        "persons": persons,
        "unlisted": unlisted,
        "damages": _damages(reader, as_of),
        "interventions": _interventions(reader, as_of=as_of),
        "requests": _requests(requests),
    }


def chronology(
    case: m.Case,
    *,
    profile: str,
    lang: str,
    person: str | None = None,
    place: str | None = None,
    as_of: datetime.date | None = None,
) -> dict[str, Any]:
    """A chronology of the case, or of one place or one person."""
    reader = Reader(case, profile, lang)
    subject = case_title(case, lang)
    if person:
        who = _person(reader, person)
        subject = reader.name(who)
    if place:
        where = m.Place.objects.filter(case=case, code=place).first()
        if where is None or not reader.sees(where):
            raise NotFound(f'no place with code "{place}" in case {case.code}')
        subject = where.name
    entries = _chronology(
        reader, person=person, place=place, date_to=as_of.isoformat() if as_of else None
    )
    return {
        "title": case_title(case, lang),
        "subject": subject,
        "as_of": parse_date(as_of.isoformat()).render(lang) if as_of else "",
        "chronology": entries,
    }


def _person(reader: Reader, code: str) -> m.Person:
    person = (
        m.Person.objects.filter(case=reader.case, code=code).select_related("residence").first()
    )
    if person is None or not reader.sees(person):
        raise NotFound(
            f'no person with code "{code}" in case {reader.case.code} '
            f"that the {reader.profile} profile may show"
        )
    return person


def _identity(reader: Reader, person: m.Person, as_of: datetime.date) -> dict[str, Any]:
    """Who the person is, as the profile may show it; "" where the record has nothing."""
    full = reader.named_fully(person)
    variants = list(
        m.NameVariant.objects.filter(target_id=person.pk).order_by("position")
        if full
        else m.NameVariant.objects.none()
    )
    cyrillic = next((v.text for v in variants if v.script == "Cyrl"), "")
    latin = next((v.text for v in variants if v.script == "Latn"), "")
    if full and not latin and person.name.isascii():
        latin = person.name
    age = age_on(person.birth_date, as_of) if full and person.birth_date else None
    residence = person.residence
    return {
        "code": person.code,
        "name": reader.name(person),
        "name_cyrillic": cyrillic,
        "name_latin": latin,
        "names": [{"text": v.text, "script": v.script} for v in variants],
        "sex": reader.label("sex", person.sex) if full and person.sex != "unknown" else "",
        "birth_date": dotted(person.birth_date, reader.lang) if full else "",
        "age": age,
        "ethnicity": reader.label("ethnicities", person.ethnicity)
        if person.ethnicity != "unknown"
        else "",
        "residence": residence.name if full and residence and reader.sees(residence) else "",
        "occupation": person.occupation if full else "",
        "consent": reader.label("consent", person.consent),
        "consent_withdrawn": reader.date(person.consent_withdrawn),
        "deceased": person.deceased,
        "death_date": reader.date(person.death_date),
    }


def _status(reader: Reader, person: m.Person, as_of: datetime.date) -> dict[str, Any]:
    events = person_events(reader.case, person)
    now = status_as_of(events, as_of)
    where = ""
    if now.events:
        last = (
            m.Event.objects.filter(case=reader.case, code=now.events[-1])
            .select_related("place")
            .first()
        )
        if last and last.place and reader.sees(last) and reader.sees(last.place):
            where = last.place.name
    history = []
    previous: tuple[str, str] | None = None
    for e in sorted(events, key=lambda e: (e.latest, e.code)):
        if e.latest > as_of:
            break
        s = status_as_of(events, e.latest)
        pair = (s.custody, s.legal_stage)
        if pair != previous:
            history.append(
                {
                    "date": reader.date(e.date_text),
                    "custody": reader.label("custody_states", s.custody),
                    "legal_stage": reader.label("legal_stages", s.legal_stage),
                }
            )
            previous = pair
    return {
        "custody": reader.label("custody_states", now.custody),
        "custody_since": reader.date(now.custody_since or ""),
        "legal_stage": reader.label("legal_stages", now.legal_stage),
        "legal_stage_since": reader.date(now.legal_stage_since or ""),
        "charges": reader.articles(now.charges, named=True),
        "whereabouts": where,
        "history": history,
    }


def _proceedings(reader: Reader, person: m.Person) -> list[dict[str, Any]]:
    out = []
    for proc in m.Proceeding.objects.filter(person=person).order_by("code"):
        if not reader.sees(proc):
            continue
        steps = [e for e in proc.events.order_by("date_earliest", "code") if reader.sees(e)]
        notes = reader.notes(e.pk for e in steps)
        out.append(
            {
                "code": proc.code,
                "case_number": proc.case_number,
                "description": reader.text(proc.description),
                "steps": [
                    {
                        "date": reader.date(e.date),
                        "type": reader.label("event_types", e.type),
                        "title": reader.text(e.title),
                        "charges": [
                            reader.article(c.article, named=True)
                            + (
                                f", {'ч.' if reader.lang == 'ru' else 'part'} {c.part}"
                                if c.part
                                else ""
                            )
                            for c in e.charges.all()
                        ],
                        "notes": notes.get(e.pk, []),
                    }
                    for e in steps
                ],
            }
        )
    return out


def dossier(
    case: m.Case, *, profile: str, lang: str, person: str, as_of: datetime.date
) -> dict[str, Any]:
    """Everything about one person, for a few printable pages with a signature line."""
    reader = Reader(case, profile, lang)
    who = _person(reader, person)
    relationships = []
    for rel in who.relationships.select_related("other"):
        if reader.sees(rel.other):
            relationships.append(
                {
                    "type": reader.label("relationship_types", rel.type),
                    "name": reader.name(rel.other),
                }
            )
    return {
        "title": case_title(case, lang),
        "as_of": parse_date(as_of.isoformat()).render(lang),
        "person": _identity(reader, who, as_of),
        "person_notes": reader.notes([who.pk]).get(who.pk, []),
        "status": _status(reader, who, as_of),
        "proceedings": _proceedings(reader, who),
        "relationships": relationships,
        "chronology": _chronology(reader, person=person, date_to=as_of.isoformat()),
        "interventions": _interventions(reader, concerning=who, as_of=as_of),
    }


def communication(
    case: m.Case,
    *,
    profile: str,
    lang: str,
    person: str,
    as_of: datetime.date,
    requests: str = "",
    submitter: str = "",
) -> dict[str, Any]:
    """A communication to UN special procedures about one person, with every field OHCHR asks.

    The submitting organization is kept confidential: it is named only in an internal
    output, and then marked as not for transmission to the State.
    """
    reader = Reader(case, profile, lang)
    who = _person(reader, person)
    violations = []
    perpetrators: dict[str, str] = {}
    chronology_entries = _chronology(reader, person=person, date_to=as_of.isoformat())
    subject_events = (
        m.Event.objects.filter(
            case=case, participants__person=who, participants__role__in=("victim", "defendant")
        )
        .select_related("place")
        .distinct()
    )
    subject_codes = {e.code for e in subject_events}
    for e in chronology_entries:
        if e["code"] not in subject_codes:
            continue
        violations.append(
            {
                "date": e["date_text"],
                "place": e["place"] or "",
                "type": e["type_label"],
                "notes": e["notes"],
            }
        )
        for p in e["participants"]:
            if p["role"] in ("perpetrator", "official"):
                perpetrators.setdefault(p["name"], p["role_label"])
    submitting = ""
    if submitter:
        org = m.Organization.objects.filter(case=case, code=submitter).first()
        if org is None:
            raise NotFound(f'no organization with code "{submitter}" in case {case.code}')
        submitting = org.name
    return {
        "title": case_title(case, lang),
        "as_of": parse_date(as_of.isoformat()).render(lang),
        "submitter": submitting if reader.team else "",
        "submitter_withheld": bool(submitting) and not reader.team,
        "person": _identity(reader, who, as_of),
        "person_notes": reader.notes([who.pk]).get(who.pk, []),
        "status": _status(reader, who, as_of),
        "violations": violations,
        "chronology": chronology_entries,
        "perpetrators": [{"name": n, "function": f} for n, f in perpetrators.items()],
        "proceedings": _proceedings(reader, who),
        "interventions": _interventions(reader, concerning=who, as_of=as_of),
        "requests": _requests(requests),
    }
