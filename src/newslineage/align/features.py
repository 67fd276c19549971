"""Language-agnostic sentence features and a vectorised similarity matrix.

A sentence is reduced to three sets: character n-grams of its normalised form (robust to
inflection, spelling and word-order changes in a translation round trip), light-stemmed
content words (stopwords removed, every word cut to a prefix: works without a language
model for German, Turkish or Urdu alike) and "anchors" (numbers and capitalised names,
which survive translation almost unchanged). Each set is compared with the Dice
coefficient; the matrix for all sentence pairs is one small dense matrix product over the
features the two articles share (Broder 1997 resemblance, computed as set intersections).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Numbers keep their inner separators ("3.5", "126,000"); words are runs of letters, so
# "Hegseth’s" gives "Hegseth" + "s" and the possessive falls below the length floor.
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_NON_WORD = re.compile(r"[\W_]+")

# High-frequency function words of the languages news is most often copied across.
# Short words (< 3 letters) are dropped anyway, so only longer ones need listing.
STOPWORDS: frozenset[str] = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "this",
        "from",
        "have",
        "has",
        "had",
        "was",
        "were",
        "are",
        "been",
        "will",
        "would",
        "could",
        "should",
        "not",
        "but",
        "its",
        "their",
        "they",
        "them",
        "there",
        "than",
        "then",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "how",
        "also",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "more",
        "most",
        "some",
        "such",
        "only",
        "other",
        "any",
        "all",
        "can",
        "may",
        "said",
        "says",
        "his",
        "her",
        "hers",
        "him",
        "our",
        "ours",
        "your",
        "yours",
        "you",
        "she",
        "one",
        "two",
        "very",
        "just",
        "being",
        "does",
        "did",
        "those",
        "these",
        "here",
        "while",
        "during",
        "between",
        "against",
        "because",
        "until",
        "upon",
        "each",
        "both",
        "few",
        "much",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "mit",
        "von",
        "dem",
        "den",
        "des",
        "auf",
        "für",
        "sich",
        "auch",
        "als",
        "wie",
        "bei",
        "nach",
        "aus",
        "wird",
        "werden",
        "hat",
        "haben",
        "sind",
        "war",
        "oder",
        "aber",
        "noch",
        "nur",
        "dass",
        "les",
        "des",
        "une",
        "est",
        "dans",
        "pour",
        "qui",
        "que",
        "sur",
        "pas",
        "par",
        "avec",
        "plus",
        "sont",
        "ont",
        "été",
        "aux",
        "ces",
        "leur",
        "los",
        "las",
        "del",
        "por",
        "con",
        "una",
        "para",
        "que",
        "como",
        "más",
        "pero",
        "sus",
        "fue",
        "son",
        "está",
        "bir",
        "ile",
        "için",
        "olarak",
        "daha",
        "çok",
        "gibi",
        "kadar",
        "sonra",
        "ancak",
        "ama",
        "veya",
        "değil",
        "olan",
        "اور",
        "کے",
        "کی",
        "کا",
        "میں",
        "سے",
        "کو",
        "نے",
        "ہے",
        "ہیں",
        "تھا",
        "تھی",
        "پر",
        "بھی",
        "یہ",
        "وہ",
    ]
)


@dataclass(frozen=True, slots=True)
class SimilarityWeights:
    """How the three Dice scores are combined (renormalised when a set is empty on both sides)."""

    chars: float = 0.45
    words: float = 0.35
    anchors: float = 0.20


def normalise(text: str) -> str:
    """Lower-case, punctuation to single spaces, padded: ``" hegseth s trip "``."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every word or number in ``text``."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _norm_number(tok: str) -> str:
    # "126,000" and "126.000" (German) are the same number; "3.5" and "3,5" too.
    return "#" + tok.replace(",", "").replace(".", "")


