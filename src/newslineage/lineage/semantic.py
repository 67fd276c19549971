"""The semantic decision for one candidate pair the lexical rules did not call derived.

The lexical rules (``classify``) need shared words; a ChatGPT rewrite, an Urdu newspaper's
paraphrase of an agency story or a report in another language shares few. For such a pair the
fitted cascade of ``semantic.decide`` runs: the lexical decision (``kind_lexical.json``) when it is
sure, else the full one (``kind.json``) with sentence vectors. A fitted "derived" becomes
``rewrite`` (``translation`` across languages), "partial" ``partial``; otherwise the fitted
same-story probability may make it a ``same_story`` edge. Direction comes from ``orient``
(dates, credits, links), as for every other derivation. The numbers behind each step are in
``docs/lineage.md`` (semantic layer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from newslineage.align import align_both
from newslineage.lineage.direction import orient
from newslineage.model import Article, Relation
from newslineage.semantic.align import align_semantic, floor_for, similarity_scale
from newslineage.semantic.decide import (
    kind_if_sure,
    kind_of,
    same_story_cut,
    same_story_probability,
)
from newslineage.semantic.encoders import pick_pair_model
from newslineage.semantic.features import FEATURES, lexical_features, reuse_of
from newslineage.semantic.params import SemanticParams
from newslineage.semantic.story import STORY_FEATURES, AnchorRarity, StoryInputs, story_features

__all__ = ["SemanticPair", "decide_semantic", "decide_story"]

#: (article, model) -> that article's sentence vectors (the engine encodes and caches them)
SentenceVectors = Callable[[Article, str], np.ndarray]

_KINDS = {"derived": "rewrite", "partial": "partial"}


@dataclass(frozen=True, slots=True)
class SemanticPair:
    """A candidate pair with the cosine of its article vectors (``model``'s) and, when the
    engine measured it, its margin over the articles' neighbourhoods and the corpus's anchor
    frequencies (``rarity``, for the same-story decision's ``rare_names``)."""

    a: Article
    b: Article
    cosine: float
    model: str
    margin: float | None = None
    rarity: AnchorRarity | None = None


def decide_semantic(
    pair: SemanticPair,
    lexical: Relation | None,
    sentences: SentenceVectors,
    params: SemanticParams = SemanticParams(),
    story: Relation | None = None,
) -> Relation | None:
    """The relation the semantic decision gives a pair ``lexical`` (None or ``same_story``)
    did not call derived: a derivation, else what :func:`decide_story` says (``story``: that
    outcome when the caller has it already, so it is not worked out twice).

    The pair is read earlier-first for the features; a derivation is then oriented by
    ``orient`` and re-decided in that direction when it differs.
    """
    src, der = _earlier_first(pair.a, pair.b)
    kind, prob, feats = _kind(src, der, pair, sentences)
    if kind in _KINDS:
        src2, der2, direction, dir_conf = orient(src, der, *align_both(src, der))
        if src2 is not src:
            kind, prob, feats = _kind(src2, der2, pair, sentences)
        if kind in _KINDS:
            return _derivation(src2, der2, kind, prob, feats, pair, direction, dir_conf)
    return story if story is not None else decide_story(pair)


def decide_story(pair: SemanticPair) -> Relation | None:
    """A ``same_story`` edge (earlier article first) when the fitted same-story decision
    (``same_story.json``: lead cosine, shared words, names and numbers, days apart, the
    names' agreement weighted by their rarity in the corpus)
    reaches its fitted cut, else None. It replaces the lexical story score's edge for the pairs
    it decides: SemEval's different-story pairs that share a country's names scored 0.5-1.0.
    """
    src, der = _earlier_first(pair.a, pair.b)
    inputs = StoryInputs(pair.cosine, pair.model, _differ(src, der), _days(src, der), pair.rarity)
    feats = story_features(src.text, der.text, inputs)
    p = same_story_probability(feats)
    return _story(src, der, p, feats, pair) if p >= same_story_cut() else None


def _kind(
    src: Article, der: Article, pair: SemanticPair, sentences: SentenceVectors
) -> tuple[str, float, list[float]]:
    """The cascade: the lexical decision when sure, else all features (sentence vectors)."""
    lexical = lexical_features(src.text, der.text)
    sure = kind_if_sure(lexical)
    if sure is not None:
        return sure[0], sure[1], lexical
    feats = _features(src, der, pair, sentences, lexical)
    kind, prob = kind_of(feats)
    return kind, prob, feats


def _features(
    src: Article,
    der: Article,
    pair: SemanticPair,
    sentences: SentenceVectors,
    lexical: list[float] | None = None,
) -> list[float]:
    """All :data:`FEATURES`; sentence vectors from the one model that knows both languages."""
    lexical = lexical or lexical_features(src.text, der.text)
    model = pick_pair_model(src.language, der.language)
    cross = _differ(src, der)
    match = align_semantic(
        sentences(src, model), sentences(der, model), floor_for(model, cross), model
    )
    article = float(similarity_scale(pair.cosine, pair.model))
    semantic = [article, match.derived_share, match.source_share, match.mean_best]
    return [*lexical, *semantic, 1.0 if cross else 0.0, *reuse_of(src.text, der.text)]


def _differ(a: Article, b: Article) -> bool:
    base = [x.language.lower().split("-")[0] if x.language else None for x in (a, b)]
    return None not in base and base[0] != base[1]


def _days(a: Article, b: Article) -> float | None:
    """Days between the two publication dates (not first-seen: ingestion order is no date)."""
    if a.published is None or b.published is None:
        return None
    try:
        return abs((a.published - b.published).total_seconds()) / 86400.0
    except TypeError:  # naive vs aware
        return None


def _earlier_first(a: Article, b: Article) -> tuple[Article, Article]:
    ta, tb = a.published or a.first_seen, b.published or b.first_seen
    try:
        if ta is not None and tb is not None and ta != tb:
            return (a, b) if ta < tb else (b, a)
    except TypeError:  # naive vs aware
        pass
    return (a, b) if a.id <= b.id else (b, a)


def _evidence(
    feats: list[float], pair: SemanticPair, decided_by: str, names: tuple[str, ...] = FEATURES
) -> dict[str, Any]:
    names = names[: len(feats)]
    return {
        "method": "semantic",
        "decided_by": decided_by,
        "article_model": pair.model,
        "article_cosine": round(pair.cosine, 4),
        "neighbourhood_margin": None if pair.margin is None else round(pair.margin, 4),
        "semantic_features": {n: round(v, 4) for n, v in zip(names, feats, strict=True)},
    }


def _derivation(
    src: Article,
    der: Article,
    kind: str,
    prob: float,
    feats: list[float],
    pair: SemanticPair,
    direction: dict[str, Any],
    dir_conf: float,
) -> Relation:
    name = "translation" if kind == "derived" and _differ(src, der) else _KINDS[kind]
    decided_by = "kind_lexical.json" if len(feats) < len(FEATURES) else "kind.json"
    evidence = _evidence(feats, pair, decided_by)
    evidence.update(direction=direction, direction_confidence=dir_conf)
    coverage = feats[FEATURES.index("sem_der_share")] if len(feats) == len(FEATURES) else feats[0]
    source_cov = feats[FEATURES.index("sem_src_share")] if len(feats) == len(FEATURES) else feats[3]
    return Relation(
        source=src.id,
        derived=der.id,
        kind=name,
        coverage=round(coverage, 4),
        verbatim_share=0.0,
        confidence=round(prob, 4),  # the fitted model's probability; direction is in evidence
        evidence=evidence,
        source_coverage=round(source_cov, 4),
    )


def _story(
    src: Article, der: Article, prob: float, feats: list[float], pair: SemanticPair
) -> Relation:
    evidence = {**_evidence(feats, pair, "same_story.json", STORY_FEATURES), "aligned": False}
    return Relation(
        source=src.id,
        derived=der.id,
        kind="same_story",
        coverage=0.0,
        verbatim_share=0.0,
        confidence=round(prob, 4),
        evidence=evidence,
    )
