"""The change history is a hash chain, and verify finds any write made behind Docket's back."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from docket.cli import cli
from docket.core.integrity import GENESIS
from docket.records import models as m
from docket.records.history import CHAIN_LOCK, verify_history
from docket.records.services import bundle_load
from tests.conftest import KORDAY
from tests.web.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")


@pytest.fixture
def documenter() -> Client:
    user = get_user_model().objects.create_user("documenter", password="a long password 1")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return login(Client(), user)


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _problems() -> list[str]:
    return [str(p) for p in verify_history().problems]


def test_loading_a_bundle_builds_an_intact_chain(loaded: None) -> None:
    changes = list(m.Change.objects.order_by("seq"))
    assert len(changes) == 22
    assert changes[0].prev_hash == GENESIS
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(len(c.hash) == 64 and c.hash != GENESIS for c in changes)
    assert len({c.hash for c in changes}) == len(changes)


def test_an_untouched_database_verifies(loaded: None) -> None:
    result = verify_history()
    assert (result.ok, result.changes, result.records) == (True, 22, 22)


def test_the_korday_case_verifies_after_loading() -> None:
    bundle_load(folder=KORDAY, actor="test")
    result = verify_history()
    assert result.problems == []
    assert result.changes == result.records > 150


def test_an_unchanged_reload_adds_nothing_and_still_verifies(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    bundle_load(folder=synthetic_bundle, actor="test")
    assert verify_history().ok and m.Change.objects.count() == 22


def test_a_row_changed_behind_dockets_back_is_named(loaded: None) -> None:
    _sql("UPDATE records_person SET name = %s WHERE code = %s", "Someone Else", "P-2")
    problems = verify_history().problems
    assert [(p.kind, p.code) for p in problems] == [("person", "P-2")]
    assert "'name'" in problems[0].message
    assert "Someone Else" not in str(problems[0]), "values are never shown"


def test_a_row_deleted_behind_dockets_back_is_caught(loaded: None) -> None:
    _sql("DELETE FROM records_figure WHERE code = %s", "F-1")
    assert _problems() == ["figure F-1 (case synth): the history has it but the database does not"]


def test_a_row_added_behind_dockets_back_is_caught(loaded: None) -> None:
    m.Source.objects.create(case=m.Case.objects.get(), code="S-9", kind="testimony", title="x")
    assert _problems() == [
        "source S-9 (case synth): in the database but in no change of the history"
    ]


def test_editing_a_change_breaks_the_chain_at_that_change(loaded: None) -> None:
    change = m.Change.objects.get(code="P-2")
    forged = {**change.data, "name": "Rewritten"}
    _sql("UPDATE records_change SET data = %s WHERE seq = %s", json.dumps(forged), change.seq)
    problems = verify_history().problems
    assert problems[0].seq == change.seq and "edited" in problems[0].message
    assert (problems[0].kind, problems[0].code) == ("person", "P-2")
    # The record no longer matches what the forged history claims either.
    assert [(p.kind, p.code) for p in problems[1:]] == [("person", "P-2")]


def test_removing_a_change_breaks_the_chain_at_the_next(loaded: None) -> None:
    seqs = list(m.Change.objects.order_by("seq").values_list("seq", flat=True))
    _sql("DELETE FROM records_change WHERE seq = %s", seqs[5])
    problems = verify_history().problems
    assert problems[0].seq == seqs[6] and "removed" in problems[0].message


def test_an_admin_edit_and_delete_keep_the_chain_intact(documenter: Client, loaded: None) -> None:
    group = m.Group.objects.get(code="G-1")
    response = documenter.post(
        f"/admin/records/group/{group.pk}/change/",
        {
            "case": str(group.case_id),
            "code": "G-1",
            "confidentiality": "internal",
            "review_state": "draft",
            "notes": "",
            "name": "Twenty people detained for a day",
            "size": "21",
            "size_low": "18",
            "size_high": "22",
            "attributes": '{"ethnicity": "kazakh"}',
        },
    )
    assert response.status_code == 302, response.content[:2000]
    figure = m.Figure.objects.get(code="F-1")
    response = documenter.post(f"/admin/records/figure/{figure.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert [c.action for c in m.Change.objects.order_by("-seq")[:2]] == ["delete", "update"]
    result = verify_history()
    assert result.problems == [] and result.changes == 24 and result.records == 21


def test_history_written_before_the_chain_is_chained_by_the_migration(loaded: None) -> None:
    m.Change.objects.update(prev_hash="", hash="")
    assert verify_history().problems[0].seq == m.Change.objects.order_by("seq").first().seq
    import_module("docket.records.migrations.0003_change_chain").chain_existing(apps, None)
    assert verify_history().ok


@pytest.mark.postgresql_only
def test_an_append_holds_the_chain_lock_to_the_end_of_the_transaction(loaded: None) -> None:
    # pg_locks splits a bigint advisory key into its high and low 32 bits.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            " AND classid = %s AND objid = %s",
            [CHAIN_LOCK >> 32, CHAIN_LOCK & 0xFFFFFFFF],
        )
        assert cursor.fetchone()[0] == 1


def test_the_cli_names_the_record_and_exits_1(loaded: None) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["verify"], catch_exceptions=False)
    assert clean.exit_code == 0, clean.output
    assert clean.output == "Verified: 22 changes, chain intact, 22 records match the history.\n"
    _sql("UPDATE records_person SET name = %s WHERE code = %s", "Someone Else", "P-2")
    broken = runner.invoke(cli, ["verify"], catch_exceptions=False)
    assert broken.exit_code == 1
    assert broken.output.splitlines()[0].startswith("person P-2 ")
    as_json = runner.invoke(cli, ["verify", "--json"], catch_exceptions=False)
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert report["ok"] is False and report["problems"][0]["code"] == "P-2"
