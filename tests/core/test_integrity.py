"""The hash chain: one byte form per value, and the first link that does not hold (no database)."""

from __future__ import annotations

import datetime
import hashlib
import math
from typing import Any

import pytest

from docket.core.errors import ValidationError
from docket.core.integrity import (
    GENESIS,
    Link,
    canonical_json,
    change_entry,
    entry_hash,
    first_break,
    timestamp,
)


def _chain(*entries: dict[str, Any]) -> list[Link]:
    links, prev = [], GENESIS
    for seq, entry in enumerate(entries, 1):
        digest = entry_hash(prev, entry)
        links.append(Link(seq=seq, prev_hash=prev, hash=digest, entry=entry))
        prev = digest
    return links


def test_canonical_json_is_sorted_compact_and_keeps_cyrillic() -> None:
    assert canonical_json({"b": 1, "a": ["Кордай", 2.5]}) == '{"a":["Кордай",2.5],"b":1}'.encode()


def test_canonical_json_ignores_key_order() -> None:
    assert canonical_json({"x": {"b": 1, "a": 2}}) == canonical_json({"x": {"a": 2, "b": 1}})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_canonical_json_refuses_values_json_cannot_hold(bad: float) -> None:
    with pytest.raises(ValidationError):
        canonical_json({"value": bad})


def test_entry_hash_covers_the_previous_hash_and_the_entry() -> None:
    expected = hashlib.sha256(GENESIS.encode() + b"\n" + b'{"a":1}').hexdigest()
    assert entry_hash(GENESIS, {"a": 1}) == expected
    assert entry_hash("1" * 64, {"a": 1}) != expected
    assert entry_hash(GENESIS, {"a": 2}) != expected


def test_a_change_time_is_hashed_in_utc_with_microseconds() -> None:
    almaty = datetime.timezone(datetime.timedelta(hours=5))
    at = datetime.datetime(2020, 2, 8, 5, 0, tzinfo=almaty)
    assert timestamp(at) == "2020-02-08T00:00:00.000000+00:00"
    with pytest.raises(ValidationError):
        timestamp(datetime.datetime(2020, 2, 8))


def test_a_change_entry_holds_everything_that_makes_the_change() -> None:
    entry = change_entry(
        seq=3,
        at=datetime.datetime(2020, 2, 8, tzinfo=datetime.UTC),
        actor="cli:tester",
        action="update",
        case="korday-2020",
        target_type="person",
        target_id="6f1d2f0e-4b8a-5c55-9d0e-6b8e8d3b7a21",
        code="P-1",
        data={"code": "P-1", "name": "Person One"},
    )
    assert set(entry) == {
        "seq",
        "at",
        "actor",
        "action",
        "case",
        "target_type",
        "target_id",
        "code",
        "data",
    }


def test_an_intact_chain_has_no_break() -> None:
    assert first_break(_chain({"n": 1}, {"n": 2}, {"n": 3})) is None
    assert first_break([]) is None


def test_an_edited_entry_breaks_the_chain_at_that_link() -> None:
    links = _chain({"n": 1}, {"n": 2}, {"n": 3})
    links[1] = Link(2, links[1].prev_hash, links[1].hash, {"n": 20})
    found = first_break(links)
    assert found is not None and found[0] == 2 and "edited" in found[1]


def test_a_removed_link_breaks_the_chain_at_the_one_after_it() -> None:
    links = _chain({"n": 1}, {"n": 2}, {"n": 3})
    found = first_break([links[0], links[2]])
    assert found is not None and found[0] == 3 and "removed" in found[1]


def test_the_first_link_must_start_from_genesis() -> None:
    links = _chain({"n": 1}, {"n": 2})
    found = first_break(links[1:])
    assert found is not None and found[0] == 2 and "first" in found[1]


def test_a_rehashed_edit_still_breaks_the_link_after_it() -> None:
    links = _chain({"n": 1}, {"n": 2}, {"n": 3})
    forged = entry_hash(links[0].hash, {"n": 20})
    links[1] = Link(2, links[0].hash, forged, {"n": 20})
    found = first_break(links)
    assert found is not None and found[0] == 3


def test_an_entry_that_cannot_be_hashed_is_a_break_not_a_crash() -> None:
    links = _chain({"n": 1})
    links.append(Link(2, links[0].hash, "f" * 64, {"n": math.nan}))
    found = first_break(links)
    assert found is not None and found[0] == 2
