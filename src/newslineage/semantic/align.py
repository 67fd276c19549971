"""Semantic sentence alignment: which derived sentences have a counterpart in the source.

The lexical aligner needs shared words; a paraphrase, an AI rewrite or a translation shares
few. Here each derived sentence is matched to at most one source sentence by greedy maximum
cosine (the best pair first, then the best pair among the sentences still free), and a match
counts only above a per-model floor. Greedy one-to-one matching is what keeps a generic source
sentence from "explaining" ten derived ones; it is within a factor 2 of the optimal assignment and
costs ``O(n m log nm)`` instead of the Hungarian method's ``O(n^3)``.

>>> src = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> der = np.array([[0.96, 0.28], [0.6, 0.8], [-1.0, 0.0]])
>>> m = align_semantic(src, der, floor=0.7)
>>> m.pairs, round(m.derived_share, 3), round(m.mean_best, 3)
([(0, 0), (1, 1)], 0.667, 0.728)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CROSS_LINGUAL_FLOORS",
    "FLOORS",
    "SemanticMatch",
    "align_semantic",
    "floor_for",
    "similarity_scale",
]

#: the cosine above which two sentences say the same thing, per model, calibrated on the dev sets
#: (docs/lineage.md, semantic layer): just above the 99th percentile of the best cosine between a
#: sentence and an unrelated article's sentences (USE: 0.35-0.44 on semeval, llmfake, clough; e5 on
#: Urdu: 0.91), and the floor that separated derived from independent text best (USE 0.50: AUC 0.93
#: on llmfake against 0.87 at 0.60). e5-small crowds every cosine into 0.7-0.98, hence its high floor.
FLOORS = {"use": 0.50, "e5": 0.91}
#: e5 puts a sentence and its counterpart in another language lower (unrelated de-en: p99 0.845),
#: so across languages its floor is that percentile: the matched share then separates same-story
#: from different de-en pairs with AUC 0.86 (0.50 at the monolingual 0.91). USE is trained to be
#: language-agnostic and keeps its floor.
CROSS_LINGUAL_FLOORS = {"use": 0.50, "e5": 0.84}
#: per model, the median best cosine of a sentence against an unrelated article and of a
#: paraphrased one (USE: 0.15 / 0.75 on llmfake; e5: 0.83 / 0.95 on COUNTER's Urdu):
#: (cos - low) / (high - low) puts both models on one scale for the fitted decision
SCALES = {"use": (0.15, 0.75), "e5": (0.83, 0.95)}


@dataclass(frozen=True, slots=True)
class SemanticMatch:
    """The one-to-one matches (derived index, source index) and two summary shares.

    ``derived_share``: share of derived sentences with a match above the floor (the semantic
    coverage); ``source_share``: the same for the source; ``mean_best``: the mean over derived
    sentences of their best cosine to any source sentence, on the common scale of
    :func:`similarity_scale` (about 0 for unrelated text, 1 for paraphrase).
    """

    pairs: list[tuple[int, int]]
    derived_share: float
    source_share: float
    mean_best: float


def floor_for(model: str, cross_lingual: bool = False) -> float:
    """The calibrated match floor of ``model`` for a monolingual or a cross-lingual pair.

    >>> floor_for("e5"), floor_for("e5", cross_lingual=True)
    (0.91, 0.84)
    """
    return (CROSS_LINGUAL_FLOORS if cross_lingual else FLOORS)[model]


def similarity_scale(cosine: np.ndarray | float, model: str) -> np.ndarray | float:
    """A model's cosine mapped to 0 (unrelated) .. 1 (paraphrase), so features share a scale."""
    low, high = SCALES[model]
    return (cosine - low) / (high - low)


def align_semantic(
    source: np.ndarray, derived: np.ndarray, floor: float, model: str = "use"
) -> SemanticMatch:
    """Greedy one-to-one max-cosine matching of unit sentence vectors above ``floor``."""
    if len(source) == 0 or len(derived) == 0:
        return SemanticMatch([], 0.0, 0.0, 0.0)
    sims = np.asarray(derived, dtype=np.float32) @ np.asarray(source, dtype=np.float32).T
    pairs = _greedy_pairs(sims, floor)
    best = (
        float(np.mean(similarity_scale(sims.max(axis=1), model)))
        if model in SCALES
        else float(sims.max(axis=1).mean())
    )
    return SemanticMatch(pairs, len(pairs) / sims.shape[0], len(pairs) / sims.shape[1], best)


def _greedy_pairs(sims: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """Best pair first, each row and column used once, only pairs at or above ``floor``."""
    rows, cols = np.nonzero(sims >= floor)
    order = np.argsort(-sims[rows, cols], kind="stable")
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    pairs = []
    for k in order:
        r, c = int(rows[k]), int(cols[k])
        if r not in used_rows and c not in used_cols:
            used_rows.add(r)
            used_cols.add(c)
            pairs.append((r, c))
    return sorted(pairs)