def content_terms(text: str, stem_len: int) -> tuple[set[str], set[str]]:
    """(light-stemmed content words, anchors) of one sentence.

    Anchors are numbers and capitalised non-initial words (names) plus all-caps words.
    """
    words: set[str] = set()
    anchors: set[str] = set()
    for k, tok in enumerate(TOKEN_RE.findall(text)):  # findall: no offsets needed, 3x faster
        if tok[0].isdigit():
            num = _norm_number(tok)
            words.add(num)
            anchors.add(num)
            continue
        low = tok.lower()
        if len(low) < 3 or low in STOPWORDS:
            continue
        stem = low[:stem_len]
        words.add(stem)
        if tok[0].isupper() and (k > 0 or (len(tok) > 1 and tok.isupper())):
            anchors.add(stem)
    return words, anchors


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Per-sentence feature ids of one text: ``(owner sentence, feature key)`` arrays.

    Character grams are int64 codes; words and anchors are the Python hashes of their strings
    (equal within one process, which is all a comparison of two texts needs).
    """

    n: int
    gram_owner: np.ndarray
    gram_code: np.ndarray
    word_owner: np.ndarray
    words: np.ndarray
    anchor_owner: np.ndarray
    anchors: np.ndarray


def _char_grams(units: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised character n-grams: (unit index, gram code), one row per gram occurrence.

    Code points fit in 21 bits, so an n-gram (n <= 3) packs into one int64 exactly.
    """
    norm = [normalise(u) for u in units]
    lengths = np.fromiter((len(s) for s in norm), dtype=np.int64, count=len(norm))
    cps = np.frombuffer("".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(norm), dtype=np.int64), lengths)
    m = len(cps) - n + 1
    if m <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    code = np.zeros(m, np.int64)
    for k in range(n):
        code = (code << 21) | cps[k : k + m]
    same = owner[:m] == owner[n - 1 : n - 1 + m]  # grams must not straddle two units
    return owner[:m][same], code[same]


@lru_cache(maxsize=4096)
def sentence_features(
    text: str, spans: tuple[tuple[int, int], ...], char_n: int = 3, stem_len: int = 5
) -> SentenceFeatures:
    """Features of every sentence ``text[s:e]`` (cached: an article meets many candidates)."""
    if not 1 <= char_n <= 3:
        raise ValueError("char_n must be 1..3 (grams are packed into one int64)")
    go, gc = _char_grams([text[s:e] for s, e in spans], char_n)
    if len(gc):  # one row per (sentence, gram): repeated grams say nothing more
        order = np.lexsort((gc, go))
        go, gc = go[order], gc[order]
        keep = np.ones(len(gc), bool)
        keep[1:] = (go[1:] != go[:-1]) | (gc[1:] != gc[:-1])
        go, gc = go[keep], gc[keep]
    wo: list[int] = []
    ws: list[str] = []
    ao: list[int] = []
    an: list[str] = []
    for i, (s, e) in enumerate(spans):
        words, anchors = content_terms(text[s:e], stem_len)
        wo.extend([i] * len(words))
        ws.extend(sorted(words))
        ao.extend([i] * len(anchors))
        an.extend(sorted(anchors))
    return SentenceFeatures(
        len(spans),
        go,
        gc,
        np.asarray(wo, np.int64),
        _hashes(ws),
        np.asarray(ao, np.int64),
        _hashes(an),
    )


def _hashes(strings: list[str]) -> np.ndarray:
    return np.fromiter(map(hash, strings), np.int64, len(strings))


def _with_merges(owner: np.ndarray, n: int) -> np.ndarray:
    """Owner rows for singles ``0..n-1`` then merged neighbours ``(i, i+1)`` as ``n+i``."""
    first = owner[owner < n - 1] + n  # sentence i is the first half of merge i
    second = owner[owner >= 1] + n - 1  # and the second half of merge i-1
    return np.concatenate([owner, first, second])


