"""The semantic candidate channel: top-k cosine neighbours among article vectors.

Article vectors (``semantic.vectors.lead_text`` encoded by USE or e5) find the rewrites and the
reports in other languages that share no word 3-gram with their partner. The search is a brute
force matrix product in row blocks over float32 rows (2 KB per article at 512 dimensions: a
float16 copy halved that, but was converted back over the whole matrix for every search); the
streaming latency with the layer on is in docs/lineage.md (``bench.run --stages stream``). A
batch search is quadratic: ``survey`` makes one pass for the neighbours and both crowds the
margins read, ~1.6 CPU s per 1,000 queries against 100k rows (``bench.vector_search``).

>>> idx = VectorIndex("toy", 2)
>>> idx.add(["a", "b", "c"], np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32))
>>> [(h.a, h.b, round(h.cosine, 2)) for h in idx.neighbours(["a"], k=2, floor=0.5)]
[('a', 'b', 0.8)]
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["QUERY_BLOCK", "Neighbour", "Survey", "VectorIndex", "split_known"]

#: rows of the stored matrix multiplied at once: bounds the (queries x rows) product in memory
_BLOCK = 8192
#: queries per product: 1000 x 8192 float32 scores are 32 MB. A caller that splits a search
#: over processes splits at multiples of it, so every product is the one a single search makes
QUERY_BLOCK = 1000


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A query article ``a``, a stored article ``b`` and the cosine of their vectors."""

    a: str
    b: str
    cosine: float


@dataclass(frozen=True, slots=True)
class Survey:
    """One pass over the index for a list of query articles (``VectorIndex.survey``): their
    neighbours, and the two crowds the semantic margins read, measured from the same products.

    ``crowd`` and ``before`` hold what ``neighbourhood`` and ``crowding_before`` give for the
    articles of ``queried`` (an article absent from them has no value: nothing indexed
    before it, say). Articles queried in a block of one row are not in ``queried``: BLAS
    computes a one-row product on another path, whose last bits differ."""

    hits: list[Neighbour]
    crowd: dict[str, float]
    before: dict[str, float]
    queried: frozenset[str]

    @classmethod
    def joined(cls, parts: Sequence[Survey]) -> Survey:
        """The crowds of consecutive parts of one search as one survey (hits left out)."""
        crowd = {i: v for p in parts for i, v in p.crowd.items()}
        before = {i: v for p in parts for i, v in p.before.items()}
        return cls([], crowd, before, frozenset().union(*(p.queried for p in parts)))


