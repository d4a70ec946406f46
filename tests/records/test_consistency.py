"""`docket check` on small hand-written bundles: each kind of finding, and clean cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.records.consistency import findings
from docket.records.services import bundle_load, case_get

pytestmark = pytest.mark.django_db

CASE = "code: tiny\ndefaults: {confidentiality: internal, review_state: draft}\n"
SOURCES = """
- code: S-1
  kind: testimony
  title: Witness A
- code: S-2
  kind: news_article
  title: Article B
"""
CITE1 = "  citations: [{source: S-1, locator: p. 1}]\n"
CITE2 = "  citations: [{source: S-2, locator: p. 2}]\n"


def _bundle(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "case.yaml").write_text(CASE)
    (folder / "sources.yaml").write_text(SOURCES)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text)
    return folder


def _found(tmp_path: Path, **files: str) -> list:
    bundle_load(folder=_bundle(tmp_path, **files), actor="test")
    return findings(case_get("tiny"))


def _kinds(found: list) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.kind, f.severity, f.records) for f in found]


PERSON = "- code: P-1\n  name: Ana Example\n  birth_date: '1990'\n  ethnicity: dungan\n" + CITE1


def test_a_fully_cited_consistent_record_has_no_findings(tmp_path: Path) -> None:
    events = (
        "- code: E-1\n  type: arrest\n  date: '2020-03-01'\n  title: Arrest\n"
        "  participants: [{person: P-1, role: victim}]\n"
        + CITE1
        + "- code: E-2\n  type: release\n  date: '2020-03-05'\n  title: Release\n"
        "  participants: [{person: P-1, role: victim}]\n" + CITE1
    )
    figures = (
        "- code: F-1\n  kind: arrested\n  value: 1\n  as_of: '2020-03-31'\n"
        "  filter: {ethnicity: dungan}\n  statement: one arrested\n" + CITE2
    )
    assert findings_of(tmp_path, persons=PERSON, events=events, figures=figures) == []


def findings_of(tmp_path: Path, **files: str) -> list:
    return _kinds(_found(tmp_path, **files))


def test_uncited_records_are_reported_and_verified_ones_are_errors(tmp_path: Path) -> None:
    persons = (
        PERSON
        + "- code: P-2\n  name: Bo Example\n- code: P-3\n  name: Cy\n  review_state: retracted\n"
    )
    assert findings_of(tmp_path, persons=persons) == [("uncited", "warning", ("P-2",))]


def test_a_figure_the_record_counts_differently(tmp_path: Path) -> None:
    events = (
        "- code: E-1\n  type: arrest\n  date: '2020-03-01'\n  title: Arrest\n"
        "  participants: [{person: P-1, role: victim}]\n" + CITE1
    )
    figures = (
        "- code: F-1\n  kind: arrested\n  value: 3\n  as_of: '2020-03-31'\n"
        "  statement: three arrested\n"
        + CITE2
        + "- code: F-2\n  kind: arrested\n  value: 1\n  as_of: '2020-03-01'\n  counts: new\n"
        "  statement: one more arrested that day\n"
        + CITE2
        + "- code: F-3\n  kind: complainants\n  value: 6\n  as_of: '2020-03-31'\n"
        "  statement: six complained\n" + CITE2
    )
    found = _found(tmp_path, persons=PERSON, events=events, figures=figures)
    assert _kinds(found) == [
        ("figure_mismatch", "warning", ("F-1", "P-1")),
        ("figure_mismatch", "info", ("F-3",)),
    ]
    assert "the record counts 1" in found[0].message


def test_figures_that_contradict_each_other(tmp_path: Path) -> None:
    figures = (
        "- code: F-1\n  kind: sentenced\n  value: 5\n  as_of: '2020-05-13'\n"
        "  filter: {ethnicity: dungan}\n  statement: 5 of 17 sentenced\n"
        + CITE1
        + "- code: F-2\n  kind: sentenced\n  value: 4\n  as_of: '2020-05-13'\n"
        "  statement: excluding 4 sentenced\n"
        + CITE1
        + "- code: F-3\n  kind: sentenced\n  value: 6\n  as_of: '2020-05-13'\n"
        "  statement: six sentenced\n" + CITE2
    )
    found = [k for k in findings_of(tmp_path, figures=figures) if k[0] == "contradiction"]
    assert ("contradiction", "warning", ("F-2", "F-3")) in found  # same question, 4 vs 6
    assert ("contradiction", "warning", ("F-1", "F-2")) in found  # 5 Dungans > 4 in all
    assert ("contradiction", "warning", ("F-1", "F-3")) not in found  # 5 of 6: possible


def test_two_death_dates_and_two_sentences_contradict(tmp_path: Path) -> None:
    persons = PERSON.replace(
        "  birth_date", "  deceased: true\n  death_date: '2020-04-24'\n  birth_date"
    )
    events = (
        "- code: E-1\n  type: death\n  date: '2020-05-02'\n  title: Death\n"
        "  participants: [{person: P-1, role: victim}]\n" + CITE2
    )
    found = findings_of(tmp_path, persons=persons, events=events)
    assert ("contradiction", "warning", ("E-1", "P-1")) in found
    compatible = events.replace("'2020-05-02'", "2020-04")
    (tmp_path / "again").mkdir()
    assert not [
        k
        for k in findings_of(tmp_path / "again", persons=persons, events=compatible)
        if k[0] == "contradiction"
    ]


def test_impossible_sequences_are_flagged_only_when_certain(tmp_path: Path) -> None:
    persons = PERSON.replace(
        "  birth_date", "  deceased: true\n  death_date: '2020-04-24'\n  birth_date"
    )
    events = (
        "- code: E-1\n  type: detention\n  date: '2020-05-01'\n  title: Detained after death\n"
        "  participants: [{person: P-1, role: victim}]\n"
        + CITE1
        + "- code: E-2\n  type: release\n  date: '2020-03-01'\n  title: Release first\n"
        "  participants: [{person: P-1, role: victim}]\n"
        + CITE1
        + "- code: E-3\n  type: arrest\n  date: 2020-03\n  title: Arrest some time in March\n"
        "  participants: [{person: P-1, role: victim}]\n" + CITE1
    )
    found = [
        k
        for k in findings_of(tmp_path, persons=persons, events=events)
        if k[0] == "impossible_sequence"
    ]
    assert found == [("impossible_sequence", "error", ("E-1", "P-1"))]  # E-2/E-3 may overlap


def test_possible_duplicates(tmp_path: Path) -> None:
    persons = (
        PERSON
        + "- code: P-2\n  name: ana  example\n  birth_date: 1990-01-29\n"
        + CITE1
        + "- code: P-3\n  name: M. Voinhuy\n"
        + CITE1
        + "- code: P-4\n  name: A. Voinhuy\n"
        + CITE1
    )
    found = [k for k in findings_of(tmp_path, persons=persons) if k[0] == "possible_duplicate"]
    assert found == [("possible_duplicate", "warning", ("P-1", "P-2"))]
