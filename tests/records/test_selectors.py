"""Status and statistics are derived from events at read time, for persons and groups."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from docket.core.errors import ValidationError
from docket.records.selectors import status_rows
from docket.records.services import bundle_load, case_get
from docket.records.statistics import event_stats_rows, period_ends, series_rows, stats_rows

pytestmark = pytest.mark.django_db


def _status(day: str) -> dict[str, dict]:
    return {r["code"]: r for r in status_rows(case_get(), datetime.date.fromisoformat(day))}


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")


def test_status_follows_a_prosecution_through_time(loaded: None) -> None:
    assert _status("2020-03-30")["P-1"]["custody"] == "unknown"  # month-only arrest: from 31 March
    p1 = _status("2020-03-31")["P-1"]
    assert (p1["custody"], p1["custody_since"], p1["legal_stage"]) == (
        "pretrial_detention",
        "2020-03",
        "suspect",
    )
    p1 = _status("2020-04-10")["P-1"]
    assert (p1["legal_stage"], p1["charges"]) == ("accused", ["KZ-CC-2014:272"])
    assert _status("2020-05-11")["P-1"]["legal_stage"] == "accused"  # verdict range ends 12 May
    p1 = _status("2020-05-12")["P-1"]
    assert (p1["custody"], p1["legal_stage"], p1["custody_since"]) == (
        "imprisoned",
        "convicted",
        "2020-05-04/2020-05-12",
    )


def test_release_under_travel_ban_and_death(loaded: None) -> None:
    day = _status("2020-04-24")
    assert day["P-2"]["custody"] == "detained"
    assert day["P-3"]["custody"] == "deceased"
    assert _status("2020-04-23")["P-3"]["custody"] == "unknown"
    assert _status("2020-04-25")["P-2"]["custody"] == "restricted"


def test_status_row_has_the_promised_fields(loaded: None) -> None:
    p1 = _status("2020-05-13")["P-1"]
    assert p1["names"] == ["Person One", "П. Один"]
    assert p1["birth_date"] == "1990-01-29"
    assert p1["ethnicity"] == "dungan"
    assert p1["sources"] == 1
    assert _status("2020-05-13")["P-2"]["birth_date"] == "1985~"
    assert set(p1) >= {
        "id",
        "code",
        "name",
        "names",
        "birth_date",
        "ethnicity",
        "custody",
        "custody_since",
        "legal_stage",
        "charges",
        "sources",
    }


def test_groups_count_with_their_best_low_and_high_size(loaded: None) -> None:
    during = stats_rows(case_get(), datetime.date(2020, 2, 9), ["kind", "custody"])
    assert {
        "kind": "group",
        "custody": "detained",
        "count": 20,
        "count_low": 18,
        "count_high": 22,
    } in during
    after = stats_rows(case_get(), datetime.date(2020, 2, 10), ["ethnicity", "custody"])
    assert {
        "ethnicity": "kazakh",
        "custody": "free",
        "count": 20,
        "count_low": 18,
        "count_high": 22,
    } in after


def test_stats_by_article_counts_each_charge(loaded: None) -> None:
    rows = stats_rows(case_get(), datetime.date(2020, 5, 13), ["article"])
    assert {"article": "KZ-CC-2014:272", "count": 1, "count_low": 1, "count_high": 1} in rows
    assert {"article": "none", "count": 2 + 20, "count_low": 2 + 18, "count_high": 2 + 22} in rows


def test_stats_by_residence_and_in_custody(loaded: None) -> None:
    rows = stats_rows(case_get(), datetime.date(2020, 4, 24), ["residence", "in_custody"])
    assert {
        "residence": "Village B",
        "in_custody": "yes",
        "count": 1,
        "count_low": 1,
        "count_high": 1,
    } in rows  # Person One, arrested in March


def test_stats_reject_an_unknown_field(loaded: None) -> None:
    with pytest.raises(
        ValidationError, match='cannot group persons by "colour"; choose from: kind'
    ):
        stats_rows(case_get(), datetime.date(2020, 5, 13), ["colour"])


def test_a_series_repeats_the_count_at_each_period_end(loaded: None) -> None:
    days = period_ends(datetime.date(2020, 2, 1), datetime.date(2020, 5, 13), "month")
    assert [d.isoformat() for d in days] == ["2020-02-29", "2020-03-31", "2020-04-30", "2020-05-13"]
    rows = series_rows(case_get(), days, ["in_custody"])
    held = {r["date"]: r["count"] for r in rows if r["in_custody"] == "yes"}
    assert held == {"2020-03-31": 1, "2020-04-30": 1, "2020-05-13": 1}
    weeks = period_ends(datetime.date(2020, 2, 5), datetime.date(2020, 2, 20), "week")
    assert [d.isoformat() for d in weeks] == ["2020-02-09", "2020-02-16", "2020-02-20"]


def test_events_by_type_and_month_with_victims(loaded: None) -> None:
    rows = event_stats_rows(case_get(), ["type", "month"])
    assert {
        "type": "detention",
        "month": "2020-02",
        "events": 1,
        "victims": 20,
        "victims_low": 18,
        "victims_high": 22,
    } in rows
    assert {
        "type": "verdict",
        "month": "2020-05",
        "events": 1,
        "victims": 0,
        "victims_low": 0,
        "victims_high": 0,
    } in rows
    spring = event_stats_rows(case_get(), ["year"], date_from=datetime.date(2020, 4, 1))
    assert spring == [
        {"year": "2020", "events": 5, "victims": 3, "victims_low": 3, "victims_high": 3}
    ]


def test_the_public_count_leaves_out_what_it_may_not_see(loaded: None) -> None:
    internal = stats_rows(case_get(), datetime.date(2020, 5, 13), ["kind"])
    public = stats_rows(case_get(), datetime.date(2020, 5, 13), ["kind"], audience="public")
    assert sum(r["count"] for r in internal) == 23
    assert public == []  # the synthetic case is internal by default
