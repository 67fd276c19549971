"""Why the vector search's k-best selection keeps its ``argpartition`` (``index.vectors._top``):
tied cosines on real lead vectors, and what a cut-and-merge selection would save.

``python -m bench.vector_ties --db STORE --n 100000`` reads the USE lead vectors of an
analysed store (exact copies keep their original's lead, so their vectors are equal and so are
their cosines to any query), pads them to ``--n`` rows with jittered copies (distinct: no tie
added), and prints one JSON line per measure:

- ``ties``: the store's rows searched among themselves (a full analyze of it): how many
  queries hold equal cosines among the k + 1 best ``_top`` keeps (there ``argpartition``
  decides their order) and how many have the (k + 1)-th best equal to the next (there it
  decides *which* rows are kept: those hits depend on numpy's selection algorithm);
- ``speed``: CPU seconds per 1,000 queries of ``VectorIndex.survey`` with the index's
  selection, with an exact cut-and-merge selection (``_top_cut``: the scores at or above the
  kept k-th best merged by a sort; rows with a tie fall back to ``argpartition``, so the
  results are bit for bit the same), and with the same merge breaking ties by row number
  (``_top_ranked``: no fallback, outputs change where ties fall), each as a ratio of the
  first, in one process, alternately; ``products`` is the matrix products alone (the floor
  any selection leaves).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time

import numpy as np

from newslineage.index import vectors
from newslineage.index.vectors import VectorIndex
from newslineage.semantic.vectors import from_bytes


def _load(db: str, n: int) -> tuple[list[str], np.ndarray, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    got = con.execute("select article, vector from vectors where model='use' order by rowid")
    rows = got.fetchall()
    ids, vec = [r[0] for r in rows], from_bytes(b"".join(r[1] for r in rows), 512)
    own = len(ids)
    if n > own:
        rng = np.random.default_rng(0)
        extra = vec[rng.integers(0, own, n - own)]
        extra = extra + rng.standard_normal(extra.shape).astype(np.float32) * 0.02
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        vec, ids = np.vstack([vec, extra]), ids + [f"pad{i}" for i in range(n - own)]
    return ids, vec, own


def ties(vec: np.ndarray, k: int) -> dict:
    """Queries with equal values among their ``k`` best cosines against ``vec`` (the store's
    rows, in the survey's products), and with the k-th best equal to the next."""
    inside = boundary = 0
    for q0 in range(0, len(vec), vectors.QUERY_BLOCK):
        query = vec[q0 : q0 + vectors.QUERY_BLOCK]
        parts = [query @ vec[s : s + vectors._BLOCK].T for s in range(0, len(vec), vectors._BLOCK)]
        best = -np.partition(-np.concatenate(parts, axis=1), k, axis=1)[:, : k + 1]
        top = -np.sort(-best, axis=1)
        inside += int((top[:, 1:k] == top[:, : k - 1]).any(axis=1).sum())
        boundary += int((top[:, k - 1] == top[:, k]).sum())
    return {"queries": len(vec), "k_best": k, "tied_in_k_best": inside, "tied_at_kth": boundary}


def _merge(best_s, best_r, scores, start, k):
    """Each row's k best of its kept best and the block's scores at or above its cut, by
    value then row number, and whether a row holds equal values there."""
    n, kept = best_s.shape
    if kept == k:
        cut = best_s[:, -1]
    else:
        cut = -np.partition(-scores[:, : max(512, k)], k - 1, axis=1)[:, k - 1]
    rows, cols = np.nonzero(scores >= cut[:, None])
    at = np.concatenate([np.repeat(np.arange(n), kept), rows])
    value = np.concatenate([best_s.ravel(), scores[rows, cols]])
    where = np.concatenate([best_r.ravel(), start + cols])
    order = np.lexsort((where, -value, at))
    at, value, where = at[order], value[order], where[order]
    first = np.searchsorted(at, np.arange(n + 1))
    pos = first[:-1, None] + np.arange(k)
    top_s, top_r = value[pos], where[pos]
    after = pos + 1
    tied = (after < first[1:, None]) & (value[np.minimum(after, len(value) - 1)] == top_s)
    return top_s, top_r, tied.any(axis=1)


def _usable(best_s, scores, k) -> bool:
    return best_s.shape[1] == k or (best_s.shape[1] == 0 and scores.shape[1] > k)


def _top_cut(best_s, best_r, scores, start, k):
    if not _usable(best_s, scores, k):
        return _selected(best_s, best_r, scores, start, k)
    top_s, top_r, tied = _merge(best_s, best_r, scores, start, k)
    redo = np.flatnonzero(tied)
    if len(redo):
        top_s[redo], top_r[redo] = _selected(best_s[redo], best_r[redo], scores[redo], start, k)
    return top_s, top_r


def _top_ranked(best_s, best_r, scores, start, k):
    if not _usable(best_s, scores, k):
        return _selected(best_s, best_r, scores, start, k)
    return _merge(best_s, best_r, scores, start, k)[:2]


_selected = vectors._top


def speed(ids: list[str], vec: np.ndarray, queries: int, repeats: int, k: int) -> list[dict]:
    index = VectorIndex("use", vec.shape[1])
    times = np.random.default_rng(1).permutation(len(ids)).astype(np.float64)
    index.add(ids, vec, list(times))
    asked = ids[:queries]
    out = []
    for _ in range(repeats):
        got: dict[str, object] = {}
        for name, top in (("argpartition", _selected), ("cut", _top_cut), ("ranked", _top_ranked)):
            vectors._top = top
            t0 = time.process_time()
            survey = index.survey(asked, k, 0.45)
            got[name] = round((time.process_time() - t0) * 1000 / len(asked), 3)
            got[f"{name}_hits"] = sorted((h.a, h.b, h.cosine) for h in survey.hits)
        vectors._top = _selected
        t0 = time.process_time()
        matrix = index.matrix()
        for q0 in range(0, len(asked), vectors.QUERY_BLOCK):
            query = matrix[q0 : q0 + vectors.QUERY_BLOCK]
            for start in range(0, len(matrix), vectors._BLOCK):
                query @ matrix[start : start + vectors._BLOCK].T
        got["products"] = round((time.process_time() - t0) * 1000 / len(asked), 3)
        base = got["argpartition"]
        out.append({
            "n": len(ids),
            "cpu_s_per_1000": {x: got[x] for x in ("argpartition", "cut", "ranked", "products")},
            "ratio_cut": round(got["cut"] / base, 3), "ratio_ranked": round(got["ranked"] / base, 3),
            "cut_same_hits": got["cut_hits"] == got["argpartition_hits"],
            "ranked_same_hits": got["ranked_hits"] == got["argpartition_hits"],
        })  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="an analysed store (its USE lead vectors)")
    ap.add_argument("--n", type=int, default=100_000, help="index rows (padded)")
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--k", type=int, default=10, help="neighbours (k + 1 are selected)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    ids, vec, own = _load(args.db, args.n)
    print(json.dumps({"ties": ties(vec[:own], args.k + 1)}), flush=True)
    for row in speed(ids, vec, args.queries, args.repeats, args.k):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
