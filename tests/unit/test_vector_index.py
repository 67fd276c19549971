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


def _tied_index(n: int, seed: int) -> tuple[VectorIndex, list[str]]:
    """``n`` coarse unit vectors (exact copies among them: tied cosines) with coarse times
    (ties: no earlier article) and some unknown (NaN) times."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, 16)).astype(np.float32)
    v[rng.integers(0, n, n // 3)] = v[rng.integers(0, n, n // 3)]
    v = (np.round(v / np.linalg.norm(v, axis=1, keepdims=True) * 4) / 4).astype(np.float32)
    times = rng.integers(0, 20, n).astype(np.float64)
    times[rng.integers(0, n, n // 10)] = np.nan
    ids = [f"x{i}" for i in range(n)]
    index = VectorIndex("use", 16)
    index.add(ids, v, list(times))
    return index, ids


@pytest.mark.parametrize(("n", "k", "query_block"), [(7, 10, 1000), (400, 4, 64), (1000, 10, 128)])
def test_a_survey_is_the_three_separate_searches(
    monkeypatch: pytest.MonkeyPatch, n: int, k: int, query_block: int
) -> None:
    """One pass gives the neighbours (ties falling the same way), the neighbourhood and the
    earlier articles' crowd exactly as the three searches did, to the last bit."""
    monkeypatch.setattr(vectors, "_BLOCK", 64)
    monkeypatch.setattr(vectors, "QUERY_BLOCK", query_block)
    index, ids = _tied_index(n, n)
    asked = [*ids[::-1], "not-indexed"]
    got = index.survey(asked, k, 0.25)
    assert got.hits == index.neighbours(asked, k, 0.25)
    assert got.queried == set(ids)
    assert got.crowd == index.neighbourhood(ids, k)
    assert got.before == index.crowding_before(ids, k)
    assert got.before and len(got.before) < len(index.dated(ids))  # some have none earlier


def test_a_one_row_query_block_is_not_surveyed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone query row's product takes BLAS's other path: its crowds are not offered."""
    monkeypatch.setattr(vectors, "QUERY_BLOCK", 4)
    index, ids = _tied_index(30, 1)
    got = index.survey(ids[:5], 3, 0.0)
    assert got.queried == set(ids[:4])
    assert got.hits == index.neighbours(ids[:5], 3, 0.0)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_top_values_are_the_sorted_k_largest(k: int) -> None:
    rng = np.random.default_rng(k)
    rows = (np.round(rng.standard_normal((40, 300)) * 3) / 3).astype(np.float32)  # ties
    rows[:5, :] = -2.0  # rows with nothing (a time mask)
    rows[5:10, 7:] = -2.0  # rows with fewer than k in some blocks
    best = np.full((40, 0), -2.0, np.float32)
    for start in range(0, 300, 32):
        best = vectors._top_values(best, rows[:, start : start + 32], k)
    want = -np.sort(-rows, axis=1)[:, :k]
    assert best.dtype == np.float32 and np.array_equal(best, want)


def test_split_known_keeps_each_article_s_product_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "QUERY_BLOCK", 3)
    wanted = ["a", "b", "c", "d", "e", "f", "g"]  # parts abc, def, g: "g" is searched alone
    assert vectors.split_known(wanted, set("abcdefg")) == (list("abcdef"), [["g"]])
    # "c" is the rest's only article: it gets a known one beside it, never a one-row product
    assert vectors.split_known(wanted, set("abdefg")) == (list("abdef"), [["c", "a"], ["g"]])
    assert vectors.split_known(wanted[:6], set()) == ([], [wanted[:6]])


@pytest.mark.parametrize("k", [1, 4, 10])
def test_top_earlier_is_the_masked_selection(k: int) -> None:
    """The values of the time-masked k best, ties and undated rows included, whether a row
    already holds k earlier articles (the merged path) or not (the masked selection)."""
    rng = np.random.default_rng(k)
    scores = (np.round(rng.uniform(-1, 1, (60, 400)) * 4) / 4).astype(np.float32)  # ties
    times = rng.integers(0, 30, 400).astype(np.float64)
    times[::17] = np.nan
    before = rng.integers(0, 30, 60).astype(np.float64)
    before[::11] = np.nan
    before[:3] = 0.0  # nothing earlier
    best = np.full((60, 0), -2.0, np.float32)
    for start in range(0, 400, 50):
        block = scores[:, start : start + 50].copy()
        best = vectors._top_earlier(best, block, times[start : start + 50], before, k)
    masked = np.where(times[None, :] < before[:, None], scores, np.float32(-2.0))
    want = -np.sort(-masked, axis=1)[:, :k]
    assert best.dtype == np.float32 and np.array_equal(best, want)
