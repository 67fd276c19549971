"""One :class:`Document` in, one :class:`Article` (or a :class:`Skipped` with the reason) out.

The steps: body to text (HTML page, HTML fragment or plain text), clean it (recording what
was removed), then read credits, links, outlet, language and sentences off the clean text.
Unknown stays None: no title, date or outlet is invented. ``Article.removed`` offsets point
into the text before cleaning: the HTML converted to text, or the plain text without its
headline line and leading metadata token.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from newslineage.extract.clean import Cleaned, clean_text
from newslineage.extract.credits import find_credits
from newslineage.extract.html import Anchor, Converted, extract_page, fragment_to_text
from newslineage.extract.language import detect_language
from newslineage.extract.links import (
    VIA_ANCHOR,
    is_absolute_http,
    outbound_links,
    registrable_domain,
    urls_in_text,
    via_in_text,
)
from newslineage.extract.plaintext import split_plaintext
from newslineage.model import Article, Document, Skipped
from newslineage.text.dates import as_utc
from newslineage.text.normalize import normalize_chars, normalize_text
from newslineage.text.sentences import split_sentences

__all__ = ["extract_article"]

_PAGE_KINDS = frozenset({"html", "warc"})
# removals whose links still count: a "Source link" trailer names the source
_LINK_KEEPING_REASONS = frozenset({"source_trailer"})


@dataclass(frozen=True, slots=True)
class _Body:
    """What the body said before cleaning: text, links, furniture hints and metadata."""

    converted: Converted
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    plain: bool = False


def extract_article(
    doc: Document, *, first_seen: datetime, default_outlet: str | None = None
) -> Article | Skipped:
    """Turn one ingested document into an article, or say why not.

    ``first_seen`` is when we ingested it; ``default_outlet`` is the user's label for inputs
    that name no outlet (``--outlet``).

    >>> from datetime import datetime, UTC
    >>> doc = Document("a.txt", "Allies meet\\nBRUSSELS (AP) — Allies met. They agreed.",
    ...                False, "text")
    >>> art = extract_article(doc, first_seen=datetime(2025, 2, 12, tzinfo=UTC))
    >>> (art.title, art.credits, art.sentence_texts())
    ('Allies meet', ('AP',), ['BRUSSELS (AP) — Allies met.', 'They agreed.'])
    """
    try:
        body = _read_body(doc)
    except (ValueError, UnicodeError, etree.LxmlError) as exc:
        return _skip(doc, f"cannot read the body ({exc}); check the file is text or HTML")
    if body is None:
        return _skip(
            doc,
            "no article text found in the HTML page; pass the article's own page "
            "(not a section front or search page) or its text as a .txt file",
        )
    title = _one_line(doc.title) or _one_line(body.title)
    cleaned = clean_text(body.converted.text, hints=body.converted.hints, title=title)
    if not cleaned.text.strip():
        what = (
            f" after removing {len(cleaned.removed)} boilerplate pieces" if cleaned.removed else ""
        )
        return _skip(doc, f"empty text{what}; check the input holds the article body")
    if not _has_words(cleaned.text):
        return _skip(
            doc,
            "empty text after cleaning: only control characters, punctuation or unexpanded "
            "entity references such as &lol9; (no letter or digit); check the input holds the "
            "article body",
        )
    return _build(doc, body, cleaned, title, first_seen, default_outlet)


# "&lol9;", "&#8211;", "&x": an entity the source never expanded is markup debris, not words
_ENTITY_REF = re.compile(r"&#?\w+;?")


def _has_words(text: str) -> bool:
    """Whether any letter or digit is left once unexpanded entity references are removed."""
    return any(c.isalnum() for c in _ENTITY_REF.sub("", text))


def _read_body(doc: Document) -> _Body | None:
    if doc.body_is_html and doc.kind in _PAGE_KINDS:
        page = extract_page(normalize_chars(doc.body), doc.url)
        if page is None:
            return None
        converted, meta = page
        return _Body(converted, meta.title, meta.published, meta.author, meta.url)
    if doc.body_is_html:
        return _Body(fragment_to_text(normalize_chars(doc.body)))
    text = normalize_text(doc.body)
    if doc.kind == "text":
        parts = split_plaintext(text)
        return _Body(_plain(parts.text), parts.title, parts.published, plain=True)
    return _Body(_plain(text), plain=True)


def _plain(text: str) -> Converted:
    anchors = tuple(Anchor(url, url, s, e) for url, s, e in urls_in_text(text))
    return Converted(text, anchors)


def _build(
    doc: Document,
    body: _Body,
    cleaned: Cleaned,
    title: str | None,
    first_seen: datetime,
    default_outlet: str | None,
) -> Article:
    text = cleaned.text
    url = doc.url or (body.url if body.url and is_absolute_http(body.url) else None)
    own = _own_domain(url, doc.site)
    anchors = _surviving_anchors(body.converted.links, cleaned)
    language = doc.language or detect_language(text)
    key = url or _file_key(doc)
    return Article(
        id=_hash(key + "\0" + text),
        text=text,
        url=url,
        outlet=_outlet(doc, url, default_outlet),
        title=title,
        published=as_utc(doc.published) or as_utc(body.published),
        first_seen=as_utc(first_seen),
        language=language,
        credits=find_credits(_credit_text(cleaned)),
        links=outbound_links((a.href for a in anchors), own_domain=own),
        via=_via(anchors, body, own),
        author=_one_line(doc.author) or _one_line(body.author),
        categories=doc.categories,
        origin_file=_origin_file(doc.origin),
        origin_item=doc.origin_item,
        external_id=doc.external_id,
        raw_ref=None,
        removed=cleaned.removed,
        sentences=tuple(split_sentences(text, language)),
        key=key,
        content_hash=_hash(text),
    )


def _credit_text(cleaned: Cleaned) -> str:
    """The clean text plus removed trailers: "Source: X" names a source even when removed."""
    trailers = [r.text for r in cleaned.removed if r.reason in _LINK_KEEPING_REASONS]
    return "\n".join([cleaned.text, *trailers])


def _surviving_anchors(anchors: tuple[Anchor, ...], cleaned: Cleaned) -> list[Anchor]:
    """Links outside removed boilerplate (a donation block's links are not the article's)."""
    dropped = [
        (r.offset, r.offset + len(r.text))
        for r in cleaned.removed
        if r.reason not in _LINK_KEEPING_REASONS
    ]
    return [a for a in anchors if not any(s <= a.start and a.end <= e for s, e in dropped)]


def _via(anchors: list[Anchor], body: _Body, own: str | None) -> str | None:
    """The target of the last "Source link"/"via"/"Read more at" link, if it leaves the site."""
    candidates = [a.href for a in anchors if VIA_ANCHOR.match(a.text.strip())]
    if body.plain:
        found = via_in_text(body.converted.text)
        if found:
            candidates.append(found)
    outbound = outbound_links(candidates, own_domain=own)
    return outbound[-1] if outbound else None


def _own_domain(url: str | None, site: str | None) -> str | None:
    for candidate in (url, site):
        if candidate and is_absolute_http(candidate):
            return registrable_domain(candidate)
    return None


def _outlet(doc: Document, url: str | None, default_outlet: str | None) -> str | None:
    """The record's outlet, else the URL's registrable domain, else the feed's, else the label."""
    if doc.outlet:
        return doc.outlet
    for candidate in (url, doc.site):
        if candidate and is_absolute_http(candidate):
            domain = registrable_domain(candidate)
            if domain:
                return domain
    return default_outlet or None


def _file_key(doc: Document) -> str:
    key = doc.origin if is_absolute_http(doc.origin) else "file:" + os.path.abspath(doc.origin)
    return key if doc.origin_item is None else f"{key}#{doc.origin_item}"


def _origin_file(origin: str) -> str:
    return origin if is_absolute_http(origin) else os.path.basename(origin)


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _skip(doc: Document, reason: str) -> Skipped:
    return Skipped(doc.origin, reason, item=doc.origin_item)
