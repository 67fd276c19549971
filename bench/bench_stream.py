"""Streaming latency: one new article against a large stored corpus (``lineage_for_new``).

For each store size N: generated articles, in chunks of ``CHUNK`` with their own seeds and id
prefixes, go into a SQLite store (``add_articles``) and a ``CandidateIndex`` (``add`` per
chunk). The new articles are derived articles of the last chunk whose source is stored; they
are kept out of the store and the index, then streamed one at a time. The latency is split
into the index query, the fetch of candidates by id, and ``relate`` on each candidate.

Baseline in the same process: a full reload of the store (``iter_articles()`` over every
article), the first thing the batch engine does and what streaming avoids.

Index memory per article is measured here at the largest size: everything the index holds
(``memory_bytes``, the ids included), by part (``memory_parts``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.bench_common import Figure, Section, fast_article, profile_top
from bench.generate import generate_corpus
from newslineage.engines.stream import lineage_for_new_detailed
from newslineage.index.candidates import CandidateIndex
from newslineage.store import open_store

CHUNK = 50_000
TARGET_MS = 200.0


def build(db: Path, n: int, n_new: int) -> tuple[CandidateIndex, list, dict, float, float]:
    """Store + index of ``n`` articles; ``n_new`` held-out derived articles; their truth
    sources; seconds to build the index and to store."""
    index = CandidateIndex()
    store = open_store(str(db))
    t_index = t_store = 0.0
    held: list = []
    sources: dict[str, str] = {}
    chunks = max(1, -(-n // CHUNK))
    for k in range(chunks):
        size = min(CHUNK, n - k * CHUNK)
        last = k == chunks - 1
        records, truth = generate_corpus(size + (n_new * 3 if last else 0), seed=1000 + k)
        prefix = f"c{k}-"
        arts = [fast_article(r, prefix) for r in records]
        if last:
            held, sources = _hold_out(arts, truth, prefix, n_new)
            keep = {a.id for a in held}
            arts = [a for a in arts if a.id not in keep][:size]
        t = time.perf_counter()
        index.add(arts)
        t_index += time.perf_counter() - t
        t = time.perf_counter()
        store.add_articles(arts)
        t_store += time.perf_counter() - t
    store.close()
    return index, held, sources, t_index, t_store


def _hold_out(arts, truth, prefix: str, n_new: int):
    ids = {a.id for a in arts}
    by_id = {a.id: a for a in arts}
    rels = [(prefix + r["source"], prefix + r["derived"]) for r in truth["relations"]]
    held, sources = [], {}
    # the latest derivations first: their sources were published before them
    for src, der in reversed(rels):
        if len(held) >= n_new:
            break
        if der in ids and src in ids and src not in sources and der not in sources.values():
            held.append(by_id[der])
            sources[der] = src
    return held, sources


def measure(n: int, n_new: int, budget_s: float) -> dict:
    """Stream ``n_new`` articles against a store of ``n``; stop early at ``budget_s``."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stream.db"
        index, held, sources, t_index, t_store = build(db, n, n_new)
        store = open_store(str(db))
        t = time.perf_counter()
        reloaded = sum(1 for _ in store.iter_articles())
        reload_s = time.perf_counter() - t
        total_ms, results = _timed_stream(
            held, budget_s, lambda a: lineage_for_new_detailed(a, store, index)
        )
        q_ms = [_timed(index.query, a)[0] for a in held[: len(total_ms)]]
        cands = [res.candidates for res in results]
        found = _found(held, results, sources)
        sem = _with_semantic(store, index, held, sources, budget_s)
        profile = ""
        if held:  # shows where the per-article time goes, met or not
            profile, _ = profile_top(lambda: lineage_for_new_detailed(held[0], store, index), 12)
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {
        "n": n, "streamed": len(total_ms), "held": len(held), "q_ms": q_ms,
        "total_ms": total_ms, "candidates": cands, "found": found, "reload_s": reload_s,
        "reloaded": reloaded, "index_rate": n / max(t_index, 1e-9), "store_rate": n / max(t_store, 1e-9),
        "mem": index.memory_bytes(), "parts": index.memory_parts(), "db_bytes": db_bytes,
        "profile": profile, **sem,
    }  # fmt: skip


def _with_semantic(store, index, held: list, sources: dict, budget_s: float) -> dict:
    """The same articles streamed with the semantic layer on (the default): the stored leads
    are encoded once (cached in the store, what a first ``run`` does), then each new
    article's lead is encoded and its neighbours join the candidates."""
    from newslineage.engines.stream import semantic_for_stream

    t = time.perf_counter()
    run = semantic_for_stream(store)
    setup_s = time.perf_counter() - t
    sem_ms, results = _timed_stream(
        held, budget_s, lambda a: lineage_for_new_detailed(a, store, index, semantic=run)
    )
    found = _found(held, results, sources)
    vec_bytes = sum(len(b) for m in run.indexes for b in store.vectors(m).values())
    return {"sem_ms": sem_ms, "sem_found": found, "sem_setup_s": setup_s,
            "sem_encoded": run.encoded, "sem_vec_bytes": vec_bytes}  # fmt: skip


def _timed(fn, *args) -> tuple[float, object]:
    """Milliseconds one call took, and what it returned."""
    t = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - t) * 1000, out


def _timed_stream(held: list, budget_s: float, step) -> tuple[list[float], list]:
    """``step`` on each held-out article in turn, timed, until ``budget_s`` runs out."""
    ms, results = [], []
    started = time.perf_counter()
    for a in held:
        took, res = _timed(step, a)
        ms.append(took)
        results.append(res)
        if time.perf_counter() - started > budget_s:
            break
    return ms, results


