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
from hashlib import blake2b

import numpy as np

from newslineage.text.sentences import Offsets
from newslineage.text.stopwords import FEATURE_STOPWORDS
from newslineage.text.tokens import TOKEN_RE, is_unspaced, number_key

_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class SimilarityWeights:
    """How the three Dice scores are combined (renormalised when a set is empty on both sides)."""

    # character trigrams carry most weight: robust to inflection, spelling and MT word choice
    chars: float = 0.45
    words: float = 0.35  # prefix-stemmed content words
    anchors: float = 0.20  # names and numbers, which a rewrite or translation keeps


def normalise(text: str) -> str:
    """Lower-case, punctuation to single spaces, padded: ``" hegseth s trip "``."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def content_terms(text: str, stem_len: int) -> tuple[set[str], set[str]]:
    """(light-stemmed content words, anchors) of one sentence.

    Anchors are numbers and capitalised non-initial words (names) plus all-caps words.
    """
    words: set[str] = set()
    anchors: set[str] = set()
    memo = _TERMS.get(stem_len)
    if memo is None or len(memo) > _TERMS_MAX:
        memo = _TERMS[stem_len] = {}
    for k, tok in enumerate(TOKEN_RE.findall(text)):  # findall: no offsets needed, 3x faster
        got = memo.get(tok)
        if got is None:
            got = memo[tok] = _term(tok, stem_len)
        word, anchor = got
        if word is None:
            continue
        words.add(word)
        if anchor == _ALWAYS or (anchor == _NOT_FIRST and k > 0):
            anchors.add(word)
    return words, anchors


# what one token gives content_terms, per stem length: tokens repeat across sentences and
# articles, so each is classified once per process (a dict of at most _TERMS_MAX tokens)
_TERMS: dict[int, dict[str, tuple[str | None, int]]] = {}
_TERMS_MAX = 1 << 17
_NEVER, _NOT_FIRST, _ALWAYS = 0, 1, 2


def _term(tok: str, stem_len: int) -> tuple[str | None, int]:
    """(its content word or None, when it is an anchor): a number always, a capitalised word
    when it is not the sentence's first token, an all-caps word of 2+ letters always."""
    if tok[0].isdigit():
        return number_key(tok), _ALWAYS
    low = tok.lower()
    if (len(low) < 3 and not is_unspaced(tok)) or low in FEATURE_STOPWORDS:
        return None, _NEVER
    if not tok[0].isupper():
        return low[:stem_len], _NEVER
    return low[:stem_len], _ALWAYS if len(tok) > 1 and tok.isupper() else _NOT_FIRST


@dataclass(frozen=True, slots=True)
class UnitKeys:
    """Which unit has which feature: unit ``owner[k]`` has feature ``vocab[ids[k]]``.

    ``vocab`` is the text's sorted distinct keys, so two texts' feature ids in their union are
    two ``searchsorted`` calls (``union_ids``) instead of a sort of every occurrence per pair.
    """

    owner: np.ndarray  # int64 unit index, one row per (unit, feature)
    ids: np.ndarray  # int32 index into vocab
    vocab: np.ndarray  # int64 sorted distinct keys

    @classmethod
    def of(cls, owner: np.ndarray, keys: np.ndarray) -> UnitKeys:
        """From one row per (unit, key) occurrence."""
        vocab, inv = np.unique(keys, return_inverse=True)
        return cls(owner, inv.astype(np.int32).reshape(-1), vocab)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Per-sentence features of one text: character grams, words and anchors.

    Character grams are int64 codes; words and anchors are fixed 64-bit keys of their strings
    (the same in every process: see ``_stable_key``).
    """

    n: int
    grams: UnitKeys
    words: UnitKeys
    anchors: UnitKeys


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
    text: str, spans: tuple[Offsets, ...], char_n: int = 3, stem_len: int = 5
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
        UnitKeys.of(go, gc),
        UnitKeys.of(np.asarray(wo, np.int64), _hashes(ws)),
        UnitKeys.of(np.asarray(ao, np.int64), _hashes(an)),
    )


def _hashes(strings: list[str]) -> np.ndarray:
    return np.fromiter(map(_stable_key, strings), np.int64, len(strings))


@lru_cache(maxsize=1 << 18)
def _stable_key(term: str) -> int:
    """A fixed 64-bit key of a word or anchor feature. Not Python's ``hash()``: that is salted
    per process, the keys order the feature columns, and the column order decides the order
    floats are summed in, so two runs (or a Spark worker and the local engine) could differ in
    the last bit of a similarity (2 of 1,600 pairs did, between two hash seeds)."""
    return int.from_bytes(blake2b(term.encode("utf-8"), digest_size=8).digest(), "little",
                          signed=True)  # fmt: skip


def _incidence(keys: UnitKeys, ids: np.ndarray, n: int, units: int, v: int) -> np.ndarray:
    """0/1 matrix unit x feature id; rows past ``n`` are the merged neighbours ``(i, i+1)``
    at ``n + i``, whose features are those of both sentences."""
    m = np.zeros((units, v), np.float32)
    m.reshape(-1)[keys.owner * v + ids] = 1.0
    if units > n:
        np.maximum(m[: n - 1], m[1:n], out=m[n:])
    return m


def weighted_dice(
    ma: np.ndarray,
    mb: np.ndarray,
    n_single: tuple[int, int],
    shared: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """IDF-weighted Dice of all unit pairs, and a mask of pairs where either side has features.

    ``ma``/``mb`` are the 0/1 unit x feature matrices of the two texts over their common ids,
    singles first; ``shared`` the (ascending) ids present in both. A feature's weight is
    ``log(1 + N / df)`` with df counted over the single sentences of both texts: topic words
    that every sentence shares ("NATO", "Hegseth") weigh less than the words that make a
    sentence itself.
    """
    df = ma[: n_single[0]].sum(0) + mb[: n_single[1]].sum(0)
    w = np.log1p((n_single[0] + n_single[1]) / np.maximum(df, 1.0)).astype(np.float32)
    mask = np.zeros(len(w), bool)
    mask[shared] = True  # boolean column selection: twice as fast as by index here
    weighted = ma[:, mask]
    weighted *= w[mask]
    # OpenBLAS has been seen to warn "invalid value in matmul" (forked workers, busy machine;
    # once in a 100k-article analyze). The operands are finite 0/1 rows and positive weights,
    # so a non-finite product is the library's fault: then the products are taken again
    # without BLAS (einsum's own loops), so no NaN ever decides a threshold downstream.
    with np.errstate(invalid="ignore", over="ignore"):
        size_a, size_b, inter = ma @ w, mb @ w, weighted @ mb[:, mask].T
    if not (np.isfinite(size_a).all() and np.isfinite(size_b).all() and np.isfinite(inter).all()):
        size_a, size_b, inter = _products_without_blas(ma, mb, w, weighted, mask)
    denom = size_a[:, None] + size_b[None, :]
    dice = np.where(denom > 0, 2.0 * inter / np.maximum(denom, 1e-9), 0.0)
    return dice.astype(np.float64), denom > 0


def _products_without_blas(
    ma: np.ndarray, mb: np.ndarray, w: np.ndarray, weighted: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``ma @ w``, ``mb @ w`` and ``weighted @ mb[:, mask].T`` by einsum without BLAS."""
    return (
        np.einsum("uf,f->u", ma, w, optimize=False),
        np.einsum("uf,f->u", mb, w, optimize=False),
        np.einsum("uf,vf->uv", weighted, mb[:, mask], optimize=False),
    )


