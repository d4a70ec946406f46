"""Case bundles: atomic, idempotent loading with precise errors, and a lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.errors import BundleError, ValidationError
from docket.records import models as m
from docket.records.bundle import write_bundle
from docket.records.selectors import bundle_export
from docket.records.services import bundle_load, case_get
from tests.records.helpers import snapshot, wipe

pytestmark = pytest.mark.django_db


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loading_creates_every_record(synthetic_bundle: Path) -> None:
    report = bundle_load(folder=synthetic_bundle, actor="test")
    assert report.created == {
        "source": 1,
        "place": 2,
        "organization": 2,
        "person": 3,
        "group": 1,
        "proceeding": 1,
        "event": 8,
        "figure": 2,
        "damage": 1,
        "intervention": 1,
    }
    person = m.Person.objects.get(code="P-1")
    assert (person.birth_date, person.birth_date_earliest.isoformat()) == (
        "1990-01-29",
        "1990-01-29",
    )
    assert m.Event.objects.get(code="E-3").date == "2020-03"
    assert m.Event.objects.get(code="E-3").date_latest.isoformat() == "2020-03-31"
    assert m.Change.objects.filter(action="create").count() == report.total("created")


def test_loading_twice_changes_nothing(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    before = snapshot()
    report = bundle_load(folder=synthetic_bundle, actor="test")
    assert report.total("created") == report.total("updated") == 0
    assert report.total("unchanged") == 22
    assert snapshot() == before


def test_an_edit_is_an_update_with_history(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    _replace(synthetic_bundle / "persons.yaml", "name: Person Two", "name: Person Two Edited")
    report = bundle_load(folder=synthetic_bundle, actor="editor")
    assert report.updated == {"person": 1}
    versions = m.Change.objects.filter(code="P-2").order_by("seq")
    assert [v.data["name"] for v in versions] == ["Person Two", "Person Two Edited"]
    assert versions.last().actor == "editor"


BAD_RECORDS = [
    (
        "persons.yaml",
        "birth_date: 29.01.1990",
        "birth_date: 30.02.1990",
        "persons.yaml: P-1: birth_date",
    ),
    ("persons.yaml", "ethnicity: dungan", "ethnicity: dungn", "persons.yaml: P-1: ethnicity"),
    ("events.yaml", "type: charge", "type: chrage", "events.yaml: E-4: type"),
    ("events.yaml", "KZ-CC-2014:272", "KZ-CC-2014:9999", "events.yaml: E-4: charges[1]: article"),
    (
        "events.yaml",
        "role: perpetrator",
        "role: villain",
        "events.yaml: E-1: participants[2]: role",
    ),
    ("events.yaml", "term_months: 18", "term_months: -18", "events.yaml: E-5: details"),
    ("events.yaml", "proceeding: PR-1", "proceeding: PR-9", "events.yaml: E-3: proceeding"),
    ("places.yaml", "parent: PL-1", "parent: PL-404", "places.yaml: PL-2: parent"),
    ("groups.yaml", "size: 20", "size: twenty", "groups.yaml: G-1: size"),
    (
        "damages.yaml",
        "currency: KZT",
        "currency: tenge",
        "damages.yaml: D-1: items[1]: assessed: currency",
    ),
    (
        "interventions.yaml",
        "status: no_response",
        "status: ignored",
        "interventions.yaml: I-1: status",
    ),
    ("figures.yaml", "value: 17", "value: seventeen", "figures.yaml: F-2: value"),
    ("sources.yaml", "kind: testimony", "kind: rumour", "sources.yaml: S-1: kind"),
    ("persons.yaml", "  sex: male", "  colour: male", "persons.yaml: P-1: colour"),
    ("organizations.yaml", "place: PL-2", "place: [PL-2", "organizations.yaml"),
]


@pytest.mark.parametrize(("file", "old", "new", "where"), BAD_RECORDS)
def test_one_bad_record_anywhere_leaves_the_database_unchanged(
    synthetic_bundle: Path, file: str, old: str, new: str, where: str
) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    _replace(synthetic_bundle / "persons.yaml", "name: Person Two", "name: Person Two Edited")
    before = snapshot()
    _replace(synthetic_bundle / file, old, new)
    with pytest.raises(BundleError) as caught:
        bundle_load(folder=synthetic_bundle, actor="test")
    assert any(str(p).startswith(where) for p in caught.value.problems), caught.value.problems
    assert snapshot() == before


def test_a_bad_bundle_into_an_empty_database_writes_nothing(synthetic_bundle: Path) -> None:
    _replace(synthetic_bundle / "events.yaml", 'date: "2020-04-25"', 'date: "2020-04-31"')
    with pytest.raises(BundleError) as caught:
        bundle_load(folder=synthetic_bundle, actor="test")
    assert "events.yaml: E-8: date" in str(caught.value)
    assert "April 2020 has 30 days" in str(caught.value) or "2020-04-31" in str(caught.value)
    assert all(not rows for rows in snapshot().values())


def test_every_problem_is_reported_at_once(synthetic_bundle: Path) -> None:
    _replace(synthetic_bundle / "persons.yaml", "ethnicity: dungan", "ethnicity: martian")
    _replace(synthetic_bundle / "events.yaml", "type: search", "type: raid")
    with pytest.raises(BundleError) as caught:
        bundle_load(folder=synthetic_bundle, actor="test")
    text = "\n".join(map(str, caught.value.problems))
    assert "P-1: ethnicity" in text and "dungan, kazakh" in text
    assert "E-6: type" in text and "detention, arrest" in text


def test_duplicate_codes_and_unknown_files_are_errors(synthetic_bundle: Path) -> None:
    _replace(synthetic_bundle / "persons.yaml", "code: P-2", "code: P-1")
    (synthetic_bundle / "witnesses.yaml").write_text("[]")
    with pytest.raises(BundleError) as caught:
        bundle_load(folder=synthetic_bundle, actor="test")
    text = "\n".join(map(str, caught.value.problems))
    assert "persons.yaml: P-1: code: is used twice" in text
    assert "witnesses.yaml: is not a bundle file" in text


def test_a_verified_record_must_cite_a_source(synthetic_bundle: Path) -> None:
    _replace(
        synthetic_bundle / "persons.yaml",
        "name: Person Two",
        "name: Person Two\n  review_state: verified",
    )
    with pytest.raises(
        BundleError, match="P-2: review_state: a verified record needs at least one citation"
    ):
        bundle_load(folder=synthetic_bundle, actor="test")


def test_round_trip_is_lossless(synthetic_bundle: Path, tmp_path: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    first = tmp_path / "first"
    write_bundle(first, bundle_export(case_get()))
    wipe()
    bundle_load(folder=first, actor="test")
    second = tmp_path / "second"
    write_bundle(second, bundle_export(case_get()))
    assert _files(first) == _files(second)
    assert (
        "Died during the search of her son's house.\n    Second line"
        in _files(first)["persons.yaml"]
    )
    assert "П. Один" in _files(first)["persons.yaml"]


def test_export_keeps_ids_that_differ_from_derived_ones(
    synthetic_bundle: Path, tmp_path: Path
) -> None:
    _replace(
        synthetic_bundle / "groups.yaml",
        "code: G-1",
        "code: G-1\n  id: 0b7e1a4e-7c3e-4b8e-9d55-5f0c2c1f6a10",
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    out = tmp_path / "out"
    write_bundle(out, bundle_export(case_get()))
    assert "id: 0b7e1a4e-7c3e-4b8e-9d55-5f0c2c1f6a10" in (out / "groups.yaml").read_text()
    assert "id:" not in (out / "persons.yaml").read_text()


def test_a_code_taken_by_another_record_is_refused(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    before = snapshot()
    _replace(
        synthetic_bundle / "groups.yaml",
        "code: G-1",
        "code: G-1\n  id: 0b7e1a4e-7c3e-4b8e-9d55-5f0c2c1f6a10",
    )
    with pytest.raises(ValidationError, match="groups.yaml: G-1: code G-1 already belongs"):
        bundle_load(folder=synthetic_bundle, actor="test")
    assert snapshot() == before


def test_a_record_keeps_its_id_when_its_code_changes(synthetic_bundle: Path) -> None:
    _replace(
        synthetic_bundle / "groups.yaml",
        "code: G-1",
        "code: G-1\n  id: 0b7e1a4e-7c3e-4b8e-9d55-5f0c2c1f6a10",
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    for name in ("groups.yaml", "events.yaml", "interventions.yaml"):
        path = synthetic_bundle / name
        path.write_text(path.read_text().replace("G-1", "G-7"))
    report = bundle_load(folder=synthetic_bundle, actor="test")
    assert report.created == {} and report.updated["group"] == 1
    assert str(m.Group.objects.get(code="G-7").pk) == "0b7e1a4e-7c3e-4b8e-9d55-5f0c2c1f6a10"
