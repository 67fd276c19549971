"""End-to-end ``analyze`` at corpus scale: time, peak memory, growth and relation recall.

Each size runs in a fresh process (``spawn``), so its peak RSS is the analysis alone: the
parent builds the SQLite store, the child opens it and runs ``analyze_store``. The child also
times the fixed calibration workload first (the same-process baseline), so a figure taken on
a busy machine can be compared with one from an idle one.

A size that does not finish within its time budget is stopped; its total is then projected
from the pairs ``relate`` had done (the progress callback counts them) and reported as
projected, never as measured.

The store is built by the real ingest path (``extract_article`` on the JSONL records) up to
``EXTRACT_MAX`` articles, and from the records directly above that (extraction alone would
take ~1 ms x n; it is measured in the ingest section).
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import time
from pathlib import Path

from bench.bench_common import (
    NOW,
    Figure,
    Section,
    calibration_seconds,
    fast_article,
    peak_rss_mb,
    profile_top,
    truth_derivations,
)
from bench.generate import generate_corpus
from newslineage.extract.article import extract_article
from newslineage.model import DERIVATION_KINDS, Article, Document
from newslineage.store import open_store

EXTRACT_MAX = 200_000  # extraction is ~1 ms per article now; above this, raw records
#: analyze 100k end to end: 15 min for the lexical pipeline (the scale issue), 20 min with
#: the semantic layer, the default since #12 ("analyze 100k articles end to end <= 20 min")
TARGET_100K_S = {False: 15 * 60, True: 20 * 60}


def build_store(db: Path, n: int, seed: int = 23) -> tuple[dict, bool]:
    """Write a store of ``n`` generated articles to ``db``; the truth and whether extracted."""
    records, truth = generate_corpus(n, seed=seed)
    extracted = n <= EXTRACT_MAX
    store = open_store(str(db))
    batch: list[Article] = []
    for i, r in enumerate(records):
        batch.append(_extracted(r, i) if extracted else fast_article(r))
        if len(batch) >= 5000:
            store.add_articles(batch)
            batch = []
    store.add_articles(batch)
    store.close()
    return truth, extracted


def _extracted(r: dict, i: int) -> Article:
    from datetime import datetime

    doc = Document("corpus.jsonl", r["text"], False, "jsonl", origin_item=i, url=r["url"],
                   title=r["title"], published=datetime.fromisoformat(r["published"]),
                   language=r["language"], external_id=r["id"], outlet=r["outlet"])  # fmt: skip
    a = extract_article(doc, first_seen=NOW)
    return a if isinstance(a, Article) else fast_article(r)


def _child(db: str, pairs: list[tuple[str, str]], counter, out) -> None:
    """Analyse the store at ``db``; put figures on ``out``. Runs in a spawned process."""
    from newslineage.align.memo import AlignmentMemo
    from newslineage.engines.findings import update_findings
    from newslineage.engines.local import analyze_store
    from newslineage.semantic.params import default_semantic

    cal = calibration_seconds()
    store = open_store(db)
    rss0 = peak_rss_mb()
    t0 = time.perf_counter()

    def progress(kind: str, k: int) -> None:
        if kind == "total:pairs":
            counter[0], counter[2] = k, time.perf_counter() - t0
        elif kind == "pairs":
            counter[1] += k

    memo = AlignmentMemo()  # as `newslineage analyze`: drift reads relate's alignments
    summary = analyze_store(store, progress=progress, memo=memo, semantic=default_semantic())
    lineage_s = time.perf_counter() - t0
    update_findings(store, memo=memo)  # the drift step: `newslineage analyze` runs both
    secs = time.perf_counter() - t0
    ref = {a.id: a.external_id or a.id for a in store.iter_articles()}
    found = {frozenset((ref[r.source], ref[r.derived])) for r in store.relations()
             if r.kind in DERIVATION_KINDS}  # fmt: skip
    want = {frozenset(p) for p in pairs}
    out.put({
        "seconds": secs, "lineage_seconds": lineage_s, "drift_seconds": secs - lineage_s,
        "stages": dict(summary.stage_seconds),
        "calibration": cal, "rss_mb": peak_rss_mb(), "rss_before_mb": rss0,
        "candidates": summary.candidates, "relations": summary.relations,
        "recall": len(found & want) / max(len(want), 1),
        "precision": len(found & want) / max(len(found), 1),
    })  # fmt: skip
    store.close()


def analyze_once(n: int, budget_s: float) -> dict:
    """Build a store of ``n`` and analyse it in a child process within ``budget_s``."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        truth, extracted = build_store(db, n)
        build = time.perf_counter() - t
        pairs = [tuple(sorted(p)) for p in truth_derivations(truth)]
        ctx = mp.get_context("spawn")
        counter = ctx.Array("d", 3)  # total pairs, pairs done, seconds to candidates
        out = ctx.Queue()
        proc = ctx.Process(target=_child, args=(str(db), pairs, counter, out))
        t0 = time.perf_counter()
        proc.start()
        result = None
        while proc.is_alive() and time.perf_counter() - t0 < budget_s:
            proc.join(1.0)
            if not out.empty():
                result = out.get()
        if result is None and not out.empty():
            result = out.get()
        elapsed = time.perf_counter() - t0
        if proc.is_alive():
            proc.terminate()
            proc.join()
        total, done, t_cand = counter[0], counter[1], counter[2]
    if result is None:
        result = {"finished": False, "elapsed": elapsed, "pairs_total": total,
                  "pairs_done": done, "seconds_to_candidates": t_cand,
                  "seconds": _project(elapsed, total, done, t_cand)}  # fmt: skip
    else:
        result["finished"] = True
    result.update(n=n, build_seconds=build, extracted=extracted, truth_pairs=len(pairs))
    return result


