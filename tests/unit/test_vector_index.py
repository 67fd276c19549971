"""The vector index's k-best selection (``index.vectors``): the same neighbours, ties
included, as selecting over the whole score rows with their row numbers beside them."""

from __future__ import annotations

import numpy as np
import pytest

from newslineage.index import vectors
from newslineage.index.vectors import VectorIndex


def _reference(query: np.ndarray, matrix: np.ndarray, k: int, block: int):
    """The selection as first written: each block's scores and row numbers appended to the
    kept best, ``argpartition`` of the negated scores, then a stable sort."""
    best_s = np.full((len(query), 0), -2.0, np.float32)
    best_r = np.zeros((len(query), 0), np.int64)
    for start in range(0, len(matrix), block):
        scores = query @ matrix[start : start + block].T
        rows = np.broadcast_to(np.arange(start, start + scores.shape[1]), scores.shape)
        s, r = np.hstack([best_s, scores]), np.hstack([best_r, rows])
        if s.shape[1] > k:
            part = np.argpartition(-s, k - 1, axis=1)[:, :k]
            s, r = np.take_along_axis(s, part, 1), np.take_along_axis(r, part, 1)
        order = np.argsort(-s, axis=1, kind="stable")
        best_s, best_r = np.take_along_axis(s, order, 1), np.take_along_axis(r, order, 1)
    return best_s, best_r


@pytest.mark.parametrize(("n", "k"), [(5, 10), (300, 4), (1000, 11)])
def test_the_k_best_are_the_whole_rows_selection_ties_included(
    monkeypatch: pytest.MonkeyPatch, n: int, k: int
) -> None:
    monkeypatch.setattr(vectors, "_BLOCK", 64)  # several blocks, so kept and new best merge
    rng = np.random.default_rng(n)
    v = rng.standard_normal((n, 16)).astype(np.float32)
    v[rng.integers(0, n, n // 3)] = v[rng.integers(0, n, n // 3)]  # exact copies: tied cosines
    v = (np.round(v / np.linalg.norm(v, axis=1, keepdims=True) * 4) / 4).astype(np.float32)
    index = VectorIndex("use", 16)
    index.add([str(i) for i in range(n)], v)
    got_s, got_r = index._best(v[:50], k)
    want_s, want_r = _reference(v[:50], v, k, 64)
    assert got_s.dtype == want_s.dtype and got_r.dtype == want_r.dtype
    assert np.array_equal(got_s, want_s) and np.array_equal(got_r, want_r)
