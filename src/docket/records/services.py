"""Writes to the case record. Every write is atomic and leaves a ``Change`` entry."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from docket.core.dates import parse_date
from docket.core.errors import BundleError, NotFound, ValidationError
from docket.records import models as m
from docket.records.bundle import Bundle, read_bundle
from docket.records.canonical import MONEY_KEYS, PARTY_KEYS, Index, dump_record
from docket.records.history import change_record
from docket.records.schema import BY_NAME, KINDS, Kind
from docket.records.search import index_record
from docket.records.selectors import bundle_export

DATE_BOUNDS = {  # date field -> (earliest column, latest column, precision column)
    "birth_date": ("birth_date_earliest", "birth_date_latest", None),
    "death_date": ("death_date_earliest", "death_date_latest", None),
    "date": ("date_earliest", "date_latest", "date_precision"),
    "as_of": (None, "as_of_latest", None),
}


@dataclass
class LoadReport:
    case: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def total(self, what: str) -> int:
        return sum(getattr(self, what).values())


def case_id(code: str) -> uuid.UUID:
    return uuid.uuid5(m.NAMESPACE, f"case:{code}")


def case_get(code: str | None = None) -> m.Case:
    """The case with ``code``, or the only case when ``code`` is None."""
    if code:
        case = m.Case.objects.filter(code=code).first()
        if case is None:
            known = ", ".join(m.Case.objects.values_list("code", flat=True)) or "none loaded"
            raise NotFound(f'no case "{code}"; cases: {known}')
        return case
    cases = list(m.Case.objects.all()[:2])
    if not cases:
        raise NotFound("the database holds no case yet; load one with: docket load FOLDER")
    if len(cases) > 1:
        known = ", ".join(m.Case.objects.values_list("code", flat=True))
        raise ValidationError(f"several cases in this database ({known}); name one with --case")
    return cases[0]


def _exists_in_db(case_code: str):  # type: ignore[no-untyped-def]
    def exists(kind: str, code: str) -> bool:
        return BY_NAME[kind].model.objects.filter(case__code=case_code, code=code).exists()

    return exists


def bundle_load(*, folder: str | Path, actor: str) -> LoadReport:
    """Load a bundle folder: everything or, on any fault, nothing."""
    # Read once without the database to learn the case code, then again resolving references
    # to records already stored in that case.
    from docket.records.bundle import Problems, read_case

    case_raw = read_case(Path(folder), Problems())
    bundle = read_bundle(folder, _exists_in_db(case_raw["code"]) if case_raw else None)
    with transaction.atomic():
        return _write_bundle(bundle, actor)


def _write_bundle(bundle: Bundle, actor: str) -> LoadReport:
    info = bundle.case
    case, _ = m.Case.objects.update_or_create(
        id=case_id(info["code"]),
        defaults={
            "code": info["code"],
            "title": info["title"],
            "description": info["description"],
            "defaults": info["defaults"],
        },
    )
    report = LoadReport(case=case.code)
    ids: dict[tuple[str, str], uuid.UUID] = {}
    for kind in KINDS:
        for rec in bundle.records.get(kind.name, []):
            ids[(kind.name, rec["code"])] = (
                uuid.UUID(rec["id"])
                if "id" in rec
                else m.derived_id(case.code, kind.name, rec["code"])
            )
    for kind in KINDS:
        for pk, code in kind.model.objects.filter(case=case).values_list("id", "code"):
            ids.setdefault((kind.name, code), pk)
    current = bundle_export(case).records  # what is stored now, read in one pass
    stored = {(k, r["code"]): r for k, recs in current.items() for r in recs}
    for kind in KINDS:
        for rec in bundle.records.get(kind.name, []):
            outcome = record_put(
                case=case,
                kind=kind,
                data=rec,
                ids=ids,
                stored=stored.get((kind.name, rec["code"])),
                actor=actor,
            )
            counter = getattr(report, outcome)
            counter[kind.name] = counter.get(kind.name, 0) + 1
    return report


def record_put(
    *,
    case: m.Case,
    kind: Kind,
    data: dict[str, Any],
    ids: dict[tuple[str, str], uuid.UUID],
    stored: dict[str, Any] | None,
    actor: str,
) -> str:
    """Create or update one record from its canonical form: 'created', 'updated' or 'unchanged'.

    ``stored`` is the record's current canonical form, None when it does not exist yet.
    """
    pk = ids[(kind.name, data["code"])]
    if stored is not None and stored == data:
        return "unchanged"
    if stored is not None:
        stored_id = stored.get("id") or str(m.derived_id(case.code, kind.name, data["code"]))
        if stored_id != str(pk):
            raise ValidationError(
                f"code {data['code']} already belongs to another {kind.name} (id {stored_id})",
                where=f"{kind.file}: {data['code']}",
            )
    # A record may also exist under another code: the bundle renamed it, keeping its id.
    obj = kind.model.objects.filter(pk=pk).first()
    outcome = "created" if obj is None else "updated"
    if obj is None:
        obj = kind.model(id=pk, case=case, created_by=actor)
    obj.code = data["code"]
    obj.updated_by = actor
    obj.confidentiality = data.get(
        "confidentiality", case.defaults.get("confidentiality", "internal")
    )
    obj.review_state = data.get("review_state", case.defaults.get("review_state", "draft"))
    obj.notes = data.get("notes", "")
    for f in kind.fields:
        value = data.get(f.name, f.default)
        if f.type == "ref":
            setattr(obj, f"{f.name}_id", ids[(f.ref, value)] if value else None)
            continue
        if f.type == "json":
            value = value or {}
        setattr(obj, f.name, value)
        if f.type == "date" and f.name in DATE_BOUNDS:
            d = parse_date(value)
            early, late, precision = DATE_BOUNDS[f.name]
            if early:
                setattr(obj, early, d.earliest)
            if late:
                setattr(obj, late, d.latest)
            if precision:
                setattr(obj, precision, d.precision)
    obj.save(force_insert=outcome == "created")
    _put_children(obj, kind, data, ids, case, fresh=outcome == "created")
    # The canonical form just written is exactly what reading the record back gives (the round
    # trip is tested), so the history stores it as it is.
    change_record(
        case=case,
        target_type=kind.name,
        target_id=obj.pk,
        code=obj.code,
        action="create" if outcome == "created" else "update",
        actor=actor,
        data=data,
    )
    index_record(obj)
    return outcome


def next_code(case: m.Case, kind: Kind) -> str:
    """The next free code: one above the highest number already used with this prefix."""
    numbers = [
        int(mt.group(1))
        for code in kind.model.objects.filter(case=case).values_list("code", flat=True)
        if (mt := re.fullmatch(rf"{re.escape(kind.prefix)}0*(\d+)", code))
    ]
    return f"{kind.prefix}{(max(numbers) + 1) if numbers else 1:04d}"


def record_save(
    *, case: m.Case, kind: Kind, data: dict[str, Any], actor: str
) -> tuple[str, m.Record]:
    """Check one record in bundle form exactly as a bundle load would, and write it atomically.

    Raises BundleError listing every problem (nothing written). Returns the outcome
    ('created', 'updated' or 'unchanged') and the stored record.
    """
    from docket.records.bundle import Problems, check_proceeding
    from docket.records.canonical import Cleaner

    problems = Problems()
    where = f"{kind.file}: {data.get('code') or 'new'}"
    cleaner = Cleaner(case.defaults, _exists_in_db(case.code), problems)
    record = cleaner.record(kind, data, where)
    if record is not None and kind.name == "event":
        check_proceeding(record, problems)
    if problems.items or record is None:
        raise BundleError(problems.items)
    if record.get("id") == str(m.derived_id(case.code, kind.name, record["code"])):
        del record["id"]  # canonical form: an id is written only when it is not the derived one
    with transaction.atomic():
        ids = _referenced_ids(case, kind, record)
        pk = (
            uuid.UUID(record["id"]) if "id" in record else ids.get((kind.name, record["code"]))
        ) or m.derived_id(case.code, kind.name, record["code"])
        ids[(kind.name, record["code"])] = pk
        current = kind.model.objects.filter(pk=pk).first()
        stored = dump_record(current, Index(case, [pk])) if current is not None else None
        if "id" not in record and pk != m.derived_id(case.code, kind.name, record["code"]):
            record["id"] = str(pk)
        outcome = record_put(case=case, kind=kind, data=record, ids=ids, stored=stored, actor=actor)
        return outcome, kind.model.objects.get(pk=pk)


def _referenced_ids(
    case: m.Case, kind: Kind, record: dict[str, Any]
) -> dict[tuple[str, str], uuid.UUID]:
    """Ids of the record itself and of every record it refers to — not of the whole case."""
    wanted: set[tuple[str, str]] = {(kind.name, record["code"])}
    for f in kind.fields:
        if f.type == "ref" and record.get(f.name):
            wanted.add((f.ref, record[f.name]))
    for child in (*kind.children, "citations"):
        for row in record.get(child, []):
            if child == "concerning":
                wanted.add(("person", row))
            elif child == "pressure_events":
                wanted.add(("event", row))
            else:
                for key, ref in CHILD_REFS.items():
                    if isinstance(row, dict) and row.get(key):
                        wanted.add((ref, row[key]))
    ids: dict[tuple[str, str], uuid.UUID] = {}
    for ref_kind in {k for k, _ in wanted}:
        codes = [c for k, c in wanted if k == ref_kind]
        rows = BY_NAME[ref_kind].model.objects.filter(case=case, code__in=codes)
        for pk, code in rows.values_list("id", "code"):
            ids[(ref_kind, code)] = pk
    return ids


# Keys of child rows that name another record, and that record's kind.
CHILD_REFS = {
    "source": "source",
    "person": "person",
    "group": "group",
    "organization": "organization",
    "assessed_by": "organization",
}


def _party_ids(item: dict[str, Any], ids: dict[tuple[str, str], uuid.UUID]) -> dict[str, Any]:
    return {f"{k}_id": ids[(k, item[k])] if item.get(k) else None for k in PARTY_KEYS}


def _money(item: dict[str, Any], key: str) -> dict[str, Any]:
    money = item.get(key)
    if not money:
        return {f"{key}_amount": None, f"{key}_currency": ""}
    return {f"{key}_amount": Decimal(str(money["amount"])), f"{key}_currency": money["currency"]}


def _delete_children(obj: Any, kind: Kind) -> None:
    m.Citation.objects.filter(target_id=obj.pk).delete()
    m.NameVariant.objects.filter(target_id=obj.pk).delete()
    for child in ("relationships", "participants", "charges", "senders", "items"):
        if child in kind.children:
            getattr(obj, child).all().delete()


def _put_children(
    obj: Any,
    kind: Kind,
    data: dict[str, Any],
    ids: dict[tuple[str, str], uuid.UUID],
    case: m.Case,
    *,
    fresh: bool,
) -> None:
    """Write the rows that hang off ``obj``; a ``fresh`` record has none to delete first."""
    attached = {"case": case, "target_type": kind.name, "target_id": obj.pk}
    if not fresh:
        _delete_children(obj, kind)
    m.Citation.objects.bulk_create(
        m.Citation(
            **attached,
            position=i,
            source_id=ids[("source", c["source"])],
            locator=c.get("locator", ""),
            quote=c.get("quote", ""),
            field=c.get("field", ""),
        )
        for i, c in enumerate(data.get("citations", []))
    )
    if "names" in kind.children:
        m.NameVariant.objects.bulk_create(
            m.NameVariant(
                **attached,
                position=i,
                text=n["text"],
                script=n.get("script", ""),
                language=n.get("language", ""),
                kind=n.get("kind", "as_written"),
                source_id=ids[("source", n["source"])] if n.get("source") else None,
            )
            for i, n in enumerate(data.get("names", []))
        )
    if "relationships" in kind.children:
        m.Relationship.objects.bulk_create(
            m.Relationship(
                person=obj, other_id=ids[("person", r["person"])], type=r["type"], position=i
            )
            for i, r in enumerate(data.get("relationships", []))
        )
    if "participants" in kind.children:
        m.Participant.objects.bulk_create(
            m.Participant(
                event=obj, position=i, role=p["role"], note=p.get("note", ""), **_party_ids(p, ids)
            )
            for i, p in enumerate(data.get("participants", []))
        )
    if "charges" in kind.children:
        m.Charge.objects.bulk_create(
            m.Charge(event=obj, position=i, article=c["article"], part=c.get("part", ""))
            for i, c in enumerate(data.get("charges", []))
        )
    if "senders" in kind.children:
        m.Sender.objects.bulk_create(
            m.Sender(intervention=obj, position=i, **_party_ids(s, ids))
            for i, s in enumerate(data.get("senders", []))
        )
    if "concerning" in kind.children:
        obj.concerning.set([ids[("person", c)] for c in data.get("concerning", [])])
    if "pressure_events" in kind.children:
        obj.pressure_events.set([ids[("event", c)] for c in data.get("pressure_events", [])])
    if "items" in kind.children:
        rows = []
        for i, it in enumerate(data.get("items", [])):
            fields: dict[str, Any] = {}
            for key in MONEY_KEYS:
                fields.update(_money(it, key))
            assessed_by = it.get("assessed_by")
            rows.append(
                m.DamageItem(
                    damage=obj,
                    position=i,
                    kind=it["kind"],
                    description=it.get("description", ""),
                    assessed_by_id=ids[("organization", assessed_by)] if assessed_by else None,
                    **fields,
                )
            )
        m.DamageItem.objects.bulk_create(rows)