def _project(elapsed: float, total: float, done: float, t_cand: float) -> float | None:
    """Total analyze time from the share of pairs related when the budget ran out."""
    if total <= 0 or done <= 0:
        return None
    return t_cand + (elapsed - t_cand) * total / done


def run(sizes: list[int], budget_s: float, profile_n: int) -> tuple[Section, dict]:
    """Analyze figures at each size; a profile at ``profile_n`` when a target is missed."""
    sec = Section("End-to-end analyze")
    results = [analyze_once(n, budget_s) for n in sizes]
    for r in results:
        sec.add(*_figures(r))
    per = [(r["n"], r["seconds"] / r["n"]) for r in results if r.get("seconds")]
    if len(per) >= 2:
        (n0, p0), (n1, p1) = per[0], per[-1]
        label = "" if all(r["finished"] for r in results) else " (from projected times)"
        sec.add(Figure(f"per-article time ratio {n1:,}/{n0:,}{label}", p1 / p0, "x", 1.0,
                       "linear growth", 1.0 / (p1 / p0), target="near-linear: <= 1.5",
                       met=p1 / p0 <= 1.5))  # fmt: skip
    big = [r for r in results if r["n"] >= 100_000]
    missed = any(f.met is False for f in sec.figures) or not big
    if missed and profile_n:
        sec.profiles[f"analyze_store on {profile_n:,} articles (cProfile, by own time)"] = (
            profile_analyze(profile_n)
        )
    final = results[-1]
    return sec, {"relation_recall": final.get("recall"), "relation_n": final["n"]}


def _figures(r: dict) -> list[Figure]:
    n, secs = r["n"], r.get("seconds")
    how = "measured" if r["finished"] else (
        f"NOT MEASURED: candidate generation had not finished when stopped after "
        f"{r['elapsed']:,.0f} s" if not r["pairs_total"] else
        f"PROJECTED: stopped after {r['elapsed']:,.0f} s with {r['pairs_done']:,.0f} of "
        f"{r['pairs_total']:,.0f} candidate pairs related"
    )  # fmt: skip
    src = "extracted" if r["extracted"] else "records (no extraction)"
    target, met = "", None
    if n >= 100_000 and secs is not None:
        from newslineage.semantic.params import default_semantic

        layer = default_semantic().enabled
        limit = TARGET_100K_S[layer]
        target = f"<= {limit // 60} min at 100k" + (", semantic layer on (#12)" if layer else "")
        met = secs * 100_000 / n <= limit
    if r["finished"]:
        stages = ", ".join(f"{k} {v:.0f} s" for k, v in r["stages"].items())
        how += (
            f" (lineage {r['lineage_seconds']:.0f} s: {stages}; drift {r['drift_seconds']:.0f} s)"
        )
    figs = [
        Figure(f"analyze {n:,} articles: wall time", secs, "s", None, "", None, target, met,
               note=f"{how}; store from {src}"),
    ]  # fmt: skip
    if r["finished"]:
        cal = r["calibration"]
        figs += [
            Figure(f"analyze {n:,}: per article", secs / n * 1000, "ms", cal * 1000,
                   "calibration workload (ms)", (secs / n) / cal,
                   note="ratio = per-article time in calibration units"),
            Figure(f"analyze {n:,}: peak RSS", r["rss_mb"], "MiB", r["rss_before_mb"],
                   "RSS before analyze", r["rss_mb"] / max(r["rss_before_mb"], 1)),
            Figure(f"analyze {n:,}: derivation recall / precision", r["recall"], "share",
                   r["precision"], "(precision)", None,
                   note=f"{r['candidates']:,} candidate pairs, {r['truth_pairs']:,} truth pairs"),
        ]  # fmt: skip
    else:
        figs.append(Figure(f"analyze {n:,}: candidate pairs per article",
                           r["pairs_total"] / n, "pairs", None, "", None,
                           note=f"{r['seconds_to_candidates']:.0f} s to get candidates"))  # fmt: skip
    return figs


def profile_analyze(n: int) -> str:
    """cProfile of ``analyze_store`` on a fresh store of ``n`` generated articles."""
    from newslineage.engines.local import analyze_store
    from newslineage.semantic.params import default_semantic

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        build_store(db, n)
        store = open_store(str(db))
        text, _ = profile_top(lambda: analyze_store(store, semantic=default_semantic()), 18)
        store.close()
    return text
