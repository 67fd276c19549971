"""Features of each derived sentence against its source, for the fitted support decision.

The rule-based checks of :mod:`drift.support` ask one question per signal ("is there a name the
source never writes?"); real summaries need the signals weighed together: a summary with one
novel word and a fused sentence is fine, one with two novel words *and* two source words put
side by side that the source keeps apart is not. So each derived sentence becomes a short
vector of general signals (no corpus-specific cue), and :mod:`drift.support_model` weighs them
with a logistic regression fitted on labelled pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article
from .support import (
    SentenceSupport,
    SupportParams,
    _facts,
    _index_source,
    _names,
    _negator,
    _sentence_support,
    _SourceIndex,
    _stem,
    _Text,
)

__all__ = ["SENTENCE_FEATURES", "SentenceFeatures", "Similar", "sentence_features"]

#: the per-sentence signals, in vector order
SENTENCE_FEATURES = (
    "coverage_gap",  # 1 - IDF-weighted coverage by the best 1-3 source sentences
    "single_gap",  # 1 - coverage by the best single source sentence
    "novel",  # content words absent from the whole source
    "novel_share",  # the same, as a share of the sentence's content words
    "names",  # names the source never writes
    "numbers",  # figures the source never states
    "dates",  # dates the source never states
    "pairs_apart",  # adjacent content words the source has, but never in one sentence
    "bigram_novel",  # adjacent content words (both in the source) never adjacent there
    "names_apart",  # two names the source writes, but never in one sentence
    "negation",  # a negator its support lacks
    "length",  # content words, log
    "semantic_gap",  # 1 - best cosine to a source sentence (0 without an encoder)
    "abstractive",  # share of its words outside runs of >= 3 words copied from the source
    "density",  # log(1 + mean squared length of the copied runs per word): Grusky et al. 2018
    "spread",  # how far apart its supporting source sentences are (share of the source)
    "elsewhere",  # content words the source has, but none of its supporting sentences
)

#: ``similar(derived_sentences, source_sentences)``: a matrix of semantic similarities
Similar = Callable[[Sequence[str], Sequence[str]], "np.ndarray"]


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """One derived sentence: its support, its signals, and where its typed signals are."""

    support: SentenceSupport
    values: np.ndarray  # SENTENCE_FEATURES order
    spans: dict[str, tuple[int, int]]  # kind -> first span (name/number/date/negation)


def sentence_features(
    source: Article,
    derived: Article,
    params: SupportParams | None = None,
    similar: Similar | None = None,
) -> list[SentenceFeatures]:
    """The signals of every derived sentence (empty when the derived text has none)."""
    params = params or SupportParams()
    src, der = _Text(source), _Text(derived)
    index = _index_source(src)
    sems = _semantic(src, der, similar)
    single = SupportParams(max_sources=1)
    out = []
    for i in range(len(der.sentences)):
        sup = _sentence_support(src, der, index, i, params)
        one = _sentence_support(src, der, index, i, single)
        out.append(_one(src, der, index, i, sup, one.coverage, sems[i]))
    return out


def _semantic(src: _Text, der: _Text, similar: Similar | None) -> list[float]:
    if similar is None or not src.sentences or not der.sentences:
        return [1.0] * len(der.sentences)
    sims = similar(
        [der.text[s:e] for s, e in der.sentences], [src.text[s:e] for s, e in src.sentences]
    )
    return [float(max(row)) for row in np.asarray(sims)]


def _one(
    src: _Text,
    der: _Text,
    index: _SourceIndex,
    i: int,
    sup: SentenceSupport,
    single: float,
    semantic: float,
) -> SentenceFeatures:
    facts = _facts(der, index, sup)
    names = _names(der, index, i)
    spans = {kind: span for kind, span in reversed(facts + names)}
    neg = _negation_span(src, der, index, i, sup)
    if neg:
        spans["negation_flipped"] = neg
    apart, bigram = _pair_signals(der, index, i)
    abstractive, density = _fragments(der, index, i)
    spread, elsewhere = _support_shape(src, der, index, i, sup)
    values = np.array(
        [
            1.0 - sup.coverage,
            1.0 - single,
            len(sup.novel),
            sup.novel_share,
            len(names),
            sum(kind == "number_changed" for kind, _ in facts),
            sum(kind == "date_changed" for kind, _ in facts),
            apart,
            bigram,
            _names_apart(der, index, i),
            1.0 if neg else 0.0,
            np.log1p(sup.words),
            1.0 - semantic,
            abstractive,
            density,
            spread,
            elsewhere,
        ]
    )
    return SentenceFeatures(sup, values, spans)


def _negation_span(
    src: _Text, der: _Text, index: _SourceIndex, i: int, sup: SentenceSupport
) -> tuple[int, int] | None:
    """The first negator of the sentence when none of its supporting sentences negates."""
    negs = [(s, e) for w, s, e in der.words[i] if _negator(w)]
    chosen = [src.sentences.index(x) for x in sup.support]
    if negs and not any(index.negated[j] for j in chosen):
        return negs[0]
    return None


def _pair_signals(der: _Text, index: _SourceIndex, i: int) -> tuple[int, int]:
    """Adjacent content words the source holds but never in one sentence, and never adjacent.

    A summary that swaps who did what keeps the source's words and puts them together in a
    way the source does not; both counts only look at words the source has.
    """
    stems = [_stem(w) for w, _, _ in der.content(i)]
    stems = [s for s in stems if s in index.all_stems]
    apart = bigram = 0
    for a, b in itertools.pairwise(stems):
        if a == b:
            continue
        together = [j for j, group in enumerate(index.stems) if a in group and b in group]
        apart += not together
        bigram += (a, b) not in index.bigrams
    return apart, bigram


def _names_apart(der: _Text, index: _SourceIndex, i: int) -> int:
    """Pairs of the sentence's names that no source sentence writes together (who did what)."""
    names = sorted({w for w, _, _ in der.words[i] if w in index.where})
    return sum(
        not set(index.where[a]) & set(index.where[b])
        for k, a in enumerate(names)
        for b in names[k + 1 :]
    )


