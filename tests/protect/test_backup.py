"""Encrypted backups: the standard `age` tool decrypts them, and a restore into an empty
database gives back the same record and the same history, which then verifies."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from docket.records import models as m
from docket.records.history import verify_history
from tests.protect.conftest import fails, ok
from tests.records.helpers import snapshot, wipe

pytestmark = pytest.mark.django_db

CHANGE_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "case__code",
    "target_type",
    "target_id",
    "code",
    "data",
    "prev_hash",
    "hash",
)
RECORD_FIELDS = ("id", "code", "created_at", "updated_at", "created_by", "updated_by")


def _tool(name: str) -> str:
    """The age command-line tools are required: a missing one fails, it is never skipped."""
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    assert found, (
        f"`{name}` is not installed: install the Debian package `age` "
        "(apt-get install age); these tests check backups with the standard age tool"
    )
    return found


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def identity(tmp_path: Path) -> tuple[Path, str]:
    """An age identity made by age-keygen, and its public key (the recipient)."""
    key = tmp_path / "age-key.txt"
    subprocess.run([_tool("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(
        [_tool("age-keygen"), "-y", str(key)], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert public.startswith("age1")
    return key, public


def _export(runner: CliRunner, folder: Path) -> dict[str, bytes]:
    ok(runner, "export", "--out", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _changes() -> list[tuple[object, ...]]:
    return list(m.Change.objects.order_by("seq").values_list(*CHANGE_FIELDS))


def _record_meta() -> list[tuple[object, ...]]:
    return sorted(m.Person.objects.values_list(*RECORD_FIELDS)) + sorted(
        m.Event.objects.values_list(*RECORD_FIELDS)
    )


def _backup(runner: CliRunner, tmp_path: Path, *recipients: str) -> Path:
    out = tmp_path / "docket.age"
    args = [arg for r in recipients for arg in ("--recipient", r)]
    assert "194 changes" in ok(runner, "backup", *args, "--out", str(out))
    return out


def test_the_age_tool_decrypts_a_backup_of_the_case(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    key, public = identity
    exported = _export(runner, tmp_path / "export")
    backup = _backup(runner, tmp_path, public)
    raw = backup.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    assert b"Korday" not in raw and b"korday-2020" not in raw  # no plaintext in the file
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)
    done = subprocess.run(
        [_tool("age"), "-d", "-i", str(key), str(backup)], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    with tarfile.open(fileobj=io.BytesIO(done.stdout), mode="r:*") as archive:
        files = {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }
    # The case, byte for byte as `docket export` writes it.
    for name, data in exported.items():
        assert files[f"cases/korday-2020/{name}"] == data, name
    meta = json.loads(files["BACKUP.json"])
    assert meta["cases"][0]["code"] == "korday-2020" and meta["changes"] == 194
    rows = [json.loads(line) for line in files["changes.jsonl"].decode().splitlines()]
    assert [r["seq"] for r in rows] == [c[0] for c in _changes()]
    assert rows[-1]["hash"] == meta["last_hash"] == _changes()[-1][-1]


def test_restore_into_an_empty_database_gives_the_same_record_and_history(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    key, public = identity
    account = get_user_model().objects.create_user("reviewer1", password="a long password 1")
    account.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    password_hash = account.password
    before = _export(runner, tmp_path / "before")
    changes, meta = _changes(), _record_meta()
    backup = _backup(runner, tmp_path, public)

    wipe()
    account.delete()
    assert m.Change.objects.count() == 0
    out = ok(runner, "restore", str(backup), "--identity", str(key))
    assert "Restored 1 case(s) (korday-2020): 194 records, 194 changes." in out
    assert "Verified: 194 changes, chain intact, 194 records match the history." in out
    assert "reviewer1" in out

    assert _export(runner, tmp_path / "after") == before
    assert _changes() == changes  # seq, time, actor, data and hashes exactly
    assert _record_meta() == meta  # who created and changed each record, and when
    assert verify_history().ok
    restored = get_user_model().objects.get(username="reviewer1")
    assert restored.password == password_hash
    assert list(restored.groups.values_list("name", flat=True)) == ["reviewer"]
    # The history goes on after the restored one.
    ok(runner, "person", "add", "--name", "Test Person After Restore")
    last = m.Change.objects.order_by("-seq").first()
    assert last is not None and last.seq == changes[-1][0] + 1 and last.prev_hash == changes[-1][-1]
    assert verify_history().ok


def test_restore_refuses_a_database_that_holds_a_case(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    key, public = identity
    backup = _backup(runner, tmp_path, public)
    before = snapshot()
    out = fails(runner, "restore", str(backup), "--identity", str(key))
    assert "not empty" in out and "korday-2020" in out and "Traceback" not in out
    assert snapshot() == before


def test_a_wrong_identity_is_a_clear_error(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    _, public = identity
    backup = _backup(runner, tmp_path, public)
    wipe()
    other = tmp_path / "other-key.txt"
    subprocess.run([_tool("age-keygen"), "-o", str(other)], check=True, capture_output=True)
    out = fails(runner, "restore", str(backup), "--identity", str(other))
    assert "not encrypted to this key" in out and "Traceback" not in out
    assert not m.Case.objects.exists() and not m.Change.objects.exists()
    not_a_key = tmp_path / "not-a-key.txt"
    not_a_key.write_text("hello\n")
    assert "not an age identity" in fails(
        runner, "restore", str(backup), "--identity", str(not_a_key)
    )


def test_any_of_several_recipients_can_restore(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    from pyrage import x25519

    _, first = identity
    second = x25519.Identity.generate()
    second_file = tmp_path / "second.txt"
    second_file.write_text(f"# second holder\n{second}\n")
    backup = _backup(runner, tmp_path, first, str(second.to_public()))
    wipe()
    assert "Verified: 194 changes" in ok(
        runner, "restore", str(backup), "--identity", str(second_file)
    )


def test_a_backup_needs_a_valid_recipient(runner: CliRunner, loaded: None, tmp_path: Path) -> None:
    out = tmp_path / "x.age"
    assert "not a valid age recipient" in fails(
        runner, "backup", "--recipient", "age1notakey", "--out", str(out)
    )
    assert "not an age recipient" in fails(
        runner, "backup", "--recipient", "hunter2", "--out", str(out)
    )
    assert not out.exists()


def test_a_tampered_history_is_not_restored_unless_asked(
    runner: CliRunner, loaded: None, identity: tuple[Path, str], tmp_path: Path
) -> None:
    """A backup of a database whose history was edited behind Docket's back restores nothing
    by default; --keep-unverified keeps it to examine, and exits 1."""
    key, public = identity
    m.Change.objects.filter(seq=m.Change.objects.order_by("seq").values("seq")[5:6]).update(
        actor="someone else"
    )
    backup = _backup(runner, tmp_path, public)
    wipe()
    out = fails(runner, "restore", str(backup), "--identity", str(key))
    assert "chain broken" in out and "nothing was restored" in out
    assert not m.Case.objects.exists() and not m.Change.objects.exists()
    out = fails(runner, "restore", str(backup), "--identity", str(key), "--keep-unverified")
    assert "kept as asked" in out
    assert m.Change.objects.count() == 194
