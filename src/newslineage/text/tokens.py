"""Word-token patterns, defined once for every stage.

Two patterns, for two different jobs:

- ``TOKEN_RE`` (alignment, passages, story features, cross-language anchors): numbers keep
  their inner separators ("3.5", "126,000"); words are runs of letters, so "Hegseth’s" gives
  "Hegseth" + "s" and the possessive falls below the length floors of those stages.
- ``WORD_RE`` (the index: token hashes, MinHash, sentence fingerprints): Unicode ``\\w`` runs
  plus combining marks, mirrored character for character by the numpy scan of
  ``index.tokens``; changing it changes every saved index.

>>> TOKEN_RE.findall("Hegseth’s 126,000 troops")
['Hegseth', 's', '126,000', 'troops']
>>> WORD_RE.findall("Hegseth’s 126,000")
['Hegseth', 's', '126', '000']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TOKEN_RE", "WORD_RE", "word_tokens"]

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


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
