"""Pair features for the fitted kind and same-story decisions: lexical and semantic.

Every feature is a share or a cosine on a 0..1-ish scale that means the same in every language,
so one fitted decision serves Urdu agency copy, German-English reports and ChatGPT rewrites.

>>> words("Karachi: The PM's (اے پی پی) visit, 12.5%")
['karachi', 'the', 'pm', 's', 'اے', 'پی', 'پی', 'visit', '12.5']
>>> round(containment(["a", "b", "c", "d"], ["a", "b", "c", "x"], 2), 3)
0.667
"""

from __future__ import annotations

import math
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from newslineage.semantic.align import align_semantic, floor_for, similarity_scale
from newslineage.semantic.reuse import REUSE_FEATURES, reuse_features
from newslineage.semantic.vectors import article_vector
from newslineage.text.tokens import TOKEN_RE

__all__ = [
    "FEATURES",
    "PairFeatures",
    "TextProfile",
    "char_cosine",
    "containment",
    "lexical_features",
    "pair_features",
    "reuse_of",
    "story_lexical",
    "text_profile",
    "words",
]


def _fold(text: str) -> str:
    """NFKC, case folded, without combining marks (Urdu/Arabic diacritics) and ZWNJ/ZWJ.

    ASCII text is only lowercased: NFKC and case folding map ASCII to itself and its lower
    case, and no ASCII character is a mark. (A per-character loop cost ~3 ms per article,
    most of the semantic decision's text work.)"""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold().translate(_marks())


@cache
def _marks() -> dict[int, None]:
    """Every code point of the categories Mn and Cf, to delete with ``str.translate``."""
    dropped = ("Mn", "Cf")
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in dropped}


def words(text: str) -> list[str]:
    """Word tokens of any script (text.tokens' rules: CJK and Thai one character each), of
    the folded text."""
    return TOKEN_RE.findall(_fold(text))


def _grams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def containment(part: Sequence[str], whole: Sequence[str], n: int) -> float:
    """Share of ``part``'s distinct word n-grams found in ``whole`` (0 when ``part`` has none)."""
    grams = _grams(part, n)
    return len(grams & _grams(whole, n)) / len(grams) if grams else 0.0


def char_cosine(a: str, b: str, n: int = 4) -> float:
    """Cosine of sublinear-tf character n-gram vectors (no corpus idf: one pair at a time)."""
    va, vb = _char_tf(a, n), _char_tf(b, n)
    dot = sum(w * vb[g] for g, w in va.items() if g in vb)
    na = math.sqrt(sum(w * w for w in va.values()))
    nb = math.sqrt(sum(w * w for w in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def _char_tf(text: str, n: int) -> dict[str, float]:
    folded = " ".join(words(text))
    counts = Counter(folded[i : i + n] for i in range(len(folded) - n + 1))
    return {g: 1.0 + math.log(c) for g, c in counts.items()}


@dataclass(frozen=True, slots=True)
class TextProfile:
    """What the lexical features need of one text: its word count, word 1-3-gram sets and its
    character 4-gram profile (kept per text: an article is in ~10 candidate pairs)."""

    n_words: int
    grams: dict[int, set[tuple[str, ...]]]
    char_tf: dict[str, float]
    char_norm: float


@lru_cache(maxsize=4096)
def text_profile(text: str) -> TextProfile:
    """The :class:`TextProfile` of ``text`` (cached for the last 4,096 texts)."""
    ws = words(text)
    tf = _char_tf(text, 4)
    return TextProfile(
        len(ws),
        {n: _grams(ws, n) for n in (1, 2, 3)},
        tf,
        math.sqrt(sum(w * w for w in tf.values())),
    )


def lexical_features(source_text: str, derived_text: str) -> list[float]:
    """The seven lexical features, the first seven of :data:`FEATURES` (no model needed)."""
    s, d = text_profile(source_text), text_profile(derived_text)
    out = [_contained(d.grams[n], s.grams[n]) for n in (1, 2, 3)]
    out += [_contained(s.grams[1], d.grams[1]), _contained(s.grams[3], d.grams[3])]
    out.append(_char_cosine(s, d))
    return [*out, math.log((d.n_words + 1) / (s.n_words + 1))]


def story_lexical(text_a: str, text_b: str) -> list[float]:
    """What the same-story decision reads of both directions' :func:`lexical_features`: the
    larger word 1-gram and 3-gram containment, and the character 4-gram cosine (a's side),
    without computing the other values twice.

    >>> a, b = "Rutte met Hegseth in Brussels today.", "Hegseth met Rutte."
    >>> ab, ba = lexical_features(a, b), lexical_features(b, a)
    >>> story_lexical(a, b) == [max(ab[0], ba[0]), max(ab[2], ba[2]), ab[5]]
    True
    """
    a, b = text_profile(text_a), text_profile(text_b)
    c1 = max(_contained(b.grams[1], a.grams[1]), _contained(a.grams[1], b.grams[1]))
    c3 = max(_contained(b.grams[3], a.grams[3]), _contained(a.grams[3], b.grams[3]))
    return [c1, c3, _char_cosine(a, b)]


def _char_cosine(s: TextProfile, d: TextProfile) -> float:
    """The cosine of two character 4-gram profiles (summed in ``s``'s gram order)."""
    dot = sum(w * d.char_tf[g] for g, w in s.char_tf.items() if g in d.char_tf)
    return dot / (s.char_norm * d.char_norm) if s.char_norm and d.char_norm else 0.0


def _contained(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def reuse_of(source_text: str, derived_text: str) -> list[float]:
    """The :data:`~newslineage.semantic.reuse.REUSE_FEATURES` (tiled share, LCS ratio) of the
    folded words; last in :data:`FEATURES`, so only the full decision reads them (they cost
    ~1-15 ms a pair, too much for every candidate the lexical decision settles)."""
    return reuse_features(words(source_text), words(derived_text))


#: the order of the feature vector the fitted decision reads
FEATURES = (
    "c1_der", "c2_der", "c3_der", "c1_src", "c3_src", "char4", "log_len_ratio",
    "sem_article", "sem_der_share", "sem_src_share", "sem_mean_best", "cross_lingual",
    *REUSE_FEATURES,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """The feature values of one (source, derived) pair, in :data:`FEATURES` order."""

    values: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values, strict=True))


def pair_features(
    source_text: str,
    derived_text: str,
    source_vectors: np.ndarray,
    derived_vectors: np.ndarray,
    model: str,
    cross_lingual: bool = False,
    article_cosine: float | None = None,
) -> PairFeatures:
    """Lexical and semantic features of a pair, given both texts' sentence vectors (same model).

    ``article_cosine`` is the cosine of the two article vectors (encodings of
    :func:`~newslineage.semantic.vectors.lead_text`)
    when the candidate stage has them; without it the mean of the lead sentence vectors stands in.
    """
    lexical = lexical_features(source_text, derived_text)
    floor = floor_for(model, cross_lingual)
    match = align_semantic(source_vectors, derived_vectors, floor, model)
    if article_cosine is None:
        article_cosine = float(article_vector(source_vectors) @ article_vector(derived_vectors))
    article = article_cosine
    semantic = [
        float(similarity_scale(article, model)),
        match.derived_share,
        match.source_share,
        match.mean_best,
    ]
    cross = [1.0 if cross_lingual else 0.0]
    return PairFeatures(tuple(lexical + semantic + cross + reuse_of(source_text, derived_text)))
