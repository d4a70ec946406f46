"""Encryption at rest (issue 5, part 3): the SQLCipher database and encrypted files.

Every command runs as a user runs it — the installed `docket` in a subprocess — on its own
temporary SQLite file, so these tests mean the same in the SQLite and the PostgreSQL suites.
Each claim about the encrypted database is paired with a plain database made the same way,
where the claim must not hold: a test that cannot fail proves nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from docket.core import crypto

DOCKET = str(Path(sys.executable).with_name("docket"))
KORDAY = Path(__file__).resolve().parents[2] / "cases" / "korday-2020"
# A quote, spaces and non-ASCII letters: the passphrase must reach SQLCipher intact.
PASSPHRASE = "it's Zq7-korday Ω passphrase"
NEW_PASSPHRASE = "second Wv3 rekeyed ключ"
# Names of people in the Korday record, as written and as the search index keeps them.
NAMES = [b"Uyshirov", b"Daurov", b"Ismar", b"Ersa Daurov", b"ushirov"]
SECRETS = ("DOCKET_PASSPHRASE", "DOCKET_KEY_FILE", "DOCKET_NEW_PASSPHRASE")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def docket(db: Path, *args: str, passphrase: str | None = None, **env: str) -> Run:
    """Run `docket` on the SQLite file ``db``, with no terminal (so it never prompts)."""
    environ = {k: v for k, v in os.environ.items() if k not in SECRETS}
    environ.update(DOCKET_DATABASE_URL=f"sqlite:///{db}", DOCKET_SECRET_KEY="test-only", **env)
    if passphrase is not None:
        environ["DOCKET_PASSPHRASE"] = passphrase
    run = subprocess.run(
        [DOCKET, *args],
        capture_output=True,
        text=True,
        cwd=db.parent,
        env=environ,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=300,
    )
    return Run(run.returncode, run.stdout, run.stderr)


def ok(db: Path, *args: str, passphrase: str | None = None, **env: str) -> str:
    run = docket(db, *args, passphrase=passphrase, **env)
    assert run.returncode == 0, run.stderr
    return run.stdout


def one_line_error(run: Run) -> str:
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    return lines[0]


@dataclass
class Databases:
    plain: Path
    encrypted: Path
    outputs: list[str]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """The Korday case loaded into a plain and into an encrypted SQLite database."""
    plain = tmp_path_factory.mktemp("plain") / "docket.sqlite3"
    encrypted = tmp_path_factory.mktemp("encrypted") / "docket.sqlite3"
    outputs = [ok(plain, "init"), ok(plain, "load", str(KORDAY))]
    init = docket(encrypted, "init", "--encrypt", passphrase=PASSPHRASE)
    assert init.returncode == 0, init.stderr
    assert "encrypted with SQLCipher" in init.stdout
    outputs += [init.stdout, init.stderr]
    load = docket(encrypted, "load", str(KORDAY), passphrase=PASSPHRASE)
    assert load.returncode == 0, load.stderr
    assert "194 created" in load.stdout
    outputs += [load.stdout, load.stderr]
    yield Databases(plain, encrypted, outputs)


def test_the_encrypted_file_holds_no_name_the_plain_one_does(databases: Databases) -> None:
    plain = databases.plain.read_bytes()
    encrypted = databases.encrypted.read_bytes()
    for name in NAMES:
        assert name in plain, name  # the control: a plain database shows them
        assert name not in encrypted, name
    assert plain.startswith(b"SQLite format 3\x00")
    assert not encrypted.startswith(b"SQLite format")
    assert len(encrypted) > 100_000  # the record is in there, just not readable


def test_plain_sqlite_cannot_read_the_encrypted_file(databases: Databases) -> None:
    with sqlite3.connect(databases.plain) as conn:  # the control
        assert conn.execute("SELECT count(*) FROM records_person").fetchone()[0] > 0
    conn = sqlite3.connect(databases.encrypted)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def test_with_the_passphrase_every_command_reads_it_as_the_plain_one(
    databases: Databases,
) -> None:
    args = ("status", "--as-of", "2020-05-13", "--json")
    plain = ok(databases.plain, *args)
    encrypted = docket(databases.encrypted, *args, passphrase=PASSPHRASE)
    assert encrypted.returncode == 0, encrypted.stderr
    assert encrypted.stdout == plain
    assert len(json.loads(plain)) > 10
    verified = docket(databases.encrypted, "verify", passphrase=PASSPHRASE)
    assert verified.returncode == 0 and "chain intact" in verified.stdout
    databases.outputs += [encrypted.stdout, encrypted.stderr, verified.stdout, verified.stderr]


def test_a_key_file_opens_it_too(databases: Databases, tmp_path: Path) -> None:
    key_file = tmp_path / "passphrase.txt"  # kept away from the database, as the docs say
    key_file.write_text(f"  {PASSPHRASE}\n", encoding="utf-8")
    out = ok(databases.encrypted, "stats", "--as-of", "2020-05-13", DOCKET_KEY_FILE=str(key_file))
    assert out.strip()


def test_a_wrong_or_missing_passphrase_is_one_clear_line(databases: Databases) -> None:
    wrong = docket(databases.encrypted, "status", passphrase="not the passphrase")
    assert "wrong passphrase" in one_line_error(wrong)
    assert wrong.stdout == ""
    missing = docket(databases.encrypted, "status")
    assert one_line_error(missing) == (
        "Error: the database is encrypted: set DOCKET_PASSPHRASE or DOCKET_KEY_FILE"
    )
    empty_key = databases.encrypted.parent.parent / "empty-key.txt"
    empty_key.write_text("\n")
    assert "is empty" in one_line_error(
        docket(databases.encrypted, "status", DOCKET_KEY_FILE=str(empty_key))
    )
    # The plain database needs no passphrase and ignores one.
    assert ok(databases.plain, "status", passphrase="anything").strip()


def test_rekey_lets_in_only_the_new_passphrase(databases: Databases, tmp_path: Path) -> None:
    db = tmp_path / "rekeyed.sqlite3"
    shutil.copyfile(databases.encrypted, db)
    before = db.read_bytes()
    run = docket(db, "rekey", passphrase=PASSPHRASE, DOCKET_NEW_PASSPHRASE=NEW_PASSPHRASE)
    assert run.returncode == 0, run.stderr
    assert "only the new passphrase" in run.stdout
    databases.outputs += [run.stdout, run.stderr]
    assert db.read_bytes() != before
    assert "wrong passphrase" in one_line_error(docket(db, "status", passphrase=PASSPHRASE))
    args = ("status", "--as-of", "2020-05-13", "--json")
    assert ok(db, *args, passphrase=NEW_PASSPHRASE) == ok(databases.plain, *args)
    for name in NAMES:
        assert name not in db.read_bytes()
    # From a key file, and back; a wrong current passphrase changes nothing.
    new_key = tmp_path / "new-key.txt"
    new_key.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert "wrong passphrase" in one_line_error(
        docket(db, "rekey", "--new-key-file", str(new_key), passphrase="guess")
    )
    ok(db, "rekey", "--new-key-file", str(new_key), passphrase=NEW_PASSPHRASE)
    assert ok(db, *args, passphrase=PASSPHRASE) == ok(databases.plain, *args)
    assert "not an encrypted database" in one_line_error(
        docket(databases.plain, "rekey", DOCKET_NEW_PASSPHRASE=NEW_PASSPHRASE)
    )


def test_the_passphrase_is_written_nowhere(databases: Databases) -> None:
    """Run last in this module: every command above has run by now."""
    secrets = [p.encode("utf-8") for p in (PASSPHRASE, NEW_PASSPHRASE)]
    folder = databases.encrypted.parent
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert databases.encrypted in files
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, path
    for text in databases.outputs:
        for secret in (PASSPHRASE, NEW_PASSPHRASE):
            assert secret not in text
    # The control: the same search finds a secret where one is.
    assert secrets[0] in PASSPHRASE.encode("utf-8")


def test_init_encrypt_refuses_postgresql_and_an_existing_plain_database(
    databases: Databases, tmp_path: Path
) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in SECRETS}
    environ.update(
        DOCKET_DATABASE_URL="postgresql://nobody@127.0.0.1:1/nothing",
        DOCKET_PASSPHRASE=PASSPHRASE,
        DOCKET_SECRET_KEY="test-only",
    )
    run = subprocess.run(
        [DOCKET, "init", "--encrypt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environ,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    line = one_line_error(Run(run.returncode, run.stdout, run.stderr))
    assert "SQLite" in line and "PostgreSQL" in line and "disk" in line
    before = databases.plain.read_bytes()
    line = one_line_error(docket(databases.plain, "init", "--encrypt", passphrase=PASSPHRASE))
    assert "unencrypted database" in line
    assert databases.plain.read_bytes() == before


def test_init_encrypt_without_any_passphrase_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    line = one_line_error(docket(db, "init", "--encrypt"))
    assert "DOCKET_PASSPHRASE" in line
    assert not db.exists() or db.stat().st_size == 0


def test_encrypt_file_and_decrypt_file(tmp_path: Path) -> None:
    db = tmp_path / "unused.sqlite3"
    report = tmp_path / "appeal.md"
    report.write_text("# Appeal\n\nIsmar Uyshirov, Ersa Daurov — Дауров\n", encoding="utf-8")
    sealed = tmp_path / "appeal.md.enc"
    ok(db, "encrypt-file", str(report), str(sealed), passphrase=PASSPHRASE)
    data = sealed.read_bytes()
    assert crypto.is_encrypted(data)
    for text in (b"Uyshirov", b"Daurov", "Дауров".encode(), b"Appeal"):
        assert text in report.read_bytes() and text not in data
    assert sealed.stat().st_mode & 0o077 == 0
    back = tmp_path / "back.md"
    ok(db, "decrypt-file", str(sealed), str(back), passphrase=PASSPHRASE)
    assert back.read_bytes() == report.read_bytes()
    wrong = docket(db, "decrypt-file", str(sealed), str(tmp_path / "x.md"), passphrase="nope")
    assert "wrong passphrase" in one_line_error(wrong)
    assert not (tmp_path / "x.md").exists()
    flipped = bytearray(data)
    flipped[-20] ^= 0x01
    (tmp_path / "flipped.enc").write_bytes(bytes(flipped))
    bad = docket(
        db,
        "decrypt-file",
        str(tmp_path / "flipped.enc"),
        str(tmp_path / "y.md"),
        passphrase=PASSPHRASE,
    )
    assert "modified" in one_line_error(bad)
    assert not (tmp_path / "y.md").exists()
    exists = docket(db, "decrypt-file", str(sealed), str(back), passphrase=PASSPHRASE)
    assert "exists" in one_line_error(exists)
    assert "no passphrase" in one_line_error(
        docket(db, "encrypt-file", str(report), str(tmp_path / "z.enc"))
    )


# docket.core.crypto, directly. Cheap Argon2 costs keep these fast; the format is the same.
FAST = crypto.KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
TEXT = "Ismar Uyshirov, Ersa Daurov — Дауров: testimony of 9 February 2020".encode()


def test_crypto_round_trip_and_no_plaintext() -> None:
    blob = crypto.encrypt(TEXT, PASSPHRASE, FAST)
    assert crypto.is_encrypted(blob) and not crypto.is_encrypted(TEXT)
    assert crypto.decrypt(blob, PASSPHRASE) == TEXT
    for part in (b"Uyshirov", b"Daurov", "Дауров".encode(), b"February"):
        assert part in TEXT and part not in blob
    assert crypto.encrypt(TEXT, PASSPHRASE, FAST) != blob  # fresh salt and nonce
    assert crypto.decrypt(crypto.encrypt(b"", PASSPHRASE, FAST), PASSPHRASE) == b""
    default = crypto.encrypt(TEXT, PASSPHRASE)  # the real cost: Argon2id, 64 MiB
    assert crypto.decrypt(default, PASSPHRASE) == TEXT


def test_crypto_wrong_passphrase() -> None:
    blob = crypto.encrypt(TEXT, PASSPHRASE, FAST)
    with pytest.raises(crypto.DecryptionFailed, match="wrong passphrase"):
        crypto.decrypt(blob, PASSPHRASE + " ")
    with pytest.raises(crypto.CryptoError, match="empty"):
        crypto.decrypt(blob, "")


@pytest.mark.parametrize("where", [0, 8, 10, 20, 40, 50, -17, -1])
def test_crypto_any_flipped_byte_fails(where: int) -> None:
    blob = bytearray(crypto.encrypt(TEXT, PASSPHRASE, FAST))
    blob[where] ^= 0x04
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(bytes(blob), PASSPHRASE)


@pytest.mark.parametrize("keep", [0, 5, crypto.HEADER_BYTES, crypto.HEADER_BYTES + 15, -1])
def test_crypto_truncated_input_fails(keep: int) -> None:
    blob = crypto.encrypt(TEXT, PASSPHRASE, FAST)
    with pytest.raises(crypto.CryptoError) as failure:
        crypto.decrypt(blob[:keep], PASSPHRASE)
    assert str(failure.value)  # a message a person can read
    assert isinstance(failure.value, crypto.NotEncrypted | crypto.DecryptionFailed)


def test_crypto_refuses_a_forged_cost() -> None:
    blob = bytearray(crypto.encrypt(TEXT, PASSPHRASE, FAST))
    blob[13:17] = (4 * 1024 * 1024).to_bytes(4, "big")  # ask for 4 GiB of memory
    with pytest.raises(crypto.DecryptionFailed, match="modified"):
        crypto.decrypt(bytes(blob), PASSPHRASE)
