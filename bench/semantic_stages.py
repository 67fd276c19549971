"""Per-stage wall and CPU seconds of one ``analyze`` (semantic layer on, defaults), and its
relations and stories written out, to compare two versions of the code on one store.

``python -m bench.semantic_stages --n 10000 --out /tmp/after.txt`` builds the seed-23 store
``bench.bench_analyze.build_store`` makes (the one ``bench.run --stages analyze`` measures),
analyses it and runs the drift step, and prints one JSON line: wall seconds per stage, CPU
seconds per stage and of the drift step (this process and its reaped pool workers: on a busy
shared machine the steadier figure) and the load average. ``--out`` gets one sorted line per
relation (ids, kind, coverages, confidence, evidence), ``--out``.stories one per story and
``--out``.findings one per drift finding: ``cmp`` the files of two versions. ``--db`` reuses
a store built before (a copy is analysed); with ``--drift-only`` it is an analysed store
(``newslineage analyze --db``) and only the drift step runs, on a copy, reading the
alignments the analysis stored.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(db: Path, out: Path | None) -> dict:
    """Analyse a copy of the store at ``db``; the figures (and ``out`` written)."""
    import newslineage.engines.local as local
    from newslineage.align.memo import AlignmentMemo
    from newslineage.engines.findings import update_findings
    from newslineage.semantic.params import default_semantic

    cpu_laps: list[tuple[str, float]] = []
    init, lap = local._Stages.__init__, local._Stages.lap

    def counted_init(self: local._Stages) -> None:
        init(self)
        self.cpu = _cpu()

    def counted_lap(self: local._Stages, name: str) -> None:
        lap(self, name)
        now = _cpu()
        cpu_laps.append((name, round(now - self.cpu, 1)))
        self.cpu = now

    local._Stages.__init__, local._Stages.lap = counted_init, counted_lap  # type: ignore[method-assign]
    load = os.getloadavg()[0]
    with _store_copy(db) as store:
        memo = AlignmentMemo()
        t0 = time.perf_counter()
        summary = local.analyze_store(store, memo=memo, semantic=default_semantic())
        t1, c1 = time.perf_counter(), _cpu()
        update_findings(store, memo=memo)
        t2, c2 = time.perf_counter(), _cpu()
        rels = sorted(
            json.dumps([r.source, r.derived, r.kind, r.coverage, r.verbatim_share,
                        r.confidence, r.source_coverage, r.evidence], sort_keys=True, default=str)
            for r in store.relations()
        )  # fmt: skip
        stories = sorted(json.dumps([s.id, s.original], default=str) for s in store.stories())
        findings = _findings(store)
    if out is not None:
        out.write_text("\n".join(rels))
        Path(f"{out}.stories").write_text("\n".join(stories))
        Path(f"{out}.findings").write_text("\n".join(findings))
    return {
        "lineage_s": round(t1 - t0, 1), "drift_s": round(t2 - t1, 1),
        "drift_cpu_s": round(c2 - c1, 1),
        "stages_s": dict(summary.stage_seconds), "stages_cpu_s": dict(cpu_laps),
        "load": [round(load, 1), round(os.getloadavg()[0], 1)],
        "candidates": summary.candidates, "relations": len(rels),
    }  # fmt: skip


def measure_drift(db: Path, out: Path | None) -> dict:
    """The drift step alone on a copy of an analysed store (``newslineage analyze --db``),
    reading the alignments it stored as ``analyze`` passes relate's: wall and CPU seconds,
    and ``out``.findings written."""
    from newslineage.align.memo import AlignmentMemo
    from newslineage.engines.findings import update_findings

    load = os.getloadavg()[0]
    with _store_copy(db) as store:
        memo = AlignmentMemo()
        for alignment in store.alignments(
            (r.source, r.derived) for r in store.relations()
        ).values():
            memo.put(alignment)
        t0, c0 = time.perf_counter(), _cpu()
        update_findings(store, memo=memo)
        t1, c1 = time.perf_counter(), _cpu()
        findings = _findings(store)
    if out is not None:
        Path(f"{out}.findings").write_text("\n".join(findings))
    return {
        "drift_s": round(t1 - t0, 1), "drift_cpu_s": round(c1 - c0, 1),
        "findings": len(findings), "load": [round(load, 1), round(os.getloadavg()[0], 1)],
    }  # fmt: skip


@contextlib.contextmanager
def _store_copy(db: Path) -> Iterator:
    """A store opened on a temporary copy of ``db`` (the measured runs never write to it)."""
    from newslineage.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "x.db"
        shutil.copy(db, copy)
        store = open_store(str(copy))
        try:
            yield store
        finally:
            store.close()


def _findings(store) -> list[str]:
    return sorted(json.dumps(asdict(f), sort_keys=True, default=str) for f in store.findings())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000, help="articles in the generated store")
    ap.add_argument("--db", type=Path, help="a store built before (by this script's --keep)")
    ap.add_argument("--keep", type=Path, help="keep the built store here")
    ap.add_argument("--out", type=Path, help="write the relations here (and .stories)")
    ap.add_argument(
        "--drift-only", action="store_true", help="--db is analysed: time the drift step alone"
    )
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    db = args.db
    if args.drift_only:
        print(json.dumps(measure_drift(db, args.out)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if db is None:
            from bench.bench_analyze import build_store

            db = args.keep or Path(tmp) / "bench.db"
            build_store(db, args.n)
        print(json.dumps(measure(db, args.out)))


if __name__ == "__main__":
    main()
