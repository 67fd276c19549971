"""The candidate index kept between ``analyze`` runs, so a run indexes only new articles.

Where it lives:

- SQLite store ``news.db``: ``news.db.index.npz`` beside it (moves and backs up with it);
- PostgreSQL, or an in-memory SQLite store: a local cache file,
  ``$NEWSLINEAGE_INDEX_DIR/index-<hash of the redacted URL>.npz`` (default
  ``~/.cache/newslineage``); it is a cache: another machine simply builds its own. An index is
  a numpy file, not rows, so it stays out of the database.

It is trusted only when it was built from this store's articles: its format version and
settings are this version's, the store's ``index_stamp`` meta value (a random token written at
each save) is the one saved with it, and its ids are exactly the store's first articles in
ingestion order. Anything else (missing, truncated, corrupt, another version, another store,
articles gone) rebuilds it from the store with a notice on the ``newslineage`` logger; a stale
index is never used. Saving writes a temporary file and renames it (``CandidateIndex.save``),
so an interrupted run leaves the previous index intact.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from ..errors import StoreError
from ..index.candidates import CandidateIndex, IndexParams
from ..model import Article
from ..store.base import Store

log = logging.getLogger("newslineage")
STAMP_KEY = "index_stamp"


def index_path(store: Store) -> Path | None:
    """Where ``store``'s candidate index is saved (see the module docstring); None for an
    in-memory store, whose index would outlive it."""
    path = getattr(store, "path", None)
    if str(path) == ":memory:":
        return None
    if isinstance(path, Path):
        return path.with_name(path.name + ".index.npz")
    url = str(getattr(store, "url", "") or id(store))
    base = Path(os.environ.get("NEWSLINEAGE_INDEX_DIR") or Path.home() / ".cache" / "newslineage")
    return base / f"index-{hashlib.sha256(url.encode()).hexdigest()[:16]}.npz"


def load_index(
    store: Store, articles: Sequence[Article], params: IndexParams = IndexParams()
) -> CandidateIndex:
    """The saved index of ``store`` if it is current for ``articles`` (the store's articles in
    ingestion order), else an empty one; the caller adds what is missing."""
    path = index_path(store)
    if path is None or not path.exists():
        return CandidateIndex(params)
    try:
        index = CandidateIndex.load(path)
    except StoreError as e:
        return _rebuild(path, f"{e.problem}")
    if index.params != params:
        return _rebuild(path, "it was built with other settings")
    if not index.stamp or index.stamp != store.get_meta(STAMP_KEY):
        return _rebuild(path, "it was built from another store or another state of this one")
    n = len(index)
    if n > len(articles) or index.ids() != [a.id for a in articles[:n]]:
        return _rebuild(path, "its articles are not the store's")
    return index


def save_index(store: Store, index: CandidateIndex) -> None:
    """Save ``index`` for ``store`` (atomically), stamping both; a failure only warns."""
    path = index_path(store)
    if path is None:
        return
    stamp = secrets.token_hex(8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        index.save(path, stamp)
        store.set_meta(STAMP_KEY, stamp)
    except (OSError, StoreError) as e:
        log.warning("candidate index not saved to %s (%s); the next analyze rebuilds it", path, e)


def _rebuild(path: Path, reason: str) -> CandidateIndex:
    log.warning("rebuilding the candidate index %s: %s", path, reason)
    return CandidateIndex()
