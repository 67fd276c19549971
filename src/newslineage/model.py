"""The nouns of newslineage: small frozen records that every stage passes around.

Offsets are always half-open character offsets into one canonical string,
``Article.text``; a :class:`Span` is a view into it, never a copied substring.

>>> a = Span("a1", 0, 5)
>>> a.length
5
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

RelationKind = Literal[
    "duplicate", "copy", "excerpt", "rewrite", "translation", "partial", "same_story"
]
RELATION_KINDS: tuple[str, ...] = get_args(RelationKind)
#: relation kinds that mean "made from" (everything but ``same_story``)
DERIVATION_KINDS: frozenset[str] = frozenset(RELATION_KINDS) - {"same_story"}

FindingKind = Literal[
    "number_changed",
    "date_changed",
    "name_changed",
    "title_changed",
    "quote_altered",
    "negation_flipped",
    "unsourced_sentence",
    "attribution_missing",
    "internal_inconsistency",
]
FINDING_KINDS: tuple[str, ...] = get_args(FindingKind)
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open ``[start, end)`` character offsets into one article's text."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span [{self.start}, {self.end}) for {self.article_id}")

    @property
    def length(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The characters this span covers in ``text`` (the article's canonical text)."""
        if self.end > len(text):
            raise ValueError(f"span [{self.start}, {self.end}) outside text of {len(text)} chars")
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the extracted text that was removed as not-the-article, and why.

    ``text`` is the removed string; ``offset`` is where it stood in the text *before*
    cleaning (so a report can show it in place), ``reason`` a short machine label such as
    ``"donation_block"``, ``"scraper_debris"``, ``"source_trailer"``, ``"repeated_block"``.
    """

    text: str
    reason: str
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Document:
    """One item as read from a source, before extraction.

    Ingesters (``ingest/``) produce these; ``extract.extract_article`` turns one into an
    :class:`Article`. ``body`` is HTML when ``body_is_html`` else plain text.
    """

    origin: str  # the path or URL as the user gave it (or the file found under a dir)
    body: str
    body_is_html: bool
    kind: str  # "html", "text", "feed_item", "jsonl", "warc"
    origin_item: int | None = None  # position inside a feed/JSONL/WARC file, 0-based
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    site: str | None = None  # the feed's own site link, for the outlet
    language: str | None = None
    external_id: str | None = None  # the id a JSONL record carried
    outlet: str | None = None  # given by the record or by the user (--outlet)
    raw: bytes = b""  # the raw bytes of this item, kept in the store


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input (or one item of it) that was not ingested, with the reason and the fix."""

    input: str
    reason: str
    item: int | None = None
    line: int | None = None
    error: bool = True  # False for benign skips such as "not modified since last fetch"

    def __str__(self) -> str:
        where = self.input
        if self.line is not None:
            where += f" line {self.line}"
        elif self.item is not None:
            where += f" item {self.item}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Article:
    """One version of one news item. ``text`` is the canonical string offsets point into."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    first_seen: datetime | None = None
    language: str | None = None
    credits: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    via: str | None = None  # the "Source link" / "via" target, when the text names one
    author: str | None = None
    categories: tuple[str, ...] = ()
    origin_file: str | None = None
    origin_item: int | None = None
    external_id: str | None = None
    raw_ref: str | None = None
    removed: tuple[Removal, ...] = ()
    # (start, end) of each sentence in ``text``; filled by extraction
    sentences: tuple[tuple[int, int], ...] = ()
    # version key: url, else origin_file[#item]; versions share a key
    key: str = ""
    content_hash: str = ""

    def span(self, start: int, end: int) -> Span:
        if end > len(self.text):
            raise ValueError(f"span [{start}, {end}) outside article {self.id}")
        return Span(self.id, start, end)

    def sentence_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.sentences]


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One aligned unit: source sentence(s) <-> derived sentence(s)."""

    source: Span
    derived: Span
    similarity: float
    verbatim: bool = False


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a derived article lines up with a source article."""

    source_id: str
    derived_id: str
    pairs: tuple[AlignedPair, ...] = ()
    # exact shared passages (seed-and-extend over shingles): (source span, derived span)
    passages: tuple[tuple[Span, Span], ...] = ()
    ordered: bool = True  # found by the monotonic DP (False: reordered fallback)


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed edge ``source -> derived`` of one kind, with the evidence that decided it."""

    source: str
    derived: str
    kind: str
    coverage: float  # share of the derived text that comes from the source
    verbatim_share: float
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)  # JSON-able, shown in reports
    source_coverage: float = 0.0  # share of the source that is reused


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    article: str
    time: datetime | None
    outlet: str | None
    role: str  # "original", "derived", "report"


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str | None
    articles: tuple[str, ...]
    original: str | None = None
    external_origin: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    article: str
    message: str
    severity: str = "medium"
    source_article: str | None = None
    source_span: tuple[int, int] | None = None
    derived_span: tuple[int, int] | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutletProfile:
    outlet: str
    articles: int
    original_share: float
    derived_share: float
    attribution_rate: float | None
    findings_per_derived: float | None
    median_lag_hours: float | None
    content_farm: bool = False
    explanation: str = ""
