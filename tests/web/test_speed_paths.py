"""The person list and the overview read persons as plain values (``status_subjects``); the
results must be exactly those of the full read (``load_subjects``) that the rest of Docket uses."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from docket.core.status import status_as_of
from docket.records import models as m
from docket.records.people import person_list
from docket.records.selectors import load_subjects, status_subjects
from docket.records.services import bundle_load
from docket.records.statistics import stats_rows

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2020, 2, 7), datetime.date(2020, 2, 10), datetime.date(2020, 5, 13)]


@pytest.fixture
def korday(korday_bundle: Path) -> m.Case:
    bundle_load(folder=korday_bundle, actor="test")
    return m.Case.objects.get()


@pytest.mark.parametrize("audience", ["public", "partner", "internal", "restricted"])
def test_plain_persons_give_the_same_statuses_and_counts(korday: m.Case, audience: str) -> None:
    full = load_subjects(korday, audience=audience)
    plain = status_subjects(korday, audience=audience)
    assert [p.code for p, *_ in plain.persons] == [p.code for p, *_ in full.persons]
    assert [g.code for g, _ in plain.groups] == [g.code for g, _ in full.groups]
    assert len(full.persons) > 10
    for day in DAYS:
        for (p, events, _, _), (q, plain_events, _, _) in zip(
            full.persons, plain.persons, strict=True
        ):
            assert status_as_of(events, day) == status_as_of(plain_events, day), p.code
            assert p.shown_name(audience, "ru") == q.shown_name(audience, "ru")
        by = ["custody", "ethnicity", "residence", "sex", "article"]
        assert stats_rows(korday, day, by, audience=audience) == stats_rows(
            korday, day, by, audience=audience, subjects=plain
        )


def test_the_person_list_matches_the_full_read(korday: m.Case) -> None:
    day = DAYS[-1]
    full = {
        p.code: status_as_of(events, day)
        for p, events, _, _ in load_subjects(korday, audience="internal").persons
    }
    rows = person_list(korday, audience="internal", lang="en", as_of=day)
    assert {r["code"]: (r["custody"], r["legal_stage"], tuple(r["charges"])) for r in rows} == {
        code: (s.custody, s.legal_stage, s.charges) for code, s in full.items()
    }
    held = person_list(korday, audience="internal", lang="en", as_of=day, custody="imprisoned")
    assert held and {r["code"] for r in held} == {
        code for code, s in full.items() if s.custody == "imprisoned"
    }
