"""HTML to article text: fragments by our own walk over lxml trees, whole pages by trafilatura.

Both paths end in :func:`element_to_text`, so block elements always become paragraph breaks
("\\n\\n"), ``<br>`` a line break, and inline elements (``<a>``, ``<em>`` ...) stay inline with
HTML whitespace rules: no stray newlines around an inline link.

>>> c = fragment_to_text('<p>In <a href="https://x.org/a">one speech</a> he spoke.</p><p>Next.</p>')
>>> c.text
'In one speech he spoke.\\n\\nNext.'
>>> c.links
(Anchor(href='https://x.org/a', text='one speech', start=3, end=13),)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html

__all__ = [
    "Anchor",
    "Converted",
    "PageMetadata",
    "element_to_text",
    "extract_page",
    "fallback_page_text",
    "fragment_to_text",
]


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and extend)."""
    return frozenset(text.split())


_BLOCK_TAGS = _words(
    """
    p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote figure figcaption table thead
    tbody tfoot tr caption section article main header footer aside nav pre hr address
    form fieldset details summary center head list item quote row body html
    """
)
_SKIP_TAGS = _words(
    """
    script style noscript template iframe svg object embed select option button title
    meta link img source video audio canvas map input textarea graphic
    """
)
_CELL_TAGS = frozenset({"td", "th", "cell"})
_LINE_BREAK_TAGS = frozenset({"br", "lb"})
# class/id words of page furniture; a block inside one is removed only if it also reads like
# boilerplate (see clean.py), so a harmless "share" class costs nothing.
_FURNITURE = re.compile(
    r"support|donat|subscri|newsletter|paywall|membership|promo|sign-?up|ad-?free|share|"
    r"social|related|recommend|advert|sponsor|login|register",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
# a page with less than this much article text is not an article
_MIN_PAGE_CHARS = 40


@dataclass(frozen=True, slots=True)
class Anchor:
    """A link found in the HTML: its target and where its text stands in the output."""

    href: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Converted:
    """Text made from HTML, with links and furniture hints as offsets into ``text``."""

    text: str
    links: tuple[Anchor, ...] = ()
    # ranges of text that came from elements whose class/id names page furniture
    hints: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a whole page says about itself (each may be None)."""

    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None


@dataclass(slots=True)
class _Builder:
    """Writes text with HTML whitespace rules; separators are written lazily."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    pending_space: bool = False
    pending_break: int = 0  # 0 none, 1 line break, 2 paragraph break
    starts: list[int] = field(default_factory=list)  # where each written text run begins

    def text(self, raw: str | None) -> None:
        if not raw:
            return
        collapsed = _SPACES.sub(" ", raw)
        if collapsed.startswith(" "):
            self.pending_space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        trailing = collapsed.endswith(" ")
        self._write_separator()
        self.starts.append(self.length)
        self._write(collapsed.rstrip(" "))
        self.pending_space = trailing

    def brk(self, level: int) -> None:
        self.pending_break = min(2, max(self.pending_break, level))
        self.pending_space = False

    def line_break(self) -> None:
        self.pending_break = min(2, self.pending_break + 1)
        self.pending_space = False

    def _write_separator(self) -> None:
        if self.length and self.pending_break:
            self._write("\n" * self.pending_break)
        elif self.length and self.pending_space:
            self._write(" ")
        self.pending_break = 0
        self.pending_space = False

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def result(self) -> str:
        return "".join(self.parts)


def fragment_to_text(fragment: str) -> Converted:
    """Convert an HTML fragment (a feed item's ``content:encoded``, a JSONL body) to text."""
    if not fragment.strip():
        return Converted("")
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return Converted(_SPACES.sub(" ", fragment).strip())
    return element_to_text(root)


def element_to_text(root: Any, *, href_attr: str = "href") -> Converted:
    """Walk an lxml element: blocks become paragraph breaks, anchors are recorded with offsets."""
    out = _Builder()
    links: list[tuple[str, int, int]] = []
    hints: list[tuple[int, int]] = []
    _walk(root, out, links, hints, href_attr)
    text = out.result()
    anchors = tuple(Anchor(href, text[s:e], s, e) for href, s, e in links)
    return Converted(text, anchors, tuple(hints))


def _walk(
    root: Any,
    out: _Builder,
    links: list[tuple[str, int, int]],
    hints: list[tuple[int, int]],
    href_attr: str,
) -> None:
    """Iterative walk (scraped HTML can nest deeper than Python's recursion limit)."""
    _drop_comments(root)
    walker = etree.iterwalk(root, events=("start", "end"))
    opened: list[int | None] = []  # per open element: text runs before it, None if skipped
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            opened.append(_open(el, tag, out, walker))
            continue
        runs_before = opened.pop()
        if runs_before is not None:
            _close(el, tag, runs_before, out, links, hints, href_attr)
        if el is not root:
            out.text(el.tail)


def _tag(el: Any) -> str:
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def _open(el: Any, tag: str, out: _Builder, walker: Any) -> int | None:
    if tag in _SKIP_TAGS or tag in _LINE_BREAK_TAGS or not tag:
        walker.skip_subtree()
        if tag in _LINE_BREAK_TAGS:
            out.line_break()
        return None
    if tag in _BLOCK_TAGS:
        out.brk(2)
    elif tag in _CELL_TAGS:
        out.pending_space = out.length > 0
    runs_before = len(out.starts)
    out.text(el.text)
    return runs_before


def _close(
    el: Any,
    tag: str,
    runs_before: int,
    out: _Builder,
    links: list[tuple[str, int, int]],
    hints: list[tuple[int, int]],
    href_attr: str,
) -> None:
    if tag in _BLOCK_TAGS:
        out.brk(2)
    if len(out.starts) == runs_before:
        return  # no text inside
    first = out.starts[runs_before]  # the element's first character, after any separator
    href = el.get(href_attr) if tag in ("a", "ref") else None
    if href:
        links.append((href.strip(), first, out.length))
    if _FURNITURE.search(f"{el.get('class', '')} {el.get('id', '')}"):
        hints.append((first, out.length))


def _drop_comments(root: Any) -> None:
    """Remove comments and processing instructions, keeping the text that follows them."""
    for node in root.xpath(".//comment() | .//processing-instruction()"):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def extract_page(page: str, url: str | None = None) -> tuple[Converted, PageMetadata] | None:
    """Article text and metadata of a whole HTML page; None when it holds no article.

    trafilatura finds the main content (Barbaresi, "Trafilatura: A Web Scraping Library and
    Command-Line Tool for Text Discovery and Extraction", ACL 2021 demos); when it finds
    nothing, a plain lxml fallback reads ``<main>``/``<article>`` paragraphs.
    """
    found = _trafilatura(page, url)
    if found is None or len(found[0].text) < _MIN_PAGE_CHARS:
        fallback = fallback_page_text(page)
        if fallback is None:
            return None
        return fallback, found[1] if found else _lxml_metadata(page)
    return found


_TRAFILATURA_DATES = {"extensive_search": False, "original_date": True}


def trafilatura_xml(page: str, url: str | None) -> str | None:
    """What ``trafilatura.extract(page, output_format="xml", with_metadata=True,
    include_links=True, include_comments=False, ...)`` returns, minus the content fingerprint.

    extract() computes a SimHash fingerprint of the text for its metadata (~0.5 ms a page,
    an eighth of the call); newslineage never reads it, so the same steps run without it.
    """
    import trafilatura  # heavy import, only for whole pages

    try:
        from trafilatura.core import determine_returnstring
        from trafilatura.settings import Document as TrafilaturaDocument
        from trafilatura.settings import Extractor
    except ImportError:  # an older or newer layout: the public call, fingerprint included
        return _trafilatura_extract(page, url)
    options = Extractor(
        output_format="xml",
        comments=False,
        links=True,
        tables=True,
        dedup=False,
        url=url,
        with_metadata=True,
        date_params=_TRAFILATURA_DATES,
    )
    document = trafilatura.bare_extraction(page, options=options, as_dict=False)
    if not isinstance(document, TrafilaturaDocument):
        return None
    return str(determine_returnstring(document, options))


def _trafilatura_extract(page: str, url: str | None) -> str | None:
    import trafilatura

    return trafilatura.extract(  # type: ignore[no-any-return]
        page,
        url=url,
        output_format="xml",
        include_links=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        deduplicate=False,
        date_extraction_params=_TRAFILATURA_DATES,
    )


def _trafilatura(page: str, url: str | None) -> tuple[Converted, PageMetadata] | None:
    xml = trafilatura_xml(page, url)
    if not xml:
        return None
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None
    main = doc.find("main")
    if main is None:
        return None
    meta = PageMetadata(
        title=_clean_attr(doc.get("title")),
        published=parse_date(doc.get("date")),
        author=_clean_attr(doc.get("author")),
        url=_clean_attr(doc.get("url")),
        sitename=_clean_attr(doc.get("sitename")),
    )
    return element_to_text(main, href_attr="target"), meta


def _parse_page(page: str) -> Any | None:
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(page.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def fallback_page_text(page: str) -> Converted | None:
    """Paragraphs and headings of <main>, <article> or <body>; None when there are none."""
    root = _parse_page(page)
    if root is None:
        return None
    for junk in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript"):
        junk.drop_tree()
    containers = root.xpath("//main") or root.xpath("//article") or root.xpath("//body")
    if not containers:
        return None
    # paragraphs and headings only: menus and widgets rarely use <p>
    paras = containers[0].xpath(".//p|.//h1|.//h2|.//h3|.//li[not(.//p)]")
    if not paras:
        return None
    wrapper = etree.Element("div")
    for p in paras:
        copy = lxml_html.fromstring(lxml_html.tostring(p, encoding="unicode"))
        copy.tail = None
        wrapper.append(copy)
    converted = element_to_text(wrapper)
    return converted if len(converted.text) >= _MIN_PAGE_CHARS else None


def _lxml_metadata(page: str) -> PageMetadata:
    root = _parse_page(page)
    if root is None:
        return PageMetadata()

    def first(xpath: str) -> str | None:
        found = root.xpath(xpath)
        return _clean_attr(str(found[0])) if found else None

    return PageMetadata(
        title=first("//meta[@property='og:title']/@content") or first("//title/text()"),
        published=parse_date(first("//meta[@property='article:published_time']/@content")),
        author=first("//meta[@name='author']/@content"),
        url=first("//link[@rel='canonical']/@href"),
        sitename=first("//meta[@property='og:site_name']/@content"),
    )


def _clean_attr(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def parse_date(value: str | None) -> datetime | None:
    """An ISO date or datetime as tz-aware UTC (naive values are taken as UTC); else None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # "9999-12-31T23:59:59-23:59" is past year 9999 in UTC: unknown
        return None
