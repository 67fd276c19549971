"""The default store: one SQLite file (stdlib ``sqlite3``), WAL mode, foreign keys on.

WAL lets readers (a report, the web app) work while one writer ingests; a writer that is
killed mid-transaction leaves only a rolled-back journal, so the file stays consistent.

>>> s = SQLiteStore(":memory:")
>>> s.count_articles()
0
>>> s.close()
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import codec
from .sql import Cursor, SQLStore

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another process's write lock


def _same(sql: str) -> str:
    return sql


class SQLiteStore(SQLStore):
    """A store in one SQLite file (or ``":memory:"``)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path, url: str | None = None) -> None:
        super().__init__(url or str(path))
        self.path = path if str(path) == ":memory:" else Path(path).expanduser()
        self._conn = self._connect()
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        if isinstance(path, Path):
            if path.is_dir():
                raise StoreError(
                    self.url, "is a folder", f"pass a file path such as {path / 'newslineage.db'}"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    self.url,
                    f"cannot create its folder ({exc.strerror})",
                    "pass a path in a writable folder (--db or NEWSLINEAGE_DB)",
                ) from exc
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so each call is one
            # transaction and nothing is committed behind our back
            conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            _set_wal(conn)
            # NORMAL is crash-safe in WAL mode (a power cut may lose the last commit only)
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return conn

    def _error(self, exc: sqlite3.Error) -> StoreError:
        msg = str(exc)
        low = msg.lower()
        if "not a database" in low:
            fix = "pass a new file name, or the path of a store made by newslineage"
            return StoreError(self.url, "is not an SQLite database", fix)
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            fix = "pass a path in a writable folder (--db or NEWSLINEAGE_DB)"
            return StoreError(self.url, f"cannot be opened for writing ({msg})", fix)
        if "locked" in low or "busy" in low:
            fix = "another process is writing to this store; wait for it, or use PostgreSQL for concurrent writers"
            return StoreError(self.url, f"is busy ({msg})", fix)
        if isinstance(exc, sqlite3.IntegrityError):
            fix = "store the articles before the relations and findings that name them"
            return StoreError(self.url, f"rejected a write ({msg})", fix)
        if "disk" in low or "full" in low:
            return StoreError(self.url, f"write failed ({msg})", "free some disk space and retry")
        return StoreError(
            self.url, f"database error ({msg})", "check the file, or start a new store"
        )

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._lock:
            try:
                # IMMEDIATE takes the write lock now, so busy_timeout applies up front
                # instead of failing later on a lock upgrade
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            try:
                yield Cursor(self._conn.cursor(), _same)
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from exc
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def _stored_version(self) -> int:
        rows = self._read(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        )
        if not rows:
            return 0
        return int(self._read("SELECT MAX(version) FROM schema_version")[0][0] or 0)

    def _enc_ts(self, dt: datetime | None) -> Any:
        return codec.ts_to_text(dt)

    def _dec_ts(self, value: Any) -> datetime | None:
        return codec.ts_from_text(value)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL mode, waiting out another process doing the same on a fresh file.

    SQLite does not call its busy handler for this pragma, so two processes opening a new
    store at once can see "database is locked" at once; retry up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
