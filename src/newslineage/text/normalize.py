"""Canonical text: the one string every offset of an article points into.

>>> normalize_text("Cafe\\u0301\\r\\nsoft\\u00adhyphen  and\\u00a0space ")
'Café\\nsofthyphen and space'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_quotes", "normalize_chars", "normalize_text"]

# invisible characters scrapers leave behind (zero-width space, BOM, soft hyphen, word joiner);
# ZWNJ/ZWJ are kept: they carry meaning in Urdu, Persian and Arabic script
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad\u2060]")
_HSPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)


def normalize_text(text: str) -> str:
    """NFC, LF line ends, one space between words, at most one blank line, trimmed."""
    text = _HSPACE.sub(" ", normalize_chars(text))
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def normalize_chars(text: str) -> str:
    """NFC, LF line ends and no invisible characters; spacing is left alone (safe for HTML)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE.sub("", text)


def fold_quotes(text: str) -> str:
    """Curly and angle quotes to straight ones; the length never changes.

    >>> fold_quotes("“Hi,” he said’s")
    '"Hi," he said\\'s'
    """
    return text.translate(_QUOTES)
