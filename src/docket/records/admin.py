"""The Django admin over the case record: enough to browse and correct it.

Vocabulary fields are drop-downs with English labels; every save through the admin is
recorded in the change history like a load.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from docket.core import vocab
from docket.records import models as m
from docket.records.canonical import Index, dump_record
from docket.records.history import change_record
from docket.records.schema import BY_MODEL
from docket.records.search import index_record, unindex_record

COMMON_VOCAB = {"confidentiality": "confidentiality", "review_state": "review_states"}


def _choices(name: str) -> list[tuple[str, str]]:
    voc = vocab.vocabulary(name)
    return [(t.code, t.label("en")) for t in voc.terms]


class VocabMixin:
    """Drop-downs for fields whose values come from a vocabulary."""

    vocab_fields: dict[str, str] = {}

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        names = {**COMMON_VOCAB, **getattr(self.model, "VOCAB", {}), **self.vocab_fields}  # type: ignore[attr-defined]
        if db_field.name in names:
            blank = [("", "—")] if db_field.blank else []
            return forms.ChoiceField(
                choices=blank + _choices(names[db_field.name]),
                required=not db_field.blank,
                label=db_field.verbose_name.capitalize(),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class RecordAdmin(VocabMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_filter: Any = ("confidentiality", "review_state")
    search_fields: Any = ("code",)
    readonly_fields: Any = ("id", "created_at", "created_by", "updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = f"web:{request.user.get_username()}"
        if not change:
            obj.created_by = actor
        obj.updated_by = actor
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _log(request, form.instance, "update" if change else "create")
        index_record(form.instance)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _log(request, obj, "delete")
        unindex_record(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # The bulk delete action runs outside a transaction: the changes and the delete must
        # land together or not at all, or the history would record deletes that did not happen.
        with transaction.atomic():
            for obj in queryset:
                _log(request, obj, "delete")
                unindex_record(obj)
            super().delete_queryset(request, queryset)


def _log(request: HttpRequest, obj: Any, action: str) -> None:
    """Record an admin write in the change history (a delete keeps the last version)."""
    change_record(
        case=obj.case,
        target_type=BY_MODEL[type(obj)].name,
        target_id=obj.pk,
        code=obj.code,
        action=action,
        actor=f"web:{request.user.get_username()}",
        data=dump_record(obj, Index(obj.case, [obj.pk])),
    )


class ParticipantInline(VocabMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = m.Participant
    extra = 0
    vocab_fields = {"role": "roles"}
    autocomplete_fields = ("person", "group", "organization")


class ChargeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Charge
    extra = 0


class RelationshipInline(VocabMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = m.Relationship
    fk_name = "person"
    extra = 0
    vocab_fields = {"type": "relationship_types"}
    autocomplete_fields = ("other",)


class DamageItemInline(VocabMixin, admin.StackedInline):  # type: ignore[type-arg]
    model = m.DamageItem
    extra = 0
    vocab_fields = {"kind": "damage_kinds"}


class SenderInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Sender
    extra = 0


@admin.register(m.Case)
class CaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "__str__")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The case code is part of every hashed change: renaming it would read as tampering.
        return ("code",) if obj is not None else ()


@admin.register(m.Source)
class SourceAdmin(RecordAdmin):
    list_display = ("code", "title", "kind", "published", "reliability", "credibility")
    list_filter = ("kind", "reliability", "confidentiality", "review_state")
    search_fields = ("code", "title", "publisher", "url")


@admin.register(m.Place)
class PlaceAdmin(RecordAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(m.Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(m.Person)
class PersonAdmin(RecordAdmin):
    list_display = (
        "code",
        "name",
        "birth_date",
        "ethnicity",
        "deceased",
        "consent",
        "review_state",
    )
    list_filter = ("ethnicity", "sex", "deceased", "consent", "confidentiality", "review_state")
    search_fields = ("code", "name")
    inlines = (RelationshipInline,)


@admin.register(m.Group)
class GroupAdmin(RecordAdmin):
    list_display = ("code", "name", "size", "size_low", "size_high")
    search_fields = ("code", "name")


@admin.register(m.Proceeding)
class ProceedingAdmin(RecordAdmin):
    list_display = ("code", "person", "case_number")
    search_fields = ("code", "person__name", "case_number")
    autocomplete_fields = ("person",)


@admin.register(m.Event)
class EventAdmin(RecordAdmin):
    list_display = ("code", "date", "type", "title", "place", "review_state")
    list_filter = ("type", "confidentiality", "review_state")
    search_fields = ("code", "title", "description")
    ordering = ("date_earliest", "date_latest", "code")
    inlines = (ParticipantInline, ChargeInline)
    autocomplete_fields = ("place", "proceeding")


@admin.register(m.Figure)
class FigureAdmin(RecordAdmin):
    list_display = ("code", "kind", "value", "as_of", "statement")
    list_filter = ("kind",)
    search_fields = ("code", "statement")


@admin.register(m.Damage)
class DamageAdmin(RecordAdmin):
    list_display = ("code", "owner_person", "owner_group", "owner", "agreement", "as_of")
    list_filter = ("agreement",)
    inlines = (DamageItemInline,)


@admin.register(m.Intervention)
class InterventionAdmin(RecordAdmin):
    list_display = ("code", "date", "kind", "subject", "addressee", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "subject", "reference")
    inlines = (SenderInline,)


@admin.register(m.Citation)
class CitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("target_type", "target_id", "source", "field", "locator")
    list_filter = ("target_type",)
    search_fields = ("quote", "locator")


@admin.register(m.Change)
class ChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The history is read-only: it can be read, never edited."""

    list_display = ("seq", "at", "actor", "action", "target_type", "code")
    list_filter = ("action", "target_type")
    search_fields = ("code", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
