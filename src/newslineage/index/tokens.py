"""Tokens as numbers: Unicode word tokens, fixed 64-bit token hashes, shingle hashes.

Everything downstream (MinHash, sentence fingerprints, story terms) works on ``uint64``
arrays, never on lists of shingle strings: building shingle strings costs more than a whole
vectorised signature (PERFORMANCE-NOTES.md: ~150 µs vs ~45 µs per article).

Hashes are fixed across processes and machines (a polynomial over per-character splitmix64
values, never Python's salted ``hash()``), so a saved index stays valid and Spark workers agree
with the local engine. The same hash is computed two ways: per distinct token in Python
(``token_hash``, used by ``tokenize_article``) and for a whole batch of raw texts at once in
numpy (``token_hashes_batch``, ``shingle_hashes_batch``: the fast path of ``text_signatures``,
with no Python string per token). Both give identical hashes (tests/unit/test_tokens.py).

>>> toks = tokenize_article("Hegseth visits NATO. He said 50.", ((0, 20), (21, 32)))
>>> toks.sentence_of.tolist(), toks.content.tolist()
([0, 0, 0, 1, 1, 1], [True, True, True, False, False, True])
"""

from __future__ import annotations

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


_MASK = (1 << 64) - 1
# Token hash: h(w) = mix64(sum_i c(w[i]) * P**i mod 2**64) with c(x) = mix64(ord(x) + K), a
# polynomial string hash (Karp & Rabin 1987) over pseudo-random character values. The random
# values make the weak low bits of the 2**64 ring harmless and the final mix64 spreads them.
# Its prefix sums give every word of a batch in a few numpy passes (``_scan_chunk``).
_K = 0xE7037ED1A0B428DB  # any 64-bit constant (wyhash's secret[1])
_P = 0xA0761D6478BD642F  # odd, hence invertible mod 2**64 (wyhash's secret[0])
_P_INV = pow(_P, -1, 1 << 64)
_EXPANDS = np.uint64(1)  # table value of characters whose casefold is several characters
# Code points per numpy pass: ~150 articles; keeps the power tables at 4 MB each.
_CHUNK = 1 << 16
_TABLES: dict[str, np.ndarray] = {}


def _mix64_int(x: int) -> int:
    """``mix64`` of one Python int (bit for bit the numpy version)."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def token_hash(token: str) -> int:
    """Fixed 64-bit hash of one token, as given (callers casefold first).

    >>> token_hash("nato") == token_hash("NATO".casefold()) != token_hash("NATO")
    True
    """
    h, p = 0, 1
    for ch in token:
        h = (h + _mix64_int((ord(ch) + _K) & _MASK) * p) & _MASK
        p = (p * _P) & _MASK
    return _mix64_int(h)


def _char_values() -> np.ndarray:
    """``c(casefold(x))`` of every code point ``x`` that ``WORD_RE`` counts as a word
    character, 0 for the others, ``_EXPANDS`` where casefold gives several characters (104
    code points such as German ß, Turkish İ, ligatures). Built once (~0.1 s, 8.9 MB).

    Word classes survive casefolding and casefold is idempotent for every code point (checked
    in tests/unit/test_tokens.py), so casefolding then splitting equals splitting then
    casefolding each token, as ``tokenize_article`` does.
    """
    tab = _TABLES.get("values")
    if tab is not None:
        return tab
    n = 0x110000
    chars = np.arange(n, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    word = np.zeros(n, dtype=bool)
    fold = np.arange(n, dtype=np.uint64)
    expands = []
    for b in range(0, n, 256):  # by blocks: most are all-word or word-free, and caseless
        block = chars[b : b + 256]
        for m in WORD_RE.finditer(block):
            word[b + m.start() : b + m.end()] = True
        if block.casefold() != block:
            for i, ch in enumerate(block):
                f = ch.casefold()
                if len(f) == 1:
                    fold[b + i] = ord(f)
                else:
                    expands.append(b + i)
    tab = np.where(word, mix64(fold + np.uint64(_K)), np.uint64(0))
    tab[expands] = _EXPANDS
    _TABLES["values"] = tab
    return tab


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P**i`` and ``P**-i`` mod 2**64 for ``i`` in ``[0, n]`` (kept, grown when needed)."""
    pw = _TABLES.get("pow")
    if pw is None or len(pw) <= n:
        size = max(_CHUNK, n) + 1
        pw = np.full(size, _P, dtype=np.uint64)
        inv = np.full(size, _P_INV, dtype=np.uint64)
        pw[0] = inv[0] = 1
        np.multiply.accumulate(pw, out=pw)  # wraps mod 2**64, as wanted
        np.multiply.accumulate(inv, out=inv)
        _TABLES["pow"], _TABLES["inv"] = pw, inv
    return pw, _TABLES["inv"]


