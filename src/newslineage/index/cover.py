"""The cover channel's lookup: a short text's longer, not later targets by the IDF-weighted
share of its terms they hold (``CandidateIndex`` runs it as one of its channels; the Spark
engine computes the same with joins, ``engines/spark/candidates.py``).

>>> term_cap(IndexParams(), 50), term_cap(IndexParams(), 10_000)
(0, 200)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from newslineage.index.arrays import top_k
from newslineage.index.features import Features
from newslineage.index.params import IndexParams


def term_cap(p: IndexParams, n: int) -> int:
    """Largest term bucket a story or cover lookup reads (0: a corpus too small to cap); the
    Spark engine's joins drop the same buckets."""
    return min(max(int(p.story_max_df * n), 100), p.story_max_bucket) if n >= 100 else 0


#: the shared terms :meth:`CandidateIndex.shared_rarity` averages: two, so one rare word
#: shared by chance (a place name) does not make an article on another event look like the source
RARE_TERMS = 2


def cover_hits(f: Features, t: Any, p: IndexParams, n: int, df_extra: Any) -> tuple:
    """The ``cover_top_k`` best longer, not later targets of each short query, scored by the
    IDF-weighted share of the query's terms found among the target's stored terms (``t``: the
    ``CandidateIndex`` searched; ``df_extra``: more document frequencies by key, or None)."""
    sizes = np.array([len(k) for k in f.terms], dtype=np.int64)
    empty = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
    short = np.flatnonzero((sizes > 0) & (sizes <= p.cover_max_terms))
    if len(short) == 0:
        return empty
    keys = np.concatenate([f.terms[i] for i in short])
    qdoc = np.repeat(short, sizes[short])
    idf = t._idf(keys, n, df_extra(keys) if df_extra is not None else None)
    total = np.bincount(qdoc, weights=idf, minlength=len(f.ids))
    cap = term_cap(p, n)
    ki, rows = t._terms.lookup(keys, cap)
    if len(ki) == 0:
        return empty
    width = max(len(t), 1)
    code, inv = np.unique(qdoc[ki] * width + rows, return_inverse=True)
    got = np.bincount(inv, weights=idf[ki])
    q, r = code // width, code % width
    score = got / np.maximum(total[q], 1e-12)
    keep = t._n_shingles[r] * p.cover_length_ratio >= f.n_shingles[q]
    keep &= ~(t._published[r] > f.published[q])  # not later (NaN, an unknown date, passes)
    keep &= score >= p.cover_min_score
    q, r, score = q[keep], r[keep], score[keep]
    top = top_k(q, score, p.cover_top_k)
    return q[top], r[top], np.minimum(score[top], 1.0)
