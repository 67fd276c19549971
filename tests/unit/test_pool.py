"""The one worker pool (engines/pool.py): forked workers see the state, results keep order."""

from __future__ import annotations

import os

import pytest

from newslineage.engines import pool


def _scaled(state: dict[str, int], chunk: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), [state["factor"] * x for x in chunk]


@pytest.mark.skipif(not pool.can_fork(), reason="worker processes need fork")
def test_forked_chunks_come_back_in_order_with_the_shared_state() -> None:
    chunks = pool.chunked(list(range(50)), 3)
    seen: list[int] = []
    got = pool.run_chunks(
        _scaled, chunks, {"factor": 7}, workers=2, done=lambda c: seen.append(len(c))
    )
    assert [x for _, part in got for x in part] == [7 * x for x in range(50)]
    assert {pid for pid, _ in got} != {os.getpid()}  # the work ran in the workers
    assert seen == [len(c) for c in chunks]


def test_one_worker_runs_here() -> None:
    got = pool.run_chunks(_scaled, [[1], [2, 3]], {"factor": 2}, workers=1)
    assert got == [(os.getpid(), [2]), (os.getpid(), [4, 6])]
