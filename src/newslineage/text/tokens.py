"""Word-token patterns, defined once for every stage and every script.

Two patterns, for two different jobs:

- ``TOKEN_RE`` (alignment, passages, story features, cross-language anchors): numbers keep
  their inner separators ("3.5", "126,000", Arabic "٣٫٥"); words are runs of letters, so
  "Hegseth’s" gives "Hegseth" + "s" and the possessive falls below the length floors of those
  stages. Any script: combining marks (Urdu/Arabic vowel signs, Devanagari matras and virama)
  and a ZWNJ/ZWJ between letters (Persian/Urdu "می‌خواهم") stay inside their word; scripts
  written without spaces between words (CJK ideographs, kana, Thai, Lao, Khmer, Myanmar) give
  one token per character, with its marks (see ``UNSPACED``). Hangul is written with spaces
  and keeps whole words.
- ``WORD_RE`` (the index: token hashes, MinHash, sentence fingerprints, story terms): Unicode
  ``\\w`` runs, so "126,000" is two tokens and "x_y" one, cut like ``TOKEN_RE`` in every
  other respect: combining marks continue a word, a ZWNJ/ZWJ joins two word pieces, and an
  unspaced-script character (with its marks) is a token of its own. Mirrored character for
  character by the numpy scan of ``index.tokens``; changing it changes every saved index.

>>> TOKEN_RE.findall("Hegseth’s 126,000 troops")
['Hegseth', 's', '126,000', 'troops']
>>> TOKEN_RE.findall("مِیں نے ۱۲۳ کہا، 東京都 हिन्दी")
['مِیں', 'نے', '۱۲۳', 'کہا', '東', '京', '都', 'हिन्दी']
>>> WORD_RE.findall("Hegseth’s 126,000 می\\u200cخواهم 東京")
['Hegseth', 's', '126', '000', 'می\\u200cخواهم', '東', '京']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "JOINERS", "LETTERS", "MARKS", "TOKEN_RE", "UNSPACED", "UNSPACED_CHAR", "UNSPACED_SOLO",
    "WORD_CHARS", "WORD_RE", "is_unspaced", "number_key", "word_tokens",
]  # fmt: skip


def _ranges(cps: list[int]) -> str:
    """A regex character-class body for ascending code points, as ``\\Uxxxxxxxx`` ranges."""
    out: list[tuple[int, int]] = []
    for cp in cps:
        if out and cp == out[-1][1] + 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in out)


def _all_marks() -> str:
    """Every combining mark (category M*): Python's ``re`` has no ``\\p{M}`` and its ``\\w``
    leaves marks out, so vowelled Arabic/Urdu, Hindi or Thai words would fall apart at every
    vowel sign. Marks live below U+20000 and in the variation selectors (16 ms to scan)."""
    cat = unicodedata.category
    cps = [*range(0x0300, 0x20000), *range(0xE0100, 0xE01F0)]
    return _ranges([cp for cp in cps if cat(chr(cp))[0] == "M"])


# Scripts written without spaces between words: one token per character. Characters, not
# bigrams or a dictionary segmentation: tokens keep disjoint offsets (passages, alignment),
# and every stage's word n-grams become the character n-grams that near-duplicate detection
# for Chinese and Japanese uses (3-gram shingles = character trigrams). Ideographs carry
# meaning one by one; a Thai character with its marks is the smallest unit that never cuts
# inside a syllable without a word list.
UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303c"  # CJK radicals, 々〆〇, Hangzhou
    "\u3040-\u30ff\u31f0-\u31ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # CJK ideographs beyond the BMP
)
MARKS = _all_marks()
JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: inside Persian, Urdu, Indic words


def _unspaced_solo() -> str:
    """The ``UNSPACED`` characters that begin a token: word characters, but not the marks
    (they stay with the character before) nor decimal digits (Thai "๑๒" is one number).
    Thai and Myanmar full stops, Kangxi radicals as symbols: no token."""
    out = []
    for i in range(0, len(UNSPACED), 3):  # UNSPACED is "a-b" ranges only
        lo, hi = ord(UNSPACED[i]), ord(UNSPACED[i + 2])
        block = "".join(map(chr, range(lo, hi + 1)))
        out += [f"{chr(lo + m.start())}-{chr(lo + m.end() - 1)}"
                for m in re.finditer(r"[^\W\d]+", block)]  # \w holds no marks  # fmt: skip
    return "".join(out)


UNSPACED_SOLO = _unspaced_solo()
_LETTER = rf"[^\W\d_{UNSPACED}]"
# Marks and joiners are only looked for before a non-ASCII character: the astral ranges of
# the mark class made every word end 50% slower to scan on English text, the guard 20%.
_NON_ASCII = r"(?=[^\x00-\x7f])"
# TOKEN_RE's words, for stages that build their own pattern around the same words (drift's
# tokens add "U.S.", "pre-2014" and currency signs): a word of a spaced script, and one
# character of an unspaced script with its marks.
LETTERS = rf"{_LETTER}+(?:{_NON_ASCII}(?:[{MARKS}]+{_LETTER}*|[{JOINERS}]+[{MARKS}]*{_LETTER}+))*"
UNSPACED_CHAR = rf"[{UNSPACED_SOLO}][{MARKS}]*"
TOKEN_RE = re.compile(
    r"\d+(?:[.,\u066b\u066c]\d+)*"  # numbers in any script; ٫ ٬ Arabic decimal/thousands
    rf"|{LETTERS}|{UNSPACED_CHAR}"
)
_SOLO_RE = re.compile(f"[{UNSPACED_SOLO}]")

# The index's tokens: ``\w`` runs as before (digits and "_" inside words; the numpy scan and
# every saved index depend on it), cut by TOKEN_RE's rules for marks, joiners and unspaced
# scripts. A word begins with a word character (never a mark or joiner), marks continue it,
# a joiner run stays only between two word pieces, and ``UNSPACED_SOLO`` characters stand
# alone with their marks. On text without marks, joiners or unspaced scripts (English,
# German...) the tokens are the old ``[\w]+`` runs, byte for byte.
WORD_CHARS = rf"\w{MARKS}{JOINERS}"  # class body: every character a WORD_RE token may hold
_INDEX_LETTER = rf"[^\W{UNSPACED_SOLO}]"
_INDEX_PIECE = rf"(?:{_INDEX_LETTER}|[{MARKS}])"
WORD_RE = re.compile(
    rf"{_INDEX_LETTER}+(?:{_NON_ASCII}(?:[{MARKS}]+{_INDEX_LETTER}*|[{JOINERS}]+{_INDEX_PIECE}+))*"
    rf"|{UNSPACED_CHAR}"
)


def is_unspaced(token: str) -> bool:
    """Whether ``token`` is one character of a script written without spaces (CJK, Thai):
    length floors meant for spaced words ("drop words under 3 letters") should not drop it.

    >>> is_unspaced("京"), is_unspaced("ok"), is_unspaced("๑๒")
    (True, False, False)
    """
    return _SOLO_RE.match(token) is not None


_SEPARATORS = dict.fromkeys(map(ord, ".,\u066b\u066c"))  # ٫ ٬ Arabic decimal, thousands


def number_key(token: str) -> str:
    """The key that makes one number equal across scripts and separator conventions: "#"
    plus its digits in ASCII. "126,000" = "126.000" (German) = "۱۲۶٬۰۰۰"; "3.5" = "3,5".

    >>> number_key("1,200"), number_key("۱۲۰۰"), number_key("٣٫٥")
    ('#1200', '#1200', '#35')
    """
    if not token.isascii():  # digits of any script as ASCII (str.isdecimal: what \d matches)
        token = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in token)
    return "#" + token.translate(_SEPARATORS)


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every ``TOKEN_RE`` word or number in ``text``.

    >>> word_tokens("NATO met 3.5")
    [('NATO', 0, 4), ('met', 5, 8), ('3.5', 9, 12)]
    """
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
