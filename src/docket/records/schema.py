"""What each bundle file holds: one declarative table drives validation, loading and export.

A ``Kind`` names a bundle file, its model and its fields; a ``Field`` says how a value is
read (``str``, ``vocab``, ``date``, ``ref``…). Collections that hang off a record (names,
citations, participants…) are listed in ``children`` and handled in ``bundle.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docket.records import models as m


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # str, text, vocab, date, ref, bool, int, number, json, lang, country
    vocab: str = ""
    ref: str = ""  # kind name a ref points to
    required: bool = False
    default: Any = ""


def _s(name: str, *, required: bool = False) -> Field:
    return Field(name, "str", required=required)


def _v(name: str, vocab: str, *, required: bool = False, default: str = "") -> Field:
    return Field(name, "vocab", vocab=vocab, required=required, default=default)


def _d(name: str) -> Field:
    return Field(name, "date")


def _r(name: str, ref: str, *, required: bool = False) -> Field:
    return Field(name, "ref", ref=ref, required=required, default=None)


@dataclass(frozen=True)
class Kind:
    name: str
    file: str
    prefix: str
    model: type[m.Record]
    fields: tuple[Field, ...]
    children: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


COMMON = ("code", "id", "confidentiality", "review_state", "notes", "citations")

KINDS: tuple[Kind, ...] = (
    Kind(
        "source",
        "sources.yaml",
        "S-",
        m.Source,
        (
            _v("kind", "source_kinds", required=True),
            _s("title", required=True),
            _s("publisher"),
            _s("author"),
            Field("url", "url"),
            Field("language", "lang"),
            _d("published"),
            _d("accessed"),
            _v("reliability", "reliability"),
            _v("credibility", "credibility"),
            Field("identity_confidential", "bool", default=False),
        ),
    ),
    Kind(
        "place",
        "places.yaml",
        "PL-",
        m.Place,
        (
            _v("kind", "place_kinds", required=True),
            _s("name", required=True),
            _r("parent", "place"),
            Field("latitude", "number", default=None),
            Field("longitude", "number", default=None),
        ),
        ("names",),
    ),
    Kind(
        "organization",
        "organizations.yaml",
        "O-",
        m.Organization,
        (
            _v("kind", "organization_kinds", required=True),
            _s("name", required=True),
            _r("parent", "organization"),
            _r("place", "place"),
        ),
        ("names",),
    ),
    Kind(
        "person",
        "persons.yaml",
        "P-",
        m.Person,
        (
            _s("name", required=True),
            _v("sex", "sex", default="unknown"),
            _d("birth_date"),
            _v("ethnicity", "ethnicities", default="unknown"),
            Field("citizenship", "country"),
            _r("residence", "place"),
            _s("occupation"),
            # Restricted: only the restricted audience (admins) sees these two
            # (docket.core.audience.RESTRICTED_FIELDS).
            Field("contact", "text"),
            _s("identity_document"),
            _v("consent", "consent", default="anonymous"),
            _s("pseudonym"),
            _d("consent_withdrawn"),
            Field("deceased", "bool", default=False),
            _d("death_date"),
        ),
        ("names", "relationships"),
    ),
    Kind(
        "group",
        "groups.yaml",
        "G-",
        m.Group,
        (
            _s("name", required=True),
            Field("size", "int", default=None),
            Field("size_low", "int", default=None),
            Field("size_high", "int", default=None),
            Field("attributes", "json", default=None),
        ),
    ),
    Kind(
        "proceeding",
        "proceedings.yaml",
        "PR-",
        m.Proceeding,
        (_r("person", "person", required=True), _s("case_number"), Field("description", "text")),
    ),
    Kind(
        "event",
        "events.yaml",
        "E-",
        m.Event,
        (
            _v("type", "event_types", required=True),
            _d("date"),
            _r("place", "place"),
            _s("title", required=True),
            Field("description", "text"),
            _r("proceeding", "proceeding"),
            Field("details", "json", default=None),
        ),
        ("charges", "participants"),
    ),
    Kind(
        "figure",
        "figures.yaml",
        "F-",
        m.Figure,
        (
            _v("kind", "figure_kinds", required=True),
            Field("value", "number", required=True, default=None),
            _d("as_of"),
            _v("counts", "figure_counts", default="total"),
            Field("filter", "json", default=None),
            Field("statement", "text", required=True),
        ),
    ),
    Kind(
        "damage",
        "damages.yaml",
        "D-",
        m.Damage,
        (
            _r("owner_person", "person"),
            _r("owner_group", "group"),
            _r("owner_organization", "organization"),
            _s("owner"),
            _r("place", "place"),
            _v("agreement", "agreement_states", default="unknown"),
            _d("as_of"),
        ),
        ("items", "pressure_events"),
    ),
    Kind(
        "intervention",
        "interventions.yaml",
        "I-",
        m.Intervention,
        (
            _v("kind", "intervention_kinds", required=True),
            _d("date"),
            _r("addressee", "organization"),
            _s("reference"),
            _s("subject", required=True),
            _v("status", "intervention_statuses", default="draft"),
            Field("response", "text"),
            _d("response_date"),
        ),
        ("senders", "concerning"),
    ),
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_FILE: dict[str, Kind] = {k.file: k for k in KINDS}
BY_MODEL: dict[type[m.Record], Kind] = {k.model: k for k in KINDS}