def _found(held: list, results: list, sources: dict) -> int:
    """How many streamed articles got a relation with their true source."""
    return sum(
        any({r.source, r.derived} == {sources[a.id], a.id} for r in res.relations)
        for a, res in zip(held, results, strict=False)
    )


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _met(median: float | None, n: int) -> bool | None:
    return None if n != 50_000 or median is None else median <= 100.0


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def _pct(xs: list[float], q: float) -> float | None:
    return float(np.percentile(xs, q)) if xs else None


def run(sizes: list[int], n_new: int, budget_s: float, target_n: int = 1_000_000):
    """Streaming figures at each store size, extrapolated to ``target_n`` when not measured."""
    sec = Section("Streaming: one new article")
    results = [measure(n, n_new, budget_s) for n in sizes]
    for r in results:
        n = r["n"]
        med = _pct(r["total_ms"], 50)
        target, met = ("", None)
        if n >= target_n:
            target, met = "<= 200 ms median at 1M", med is not None and med <= TARGET_MS
        sec.add(
            Figure(f"store {n:,}: lineage_for_new median / p95", med, "ms",
                   _pct(r["total_ms"], 95), "(p95, ms)", None, target, met,
                   note=f"{r['streamed']} articles streamed; {r['found']} found their true "
                        f"source; median {statistics.median(r['candidates'] or [0]):.0f} "
                        "candidates each"),
            Figure(f"store {n:,}: with the semantic layer (default), median / p95",
                   _pct(r["sem_ms"], 50), "ms", med, "lexical channels only (median, ms)",
                   _ratio(_pct(r["sem_ms"], 50), med), "<= 100 ms median at 50k (#12)"
                   if n == 50_000 else "", _met(_pct(r["sem_ms"], 50), n),
                   note=f"{len(r['sem_ms'])} streamed, {r['sem_found']} found their true "
                        f"source; p95 {_num(_pct(r['sem_ms'], 95))} ms; setup (leads of the "
                        f"store, {r['sem_encoded']:,} encoded) {r['sem_setup_s']:.0f} s"),
            Figure(f"store {n:,}: index query only, median / p95", _pct(r["q_ms"], 50), "ms",
                   _pct(r["q_ms"], 95), "(p95, ms)", None),
            Figure(f"store {n:,}: full reload (what streaming avoids)", r["reload_s"] * 1000,
                   "ms", med, "lineage_for_new median (ms)",
                   (r["reload_s"] * 1000) / med if med else None,
                   note="ratio = reload / stream"),
            Figure(f"store {n:,}: index build (CandidateIndex.add)", r["index_rate"],
                   "articles/s", r["store_rate"], "SQLite add_articles (articles/s)",
                   r["index_rate"] / r["store_rate"]),
        )  # fmt: skip
    big = results[-1]
    per = big["mem"] / big["n"]
    sec.add(
        Figure(f"index memory per article at {big['n']:,}", per, "bytes",
               big["db_bytes"] / big["n"], "SQLite store bytes/article", per / (big["db_bytes"] / big["n"]),
               target="<= 1 KB/article beyond the text store", met=per <= 1024,
               note="all of it, ids included (memory_parts below)"),
    )  # fmt: skip
    if big.get("sem_vec_bytes"):
        sec.add(Figure(f"embedding cache per article at {big['n']:,}",
                       big["sem_vec_bytes"] / big["n"], "bytes", per, "index bytes/article",
                       big["sem_vec_bytes"] / big["n"] / per,
                       note="int8 lead vectors + scale in the store's vectors table"))  # fmt: skip
    sec.notes.append(
        "Index bytes per article by component: "
        + ", ".join(f"{k} {v / big['n']:.0f}" for k, v in big["parts"].items())
        + "."
    )
    if big["n"] < target_n and len(results) >= 2:
        sec.add(*_extrapolate(results, target_n))
    if big["profile"]:
        sec.profiles[f"lineage_for_new against {big['n']:,} stored (cProfile, by own time)"] = big[
            "profile"
        ]
    return sec, {"stream_found": big["found"], "stream_n": big["streamed"]}


def _extrapolate(results: list[dict], target_n: int) -> list[Figure]:
    """Query time grows with log n (sorted-array searches); relate and fetch do not grow."""
    # the two largest sizes: bucket caps bound the hits per lookup, so once the buckets are
    # full the query time stops growing with the corpus; the small sizes are still filling
    a, b = results[-2], results[-1]
    qa, qb = _pct(a["q_ms"], 50), _pct(b["q_ms"], 50)
    tb = _pct(b["total_ms"], 50)
    if None in (qa, qb, tb) or a["n"] == b["n"]:
        return []
    # fit q = c0 + c1 * n through the two points: linear is the pessimistic case
    slope = (qb - qa) / (b["n"] - a["n"])  # type: ignore[operator]
    q_target = qb + slope * (target_n - b["n"])  # type: ignore[operator]
    est = tb - qb + max(q_target, qb)  # type: ignore[operator]
    return [
        Figure(f"EXTRAPOLATED to {target_n:,}: lineage_for_new median", est, "ms", None, "",
               None, "<= 200 ms median at 1M", est <= TARGET_MS,
               note=f"not measured: query time {qa:.1f} ms at {a['n']:,}, {qb:.1f} ms at "
                    f"{b['n']:,}, extended linearly (pessimistic; searches are log n); the "
                    "relate part does not depend on the store size"),
    ]  # fmt: skip
