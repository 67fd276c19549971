"""``align_articles``: sentence pairs plus exact passages between a source and a derived article."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from newslineage.align.features import (
    SimilarityWeights,
    concat_features,
    sentence_features,
    unit_similarity,
)
from newslineage.align.passages import shared_passages
from newslineage.align.sentences import Match, monotonic_path, reordered_matches
from newslineage.model import AlignedPair, Alignment, Article, Span
from newslineage.text.sentences import Offsets, naive_sentences
from newslineage.text.tokens import TOKEN_RE


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Alignment thresholds. Values were read off the seeds and Clough & Stevenson (2011).

    On the seeds, true sentence pairs of the machine-translated round trip 000 -> 001 score
    0.40-0.95 (median ~0.6) while the best unrelated same-topic pair scores ~0.25-0.30.
    """

    char_n: int = 3  # character trigrams: the usual choice for noisy, multilingual matching
    stem_len: int = 5  # prefix "stemming": "defense"/"defensive" -> "defen"
    weights: SimilarityWeights = field(default_factory=SimilarityWeights)
    # a move must reach min_sim to exist; it scores sim - threshold (same-topic noise ~0.25)
    min_sim: float = 0.33
    threshold: float = 0.30
    # reordered material must be clearly related: above the same-topic noise on the seeds
    reorder_min_sim: float = 0.45
    # single sentences shorter than this only align inside a 2-1 / 1-2 merge ("UK.", "Ta.")
    min_chars: int = 20
    shingle: int = 5  # words per seed shingle for verbatim passages
    min_passage_words: int = 8  # shorter shared runs are stock phrases, not copying


def sentences_of(article: Article) -> tuple[Offsets, ...]:
    """The article's sentences, or the naive splitter's when extraction gave none."""
    return article.sentences or naive_sentences(article.text)


def story_similarity(article: Article, others: Sequence[Article]) -> np.ndarray:
    """Similarity of every sentence of ``article`` with every sentence of ``others`` (in
    order): ``similarity_matrix`` of those sentences, from each article's cached features.

    >>> a = Article("a", "NATO ministers met in Brussels on Thursday. It rained all day long.")
    >>> b = Article("b", "It rained all day long. The meeting ended early.")
    >>> m = story_similarity(a, [b])
    >>> m.shape, round(float(m[1, 0]), 3), bool(m[0].max() < 0.1)
    ((2, 2), 1.0, True)
    """
    fa = sentence_features(article.text, sentences_of(article))
    fb = concat_features([sentence_features(o.text, sentences_of(o)) for o in others])
    return unit_similarity(fa, fb, merges=False)


#: ``(a id, b id)`` -> for each sentence of ``a``, its best similarity with any sentence or
#: neighbour pair of ``b`` (``unit_similarity(a, b)`` at the default ``AlignParams``): what
#: ``lineage.chains`` votes with, read off the matrix ``align_both(a, b)`` computes anyway
BestRows = dict[tuple[str, str], np.ndarray]


