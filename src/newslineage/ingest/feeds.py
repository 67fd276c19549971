"""RSS 0.9x / 1.0 (RDF) / 2.0 and Atom feeds (via feedparser), and OPML lists of feeds.

Each feed item becomes one ``Document(kind="feed_item")`` whose body is the richest HTML
the item carries (``content:encoded`` / Atom ``content`` / ``description`` / ``summary``).

>>> rss = b'''<rss version="2.0"><channel><link>https://ex.org</link>
... <item><title>Hi</title><link>https://ex.org/1</link><description>Body</description></item>
... </channel></rss>'''
>>> doc = next(parse_feed(rss, "feed.xml"))
>>> doc.title, doc.url, doc.site, doc.body
('Hi', 'https://ex.org/1', 'https://ex.org', 'Body')
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
from lxml import etree

from ..model import Document, Skipped

# opening and closing <item>/<entry> tags, paired in one linear pass (a single lazy regex
# over whole items goes quadratic on a feed full of unclosed items)
_ITEM_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(item|entry)(?=[\s>/])[^>]*>", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def parse_feed(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    """Yield one Document per feed item (or Skipped: unreadable feed, empty feed, empty item)."""
    try:
        parsed = feedparser.parse(io.BytesIO(data))  # bytes: never a path or URL it would open
    except Exception as exc:  # feedparser's internals raise assorted errors on damaged bytes
        yield Skipped(
            origin,
            f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc}); "
            "check the file is complete RSS or Atom XML",
        )
        return
    entries = list(parsed.get("entries") or [])
    slices = _item_slices(data)
    complete = len(entries)
    if parsed.get("bozo") and len(slices) < len(entries):
        # a damaged feed: the lenient parser also returns the item it was cut off in
        complete = len(slices)
    if complete == 0:
        yield _empty_feed(parsed, origin)
        return
    channel = parsed.get("feed") or {}
    site = _str(channel.get("link"))
    language = _language(channel.get("language"))
    raws = slices if len(slices) == len(entries) or complete < len(entries) else []
    for index, entry in enumerate(entries[:complete]):
        raw = raws[index] if raws else _encoded_entry(entry)
        yield _feed_document(entry, origin, index, site, language, raw)
    for index in range(complete, len(entries)):
        yield Skipped(
            origin, f"item is cut off ({_bozo(parsed)}); re-download the feed", item=index
        )


def _empty_feed(parsed: Any, origin: str) -> Skipped:
    if parsed.get("bozo"):
        problem = f"not a readable RSS/Atom feed ({_bozo(parsed)})"
        return Skipped(origin, f"{problem}; check the file is complete RSS or Atom XML")
    return Skipped(origin, "the feed has no items; nothing to ingest (check the feed URL or file)")


def _bozo(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "damaged XML"


def _feed_document(
    entry: Any, origin: str, index: int, site: str | None, language: str | None, raw: bytes
) -> Document | Skipped:
    body = _richest_body(entry)
    if not body.strip():
        link = _str(entry.get("link"))
        fix = f"add the page itself: newslineage add {link}" if link else "the item has no link"
        return Skipped(origin, f"feed item has no content or description; {fix}", item=index)
    return Document(
        origin=origin,
        body=body,
        body_is_html=True,
        kind="feed_item",
        origin_item=index,
        url=_str(entry.get("link")),
        title=_str(entry.get("title")),
        published=_published(entry),
        author=_str(entry.get("author")),
        categories=_categories(entry),
        site=site,
        language=_language(entry.get("language")) or language,
        raw=raw,
    )


def _richest_body(entry: Any) -> str:
    """The longest of the item's content blocks and summary, as HTML."""
    candidates: list[tuple[str, str]] = []
    for block in entry.get("content") or []:
        candidates.append((_str(block.get("value")) or "", _str(block.get("type")) or ""))
    detail = entry.get("summary_detail") or {}
    summary = _str(entry.get("summary")) or ""
    candidates.append((summary, _str(detail.get("type")) or "text/html"))
    # content first, so on a tie the richer content block wins over the summary
    value, kind = max(candidates, key=lambda c: len(c[0].strip()))
    if kind and kind not in _HTML_TYPES:
        return html.escape(value).replace("\n", "<br>\n")  # plain text: keep it literal
    return value


def _published(entry: Any) -> datetime | None:
    # feedparser normalises pubDate / dc:date / updated to a UTC struct_time
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = dict.get(entry, key)  # plain dict lookup: skips feedparser's deprecated aliasing
        if t:
            try:
                return datetime(*t[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _categories(entry: Any) -> tuple[str, ...]:
    out: list[str] = []
    for tag in entry.get("tags") or []:
        term = _str(tag.get("term") or tag.get("label"))
        if term and term.strip() and term.strip() not in out:
            out.append(term.strip())
    return tuple(out)


def _language(value: Any) -> str | None:
    """``en-US`` -> ``en`` (the primary subtag, as Article.language uses)."""
    text = _str(value)
    if not text:
        return None
    primary = re.split(r"[-_]", text.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _item_slices(data: bytes) -> list[bytes]:
    """The raw bytes of each complete top-level item/entry element, in order."""
    slices: list[bytes] = []
    start: int | None = None
    name = b""
    for tag in _ITEM_TAG.finditer(data):
        closing, tag_name = tag.group(1), tag.group(2).lower()
        if not closing and start is None and not tag.group(0).endswith(b"/>"):
            start, name = tag.start(), tag_name
        elif closing and start is not None and tag_name == name:
            slices.append(data[start : tag.end()])
            start = None
    return slices


def _encoded_entry(entry: Any) -> bytes:
    return json.dumps(entry, default=str, ensure_ascii=False, sort_keys=True).encode("utf-8")


def opml_feed_urls(data: bytes, origin: str) -> list[str] | Skipped:
    """The ``xmlUrl`` of every outline in an OPML file, in document order, without repeats."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return Skipped(origin, f"not readable OPML ({exc}); check the file is complete XML")
    if root is None:
        return Skipped(origin, "not readable OPML; check the file is complete XML")
    urls: list[str] = []
    for node in root.iter():
        # recovered damaged XML can hold tag names QName() rejects, so split by hand
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() != "outline":
            continue
        for key, value in node.attrib.items():
            if key.lower() == "xmlurl" and value.strip() and value.strip() not in urls:
                urls.append(value.strip())
    if not urls:
        return Skipped(origin, "the OPML file lists no feeds (no outline with xmlUrl)")
    return urls
