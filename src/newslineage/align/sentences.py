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
    # gains below min_sim are impossible moves; the DP never takes a negative gain anyway
    g11 = np.where(s11 >= min_sim, s11 - threshold, -1.0).tolist()
    g21 = np.where(s21 >= min_sim, s21 - threshold, -1.0).tolist()
    g12 = np.where(s12 >= min_sim, s12 - threshold, -1.0).tolist()
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]  # 0 skip-src, 1 skip-der, 2 1-1, 3 2-1, 4 1-2
    for i in range(1, n + 1):
        row, prev = score[i], score[i - 1]
        brow = back[i]
        g11r = g11[i - 1]
        for j in range(1, m + 1):
            best, move = prev[j], 0
            if row[j - 1] > best:
                best, move = row[j - 1], 1
            g = g11r[j - 1]
            if g > 0 and prev[j - 1] + g > best:
                best, move = prev[j - 1] + g, 2
            if i >= 2:
                g = g21[i - 2][j - 1]
                if g > 0 and score[i - 2][j - 1] + g > best:
                    best, move = score[i - 2][j - 1] + g, 3
            if j >= 2:
                g = g12[i - 1][j - 2]
                if g > 0 and prev[j - 2] + g > best:
                    best, move = prev[j - 2] + g, 4
            row[j], brow[j] = best, move
    return _trace(back, s11, s21, s12)


def _trace(back: list[list[int]], s11: np.ndarray, s21: np.ndarray, s12: np.ndarray) -> list[Match]:
    i, j = len(back) - 1, len(back[0]) - 1
    out: list[Match] = []
    while i > 0 and j > 0:
        move = back[i][j]
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
