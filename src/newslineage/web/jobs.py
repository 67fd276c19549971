"""What a POST left to poll: its articles and the analysis generation that covers them.

Kept in memory, the newest ``limit`` only: after a restart a job is unknown, but its
articles are stored and analysed at start, so ``/api/articles/{id}/lineage`` answers.

>>> jobs = Jobs(limit=2)
>>> [jobs.add(["a"], 1, {}).id for _ in range(3)]
[1, 2, 3]
>>> jobs.get(1) is None, jobs.get(3).article_ids
(True, ('a',))
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Job", "Jobs"]


@dataclass(frozen=True, slots=True)
class Job:
    """One POST: its id, the articles it stored, and the analysis generation to wait for."""

    id: int
    article_ids: tuple[str, ...]
    generation: int
    ingest: dict[str, Any]


class Jobs:
    """A bounded, thread-safe table of recent jobs."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._next = 0
        self._lock = threading.Lock()

    def add(self, article_ids: Sequence[str], generation: int, ingest: dict[str, Any]) -> Job:
        with self._lock:
            self._next += 1
            job = Job(self._next, tuple(article_ids), generation, ingest)
            self._jobs[job.id] = job
            while len(self._jobs) > self.limit:
                self._jobs.popitem(last=False)
            return job

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)
