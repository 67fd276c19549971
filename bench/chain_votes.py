"""CPU seconds of the chain votes with and without the rows the relate stage keeps.

``python -m bench.chain_votes --n 3000`` generates ``n`` articles (bench/generate.py), indexes
them, relates every candidate pair as ``analyze`` does (``engines.local``, which keeps each
derived pair's ``BestRows``: ``align.core.align_both``), then times the votes of every chain
triple in this process (one thread: set ``OMP_NUM_THREADS=1``) both ways: comparing the texts
again (``chain_votes`` alone, the old path) and reading the kept rows first, each from cold
caches. It prints the CPU seconds of each, their ratio, how many of the triples' pairs were
kept, and whether the votes agree exactly. Articles get hashed ids, as a store gives them (a
pair's orientation follows its ids, and only the derived-first one is kept).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from bench.bench_common import run_sized

T = TypeVar("T")


def _cpu(work: Callable[[], T]) -> tuple[float, T]:
    start = time.process_time()
    got = work()
    return time.process_time() - start, got


def measure(n: int, seed: int) -> dict:
    """One run: the votes' CPU seconds both ways, and whether they agree."""
    from bench.bench_common import indexed_corpus
    from newslineage.align.core import BestRows
    from newslineage.align.features import sentence_features
    from newslineage.engines import local
    from newslineage.lineage.chains import _best, chain_triples
    from newslineage.lineage.choose import CHAIN_MARGIN

    articles, by_id, index = indexed_corpus(n, seed)
    best: BestRows = {}
    candidates = local._candidates_for(index, articles)  # the engine's, in its orientation
    found = local._relate_candidates(candidates, by_id, None, None, best)
    triples = [t for t in chain_triples(found, CHAIN_MARGIN) if all(x in by_id for x in t)]
    _best.cache_clear(), sentence_features.cache_clear()
    t_old, old = _cpu(lambda: local._vote_chunk((by_id, {}), triples))
    _best.cache_clear(), sentence_features.cache_clear()
    t_new, new = _cpu(lambda: local._vote_chunk((by_id, best), triples))
    kept = sum((t[0], t[1]) in best for t in triples) + sum((t[0], t[2]) in best for t in triples)
    return {
        "n": n,
        "triples": len(triples),
        "pairs_kept": f"{kept}/{2 * len(triples)}",
        "votes_old_cpu_s": round(t_old, 2),
        "votes_new_cpu_s": round(t_new, 2),
        "ratio": round(t_old / max(t_new, 1e-9), 2),
        "same_votes": old == new,
    }


def main() -> None:
    run_sized(measure, __doc__)


if __name__ == "__main__":
    main()
