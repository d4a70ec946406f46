"""Signed exports: the installation's key, a manifest of hashes and its signature, and
`docket verify-export`, which a recipient runs with the public key alone."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.records.signing import (
    MANIFEST,
    PRIVATE_FILE,
    PUBLIC_FILE,
    SIGNATURE,
    init_key,
    load_private,
    sign_folder,
)
from tests.conftest import KORDAY
from tests.protect.conftest import fails, ok
from tests.records.helpers import wipe

PASSPHRASE = "a passphrase long enough"
BUNDLE_FILES = sorted(p.name for p in KORDAY.iterdir() if p.suffix == ".yaml")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key folder outside the database and the exports, with a key in it."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(folder))
    monkeypatch.setenv("DOCKET_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("DOCKET_KEY_FILE", raising=False)
    init_key(PASSPHRASE, folder)
    return folder


def _signed_copy(target: Path, keys: Path) -> Path:
    """The Korday bundle signed without any database (for the tests that have none)."""
    target.mkdir()
    files = []
    for name in BUNDLE_FILES:
        shutil.copyfile(KORDAY / name, target / name)
        files.append(target / name)
    sign_folder(target, files, key=load_private(PASSPHRASE, keys), case="korday-2020")
    return target


# --- the key -----------------------------------------------------------------------------------


def test_keys_init_keeps_the_private_key_encrypted(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keys"
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(folder))
    monkeypatch.setenv("DOCKET_PASSPHRASE", PASSPHRASE)
    out = ok(runner, "keys", "init")
    assert "Created the signing key ed25519:" in out
    private = (folder / PRIVATE_FILE).read_bytes()
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in private
    assert b"BEGIN PRIVATE KEY" not in private and PASSPHRASE.encode() not in private
    assert stat.S_IMODE((folder / PRIVATE_FILE).stat().st_mode) == 0o600
    assert (folder / PUBLIC_FILE).read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    # A second init never replaces the key.
    again = fails(runner, "keys", "init")
    assert "already exists" in again
    assert (folder / PRIVATE_FILE).read_bytes() == private


def test_key_passphrase_from_a_key_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("DOCKET_PASSPHRASE", raising=False)
    monkeypatch.setenv("DOCKET_KEY_FILE", str(secret))
    ok(runner, "keys", "init")
    load_private(PASSPHRASE, tmp_path / "keys")  # the stripped file contents are the passphrase


def test_the_signing_passphrase_comes_before_the_database_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("DOCKET_PASSPHRASE", "the encrypted database's passphrase")
    monkeypatch.setenv("DOCKET_SIGNING_PASSPHRASE", PASSPHRASE)
    ok(runner, "keys", "init")
    load_private(PASSPHRASE, tmp_path / "keys")


def test_a_short_passphrase_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("DOCKET_PASSPHRASE", "short")
    assert "at least 10 characters" in fails(runner, "keys", "init")
    assert not (tmp_path / "keys" / PRIVATE_FILE).exists()


def test_keys_public_writes_the_key_for_recipients(
    runner: CliRunner, keys: Path, tmp_path: Path
) -> None:
    printed = ok(runner, "keys", "public")
    assert printed.startswith("-----BEGIN PUBLIC KEY-----")
    fingerprint = printed.strip().splitlines()[-1].removeprefix("Fingerprint: ")
    assert fingerprint.startswith("ed25519:") and len(fingerprint) == len("ed25519:") + 32
    out = tmp_path / "docket-signing.pub"
    assert fingerprint in ok(runner, "keys", "public", "--out", str(out))
    assert out.read_bytes() == (keys / PUBLIC_FILE).read_bytes()


@pytest.mark.django_db
def test_signing_without_a_key_says_to_create_one(
    runner: CliRunner, loaded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_KEYS_DIR", str(tmp_path / "no-keys"))
    monkeypatch.setenv("DOCKET_PASSPHRASE", PASSPHRASE)
    out = fails(runner, "export", "--out", str(tmp_path / "out"), "--sign")
    assert "docket keys init" in out
    assert not (tmp_path / "out").exists()


@pytest.mark.django_db
def test_a_wrong_passphrase_is_a_clear_error(
    runner: CliRunner, loaded: None, keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_PASSPHRASE", "not the passphrase at all")
    out = fails(runner, "export", "--out", str(tmp_path / "out"), "--sign")
    assert "wrong passphrase" in out and "Traceback" not in out


# --- signing and verifying ---------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_export_verifies_with_the_public_key(
    runner: CliRunner, loaded: None, keys: Path, tmp_path: Path
) -> None:
    out = tmp_path / "korday"
    assert "signed by ed25519:" in ok(runner, "export", "--out", str(out), "--sign")
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["case"] == "korday-2020"
    assert [f["path"] for f in manifest["files"]] == BUNDLE_FILES
    assert manifest["history"]["changes"] == 194 and len(manifest["history"]["last_hash"]) == 64
    verified = ok(runner, "verify-export", str(out), "--public-key", str(keys / PUBLIC_FILE))
    assert (
        f"Verified: {len(BUNDLE_FILES)} files, signed by {manifest['signer']['fingerprint']}"
        in (verified)
    )
    report = json.loads(
        ok(runner, "verify-export", str(out), "--public-key", str(keys / PUBLIC_FILE), "--json")
    )
    assert report["ok"] is True and report["problems"] == []


@pytest.mark.django_db
def test_signed_bundle_files_are_the_unsigned_ones_and_load_back(
    runner: CliRunner, loaded: None, keys: Path, tmp_path: Path
) -> None:
    plain, signed, again = tmp_path / "plain", tmp_path / "signed", tmp_path / "again"
    ok(runner, "export", "--out", str(plain))
    ok(runner, "export", "--out", str(signed), "--sign")
    assert sorted(p.name for p in plain.iterdir()) == BUNDLE_FILES
    for name in BUNDLE_FILES:
        assert (signed / name).read_bytes() == (plain / name).read_bytes(), name
    # The loader ignores the manifest: export → load → export stays identical.
    wipe()
    assert "194 created" in ok(runner, "load", str(signed))
    ok(runner, "export", "--out", str(again))
    for name in BUNDLE_FILES:
        assert (again / name).read_bytes() == (signed / name).read_bytes(), name
    # An unsigned export into a signed folder leaves no stale manifest behind.
    ok(runner, "export", "--out", str(signed))
    assert not (signed / MANIFEST).exists() and not (signed / SIGNATURE).exists()


@pytest.mark.django_db
def test_signed_zip_export_verifies(
    runner: CliRunner, loaded: None, keys: Path, tmp_path: Path
) -> None:
    plain, target = tmp_path / "plain", tmp_path / "korday.zip"
    ok(runner, "export", "--out", str(plain))
    ok(runner, "export", "--out", str(target), "--sign")
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted([*BUNDLE_FILES, MANIFEST, SIGNATURE])
        for name in BUNDLE_FILES:
            assert archive.read(name) == (plain / name).read_bytes()
    pub = str(keys / PUBLIC_FILE)
    assert "Verified: 11 files" in ok(runner, "verify-export", str(target), "--public-key", pub)
    # One altered entry in a rewritten zip is named.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"Korday", b"Kordai") if name == "case.yaml" else data)
    out = fails(runner, "verify-export", str(tampered), "--public-key", pub)
    assert "case.yaml: altered" in out


def test_one_altered_byte_is_named(runner: CliRunner, keys: Path, tmp_path: Path) -> None:
    export = _signed_copy(tmp_path / "export", keys)
    pub = str(keys / PUBLIC_FILE)
    target = export / "persons.yaml"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    out = fails(runner, "verify-export", str(export), "--public-key", pub)
    assert "persons.yaml: altered" in out and "NOT verified" in out
    assert "events.yaml" not in out  # only the file that differs is named


def test_an_added_or_removed_file_is_named(runner: CliRunner, keys: Path, tmp_path: Path) -> None:
    export = _signed_copy(tmp_path / "export", keys)
    pub = str(keys / PUBLIC_FILE)
    (export / "witnesses.yaml").write_text("- code: P-9999\n")
    assert "witnesses.yaml: added" in fails(
        runner, "verify-export", str(export), "--public-key", pub
    )
    (export / "witnesses.yaml").unlink()
    (export / "sub").mkdir()
    (export / "sub" / "note.txt").write_text("x")
    assert "sub/note.txt: added" in fails(runner, "verify-export", str(export), "--public-key", pub)
    shutil.rmtree(export / "sub")
    (export / "damages.yaml").unlink()
    assert "damages.yaml: missing" in fails(
        runner, "verify-export", str(export), "--public-key", pub
    )


def test_an_edited_manifest_breaks_the_signature(
    runner: CliRunner, keys: Path, tmp_path: Path
) -> None:
    export = _signed_copy(tmp_path / "export", keys)
    # Tamper with a file and "fix" its hash in the manifest: the signature no longer holds.
    (export / "case.yaml").write_bytes(b"code: korday-2020\n")
    manifest = json.loads((export / MANIFEST).read_text())
    import hashlib

    for entry in manifest["files"]:
        if entry["path"] == "case.yaml":
            entry["sha256"] = hashlib.sha256(b"code: korday-2020\n").hexdigest()
            entry["size"] = len(b"code: korday-2020\n")
    (export / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    out = fails(runner, "verify-export", str(export), "--public-key", str(keys / PUBLIC_FILE))
    assert "bad signature" in out
    (export / SIGNATURE).unlink()
    out = fails(runner, "verify-export", str(export), "--public-key", str(keys / PUBLIC_FILE))
    assert "not a signed export" in out


def test_a_signature_by_another_key_fails(runner: CliRunner, keys: Path, tmp_path: Path) -> None:
    export = _signed_copy(tmp_path / "export", keys)
    other_folder, other = init_key("another long passphrase", tmp_path / "other-keys")
    out = fails(
        runner, "verify-export", str(export), "--public-key", str(other_folder / PUBLIC_FILE)
    )
    assert "bad signature" in out and f"not by the key given ({other})" in out
    # Re-signed by the other key, with its own fingerprint in the manifest: still refused.
    files = [export / name for name in BUNDLE_FILES]
    sign_folder(
        export,
        files,
        key=load_private("another long passphrase", other_folder),
        case="korday-2020",
    )
    out = fails(runner, "verify-export", str(export), "--public-key", str(keys / PUBLIC_FILE))
    assert f"signed by {other}" in out


def test_verify_export_needs_no_database(runner: CliRunner, keys: Path, tmp_path: Path) -> None:
    """No django_db mark: any query here would fail the test. And in a fresh process whose
    database points nowhere, the check passes and creates no database file."""
    export = _signed_copy(tmp_path / "export", keys)
    pub = str(keys / PUBLIC_FILE)
    assert "Verified: 11 files" in ok(runner, "verify-export", str(export), "--public-key", pub)
    recipient = tmp_path / "recipient"
    recipient.mkdir()
    env = {
        **os.environ,
        "DOCKET_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/nowhere",
        "DOCKET_KEYS_DIR": str(recipient / "no-keys"),
    }
    env.pop("DOCKET_PASSPHRASE", None)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from docket.cli import main; main()",
            "verify-export",
            str(export),
            "--public-key",
            pub,
        ],
        cwd=recipient,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Verified: 11 files" in done.stdout
    made = {p.name for p in recipient.iterdir()}
    assert not made & {"docket.sqlite3", "no-keys"}, made  # no database, no key folder