def _matrices(
    source: Article,
    ss: tuple[Offsets, ...],
    derived: Article,
    ds: tuple[Offsets, ...],
    params: AlignParams,
    best: BestRows | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, m = len(ss), len(ds)
    fa = sentence_features(source.text, ss, params.char_n, params.stem_len)
    fb = sentence_features(derived.text, ds, params.char_n, params.stem_len)
    full = unit_similarity(fa, fb, params.weights, merges=True)
    if best is not None and params == AlignParams():
        # this direction only: the transpose of the matrix the other would compute differs
        # from it in the last float32 bits (BLAS sums the products in another order)
        best[(source.id, derived.id)] = full[:n].max(axis=1)
    s11 = full[:n, :m].copy()
    short_a = np.fromiter(((e - s) < params.min_chars for s, e in ss), bool, n)
    short_b = np.fromiter(((e - s) < params.min_chars for s, e in ds), bool, m)
    s11[short_a, :] = 0.0
    s11[:, short_b] = 0.0
    s21 = full[n:, :m] if n > 1 else np.zeros((0, m))
    s12 = full[:n, m:] if m > 1 else np.zeros((n, 0))
    return s11, s21, s12


def _same_words(a: str, b: str) -> bool:
    return a == b or _lowered_words(a) == _lowered_words(b)


@lru_cache(maxsize=8192)
def _lowered_words(sentence: str) -> tuple[str, ...]:
    """findall on the lowered string: the same tokens as word_tokens, without the offsets.
    Cached: a source sentence is compared again in the article's other pairs."""
    return tuple(TOKEN_RE.findall(sentence.lower()))


SameWords = Callable[[Span, Span], bool]


def _same_words_memo(a: Article, b: Article) -> tuple[SameWords, SameWords]:
    """``_same_words`` of a span of ``a`` and one of ``b``, as asked from either side: both
    alignment directions mostly pair the same sentences, so each pair is compared once."""
    seen: dict[tuple[int, int, int, int], bool] = {}

    def same(sa: Span, sb: Span) -> bool:
        key = (sa.start, sa.end, sb.start, sb.end)
        got = seen.get(key)
        if got is None:
            got = seen[key] = _same_words(sa.of(a.text), sb.of(b.text))
        return got

    return same, lambda sb, sa: same(sa, sb)


def _pair(match: Match, src: Article, der: Article, ss, ds, same: SameWords) -> AlignedPair:
    i, ci, j, cj, sim = match
    s = Span(src.id, ss[i][0], ss[i + ci - 1][1])
    d = Span(der.id, ds[j][0], ds[j + cj - 1][1])
    return AlignedPair(s, d, round(min(max(sim, 0.0), 1.0), 4), same(s, d))


def _monotone(matches: list[Match]) -> bool:
    ordered = sorted(matches, key=lambda t: t[2])
    return all(a[0] + a[1] <= b[0] for a, b in itertools.pairwise(ordered))


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """The matrices here are small (tens of sentences): BLAS threads only contend for them,
    measured 4x slower per pair with the default pool on a busy 2-core machine."""
    return _blas_controller().limit(limits=1, user_api="blas")


def align_articles(
    source: Article, derived: Article, params: AlignParams = AlignParams()
) -> Alignment:
    """Align ``derived`` against ``source`` sentence by sentence, plus exact passages.

    >>> a = Article("a", "NATO ministers met in Brussels on Thursday. It rained all day long.")
    >>> b = Article("b", "NATO ministers met in Brussels on Thursday. Then they left the city.")
    >>> al = align_articles(a, b)
    >>> [(p.source.start, p.derived.start, p.verbatim) for p in al.pairs]
    [(0, 0, True)]
    """
    return align_both(source, derived, params)[0]


def align_both(
    a: Article, b: Article, params: AlignParams = AlignParams(), best: BestRows | None = None
) -> tuple[Alignment, Alignment]:
    """``(align_articles(a, b), align_articles(b, a))`` at the cost of one.

    The similarity matrices of the reverse direction are the transposes (the weights are
    symmetric), and verbatim passages are the same runs read from the other side.
    ``best``: receives ``a``'s :data:`BestRows` against ``b`` (at the default params only).

    >>> x = Article("x", "NATO ministers met in Brussels on Thursday. It rained all day long.")
    >>> ab, ba = align_both(x, x)
    >>> len(ab.pairs) == len(ba.pairs) == 2
    True
    """
    return align_measured(a, b, measure_pair(a, b, params, best), params)


@dataclass(frozen=True, slots=True)
class PairMeasures:
    """What ``align_both`` computes before it aligns: both articles' sentences, the
    similarity matrices ``(s11, s21, s12)`` of ``a``'s units against ``b``'s (None when a side
    has no sentence) and the verbatim passages ``(a offsets, b offsets)`` in ``b``'s order.
    ``relate`` reads them first to skip the alignment of a pair that cannot be related."""

    sa: tuple[Offsets, ...]
    sb: tuple[Offsets, ...]
    mats: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    passages: list[tuple[Offsets, Offsets]]


def measure_pair(
    a: Article, b: Article, params: AlignParams = AlignParams(), best: BestRows | None = None
) -> PairMeasures:
    """The matrices and passages of ``align_both(a, b, params, best)``."""
    sa, sb = sentences_of(a), sentences_of(b)
    with one_blas_thread():
        mats = _matrices(a, sa, b, sb, params, best) if sa and sb else None
    passages = shared_passages(
        a.text, b.text, shingle=params.shingle, min_words=params.min_passage_words
    )
    return PairMeasures(sa, sb, mats, passages)


def align_measured(
    a: Article, b: Article, m: PairMeasures, params: AlignParams = AlignParams()
) -> tuple[Alignment, Alignment]:
    """``align_both(a, b, params)`` from its ``measure_pair``."""
    sa, sb, mats, passages = m.sa, m.sb, m.mats, m.passages
    same_ab, same_ba = _same_words_memo(a, b)
    ab = _from_matrices(a, sa, b, sb, mats, passages, params, same_ab)
    back = (mats[0].T, mats[2].T, mats[1].T) if mats is not None else None
    flipped = sorted(((q, p) for p, q in passages), key=lambda pq: pq[1])
    ba = _from_matrices(b, sb, a, sa, back, flipped, params, same_ba)
    return ab, ba


def max_strong_matches(m: PairMeasures, sim: float) -> int:
    """An upper bound on how many matches of similarity >= ``sim`` either alignment of the
    pair can hold, from the matrices alone. The matches of one alignment (monotone path and
    reordered ones) never share a sentence; each 1-1, 2-1 or 1-2 match has a first sentence on
    each side whose row (``a``) and column (``b``) hold its similarity, so there are at most
    as many such matches as rows, and as columns, that reach ``sim``. The reverse direction
    reads the transposed matrices: the same rows and columns.

    >>> x = Article("x", "NATO ministers met in Brussels on Thursday. It rained all day long.")
    >>> max_strong_matches(measure_pair(x, x), 0.55)
    2
    """
    if m.mats is None:
        return 0
    s11, s21, s12 = m.mats
    rows = (s11 >= sim).any(1)
    cols = (s11 >= sim).any(0)
    if s21.size:  # source units (i, i+1) x derived j: first source sentence i
        hit = s21 >= sim
        rows[: len(hit)] |= hit.any(1)
        cols |= hit.any(0)
    if s12.size:  # source i x derived units (j, j+1): first derived sentence j
        hit = s12 >= sim
        rows |= hit.any(1)
        cols[: hit.shape[1]] |= hit.any(0)
    return int(min(rows.sum(), cols.sum()))


def _from_matrices(
    source: Article,
    ss: tuple[Offsets, ...],
    derived: Article,
    ds: tuple[Offsets, ...],
    mats: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    passages: list[tuple[Offsets, Offsets]],
    params: AlignParams,
    same: SameWords,
) -> Alignment:
    matches: list[Match] = []
    ordered = True
    if mats is not None:
        s11, s21, s12 = mats
        matches = monotonic_path(s11, s21, s12, min_sim=params.min_sim, threshold=params.threshold)
        extra = reordered_matches(s11, matches, min_sim=params.reorder_min_sim)
        matches = sorted(matches + extra, key=lambda t: t[2])
        ordered = _monotone(matches)
    return Alignment(
        source_id=source.id,
        derived_id=derived.id,
        pairs=tuple(_pair(m, source, derived, ss, ds, same) for m in matches),
        passages=tuple((Span(source.id, *p), Span(derived.id, *q)) for p, q in passages),
        ordered=ordered,
    )
