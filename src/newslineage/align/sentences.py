"""Monotonic sentence alignment (dynamic programming) and the reordered fallback.

The DP is Gale & Church (1993)'s length-based aligner with the length model replaced by
a lexical similarity, as in Bleualign (Sennrich & Volk 2010): moves 1-1, 1-2 and 2-1 (a
translation splits or merges sentences) and skips, each match scoring ``sim - threshold``
so that only matches better than chance add to the path.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

Match = tuple[int, int, int, int, float]  # (src_first, src_count, der_first, der_count, sim)


def monotonic_path(
    s11: np.ndarray, s21: np.ndarray, s12: np.ndarray, *, min_sim: float, threshold: float
) -> list[Match]:
    """Best monotone chain of 1-1 / 2-1 / 1-2 matches; skips cost nothing.

    ``s21[i, j]`` is the similarity of source sentences ``i, i+1`` with derived ``j``;
    ``s12[i, j]`` of source ``i`` with derived ``j, j+1``.
    """
    n, m = s11.shape
    # Only moves with a positive gain can raise a cell above its neighbours, and they are few
    # (about one per sentence): visit only the cells such a move ends at, row by row, and fill
    # the rest of each row by carrying values forward (skips cost nothing, so rows never
    # decrease). A row with no such cell is its previous row (rows are never changed after).
    ends = _EndCells(s11, s21, s12, min_sim, threshold)
    score = [[0.0] * (m + 1)]
    for i in range(1, n + 1):
        lo, hi = ends.bounds[i], ends.bounds[i + 1]
        if lo == hi:
            score.append(score[i - 1])
            continue
        prev, two = score[i - 1], score[i - 2]
        row = prev[:]
        for j, (g11, g21, g12) in zip(ends.cols[lo:hi], ends.gains[lo:hi], strict=True):
            # the score _best_move gives, inlined: this loop runs ~100 times per alignment
            v = row[j] if row[j] >= row[j - 1] else row[j - 1]  # >= prev[j]: rows only rise
            if g11 > 0.0 and prev[j - 1] + g11 > v:
                v = prev[j - 1] + g11
            if g21 > 0.0 and two[j - 1] + g21 > v:
                v = two[j - 1] + g21
            if g12 > 0.0 and prev[j - 2] + g12 > v:
                v = prev[j - 2] + g12
            if v > row[j]:
                k = j
                while k <= m and row[k] < v:
                    row[k] = v
                    k += 1
        score.append(row)
    return _trace(score, ends, s11, s21, s12)


Gains = Sequence[float]  # of the 1-1, 2-1 and 1-2 moves ending at a cell; 0: none
_NONE: Gains = (0.0, 0.0, 0.0)


class _EndCells:
    """The DP cells a move with a positive gain ends at, in row-major order, with the gains
    of the moves ending there (``sim - threshold``; 0 where a move type has none).

    A move from cell (i, j) of ``s11`` ends at DP cell (i + 1, j + 1), of ``s21`` at
    (i + 2, j + 1), of ``s12`` at (i + 1, j + 2). One dense grid per move type and one
    ``nonzero`` replace a dictionary per type and a sort per row.
    """

    __slots__ = ("bounds", "cols", "gains")

    def __init__(
        self, s11: np.ndarray, s21: np.ndarray, s12: np.ndarray, min_sim: float, threshold: float
    ) -> None:
        n, m = s11.shape
        grid = np.zeros((3, n + 1, m + 1))
        # sim - threshold > 0 exactly when sim > threshold (IEEE subtraction of two different
        # floats is never 0), so one comparison picks the moves with a positive gain
        low = min_sim if min_sim > threshold else np.nextafter(threshold, np.inf)
        for k, sim, (di, dj) in ((0, s11, (1, 1)), (1, s21, (2, 1)), (2, s12, (1, 2))):
            np.subtract(sim, threshold, out=grid[k, di:, dj:], where=sim >= low)
        rows, cols = np.nonzero(grid.any(0))
        self.cols: list[int] = cols.tolist()
        self.gains: list[list[float]] = grid[:, rows, cols].T.tolist()
        # cells of row i are cols[bounds[i]:bounds[i + 1]]
        self.bounds: list[int] = np.searchsorted(rows, np.arange(n + 2)).tolist()

    def at(self, i: int, j: int) -> Gains:
        """Gains of the moves ending at cell (i, j)."""
        lo, hi = self.bounds[i], self.bounds[i + 1]
        t = bisect_left(self.cols, j, lo, hi)
        return self.gains[t] if t < hi and self.cols[t] == j else _NONE


def _best_move(
    score: list[list[float]], gains: Gains, i: int, j: int, left: float
) -> tuple[float, int]:
    """Score of cell (i, j) and its move (0 skip-src, 1 skip-der, 2 1-1, 3 2-1, 4 1-2),
    ``left`` being the cell to its left; ties go to the earlier move in that order."""
    prev = score[i - 1]
    best, move = prev[j], 0
    if left > best:
        best, move = left, 1
    g11, g21, g12 = gains
    if g11 > 0.0 and prev[j - 1] + g11 > best:
        best, move = prev[j - 1] + g11, 2
    if g21 > 0.0 and score[i - 2][j - 1] + g21 > best:
        best, move = score[i - 2][j - 1] + g21, 3
    if g12 > 0.0 and prev[j - 2] + g12 > best:
        best, move = prev[j - 2] + g12, 4
    return best, move


def _trace(
    score: list[list[float]],
    ends: _EndCells,
    s11: np.ndarray,
    s21: np.ndarray,
    s12: np.ndarray,
) -> list[Match]:
    """Walk back from the last cell, re-deciding each visited cell's move from the scores."""
    i, j = len(score) - 1, len(score[0]) - 1
    out: list[Match] = []
    while i > 0 and j > 0:
        move = _best_move(score, ends.at(i, j), i, j, score[i][j - 1])[1]
        if move == 0:
            i -= 1
        elif move == 1:
            j -= 1
        elif move == 2:
            out.append((i - 1, 1, j - 1, 1, float(s11[i - 1, j - 1])))
            i, j = i - 1, j - 1
        elif move == 3:
            out.append((i - 2, 2, j - 1, 1, float(s21[i - 2, j - 1])))
            i, j = i - 2, j - 1
        else:
            out.append((i - 1, 1, j - 2, 2, float(s12[i - 1, j - 2])))
            i, j = i - 1, j - 2
    out.reverse()
    return out


def reordered_matches(s11: np.ndarray, path: list[Match], *, min_sim: float) -> list[Match]:
    """Greedy best-first 1-1 matches among sentences the monotone path left unmatched.

    Catches moved paragraphs and compilations that stitch several sources out of order.
    """
    used_s = {i + k for i, ci, _, _, _ in path for k in range(ci)}
    used_d = {j + k for _, _, j, cj, _ in path for k in range(cj)}
    free = s11.copy()
    if used_s:
        free[sorted(used_s), :] = -1.0
    if used_d:
        free[:, sorted(used_d)] = -1.0
    out: list[Match] = []
    idx = np.argwhere(free >= min_sim)
    order = np.argsort(-free[idx[:, 0], idx[:, 1]], kind="stable") if len(idx) else []
    for k in order:
        i, j = int(idx[k, 0]), int(idx[k, 1])
        if i in used_s or j in used_d:
            continue
        used_s.add(i)
        used_d.add(j)
        out.append((i, 1, j, 1, float(s11[i, j])))
    return out
