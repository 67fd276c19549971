"""Tokens as numbers: Unicode word tokens, fixed 64-bit token hashes, shingle hashes.

Everything downstream (MinHash, sentence fingerprints, story terms) works on ``uint64``
arrays, never on lists of shingle strings: building shingle strings costs more than a whole
vectorised signature (PERFORMANCE-NOTES.md: ~150 µs vs ~45 µs per article).

Hashes are fixed across processes and machines (blake2b of the UTF-8 bytes, never Python's
salted ``hash()``), so a saved index stays valid and Spark workers agree with the local engine.

>>> toks = tokenize_article("Hegseth visits NATO. He said 50.", ((0, 20), (21, 32)))
>>> toks.sentence_of.tolist(), toks.content.tolist()
([0, 0, 0, 1, 1, 1], [True, True, True, False, False, True])
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from newslineage.index.stopwords import STOPWORDS


def _mark_ranges() -> str:
    """Character-class ranges of combining marks (Unicode category M*) in the BMP blocks
    that use them. Python's ``\\w`` does not match marks, so without them Hindi, Bengali or
    vowelled Arabic/Urdu words would fall apart at every vowel sign."""
    out, start, prev = [], None, None
    for cp in [*range(0x0300, 0x2000), *range(0x20D0, 0x2100), *range(0xFE20, 0xFE30)]:
        if unicodedata.category(chr(cp)).startswith("M"):
            if start is None or cp != prev + 1:
                if start is not None:
                    out.append((start, prev))
                start = cp
            prev = cp
    out.append((start, prev))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in out)


# \w is Unicode-aware for str patterns: Urdu, Turkish, German, Cyrillic all tokenise.
# Apostrophes inside words ("He’s") split the word; that is harmless for hashing.
WORD_RE = re.compile(rf"[\w{_mark_ranges()}]+")

# splitmix64 finaliser constants (Steele, Lea & Flood 2014, "Fast splittable PRNGs").
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# odd multipliers that give each shingle position its own weight (order matters in a shingle)
_POS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip

# Prefix "stemming": keep the first 5 characters of long words. Language-agnostic and
# effective for agglutinative languages (Can et al. 2008, "Information retrieval on Turkish
# texts", JASIST 59(3): F5 truncation was as good as a lemmatiser). Here it merges
# "Ukraine"/"Ukrainian" and "defense"/"defended" for sentence and story evidence.
STEM_PREFIX = 5

_CACHE_LIMIT = 2_000_000  # distinct raw tokens (~300 MB worst case), cleared between batches


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser over a ``uint64`` array: a fast bijective avalanche mix."""
    x = np.asarray(x, dtype=np.uint64)
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def token_hash(token: str) -> int:
    """Fixed 64-bit hash of one token: blake2b of its UTF-8 bytes."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class _Vocab:
    """Raw token -> id, with every per-token property computed once per distinct token.

    Per occurrence the only Python work left is one dict lookup; hashes and flags are then
    gathered with numpy fancy indexing.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._cols: list[list] = [[], [], [], [], [], []]
        self.arrays: tuple[np.ndarray, ...] = ()

    def add(self, token: str) -> int:
        word = token.casefold()
        numeric = any(ch.isdigit() for ch in word)  # once per distinct token: cheap
        row = (token_hash(word), token_hash(word[:STEM_PREFIX]), token[:1].isupper(),
               numeric or (word not in STOPWORDS and len(word) > 1), numeric, len(word) > 2)  # fmt: skip
        for col, v in zip(self._cols, row, strict=True):
            col.append(v)
        self.ids[token] = len(self.ids)
        return self.ids[token]

    def lookup(self, tokens: list[str]) -> np.ndarray:
        if len(self.ids) > _CACHE_LIMIT:
            self.__init__()
        got = list(map(self.ids.get, tokens))  # C-speed; misses come back as None
        if None in got:
            ids, add = self.ids, self.add
            got = [ids[t] if t in ids else add(t) for t in tokens]
        out = np.array(got, dtype=np.int64)
        if not self.arrays or len(self.arrays[0]) != len(self.ids):
            dtypes = (np.uint64, np.uint64, bool, bool, bool, bool)
            self.arrays = tuple(
                np.array(c, dtype=d) for c, d in zip(self._cols, dtypes, strict=True)
            )
        return out


_VOCAB = _Vocab()


def hash_tokens(tokens: list[str]) -> np.ndarray:
    """``uint64`` hashes of ``tokens`` (casefolded), one dict lookup per token once warm."""
    if not tokens:
        return np.empty(0, np.uint64)
    ids = _VOCAB.lookup(tokens)
    return _VOCAB.arrays[0][ids]


def shingle_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hashes of the word ``n``-grams of one token-hash array (fewer than n tokens: one shingle).

    >>> a = shingle_hashes(np.arange(5, dtype=np.uint64), 3)
    >>> a.shape
    (3,)
    """
    t = np.asarray(token_hashes, dtype=np.uint64)
    if len(t) == 0:
        return t
    if len(t) < n:
        n = len(t)
    m = len(t) - n + 1
    acc = np.zeros(m, dtype=np.uint64)
    for i in range(n):  # n is tiny (3): a loop over positions, vectorised over shingles
        acc += t[i : i + m] * _POS[i % len(_POS)]
    return mix64(acc)


@dataclass(frozen=True, slots=True)
class ArticleTokens:
    """The tokens of one article as position-aligned arrays."""

    hashes: np.ndarray  # uint64 hash of each casefolded word
    stems: np.ndarray  # uint64 hash of each word's prefix stem
    capitalised: np.ndarray  # bool: first character was upper case in the text
    content: np.ndarray  # bool: not a stopword (numbers always count)
    numeric: np.ndarray  # bool: contains a digit
    longish: np.ndarray  # bool: longer than 2 characters
    sentence_of: np.ndarray  # int32: sentence index of each token
    n_sentences: int


def tokenize_article(text: str, sentences: tuple[tuple[int, int], ...] = ()) -> ArticleTokens:
    """Tokenise ``text`` sentence by sentence (tokens outside any sentence are ignored).

    Without sentence offsets the whole text is one sentence: shingles still work.
    """
    spans = sentences if sentences else ((0, len(text)),)
    raw: list[str] = []
    counts = np.empty(len(spans), dtype=np.int64)
    for i, (s, e) in enumerate(spans):
        toks = WORD_RE.findall(text, s, e)
        raw.extend(toks)
        counts[i] = len(toks)
    ids = _VOCAB.lookup(raw)
    cols = [c[ids] for c in _VOCAB.arrays] if len(ids) else [np.empty(0, np.uint64)] * 2 + [
        np.empty(0, bool)] * 4  # fmt: skip
    return ArticleTokens(
        *cols,
        sentence_of=np.repeat(np.arange(len(spans), dtype=np.int32), counts),
        n_sentences=len(spans),
    )
