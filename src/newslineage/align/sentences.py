"""Monotonic sentence alignment (dynamic programming) and the reordered fallback.

The DP is Gale & Church (1993)'s length-based aligner with the length model replaced by
a lexical similarity, as in Bleualign (Sennrich & Volk 2010): moves 1-1, 1-2 and 2-1 (a
translation splits or merges sentences) and skips, each match scoring ``sim - threshold``
so that only matches better than chance add to the path.
"""

from __future__ import annotations

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
    # (about one per sentence): keep them as (i, j) -> gain of the cell the move ends at,
    # visit only those cells, and fill the rest of each row by carrying values forward
    # (skips cost nothing, so rows never decrease).
    g11 = _gains(s11, min_sim, threshold, 1, 1)
    g21 = _gains(s21, min_sim, threshold, 2, 1)
    g12 = _gains(s12, min_sim, threshold, 1, 2)
    entry: list[list[int]] = [[] for _ in range(n + 1)]  # row -> cells a move ends at
    for i, j in {*g11, *g21, *g12}:
        entry[i].append(j)
    score = [[0.0] * (m + 1)]
    for i in range(1, n + 1):
        row = score[i - 1][:]
        for j in sorted(entry[i]):
            best = max(row[j], row[j - 1])
            v = _best_move(score, g11, g21, g12, i, j, best)[0]
            if v > row[j]:
                k = j
                while k <= m and row[k] < v:
                    row[k] = v
                    k += 1
        score.append(row)
    return _trace(score, g11, g21, g12, s11, s21, s12)


Gains = dict[tuple[int, int], float]


def _gains(sim: np.ndarray, min_sim: float, threshold: float, di: int, dj: int) -> Gains:
    """``{(end row, end column): sim - threshold}`` of the possible moves of one type; a move
    from cell (i, j) of ``sim`` ends at DP cell (i + di, j + dj)."""
    rows, cols = np.nonzero((sim >= min_sim) & (sim - threshold > 0))
    vals = (sim[rows, cols] - threshold).tolist()
    return {(i + di, j + dj): g for i, j, g in zip(rows.tolist(), cols.tolist(), vals, strict=True)}


def _best_move(
    score: list[list[float]],
    g11: Gains,
    g21: Gains,
    g12: Gains,
    i: int,
    j: int,
    left: float,
) -> tuple[float, int]:
    """Score of cell (i, j) and its move (0 skip-src, 1 skip-der, 2 1-1, 3 2-1, 4 1-2),
    ``left`` being the cell to its left; ties go to the earlier move in that order."""
    prev = score[i - 1]
    best, move = prev[j], 0
    if left > best:
        best, move = left, 1
    g = g11.get((i, j))
    if g is not None and prev[j - 1] + g > best:
        best, move = prev[j - 1] + g, 2
    g = g21.get((i, j))
    if g is not None and score[i - 2][j - 1] + g > best:
        best, move = score[i - 2][j - 1] + g, 3
    g = g12.get((i, j))
    if g is not None and prev[j - 2] + g > best:
        best, move = prev[j - 2] + g, 4
    return best, move


def _trace(
    score: list[list[float]],
    g11: Gains,
    g21: Gains,
    g12: Gains,
    s11: np.ndarray,
    s21: np.ndarray,
    s12: np.ndarray,
) -> list[Match]:
    """Walk back from the last cell, re-deciding each visited cell's move from the scores."""
    i, j = len(score) - 1, len(score[0]) - 1
    out: list[Match] = []
    while i > 0 and j > 0:
        move = _best_move(score, g11, g21, g12, i, j, score[i][j - 1])[1]
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
