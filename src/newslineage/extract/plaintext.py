"""Plain-text articles: a leading metadata token, a headline line, and the body.

Only what the text itself says is taken: a ``date 2025-02-11`` token at the very start sets
the publication date, a first line that looks like a headline becomes the title. Nothing
else is guessed.

>>> p = split_plaintext(" date 2025-02-11 BRUSSELS (AP) — Allies met.")
>>> (p.title, p.published.isoformat(), p.text)
(None, '2025-02-11T00:00:00+00:00', 'BRUSSELS (AP) — Allies met.')
>>> split_plaintext("Allies meet in Brussels\\nThe allies met on Monday.").title
'Allies meet in Brussels'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from newslineage.extract.html import parse_date
from newslineage.text.sentences import split_sentences

__all__ = ["PlainParts", "looks_like_headline", "split_plaintext", "unreadable_date_token"]

# "date 2025-02-11", "published: 2025-02-11T10:00:00Z", "Datum 2025-02-11", "fecha 2025-02-11"
_DATE_TOKEN = re.compile(
    r"^\s*(?:date|dated|published|pubdate|datum|fecha|tarih|data)\s*[:=]?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?=\s|$)[^\S\n]*\n?",
    re.IGNORECASE,
)
# "BRUSSELS (AP) —", "Berlin (dpa) -", "KYIV, Ukraine —": a dateline opens the body
_DATELINE = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}(?:,[^—–(\n]{1,40})?\s*(?:\([^)]{1,30}\))?\s*[—–-]"
    r"|^[^\W\d_][\w.'’ -]{0,40}?\s*\([^)]{1,30}\)\s*[—–-]"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MAX_HEADLINE_WORDS = 20
_SENTENCE_END = (".", ",", ";", ":")


@dataclass(frozen=True, slots=True)
class PlainParts:
    """A plain-text file split into headline, date and body (offsets are into ``text``)."""

    text: str
    title: str | None = None
    published: datetime | None = None


def split_plaintext(body: str) -> PlainParts:
    """Take a leading date token and a headline line off a plain text; the rest is the body."""
    published = None
    m = _DATE_TOKEN.match(body)
    if m:
        published = parse_date(m.group("date"))
        if published is not None:
            body = body[m.end() :]
    body = body.strip()
    first, sep, rest = body.partition("\n")
    first = _MD_HEADING.sub("", first.strip())  # a Markdown "# Headline" is a headline
    if sep and rest.strip() and looks_like_headline(first):
        return PlainParts(rest.strip(), first, published)
    return PlainParts(body, None, published)


def unreadable_date_token(body: str) -> str | None:
    """The leading ``date ...`` token's date when it cannot be read (so it stays in the text).

    >>> unreadable_date_token("date 9999-12-31T23:59:59-23:59 Body.")
    '9999-12-31T23:59:59-23:59'
    """
    m = _DATE_TOKEN.match(body)
    if m is None or parse_date(m.group("date")) is not None:
        return None
    return m.group("date")


def looks_like_headline(line: str) -> bool:
    """Short, not ending like a sentence, not a dateline: "NATO summit 2025: U.S. stance"."""
    line = line.strip()
    words = line.split()
    if not 2 <= len(words) <= _MAX_HEADLINE_WORDS:
        return False
    if line.endswith(_SENTENCE_END) or line[0].islower() or _DATELINE.match(line):
        return False
    # several sentences on one line are a paragraph, not a headline
    return len(split_sentences(line)) == 1