def _code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word-character values of ``"\\n".join(texts)`` and each text's end offset in it."""
    tab = _char_values()
    ends = np.cumsum(np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))) - 1
    joined = "\n".join(texts)
    v = tab.take(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    odd = np.flatnonzero(v == _EXPANDS)
    if len(odd):  # rare: casefold the texts that hold ß, İ, ﬁ ... in Python, then redo
        redo = set(np.searchsorted(ends, odd).tolist())
        return _code_points([t.casefold() if i in redo else t for i, t in enumerate(texts)])
    return v, ends


def _scan_chunk(texts: list[str], stems: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word hashes (and stem hashes if asked) of some texts, and their word counts."""
    v, ends = _code_points(texts)
    n = len(v)
    word = np.empty(n + 2, dtype=bool)  # padded with a non-word character at both ends
    word[0] = word[-1] = False
    np.not_equal(v, 0, out=word[1:-1])
    edge = np.flatnonzero(word[1:] != word[:-1])  # word starts and ends alternate
    w_start, w_end = edge[0::2], edge[1::2]
    pw, inv = _powers(n)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(v * pw[:n], out=prefix[1:])
    # the hash of v[s:e] is (prefix[e] - prefix[s]) * P**-s: positions restart at each word
    shift = inv.take(w_start)
    first = prefix.take(w_start)
    hashes = mix64((prefix.take(w_end) - first) * shift)
    stem = np.empty(0, dtype=np.uint64)
    if stems:
        cut = np.minimum(w_end, w_start + STEM_PREFIX)
        stem = mix64((prefix.take(cut) - first) * shift)
    counts = np.diff(np.searchsorted(w_start, ends), prepend=0)
    return hashes, stem, counts


def _scan(texts: list[str], stems: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_scan_chunk`` over chunks of about ``_CHUNK`` code points."""
    parts, chunk, size = [], [], 0
    for t in texts:
        if chunk and size + len(t) > _CHUNK:
            parts.append(_scan_chunk(chunk, stems))
            chunk, size = [], 0
        chunk.append(t)
        size += len(t) + 1
    if chunk or not parts:
        parts.append(_scan_chunk(chunk, stems))
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate(col) for col in zip(*parts, strict=True))  # type: ignore[return-value]


def token_hashes_batch(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the casefolded words of many raw texts in a few numpy passes.

    Returns a flat ``uint64`` array and ``int64`` offsets: text ``i`` owns
    ``hashes[offsets[i]:offsets[i + 1]]``, equal to ``tokenize_article(text).hashes``.

    >>> h, off = token_hashes_batch(["Straße nach İzmir", "", "ok"])
    >>> off.tolist(), int(h[0]) == token_hash("straße".casefold())
    ([0, 3, 3, 4], True)
    """
    hashes, _, counts = _scan(list(texts))
    return hashes, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


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


def shingle_hashes_batch(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Word ``n``-gram hashes of many raw texts: a flat ``uint64`` array and ``int64`` offsets.

    Text ``i`` owns ``out[offsets[i]:offsets[i + 1]]``, equal to
    ``shingle_hashes(tokenize_article(text).hashes, n)``; no Python string per token.

    >>> h, off = shingle_hashes_batch(["a b c d", "a b", ""], 3)
    >>> off.tolist()
    [0, 2, 3, 3]
    """
    hashes, offsets = token_hashes_batch(texts)
    return _flat_shingles(hashes, offsets, n)


def _flat_shingles(t: np.ndarray, offsets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes`` of every text of a flat token-hash array, in one pass."""
    counts = np.diff(offsets)
    kept = np.where(counts >= n, counts - n + 1, np.minimum(counts, 1))
    m = len(t)
    vals = np.zeros(m, dtype=np.uint64)
    if m >= n:  # every window of the flat array; those crossing texts are dropped below
        vals[: m - n + 1] = shingle_hashes(t, n)
    for d in np.flatnonzero((counts > 0) & (counts < n)):  # short texts: one shorter shingle
        vals[offsets[d]] = shingle_hashes(t[offsets[d] : offsets[d + 1]], n)[0]
    # windows that run into the next text: the last counts - kept of each text (< n each)
    step = np.arange(max(n - 1, 0))
    spill = (offsets[:-1] + kept)[:, None] + step
    keep = np.ones(m, dtype=bool)
    keep[spill[step < (counts - kept)[:, None]]] = False
    return vals[keep], np.concatenate([[0], np.cumsum(kept)]).astype(np.int64)


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
