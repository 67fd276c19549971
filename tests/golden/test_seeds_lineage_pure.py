"""Golden: the seed corpus through align + lineage only (no extraction module, no store).

A small helper here turns the seeds into Articles: feed items via feedparser + lxml, the
HuffPost donation block and "Source link" dropped, scraper debris lines dropped.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest

from newslineage.align import naive_sentences
from newslineage.lineage import cluster_stories, relate
from newslineage.model import DERIVATION_KINDS, Article, Relation

_DONATION = re.compile(r"Go Ad-Free.*?Log in to hide these messages\.", re.S)
_DEBRIS = {"The story continues under this ad"}


def _article(aid: str, text: str, **kw: object) -> Article:
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Article(id=aid, text=text, sentences=naive_sentences(text), **kw)  # type: ignore[arg-type]


def _plain(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    lines = [ln for ln in raw.strip().splitlines() if ln.strip() not in _DEBRIS]
    text = "\n".join(lines)
    published = None
    m = re.match(r"\s*date (\d{4}-\d{2}-\d{2}) ", text)
    if m:  # 000's metadata line: "date 2025-02-11 BRUSSELS (AP) — ..."
        published = datetime.fromisoformat(m.group(1)).replace(tzinfo=UTC)
        text = text[m.end() :]
    credits = ("AP",) if "(AP)" in text[:200] else ()
    return _article(path.name[:3], text, published=published, credits=credits,
                    origin_file=path.name)


def _feed_items(path: Path) -> list[Article]:
    feed = feedparser.parse(str(path))
    out = []
    for k, entry in enumerate(feed.entries):
        tree = lxml.html.fromstring(entry.content[0].value)
        via = None
        for a in tree.iter("a"):
            if (a.text_content() or "").strip() == "Source link":
                via = a.get("href")
                a.drop_tree()
        for block in tree.iter("p", "div", "h4", "br", "li", "blockquote"):
            block.tail = (block.tail or "") + "\n"
        text = _DONATION.sub("", tree.text_content())
        credits = ("AP",) if "(AP)" in text[:300] else ()
        published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        out.append(
            _article(f"004#{k}", text, title=entry.title, url=entry.link, outlet="eznews.xyz",
                     published=published, credits=credits, via=via,
                     links=(via,) if via else (), origin_file=path.name, origin_item=k)
        )
    return out


def load_seed_articles(seeds: Path) -> list[Article]:
    """The 8 seed articles: 000-003 plain text, 004#0-3 feed items."""
    plain = [_plain(p) for p in sorted(seeds.glob("00[0-3]_*.txt"))]
    return plain + _feed_items(next(seeds.glob("004_*.txt")))
