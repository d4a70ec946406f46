"""Where the database passphrase comes from, and the one place it is kept: this process.

No Django here: the settings import :func:`is_encrypted_file` before Django starts.
The passphrase is held in memory only; it is never written to a file, a log, the settings
or an environment variable by Docket.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from docket.core.errors import DocketError

PASSPHRASE_VAR = "DOCKET_PASSPHRASE"
KEY_FILE_VAR = "DOCKET_KEY_FILE"
SQLITE_HEADER = b"SQLite format 3\x00"
ENGINE = "docket.records.sqlcipher"

_lock = threading.Lock()
_held: str | None = None
_asker: Callable[[], str | None] | None = None


class PassphraseMissing(DocketError):
    """An encrypted database and no passphrase to open it."""


def is_encrypted_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an existing, non-empty file that is not plain SQLite.

    A plain SQLite file begins with ``SQLite format 3\\0``; an SQLCipher file begins with
    its random salt. A missing or empty file is not encrypted (yet).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return False
    return bool(head) and head != SQLITE_HEADER


def read_key_file(path: str | os.PathLike[str]) -> str:
    """A key file's contents, stripped of surrounding white space."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise DocketError(f"cannot read the key file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DocketError(f"the key file {path} is not UTF-8 text") from None
    if not text:
        raise DocketError(f"the key file {path} is empty")
    return text


def from_environment(
    passphrase_var: str = PASSPHRASE_VAR, key_file_var: str = KEY_FILE_VAR
) -> str | None:
    """The passphrase from ``$DOCKET_PASSPHRASE``, else from the file ``$DOCKET_KEY_FILE``
    names, else None. (The variable names can be changed, e.g. for a new passphrase.)"""
    value = os.environ.get(passphrase_var)
    if value:
        return value
    key_file = os.environ.get(key_file_var)
    if key_file:
        return read_key_file(key_file)
    return None


def hold(passphrase: str) -> None:
    """Keep ``passphrase`` for the connections this process opens from now on."""
    global _held
    if not passphrase:
        raise DocketError("the passphrase is empty")
    with _lock:
        _held = passphrase


def forget() -> None:
    """Drop the held passphrase (the next connection asks the sources again)."""
    global _held
    with _lock:
        _held = None


def set_asker(asker: Callable[[], str | None] | None) -> None:
    """Install how to ask a person for the passphrase (the command line prompts when it
    runs in a terminal); the asker returns None when it cannot ask."""
    global _asker
    with _lock:
        _asker = asker


def current() -> str:
    """The passphrase for the encrypted database: the held one, else the environment, else
    the asker's answer. Held from then on, so that it is read or asked for once."""
    global _held
    with _lock:
        if _held:
            return _held
        value = from_environment()
        if value is None and _asker is not None:
            value = _asker()
        if not value:
            raise PassphraseMissing(
                f"the database is encrypted: set {PASSPHRASE_VAR} or {KEY_FILE_VAR}"
            )
        _held = value
        return value
