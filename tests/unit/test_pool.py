"""The one worker pool (engines/pool.py): forked workers see the state, results keep order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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


_INHERITS = """
import signal, sys
from newslineage.engines import pool

def handlers(state, chunk):
    term, intr = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    return [term == signal.SIG_DFL and intr == signal.SIG_DFL for _ in chunk]

signal.signal(signal.SIGTERM, lambda *_: None)  # as uvicorn's: it only sets a flag
print(pool.run_chunks(handlers, [[1], [2]], None, workers=2))
"""


@pytest.mark.skipif(not pool.can_fork(), reason="worker processes need fork")
def test_workers_do_not_inherit_the_parents_signal_handlers() -> None:
    """Issue 14 row 1: a worker forked from `serve` kept uvicorn's SIGTERM handler, so the
    pool's own terminate() (and a SIGTERM to the server) could not stop it: the run hung."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _INHERITS],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the whole group is killed if it hangs
    )
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the pool hung: a worker ignored the pool's SIGTERM")
    assert out.strip() == "[[True], [True]]"
