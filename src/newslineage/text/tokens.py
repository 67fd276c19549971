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
- ``WORD_RE`` (the index: token hashes, MinHash, sentence fingerprints): Unicode ``\\w`` runs
  plus combining marks, mirrored character for character by the numpy scan of
  ``index.tokens``; changing it changes every saved index.

>>> TOKEN_RE.findall("Hegseth’s 126,000 troops")
['Hegseth', 's', '126,000', 'troops']
>>> TOKEN_RE.findall("مِیں نے ۱۲۳ کہا، 東京都 हिन्दी")
['مِیں', 'نے', '۱۲۳', 'کہا', '東', '京', '都', 'हिन्दी']
>>> WORD_RE.findall("Hegseth’s 126,000")
['Hegseth', 's', '126', '000']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TOKEN_RE", "UNSPACED", "WORD_RE", "is_unspaced", "word_tokens"]


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
_MARKS = _all_marks()
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: inside Persian, Urdu, Indic words
_LETTER = rf"[^\W\d_{UNSPACED}]"
# Marks and joiners are only looked for before a non-ASCII character: the astral ranges of
# the mark class made every word end 50% slower to scan on English text, the guard 20%.
_NON_ASCII = r"(?=[^\x00-\x7f])"
TOKEN_RE = re.compile(
    r"\d+(?:[.,\u066b\u066c]\d+)*"  # numbers in any script; ٫ ٬ Arabic decimal/thousands
    rf"|{_LETTER}+(?:{_NON_ASCII}(?:[{_MARKS}]+{_LETTER}*|[{_JOINERS}]+[{_MARKS}]*{_LETTER}+))*"
    rf"|[{UNSPACED}][{_MARKS}]*"
)
_UNSPACED_RE = re.compile(f"[{UNSPACED}]")


def is_unspaced(token: str) -> bool:
    """Whether ``token`` is one character of a script written without spaces (CJK, Thai):
    length floors meant for spaced words ("drop words under 3 letters") should not drop it.

    >>> is_unspaced("京"), is_unspaced("ok")
    (True, False)
    """
    return _UNSPACED_RE.match(token) is not None


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every ``TOKEN_RE`` word or number in ``text``.

    >>> word_tokens("NATO met 3.5")
    [('NATO', 0, 4), ('met', 5, 8), ('3.5', 9, 12)]
    """
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


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
