"""Canonical text: the one string every offset of an article points into.

>>> normalize_text("Cafe\\u0301\\r\\nsoft\\u00adhyphen  and\\u00a0space ")
'Café\\nsofthyphen and space'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_quotes", "keyword_form", "normalize_chars", "normalize_text"]

# invisible characters scrapers leave behind (zero-width space, BOM, soft hyphen, word joiner);
# ZWNJ/ZWJ are kept: they carry meaning in Urdu, Persian and Arabic script
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad\u2060]")
# Runs of horizontal white space that are not already one plain space: rewriting every single
# space as itself cost a third of normalize_text on 600-word articles (profiled).
_HSPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
# every white-space character (str.isspace, over all of Unicode) but " " and "\n": a text
# without them and without "  " has nothing for _HSPACE to change
ODD_SPACES = (
    "\t\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_ASCII_ODD_SPACES = ODD_SPACES[:8]
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)


def normalize_text(text: str) -> str:
    """NFC, LF line ends, one space between words, at most one blank line, trimmed."""
    text = normalize_chars(text)
    odd = _ASCII_ODD_SPACES if text.isascii() else ODD_SPACES
    if "  " in text or any(ch in text for ch in odd):
        text = _HSPACE.sub(" ", text)
    # the substring checks skip a regex pass over the whole text in the common case
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def normalize_chars(text: str) -> str:
    """NFC, LF line ends and no invisible characters; spacing is left alone (safe for HTML)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return _INVISIBLE.sub("", text) if not text.isascii() else text


def fold_quotes(text: str) -> str:
    """Curly and angle quotes to straight ones; the length never changes.

    >>> fold_quotes("“Hi,” he said’s")
    '"Hi," he said\\'s'
    """
    return text.translate(_QUOTES)


# Characters that re.IGNORECASE matches to a letter although str.lower() turns them into
# something else ("İ" -> "i̇", "ı", "ſ"): found by testing every code point against the
# letters of the keywords in extract/clean.py and extract/credits.py (Latin, Polish,
# Turkish, German, Arabic script).
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f")


def keyword_form(text: str) -> str | None:
    """``text`` in lower case for keyword tests that gate a slow case-insensitive regex.

    If a ``re.IGNORECASE`` pattern matches ``text``, every lower-case literal the match must
    contain is ``in`` the result; None when a character could break that promise.

    >>> keyword_form("Support Our NEWSROOM")
    'support our newsroom'
    >>> keyword_form("KATKIDA BULUNDU: ÇEVİRİ") is None
    True
    """
    if not text.isascii() and any(trap in text for trap in _CASE_TRAPS):
        return None
    return text.lower()