def _expand(owner: np.ndarray, keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    if n < 2:
        return owner, keys
    first, second = keys[owner < n - 1], keys[owner >= 1]
    return _with_merges(owner, n), np.concatenate([keys, first, second])


def weighted_dice(
    oa: np.ndarray,
    ia: np.ndarray,
    ua: int,
    ob: np.ndarray,
    ib: np.ndarray,
    ub: int,
    v: int,
    n_single: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """IDF-weighted Dice of all unit pairs, and a mask of pairs where either side has features.

    ``ia``/``ib`` are feature ids in ``range(v)``. A feature's weight is ``log(1 + N / df)``
    with df counted over the single sentences of both texts: topic words that every sentence
    shares ("NATO", "Hegseth") weigh less than the words that make a sentence itself.
    """
    if not len(ia) and not len(ib):
        return np.zeros((ua, ub)), np.zeros((ua, ub), bool)
    ma = np.zeros((ua, v), np.float32)
    mb = np.zeros((ub, v), np.float32)
    ma[oa, ia] = 1.0
    mb[ob, ib] = 1.0
    df = ma[: n_single[0]].sum(0) + mb[: n_single[1]].sum(0)
    w = np.log1p((n_single[0] + n_single[1]) / np.maximum(df, 1.0)).astype(np.float32)
    size_a, size_b = ma @ w, mb @ w
    shared = ma[: n_single[0]].any(0) & mb[: n_single[1]].any(0)
    inter = (ma[:, shared] * w[shared]) @ mb[:, shared].T
    denom = size_a[:, None] + size_b[None, :]
    dice = np.where(denom > 0, 2.0 * inter / np.maximum(denom, 1e-9), 0.0)
    # OpenBLAS has been seen to warn "invalid value in matmul" on busy machines: never let a
    # NaN through, it would silently fail every threshold comparison downstream
    return np.nan_to_num(dice.astype(np.float64), nan=0.0), denom > 0


def _code_ids(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    vocab, inv = np.unique(np.concatenate([a, b]), return_inverse=True)
    return inv[: len(a)], inv[len(a) :], len(vocab)


def unit_similarity(
    fa: SentenceFeatures,
    fb: SentenceFeatures,
    weights: SimilarityWeights = SimilarityWeights(),
    merges: bool = True,
) -> np.ndarray:
    """Similarity in [0, 1] of every unit of ``fa`` with every unit of ``fb``.

    Units are the sentences, followed (when ``merges``) by each pair of neighbours
    ``(i, i+1)`` at row ``n + i``: what a 2-1 or 1-2 alignment compares.
    """
    na, nb = fa.n, fb.n
    ua = na + (na - 1 if merges and na > 1 else 0)
    ub = nb + (nb - 1 if merges and nb > 1 else 0)
    if na == 0 or nb == 0:
        return np.zeros((ua, ub))

    def dice(oa: np.ndarray, ob: np.ndarray, ids: tuple[np.ndarray, np.ndarray, int]):
        ia, ib, v = ids
        if merges:
            oa, ia = _expand(oa, ia, na)
            ob, ib = _expand(ob, ib, nb)
        return weighted_dice(oa, ia, ua, ob, ib, ub, v, (na, nb))

    chars, _ = dice(fa.gram_owner, fb.gram_owner, _code_ids(fa.gram_code, fb.gram_code))
    words, _ = dice(fa.word_owner, fb.word_owner, _code_ids(fa.words, fb.words))
    anchors, has = dice(fa.anchor_owner, fb.anchor_owner, _code_ids(fa.anchors, fb.anchors))
    # anchors count only where a pair has some; elsewhere their weight goes to the others
    w_anchor = np.where(has, weights.anchors, 0.0)
    total = weights.chars + weights.words + w_anchor
    sim = (weights.chars * chars + weights.words * words + w_anchor * anchors) / total
    return np.clip(sim, 0.0, 1.0)


def similarity_matrix(
    units_a: Sequence[str],
    units_b: Sequence[str],
    *,
    char_n: int = 3,
    stem_len: int = 5,
    weights: SimilarityWeights = SimilarityWeights(),
) -> np.ndarray:
    """Similarity in [0, 1] of every string of ``units_a`` with every string of ``units_b``.

    >>> m = similarity_matrix(["NATO met in Brussels.", "Sun."], ["NATO met in Brussels.", "Rain."])
    >>> bool(m[0, 0] > 0.99 and m[0, 1] < 0.2)
    True
    """
    ta, tb = "\n".join(units_a), "\n".join(units_b)
    # not through the cache: these joined texts are one-off (the drift step joins a whole
    # story's sentences) and at 100k articles cached ones grew a worker to 7 GB
    fa = sentence_features.__wrapped__(ta, _spans(units_a), char_n, stem_len)
    fb = sentence_features.__wrapped__(tb, _spans(units_b), char_n, stem_len)
    return unit_similarity(fa, fb, weights, merges=False)


def concat_features(parts: Sequence[SentenceFeatures]) -> SentenceFeatures:
    """The features of several texts' sentences as one list of units, in order: the same
    arrays ``sentence_features`` gives for all those sentences joined (each unit's features
    come from its own text), so a story's sentences are compared from per-article features
    that the cache already holds instead of being featurised again for every member."""
    offsets = np.cumsum([0, *(f.n for f in parts)])

    def cat(owner: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        owners = [getattr(f, owner) + off for f, off in zip(parts, offsets, strict=False)]
        return np.concatenate(owners), np.concatenate([getattr(f, key) for f in parts])

    go, gc = cat("gram_owner", "gram_code")
    wo, ws = cat("word_owner", "words")
    ao, an = cat("anchor_owner", "anchors")
    return SentenceFeatures(int(offsets[-1]), go, gc, wo, ws, ao, an)


def _spans(units: Sequence[str]) -> tuple[tuple[int, int], ...]:
    out, pos = [], 0
    for u in units:
        out.append((pos, pos + len(u)))
        pos += len(u) + 1
    return tuple(out)
