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
from dataclasses import dataclass

import numpy as np

from newslineage.text.stopwords import STOPWORDS
from newslineage.text.tokens import JOINERS, MARKS, UNSPACED_SOLO, WORD_CHARS

# splitmix64 finaliser constants (Steele, Lea & Flood 2014, "Fast splittable PRNGs").
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
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


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser over a ``uint64`` array: a fast bijective avalanche mix."""
    x = np.asarray(x, dtype=np.uint64)
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def _mix64_owned(x: np.ndarray) -> np.ndarray:
    """``mix64`` in place on a ``uint64`` array the caller owns (one scratch array, not five)."""
    t = np.empty_like(x)
    for shift, mult in ((30, _M1), (27, _M2), (31, None)):
        np.right_shift(x, np.uint64(shift), out=t)
        x ^= t
        if mult is not None:
            x *= mult
    return x


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


# Bits of ``_TABLES["flags"]``: the character classes the scan needs besides "word or not".
_UPPER, _DIGIT, _SOLO, _MARK, _JOIN = 1, 2, 4, 8, 16


def _char_values() -> np.ndarray:
    """``c(casefold(x))`` of every code point ``x`` that a ``WORD_RE`` token may hold
    (``WORD_CHARS``), 0 for the others, ``_EXPANDS`` where casefold gives several characters
    (104 code points such as German ß, Turkish İ, ligatures). Built once (~0.1 s, 8.9 MB),
    with ``_TABLES["flags"]``: ``_UPPER`` (``str.isupper``) and ``_DIGIT`` (``str.isdigit``)
    of each word character, ``_SOLO``, ``_MARK``, ``_JOIN`` for the characters that cut or
    join words (``_word_spans``).

    Word classes survive casefolding and casefold is idempotent for every code point (checked
    in tests/unit/test_tokens.py), so casefolding then splitting equals splitting then
    casefolding each token.
    """
    tab = _TABLES.get("values")
    if tab is not None:
        return tab
    n = 0x110000
    chars = np.arange(n, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    fold = np.arange(n, dtype=np.uint64)
    expands = []
    for b in range(0, n, 256):  # by blocks: most are caseless
        block = chars[b : b + 256]
        if block.casefold() != block:
            for i, ch in enumerate(block):
                f = ch.casefold()
                if len(f) == 1:
                    fold[b + i] = ord(f)
                else:
                    expands.append(b + i)
    word = _class_mask(chars, WORD_CHARS)
    tab = np.where(word, mix64(fold + np.uint64(_K)), np.uint64(0))
    tab[expands] = _EXPANDS
    cps = np.flatnonzero(word)
    wchars = cps.astype(np.uint32).tobytes().decode("utf-32-le")
    flags = np.zeros(n, dtype=np.uint8)
    flags[cps] = np.fromiter((c.isupper() + 2 * c.isdigit() for c in wchars), np.uint8, len(cps))
    for bit, body in ((_SOLO, UNSPACED_SOLO), (_MARK, MARKS), (_JOIN, JOINERS)):
        flags[_class_mask(chars, body)] |= bit
    _TABLES["values"], _TABLES["flags"] = tab, flags
    return tab


def _class_mask(chars: str, body: str) -> np.ndarray:
    """Which code points (``chars`` holds them all, in order) the class ``[body]`` matches."""
    mask = np.zeros(len(chars), dtype=bool)
    for m in re.finditer(f"[{body}]+", chars):
        mask[m.start() : m.end()] = True
    return mask


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


def _encode(texts: list[str]) -> np.ndarray:
    """Code points of ``"\\n".join(texts)`` (one C call; lone surrogates kept as they are)."""
    return np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _text_ends(texts: list[str]) -> np.ndarray:
    """Offset of the separator after each text in ``"\\n".join(texts)``."""
    return np.cumsum(np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))) - 1


def _word_bounds(word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of every run of True in a boolean array."""
    padded = np.zeros(len(word) + 2, dtype=bool)  # a non-word character at both ends
    padded[1:-1] = word
    edge = np.flatnonzero(padded[1:] != padded[:-1])  # word starts and ends alternate
    return edge[0::2], edge[1::2]


