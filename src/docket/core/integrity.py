"""The hash chain that makes the change history tamper-evident.

Each change is an *entry* (a JSON-able mapping); its hash covers the previous change's hash
and the entry, so editing, removing or reordering any change breaks every link after it.
The byte format here is a contract: every stored chain was hashed with it, so changing it
means re-hashing (and re-anchoring) every history. Pure Python: no database, no Django.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docket.core.errors import ValidationError

GENESIS = "0" * 64  # what the first change's prev_hash is


def canonical_json(obj: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 as is; NaN is refused.

    NaN and infinities are refused because JSON has no spelling for them and databases
    disagree on how to store them, so a hash over them could not be recomputed.
    """
    try:
        text = json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except ValueError as exc:
        raise ValidationError(f"cannot hash a value JSON cannot hold exactly: {exc}") from exc
    return text.encode("utf-8")


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """sha256 hex of the previous hash, a newline, and the entry's canonical JSON."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(entry))
    return digest.hexdigest()


def timestamp(at: datetime.datetime) -> str:
    """A change's time as hashed: ISO 8601 in UTC with microseconds, whatever the server zone."""
    if at.tzinfo is None:
        raise ValidationError("a change time must carry its time zone")
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def change_entry(
    *,
    seq: int,
    at: datetime.datetime,
    actor: str,
    action: str,
    case: str,
    target_type: str,
    target_id: str,
    code: str,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """Everything that makes a change, in the shape that is hashed."""
    return {
        "seq": seq,
        "at": timestamp(at),
        "actor": actor,
        "action": action,
        "case": case,
        "target_type": target_type,
        "target_id": target_id,
        "code": code,
        "data": dict(data),
    }


@dataclass(frozen=True)
class Link:
    """One change as stored: its place, the hash it claims to follow, its own hash, its entry."""

    seq: int
    prev_hash: str
    hash: str
    entry: Mapping[str, Any]


def first_break(links: Iterable[Link]) -> tuple[int, str] | None:
    """The seq of the first link that does not hold, with why; None when the chain is intact."""
    expected_prev = GENESIS
    for link in links:
        if link.prev_hash != expected_prev:
            if expected_prev == GENESIS:
                why = "the first change does not start the chain"
            else:
                why = "it does not follow the change before it (a change was removed or inserted)"
            return link.seq, why
        try:
            actual = entry_hash(link.prev_hash, link.entry)
        except ValidationError as exc:
            return link.seq, exc.message
        if link.hash != actual:
            return link.seq, "its hash does not match its content (the change was edited)"
        expected_prev = link.hash
    return None
