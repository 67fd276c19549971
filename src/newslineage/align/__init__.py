"""Sentence alignment (monotonic DP + reordered fallback) and verbatim passages."""

from __future__ import annotations

from newslineage.align.core import (
    AlignParams,
    align_articles,
    align_both,
    sentences_of,
    story_similarity,
)
from newslineage.align.features import SimilarityWeights, similarity_matrix
from newslineage.align.passages import shared_passages

__all__ = [
    "AlignParams",
    "SimilarityWeights",
    "align_articles",
    "align_both",
    "sentences_of",
    "shared_passages",
    "similarity_matrix",
    "story_similarity",
]
