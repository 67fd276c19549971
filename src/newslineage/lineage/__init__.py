"""Relation kind, direction and original, story clustering."""

from __future__ import annotations

from newslineage.lineage.classify import (
    LineageParams,
    RelationFeatures,
    classify_relation,
    derivation_kind,
    features,
)
from newslineage.lineage.direction import AGENCIES, DirectionWeights, domain, orient
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
