"""Exact shared passages by seed-and-extend over word shingles.

Seeds are word k-grams present in both texts; each seed that does not continue an earlier
match is extended word by word while the words agree (the BLAST idea, Altschul et al. 1990,
as used for text reuse by passim, Smith et al. 2014). The extension is computed for all seeds
at once: matching shingles on one diagonal form a run. Maximal runs are then picked greedily,
longest first, so that passages never overlap on either side.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from newslineage.text.sentences import Offsets
from newslineage.text.tokens import TOKEN_RE

_P = np.uint64(1_000_003)  # multiplier of the rolling hash (uint64 wrap-around is the modulus)


# The per-text caches here hold small arrays (word ids and offsets 8 bytes a word, sorted
# shingles 12): ~55 MB per worker when full, at the size of align.features' sentence cache
# (an article whose sentence features were evicted is recomputed anyway)
@lru_cache(maxsize=4096)
def word_ids(text: str) -> np.ndarray:
    """The words of ``text``, case-folded, as 64-bit ids.

    An id is Python's string hash of the lower-cased word: equal within one process, which is
    all a comparison of two texts needs. Lower-casing the whole text first is one C call; it
    is only used when it keeps every offset (``"İ".lower()`` is two characters).
    Cached: an article meets several candidates.
    """
    low = text.lower()
    words = (
        TOKEN_RE.findall(low)
        if len(low) == len(text)
        else [m.group().lower() for m in TOKEN_RE.finditer(text)]
    )
    return np.fromiter(map(hash, words), np.int64, len(words)).view(np.uint64)


@lru_cache(maxsize=4096)
def _word_offsets(text: str) -> np.ndarray:
    """Start and end offsets of the words of ``text``, one row per word (only wanted when
    passages exist). An int32 array: lists of Python ints took ~60 bytes a word."""
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    return np.array(spans, np.int32).reshape(-1, 2)


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    m = len(ids) - k + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            h = h * _P + ids[t : t + m].astype(np.uint64)
    return h


def shingle_containment(text_a: str, text_b: str, k: int = 3) -> float:
    """Share of the distinct word ``k``-grams of the shorter text found in the other, exactly.

    >>> shingle_containment("the cat sat on the mat", "so the cat sat on the mat today")
    1.0
    """
    ha = np.unique(_shingle_hashes(word_ids(text_a), k))
    hb = np.unique(_shingle_hashes(word_ids(text_b), k))
    if not len(ha) or not len(hb):
        return 0.0
    small, large = (ha, hb) if len(ha) <= len(hb) else (hb, ha)
    return float(np.isin(small, large, assume_unique=True).mean())


def _sorted_shingles(ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(stable argsort, sorted values) of the ``k``-shingle hashes of ``ids``: the source side
    of ``_runs``, kept for the text's next pairs (``_source_shingles``)."""
    h = _shingle_hashes(ids, k)
    order = np.argsort(h, kind="stable")
    return order.astype(np.int32), h[order]


@lru_cache(maxsize=4096)
def _source_shingles(text: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    return _sorted_shingles(word_ids(text), k)


def _runs(
    source: tuple[np.ndarray, np.ndarray], did: np.ndarray, k: int
) -> list[tuple[int, int, int]]:
    """Maximal common word runs ``(length, source_pos, derived_pos)`` of at least ``k`` words.

    Every matching k-word shingle pair lies on a diagonal ``derived_pos - source_pos``; a run
    is a stretch of consecutive matches on one diagonal, and a run of ``c`` shingle matches
    is ``c + k - 1`` words long. All of it is array work: a sort, a search and a split.
    """
    order, sorted_hs = source  # _sorted_shingles of the source's word ids
    hd = _shingle_hashes(did, k)
    if not len(sorted_hs) or not len(hd):
        return []
    lo = np.searchsorted(sorted_hs, hd, "left")
    hi = np.searchsorted(sorted_hs, hd, "right")
    count = hi - lo
    if not count.any():
        return []
    i = np.repeat(np.arange(len(hd)), count)  # derived shingle of each match
    first = np.repeat(lo, count) + (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    j = order[first]  # source shingle of each match
    diag = i - j
    by = np.lexsort((i, diag))
    i, j, diag = i[by], j[by], diag[by]
    start = np.ones(len(i), bool)
    start[1:] = (diag[1:] != diag[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(start)
    lengths = np.diff(np.append(starts, len(i))) + k - 1
    return list(zip(lengths.tolist(), j[starts].tolist(), i[starts].tolist(), strict=True))


def _free(taken: list[Offsets], lo: int, hi: int) -> bool:
    return all(hi <= a or lo >= b for a, b in taken)


def shared_passages(
    source_text: str, derived_text: str, *, shingle: int = 5, min_words: int = 8
) -> list[tuple[Offsets, Offsets]]:
    """Non-overlapping verbatim passages as ``((src_start, src_end), (der_start, der_end))``.

    Words are compared case-insensitively; offsets are character offsets into each text.

    >>> shared_passages("a b c d e f g h i", "x a b c d e f g h y", min_words=5)
    [((0, 15), (2, 17))]
    """
    k = min(shingle, min_words)
    runs = _runs(_source_shingles(source_text, k), word_ids(derived_text), k)
    if not runs:
        return []
    s_at, d_at = _word_offsets(source_text), _word_offsets(derived_text)
    runs.sort(key=lambda r: (-r[0], r[2], r[1]))
    taken_s: list[Offsets] = []
    taken_d: list[Offsets] = []
    out = []
    for n, j, i in runs:
        if n < min_words or not (_free(taken_s, j, j + n) and _free(taken_d, i, i + n)):
            continue
        taken_s.append((j, j + n))
        taken_d.append((i, i + n))
        out.append(
            (
                (int(s_at[j, 0]), int(s_at[j + n - 1, 1])),
                (int(d_at[i, 0]), int(d_at[i + n - 1, 1])),
            )
        )
    out.sort(key=lambda p: p[1])
    return out
