"""The Store methods, written once in portable SQL for every backend.

A backend (``sqlite.py``, ``postgres.py``) only opens the connection, runs a transaction,
turns its driver errors into :class:`~newslineage.errors.StoreError`, and says how it
encodes datetimes. Queries use ``?`` placeholders; a backend with another paramstyle
rewrites them (so no SQL here may contain a literal ``?`` or ``%``).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any, ClassVar

from ..errors import StoreError
from ..model import Alignment, Article, Finding, Relation, Skipped, Story
from . import codec
from .schema import MIGRATIONS, VERSION_TABLE, latest_version, statements_for

_COLS = ", ".join(codec.ARTICLE_COLUMNS)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_COLS}) VALUES ({', '.join('?' * len(codec.ARTICLE_COLUMNS))})"
    " ON CONFLICT (id) DO NOTHING"
)
_INSERT_RAW = "INSERT INTO raw (ref, bytes) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING"
_INSERT_SKIPPED = (
    "INSERT INTO skipped (time, input, reason, item, line, error) VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_RELATION = (
    f"INSERT INTO relations ({', '.join(codec.RELATION_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(codec.RELATION_COLUMNS))})"
)
_INSERT_STORY = (
    f"INSERT INTO stories ({', '.join(codec.STORY_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(codec.STORY_COLUMNS))})"
)
_INSERT_FINDING = (
    f"INSERT INTO findings ({', '.join(codec.FINDING_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(codec.FINDING_COLUMNS))})"
)
_UPSERT_ALIGNMENT = (
    f"INSERT INTO alignments ({', '.join(codec.ALIGNMENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (source, derived) DO UPDATE SET ordered = excluded.ordered,"
    " pairs = excluded.pairs, passages = excluded.passages"
)
#: crash tests only: ``NEWSLINEAGE_TEST_KILL_AT_COMMIT=k`` makes this process SIGKILL itself
#: right after its k-th commit (``k:SIGINT``: a Ctrl-C instead), so a test can stop
#: ``analyze`` at each commit point in turn (tests/unit/test_analysis_crash.py)
KILL_AT_COMMIT_ENV = "NEWSLINEAGE_TEST_KILL_AT_COMMIT"
_commits = 0

_UPSERT_VECTOR = (
    "INSERT INTO vectors (article, model, vector) VALUES (?, ?, ?)"
    " ON CONFLICT (article, model) DO UPDATE SET vector = excluded.vector"
)
_CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits
_PAGE = 1000  # articles per page when iterating the whole store


class Cursor:
    """A driver cursor that takes ``?`` placeholders whatever the driver's paramstyle."""

    __slots__ = ("_cur", "_sql")

    def __init__(self, cur: Any, convert: Callable[[str], str]) -> None:
        self._cur = cur
        self._sql = convert

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self._cur.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cur.executemany(self._sql(sql), rows)

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())

    def fetchone(self) -> Any:
        return self._cur.fetchone()


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def raw_ref(data: bytes) -> str:
    """The content address ``put_raw`` gives ``data``: ``raw_ref(b"x") -> "sha256:2d71..."``."""
    return "sha256:" + sha256(data).hexdigest()


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _after_commit() -> None:
    """The crash-test hook (see ``KILL_AT_COMMIT_ENV``); a no-op unless the variable is set."""
    global _commits
    _commits += 1
    at, _, name = os.environ.get(KILL_AT_COMMIT_ENV, "").partition(":")
    if at == str(_commits):  # "3" kills at the 3rd commit; "3:SIGINT" sends Ctrl-C instead
        os.kill(os.getpid(), signal.Signals[name or "SIGKILL"])


