"""Disparities computed from the record: cohorts from events or filters, outcomes from status."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from scipy.stats import fisher_exact

from docket.core.errors import NotFound, UnknownTerm, ValidationError
from docket.records.disparities import cohort_disparity
from docket.records.services import bundle_load, case_get

pytestmark = pytest.mark.django_db

# The group of 20 and two persons are detained on 8–9 February; only the persons stay held.


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    path = synthetic_bundle / "events.yaml"
    path.write_text(
        path.read_text().replace(
            "    - {group: G-1, role: victim}\n",
            "    - {group: G-1, role: victim}\n    - {person: P-1, role: victim}\n"
            "    - {person: P-2, role: victim}\n",
            1,
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")


def test_event_cohort_compares_persons_and_weighted_groups(loaded: None) -> None:
    result, labels = cohort_disparity(
        case_get(), by="ethnicity", as_of=datetime.date(2020, 2, 10), event="E-1"
    )
    assert ("dungan", "yes", 2) in result.table and ("kazakh", "no", 20) in result.table
    assert result.n == 22
    expected = fisher_exact([[2, 0], [0, 20]]).pvalue
    assert result.p_value == pytest.approx(expected)
    summary = result.summary("en", labels=labels["en"])
    assert "Dungans" in summary and "Kazakhs" in summary and "Fisher" in summary
    assert "дунгане" in result.summary("ru", labels=labels["ru"]).lower()


def test_outcome_can_be_a_later_event_or_a_legal_stage(loaded: None) -> None:
    charged, _ = cohort_disparity(
        case_get(),
        by="ethnicity",
        as_of=datetime.date(2020, 5, 13),
        event="E-1",
        outcome="event:charge",
    )
    assert ("dungan", "yes", 1) in charged.table  # only Person One was charged later
    convicted, _ = cohort_disparity(
        case_get(),
        by="ethnicity",
        as_of=datetime.date(2020, 5, 13),
        event="E-1",
        outcome="legal_stage",
        positive="convicted",
    )
    assert ("dungan", "convicted", 1) in convicted.table


def test_filtered_cohort_of_named_persons(loaded: None) -> None:
    result, _ = cohort_disparity(
        case_get(), by="sex", as_of=datetime.date(2020, 5, 13), where={"ethnicity": "dungan"}
    )
    assert result.n + result.excluded == 2


def test_bad_requests_are_errors(loaded: None) -> None:
    case = case_get()
    day = datetime.date(2020, 5, 13)
    with pytest.raises(NotFound, match='no event with code "E-404"'):
        cohort_disparity(case, by="ethnicity", as_of=day, event="E-404")
    with pytest.raises(ValidationError, match='cannot compare by "colour"'):
        cohort_disparity(case, by="colour", as_of=day, event="E-1")
    with pytest.raises(UnknownTerm):
        cohort_disparity(case, by="ethnicity", as_of=day, event="E-1", outcome="event:raid")
    with pytest.raises(ValidationError, match="--positive"):
        cohort_disparity(case, by="ethnicity", as_of=day, event="E-1", outcome="custody")
    with pytest.raises(ValidationError, match="cohort is empty"):
        cohort_disparity(case, by="ethnicity", as_of=day, where={"ethnicity": "uyghur"})


def test_the_public_cohort_leaves_out_what_it_may_not_see(loaded: None) -> None:
    with pytest.raises(ValidationError, match="cohort is empty"):
        cohort_disparity(
            case_get(),
            by="ethnicity",
            as_of=datetime.date(2020, 2, 10),
            event="E-1",
            audience="public",
        )
