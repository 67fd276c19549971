"""The store interface every backend (SQLite, PostgreSQL) implements.

Everything the library keeps goes through these methods; nothing else touches SQL.
Writes are transactional per call, so an interrupted run loses nothing already stored;
``transaction()`` groups several calls into one (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from ..model import Alignment, Article, Finding, Relation, Skipped, Story


class Store(Protocol):
    url: str  # what the user passed (path or postgresql:// URL), for messages

    # --- articles -------------------------------------------------------
    def put_raw(self, data: bytes) -> str:
        """Keep raw bytes (content-addressed); return a reference such as ``sha256:ab12...``."""
        ...

    def get_raw(self, ref: str) -> bytes | None: ...

    def add_article(self, article: Article) -> str:
        """Store one article version. Returns ``"new"``, ``"version"`` (same key, new
        content: kept beside the older versions) or ``"unchanged"`` (same key and content:
        a no-op). ``first_seen`` of an existing version is never rewritten."""
        ...

    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Store many versions in one transaction; the status of each, in input order."""
        ...

    def add_ingested(
        self,
        articles: Iterable[Article],
        raw: Iterable[bytes] = (),
        skipped: Iterable[Skipped] = (),
    ) -> list[str]:
        """One ingest batch in one transaction: raw bytes (as ``put_raw``), articles (as
        ``add_articles``; the status of each) and skipped-input log entries."""
        ...

    def get_article(self, article_id: str) -> Article | None: ...

    def find_articles(self, prefix_or_key: str) -> list[Article]:
        """Articles whose id starts with the argument, or whose url / origin_file equals it."""
        ...

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """All articles (every version) in ingestion order, or those with the given ids."""
        ...

    def count_articles(self) -> int: ...

    def versions(self, key: str) -> list[Article]:
        """All versions stored under one key (url or origin_file#item), oldest first."""
        ...

    # --- analysis state -------------------------------------------------
    def unanalysed_ids(self) -> list[str]: ...

    def mark_analysed(self, ids: Iterable[str]) -> None: ...

    def mark_unanalysed(self, ids: Iterable[str] | None = None) -> None:
        """Queue articles (all when ``ids`` is None) for analysis again."""
        ...

    def replace_relations(self, relations: Iterable[Relation], derived_ids: Iterable[str]) -> None:
        """Delete relations whose derived article is in ``derived_ids``, insert ``relations``."""
        ...

    def relations(self) -> list[Relation]: ...

    def put_alignments(self, alignments: Iterable[Alignment]) -> None:
        """Keep the alignment each relation was decided on, under its (source, derived) pair."""
        ...

    def alignments(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Alignment]:
        """The stored alignments of the given pairs (pairs without one are left out)."""
        ...

    def put_vectors(self, model: str, vectors: Iterable[tuple[str, bytes]]) -> None:
        """Cache article vectors of ``model`` as ``(article id, bytes)``, replacing older ones."""
        ...

    def vectors(self, model: str, ids: Iterable[str] | None = None) -> dict[str, bytes]:
        """The cached vectors of ``model``: all of them, or those of the given article ids."""
        ...

    def replace_stories(self, stories: Iterable[Story]) -> None: ...

    def stories(self) -> list[Story]: ...

    def replace_findings(self, findings: Iterable[Finding], article_ids: Iterable[str]) -> None: ...

    def findings(self) -> list[Finding]: ...

    # --- ingestion log and HTTP cache ---------------------------------------
    def log_skipped(self, skipped: Skipped) -> None: ...

    def skipped(self) -> list[Skipped]:
        """The ingestion log, oldest first."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per table (articles, relations, stories, findings, skipped, raw)."""
        ...

    def get_meta(self, key: str) -> str | None:
        """Small key/value state, e.g. ``http:<url>`` -> JSON with ETag/Last-Modified."""
        ...

    def set_meta(self, key: str, value: str) -> None: ...

    def claim_meta(self, key: str, value: str, may_replace: Callable[[str], bool]) -> str | None:
        """Set ``key`` to ``value`` unless it holds another value ``may_replace`` refuses
        (returned then); serialised, so of two concurrent claims one wins."""
        ...

    def release_meta(self, key: str, value: str) -> None:
        """Delete ``key`` if it still holds ``value``."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Every write inside the ``with`` block in one transaction: all kept, or none."""
        ...

    def close(self) -> None: ...
