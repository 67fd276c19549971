"""``relate``: what the engine calls for one candidate pair (align both ways, classify, orient)."""

from __future__ import annotations

from dataclasses import replace

from newslineage.align import AlignParams
from newslineage.align.core import (
    BestRows,
    PairMeasures,
    align_measured,
    max_strong_matches,
    measure_pair,
)
from newslineage.lineage.classify import classify_relation, summary_kind
from newslineage.lineage.crosslang import anchor_match
from newslineage.lineage.direction import orient
from newslineage.lineage.features import excerpt_alone, features
from newslineage.lineage.params import LineageParams
from newslineage.lineage.stories import story_pair_score
from newslineage.model import Alignment, Article, Relation

_DEFAULTS = LineageParams()


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
    return relate_aligned(a, b, params, align_params)[0]


def relate_aligned(
    a: Article,
    b: Article,
    params: LineageParams | None = None,
    align_params: AlignParams = AlignParams(),
    summary: bool = False,
    best: BestRows | None = None,
) -> tuple[Relation | None, Alignment | None]:
    """``relate``, plus the sentence alignment source -> derived it decided on (None when the
    pair is unrelated): the drift step reads a derived pair through the same alignment.
    ``summary``: the summary gate already admitted the short side as a summary of the long
    one, with context this pair alone does not have (``choose.summary_candidates``).
    ``best``: receives the pair's ``BestRows`` (``align_both``), for the chain votes."""
    p = params or LineageParams()
    if a.id == b.id:
        return None, None
    measured = measure_pair(a, b, align_params, best)
    if not _languages_differ(a, b) and _unrelatable(a, b, measured, p, summary):
        return None, None
    align_ab, align_ba = align_measured(a, b, measured, align_params)
    # the direction vote reads both directions' features (default params); classification
    # reads the chosen one's, so each is computed once
    known = (features(align_ab, a, b), features(align_ba, b, a))
    src, der, direction, dir_conf = orient(a, b, align_ab, align_ba, known=known)
    alignment, f = (align_ab, known[0]) if src is a else (align_ba, known[1])
    rel = _translation(src, der, p) if _languages_differ(a, b) else None
    rel = rel or classify_relation(
        src, der, alignment, p, f if p == _DEFAULTS else None, summary=summary
    )
    if rel is None:
        return None, None
    evidence = {**rel.evidence, "direction": direction, "direction_confidence": dir_conf}
    evidence["dates"] = {
        x.id: (x.published.isoformat() if x.published else None) for x in (src, der)
    }
    confidence = rel.confidence
    if rel.kind != "same_story":
        # an unsure direction makes the directed edge less certain, never certain-er
        confidence = round(rel.confidence * (0.6 + 0.4 * dir_conf), 4)
    return replace(rel, evidence=evidence, confidence=confidence), alignment


def _unrelatable(a: Article, b: Article, m: PairMeasures, p: LineageParams, summary: bool) -> bool:
    """Would ``classify_relation`` find nothing in either direction, whatever the alignment?
    Then the pair needs no alignment. Exact, from the matrices and passages alone: no
    derivation without ``min_strong_pairs`` strong pairs (``max_strong_matches`` bounds them;
    similarities are rounded to 4 decimals before the comparison, hence the 1e-4) or one
    verbatim excerpt, no summary, and a story score (symmetric) under ``same_story_min``.
    On the synthetic 10k corpus a quarter of the aligned pairs, sharing a stock sentence or
    two, were decided here."""
    if max_strong_matches(m, p.strong_sim - 1e-4) >= p.min_strong_pairs:
        return False
    if excerpt_alone([q for _, q in m.passages], b, p):
        return False
    if excerpt_alone([s for s, _ in m.passages], a, p):
        return False
    if summary_kind(a, b, p, summary) or summary_kind(b, a, p, summary):
        return False
    return story_pair_score(a, b) < p.same_story_min


def _languages_differ(a: Article, b: Article) -> bool:
    return bool(a.language and b.language and a.language != b.language)


def _translation(src: Article, der: Article, p: LineageParams) -> Relation | None:
    """A ``translation`` relation when the names and numbers follow the source in order."""
    m = anchor_match(src, der)
    if m.common < p.translation_min_common or m.share < p.translation_share:
        return None
    return Relation(
        source=src.id,
        derived=der.id,
        kind="translation",
        coverage=round(min(m.share, 1.0), 4),
        verbatim_share=0.0,
        confidence=round(
            0.5 + 0.5 * min((m.share - p.translation_share) / (1 - p.translation_share), 1.0), 4
        ),
        evidence={
            "anchors": {
                "common": m.common,
                "source": m.source_anchors,
                "derived": m.derived_anchors,
                "share": round(m.share, 4),
            },
            "languages": [src.language, der.language],
        },
        source_coverage=round(m.common / max(m.source_anchors, 1), 4),
    )


def relate_story(a: Article, b: Article, params: LineageParams | None = None) -> Relation | None:
    """A ``same_story`` relation (earlier article first) from shared names, numbers and terms,
    without aligning the texts; None below ``same_story_min``.

    For pairs that no textual channel of the candidate index found: they share no sentence
    and no 3-gram signature, so they cannot be derivations, and alignment would cost ~100x.

    >>> x = Article("x", "Pete Hegseth met Mark Rutte at NATO in Brussels on 12 February.")
    >>> relate_story(x, Article("y", "Rain across the north on Sunday.")) is None
    True
    """
    p = params or LineageParams()
    if a.id == b.id:
        return None
    score = story_pair_score(a, b)
    if score < p.same_story_min:
        return None
    src, der = (a, b) if _earlier(a, b) else (b, a)
    return Relation(
        source=src.id,
        derived=der.id,
        kind="same_story",
        coverage=0.0,
        verbatim_share=0.0,
        confidence=round(min(score / (2 * p.same_story_min), 1.0), 4),
        evidence={"story_score": round(score, 4), "aligned": False},
    )


def _earlier(a: Article, b: Article) -> bool:
    ta, tb = a.published or a.first_seen, b.published or b.first_seen
    try:
        if ta is not None and tb is not None and ta != tb:
            return ta < tb
    except TypeError:  # naive vs aware
        pass
    return a.id <= b.id