def union_ids(va: np.ndarray, vb: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Positions of two sorted distinct key arrays in their sorted union, the union's size
    and the (ascending) positions of the keys in both: what ``np.unique`` of the
    concatenation gives, from two binary searches instead of a sort.

    >>> ma, mb, v, both = union_ids(np.array([2, 5, 9]), np.array([1, 5, 7]))
    >>> ma.tolist(), mb.tolist(), v, both.tolist()
    ([1, 2, 4], [0, 2, 3], 5, [2])
    """
    lo = np.searchsorted(va, vb)  # keys of a below each key of b
    found = np.zeros(len(vb), bool)
    inside = lo < len(va)
    found[inside] = va[lo[inside]] == vb[inside]
    only_b = np.concatenate([[0], np.cumsum(~found)])  # b-only keys among the first k of b
    pos_b = lo + only_b[:-1]
    pos_a = np.arange(len(va)) + only_b[np.searchsorted(vb, va)]
    return pos_a, pos_b, len(va) + int(only_b[-1]), pos_b[found]


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

    def dice(ka: UnitKeys, kb: UnitKeys) -> tuple[np.ndarray, np.ndarray]:
        if not len(ka.ids) and not len(kb.ids):
            return np.zeros((ua, ub)), np.zeros((ua, ub), bool)
        pos_a, pos_b, v, shared = union_ids(ka.vocab, kb.vocab)
        ma = _incidence(ka, pos_a[ka.ids], na, ua, v)
        mb = _incidence(kb, pos_b[kb.ids], nb, ub, v)
        return weighted_dice(ma, mb, (na, nb), shared)

    chars, _ = dice(fa.grams, fb.grams)
    words, _ = dice(fa.words, fb.words)
    anchors, has = dice(fa.anchors, fb.anchors)
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

    def cat(kind: str) -> UnitKeys:
        if not parts:
            return UnitKeys(np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64))
        keys = [getattr(f, kind) for f in parts]
        vocab = np.unique(np.concatenate([k.vocab for k in keys]))
        ids = [np.searchsorted(vocab, k.vocab)[k.ids] for k in keys]
        owners = [k.owner + off for k, off in zip(keys, offsets, strict=False)]
        return UnitKeys(np.concatenate(owners), np.concatenate(ids).astype(np.int32), vocab)

    return SentenceFeatures(int(offsets[-1]), cat("grams"), cat("words"), cat("anchors"))


def _spans(units: Sequence[str]) -> tuple[Offsets, ...]:
    out, pos = [], 0
    for u in units:
        out.append((pos, pos + len(u)))
        pos += len(u) + 1
    return tuple(out)
