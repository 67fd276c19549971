"""Relation kind, direction and original, story clustering."""

from __future__ import annotations

from newslineage.lineage.agencies import AGENCIES, domain
from newslineage.lineage.classify import classify_relation, derivation_kind
from newslineage.lineage.direction import orient
from newslineage.lineage.features import RelationFeatures, features
from newslineage.lineage.params import DirectionWeights, LineageParams
from newslineage.lineage.relate import relate, relate_story
from newslineage.lineage.stories import cluster_stories, story_pair_score

__all__ = [
    "AGENCIES",
    "DirectionWeights",
    "LineageParams",
    "RelationFeatures",
    "classify_relation",
    "cluster_stories",
    "derivation_kind",
    "domain",
    "features",
    "orient",
    "relate",
    "relate_story",
    "story_pair_score",
]
