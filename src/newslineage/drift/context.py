"""What every pair detector shares: the two articles compared, their facts computed once per
text, one aligned unit of each, and the finding they build.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ..model import Article, Finding
from .facts import Mention, find_dates, find_numbers
from .quotes import find_quotes
from .tokens import Token, is_sentence_start, tokenize

SEVERITY = {
    "number_changed": "high",
    "date_changed": "medium",
    "title_changed": "medium",
    "quote_altered": "medium",
    "negation_flipped": "high",
}


@dataclass(frozen=True, slots=True)
class Side:
    """One article seen by the detectors: its text, tokens of the aligned unit, quotes."""

    article: Article
    tokens: list[Token]
    start: int
    end: int


class TextFacts:
    """What the detectors need of one text, computed once and only when first asked for: a
    story's original meets every copy of it, and each of its sentences would otherwise be
    tokenised again per pair; an article with no source of its own is only checked for quotes
    and negations, so its figures, dates and names are never looked for."""

    __slots__ = ("_cache", "starts", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self._cache: dict[str, object] = {}

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens inside ``[start, end)`` (a sentence: its bounds fall between words)."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end, lo)
        return [t for t in self.tokens[lo:hi] if t.end <= end]

    def _get(self, name: str, make):
        got = self._cache.get(name)
        if got is None:
            got = self._cache[name] = make()
        return got

    @property
    def norms(self) -> frozenset[str]:
        return self._get("norms", lambda: frozenset(t.norm for t in self.tokens))

    @property
    def numbers(self) -> list[Mention]:
        return self._get("numbers", lambda: find_numbers(self.text))

    @property
    def dates(self) -> list[Mention]:
        return self._get("dates", lambda: find_dates(self.text))

    @property
    def quotes(self) -> list[tuple[int, int]]:
        return self._get("quotes", lambda: find_quotes(self.text))

    @property
    def midcaps(self) -> frozenset[str]:
        return self._get("midcaps", lambda: _midcaps(self.text, self.tokens))

    @property
    def lower(self) -> frozenset[str]:
        return self._get(
            "lower", lambda: frozenset(t.norm for t in self.tokens if not t.capitalised)
        )


#: texts kept: a large story's members plus their sources (each entry is a few hundred KB)
_FACTS_CACHE = 512


@lru_cache(maxsize=_FACTS_CACHE)
def _text_facts(text: str) -> TextFacts:
    return TextFacts(text)


@dataclass(frozen=True, slots=True)
class Context:
    """One comparison: the two articles and their facts (whole-text sets used as alibis)."""

    src: Article
    der: Article
    strict: bool
    src_facts: TextFacts
    der_facts: TextFacts

    # the detectors read the facts under these names
    src_norms = property(lambda self: self.src_facts.norms)
    der_norms = property(lambda self: self.der_facts.norms)
    src_numbers = property(lambda self: self.src_facts.numbers)
    der_numbers = property(lambda self: self.der_facts.numbers)
    src_dates = property(lambda self: self.src_facts.dates)
    der_dates = property(lambda self: self.der_facts.dates)
    src_quotes = property(lambda self: self.src_facts.quotes)
    der_quotes = property(lambda self: self.der_facts.quotes)
    src_midcaps = property(lambda self: self.src_facts.midcaps)
    der_midcaps = property(lambda self: self.der_facts.midcaps)
    src_lower = property(lambda self: self.src_facts.lower)
    der_lower = property(lambda self: self.der_facts.lower)


def _midcaps(text: str, tokens: list[Token]) -> frozenset[str]:
    """Words the text capitalises in mid-sentence: its names."""
    return frozenset(
        t.norm for t in tokens if t.capitalised and not is_sentence_start(text, t.start)
    )


def pair_context(source: Article, derived: Article, strict: bool) -> Context:
    """One comparison, with each text's facts taken from the cache shared by all pairs."""
    return Context(source, derived, strict, _text_facts(source.text), _text_facts(derived.text))


def make_finding(
    ctx: Context, kind: str, message: str, sspan: tuple[int, int], dspan: tuple[int, int],
    severity: str | None = None, **detail: object,
) -> Finding:  # fmt: skip
    return Finding(
        kind=kind,
        article=ctx.der.id,
        message=message,
        severity=severity or SEVERITY.get(kind, "medium"),
        source_article=ctx.src.id,
        source_span=sspan,
        derived_span=dspan,
        detail={k: v for k, v in detail.items() if v is not None},
    )


def in_quote(pos: int, quotes: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls inside one of the quote spans."""
    return any(s <= pos < e for s, e in quotes)


def anchored(
    ops: list, tag: str, i1: int, j1: int, strict: bool, edges: bool | None = None
) -> bool:
    """The edit sits between words both sides share (or at a sentence edge)."""
    k = next(i for i, op in enumerate(ops) if op[1] == i1 and op[3] == j1 and op[0] == tag)
    edge = (not strict) if edges is None else edges
    before = ops[k - 1][0] == "equal" if k > 0 else edge
    after = ops[k + 1][0] == "equal" if k + 1 < len(ops) else edge
    return before and after if strict else before or after