class SQLStore:
    """Shared implementation of :class:`~newslineage.store.base.Store` over a DB-API driver."""

    dialect: ClassVar[str]
    url: str

    def __init__(self, url: str) -> None:
        self.url = url
        # one connection per store; the lock lets a web server share it between threads
        self._lock = threading.RLock()
        self._open_tx: Cursor | None = None  # the cursor of the ``transaction()`` under way

    # --- transactions -------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every write inside the block one transaction: all are kept, or none.

        ``analyze`` writes relations, stories, findings, alignments and the analysed flags
        this way, so a run killed at any point leaves the store as it was before the run.
        Other threads of this process wait for the block (the store's lock is held).
        """
        with self._tx():
            yield

    @contextmanager
    def _tx(self) -> Iterator[Cursor]:
        """A write transaction, or the enclosing ``transaction()``'s when one is under way."""
        with self._lock:
            if self._open_tx is not None:
                yield self._open_tx
                return
            with self._transaction() as cur:
                self._open_tx = cur
                try:
                    yield cur
                finally:
                    self._open_tx = None
            _after_commit()

    # --- backend hooks ----------------------------------------------------
    def _transaction(self) -> AbstractContextManager[Cursor]:
        """A write transaction: commits on success, rolls back on any exception."""
        raise NotImplementedError

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one read query outside an explicit transaction; all rows."""
        raise NotImplementedError

    def _enc_ts(self, dt: datetime | None) -> Any:
        raise NotImplementedError

    def _dec_ts(self, value: Any) -> datetime | None:
        raise NotImplementedError

    def _stored_version(self) -> int:
        """The schema version on disk, 0 for an empty database; must not take a write lock."""
        raise NotImplementedError

    def _serialise(self, cur: Cursor) -> None:
        """Make concurrent migrations and meta claims wait for each other, until the end of
        the transaction (SQLite's ``BEGIN IMMEDIATE`` already does)."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema -----------------------------------------------------------
    def _migrate(self) -> None:
        """Apply every pending migration, all in one transaction, on open."""
        latest = latest_version()
        if self._stored_version() == latest:
            return  # the common case; also lets a read-only store be read
        with self._tx() as cur:
            self._serialise(cur)
            cur.execute(VERSION_TABLE)
            current = cur.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
            if current > latest:
                raise StoreError(
                    self.url,
                    f"was written by a newer newslineage (schema {current}; "
                    f"this version knows up to {latest})",
                    "upgrade newslineage: pip install -U newslineage",
                )
            now = codec.ts_to_text(datetime.now(UTC))
            for migration in MIGRATIONS:
                if migration.version <= current:
                    continue
                for stmt in statements_for(migration, self.dialect):
                    cur.execute(stmt)
                cur.execute(
                    "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)",
                    (migration.version, migration.description, now),
                )

    def schema_version(self) -> int:
        """The schema version of this store (after the migrations that ran on open)."""
        return self._stored_version()

    # --- raw bytes --------------------------------------------------------
    def put_raw(self, data: bytes) -> str:
        """Keep raw bytes, content-addressed: ``put_raw(b"x") -> "sha256:2d71..."``."""
        ref = raw_ref(data)
        with self._tx() as cur:
            cur.execute(_INSERT_RAW, (ref, bytes(data)))
        return ref

    def get_raw(self, ref: str) -> bytes | None:
        rows = self._read("SELECT bytes FROM raw WHERE ref = ?", (ref,))
        return bytes(rows[0][0]) if rows else None

    # --- articles ---------------------------------------------------------
    def add_article(self, article: Article) -> str:
        """Store one version: ``"new"``, ``"version"`` or ``"unchanged"`` (a no-op)."""
        return self.add_articles([article])[0]

    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Store many versions in one transaction; the status of each, in input order.

        Within the batch, a repeated id is ``"unchanged"`` and a repeated key with new
        content is a ``"version"``, exactly as if the articles were added one by one.
        """
        return self.add_ingested(articles)

    def add_ingested(
        self,
        articles: Iterable[Article],
        raw: Iterable[bytes] = (),
        skipped: Iterable[Skipped] = (),
    ) -> list[str]:
        """One ingest batch in one transaction: ``raw`` bytes (as ``put_raw``), the articles
        (as ``add_articles``; their status, in input order) and ``skipped`` log entries.

        One commit per batch instead of one per article made ``newslineage add`` of JSONL
        several times faster; a killed run loses at most the batch being written.
        """
        batch = list(articles)
        for a in batch:
            if not a.id:
                raise StoreError(
                    self.url, "an article has no id", "build articles with extract_article"
                )
        now = datetime.now(UTC)
        raw_rows = [(raw_ref(data), bytes(data)) for data in raw]
        log_rows = [codec.skipped_row(s, self._enc_ts, now) for s in skipped]
        if not (batch or raw_rows or log_rows):
            return []
        with self._tx() as cur:
            cur.executemany(_INSERT_RAW, raw_rows)
            statuses = self._insert_articles(cur, batch)
            cur.executemany(_INSERT_SKIPPED, log_rows)
        return statuses

    def _insert_articles(self, cur: Cursor, batch: list[Article]) -> list[str]:
        if not batch:
            return []
        have_ids = self._existing(cur, "id", [a.id for a in batch])
        have_keys = self._existing(cur, "key", [a.key for a in batch if a.key])
        statuses, rows = [], []
        for a in batch:
            if a.id in have_ids:
                statuses.append("unchanged")
                continue
            statuses.append("version" if a.key and a.key in have_keys else "new")
            have_ids.add(a.id)
            have_keys.add(a.key)
            rows.append(codec.article_row(a, self._enc_ts))
        cur.executemany(_INSERT_ARTICLE, rows)
        return statuses

    def _existing(self, cur: Cursor, column: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        unique = sorted(set(values))
        for part in _chunks(unique):
            sql = f"SELECT DISTINCT {column} FROM articles WHERE {column} IN ({_marks(len(part))})"
            found.update(row[0] for row in cur.execute(sql, part).fetchall())
        return found

    def _articles_where(self, where: str, params: Sequence[Any]) -> list[tuple[int, Article]]:
        sql = f"SELECT seq, {_COLS} FROM articles WHERE {where} ORDER BY seq"
        return [
            (row[0], codec.article_from_row(row[1:], self._dec_ts))
            for row in self._read(sql, params)
        ]

    def get_article(self, article_id: str) -> Article | None:
        found = self._articles_where("id = ?", (article_id,))
        return found[0][1] if found else None

    def find_articles(self, prefix_or_key: str) -> list[Article]:
        """Articles whose id starts with the argument, or whose url, origin_file or key equals it."""
        if not prefix_or_key:
            return []
        # substr rather than LIKE: case-sensitive and wildcard-free in both dialects
        where = "substr(id, 1, ?) = ? OR url = ? OR origin_file = ? OR key = ?"
        n = len(prefix_or_key)
        params = (n, prefix_or_key, prefix_or_key, prefix_or_key, prefix_or_key)
        return [a for _, a in self._articles_where(where, params)]

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """All articles (every version) in ingestion order, or those with the given ids.

        Pages through the table by sequence number, so memory stays flat and other
        writes may happen between pages. Unknown ids are left out.
        """
        if ids is not None:
            yield from self._iter_ids(list(ids))
            return
        last = 0
        while True:
            sql = f"SELECT seq, {_COLS} FROM articles WHERE seq > ? ORDER BY seq LIMIT {_PAGE}"
            rows = self._read(sql, (last,))
            for row in rows:
                yield codec.article_from_row(row[1:], self._dec_ts)
            if len(rows) < _PAGE:
                return
            last = rows[-1][0]

    def _iter_ids(self, ids: list[str]) -> Iterator[Article]:
        found: list[tuple[int, Article]] = []
        for part in _chunks(sorted(set(ids))):
            found += self._articles_where(f"id IN ({_marks(len(part))})", part)
        found.sort(key=lambda pair: pair[0])
        for _, article in found:
            yield article

    def count_articles(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM articles")[0][0])

    def versions(self, key: str) -> list[Article]:
        """All versions under one key, oldest first (by first_seen, then ingestion order)."""
        if not key:
            return []
        found = self._articles_where("key = ?", (key,))
        far = datetime.max.replace(tzinfo=UTC)
        found.sort(key=lambda p: (p[1].first_seen or far, p[0]))
        return [a for _, a in found]

    # --- analysis state ---------------------------------------------------
    def unanalysed_ids(self) -> list[str]:
        rows = self._read("SELECT id FROM articles WHERE analysed = 0 ORDER BY seq")
        return [r[0] for r in rows]

    def mark_analysed(self, ids: Iterable[str]) -> None:
        self._set_analysed(list(ids), 1)

    def mark_unanalysed(self, ids: Iterable[str] | None = None) -> None:
        """Queue articles (all when ``ids`` is None) for analysis again, e.g. after new settings."""
        if ids is None:
            with self._tx() as cur:
                cur.execute("UPDATE articles SET analysed = 0")
            return
        self._set_analysed(list(ids), 0)

    def _set_analysed(self, ids: list[str], flag: int) -> None:
        with self._tx() as cur:
            for part in _chunks(ids):
                sql = f"UPDATE articles SET analysed = ? WHERE id IN ({_marks(len(part))})"
                cur.execute(sql, (flag, *part))

    def replace_relations(self, relations: Iterable[Relation], derived_ids: Iterable[str]) -> None:
        """Delete relations whose derived article is in ``derived_ids``, insert ``relations``."""
        rows = [codec.relation_row(r) for r in relations]
        with self._tx() as cur:
            for part in _chunks(list(derived_ids)):
                cur.execute(f"DELETE FROM relations WHERE derived IN ({_marks(len(part))})", part)
            cur.executemany(_INSERT_RELATION, rows)

    def relations(self) -> list[Relation]:
        cols = ", ".join(codec.RELATION_COLUMNS)
        rows = self._read(f"SELECT {cols} FROM relations ORDER BY seq")
        return [codec.relation_from_row(r) for r in rows]

    def put_alignments(self, alignments: Iterable[Alignment]) -> None:
        """Keep each alignment under its (source, derived) pair, replacing an older one."""
        rows = [codec.alignment_row(al) for al in alignments]
        with self._tx() as cur:
            cur.executemany(_UPSERT_ALIGNMENT, rows)

    def alignments(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Alignment]:
        """The stored alignments of the given (source, derived) pairs; pairs without one
        (analysed before alignments were stored, or by the Spark engine) are left out."""
        wanted = set(pairs)
        cols = ", ".join(codec.ALIGNMENT_COLUMNS)
        out: dict[tuple[str, str], Alignment] = {}
        for part in _chunks(sorted({d for _, d in wanted})):
            rows = self._read(
                f"SELECT {cols} FROM alignments WHERE derived IN ({_marks(len(part))})", part
            )
            for row in rows:
                if (row[0], row[1]) in wanted:
                    out[(row[0], row[1])] = codec.alignment_from_row(row)
        return out

    def put_vectors(self, model: str, vectors: Iterable[tuple[str, bytes]]) -> None:
        """Cache article vectors of ``model`` (the semantic layer's), replacing older ones."""
        rows = [(article, model, blob) for article, blob in vectors]
        with self._tx() as cur:
            cur.executemany(_UPSERT_VECTOR, rows)

    def vectors(self, model: str, ids: Iterable[str] | None = None) -> dict[str, bytes]:
        """The cached vectors of ``model``, all or those of ``ids`` (missing ones left out)."""
        sql = "SELECT article, vector FROM vectors WHERE model = ?"
        if ids is None:
            return {a: bytes(v) for a, v in self._read(sql, (model,))}
        out: dict[str, bytes] = {}
        for part in _chunks(sorted(set(ids))):
            rows = self._read(f"{sql} AND article IN ({_marks(len(part))})", (model, *part))
            out.update((a, bytes(v)) for a, v in rows)
        return out

    def replace_stories(self, stories: Iterable[Story]) -> None:
        """Replace every story (clustering is recomputed as a whole)."""
        rows = [codec.story_row(s) for s in stories]
        with self._tx() as cur:
            cur.execute("DELETE FROM stories")
            cur.executemany(_INSERT_STORY, rows)

    def stories(self) -> list[Story]:
        cols = ", ".join(codec.STORY_COLUMNS)
        rows = self._read(f"SELECT {cols} FROM stories ORDER BY seq")
        return [codec.story_from_row(r) for r in rows]

    def replace_findings(self, findings: Iterable[Finding], article_ids: Iterable[str]) -> None:
        """Delete the findings on ``article_ids``, insert ``findings``."""
        rows = [codec.finding_row(f) for f in findings]
        with self._tx() as cur:
            for part in _chunks(list(article_ids)):
                cur.execute(f"DELETE FROM findings WHERE article IN ({_marks(len(part))})", part)
            cur.executemany(_INSERT_FINDING, rows)

    def findings(self) -> list[Finding]:
        cols = ", ".join(codec.FINDING_COLUMNS)
        rows = self._read(f"SELECT {cols} FROM findings ORDER BY seq")
        return [codec.finding_from_row(r) for r in rows]

    # --- ingestion log and key/value state -----------------------------------
    def log_skipped(self, skipped: Skipped) -> None:
        row = codec.skipped_row(skipped, self._enc_ts, datetime.now(UTC))
        with self._tx() as cur:
            cur.execute(_INSERT_SKIPPED, row)

    def skipped(self) -> list[Skipped]:
        """The ingestion log, oldest first."""
        rows = self._read("SELECT time, input, reason, item, line, error FROM skipped ORDER BY seq")
        return [codec.skipped_from_row(r) for r in rows]

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def claim_meta(self, key: str, value: str, may_replace: Callable[[str], bool]) -> str | None:
        """Set ``key`` to ``value`` unless it holds a value ``may_replace`` refuses; that value
        is then returned (``None``: claimed). One serialised transaction, so of two processes
        claiming at once exactly one wins: the analysis lease is built on this."""
        with self._tx() as cur:
            self._serialise(cur)
            row = cur.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] != value and not may_replace(row[0]):
                return str(row[0])
            self.set_meta(key, value)
        return None

    def release_meta(self, key: str, value: str) -> None:
        """Delete ``key`` if it still holds ``value`` (a lease taken over is left alone)."""
        with self._tx() as cur:
            cur.execute("DELETE FROM meta WHERE key = ? AND value = ?", (key, value))

    def counts(self) -> dict[str, int]:
        """Rows per table, e.g. ``{"articles": 12, "relations": 7, ...}`` for a status view."""
        tables = ("articles", "relations", "stories", "findings", "skipped", "raw")
        return {t: int(self._read(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}
