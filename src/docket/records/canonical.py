"""The canonical form of a record: the dict a bundle file holds for it.

``clean_record`` turns what a person wrote into it (checking every value); ``dump_record``
reads it back from the database. Load compares the two to skip unchanged records, export
writes ``dump_record``, and the change history stores it, so there is one shape everywhere.
Values equal to their default are left out to keep files short.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from docket.core import vocab
from docket.core.dates import parse_date
from docket.core.errors import DocketError, ValidationError
from docket.records import models as m
from docket.records.schema import BY_NAME, COMMON, Field, Kind

PARTY_KEYS = ("person", "group", "organization")
MONEY_KEYS = ("assessed", "claimed", "offered", "paid")
CHILD_KEYS = {
    "names": ("text", "script", "language", "kind", "source"),
    "relationships": ("type", "person"),
    "participants": (*PARTY_KEYS, "role", "note"),
    "charges": ("article", "part"),
    "items": ("kind", "description", *MONEY_KEYS, "assessed_by"),
    "senders": PARTY_KEYS,
    "citations": ("source", "locator", "quote", "field"),
}
CHARGED_TYPES = ("charge", "indictment")

Resolver = Callable[[str, str], bool]  # (kind, code) -> does it exist?


class Problems:
    """Collects every fault in a bundle instead of stopping at the first."""

    def __init__(self) -> None:
        self.items: list[DocketError] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(ValidationError(message, where=where))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value is False


def _number(value: Any) -> int | float:
    if isinstance(value, Decimal | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value  # type: ignore[no-any-return]


class Cleaner:
    """Checks and normalises raw records of one bundle; faults go to ``problems``."""

    def __init__(self, defaults: Mapping[str, str], exists: Resolver, problems: Problems):
        self.defaults = defaults
        self.exists = exists
        self.problems = problems

    def value(self, f: Field, raw: Any, where: str) -> Any:
        """The canonical value of one field, or None after reporting a fault."""
        if raw is None or raw == "":
            if f.required:
                self.problems.add(where, "is required")
            return f.default
        try:
            return self._value(f, raw, where)
        except DocketError as exc:
            self.problems.add(where, exc.message)
            return f.default

    def _value(self, f: Field, raw: Any, where: str) -> Any:  # noqa: C901 - one branch per type
        t = f.type
        if t in ("str", "text"):
            if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise ValidationError(f"must be text, not {type(raw).__name__}")
            text = str(raw).strip() if t == "str" else str(raw).rstrip()
            return text
        if t == "vocab":
            return vocab.check(f.vocab, str(raw))
        if t == "date":
            return parse_date(raw).text
        if t == "ref":
            code = str(raw).strip()
            if not self.exists(f.ref, code):
                raise ValidationError(f'no {f.ref} with code "{code}" in the bundle or database')
            return code
        if t == "bool":
            if not isinstance(raw, bool):
                raise ValidationError(f"must be true or false, not {raw!r}")
            return raw
        if t == "int":
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                raise ValidationError(f"must be a whole number >= 0, not {raw!r}")
            return raw
        if t == "number":
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ValidationError(f"must be a number, not {raw!r}")
            return _number(float(raw)) if isinstance(raw, float) else raw
        if t == "json":
            if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
                raise ValidationError("must be a mapping of names to values")
            return dict(sorted(raw.items()))
        if t == "url":
            if not isinstance(raw, str) or not re.match(r"https?://\S+$", raw.strip()):
                raise ValidationError(f"must be a web address (http:// or https://), not {raw!r}")
            return raw.strip()
        if t == "lang":
            if not isinstance(raw, str) or not re.fullmatch(r"[a-z]{2,3}", raw):
                raise ValidationError(
                    f"must be an ISO 639 language code like en or ru, not {raw!r}"
                )
            return raw
        if t == "country":
            if not isinstance(raw, str) or not re.fullmatch(r"[A-Z]{2}", raw):
                raise ValidationError(f"must be an ISO 3166 country code like KZ, not {raw!r}")
            return raw
        raise AssertionError(t)

    def record(self, kind: Kind, raw: Any, where: str) -> dict[str, Any] | None:
        """The canonical form of one raw record (None when it is not even a mapping)."""
        if not isinstance(raw, dict):
            self.problems.add(where, "each record must be a mapping of field: value")
            return None
        allowed = [*COMMON, *kind.field_names, *kind.children]
        for key in raw:
            if key not in allowed:
                self.problems.add(
                    f"{where}: {key}", f"unknown field; {kind.file} allows: {', '.join(allowed)}"
                )
        out: dict[str, Any] = {"code": raw.get("code")}
        code = raw.get("code")
        if not isinstance(code, str) or not re.fullmatch(rf"{kind.prefix}[A-Za-z0-9_.-]+", code):
            self.problems.add(
                f"{where}: code", f"must be a code starting with {kind.prefix}, not {code!r}"
            )
        if raw.get("id") not in (None, ""):
            try:
                out["id"] = str(uuid.UUID(str(raw["id"])))
            except ValueError:
                self.problems.add(f"{where}: id", f"is not a UUID: {raw['id']!r}")
        for f in kind.fields:
            value = self.value(f, raw.get(f.name), f"{where}: {f.name}")
            if f.required or (not _empty(value) and value != f.default):
                out[f.name] = value
        if kind.name == "event":
            self._event(raw, out, where)
        for child in kind.children:
            items = self.children(child, raw.get(child), f"{where}: {child}")
            if items:
                out[child] = items
        for key, vname in (
            ("confidentiality", "confidentiality"),
            ("review_state", "review_states"),
        ):
            f = Field(key, "vocab", vocab=vname, default=self.defaults.get(key, ""))
            value = self.value(f, raw.get(key), f"{where}: {key}")
            if value != f.default:
                out[key] = value
        notes = self.value(Field("notes", "text"), raw.get("notes"), f"{where}: notes")
        if notes:
            out["notes"] = notes
        citations = self.children("citations", raw.get("citations"), f"{where}: citations")
        for c in citations:
            target = c.get("field", "")
            if target and target not in (*kind.field_names, *kind.children):
                self.problems.add(
                    f"{where}: citations: field", f'"{target}" is not a field of {kind.name}'
                )
        if citations:
            out["citations"] = citations
        state = out.get("review_state", self.defaults.get("review_state"))
        if state == "verified" and not citations:
            self.problems.add(
                f"{where}: review_state", "a verified record needs at least one citation"
            )
        return out

    def _event(self, raw: dict[str, Any], out: dict[str, Any], where: str) -> None:
        etype = out.get("type")
        if etype and out.get("details"):
            try:
                out["details"] = vocab.check_details(
                    etype, out["details"], where=f"{where}: details"
                )
            except DocketError as exc:
                self.problems.items.append(exc)
            for key in ("from_place", "to_place"):
                code = out["details"].get(key)
                if code and not self.exists("place", code):
                    self.problems.add(f"{where}: details: {key}", f'no place with code "{code}"')
        if raw.get("charges") and etype not in CHARGED_TYPES:
            self.problems.add(
                f"{where}: charges",
                f"charges belong on {' or '.join(CHARGED_TYPES)} events, not on {etype!r}",
            )

    def children(self, name: str, raw: Any, where: str) -> list[Any]:
        if raw is None or raw == []:
            return []
        if not isinstance(raw, list):
            self.problems.add(where, "must be a list")
            return []
        out = []
        for i, item in enumerate(raw, 1):
            value = self.child(name, item, f"{where}[{i}]")
            if value is not None:
                out.append(value)
        return out

    def child(self, name: str, item: Any, where: str) -> Any:  # noqa: C901 - one branch per kind
        if name in ("concerning", "pressure_events"):
            ref = "person" if name == "concerning" else "event"
            return self.value(_ref(name, ref, True), item, where)
        if not isinstance(item, dict):
            self.problems.add(where, "must be a mapping")
            return None
        for key in item:
            if key not in CHILD_KEYS[name]:
                self.problems.add(
                    f"{where}: {key}", f"unknown field; allowed: {', '.join(CHILD_KEYS[name])}"
                )
        fields: list[Field] = []
        if name in ("participants", "senders"):
            given = [k for k in PARTY_KEYS if item.get(k)]
            if len(given) != 1:
                self.problems.add(where, "needs exactly one of person, group, organization")
            fields += [_ref(k, k, False) for k in given]
        if name == "names":
            fields += [
                Field("text", "str", required=True),
                Field("script", "vocab", vocab="scripts"),
                Field("language", "lang"),
                Field("kind", "vocab", vocab="name_kinds", default="as_written"),
                _ref("source", "source", False),
            ]
        elif name == "relationships":
            fields += [
                Field("type", "vocab", vocab="relationship_types", required=True),
                _ref("person", "person", True),
            ]
        elif name == "participants":
            fields += [Field("role", "vocab", vocab="roles", required=True), Field("note", "str")]
        elif name == "charges":
            fields += [Field("article", "str", required=True), Field("part", "str")]
        elif name == "citations":
            fields += [
                _ref("source", "source", True),
                Field("locator", "str"),
                Field("quote", "text"),
                Field("field", "str"),
            ]
        elif name == "items":
            fields += [
                Field("kind", "vocab", vocab="damage_kinds", required=True),
                Field("description", "text"),
                _ref("assessed_by", "organization", False),
            ]
        out: dict[str, Any] = {}
        for f in fields:
            value = self.value(f, item.get(f.name), f"{where}: {f.name}")
            if f.required or (not _empty(value) and value != f.default) or f.name == "kind":
                out[f.name] = value
        if name == "charges" and out.get("article"):
            try:
                vocab.article(out["article"], where=f"{where}: article")
            except DocketError as exc:
                self.problems.items.append(exc)
            if "part" in item and item["part"] not in (None, ""):
                out["part"] = str(item["part"]).strip()
        if name == "items":
            for key in MONEY_KEYS:
                money = self._money(item.get(key), f"{where}: {key}")
                if money:
                    out[key] = money
        return out

    def _money(self, raw: Any, where: str) -> dict[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or set(raw) - {"amount", "currency"}:
            self.problems.add(where, "must be {amount: NUMBER, currency: CODE}")
            return None
        amount = self.value(Field("amount", "number", required=True), raw.get("amount"), where)
        currency = raw.get("currency")
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
            self.problems.add(
                f"{where}: currency", f"must be an ISO 4217 code like KZT, not {currency!r}"
            )
        elif isinstance(amount, int | float) and amount < 0:
            self.problems.add(f"{where}: amount", "must not be negative")
        return {"amount": amount, "currency": currency}


def _ref(name: str, ref: str, required: bool) -> Field:
    return Field(name, "ref", ref=ref, required=required, default=None)


# --- reading the database back --------------------------------------------------------------


class Index:
    """Codes of records by id, and attached rows by record, fetched once.

    For a whole case (export, verify) everything is read up front; with ``targets`` (one
    record being saved or shown) only those records' citations and names are read, and the
    codes of the records they refer to are looked up as needed.
    """

    def __init__(self, case: m.Case, targets: Iterable[uuid.UUID] | None = None) -> None:
        self.case = case
        self.codes: dict[uuid.UUID, str] = {}
        citations = m.Citation.objects.filter(case=case)
        names = m.NameVariant.objects.filter(case=case)
        if targets is None:
            for kind in BY_NAME.values():
                for pk, code in kind.model.objects.filter(case=case).values_list("id", "code"):
                    self.codes[pk] = code
        else:
            wanted = list(targets)
            citations = citations.filter(target_id__in=wanted)
            names = names.filter(target_id__in=wanted)
        self.citations: dict[uuid.UUID, list[m.Citation]] = {}
        for c in citations.order_by("position"):
            self.citations.setdefault(c.target_id, []).append(c)
        self.names: dict[uuid.UUID, list[m.NameVariant]] = {}
        for n in names.order_by("position"):
            self.names.setdefault(n.target_id, []).append(n)

    def code(self, pk: uuid.UUID | None) -> str | None:
        if pk is None:
            return None
        if pk not in self.codes:
            self.codes[pk] = self._lookup(pk)
        return self.codes[pk]

    def _lookup(self, pk: uuid.UUID) -> str:
        for kind in BY_NAME.values():
            found = kind.model.objects.filter(pk=pk).values_list("code", flat=True).first()
            if found is not None:
                return found
        raise KeyError(pk)


def _party(row: m.Participant | m.Sender, index: Index) -> dict[str, Any]:
    for key in PARTY_KEYS:
        pk = getattr(row, f"{key}_id")
        if pk is not None:
            return {key: index.code(pk)}
    raise AssertionError("party without person, group or organization")


def _compact(d: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k in keep or not _empty(v)}


def dump_record(obj: m.Record, index: Index) -> dict[str, Any]:
    """The canonical bundle form of a stored record."""
    from docket.records.schema import BY_MODEL

    kind = BY_MODEL[type(obj)]
    out: dict[str, Any] = {"code": obj.code}
    if obj.id != m.derived_id(index.case.code, kind.name, obj.code):
        out["id"] = str(obj.id)
    for f in kind.fields:
        if f.type == "ref":
            value: Any = index.code(getattr(obj, f"{f.name}_id"))
        elif f.type == "number":
            value = getattr(obj, f.name)
            value = None if value is None else _number(value)
        elif f.type == "json":
            value = dict(sorted((getattr(obj, f.name) or {}).items()))
        else:
            value = getattr(obj, f.name)
        if f.required or (not _empty(value) and value != f.default):
            out[f.name] = value
    for child in kind.children:
        items = _dump_children(obj, child, index)
        if items:
            out[child] = items
    defaults = index.case.defaults
    for key in ("confidentiality", "review_state"):
        if getattr(obj, key) != defaults.get(key, ""):
            out[key] = getattr(obj, key)
    if obj.notes:
        out["notes"] = obj.notes
    citations = [
        _compact(
            {
                "source": index.code(c.source_id),
                "locator": c.locator,
                "quote": c.quote,
                "field": c.field,
            },
            ("source",),
        )
        for c in index.citations.get(obj.id, [])
    ]
    if citations:
        out["citations"] = citations
    return out


def _dump_children(obj: Any, child: str, index: Index) -> list[Any]:  # noqa: C901
    if child == "names":
        return [
            _compact(
                {
                    "text": n.text,
                    "script": n.script,
                    "language": n.language,
                    "kind": n.kind,
                    "source": index.code(n.source_id),
                },
                ("text", "kind"),
            )
            for n in index.names.get(obj.id, [])
        ]
    if child == "relationships":
        return [{"type": r.type, "person": index.code(r.other_id)} for r in obj.relationships.all()]
    if child == "participants":
        return [
            _compact({**_party(p, index), "role": p.role, "note": p.note}, ("role",))
            for p in obj.participants.all()
        ]
    if child == "charges":
        return [
            _compact({"article": c.article, "part": c.part}, ("article",))
            for c in obj.charges.all()
        ]
    if child == "senders":
        return [_party(s, index) for s in obj.senders.all()]
    if child == "concerning":
        return sorted(index.code(p.pk) for p in obj.concerning.all())  # type: ignore[type-var]
    if child == "pressure_events":
        return sorted(index.code(e.pk) for e in obj.pressure_events.all())  # type: ignore[type-var]
    if child == "items":
        out = []
        for it in obj.items.all():
            item: dict[str, Any] = {"kind": it.kind}
            if it.description:
                item["description"] = it.description
            for key in MONEY_KEYS:
                amount = getattr(it, f"{key}_amount")
                if amount is not None:
                    item[key] = {
                        "amount": _number(amount),
                        "currency": getattr(it, f"{key}_currency"),
                    }
            if it.assessed_by_id:
                item["assessed_by"] = index.code(it.assessed_by_id)
            out.append(item)
        return out
    raise AssertionError(child)
