"""The web app's state: the store, the snapshot reads are served from, the background work.

Reads never wait for a write (issue 14 row 9): they are answered from the last snapshot
while a refresher thread re-reads the store when its row counts change.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import anyio

from .. import api
from ..errors import NewslineageError
from ..model import Document, Skipped
from ..readmodel import ReadModel
from ..store import open_store
from .analyst import Analyst
from .jobs import Jobs
from .records import Snapshot

__all__ = ["AppState"]


class AppState:
    """The store, the snapshot reads are served from, and the background analyst.

    Reads never wait for a write: they are answered from the last snapshot while a
    refresher thread re-reads the store when its row counts change (a POST, a CLI run).
    Ingestion uses its own connection under ``write_lock``; analysis runs in the analyst's
    child process (``analyst.py``).
    """

    REFRESH_EVERY_S = 0.2  # at most this often the refresher looks at the row counts

    def __init__(self, store_url: str | None) -> None:
        self.store = open_store(store_url)  # ingestion (and analysis, for ":memory:")
        url = store_url or self.store.url
        in_memory = str(url) == ":memory:"
        self.reader = self.store if in_memory else open_store(url)
        self.write_lock = threading.Lock()
        self._rebuild = threading.Lock()
        self._snap: Snapshot | None = None
        self._mark: tuple[tuple[str, int], ...] = ()
        self._stale = threading.Event()
        self._stopping = threading.Event()
        self.analyst = _InProcess(self) if in_memory else Analyst(str(url), self.refresh)
        self.jobs = Jobs()
        self.limiter: anyio.CapacityLimiter | None = None

    def start(self) -> None:
        """Start the analyst and the refresher; queue an analysis of articles left
        unanalysed (e.g. by a server stopped mid-analysis)."""
        self.analyst.start()
        threading.Thread(target=self._refresher, name="newslineage-refresh", daemon=True).start()
        if self.reader.unanalysed_ids():
            self.analyst.request()

    def stop(self) -> None:
        """Stop the background work now (called on SIGTERM, before requests drain)."""
        self._stopping.set()
        self._stale.set()
        self.analyst.stop()

    def close(self) -> None:
        self.stop()
        self.analyst.join(timeout=5)
        with self.write_lock:
            self.store.close()
            if self.reader is not self.store:
                self.reader.close()

    def snapshot(self) -> Snapshot:
        """The store as last read; a changed store is re-read in the background."""
        snap = self._snap
        if snap is None:
            return self.refresh()
        self._stale.set()
        return snap

    def refresh(self, *, force: bool = True) -> Snapshot:
        """Re-read the store (when its row counts changed, or always with ``force``).

        Ingestion waits meanwhile, so a relation never names an article not yet read."""
        with self._rebuild, self.write_lock:
            mark = tuple(sorted(self.reader.counts().items()))
            if force or self._snap is None or mark != self._mark:
                self._snap = Snapshot.of(ReadModel.from_store(self.reader))
                self._mark = mark
            return self._snap

    def _refresher(self) -> None:
        while not self._stopping.is_set():
            self._stale.wait()
            self._stale.clear()
            if self._stopping.is_set():
                return
            # the store busy or gone: reads keep the last snapshot
            with contextlib.suppress(NewslineageError):
                self.refresh(force=False)
            time.sleep(self.REFRESH_EVERY_S)

    def ingest(self, items: list[Document | Skipped], outlet: str | None) -> tuple[Any, bool]:
        """Store the items; ``(result, pending)``: pending when an article awaits analysis."""
        with self.write_lock:
            result = api.add_documents(items, self.store, outlet=outlet)
            pending = bool(set(result.article_ids) & set(self.store.unanalysed_ids()))
        self._stale.set()
        return result, pending


class _InProcess:
    """The analyst for a ``":memory:"`` store (tests, doctests): there is no file a child
    process could open, so ``request`` analyses here, under the write lock."""

    stopping = False

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._done = 0

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def join(self, timeout: float) -> None: ...

    def request(self) -> int:
        with self.state.write_lock:
            api.analyze(self.state.store)
        self.state.refresh()
        self._done += 1
        return self._done

    def status(self, generation: int) -> tuple[str, str]:
        return "done", ""
