"""The lead-vector searches of the semantic stages, spread over the worker pool in the
index's query blocks (``QUERY_BLOCK``), so every matrix product is the one a single search
makes and the hits do not depend on the number of workers. The module-level functions are
the pool stages (picklable by name); ``engines/semantic.py`` calls them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..index.vectors import QUERY_BLOCK, Survey, VectorIndex, split_known
from .pool import can_fork, chunked, run_chunks, worker_count

T = TypeVar("T")


def spread_search(search: Callable[[tuple, list[str]], T], state: tuple, ids: list[str]) -> list[T]:
    """``search(state, part)`` for consecutive parts of ``ids``, in the worker pool when there
    are several. The parts are the index's query blocks (``QUERY_BLOCK``), so every matrix
    product is the one a single search over ``ids`` makes and the hits are the same."""
    parts = chunked(ids, QUERY_BLOCK)
    workers = worker_count() if len(parts) > 1 and can_fork() else 1
    return run_chunks(search, parts, state, workers=workers)


def survey_of(state: tuple[VectorIndex, int, float], ids: list[str]) -> Survey:
    """The neighbours and both crowds of ``ids`` in one pass (``VectorIndex.survey``)."""
    index, k, floor = state
    return index.survey(ids, k, floor)


def searched(
    search: Callable[[tuple, list[str]], dict[str, float]],
    state: tuple,
    wanted: list[str],
    known: dict[str, float],
    queried: frozenset[str],
) -> dict[str, float]:
    """``search(state, part)`` over ``wanted`` as ``spread_search`` gives it, reading the
    articles a survey measured with the same products (``split_known``) instead."""
    reused, rest = split_known(wanted, queried)
    got = {i: known[i] for i in reused if i in known}
    for ids in rest:
        for part in spread_search(search, state, ids):
            got.update(part)
    return got


def neighbourhood_of(state: tuple[VectorIndex, int], ids: list[str]) -> dict[str, float]:
    """The mean cosine of each of ``ids`` to its k nearest (``VectorIndex.neighbourhood``)."""
    index, k = state
    return index.neighbourhood(ids, k)


def crowding_of(state: tuple[VectorIndex, int], ids: list[str]) -> dict[str, float]:
    """The same over earlier articles only (``VectorIndex.crowding_before``)."""
    index, k = state
    return index.crowding_before(ids, k)
