"""The status engine: custody and legal stage as of a date, from events (no database)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import pytest

from docket.core.errors import ValidationError
from docket.core.status import (
    CUSTODY,
    LEGAL_STAGES,
    MEASURE_CUSTODY,
    PRECEDENCE,
    SENTENCE_CUSTODY,
    Status,
    StatusEvent,
    effective_date,
    status_as_of,
)


def _bounds(text: str) -> tuple[date, date]:
    """Bounds of "YYYY", "YYYY-MM", "YYYY-MM-DD" or "A/B" (a range of those)."""
    if "/" in text:
        start, end = text.split("/")
        return _bounds(start)[0], _bounds(end)[1]
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def ev(
    type_: str, when: str, code: str, charges: tuple[str, ...] = (), **details: Any
) -> StatusEvent:
    earliest, latest = _bounds(when)
    return StatusEvent(type_, earliest, latest, when, details, charges, code)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_it_knows_nothing_without_events() -> None:
    assert status_as_of([], d("2020-02-08")) == Status("unknown", None, "none", None, (), ())


def test_it_knows_nothing_as_of_a_date_before_all_events() -> None:
    events = [ev("detention", "2020-02-08", "E-1"), ev("arrest", "2020-02-10", "E-2")]
    status = status_as_of(events, d("2020-02-07"))
    assert (status.custody, status.legal_stage, status.events) == ("unknown", "none", ())


def test_a_detainee_released_next_day_is_detained_on_day_one_and_free_on_day_two() -> None:
    events = [ev("detention", "2020-02-08", "E-1"), ev("release", "2020-02-09", "E-2")]
    day1, day2 = status_as_of(events, d("2020-02-08")), status_as_of(events, d("2020-02-09"))
    assert (day1.custody, day1.custody_since, day1.legal_stage) == (
        "detained",
        "2020-02-08",
        "suspect",
    )
    assert (day2.custody, day2.custody_since, day2.legal_stage) == ("free", "2020-02-09", "suspect")


def test_a_month_only_arrest_counts_from_the_end_of_the_month() -> None:
    events = [ev("arrest", "2020-03", "E-1")]
    assert effective_date(events[0]) == d("2020-03-31")
    assert status_as_of(events, d("2020-03-15")).custody == "unknown"
    late = status_as_of(events, d("2020-03-31"))
    assert (late.custody, late.custody_since) == ("pretrial_detention", "2020-03")


def test_a_date_range_counts_from_its_end() -> None:
    events = [ev("detention", "2020-02-08/2020-02-09", "E-1")]
    assert status_as_of(events, d("2020-02-08")).custody == "unknown"
    assert status_as_of(events, d("2020-02-09")).custody == "detained"


def test_an_upheld_appeal_counts_but_keeps_the_verdict_as_the_since() -> None:
    events = [
        ev("arrest", "2020-02-09", "E-1"),
        ev("charge", "2020-02-20", "E-2", ("KZ-CC-2014:380",)),
        ev("verdict", "2020-05", "E-3", outcome="convicted", sentence="imprisonment"),
        ev("appeal_decision", "2020-07-01", "E-4", outcome="upheld"),
    ]
    status = status_as_of(events, d("2020-08-01"))
    assert status == Status(
        custody="imprisoned",
        custody_since="2020-05",
        legal_stage="convicted",
        legal_stage_since="2020-05",
        charges=("KZ-CC-2014:380",),
        events=("E-1", "E-2", "E-3", "E-4"),
    )


def test_a_sentence_overturned_on_appeal_leaves_the_person_acquitted_and_free() -> None:
    events = [
        ev("verdict", "2020-05-10", "E-1", outcome="convicted", sentence="imprisonment"),
        ev("appeal_decision", "2020-07-01", "E-2", outcome="overturned"),
    ]
    status = status_as_of(events, d("2020-07-01"))
    assert (status.custody, status.legal_stage) == ("free", "acquitted")
    assert status.custody_since == status.legal_stage_since == "2020-07-01"


def test_an_appeal_modifying_the_sentence_to_suspended_gives_a_suspended_sentence() -> None:
    events = [
        ev("verdict", "2020-05-10", "E-1", outcome="convicted", sentence="imprisonment"),
        ev("appeal_decision", "2020-07-01", "E-2", outcome="modified", sentence="suspended"),
    ]
    status = status_as_of(events, d("2020-07-01"))
    assert (status.custody, status.custody_since) == ("suspended_sentence", "2020-07-01")
    assert (status.legal_stage, status.legal_stage_since) == ("convicted", "2020-05-10")


def test_an_appeal_ordering_a_retrial_puts_the_person_back_on_trial() -> None:
    events = [
        ev("verdict", "2020-05-10", "E-1", outcome="convicted", sentence="imprisonment"),
        ev("appeal_decision", "2020-07-01", "E-2", outcome="retrial"),
    ]
    status = status_as_of(events, d("2020-07-01"))
    assert (status.custody, status.legal_stage) == ("imprisoned", "on_trial")


def test_house_arrest_then_suspended_sentence_follows_the_e_yukhnu_sequence() -> None:
    # "E. Yukhnu was later released for home arrest and then got suspended sentence."
    events = [
        ev("detention", "2020-02", "E-1"),
        ev("release", "2020-03", "E-2", measure="house_arrest"),
        ev("verdict", "2020-05", "E-3", outcome="convicted", sentence="suspended"),
    ]
    assert status_as_of(events, d("2020-02-29")).custody == "detained"
    at_home = status_as_of(events, d("2020-04-15"))
    assert (at_home.custody, at_home.custody_since) == ("house_arrest", "2020-03")
    sentenced = status_as_of(events, d("2020-06-01"))
    assert (sentenced.custody, sentenced.legal_stage) == ("suspended_sentence", "convicted")


def test_a_person_released_under_a_travel_ban_is_restricted() -> None:
    events = [
        ev("arrest", "2020-02-10", "E-1"),
        ev("release", "2020-04-01", "E-2", measure="travel_ban"),
    ]
    assert status_as_of(events, d("2020-04-01")).custody == "restricted"


def test_a_release_with_an_unknown_measure_is_a_plain_release() -> None:
    events = [ev("arrest", "2020-02-10", "E-1"), ev("release", "2020-04-01", "E-2", measure="?")]
    assert status_as_of(events, d("2020-04-01")).custody == "free"


def test_a_measure_of_unknown_kind_leaves_custody_unchanged_but_makes_a_suspect() -> None:
    events = [ev("measure", "2020-02-10", "E-1", measure="curfew")]
    status = status_as_of(events, d("2020-02-10"))
    assert (status.custody, status.legal_stage, status.events) == ("unknown", "suspect", ("E-1",))


def test_closing_the_case_frees_a_detainee() -> None:
    events = [ev("detention", "2020-02-08", "E-1"), ev("case_closed", "2020-03-01", "E-2")]
    status = status_as_of(events, d("2020-03-01"))
    assert (status.custody, status.legal_stage) == ("free", "closed")


def test_closing_the_case_does_not_end_a_prison_sentence() -> None:
    events = [
        ev("verdict", "2020-05-10", "E-1", outcome="convicted", sentence="imprisonment"),
        ev("case_closed", "2020-06-01", "E-2"),
    ]
    assert status_as_of(events, d("2020-06-01")).custody == "imprisoned"


def test_death_is_final_even_when_a_later_verdict_is_recorded() -> None:
    events = [
        ev("arrest", "2020-02-10", "E-1"),
        ev("death", "2020-03-05", "E-2", cause="unknown"),
        ev("verdict", "2020-05", "E-3", outcome="convicted", sentence="imprisonment"),
    ]
    status = status_as_of(events, d("2020-06-01"))
    assert (status.custody, status.custody_since) == ("deceased", "2020-03-05")
    assert (status.legal_stage, status.events) == ("suspect", ("E-1", "E-2"))


def test_a_killing_makes_the_person_deceased() -> None:
    events = [ev("killing", "2020-02-07", "E-1"), ev("release", "2020-02-08", "E-2")]
    assert status_as_of(events, d("2020-02-09")).custody == "deceased"


def test_detained_and_released_on_the_same_day_ends_free() -> None:
    # Given in the "wrong" order and with codes that sort the wrong way round.
    events = [ev("release", "2020-02-08", "E-1"), ev("detention", "2020-02-08", "E-2")]
    status = status_as_of(events, d("2020-02-08"))
    assert (status.custody, status.events) == ("free", ("E-2", "E-1"))


def test_charges_accumulate_distinct_in_first_charged_order() -> None:
    events = [
        ev("charge", "2020-02-20", "E-1", ("KZ-CC-2014:293", "KZ-CC-2014:107")),
        ev("indictment", "2020-03-20", "E-2", ("KZ-CC-2014:107", "KZ-CC-2014:380")),
        ev("charge", "2020-03-25", "E-3", ("KZ-CC-2014:293",)),
    ]
    status = status_as_of(events, d("2020-04-01"))
    assert status.charges == ("KZ-CC-2014:293", "KZ-CC-2014:107", "KZ-CC-2014:380")
    assert (status.legal_stage, status.legal_stage_since) == ("accused", "2020-02-20")


def test_a_charge_during_trial_keeps_the_person_on_trial() -> None:
    events = [
        ev("trial", "2020-04-01", "E-1"),
        ev("charge", "2020-04-10", "E-2", ("KZ-CC-2014:380",)),
    ]
    status = status_as_of(events, d("2020-04-10"))
    assert (status.legal_stage, status.charges) == ("on_trial", ("KZ-CC-2014:380",))


def test_events_are_listed_in_the_order_applied_and_other_types_are_left_out() -> None:
    events = [
        ev("verdict", "2020-05", "E-5", outcome="acquitted"),
        ev("search", "2020-02-08", "E-9"),
        ev("trial", "2020-04-01", "E-4"),
        ev("detention", "2020-02-08", "E-3"),
        ev("arrest", "2020-02-08", "E-1"),
    ]
    status = status_as_of(events, d("2020-06-01"))
    assert status.events == ("E-3", "E-1", "E-4", "E-5")
    assert (status.custody, status.legal_stage) == ("free", "acquitted")


def test_a_repeated_detention_does_not_move_the_since() -> None:
    events = [ev("detention", "2020-02-08", "E-1"), ev("detention", "2020-02-09", "E-2")]
    status = status_as_of(events, d("2020-02-10"))
    assert (status.custody_since, status.events) == ("2020-02-08", ("E-1", "E-2"))


def test_a_verdict_without_outcome_but_with_a_sentence_is_a_conviction() -> None:
    events = [ev("verdict", "2020-05-10", "E-1", sentence="fine")]
    status = status_as_of(events, d("2020-05-10"))
    assert (status.custody, status.legal_stage) == ("free", "convicted")


def test_a_conviction_without_sentence_leaves_custody_as_it_was() -> None:
    events = [
        ev("arrest", "2020-02-10", "E-1"),
        ev("verdict", "2020-05", "E-2", outcome="convicted"),
    ]
    status = status_as_of(events, d("2020-06-01"))
    assert (status.custody, status.legal_stage) == ("pretrial_detention", "convicted")


def test_an_event_whose_date_ends_before_it_begins_is_an_error() -> None:
    bad = StatusEvent(
        "arrest", d("2020-03-02"), d("2020-03-01"), "2020-03-02/2020-03-01", code="E-7"
    )
    with pytest.raises(ValidationError, match="E-7"):
        status_as_of([bad], d("2020-04-01"))


def test_the_tables_speak_only_the_vocabularies() -> None:
    assert set(MEASURE_CUSTODY.values()) | set(SENTENCE_CUSTODY.values()) <= set(CUSTODY)
    assert "none" in LEGAL_STAGES and "unknown" in CUSTODY
    assert PRECEDENCE["detention"] < PRECEDENCE["release"] < PRECEDENCE["death"]
