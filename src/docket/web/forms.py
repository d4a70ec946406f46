"""Forms for entering and correcting records, built from the bundle schema.

One form per record kind, generated from ``docket.records.schema``: the same fields, the same
vocabularies, and — on save — the same validation as a bundle load (``records.services``), so
a date typed as "March 2020" or "24-28.04.2020" is read the same way everywhere.

A field the writer's audience may not see (``docket.core.audience.RESTRICTED_FIELDS``: a
person's contact and identity document, for everyone but admins) is not on their form; the
view carries its stored value over on save (``entry.edit``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from docket.core import vocab
from docket.core.audience import field_visible
from docket.records import models as m
from docket.records.schema import Field, Kind

DATE_HELP = _('As you know it: "1985", "March 2020", "24-28.04.2020", "7–8 February 2020".')

MONEY_HELP = _("Amount and currency, e.g. 1500000 KZT or 250000.50 KZT.")

# Children a web form edits, and the small form for one row of each.
CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "names": ("text", "script", "kind"),
    "participants": ("party", "role", "note"),
    "charges": ("article", "part"),
    "relationships": ("type", "person"),
    "items": ("kind", "description", "assessed", "assessed_by", "claimed", "offered", "paid"),
    "pressure_events": ("event",),
    "senders": ("party",),
    "concerning": ("person",),
    "citations": ("source", "locator", "quote", "field"),
}
# Children that are a plain list of codes in a bundle (pressure_events: [E-6]), and the one
# form field of a row that holds the code.
CODE_LISTS = {"pressure_events": "event", "concerning": "person"}
MONEY_KEYS = ("assessed", "claimed", "offered", "paid")

# Field labels, translated; a field not named here is labelled from its name.
LABELS: dict[str, Any] = {
    "kind": _("Kind"),
    "title": _("Title"),
    "publisher": _("Publisher"),
    "author": _("Author"),
    "url": _("URL"),
    "language": _("Language"),
    "published": _("Published"),
    "accessed": _("Accessed"),
    "reliability": _("Reliability"),
    "credibility": _("Credibility"),
    "identity_confidential": _("Identity confidential"),
    "name": _("Name"),
    "parent": _("Parent"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "place": _("Place"),
    "sex": _("Sex"),
    "birth_date": _("Birth date"),
    "ethnicity": _("Ethnicity"),
    "citizenship": _("Citizenship"),
    "residence": _("Residence"),
    "occupation": _("Occupation"),
    "contact": _("Contact"),
    "identity_document": _("Identity document"),
    "consent": _("Consent"),
    "pseudonym": _("Pseudonym"),
    "consent_withdrawn": _("Consent withdrawn"),
    "deceased": _("Deceased"),
    "death_date": _("Death date"),
    "size": _("Size"),
    "size_low": _("Size low"),
    "size_high": _("Size high"),
    "person": _("Person"),
    "case_number": _("Case number"),
    "description": _("Description"),
    "type": _("Type"),
    "date": _("Date"),
    "proceeding": _("Proceeding"),
    "value": _("Value"),
    "as_of": _("As of"),
    "counts": _("Counts"),
    "statement": _("Statement"),
    "owner_person": _("Owner: person"),
    "owner_group": _("Owner: group"),
    "owner_organization": _("Owner: organization"),
    "owner": _("Owner, if not recorded"),
    "agreement": _("Agreement"),
    "addressee": _("Addressee"),
    "reference": _("Reference"),
    "subject": _("Subject"),
    "status": _("Status"),
    "response": _("Response"),
    "response_date": _("Response date"),
}


class MoneyField(forms.CharField):
    """An amount with its currency typed in one box ("1500000 KZT"), read as the bundle's
    ``{amount, currency}``. Spaces may group thousands; a comma or a point marks decimals."""

    PATTERN = re.compile(
        r"^(?:([A-Za-z]{3})\s*)?([0-9][0-9 \u00a0\u202f]*(?:[.,][0-9]+)?)(?:\s*([A-Za-z]{3}))?$"
    )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return f"{value.get('amount', '')} {value.get('currency', '')}".strip()
        return value

    def clean(self, value: Any) -> dict[str, Any] | None:  # type: ignore[override]
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        match = self.PATTERN.match(text)
        before, amount, after = match.groups() if match else (None, None, None)
        if not match or bool(before) == bool(after):
            raise forms.ValidationError(
                _("Write the amount and its currency, e.g. 1500000 KZT."), code="money"
            )
        try:
            number = Decimal(re.sub(r"[ \u00a0\u202f]", "", amount).replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise forms.ValidationError(
                _("Write the amount and its currency, e.g. 1500000 KZT.")
            ) from exc
        return {
            "amount": int(number) if number == int(number) else float(number),
            "currency": (before or after).upper(),
        }


def _choices(name: str, lang: str, *, blank: bool = True) -> list[tuple[str, str]]:
    voc = vocab.vocabulary(name)
    items = [(t.code, t.label(lang)) for t in voc.terms]
    return [("", "—"), *items] if blank else items


def _records(case: m.Case, kind_name: str) -> list[tuple[str, str]]:
    from docket.records.schema import BY_NAME

    model = BY_NAME[kind_name].model
    label = next(
        (f for f in ("name", "title", "case_number") if f in {x.name for x in model._meta.fields}),
        "code",
    )
    rows = model.objects.filter(case=case).order_by("code").values_list("code", label)
    return [("", "—"), *((code, f"{code} {text}".strip()) for code, text in rows)]


def _parties(case: m.Case) -> list[tuple[str, str]]:
    parties = [("", "—")]
    for kind_name in ("person", "group", "organization"):
        parties += [(f"{kind_name}:{c}", label) for c, label in _records(case, kind_name)[1:]]
    return parties


def _field(f: Field, case: m.Case, lang: str) -> forms.Field:
    label = LABELS.get(f.name) or f.name.replace("_", " ").capitalize()
    if f.type == "vocab":
        return forms.ChoiceField(label=label, choices=_choices(f.vocab, lang), required=f.required)
    if f.type == "ref":
        return forms.ChoiceField(label=label, choices=_records(case, f.ref), required=f.required)
    if f.type == "bool":
        return forms.BooleanField(label=label, required=False)
    if f.type in ("int", "number"):
        return forms.DecimalField(label=label, required=f.required)
    if f.type == "text":
        return forms.CharField(
            label=label, required=f.required, widget=forms.Textarea(attrs={"rows": 3})
        )
    if f.type == "date":
        return forms.CharField(label=label, required=False, help_text=DATE_HELP)
    return forms.CharField(label=label, required=f.required)


RESTRICTED_HELP = _("Restricted: only administrators see and change this.")


def record_form(
    kind: Kind, case: m.Case, lang: str, *args: Any, audience: str, **kwargs: Any
) -> forms.Form:
    """The form for one record of ``kind`` (fields, plus confidentiality, review and notes),
    without the fields ``audience`` may not see."""
    fields: dict[str, forms.Field] = {
        "code": forms.CharField(
            label=_("Code"), required=False, help_text=_("Left empty, the next free code is used.")
        )
    }
    for f in kind.fields:
        if f.type != "json" and field_visible(audience, kind.name, f.name):
            fields[f.name] = _field(f, case, lang)
            if not field_visible("internal", kind.name, f.name):
                fields[f.name].help_text = RESTRICTED_HELP
    fields["confidentiality"] = forms.ChoiceField(
        label=_("Confidentiality"), choices=_choices("confidentiality", lang, blank=False)
    )
    fields["review_state"] = forms.ChoiceField(
        label=_("Review state"), choices=_choices("review_states", lang, blank=False)
    )
    fields["notes"] = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    form_class = type(f"{kind.name.capitalize()}Form", (forms.Form,), fields)
    return form_class(*args, **kwargs)  # type: ignore[no-any-return]


def child_formset(name: str, case: m.Case, lang: str, *args: Any, **kwargs: Any) -> Any:
    """A formset for the rows of one child collection (names, participants, citations…)."""
    fields: dict[str, forms.Field] = {}
    if name == "names":
        fields["text"] = forms.CharField(label=_("Name as written"), required=False)
        fields["script"] = forms.ChoiceField(
            label=_("Script"), choices=_choices("scripts", lang), required=False
        )
        fields["kind"] = forms.ChoiceField(
            label=_("Kind"), choices=_choices("name_kinds", lang), required=False
        )
    elif name == "participants":
        fields["party"] = forms.ChoiceField(label=_("Who"), choices=_parties(case), required=False)
        fields["role"] = forms.ChoiceField(
            label=_("Role"), choices=_choices("roles", lang), required=False
        )
        fields["note"] = forms.CharField(label=_("Note"), required=False)
    elif name == "charges":
        fields["article"] = forms.ChoiceField(
            label=_("Article"), choices=_choices("articles", lang), required=False
        )
        fields["part"] = forms.CharField(label=_("Part"), required=False)
    elif name == "relationships":
        fields["type"] = forms.ChoiceField(
            label=_("Is the … of"), choices=_choices("relationship_types", lang), required=False
        )
        fields["person"] = forms.ChoiceField(
            label=_("Person"), choices=_records(case, "person"), required=False
        )
    elif name == "items":
        fields["kind"] = forms.ChoiceField(
            label=_("What was damaged"), choices=_choices("damage_kinds", lang), required=False
        )
        fields["description"] = forms.CharField(label=_("Description"), required=False)
        fields["assessed"] = MoneyField(label=_("Assessed"), required=False, help_text=MONEY_HELP)
        fields["assessed_by"] = forms.ChoiceField(
            label=_("Assessed by"), choices=_records(case, "organization"), required=False
        )
        fields["claimed"] = MoneyField(label=_("Claimed"), required=False)
        fields["offered"] = MoneyField(label=_("Offered"), required=False)
        fields["paid"] = MoneyField(label=_("Paid"), required=False)
    elif name == "pressure_events":
        fields["event"] = forms.ChoiceField(
            label=_("Event"), choices=_records(case, "event"), required=False
        )
    elif name == "senders":
        fields["party"] = forms.ChoiceField(
            label=_("Sender"), choices=_parties(case), required=False
        )
    elif name == "concerning":
        fields["person"] = forms.ChoiceField(
            label=_("Person"), choices=_records(case, "person"), required=False
        )
    elif name == "citations":
        fields["source"] = forms.ChoiceField(
            label=_("Source"), choices=_records(case, "source"), required=False
        )
        fields["locator"] = forms.CharField(label=_("Where in the source"), required=False)
        fields["quote"] = forms.CharField(
            label=_("Quote"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        fields["field"] = forms.CharField(label=_("Only for field"), required=False)
    row = type(f"{name.capitalize()}Row", (forms.Form,), fields)
    factory = forms.formset_factory(row, extra=2)
    return factory(*args, prefix=name, **kwargs)


def to_raw(kind: Kind, form: forms.Form, formsets: dict[str, Any]) -> dict[str, Any]:
    """The bundle form of what was typed, to be checked like a bundle record."""
    raw: dict[str, Any] = {}
    for key, value in form.cleaned_data.items():
        if value in ("", None, False):
            continue
        if hasattr(value, "as_integer_ratio") and not isinstance(value, int | float):
            value = int(value) if value == int(value) else float(value)
        raw[key] = value
    for name, fs in formsets.items():
        rows = []
        for row in fs.cleaned_data:
            row = {k: v for k, v in row.items() if v not in ("", None)}
            if not row or (name == "citations" and "source" not in row):
                continue
            if name in ("participants", "senders") and "party" in row:
                kind_name, _, code = row.pop("party").partition(":")
                row[kind_name] = code
            if name in CODE_LISTS:
                if CODE_LISTS[name] in row:
                    rows.append(row[CODE_LISTS[name]])
                continue
            rows.append(row)
        if rows:
            raw[name] = rows
    return raw


def error_field(where: str) -> tuple[str, str]:
    """Which form field a problem is about: ("names", "text") or ("", "birth_date")."""
    parts = [p.strip() for p in where.split(":")]
    tail = parts[2:] if len(parts) > 2 else parts[-1:]
    if tail and "[" in tail[0]:
        return tail[0].split("[", 1)[0], tail[-1] if len(tail) > 1 else ""
    return "", tail[0] if tail else ""
