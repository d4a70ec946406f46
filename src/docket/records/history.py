"""The change history as a hash chain: the one writer of ``Change`` rows, and its verifier.

``change_record`` appends a change linked to the one before it (docket.core.integrity).
``verify_history`` proves two things: the chain is unbroken, and the records in the database
are exactly what the chain says they became — so a row edited or deleted behind Docket's back,
or a change edited in the history, is found and named. See docs/integrity.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from docket.core.integrity import GENESIS, Link, change_entry, entry_hash, first_break
from docket.records import models as m
from docket.records.canonical import Index, dump_record
from docket.records.schema import KINDS

# One advisory lock for the one chain ("docket" in ASCII), held to the end of the transaction:
# two writers reading the same last hash would fork the chain.
CHAIN_LOCK = 0x646F636B6574

PREFETCH = {  # the children dump_record reads, fetched per kind in one query each
    "event": ("participants", "charges"),
    "person": ("relationships",),
    "damage": ("items", "pressure_events"),
    "intervention": ("senders", "concerning"),
}

Target = tuple[str, str]  # (target_type, target_id)


def change_record(
    *,
    case: m.Case,
    target_type: str,
    target_id: uuid.UUID,
    code: str,
    action: str,
    actor: str,
    data: dict[str, Any],
) -> m.Change:
    """Append one change to the history, inside the caller's transaction."""
    # savepoint=False: joins the caller's transaction (a load appends thousands of changes)
    # and only opens one when there is none, so the lock below always has a transaction to end.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        # SQLite needs no lock: it lets one transaction write at a time, and a transaction whose
        # read went stale cannot commit a write.
        last = m.Change.objects.order_by("-seq").values_list("hash", flat=True).first()
        change = m.Change(
            at=timezone.now(),
            actor=actor,
            action=action,
            case=case,
            target_type=target_type,
            target_id=target_id,
            code=code,
            data=data,
            prev_hash=GENESIS if last is None else last,
        )
        change.save(force_insert=True)
        if connection.vendor == "postgresql":
            # jsonb may spell a number differently from Python (1e16 comes back as an integer):
            # hash what verify will read, not what was handed in.
            change.data = m.Change.objects.values_list("data", flat=True).get(pk=change.pk)
        change.hash = entry_hash(change.prev_hash, _entry(change, case.code))
        m.Change.objects.filter(pk=change.pk).update(hash=change.hash)
    return change


def _entry(change: m.Change, case_code: str) -> dict[str, Any]:
    return change_entry(
        seq=change.seq,
        at=change.at,
        actor=change.actor,
        action=change.action,
        case=case_code,
        target_type=change.target_type,
        target_id=str(change.target_id),
        code=change.code,
        data=change.data,
    )


# --- verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One way the record and its history disagree.

    ``seq`` is set for a break in the chain (the change where it breaks; kind and code are then
    what that change says it is about); otherwise the problem is a stored record's.
    """

    kind: str
    code: str
    message: str
    case: str = ""
    seq: int | None = None

    def __str__(self) -> str:
        if self.seq is not None:
            return f"history: change {self.seq} ({self.kind} {self.code}): {self.message}"
        return f"{self.kind} {self.code} (case {self.case}): {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verification:
    changes: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Last:
    """The latest change to one record: what the history says the record is now."""

    case: str
    action: str
    code: str
    data: dict[str, Any]


def read_chain() -> Iterator[Link]:
    """Every change as a link of the chain, in order, built from the rows as they are now."""
    rows = (
        m.Change.objects.order_by("seq")
        .values_list(
            "seq",
            "prev_hash",
            "hash",
            "at",
            "actor",
            "action",
            "case__code",
            "target_type",
            "target_id",
            "code",
            "data",
        )
        .iterator(chunk_size=5000)
    )
    for seq, prev, digest, at, actor, action, case, ttype, tid, code, data in rows:
        entry = change_entry(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            case=case,
            target_type=ttype,
            target_id=str(tid),
            code=code,
            data=data,
        )
        yield Link(seq=seq, prev_hash=prev, hash=digest, entry=entry)


def check_chain(links: list[Link]) -> Problem | None:
    """The first change whose link does not hold, as a problem."""
    found = first_break(links)
    if found is None:
        return None
    seq, why = found
    entry = next((link.entry for link in links if link.seq == seq), {})
    return Problem(
        str(entry.get("target_type", "?")),
        str(entry.get("code", "?")),
        f"chain broken: {why}",
        str(entry.get("case", "")),
        seq,
    )


def expected_state(links: list[Link]) -> dict[Target, Last]:
    """The last change of every record the history knows."""
    last: dict[Target, Last] = {}
    for link in links:
        e = link.entry
        target = (e["target_type"], e["target_id"])
        last[target] = Last(e["case"], e["action"], e["code"], e["data"])
    return last


def _stored(case: m.Case) -> Iterator[tuple[str, m.Record]]:
    for kind in KINDS:
        qs = kind.model.objects.filter(case=case).order_by("code")
        yield from ((kind.name, obj) for obj in qs.prefetch_related(*PREFETCH.get(kind.name, ())))


def _first_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    """The first field, in canonical order, whose value differs (values are never shown:
    they may be what the audience may not see)."""
    for key in [*expected, *(k for k in actual if k not in expected)]:
        if expected.get(key) != actual.get(key):
            return key
    return "?"


def compare_state(expected: dict[Target, Last]) -> tuple[int, list[Problem]]:
    """Each stored record against the history's last word on it: (records read, problems)."""
    problems: list[Problem] = []
    left = dict(expected)
    count = 0
    for case in m.Case.objects.order_by("code"):
        index = Index(case)
        for kind, obj in _stored(case):
            count += 1
            last = left.pop((kind, str(obj.pk)), None)
            problem = _compare(case.code, kind, obj, last, index)
            if problem is not None:
                problems.append(problem)
    order = {k.name: i for i, k in enumerate(KINDS)}
    missing = sorted(
        ((t, last) for t, last in left.items() if last.action != "delete"),
        key=lambda item: (item[1].case, order.get(item[0][0], len(order)), item[1].code),
    )
    for (kind, _), last in missing:
        problems.append(
            Problem(kind, last.code, "the history has it but the database does not", last.case)
        )
    return count, problems


def _compare(
    case: str, kind: str, obj: m.Record, last: Last | None, index: Index
) -> Problem | None:
    if last is None:
        return Problem(kind, obj.code, "in the database but in no change of the history", case)
    if last.action == "delete":
        return Problem(kind, obj.code, "in the database but deleted in the history", case)
    if last.case != case:
        return Problem(kind, obj.code, f"the history puts it in case {last.case}", case)
    actual = dump_record(obj, index)
    if actual != last.data:
        where = _first_difference(last.data, actual)
        return Problem(kind, obj.code, f"differs from the history at field {where!r}", case)
    return None


def verify_history() -> Verification:
    """Recompute the chain, then compare every stored record with it. Reads only."""
    links = list(read_chain())
    result = Verification(changes=len(links))
    broken = check_chain(links)
    if broken is not None:
        result.problems.append(broken)
    result.records, problems = compare_state(expected_state(links))
    result.problems.extend(problems)
    return result