#: a copied run this long is taken from the source, not a common phrase ("in the city")
LONG_RUN = 3


def _fragments(der: _Text, index: _SourceIndex, i: int) -> tuple[float, float]:
    """How extractively the sentence was made: the share of its words outside long copied
    runs, and the density of its runs (Grusky, Naaman and Artzi 2018, "Newsroom", section 4.1).

    Runs are greedy: at each word, the longest stretch of words that the source writes in the
    same order inside one sentence. A system that fuses or invents writes short runs."""
    words = [w for w, _, _ in der.words[i]]
    if not words:
        return 0.0, 0.0
    runs, k = [], 0
    while k < len(words):
        n = _longest_run(words, k, index)
        if n:
            runs.append(n)
        k += max(n, 1)
    long_words = sum(n for n in runs if n >= LONG_RUN)
    density = sum(n * n for n in runs) / len(words)
    return 1.0 - long_words / len(words), float(np.log1p(density))


def _longest_run(words: list[str], k: int, index: _SourceIndex) -> int:
    best = 0
    for j in index.positions.get(words[k], ()):
        n = 1
        while k + n < len(words) and index.sequence[j + n] == words[k + n]:
            n += 1
        best = max(best, n)
    return best


def _support_shape(
    src: _Text, der: _Text, index: _SourceIndex, i: int, sup: SentenceSupport
) -> tuple[float, float]:
    """How far apart the supporting sentences lie, and how many of the sentence's words the
    source has only outside them: a fused sentence that pulls a detail from a distant
    passage is where a summariser attaches it to the wrong person or event."""
    chosen = [src.sentences.index(x) for x in sup.support]
    n = max(len(src.sentences), 1)
    spread = (max(chosen) - min(chosen)) / n if chosen else 0.0
    held = set().union(*(index.stems[j] for j in chosen)) if chosen else set()
    stems = {_stem(w) for w, _, _ in der.content(i)}
    return spread, float(sum(s in index.all_stems and s not in held for s in stems))
