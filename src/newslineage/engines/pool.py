"""One worker pool for every parallel stage of the local engine (relate, chain votes,
candidate queries, drift).

Each stage hands over a read-only ``state`` (the articles, the index, the story tasks) and a
function ``work(state, chunk)``. Workers are forked, so they inherit the state instead of
unpickling it per task (the articles of a 100k corpus are gigabytes); only the chunks and
the results cross the pipe. Results come back in chunk order, so a parallel run returns
exactly what the serial one does.

>>> run_chunks(lambda state, chunk: [state * x for x in chunk], [[1, 2], [3]], 10, workers=1)
[[10, 20], [30]]
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

#: workers: the machine's cores, at most this many (the stages are CPU-bound)
MAX_WORKERS = 4

# set in each worker by _start: the stage's function and its read-only state
_work: Callable[[Any, Any], Any] | None = None
_state: Any = None
_blas: Any = None  # the worker's BLAS thread limit, held for the worker's life


def worker_count(limit: int = MAX_WORKERS) -> int:
    """The machine's cores, at most ``limit``."""
    return min(os.cpu_count() or 1, limit)


def can_fork() -> bool:
    """Workers are forked (they inherit the state); without fork the stages run serially."""
    return "fork" in mp.get_all_start_methods()


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` in consecutive chunks of ``size`` (the last one shorter)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def locality_order(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """The indices of ``pairs`` (article ids) reordered so that pairs sharing an article come
    close together, so they tend to fall in one chunk and its worker's per-article caches
    serve them. Articles are ranked by a breadth-first walk of the pair graph, and a pair
    comes when its later-ranked article is reached (a stable sort: ties keep their order).

    >>> locality_order([("a", "b"), ("c", "d"), ("b", "c"), ("a", "c")])
    [0, 3, 2, 1]
    """
    neighbours: dict[str, list[str]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    rank: dict[str, int] = {}
    for root in sorted(neighbours):
        if root in rank:
            continue
        rank[root] = len(rank)
        queue = deque([root])
        while queue:
            for v in neighbours[queue.popleft()]:
                if v not in rank:
                    rank[v] = len(rank)
                    queue.append(v)

    def key(i: int) -> tuple[int, int]:
        ra, rb = rank[pairs[i][0]], rank[pairs[i][1]]
        return (ra, rb) if ra > rb else (rb, ra)

    return sorted(range(len(pairs)), key=key)


def run_chunks(
    work: Callable[[S, list[T]], R],
    chunks: Sequence[list[T]],
    state: S,
    *,
    workers: int,
    done: Callable[[list[T]], None] | None = None,
) -> list[R]:
    """``[work(state, chunk) for chunk in chunks]``, in ``workers`` forked processes when
    ``workers`` > 1 and the platform forks, else here. ``done(chunk)`` is called as each
    chunk's result arrives (in chunk order), e.g. to advance a progress bar."""
    if workers < 2 or not can_fork():
        out = []
        for chunk in chunks:
            out.append(work(state, chunk))
            if done:
                done(chunk)
        return out
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_start, initargs=(work, state)) as pool:
        out = []
        for chunk, got in zip(chunks, pool.imap(_run, chunks), strict=True):
            out.append(got)
            if done:
                done(chunk)
        return out


def _start(work: Callable[[Any, Any], Any], state: Any) -> None:
    """Worker initializer. Under fork ``initargs`` are inherited, not pickled. One BLAS thread
    per worker: the matrices are small, and OpenBLAS's own thread pool does not survive a
    fork (a forked worker's matmul warned "invalid value" at 100k articles)."""
    global _work, _state, _blas
    # first: a fork inherits the parent's handlers (e.g. a web server's, which only set a
    # flag), and the pool's terminate() sends SIGTERM, maybe while this worker still imports
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    from ..align.core import one_blas_thread

    _work, _state = work, state
    _blas = one_blas_thread()


def _run(chunk: Any) -> Any:
    assert _work is not None, "pool worker without a stage: _start did not run"
    return _work(_state, chunk)