def _word_spans(cps: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every ``WORD_RE`` token of some code points (``v``: their table
    values). Runs of word characters, unless a mark, joiner or unspaced-script character is
    present: all three are word characters above U+0300, so English or German text pays
    one comparison."""
    word = v != 0
    flags = _TABLES["flags"]
    high = cps >= 0x300
    high &= word  # curly quotes and dashes are no word characters: English skips the take
    if not high.any() or not (flags.take(cps[high]) & (_SOLO | _MARK | _JOIN)).any():
        return _word_bounds(word)
    f = np.zeros(len(cps) + 1, dtype=np.uint8)  # one non-word character past the end
    f[:-1] = flags.take(cps)
    word = np.append(word, False)
    solo = np.flatnonzero(f & _SOLO)
    solo_end = _after_marks(solo + 1, f)  # first character after each solo token
    _drop_stray(word, f, solo_end)
    # cut before every solo character and after its token, where a word goes on
    after = solo_end[word[solo_end] & ~(f[solo_end] & _SOLO).astype(bool)]
    cuts = np.concatenate([solo[word[solo - 1] & (solo > 0)], after])
    starts, ends = _word_bounds(word[:-1])
    if not len(cuts):
        return starts, ends
    return np.sort(np.concatenate([starts, cuts])), np.sort(np.concatenate([ends, cuts]))


def _after_marks(at: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Each position of ``at`` moved past the marks that begin there."""
    at = at.copy()
    while len(at):
        more = (f.take(at) & _MARK).astype(bool)
        if not more.any():
            break
        at[more] += 1
    return at


def _drop_stray(word: np.ndarray, f: np.ndarray, solo_end: np.ndarray) -> None:
    """Unmark (in place) marks that follow no word character and joiners that are not
    between two word pieces (a joiner right after a solo token, or before a solo character,
    a non-word character or the end). Repeated until stable: runs of them are rare."""
    word[solo_end[(f.take(solo_end) & _JOIN).astype(bool)]] = False
    odd = np.flatnonzero(word & (f & (_MARK | _JOIN)).astype(bool))
    while len(odd):
        left = word[odd - 1] & (odd > 0)
        is_join = (f[odd] & _JOIN).astype(bool)
        right = word[odd + 1] & ~(f[odd + 1] & _SOLO).astype(bool)
        bad = ~left | (is_join & ~right)
        if not bad.any():
            break
        word[odd[bad]] = False
        odd = odd[~bad]


@dataclass(frozen=True, slots=True)
class _Scan:
    """Words of a batch of texts, flat; the optional columns only when asked for."""

    hashes: np.ndarray  # uint64 hash of each casefolded word
    counts: np.ndarray  # int64 words per text
    stems: np.ndarray | None = None  # uint64 hash of the first STEM_PREFIX characters
    lengths: np.ndarray | None = None  # int64 characters of the casefolded word
    upper: np.ndarray | None = None  # bool: first character upper case in the original
    numeric: np.ndarray | None = None  # bool: a digit anywhere in the word
    solo: np.ndarray | None = None  # bool: one character of an unspaced script (CJK, Thai)


def _scan_chunk(texts: list[str], full: bool) -> _Scan:
    """Word hashes of some texts (``full``: every column of ``_Scan``)."""
    tab = _char_values()
    original = cps = _encode(texts)
    v = tab.take(cps)
    odd = np.flatnonzero(v == _EXPANDS)
    if len(odd):  # rare: casefold the texts that hold ß, İ, ﬁ ... in Python, then redo
        redo = set(np.searchsorted(_text_ends(texts), odd).tolist())
        texts = [t.casefold() if i in redo else t for i, t in enumerate(texts)]
        cps = _encode(texts)
        v = tab.take(cps)
    n = len(v)
    w_start, w_end = _word_spans(cps, v)
    pw, inv = _powers(n)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(v * pw[:n], out=prefix[1:])
    # the hash of v[s:e] is (prefix[e] - prefix[s]) * P**-s: positions restart at each word
    shift = inv.take(w_start)
    first = prefix.take(w_start)
    hashes = _mix64_owned((prefix.take(w_end) - first) * shift)
    counts = np.searchsorted(w_start, _text_ends(texts))
    counts[1:] -= counts[:-1].copy()
    if not full:
        return _Scan(hashes, counts)
    stems = _mix64_owned((prefix.take(np.minimum(w_end, w_start + STEM_PREFIX)) - first) * shift)
    flags = _TABLES["flags"]
    numeric = np.zeros(len(w_start), dtype=bool)
    digit_at = np.flatnonzero(flags.take(cps) & _DIGIT)  # few: mark the words that hold them
    numeric[np.searchsorted(w_start, digit_at, side="right") - 1] = True
    # casefolding kept every word (same count and order), so the original word starts give
    # the original first characters
    o_start = w_start if original is cps else _word_spans(original, tab.take(original))[0]
    first = flags.take(original.take(o_start))
    upper, solo = (first & _UPPER).astype(bool), (first & _SOLO).astype(bool)
    return _Scan(hashes, counts, stems, w_end - w_start, upper, numeric, solo)


def _scan(texts: list[str], full: bool = False) -> _Scan:
    """``_scan_chunk`` over chunks of about ``_CHUNK`` code points."""
    parts, chunk, size = [], [], 0
    for t in texts:
        if chunk and size + len(t) > _CHUNK:
            parts.append(_scan_chunk(chunk, full))
            chunk, size = [], 0
        chunk.append(t)
        size += len(t) + 1
    if chunk or not parts:
        parts.append(_scan_chunk(chunk, full))
    if len(parts) == 1:
        return parts[0]
    cols = [getattr(parts[0], f) for f in _Scan.__slots__]
    return _Scan(
        *(
            None if c is None else np.concatenate([getattr(p, f) for p in parts])
            for f, c in zip(_Scan.__slots__, cols, strict=True)
        )
    )


def token_hashes_batch(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the casefolded words of many raw texts in a few numpy passes.

    Returns a flat ``uint64`` array and ``int64`` offsets: text ``i`` owns
    ``hashes[offsets[i]:offsets[i + 1]]``, equal to ``tokenize_article(text).hashes``.

    >>> h, off = token_hashes_batch(["Straße nach İzmir", "", "ok"])
    >>> off.tolist(), int(h[0]) == token_hash("straße".casefold())
    ([0, 3, 3, 4], True)
    """
    s = _scan(list(texts))
    return s.hashes, np.concatenate([[0], np.cumsum(s.counts)]).astype(np.int64)


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
    return _mix64_owned(acc)


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


def _stopword_hashes() -> np.ndarray:
    got = _TABLES.get("stopwords")
    if got is None:
        got = np.fromiter((token_hash(w.casefold()) for w in STOPWORDS), np.uint64)
        got = _TABLES["stopwords"] = np.unique(got)
    return got


def _is_stopword(hashes: np.ndarray) -> np.ndarray:
    stop = _stopword_hashes()
    at = np.minimum(np.searchsorted(stop, hashes), len(stop) - 1)
    return stop.take(at) == hashes


def tokenize_articles(
    items: list[tuple[str, tuple[tuple[int, int], ...]]],
) -> list[ArticleTokens]:
    """``tokenize_article`` of many ``(text, sentences)`` at once: one numpy scan for all."""
    pieces: list[str] = []
    n_spans = np.empty(len(items), dtype=np.int64)
    for i, (text, sentences) in enumerate(items):
        spans = sentences if sentences else ((0, len(text)),)
        pieces.extend(text[s:e] for s, e in spans)  # tokens never cross a sentence edge
        n_spans[i] = len(spans)
    scan = _scan(pieces, full=True)
    # length floors are for spaced words: one CJK or Thai character is a word of its own
    short = (scan.lengths <= 1) & ~scan.solo  # type: ignore[operator]
    content = scan.numeric | ~(short | _is_stopword(scan.hashes))  # type: ignore[operator]
    longish = (scan.lengths > 2) | scan.solo  # type: ignore[operator]
    cols = (scan.hashes, scan.stems, scan.upper, content, scan.numeric, longish)
    span_end = np.cumsum(n_spans)
    tok_end = np.concatenate([[0], np.cumsum(scan.counts)])[span_end]
    out = []
    for i, n in enumerate(n_spans.tolist()):
        lo, hi = (tok_end[i - 1] if i else 0), tok_end[i]
        counts = scan.counts[span_end[i] - n : span_end[i]]
        out.append(ArticleTokens(
            *(c[lo:hi] for c in cols),  # type: ignore[index]
            sentence_of=np.repeat(np.arange(n, dtype=np.int32), counts),
            n_sentences=n,
        ))  # fmt: skip
    return out


def tokenize_article(text: str, sentences: tuple[tuple[int, int], ...] = ()) -> ArticleTokens:
    """Tokenise ``text`` sentence by sentence (tokens outside any sentence are ignored).

    Without sentence offsets the whole text is one sentence: shingles still work.
    """
    return tokenize_articles([(text, sentences)])[0]
