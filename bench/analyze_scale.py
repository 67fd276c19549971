"""How ``analyze`` grows with the corpus: time and peak memory at several sizes.

``python -m bench.analyze_scale --sizes 1000 10000 100000`` generates each corpus
(bench/generate.py, seed 1), ingests it into a fresh SQLite store and runs a full
``analyze``, each size in its own child process so ``ru_maxrss`` is that size's peak. It
prints, per size: ingest and analyze seconds (lineage, then the drift step, as
``newslineage analyze`` runs them), candidate pairs, peak resident memory, and
the analyze time per article divided by the smallest size's (1.0 = linear growth; the
machine is shared, so compare ratios, not absolute times).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import queue
import resource
import tempfile
import time
from pathlib import Path

_PART = 5000


def _measure(n: int, seed: int, out: mp.Queue) -> None:
    from bench.generate import generate_corpus
    from newslineage import api
    from newslineage.align.memo import AlignmentMemo
    from newslineage.engines.findings import update_findings
    from newslineage.engines.local import analyze_store
    from newslineage.semantic.params import default_semantic

    with tempfile.TemporaryDirectory() as tmp:
        records, _ = generate_corpus(n, seed=seed)
        paths = []  # files of 5,000 records: ingest reads a file at once (and caps its size)
        for i in range(0, n, _PART):
            paths.append(str(Path(tmp) / f"corpus-{i // _PART:04d}.jsonl"))
            with open(paths[-1], "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r) + "\n" for r in records[i : i + _PART])
        del records
        store = api.open_store(Path(tmp) / "x.db")
        t0 = time.perf_counter()
        added = api.add(paths, store)
        if added.skipped or added.new != n:
            out.put({"n": n, "error": f"ingest stored {added.new} of {n}: {added.skipped[:2]}"})
            return
        t1 = time.perf_counter()
        memo = AlignmentMemo()  # as `newslineage analyze`: drift reads relate's alignments
        summary = analyze_store(store, memo=memo, semantic=default_semantic())
        t2 = time.perf_counter()
        update_findings(store, memo=memo)  # the drift step: `newslineage analyze` runs both
        t3 = time.perf_counter()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.put(
            {
                "n": n,
                "ingest_s": round(t1 - t0, 1),
                "analyze_s": round(t3 - t1, 1),
                "lineage_s": round(t2 - t1, 1),
                "drift_s": round(t3 - t2, 1),
                "candidates": summary.candidates,
                "derivations": summary.derivations,
                "peak_mb": round(peak_mb),
                "stages": dict(summary.stage_seconds),
            }
        )


def measure(n: int, seed: int = 1) -> dict:
    """Ingest + analyze ``n`` generated articles in a child process; its figures."""
    q: mp.Queue = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=_measure, args=(n, seed, q))
    p.start()
    while True:  # a child that dies without a result must not hang the benchmark
        try:
            result = q.get(timeout=10)
            break
        except queue.Empty:
            if not p.is_alive():
                return {"n": n, "error": f"the child process died (exit code {p.exitcode})"}
    p.join()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    base = None
    print(f"{'articles':>9} {'ingest s':>9} {'analyze s':>10} {'pairs':>8} {'peak MB':>8} "
          f"{'ms/article':>10} {'vs first':>8}")  # fmt: skip
    for n in sorted(args.sizes):
        r = measure(n, args.seed)
        if "error" in r:
            print(f"{n:>9} failed: {r['error']}", flush=True)
            continue
        per = r["analyze_s"] / n
        base = base or per
        print(f"{n:>9} {r['ingest_s']:>9} {r['analyze_s']:>10} {r['candidates']:>8} "
              f"{r['peak_mb']:>8} {per * 1000:>10.2f} {per / base:>8.2f}  lineage "
              f"{r['lineage_s']} s {r['stages']}, drift {r['drift_s']} s",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
