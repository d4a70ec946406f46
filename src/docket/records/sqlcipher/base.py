"""Django's SQLite backend over SQLCipher: ``ENGINE = "docket.records.sqlcipher"``.

Everything but the connection is Django's SQLite backend (``vendor`` stays ``"sqlite"``,
so full-text search and every SQLite-specific path work unchanged). A new connection is
keyed with ``PRAGMA key`` before any other statement, and read once at once, so that a
wrong passphrase is a clear :class:`~docket.core.crypto.WrongPassphrase` at connect time,
not a "file is not a database" at the first query.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from itertools import tee
from typing import Any

import sqlcipher3.dbapi2 as Database
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.asyncio import async_unsafe
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from docket.core.crypto import WrongPassphrase
from docket.core.errors import DocketError
from docket.records.sqlcipher import passphrase

# The same conversions Django registers on the standard sqlite3 module.
Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal (PRAGMA takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def key_connection(conn: Any, secret: str) -> None:
    """Key a fresh SQLCipher connection and prove the key by reading the schema.

    SQLCipher's own log is silenced first: it would print a line per failed page to
    standard error, and a wrong passphrase must be one clear message.
    """
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {sql_string(secret)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Database.DatabaseError as exc:
        if "not a database" not in str(exc):
            raise
        raise WrongPassphrase(
            "wrong passphrase: it does not open this encrypted database "
            "(or the file is not a Docket database)"
        ) from None


class SQLCipherCursorWrapper(Database.Cursor):  # type: ignore[misc]
    """Django's SQLiteCursorWrapper (format and pyformat placeholders) on a SQLCipher
    cursor: the same code, since a cursor factory must subclass its own module's Cursor."""

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        param_names = list(params) if isinstance(params, Mapping) else None
        query = self.convert_query(query, param_names=param_names)
        return super().execute(query, params)

    def executemany(self, query: str, param_list: Iterable[Any]) -> Any:
        peekable, param_list = tee(iter(param_list))
        if (params := next(peekable, None)) and isinstance(params, Mapping):
            param_names = list(params)
        else:
            param_names = None
        query = self.convert_query(query, param_names=param_names)
        return super().executemany(query, param_list)


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    display_name = "SQLite (SQLCipher)"
    Database = Database

    @async_unsafe
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        secret = passphrase.current()
        conn = Database.connect(**conn_params)
        try:
            key_connection(conn, secret)
        except BaseException:
            conn.close()
            raise
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        for init_command in self.init_commands:
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLCipherCursorWrapper)

    def rekey(self, new_passphrase: str) -> None:
        """Re-encrypt the whole database under ``new_passphrase`` (``PRAGMA rekey``); this
        process keeps using it for the connections it opens later."""
        if not new_passphrase:
            raise DocketError("the new passphrase is empty")
        self.ensure_connection()
        with self.wrap_database_errors:
            self.connection.execute(f"PRAGMA rekey = {sql_string(new_passphrase)}")
        passphrase.hold(new_passphrase)


def use_for_default() -> None:
    """Make Django's default database connect through this backend from now on (for a new
    file, which the settings took for plain SQLite): the connection made so far, if any, is
    closed and dropped."""
    from django.conf import settings
    from django.db import connections

    connections["default"].close()
    del connections["default"]
    # The same dict as connections.settings["default"]: the next connection uses this backend.
    settings.DATABASES["default"].update(ENGINE=passphrase.ENGINE, CONN_MAX_AGE=600)
