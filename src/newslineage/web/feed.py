"""The originals feed: an Atom feed (RFC 4287) with one entry per story, linking its
original, so a reader who follows many outlets' feeds sees each story once.

When the origin is outside the corpus the entry links the earliest article of the story.
Everything is written through ElementTree (which escapes), after dropping the characters
XML 1.0 cannot carry at all.

>>> from newslineage.model import Article, Story
>>> a = Article("a1", "Text.", url="https://x.example/1", title="Fire <b>")
>>> xml = originals_feed([Story("s1", None, ("a1",), original="a1")], {"a1": a}, "http://h/")
>>> b"<title>Fire &lt;b&gt;</title>" in xml
True
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

from ..model import Article, Story
from ..text.dates import as_utc

ATOM = "http://www.w3.org/2005/Atom"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# XML 1.0 allows tab, LF, CR and U+0020 up, minus surrogates and U+FFFE/U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _when(a: Article) -> datetime:
    return as_utc(a.published) or as_utc(a.first_seen) or _EPOCH


def _rfc3339(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def representative(story: Story, articles: Mapping[str, Article]) -> Article | None:
    """The story's original, else (origin outside the corpus) its earliest article."""
    if story.original and story.original in articles:
        return articles[story.original]
    members = [articles[i] for i in story.articles if i in articles]
    return min(members, key=lambda a: (_when(a), a.id)) if members else None


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _summary(story: Story, pick: Article) -> str:
    others = len(story.articles) - 1
    who = pick.outlet or "an unknown outlet"
    if story.original == pick.id:
        head = f"Original from {who}."
    elif story.external_origin:
        head = f"Origin outside the corpus ({story.external_origin}); earliest copy from {who}."
    else:
        head = f"Earliest article, from {who}."
    return f"{head} {others} other article(s) in this story."


def _entry(feed: ET.Element, story: Story, pick: Article, base_url: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"urn:newslineage:story:{story.id}")
    _sub(entry, "title", pick.title or story.title or pick.text[:80] or story.id)
    _sub(entry, "updated", _rfc3339(_when(pick)))
    if pick.published:
        _sub(entry, "published", _rfc3339(as_utc(pick.published) or _EPOCH))
    page = f"{base_url}articles/{quote(pick.id, safe='')}"
    target = pick.url if (pick.url or "").startswith(("http://", "https://")) else page
    _sub(entry, "link", rel="alternate", href=target or page)
    _sub(entry, "link", rel="related", href=f"{base_url}stories/{quote(story.id, safe='')}")
    author = _sub(entry, "author")
    _sub(author, "name", pick.outlet or "unknown outlet")
    _sub(entry, "summary", _summary(story, pick))


def originals_feed(
    stories: Iterable[Story], articles: Mapping[str, Article], base_url: str
) -> bytes:
    """The Atom document (UTF-8 bytes), newest story first. ``base_url`` ends with ``/``."""
    picks = [(s, representative(s, articles)) for s in stories]
    entries = sorted(
        ((s, a) for s, a in picks if a is not None), key=lambda p: (_when(p[1]), p[0].id)
    )
    entries.reverse()
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", f"{base_url}feeds/originals.xml")
    _sub(feed, "title", "newslineage: one entry per story, linking its original")
    newest = _when(entries[0][1]) if entries else _EPOCH
    _sub(feed, "updated", _rfc3339(newest))
    _sub(feed, "link", rel="self", href=f"{base_url}feeds/originals.xml")
    _sub(feed, "link", rel="alternate", href=base_url)
    _sub(_sub(feed, "author"), "name", "newslineage")
    _sub(feed, "generator", "newslineage")
    for story, pick in entries:
        _entry(feed, story, pick, base_url)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
