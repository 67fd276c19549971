"""A store in PostgreSQL (psycopg 3, imported only when a postgresql:// URL is opened).

Same schema and queries as SQLite (see ``sql.py``); datetimes are ``timestamptz``. Tables
live in the connection's ``search_path`` schema, so one database can hold several stores:
``postgresql://u:p@host/db?options=-csearch_path%3Dmystore``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ..errors import MissingExtraError, StoreError
from . import codec
from .sql import Cursor, SQLStore

CONNECT_TIMEOUT_S = 10  # fail fast on an unreachable host instead of hanging
_LOCK_KEY = 0x6E6C7374  # "nlst": serialises concurrent migrations of one database


def redact(url: str) -> str:
    """The URL with its password hidden, for messages.

    >>> redact("postgresql://u:secret@h/db")
    'postgresql://u:***@h/db'
    """
    return re.sub(r"^([a-z]+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _pyformat(sql: str) -> str:
    return sql.replace("?", "%s")


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise MissingExtraError("PostgreSQL store", "postgres") from exc
    return psycopg


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database given by a ``postgresql://`` URL."""

    dialect = "postgres"

    def __init__(self, url: str) -> None:
        super().__init__(redact(url))
        self._psycopg = _import_psycopg()
        self._dsn = url
        self._conn = self._connect()
        self._migrate()

    def _connect(self) -> Any:
        psycopg = self._psycopg
        try:
            given = psycopg.conninfo.conninfo_to_dict(self._dsn)
        except psycopg.ProgrammingError as exc:
            raise StoreError(
                self.url,
                f"is not a valid PostgreSQL URL ({exc})",
                "use postgresql://user:password@host:5432/database",
            ) from exc
        extra = {} if "connect_timeout" in given else {"connect_timeout": CONNECT_TIMEOUT_S}
        try:
            # autocommit: reads run on their own; writes use explicit transaction blocks
            return psycopg.connect(self._dsn, autocommit=True, **extra)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(
                self.url,
                f"cannot connect to PostgreSQL ({first})",
                "check that the server is running and that the URL's host, port, user, "
                "password and database are right",
            ) from exc

    def _ensure_connection(self) -> None:
        # after a server restart the old connection is dead: reconnect once, transparently
        if self._conn.closed or self._conn.broken:
            self._conn = self._connect()

    def _error(self, exc: Exception) -> StoreError:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, self._psycopg.errors.ForeignKeyViolation):
            fix = "store the articles before the relations and findings that name them"
            return StoreError(self.url, f"rejected a write ({msg})", fix)
        if isinstance(exc, self._psycopg.errors.InsufficientPrivilege):
            fix = "grant the user CREATE and write rights on the schema, or use another database"
            return StoreError(self.url, f"permission denied ({msg})", fix)
        if isinstance(exc, self._psycopg.OperationalError):
            fix = "check that the server is running and reachable, then retry"
            return StoreError(self.url, f"lost the connection ({msg})", fix)
        return StoreError(self.url, f"database error ({msg})", "check the server log")

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._lock:
            try:
                self._ensure_connection()
                with self._conn.transaction(), self._conn.cursor() as cur:
                    yield Cursor(cur, _pyformat)
            except self._psycopg.Error as exc:
                raise self._error(exc) from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                self._ensure_connection()
                with self._conn.cursor() as cur:
                    cur.execute(_pyformat(sql), tuple(params))
                    return cur.fetchall()
            except self._psycopg.Error as exc:
                raise self._error(exc) from exc

    def _stored_version(self) -> int:
        if self._read("SELECT to_regclass('schema_version')")[0][0] is None:
            return 0
        return int(self._read("SELECT MAX(version) FROM schema_version")[0][0] or 0)

    def _serialise(self, cur: Cursor) -> None:
        # CREATE TABLE IF NOT EXISTS races between two first openers, and two analysis lease
        # claims both read "free": an advisory lock held to the end of the transaction makes
        # the second one wait
        cur.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))

    def _enc_ts(self, dt: datetime | None) -> Any:
        return codec.ts_native(dt)

    def _dec_ts(self, value: Any) -> datetime | None:
        return codec.ts_from_native(value)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
