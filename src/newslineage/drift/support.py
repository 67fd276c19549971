"""Per-sentence support checking: what a summary, rewrite or partial reuse says that its source does not.

The pair detectors (``drift.pairs``) compare sentences the aligner already paired one to one,
which a summary or a heavy rewrite rarely allows: a summary sentence fuses two or three source
sentences and keeps few of their words in order. Here each derived sentence is aligned to the
*set* of source sentences that best covers its content words (IDF-weighted over the source's
sentences, greedily, at most ``max_sources`` of them), and is then checked against that
support and against the whole source:

Each sentence's signals (figures, dates and names the source never states, negators, the
share of its words the source lacks) are computed in ``drift.support_features`` and weighed by
the fitted decision of ``drift.support_model`` (``support_model.json``, refitted on FRANK valid
with held-out folds by ``python -m newslineage.drift.support_fit --write``; see
``docs/drift.md``).

>>> from newslineage.model import Article
>>> src = Article("s", "The council approved the plan on Monday. It costs $4 million.")
>>> der = Article("d", "It costs $9 million, the council said on Monday.")
>>> [len(s.support) for s in support_of(src, der)]
[2]
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from ..model import Article
from ..text.content import WORD as _WORD
from ..text.content import fold as _fold
from ..text.content import novel_share
from ..text.content import stem as _stem
from ..text.sentences import split_sentences
from .facts import Mention, find_dates, find_numbers
from .support_words import COMMON_WORDS, DATE_WORDS, NEGATORS, STOPWORDS

__all__ = ["SentenceSupport", "SupportParams", "novel_share", "support_of"]

# endings of inflected or derived English words: a lower-cased word ending so is rarely a name
_COMMON_ENDINGS = ("ed", "ing", "ly", "tion", "sion", "ness", "ment", "able", "ible", "ful",
                   "ous", "ive", "ity", "ies", "ers", "ist", "ism", "less", "al")  # fmt: skip
_MONTH_WORDS = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|may(?=\s\d))\b"
)


@dataclass(frozen=True, slots=True)
class SupportParams:
    """How a derived sentence is matched to the source sentences that support it."""

    min_gain: float = 0.1  # coverage a further source sentence must add to join the support
    max_sources: int = 3  # source sentences one derived sentence may fuse


@dataclass(frozen=True, slots=True)
class SentenceSupport:
    """One derived sentence and the source sentences that support it."""

    derived: tuple[int, int]
    support: tuple[tuple[int, int], ...]
    coverage: float  # IDF-weighted share of its content words found in the support
    novel: tuple[tuple[int, int], ...]  # content words absent from the whole source (spans)
    words: int = 0  # content words of the sentence

    @property
    def novel_share(self) -> float:
        return len(self.novel) / max(self.words, 1)


def _negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


class _Text:
    """An article's sentences, words and facts, computed once."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.sentences = list(article.sentences) or split_sentences(article.text)
        self.words = [self._words(s, e) for s, e in self.sentences]
        self.lower = not any(ch.isupper() for ch in self.text)

    def _words(self, start: int, end: int) -> list[tuple[str, int, int]]:
        found = _WORD.finditer(self.text, start, end)
        return [(_fold(m.group()), m.start(), m.end()) for m in found if m.group().lower() != "unk"]

    def content(self, i: int) -> list[tuple[str, int, int]]:
        return [w for w in self.words[i] if w[0] not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class _SourceIndex:
    """What the checks ask of the source: stems per sentence, IDF, names, facts."""

    stems: tuple[frozenset[str], ...]
    idf: dict[str, float]
    max_idf: float
    words: frozenset[str]
    all_stems: frozenset[str]
    capitalised: frozenset[str]  # words the source writes with a capital mid-sentence
    numbers: tuple[Mention, ...]
    dates: tuple[Mention, ...]
    negated: tuple[bool, ...]
    where: dict[str, tuple[int, ...]]  # each name-like word: the source sentences that write it
    bigrams: frozenset[tuple[str, str]] = frozenset()  # adjacent content stems, in order
    sequence: tuple[str | None, ...] = ()  # all words in order, None between sentences
    positions: dict[str, tuple[int, ...]] = field(default_factory=dict)  # word -> in sequence


def _sequence(src: _Text) -> tuple[tuple[str | None, ...], dict[str, tuple[int, ...]]]:
    """The source's words in order, a None after each sentence (a run never crosses one)."""
    seq: list[str | None] = []
    for ws in src.words:
        seq += [w for w, _, _ in ws]
        seq.append(None)
    where: dict[str, list[int]] = {}
    for j, w in enumerate(seq):
        if w is not None:
            where.setdefault(w, []).append(j)
    return tuple(seq), {w: tuple(v) for w, v in where.items()}


def _index_source(src: _Text) -> _SourceIndex:
    stems = tuple(frozenset(_stem(w) for w, _, _ in src.content(i)) for i in range(len(src.words)))
    n = max(len(stems), 1)
    df: dict[str, int] = {}
    for group in stems:
        for s in group:
            df[s] = df.get(s, 0) + 1
    idf = {s: math.log((n + 1) / (c + 0.5)) + 1.0 for s, c in df.items()}
    words = frozenset(w for ws in src.words for w, _, _ in ws)
    caps = frozenset(
        w for ws in src.words for w, s, _ in ws[1:] if src.text[s].isupper() and w not in STOPWORDS
    )
    sequence, positions = _sequence(src)
    return _SourceIndex(
        sequence=sequence,
        positions=positions,
        stems=stems,
        idf=idf,
        max_idf=math.log((n + 1) / 0.5) + 1.0,
        words=words,
        all_stems=frozenset(df),
        capitalised=caps,
        numbers=tuple(find_numbers(src.text)),
        dates=tuple(find_dates(_recase(src.text))),
        negated=tuple(any(_negator(w) for w, _, _ in ws) for ws in src.words),
        where=_name_places(src, caps),
        bigrams=frozenset(
            pair
            for i in range(len(src.words))
            for pair in _pairs([_stem(w) for w, _, _ in src.content(i)])
        ),
    )


def _pairs(stems: list[str]) -> list[tuple[str, str]]:
    return list(itertools.pairwise(stems))


def _name_places(src: _Text, caps: frozenset[str]) -> dict[str, tuple[int, ...]]:
    places: dict[str, list[int]] = {}
    for i, ws in enumerate(src.words):
        for w, _, _ in ws:
            if w in caps and w not in COMMON_WORDS:
                places.setdefault(w, []).append(i)
    return {w: tuple(v) for w, v in places.items()}


def _recase(text: str) -> str:
    """Month and weekday names capitalised (same length), so lower-cased dates are read."""
    return _MONTH_WORDS.sub(lambda m: m.group().capitalize(), text)


def _align(stems: list[str], index: _SourceIndex, params: SupportParams) -> tuple[list[int], float]:
    """Greedy cover: the source sentences that together hold most of the words' weight."""
    weights = {s: index.idf.get(s, index.max_idf) for s in stems}
    total = sum(weights.values()) or 1.0
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < params.max_sources:
        best, gain = -1, 0.0
        for i, group in enumerate(index.stems):
            g = sum(weights[s] for s in weights if s in group and s not in covered) / total
            if g > gain:
                best, gain = i, g
        if best < 0 or (chosen and gain < params.min_gain):
            break
        chosen.append(best)
        covered |= weights.keys() & index.stems[best]
    return chosen, sum(weights[s] for s in covered) / total


def support_of(
    source: Article, derived: Article, params: SupportParams | None = None
) -> list[SentenceSupport]:
    """Each derived sentence with the source sentences that support it (lexical alignment)."""
    params = params or SupportParams()
    src, der = _Text(source), _Text(derived)
    index = _index_source(src)
    return [_sentence_support(src, der, index, i, params) for i in range(len(der.sentences))]


def _sentence_support(
    src: _Text, der: _Text, index: _SourceIndex, i: int, params: SupportParams
) -> SentenceSupport:
    content = der.content(i)
    chosen, coverage = _align([_stem(w) for w, _, _ in content], index, params)
    novel = tuple(
        (s, e) for w, s, e in content if w not in index.words and _stem(w) not in index.all_stems
    )
    return SentenceSupport(
        der.sentences[i],
        tuple(src.sentences[j] for j in sorted(chosen)),
        coverage,
        novel,
        len(content),
    )


#: a typed signal of one sentence: the finding kind it would give and the span it points at
Signal = tuple[str, tuple[int, int]]


def _facts(der: _Text, index: _SourceIndex, sup: SentenceSupport) -> list[Signal]:
    """Figures and dates of the sentence that the source never states."""
    s, e = sup.derived
    out: list[Signal] = []
    for m in find_numbers(der.text, s, e):
        if not any(m.same_as(x) for x in index.numbers):
            out.append(("number_changed", (m.start, m.end)))
    for m in find_dates(_recase(der.text), s, e):
        if not any(m.same_as(x) for x in index.dates):
            out.append(("date_changed", (m.start, m.end)))
    return out


def _names(der: _Text, index: _SourceIndex, i: int) -> list[Signal]:
    """Names the source never writes: capitalised words, or unknown words in lower-cased text."""
    out: list[Signal] = []
    lower = der.lower
    for k, (w, s, e) in enumerate(der.words[i]):
        if w in index.words or w in STOPWORDS or w in DATE_WORDS or not w.isalpha():
            continue
        capital = der.text[s].isupper()
        if lower:
            is_name = (
                w not in COMMON_WORDS
                and _stem(w) not in index.all_stems
                and not w.endswith(_COMMON_ENDINGS)
            )
        else:
            is_name = capital and (k > 0 or w not in COMMON_WORDS)
        if is_name:
            out.append(("name_changed", (s, e)))
    return out
