"""The Korday 2020 case as data: it loads, round-trips, cites the appeal, and the derived
status on 13 May 2020 agrees with what the appeal says of every named person.

The expected statuses (tests/records/data/korday_expected_2020-05-13.yaml) were written from the
appeal's text, each with the quote it rests on, independently of the status engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from docket.records import models as m
from docket.records.bundle import write_bundle
from docket.records.selectors import bundle_export, status_rows
from docket.records.services import bundle_load, case_get
from docket.records.statistics import stats_rows
from tests.conftest import KORDAY
from tests.records.helpers import wipe

pytestmark = pytest.mark.django_db

EXPECTED = yaml.safe_load(
    (Path(__file__).parent / "data" / "korday_expected_2020-05-13.yaml").read_text(encoding="utf-8")
)
IN_CUSTODY = {"detained", "pretrial_detention", "house_arrest", "imprisoned"}


@pytest.fixture(scope="module")
def korday_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the case once for the module (each test still runs in its own transaction)."""
    with django_db_blocker.unblock():
        bundle_load(folder=KORDAY, actor="test")
        try:
            yield
        finally:
            wipe()


@pytest.fixture
def korday(korday_once: None) -> m.Case:
    return case_get("korday-2020")


def _rows(case: m.Case, day: str) -> dict[str, dict]:
    return {r["code"]: r for r in status_rows(case, datetime.date.fromisoformat(day))}


def _expected(key: str) -> list[dict]:
    return EXPECTED[key] if isinstance(EXPECTED, dict) else EXPECTED


@pytest.mark.parametrize("person", _expected("as_of_2020-05-13"), ids=lambda p: p["code"])
def test_status_on_13_may_2020_agrees_with_the_appeal(korday: m.Case, person: dict) -> None:
    row = _rows(korday, "2020-05-13")[person["code"]]
    got = {
        "custody": row["custody"],
        "legal_stage": row["legal_stage"],
        "charges": sorted(row["charges"]),
        "birth_date": row["birth_date"],
    }
    want = {
        "custody": person["custody"],
        "legal_stage": person["legal_stage"],
        "charges": sorted(person.get("charges") or []),
        "birth_date": person.get("birth_date"),
    }
    assert got == want, person.get("why")


@pytest.mark.parametrize("person", _expected("as_of_2020-03-01"), ids=lambda p: p["code"])
def test_people_arrested_from_march_are_not_in_custody_on_1_march(
    korday: m.Case, person: dict
) -> None:
    row = _rows(korday, "2020-03-01")[person["code"]]
    assert row["custody"] not in IN_CUSTODY
    assert row["custody"] == person.get("custody", "unknown")


def test_every_spelling_the_appeal_uses_is_kept(korday: m.Case) -> None:
    names = {n for r in _rows(korday, "2020-05-13").values() for n in r["names"]}
    for spelling in ("E. Yukhnu", "E. Yukhu", "Darkhan Abdukeri", "Darkhan Abdukerim"):
        assert spelling in names
    assert any("Khuseizov" in n for n in names) and any("Khusezova" in n for n in names)


def test_every_record_cites_the_appeal_with_a_locator(korday: m.Case) -> None:
    appeal = m.Source.objects.get(case=korday, kind="appeal")
    for kind in (m.Person, m.Event, m.Figure, m.Group, m.Proceeding, m.Damage, m.Intervention):
        for record in kind.objects.filter(case=korday):
            cites = m.Citation.objects.filter(target_id=record.pk, source=appeal)
            assert cites.exists(), f"{record.code} does not cite the appeal"
            assert all(c.locator for c in cites), f"{record.code}: citation without locator"


def test_the_footnoted_articles_are_sources_with_their_urls(korday: m.Case) -> None:
    urls = set(m.Source.objects.filter(case=korday).values_list("url", flat=True))
    for url in (
        "https://rus.azattyq.org/a/30513270.html",
        "https://rus.azattyq.org/a/30585238.html",
    ):
        assert url in urls
    assert any("inform.kz" in u for u in urls) and any("notorture.kz" in u for u in urls)


def test_contradictions_in_the_appeal_are_kept_as_reported_figures(korday: m.Case) -> None:
    sentenced = set(
        m.Figure.objects.filter(case=korday, kind="sentenced").values_list("value", flat=True)
    )
    assert {5, 4} <= sentenced  # "5 out of 17 … sentenced" and "excluding 4 sentenced"
    arrested = set(
        m.Figure.objects.filter(case=korday, kind="arrested").values_list("value", flat=True)
    )
    assert {25, 17} <= arrested


def test_the_47_detained_count_with_the_groups(korday: m.Case) -> None:
    rows = stats_rows(korday, datetime.date(2020, 2, 9), ["kind", "ethnicity"])
    kazakh_groups = sum(
        r["count"] for r in rows if r["kind"] == "group" and r["ethnicity"] == "kazakh"
    )
    assert kazakh_groups >= 44


def test_the_case_round_trips(korday: m.Case, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_bundle(first, bundle_export(korday))
    wipe()
    bundle_load(folder=first, actor="test")
    write_bundle(second, bundle_export(case_get("korday-2020")))
    for path in sorted(first.iterdir()):
        assert path.read_text() == (second / path.name).read_text(), path.name


def test_the_shipped_case_is_in_canonical_form(korday: m.Case, tmp_path: Path) -> None:
    """What reviewers diff is exactly what `docket export` writes."""
    write_bundle(tmp_path / "out", bundle_export(korday))
    for path in sorted(KORDAY.iterdir()):
        assert path.read_text() == (tmp_path / "out" / path.name).read_text(), path.name


def test_the_timeline_runs_from_february_to_13_may_2020(korday: m.Case) -> None:
    from docket.core.dates import parse_date
    from docket.records.chronology import timeline

    entries = timeline(korday, audience="restricted").entries
    bounds = [parse_date(e["date"]) for e in entries]
    assert bounds[0].earliest == datetime.date(2020, 2, 7)
    assert max(b.latest for b in bounds if b.latest) == datetime.date(2020, 5, 13)
    assert [b.earliest for b in bounds] == sorted(b.earliest for b in bounds)
    assert entries[0]["type"] == "riot"


def test_the_8_9_february_detentions_reproduce_the_3_of_44_contrast(korday: m.Case) -> None:
    from scipy.stats import fisher_exact

    from docket.records.disparities import cohort_disparity

    result, labels = cohort_disparity(
        korday, by="ethnicity", as_of=datetime.date(2020, 2, 10), event="E-0006"
    )
    assert ("dungan", "yes", 3) in result.table and ("kazakh", "no", 44) in result.table
    assert result.p_value == pytest.approx(fisher_exact([[3, 0], [0, 44]]).pvalue)
    summary = result.summary("en", labels=labels["en"])
    assert summary.startswith("Of 47 people in E-0006 (8–9 February 2020), all 3 Dungans")


def test_check_finds_the_appeals_own_inconsistencies_and_no_uncited_record(korday: m.Case) -> None:
    from docket.records.consistency import findings

    found = findings(korday)
    assert not [f for f in found if f.kind == "uncited"]
    sentenced = [f for f in found if f.kind == "contradiction"]
    assert [f.records for f in sentenced] == [("F-0003", "F-0008")]  # "5 of 17" vs "excluding 4"
    dungans = next(f for f in found if f.records[0] == "F-0002")
    assert dungans.kind == "figure_mismatch"
    assert "says 17 arrested" in dungans.message and "the record counts" in dungans.message
