"""Commands for encryption at rest: rekey the encrypted database, encrypt and decrypt files.

Passphrases come from the environment (``DOCKET_PASSPHRASE``, or ``DOCKET_KEY_FILE`` naming a
file that holds one), else from a hidden prompt when a person is at the terminal. They are
held in this process only: never written, logged or put into Django's settings.
See docs/encryption.md.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from docket.cli import cli, handles_errors
from docket.core.errors import DocketError
from docket.records.sqlcipher import passphrase as source

NEW_PASSPHRASE_VAR = "DOCKET_NEW_PASSPHRASE"
NO_PASSPHRASE = (
    f"no passphrase: set {source.PASSPHRASE_VAR} or {source.KEY_FILE_VAR} "
    "(or run this in a terminal to be asked)"
)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask_database_passphrase() -> str | None:
    """Asked once, the first time an encrypted database is opened without a passphrase in
    the environment; None (then a clear error) when nobody is at a terminal to answer."""
    if not _interactive():
        return None
    answer: str = click.prompt("Passphrase of the encrypted database", hide_input=True, err=True)
    return answer


source.set_asker(_ask_database_passphrase)


def ask_passphrase(what: str, *, confirm: bool) -> str:
    """A passphrase from $DOCKET_PASSPHRASE, the file $DOCKET_KEY_FILE names, or a hidden
    prompt (twice when ``confirm``), for ``what`` (e.g. "the new database")."""
    value = source.from_environment()
    if value:
        return value
    if not _interactive():
        raise DocketError(NO_PASSPHRASE)
    return _prompt(f"Passphrase for {what}", confirm=confirm)


def _prompt(text: str, *, confirm: bool) -> str:
    value: str = click.prompt(text, hide_input=True, confirmation_prompt=confirm, err=True)
    if not value:
        raise DocketError("the passphrase is empty")
    return value


def _sqlite_path() -> Path:
    """The database file, or a clear error when the database is not SQLite."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] not in ("django.db.backends.sqlite3", source.ENGINE):
        raise DocketError(
            "encryption with --encrypt is for SQLite databases only; for PostgreSQL, encrypt "
            "the disk or volume the server keeps its data on (see docs/encryption.md)"
        )
    return Path(db["NAME"])


def prepare_encrypted_database() -> Path:
    """For `docket init --encrypt`: make the default database a new SQLCipher file (or open
    the encrypted one that is there). Returns its path."""
    path = _sqlite_path()
    if source.is_encrypted_file(path):
        return path  # already encrypted: opened as usual (the passphrase is checked)
    if path.exists() and path.stat().st_size > 0:
        raise DocketError(
            f"{path} already holds an unencrypted database; --encrypt creates a new one: "
            "choose another file (then load the case again), see docs/encryption.md"
        )
    source.hold(ask_passphrase("the new encrypted database", confirm=True))
    from docket.records.sqlcipher.base import use_for_default

    use_for_default()
    return path


def database_label() -> str | None:
    """ "SQLite file …, encrypted with SQLCipher" for an encrypted database, else None."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == source.ENGINE:
        return f"SQLite file {db['NAME']}, encrypted with SQLCipher"
    return None


def secure_the_file(path: Path) -> None:
    """Only the owner may read or write the encrypted database file."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


@cli.command()
@click.option(
    "--new-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the new passphrase from this file (its contents, stripped) instead of "
    f"${NEW_PASSPHRASE_VAR} or a prompt.",
)
@handles_errors
def rekey(new_key_file: Path | None) -> None:
    """Re-encrypt the encrypted SQLite database under a new passphrase.

    The current passphrase comes from $DOCKET_PASSPHRASE, $DOCKET_KEY_FILE or a prompt; the
    new one from --new-key-file, $DOCKET_NEW_PASSPHRASE or a prompt (twice). Afterwards only
    the new passphrase opens the database: update your key file or variable. Nobody can
    recover a lost passphrase (docs/encryption.md).
    """
    from django.db import connection

    path = _sqlite_path()
    if not source.is_encrypted_file(path):
        raise DocketError(
            f"{path} is not an encrypted database; create one with: docket init --encrypt"
        )
    connection.ensure_connection()  # proves the current passphrase before asking a new one
    if new_key_file is not None:
        new = source.read_key_file(new_key_file)
    else:
        new = os.environ.get(NEW_PASSPHRASE_VAR) or ""
        if not new:
            if not _interactive():
                raise DocketError(
                    f"no new passphrase: set {NEW_PASSPHRASE_VAR} or use --new-key-file"
                )
            new = _prompt("New passphrase", confirm=True)
    if new == source.current():
        raise DocketError("the new passphrase is the same as the current one; nothing changed")
    connection.rekey(new)  # type: ignore[attr-defined]
    connection.close()
    connection.ensure_connection()  # opens again with the new passphrase, or fails loudly
    click.echo(f"Re-encrypted {path}: only the new passphrase opens it now.")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocketError(f"cannot read {path}: {exc.strerror}") from None


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file only its owner can read; never overwrite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DocketError(f"{path} exists; name a new file (nothing is overwritten)") from None
    except OSError as exc:
        raise DocketError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@cli.command("encrypt-file")
@click.argument("source_file", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", metavar="OUT", type=click.Path(dir_okay=False, path_type=Path))
@handles_errors
def encrypt_file(source_file: Path, target: Path) -> None:
    """Encrypt file IN (a report, an export zip…) into a new file OUT.

    AES-256-GCM with a key derived from the passphrase by Argon2id; any change to OUT makes
    decryption fail. The passphrase comes from $DOCKET_PASSPHRASE, $DOCKET_KEY_FILE or a
    prompt (twice). IN is left as it is: delete it yourself once OUT is safe.
    """
    from docket.core import crypto

    data = _read(source_file)
    if crypto.is_encrypted(data):
        raise DocketError(f"{source_file} is already encrypted by Docket")
    secret = ask_passphrase(f"encrypting {source_file.name}", confirm=True)
    _write_new(target, crypto.encrypt(data, secret))
    click.echo(f"Encrypted {source_file} into {target}")


@cli.command("decrypt-file")
@click.argument("source_file", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", metavar="OUT", type=click.Path(dir_okay=False, path_type=Path))
@handles_errors
def decrypt_file(source_file: Path, target: Path) -> None:
    """Decrypt file IN, written by `docket encrypt-file`, into a new file OUT.

    Fails, writing nothing, when the passphrase is wrong or IN was changed or cut short.
    The passphrase comes from $DOCKET_PASSPHRASE, $DOCKET_KEY_FILE or a prompt.
    """
    from docket.core import crypto

    data = _read(source_file)
    if not crypto.is_encrypted(data):
        raise DocketError(f"{source_file} is not a file encrypted by Docket")
    secret = ask_passphrase(f"decrypting {source_file.name}", confirm=False)
    _write_new(target, crypto.decrypt(data, secret))
    click.echo(f"Decrypted {source_file} into {target}")
