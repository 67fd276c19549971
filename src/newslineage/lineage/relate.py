"""``relate``: what the engine calls for one candidate pair (align both ways, classify, orient)."""

from __future__ import annotations

from dataclasses import replace

from newslineage.align import AlignParams, align_articles
from newslineage.lineage.classify import LineageParams, classify_relation
from newslineage.lineage.direction import orient
from newslineage.model import Article, Relation


def relate(
    a: Article,
    b: Article,
    params: LineageParams | None = None,
    align_params: AlignParams = AlignParams(),
) -> Relation | None:
    """The relation between two articles, directed source -> derived, or None if unrelated.

    Derivations carry the alignment figures, the direction evidence and a confidence that
    multiplies how clearly the kind was decided with how clearly the direction was.

    >>> x = Article("x", "NATO ministers met in Brussels on Thursday to discuss Ukraine.")
    >>> y = Article("y", "Weather: rain is expected across the north on Sunday evening.")
    >>> relate(x, y) is None
    True
    """
    p = params or LineageParams()
    if a.id == b.id:
        return None
    align_ab = align_articles(a, b, align_params)
    align_ba = align_articles(b, a, align_params)
    src, der, direction, dir_conf = orient(a, b, align_ab, align_ba)
    rel = classify_relation(src, der, align_ab if src is a else align_ba, p)
    if rel is None:
        return None
    evidence = {**rel.evidence, "direction": direction, "direction_confidence": dir_conf}
    evidence["dates"] = {
        x.id: (x.published.isoformat() if x.published else None) for x in (src, der)
    }
    confidence = rel.confidence
    if rel.kind != "same_story":
        # an unsure direction makes the directed edge less certain, never certain-er
        confidence = round(rel.confidence * (0.6 + 0.4 * dir_conf), 4)
    return replace(rel, evidence=evidence, confidence=confidence)
