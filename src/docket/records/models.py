"""The case record as tables.

Every fact-bearing record (source, place, organization, person, group, proceeding, event,
reported figure, damage, intervention) is a ``Record``: UUID, human code unique in its case,
confidentiality, review state, notes, who created/changed it and when. Names and citations
attach to any record by (target_type, target_id), so one mechanism serves every kind.
Partial dates are kept as canonical text plus sortable earliest/latest bounds and precision
(see ``docket.core.dates``). Vocabulary terms are stored as their codes; ``VOCAB`` on each
model says which vocabulary a field draws from.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

NAMESPACE = uuid.UUID("6f1d2f0e-4b8a-5c55-9d0e-6b8e8d3b7a21")


def derived_id(case_code: str, kind: str, code: str) -> uuid.UUID:
    """The id a record gets when its bundle does not name one: stable across databases."""
    return uuid.uuid5(NAMESPACE, f"{case_code}:{kind}:{code}")


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=60, unique=True)
    title = models.JSONField(default=dict, blank=True)
    description = models.JSONField(default=dict, blank=True)
    defaults = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return str(self.title.get("en") or self.code)


class Record(models.Model):
    VOCAB: ClassVar[dict[str, str]] = {}
    KIND: ClassVar[str] = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40)
    confidentiality = models.CharField(max_length=20, default="internal")
    review_state = models.CharField(max_length=20, default="draft")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.CharField(max_length=150, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["code"]
        constraints: ClassVar[list[models.BaseConstraint]] = []

    def __str__(self) -> str:
        label = getattr(self, "name", "") or getattr(self, "title", "")
        return f"{self.code} {label}".strip()


def _unique_code(name: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(fields=["case", "code"], name=f"{name}_unique_code")]


class Source(Record):
    KIND = "source"
    VOCAB: ClassVar[dict[str, str]] = {
        "kind": "source_kinds",
        "reliability": "reliability",
        "credibility": "credibility",
    }
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=10, blank=True)
    published = models.CharField(max_length=60, blank=True)
    accessed = models.CharField(max_length=60, blank=True)
    reliability = models.CharField(max_length=2, blank=True)
    credibility = models.CharField(max_length=2, blank=True)
    identity_confidential = models.BooleanField(default=False)

    class Meta(Record.Meta):
        constraints = _unique_code("source")


class Place(Record):
    KIND = "place"
    VOCAB: ClassVar[dict[str, str]] = {"kind": "place_kinds"}
    kind = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("place")


class Organization(Record):
    KIND = "organization"
    VOCAB: ClassVar[dict[str, str]] = {"kind": "organization_kinds"}
    kind = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)

    class Meta(Record.Meta):
        constraints = _unique_code("organization")


class Person(Record):
    KIND = "person"
    VOCAB: ClassVar[dict[str, str]] = {
        "sex": "sex",
        "ethnicity": "ethnicities",
        "consent": "consent",
    }
    name = models.CharField(max_length=300)
    sex = models.CharField(max_length=20, default="unknown")
    birth_date = models.CharField(max_length=60, blank=True)
    birth_date_earliest = models.DateField(null=True, blank=True, editable=False)
    birth_date_latest = models.DateField(null=True, blank=True, editable=False)
    ethnicity = models.CharField(max_length=40, default="unknown")
    citizenship = models.CharField(max_length=2, blank=True)
    residence = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)
    occupation = models.CharField(max_length=300, blank=True)
    # Restricted fields (docket.core.audience.RESTRICTED_FIELDS): only admins see them.
    contact = models.TextField(blank=True)
    identity_document = models.CharField(max_length=300, blank=True)
    consent = models.CharField(max_length=20, default="anonymous")
    pseudonym = models.CharField(max_length=300, blank=True)
    consent_withdrawn = models.CharField(max_length=60, blank=True)
    deceased = models.BooleanField(default=False)
    death_date = models.CharField(max_length=60, blank=True)
    death_date_earliest = models.DateField(null=True, blank=True, editable=False)
    death_date_latest = models.DateField(null=True, blank=True, editable=False)

    class Meta(Record.Meta):
        constraints = _unique_code("person")

    def shown_name(self, audience: str, lang: str = "en") -> str:
        """The name an output for ``audience`` may show (``docket.core.audience``)."""
        return person_shown_name(self, audience, lang)


def person_shown_name(person: Any, audience: str, lang: str = "en") -> str:
    """The name of anything with a person's naming fields (a Person, or plain facts read as
    rows) as an output for ``audience`` may show it."""
    from docket.core.audience import shown_name

    return shown_name(
        person.name,
        code=person.code,
        consent=person.consent,
        audience=audience,
        pseudonym=person.pseudonym,
        consent_withdrawn=bool(person.consent_withdrawn),
        lang=lang,
    )


class Relationship(models.Model):
    """``person`` is ``type`` of ``other`` (e.g. sibling, parent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["person", "position"]


class Group(Record):
    KIND = "group"
    name = models.CharField(max_length=500)
    size = models.PositiveIntegerField(
        null=True, blank=True, help_text="best estimate; empty when no source states it"
    )
    size_low = models.PositiveIntegerField(null=True, blank=True)
    size_high = models.PositiveIntegerField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("group")


class Proceeding(Record):
    KIND = "proceeding"
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proceedings")
    case_number = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("proceeding")


class Event(Record):
    KIND = "event"
    VOCAB: ClassVar[dict[str, str]] = {"type": "event_types"}
    type = models.CharField(max_length=40)
    date = models.CharField(max_length=60, blank=True)
    date_earliest = models.DateField(null=True, blank=True, editable=False)
    date_latest = models.DateField(null=True, blank=True, editable=False)
    date_precision = models.CharField(max_length=10, default="unknown", editable=False)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    proceeding = models.ForeignKey(
        Proceeding, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("event")
        indexes = [models.Index(fields=["date_earliest", "date_latest"], name="event_dates")]


class Party(models.Model):
    """Exactly one of a person, a group or an organization."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def party(self) -> Person | Group | Organization:
        found = self.person or self.group or self.organization
        assert found is not None
        return found


class Participant(Party):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=40)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["event", "position"]


class Charge(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="charges")
    article = models.CharField(max_length=40)
    part = models.CharField(max_length=10, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position"]


class Figure(Record):
    """A number a source states (ReportedFigure), kept even when sources disagree."""

    KIND = "figure"
    VOCAB: ClassVar[dict[str, str]] = {"kind": "figure_kinds", "counts": "figure_counts"}
    kind = models.CharField(max_length=40)
    value = models.FloatField()
    as_of = models.CharField(max_length=60, blank=True)
    as_of_latest = models.DateField(null=True, blank=True, editable=False)
    counts = models.CharField(max_length=10, default="total")
    filter = models.JSONField(default=dict, blank=True)
    statement = models.TextField()

    class Meta(Record.Meta):
        constraints = _unique_code("figure")


class Damage(Record):
    KIND = "damage"
    VOCAB: ClassVar[dict[str, str]] = {"agreement": "agreement_states"}
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT)
    owner_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT)
    owner_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT
    )
    owner = models.CharField(max_length=300, blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)
    agreement = models.CharField(max_length=20, default="unknown")
    pressure_events = models.ManyToManyField(Event, blank=True, related_name="+")
    as_of = models.CharField(max_length=60, blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("damage")


class DamageItem(models.Model):
    damage = models.ForeignKey(Damage, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    assessed_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    assessed_currency = models.CharField(max_length=3, blank=True)
    assessed_by = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    claimed_currency = models.CharField(max_length=3, blank=True)
    offered_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    offered_currency = models.CharField(max_length=3, blank=True)
    paid_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    paid_currency = models.CharField(max_length=3, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["damage", "position"]


class Intervention(Record):
    KIND = "intervention"
    VOCAB: ClassVar[dict[str, str]] = {
        "kind": "intervention_kinds",
        "status": "intervention_statuses",
    }
    kind = models.CharField(max_length=40)
    date = models.CharField(max_length=60, blank=True)
    addressee = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500)
    concerning = models.ManyToManyField(Person, blank=True, related_name="+")
    status = models.CharField(max_length=20, default="draft")
    response = models.TextField(blank=True)
    response_date = models.CharField(max_length=60, blank=True)

    class Meta(Record.Meta):
        constraints = _unique_code("intervention")


class Sender(Party):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="senders")

    class Meta:
        ordering = ["intervention", "position"]


class Attached(models.Model):
    """Rows that hang off any record: (target_type, target_id) names the record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField(max_length=20)
    target_id = models.UUIDField(db_index=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Citation(Attached):
    """Ties a record, or one ``field`` of it, to a source, with where and the very words."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    field = models.CharField(max_length=60, blank=True)
    locator = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True)

    class Meta:
        ordering = ["target_type", "target_id", "position"]


class NameVariant(Attached):
    VOCAB: ClassVar[dict[str, str]] = {"script": "scripts", "kind": "name_kinds"}
    text = models.CharField(max_length=300)
    script = models.CharField(max_length=4, blank=True)
    language = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, default="as_written")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["target_type", "target_id", "position"]


class Change(models.Model):
    """One entry of the change history: who did what to which record, and what it became.

    ``data`` is the record's canonical bundle form after the change (before it, for a delete),
    so any past version can be read back. ``prev_hash`` and ``hash`` chain every change to the
    one before it (see ``docket.records.history`` and docs/integrity.md); rows are written only
    by ``history.change_record``.
    """

    seq = models.BigAutoField(primary_key=True)
    # Set by change_record, not auto_now_add: the time is hashed, so it must be the value saved.
    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=10)  # create, update, delete
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField(max_length=20)
    target_id = models.UUIDField(db_index=True)
    code = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["seq"]


class SearchEntry(models.Model):
    """One searchable text of one record, kept by ``docket.records.search`` (never edited).

    ``keys`` holds the match terms of ``text``: stems and transliteration keys
    (``docket.core.names``), so one query finds «Дауров» and "Daurov" alike. ``field`` says which
    text it is: a person's ``names`` (every spelling, for the team only) or ``shown`` name (as
    public and partner outputs may name them), an event's ``title`` / ``description``, a source's
    ``title`` or a ``quote`` of a citation of it (``origin_id``: the citing record).
    The full-text index over it is vendor-specific (see migration 0004_search).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=20)
    target_id = models.UUIDField(db_index=True)
    origin_id = models.UUIDField(null=True, blank=True, db_index=True)
    code = models.CharField(max_length=40)
    field = models.CharField(max_length=20)
    text = models.TextField()
    keys = models.TextField()
    confidentiality = models.CharField(max_length=20)

    class Meta:
        ordering = ["id"]
