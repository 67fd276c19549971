"""Numbers and dates as values, so that ``$126 billion`` = ``126bn`` and ``twelve`` = ``12``.

A :class:`Mention` is one figure or date in an article: its value, its kind (``count``,
``pct``, ``money``; ``weekday``, ``monthday``, ``month``, ``year``, ``time``) and where it stands.
Two mentions say the same thing when their kinds agree and their values agree within 2 %
(a rounding, not a change).

>>> [(m.kind, m.value) for m in find_numbers("more than $126 billion, 3.5-3.7% and twelve ships")]
[('money', (126000000000.0, 126000000000.0)), ('pct', (3.5, 3.7)), ('count', (12.0, 12.0))]
>>> [(m.kind, m.value) for m in find_dates("on Wednesday, Feb. 12, and June 24-26 in 2025")]
[('weekday', 'wednesday'), ('monthday', (2, 12, 12)), ('monthday', (6, 24, 26)), ('year', 2025)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_MULT = {
    "trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
    "m": 1e6, "thousand": 1e3, "k": 1e3, "hundred": 1e2,
}  # fmt: skip
_CUR_SYMBOL = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CUR_WORD = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "crown": "crown", "crowns": "crown",
    "kronor": "crown", "marks": "mark", "mark": "mark", "francs": "franc", "florins": "florin",
    "dinars": "dinar", "thalers": "thaler", "ducats": "ducat", "rubles": "ruble",
    "roubles": "ruble", "hryvnias": "hryvnia", "rupees": "rupee", "yuan": "yuan",
}  # fmt: skip
_WORDNUM = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    r"(?<![\w\-./,])(?P<cur>US\$|[$£€¥])?\s?"
    rf"(?:(?P<a>{_NUM})(?:\s?(?:-|–|to)\s?(?P<b>{_NUM}))?"
    rf"|(?P<w>\b(?:{_WORDNUM})(?:-(?:{'|'.join(_UNITS)}))?\b))"
    r"(?:\s?(?P<mult>trillion|billion|million|thousand|hundred|bn|tn|mn|m|k)\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b))?"
    rf"(?:\s(?P<curw>{'|'.join(_CUR_WORD)})\b)?"
    r"(?P<tail>(?:st|nd|rd|th)\b|:\d|\s?[ap]\.?m\b\.?|[\w\-])?",
    re.IGNORECASE,
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?P<md>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:\s?[-–]\s?(?P<d2>\d{{1,2}}))?(?![\d:])"
    rf"|\b(?P<dd>\d{{1,2}})(?:\s?[-–]\s?(?P<dd2>\d{{1,2}}))?\s+(?P<dm>{_MONTH})\b"
    r"|\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
    # a year may end a sentence ("in 1985.") but not open a decimal or a thousands group
    r"|(?<![\w\-.,$£€])(?P<year>1[89]\d\d|20\d\d)"
    r"(?![\w\-%]|[.,]\d|\s?(?:%|per|bn|million|billion))"
    r"|\b(?P<hh>\d{1,2})(?::(?P<mm>\d\d))?\s?(?P<ampm>[ap])\.?m\b\.?"
    # a bare month ("in June"), never the month of a month-day ("of December 9") that the
    # first branch reads when the scan reaches it
    r"|\b(?:in|of|since|until|by|from) (?P<mon>January|February|April|June|July|August"
    r"|September|October|November|December)\b(?!\.?\s?\d)"
)
NUMBER_KINDS = ("count", "pct", "money")


@dataclass(frozen=True, slots=True)
class Mention:
    """One figure or date: ``value`` is comparable only between mentions of one ``kind``."""

    kind: str
    value: Any
    start: int
    end: int
    currency: str | None = None

    def same_as(self, other: Mention) -> bool:
        """Same kind and value (figures: within 2 %, ranges endpoint by endpoint)."""
        if self.kind in NUMBER_KINDS and other.kind in NUMBER_KINDS:
            # "126bn" (a count) and "$126 billion" (money) agree; a percentage is never money
            if ("pct" in (self.kind, other.kind)) and self.kind != other.kind:
                return False
            return _close(self.value, other.value) and (
                self.currency == other.currency or None in (self.currency, other.currency)
            )
        return self.kind == other.kind and bool(self.value == other.value)


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(x - y) <= 0.02 * max(abs(x), abs(y), 1e-9) for x, y in zip(a, b, strict=True))


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


def _word_value(word: str) -> float:
    parts = word.lower().split("-")
    value = _TENS.get(parts[0]) or _UNITS.get(parts[0], 0)
    return float(value + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0))


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Figures in ``text[start:end]``: counts, percentages and money; not years, dates, times."""
    out: list[Mention] = []
    stop = len(text) if end is None else end
    for m in _NUMBER.finditer(text, start, stop):
        mention = _number(m, text)
        if mention is not None:
            out.append(mention)
    return out


def _number(m: re.Match[str], text: str) -> Mention | None:
    if m.group("tail"):
        return None  # 26th, 11:30, 6 a.m., F16x: not a plain figure
    if m.group("w"):
        if m.group("w").lower() == "one":
            return None  # "one of them", "one official": a pronoun far more often than a figure
        low = high = _word_value(m.group("w"))
    else:
        low = _to_float(m.group("a"))
        high = _to_float(m.group("b")) if m.group("b") else low
        if _is_year_or_date(m, text, low):
            return None
    mult = _MULT.get((m.group("mult") or "").lower(), 1.0)
    cur = _CUR_SYMBOL.get((m.group("cur") or "").lower()) or _CUR_WORD.get(
        (m.group("curw") or "").lower()
    )
    kind = "pct" if m.group("pct") else "money" if cur else "count"
    s, e = m.span()
    while s < e and text[s].isspace():
        s += 1
    return Mention(kind, (low * mult, high * mult), s, e, cur)


def _is_year_or_date(m: re.Match[str], text: str, value: float) -> bool:
    plain = not (m.group("cur") or m.group("mult") or m.group("pct") or m.group("b"))
    if plain and "," not in m.group("a") and 1800 <= value <= 2099 and value.is_integer():
        return True
    before = text[max(0, m.start() - 12) : m.start()]
    return bool(re.search(rf"{_MONTH}\.?\s*$", before)) or bool(
        re.match(rf"\s+{_MONTH}\b", text[m.end() : m.end() + 12])
    )


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Weekdays, month-days (with ranges), months, years and clock times in ``text[start:end]``."""
    out = []
    for m in _DATE.finditer(text, start, len(text) if end is None else end):
        g = m.groupdict()
        if g["md"] or g["dm"]:
            month = _MONTHS[(g["md"] or g["dm"])[:3].lower()]
            d1, d2 = (g["d1"], g["d2"]) if g["md"] else (g["dd"], g["dd2"])
            if not 1 <= int(d1) <= 31:
                continue
            value: Any = (month, int(d1), int(d2 or d1))
            kind = "monthday"
        elif g["wd"]:
            kind, value = "weekday", g["wd"].lower()
        elif g["year"]:
            kind, value = "year", int(g["year"])
        elif g["hh"]:
            kind, value = "time", (int(g["hh"]) % 12, int(g["mm"] or 0), g["ampm"].lower())
        else:
            kind, value = "month", _MONTHS[g["mon"][:3].lower()]
        start_at = m.start("mon") if g["mon"] else m.start()
        out.append(Mention(kind, value, start_at, m.end()))
    return out
