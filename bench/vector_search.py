"""CPU seconds of the semantic layer's vector searches at a given index size: the separate
searches (``VectorIndex.neighbours``, then ``crowding_before`` for the later articles of the
dated pairs) against the one-pass ``VectorIndex.survey``, and whether they agree exactly.

``python -m bench.vector_search --n 100000`` indexes ``n`` random unit vectors (a fifth exact
copies of others: tied cosines; publication times in blocks of 50 articles: ties in time),
searches ``--queries`` of them both ways, ``--repeats`` times, and prints one line per repeat
in CPU seconds per 1,000 queries (one thread: set ``OMP_NUM_THREADS=1``). The whole search of
an analyze is that figure times its new articles / 1,000, split over the worker pool.
``--later`` is the share of queries whose earlier-articles crowd is asked for (0.92 in the
seed-23 10k analyze, where every undecided pair was dated).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from newslineage.index.vectors import VectorIndex

T = TypeVar("T")


def _index(n: int, dim: int, seed: int) -> tuple[VectorIndex, list[str]]:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v[rng.integers(0, n, n // 5)] = v[rng.integers(0, n, n // 5)]
    times = (rng.permutation(n) // 50).astype(np.float64)
    ids = [f"a{i}" for i in range(n)]
    index = VectorIndex("use", dim)
    index.add(ids, v, list(times))
    return index, ids


def _cpu(work: Callable[[], T]) -> tuple[float, T]:
    start = time.process_time()
    got = work()
    return time.process_time() - start, got


def measure(n: int, queries: int, later: float, k: int = 10, floor: float = 0.45) -> dict:
    """One repeat: CPU per 1,000 queries of both ways, and whether they agree."""
    index, ids = _index(n, 512, 0)
    asked = ids[:queries]
    dated = sorted(asked[: int(later * len(asked))])
    t_hits, hits = _cpu(lambda: index.neighbours(asked, k, floor))
    t_before, before = _cpu(lambda: index.crowding_before(dated, k))
    t_survey, survey = _cpu(lambda: index.survey(asked, k, floor))
    per = 1000 / len(asked)
    return {
        "separate_s": round((t_hits + t_before) * per, 2),
        "neighbours_s": round(t_hits * per, 2),
        "crowding_before_s": round(t_before * per, 2),
        "survey_s": round(t_survey * per, 2),
        "same": survey.hits == hits and all(survey.before.get(i) == before.get(i) for i in dated),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="indexed vectors")
    ap.add_argument("--queries", type=int, default=2000, help="query articles")
    ap.add_argument("--later", type=float, default=0.92, help="share asked for earlier crowds")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    for _ in range(args.repeats):
        print(measure(args.n, args.queries, args.later), flush=True)


if __name__ == "__main__":
    main()
