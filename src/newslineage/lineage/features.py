"""Relation features: the coverage, verbatim, order and length figures of one alignment.

Classification (``classify.py``) decides a kind from them and direction (``direction.py``)
compares the two directions' figures; both read them from here.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from newslineage.align import sentences_of
from newslineage.lineage.params import LineageParams
from newslineage.model import Alignment, Article


@dataclass(frozen=True, slots=True)
class RelationFeatures:
    """What classification looks at, all shares in [0, 1]."""

    coverage: float  # share of derived sentence chars aligned (pairs >= cover_sim)
    source_coverage: float  # share of source sentence chars aligned
    verbatim_share: float  # share of derived text inside exact shared passages
    source_verbatim_share: float  # share of source text inside exact shared passages
    order_preservation: float  # longest monotone chain of pairs / pairs
    length_ratio: float  # derived chars / source chars
    strong_pairs: int  # aligned pairs with similarity >= strong_sim
    pairs: int
    mean_similarity: float  # char-weighted over counted pairs
    derived_words: int
    source_language: str | None
    derived_language: str | None
    near_verbatim_pairs: int = 0  # aligned pairs with similarity >= near_verbatim_sim
    # both outlets known and different: the same text there is a republication (copy)
    other_outlet: bool = False

    def as_dict(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in _items(self)}


def _items(f: RelationFeatures) -> list[tuple[str, object]]:
    return [(k, getattr(f, k)) for k in RelationFeatures.__slots__]  # type: ignore[attr-defined]


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def _lis(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for v in values:
        k = bisect.bisect_left(tails, v)
        tails[k : k + 1] = [v]
    return len(tails)


def sentence_chars(article: Article) -> int:
    """The characters of ``article``'s sentences (its text's when it has none): what the
    coverage and verbatim shares divide by."""
    return sum(e - s for s, e in sentences_of(article)) or max(len(article.text), 1)


def excerpt_alone(
    passages: list[tuple[int, int]], derived: Article, params: LineageParams | None = None
) -> bool:
    """Would ``derived`` count as one verbatim excerpt (``classify._enough_material`` without
    strong pairs), given the spans of its text in exact shared passages? The test
    ``features`` + ``_enough_material`` make, from the passages alone."""
    p = params or LineageParams()
    share = min(_union_length(passages) / sentence_chars(derived), 1.0)
    return share >= p.excerpt_alone_verbatim and (
        len(derived.text.split()) >= p.excerpt_alone_min_words
    )


def features(
    alignment: Alignment, source: Article, derived: Article, params: LineageParams | None = None
) -> RelationFeatures:
    """Coverage, verbatim share, order and length figures of one alignment.

    >>> a = Article("a", "One two three four five six seven eight nine.")
    >>> f = features(Alignment("a", "a"), a, a)
    >>> (f.coverage, f.verbatim_share)
    (0.0, 0.0)
    """
    p = params or LineageParams()
    counted = [q for q in alignment.pairs if q.similarity >= p.cover_sim]
    d_total, s_total = sentence_chars(derived), sentence_chars(source)
    d_cov = _union_length([(q.derived.start, q.derived.end) for q in counted])
    s_cov = _union_length([(q.source.start, q.source.end) for q in counted])
    d_verb = _union_length([(d.start, d.end) for _, d in alignment.passages])
    s_verb = _union_length([(s.start, s.end) for s, _ in alignment.passages])
    by_derived = sorted(alignment.pairs, key=lambda q: q.derived.start)
    order = _lis([q.source.start for q in by_derived]) / len(by_derived) if by_derived else 1.0
    weight = sum(q.derived.length for q in counted)
    mean_sim = sum(q.similarity * q.derived.length for q in counted) / weight if weight else 0.0
    return RelationFeatures(
        coverage=min(d_cov / d_total, 1.0),
        source_coverage=min(s_cov / s_total, 1.0),
        verbatim_share=min(d_verb / d_total, 1.0),
        source_verbatim_share=min(s_verb / s_total, 1.0),
        order_preservation=order,
        length_ratio=len(derived.text) / max(len(source.text), 1),
        strong_pairs=sum(q.similarity >= p.strong_sim for q in alignment.pairs),
        pairs=len(alignment.pairs),
        mean_similarity=mean_sim,
        derived_words=len(derived.text.split()),
        source_language=source.language,
        derived_language=derived.language,
        near_verbatim_pairs=sum(q.similarity >= p.near_verbatim_sim for q in alignment.pairs),
        other_outlet=bool(source.outlet and derived.outlet and source.outlet != derived.outlet),
    )
