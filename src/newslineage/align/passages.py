"""Exact shared passages by seed-and-extend over word shingles.

Seeds are word k-grams present in both texts; each seed that does not continue an earlier
match is extended word by word while the words agree (the BLAST idea, Altschul et al. 1990,
as used for text reuse by passim, Smith et al. 2014). Maximal runs are then picked greedily,
longest first, so that passages never overlap on either side.
"""

from __future__ import annotations

import numpy as np

from newslineage.align.features import word_tokens

_P = np.uint64(1_000_003)  # multiplier of the rolling hash (uint64 wrap-around is the modulus)


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    m = len(ids) - k + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            h = h * _P + ids[t : t + m].astype(np.uint64)
    return h


def _runs(sid: np.ndarray, did: np.ndarray, k: int) -> list[tuple[int, int, int]]:
    """Maximal common word runs ``(length, source_pos, derived_pos)`` of at least ``k`` words."""
    hs, hd = _shingle_hashes(sid, k), _shingle_hashes(did, k)
    where: dict[int, list[int]] = {}
    for j, h in enumerate(hs.tolist()):
        where.setdefault(h, []).append(j)
    runs = []
    sl, dl = sid.tolist(), did.tolist()
    for i, h in enumerate(hd.tolist()):
        for j in where.get(h, ()):
            if i > 0 and j > 0 and sl[j - 1] == dl[i - 1]:
                continue  # not a seed start: an earlier seed's extension covers it
            n = 0
            while j + n < len(sl) and i + n < len(dl) and sl[j + n] == dl[i + n]:
                n += 1
            if n >= k:
                runs.append((n, j, i))
    return runs


def _free(taken: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return all(hi <= a or lo >= b for a, b in taken)


def shared_passages(
    source_text: str, derived_text: str, *, shingle: int = 5, min_words: int = 8
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Non-overlapping verbatim passages as ``((src_start, src_end), (der_start, der_end))``.

    Words are compared case-insensitively; offsets are character offsets into each text.

    >>> shared_passages("a b c d e f g h i", "x a b c d e f g h y", min_words=5)
    [((0, 15), (2, 17))]
    """
    ts, td = word_tokens(source_text), word_tokens(derived_text)
    vocab: dict[str, int] = {}
    sid = np.fromiter(
        (vocab.setdefault(t.lower(), len(vocab)) for t, _, _ in ts), np.int64, len(ts)
    )
    did = np.fromiter(
        (vocab.setdefault(t.lower(), len(vocab)) for t, _, _ in td), np.int64, len(td)
    )
    runs = _runs(sid, did, min(shingle, min_words))
    runs.sort(key=lambda r: (-r[0], r[2], r[1]))
    taken_s: list[tuple[int, int]] = []
    taken_d: list[tuple[int, int]] = []
    out = []
    for n, j, i in runs:
        if n < min_words or not (_free(taken_s, j, j + n) and _free(taken_d, i, i + n)):
            continue
        taken_s.append((j, j + n))
        taken_d.append((i, i + n))
        out.append(((ts[j][1], ts[j + n - 1][2]), (td[i][1], td[i + n - 1][2])))
    out.sort(key=lambda p: p[1])
    return out