class VectorIndex:
    """The article vectors of one model, searchable by cosine."""

    def __init__(self, model: str, dim: int) -> None:
        self.model = model
        self.dim = dim
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        # rows beyond len(self._ids) are spare capacity: a streamed article adds one row
        # without copying the whole matrix (the capacity doubles when full)
        self._rows = np.zeros((0, dim), np.float32)
        # each row's publication time (POSIX seconds; NaN when unknown), same capacity
        self._times = np.zeros(0, np.float64)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._row

    def add(
        self, ids: Sequence[str], vectors: np.ndarray, times: Sequence[float] | None = None
    ) -> None:
        """Index ``vectors`` (unit rows) under ``ids``, with their publication ``times``
        (POSIX seconds, NaN unknown; all unknown when not given); an id already indexed is
        skipped."""
        fresh = [i for i, a in enumerate(ids) if a not in self._row]
        if not fresh:
            return
        start = len(self._ids)
        end = start + len(fresh)
        if end > len(self._rows):
            size = max(end, 2 * len(self._rows), 64)
            grown = np.zeros((size, self.dim), np.float32)
            grown[:start] = self._rows[:start]
            self._rows = grown
            self._times = np.concatenate([self._times[:start], np.full(size - start, np.nan)])
        self._rows[start:end] = np.asarray(vectors, np.float32)[fresh]
        when = np.full(len(ids), np.nan) if times is None else np.asarray(times, np.float64)
        self._times[start:end] = when[fresh]
        for i in fresh:
            self._row[ids[i]] = len(self._ids)
            self._ids.append(ids[i])

    def matrix(self) -> np.ndarray:
        """All indexed vectors, one row per id in the order added (a view, not a copy)."""
        return self._rows[: len(self._ids)]

    def vector(self, article_id: str) -> np.ndarray:
        """The (float32) vector of one indexed article."""
        return self.matrix()[self._row[article_id]]

    def cosine(self, a: str, b: str) -> float | None:
        """The cosine of two indexed articles, None when either is not indexed."""
        if a not in self._row or b not in self._row:
            return None
        return float(self.vector(a) @ self.vector(b))

    def neighbours(self, ids: Sequence[str], k: int, floor: float) -> list[Neighbour]:
        """For each indexed article of ``ids``, its ``k`` nearest others at cosine >= ``floor``."""
        rows = np.array([self._row[a] for a in ids if a in self._row], np.int64)
        out: list[Neighbour] = []
        for start in range(0, len(rows), QUERY_BLOCK):
            part = rows[start : start + QUERY_BLOCK]
            query = self.matrix()[part]
            out += self.search(query, [self._ids[r] for r in part], k, floor)
        return out

    def neighbourhood(self, ids: Sequence[str], k: int) -> dict[str, float]:
        """The mean cosine of each indexed article of ``ids`` to its ``k`` nearest others: how
        crowded its neighbourhood is (a corpus of templated or one-topic texts is crowded)."""
        return _means(self.neighbours(ids, k, -1.0))

    def dated(self, ids: Sequence[str]) -> list[str]:
        """The indexed articles of ``ids`` with a known publication time, in order: the ones
        :meth:`crowding_before` measures."""
        return [a for a in ids if a in self._row and np.isfinite(self._times[self._row[a]])]

    def crowding_before(self, ids: Sequence[str], k: int) -> dict[str, float]:
        """The mean cosine of each indexed article of ``ids`` to its ``k`` nearest articles
        published strictly before it: how crowded its possible sources are. Articles without
        a known time, or with nothing indexed before them, are left out."""
        rows = np.array([self._row[a] for a in ids if a in self._row], np.int64)
        rows = rows[np.isfinite(self._times[rows])]
        out: dict[str, float] = {}
        for start in range(0, len(rows), QUERY_BLOCK):
            part = rows[start : start + QUERY_BLOCK]
            scores, _ = self._best(self.matrix()[part], k, self._times[part])
            for r, s in zip(part, scores, strict=True):
                s = s[s > -2.0]
                if len(s):
                    out[self._ids[r]] = float(np.mean(s))
        return out

    def survey(self, ids: Sequence[str], k: int, floor: float) -> Survey:
        """``neighbours(ids, k, floor)``, ``neighbourhood(ids, k)`` and ``crowding_before(ids,
        k)`` in one pass: the three searched the whole matrix each, and at 100k articles the
        pass is quadratic (docs/lineage.md). The neighbourhood is the neighbours' own top
        k + 1 before the floor (the same selection: its ties fall as before); the earlier
        articles' top k is taken from the same products, time-masked, by value (a mean reads
        values only, so any exact selection gives the same floats)."""
        rows = np.array([self._row[a] for a in ids if a in self._row], np.int64)
        hits: list[Neighbour] = []
        crowd: dict[str, float] = {}
        before: dict[str, float] = {}
        queried: set[str] = set()
        for start in range(0, len(rows), QUERY_BLOCK):
            part = rows[start : start + QUERY_BLOCK]
            query_ids = [self._ids[r] for r in part]
            if len(part) < 2:  # a stream's one article: the neighbours alone, as before
                hits += self._hits(*self._best(self.matrix()[part], k + 1), query_ids, k, floor)
                continue
            best_s, best_r, prior = self._fused(self.matrix()[part], k, self._times[part])
            hits += self._hits(best_s, best_r, query_ids, k, floor)
            queried.update(query_ids)
            crowd |= _means(self._hits(best_s, best_r, query_ids, k, -1.0))
            for qid, s in zip(query_ids, prior, strict=True):
                s = s[s > -2.0]
                if len(s) and np.isfinite(self._times[self._row[qid]]):
                    before[qid] = float(np.mean(s))
        return Survey(hits, crowd, before, frozenset(queried))

    def search(
        self, query: np.ndarray, query_ids: Sequence[str], k: int, floor: float
    ) -> list[Neighbour]:
        """The ``k`` nearest indexed articles of each query vector (itself left out)."""
        if len(self) == 0 or len(query_ids) == 0:
            return []
        best_s, best_r = self._best(query, k + 1)
        return self._hits(best_s, best_r, query_ids, k, floor)

    def _hits(
        self,
        best_s: np.ndarray,
        best_r: np.ndarray,
        query_ids: Sequence[str],
        k: int,
        floor: float,
    ) -> list[Neighbour]:
        """The first ``k`` of each query's best (cosines, rows) at ``floor`` or above, the
        query itself left out."""
        out = []
        for q, qid in enumerate(query_ids):
            hits = [(self._ids[r], float(s)) for s, r in zip(best_s[q], best_r[q], strict=True)]
            out += [Neighbour(qid, b, s) for b, s in hits if b != qid and s >= floor][:k]
        return out

    def _fused(
        self, query: np.ndarray, k: int, before: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``_best(query, k + 1)`` and the cosines of ``_best(query, k, before)`` from one
        product per block (``_top_earlier``: the time mask read after the unmasked
        selection, on the few scores that can still enter)."""
        matrix = self.matrix()
        best_s = np.full((len(query), 0), -2.0, np.float32)
        best_r = np.zeros((len(query), 0), np.int64)
        prior = np.full((len(query), 0), -2.0, np.float32)
        for start in range(0, len(matrix), _BLOCK):
            scores = query @ matrix[start : start + _BLOCK].T
            best_s, best_r = _top(best_s, best_r, scores, start, k + 1)
            times = self._times[start : start + scores.shape[1]]
            prior = _top_earlier(prior, scores, times, before, k)
        return best_s, best_r, prior

    def _best(
        self, query: np.ndarray, k: int, before: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per query row, the ``k`` best cosines (descending, -2 where fewer) and their rows;
        with ``before`` (one time per query) only rows published strictly before it count."""
        matrix = self.matrix()
        best_s = np.full((len(query), 0), -2.0, np.float32)
        best_r = np.zeros((len(query), 0), np.int64)
        for start in range(0, len(matrix), _BLOCK):
            scores = query @ matrix[start : start + _BLOCK].T
            if before is not None:
                times = self._times[start : start + scores.shape[1]]
                scores[~(times[None, :] < before[:, None])] = -2.0
            best_s, best_r = _top(best_s, best_r, scores, start, k)
        return best_s, best_r


def _top(
    best_s: np.ndarray, best_r: np.ndarray, scores: np.ndarray, start: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per query row, the ``k`` best (descending) of the kept best and a block of scores
    (columns: rows ``start``, ``start + 1``, ...), and their rows.

    At 100k articles this selection cost more than the products (one query block against the
    whole index: 1.1 of 2.0 s). So the selection runs on one negated copy of the candidates
    (the array ``argpartition`` always read, so ties fall the same way), and a block's row
    numbers are worked out for the chosen columns only, not materialised for every score."""
    kept = best_s.shape[1]
    neg = np.empty((len(scores), kept + scores.shape[1]), np.float32)
    np.negative(best_s, out=neg[:, :kept])
    np.negative(scores, out=neg[:, kept:])
    if neg.shape[1] > k:
        part = np.argpartition(neg, k - 1, axis=1)[:, :k]
    else:
        part = np.broadcast_to(np.arange(neg.shape[1]), neg.shape)
    chosen = np.take_along_axis(neg, part, 1)
    rows = start + (part - kept)
    if kept:
        old = np.take_along_axis(best_r, np.minimum(part, kept - 1), 1)
        rows = np.where(part < kept, old, rows)
    order = np.argsort(chosen, axis=1, kind="stable")
    return -np.take_along_axis(chosen, order, 1), np.take_along_axis(rows, order, 1)


def _means(hits: list[Neighbour]) -> dict[str, float]:
    """The mean cosine of each query article's hits."""
    sums: dict[str, list[float]] = {}
    for h in hits:
        sums.setdefault(h.a, []).append(h.cosine)
    return {a: float(np.mean(v)) for a, v in sums.items()}


def _top_earlier(
    best: np.ndarray, scores: np.ndarray, times: np.ndarray, before: np.ndarray, k: int
) -> np.ndarray:
    """Per query row, the ``k`` largest cosines (descending, -2 where fewer) of the kept
    best and a block of scores whose columns were published (``times``) strictly before the
    row's time (``before``): ``_top``'s cosines under ``_best``'s time mask, without the rows,
    which a mean does not need. A row holding k already only takes the block's scores above
    its k-th (a tie changes no value); after the first blocks those are few, so they are
    picked out and merged instead of masking and selecting over the whole block."""
    if best.shape[1] < k:
        return _top_values(best, _masked(scores, times, before), k)
    thr = best[:, -1].copy()
    open_ = (thr <= -2.0) & np.isfinite(before)  # fewer than k earlier articles so far
    thr[thr <= -2.0] = np.inf  # undated rows never take any; open ones are done below
    rows, cols = np.nonzero(scores > thr[:, None])
    keep = times[cols] < before[rows]
    out = _merge_values(best, rows[keep], scores[rows[keep], cols[keep]], k)
    if open_.any():
        at = np.flatnonzero(open_)
        out[at] = _top_values(best[at], _masked(scores[at], times, before[at]), k)
    return out


def _masked(scores: np.ndarray, times: np.ndarray, before: np.ndarray) -> np.ndarray:
    """``scores`` with -2 where the column was not published strictly before the row (in
    place: the block's scores are not read again)."""
    scores[~(times[None, :] < before[:, None])] = -2.0
    return scores


def _top_values(best: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Per row, the ``k`` largest values (descending) of the kept best and a block."""
    both = np.concatenate([best, scores], axis=1)
    if both.shape[1] > k:
        both = -np.partition(-both, k - 1, axis=1)[:, :k]
    return -np.sort(-both, axis=1)


def _merge_values(best: np.ndarray, rows: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Each row's ``k`` largest (descending) of its kept best (k per row) and the ``values``
    at ``rows``: a sort of the few entries, not a selection over a block."""
    if not len(rows):
        return best.copy()
    at = np.concatenate([np.repeat(np.arange(len(best)), k), rows])
    value = np.concatenate([best.ravel(), values])
    order = np.lexsort((-value, at))
    at, value = at[order], value[order]
    rank = np.arange(len(at)) - np.searchsorted(at, np.arange(len(best)))[at]
    out = np.empty_like(best)
    keep = rank < k
    out[at[keep], rank[keep]] = value[keep]
    return out


def split_known(wanted: Sequence[str], known: Collection[str]) -> tuple[list[str], list[list[str]]]:
    """Which of ``wanted`` (searched in ``QUERY_BLOCK`` parts) may read a survey's value for
    the same bits, and the rest as lists to search one by one. One-row products take BLAS's
    other path, so an article ``wanted`` searches alone (a last part of one) is searched
    alone again, and a last part of one among the rest gets a known article beside it."""
    lone = list(wanted[-1:]) if len(wanted) % QUERY_BLOCK == 1 else []
    reused = [i for i in wanted if i in known and i not in lone]
    rest = [i for i in wanted if i not in known and i not in lone]
    if len(rest) % QUERY_BLOCK == 1 and reused:
        rest.append(reused[0])
    return reused, [part for part in (rest, lone) if part]
