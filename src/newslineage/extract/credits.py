"""Credit lines: who the text says it came from (wire agencies, translators, named sources).

>>> find_credits("BRUSSELS (AP) — Allies met.\\nThe Associated Press contributed to this report.")
('AP',)
>>> find_credits("(Reuters) - Talks ended.\\nTranslation by Jane Roe\\nSource: Kyiv Independent")
('Reuters', 'translation: Jane Roe', 'Kyiv Independent')
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newslineage.text.normalize import keyword_form

__all__ = ["find_credits"]

# Agency names as written -> the label newslineage uses.
_AGENCIES = {
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "upi": "UPI",
    "efe": "EFE",
    "ansa": "ANSA",
    "anadolu": "Anadolu",
    "aa": "AA",
    "pap": "PAP",
    "kyodo": "Kyodo",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "bloomberg": "Bloomberg",
    "europa press": "Europa Press",
    "apa": "APA",
    "kna": "KNA",
    "epd": "epd",
    "app": "APP",
    "wam": "WAM",
    "spa": "SPA",
}
# "BRUSSELS (AP) —", "Berlin (dpa) -", "KYIV, Ukraine (AP) —", "(Reuters) -", "Madrid (EFE).-"
_DATELINE = re.compile(
    r"^(?P<city>[^\W\d_][\w.'’ /-]{0,40}?(?:,\s*[\w.’' -]{1,40}?)?\s*)?"
    r"\((?P<agency>[^\W\d_][\w .&-]{0,30}?)\)\s*[.,]?\s*[—–-]",
    re.MULTILINE,
)
_CONTRIBUTED = re.compile(
    r"\b(?P<agency>(?:The )?Associated Press|Reuters|AFP|Agence France-Presse|dpa|Bloomberg|EFE)"
    r"\b[^\n]{0,160}?\bcontributed\b",
)
_WITH_AGENCY = re.compile(
    r"\((?:with|mit|con|ile|z) (?P<agency>[A-Za-z][\w .-]{1,30}?)\)\s*$", re.MULTILINE
)
_TRANSLATION = re.compile(
    r"^(?:translation|translated(?: from \w+)?|übersetzung|übersetzt|traducción|traducido|çeviri"
    r"|tłumaczenie|tłumaczył[a]?|ترجمة|ترجمہ)(?: by| von| por| de|:)\s*:?\s*(?P<who>[^\n]{2,80}?)[.\s]*$",
    re.MULTILINE | re.IGNORECASE,
)
# the words every _TRANSLATION / _SOURCE match holds (lower case): a text holding none of
# them skips that scan
_TRANSLATION_WORDS = ("translat", "übersetz", "traduc", "çeviri", "tłumacz", "ترجم")
_SOURCE_WORDS = ("source", "quelle", "fuente", "kaynak", "źródło", "المصدر", "ماخذ")
_SOURCE = re.compile(
    r"^(?:source|sources|quelle|fuente|kaynak|źródło|المصدر|ماخذ)\s*:\s*(?P<who>[^\n]{2,80}?)[.\s]*$",
    re.MULTILINE | re.IGNORECASE,
)


def _line_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that starts with ``^`` (MULTILINE).

    Trying the pattern only where a line starts gives the same matches as ``finditer``, which
    tries every character: ~20 µs instead of ~100 µs per regex on a 600-word article.
    """
    position = 0
    end = 0  # where the last match ended: finditer never returns overlapping matches
    while position >= 0:
        if position >= end:
            m = pattern.match(text, position)
            if m:
                yield m
                end = m.end()
        position = text.find("\n", position)
        position = position + 1 if position >= 0 else -1


def find_credits(text: str) -> tuple[str, ...]:
    """Credits named in ``text``, deduplicated, in the order they first appear."""
    found: list[tuple[int, str]] = []
    datelines = _line_matches(_DATELINE, text) if "(" in text else ()
    for m in datelines:
        city = m.group("city")
        # an unknown name counts only after an all-caps city: "WASHINGTON (CNN) —"
        label = _agency(m.group("agency"), strict=bool(city) and not city.split(",")[0].isupper())
        if label:
            found.append((m.start(), label))
    for pattern in (_CONTRIBUTED, _WITH_AGENCY):
        if pattern is _CONTRIBUTED and "contributed" not in text:
            continue  # the word every match holds; the scan is the slow part
        for m in pattern.finditer(text):
            label = _agency(m.group("agency"), strict=True)
            if label:
                found.append((m.start(), label))
    low = keyword_form(text)
    if low is None or any(word in low for word in _TRANSLATION_WORDS):
        for m in _line_matches(_TRANSLATION, text):
            found.append((m.start(), "translation: " + m.group("who").strip()))
    sources = (
        _line_matches(_SOURCE, text)
        if ":" in text and (low is None or any(word in low for word in _SOURCE_WORDS))
        else ()
    )
    for m in sources:
        who = _source_name(m.group("who"))
        if who:
            found.append((m.start(), who))
    seen: dict[str, None] = {}
    for _, label in sorted(found, key=lambda pair: pair[0]):
        seen.setdefault(label, None)
    return tuple(seen)


def _agency(name: str, *, strict: bool) -> str | None:
    """The label of an agency name; unknown names count only as short all-caps datelines."""
    name = " ".join(name.split())
    label = _AGENCIES.get(name.lower())
    if label or strict:
        return label
    return name if name.isupper() and 2 <= len(name) <= 8 else None


def _source_name(value: str) -> str | None:
    value = value.strip().strip("\"'“”")
    if value.lower().startswith(("http://", "https://", "www.")):
        from newslineage.extract.links import registrable_domain

        return registrable_domain(value)
    return value or None
