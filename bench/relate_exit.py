"""CPU seconds of ``relate`` on the aligned candidate pairs with and without the early exit
for pairs that cannot be related (``lineage.relate._unrelatable``).

``python -m bench.relate_exit --n 3000`` generates ``n`` articles (bench/generate.py), indexes
them, keeps the candidate pairs ``relate_candidate`` aligns (a textual channel, not a
minhash-only pair under the containment cut), then times ``relate_aligned`` on all of them in
this process (one thread: set ``OMP_NUM_THREADS=1``), the old path (every pair aligned both
ways) and the new one alternately, ``--repeats`` times each; the first round of each is from
cold per-text caches. It prints the CPU seconds, their ratio (old / new, the best repeat of
each), how many pairs the exit decided, and whether every result (relation, alignment and the
chain votes' ``BestRows``) is the same.
"""

from __future__ import annotations

import argparse
import sys
import time


def _clear_caches() -> None:
    from newslineage.align import features, passages
    from newslineage.lineage import stories

    features.sentence_features.cache_clear()
    passages.word_ids.cache_clear()
    passages._word_offsets.cache_clear()
    passages._source_shingles.cache_clear()
    stories._story_features.cache_clear()


def measure(n: int, seed: int, repeats: int) -> dict:
    """The old and new paths' CPU seconds on the aligned pairs, and whether they agree."""
    from bench.bench_common import indexed_corpus
    from newslineage.align.passages import shingle_containment
    from newslineage.engines import local
    from newslineage.lineage.choose import MINHASH_ONLY_MIN_CONTAINMENT, may_relate

    relate = sys.modules["newslineage.lineage.relate"]  # the package exports relate()
    articles, by_id, index = indexed_corpus(n, seed)
    candidates = local.locality_order(local._candidates_for(index, articles))
    pairs = []
    for c in candidates:
        textual = c.channels - {"story", "semantic", "cover"}
        a, b = by_id[c.a], by_id[c.b]
        if not may_relate(c, by_id) or not textual:
            continue
        if textual == {"minhash"} and (
            shingle_containment(a.text, b.text) < MINHASH_ONLY_MIN_CONTAINMENT
        ):
            continue
        pairs.append((a, b, "summary" in c.channels))
    exit_test = relate._unrelatable

    def run(early: bool) -> tuple[float, list]:
        relate._unrelatable = exit_test if early else (lambda *args: False)
        _clear_caches()
        out = []
        start = time.process_time()
        for a, b, summary in pairs:
            best: dict = {}
            rel, alignment = relate.relate_aligned(a, b, summary=summary, best=best)
            rows = {k: v.tobytes() for k, v in best.items()} if rel is not None else None
            out.append((rel, alignment, rows))
        return time.process_time() - start, out

    try:
        times_old, times_new = [], []
        for _ in range(repeats):
            t, old = run(False)
            times_old.append(t)
            t, new = run(True)
            times_new.append(t)
        decided = sum(1 for a, b, s in pairs if exit_test(a, b, relate.measure_pair(a, b),
                                                           relate._DEFAULTS, s))  # fmt: skip
    finally:
        relate._unrelatable = exit_test
    return {
        "n": n,
        "aligned_pairs": len(pairs),
        "unrelated": sum(r is None for r, _, _ in old),
        "decided_early": decided,
        "old_cpu_s": [round(t, 2) for t in times_old],
        "new_cpu_s": [round(t, 2) for t in times_new],
        "ratio": round(min(times_old) / max(min(times_new), 1e-9), 2),
        "same_results": old == new,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3000, help="generated articles")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    print(measure(args.n, args.seed, args.repeats))


if __name__ == "__main__":
    main()
