"""RSS 0.9x / 1.0 / 2.0 and Atom feeds, the seed feed, and OPML lists of feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newslineage.ingest import read_sources
from newslineage.model import Document, Skipped

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example News</title>
  <link>https://news.example.org</link>
  <language>en-GB</language>
  <item>
    <title>First &amp; foremost</title>
    <link>https://news.example.org/first</link>
    <dc:creator>Jane Roe</dc:creator>
    <pubDate>Tue, 11 Feb 2025 10:15:00 +0100</pubDate>
    <category>Politics</category><category>Europe</category>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>The full body of the first story.</p><p>Second paragraph.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second</title>
    <link>https://news.example.org/second</link>
    <description><![CDATA[<p>Only a description, but it is the body here.</p>]]></description>
  </item>
  <item>
    <title>No body at all</title>
    <link>https://news.example.org/empty</link>
  </item>
</channel>
</rss>
"""

RSS091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old</title><link>http://old.example.net/</link>
<item><title>Ancient</title><link>http://old.example.net/a</link>
<description>An RSS 0.91 item.</description></item>
</channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example.com/">
    <title>RDF site</title><link>http://rdf.example.com/</link><description>d</description>
    <items><rdf:Seq><rdf:li resource="http://rdf.example.com/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://rdf.example.com/1">
    <title>RDF item</title><link>http://rdf.example.com/1</link>
    <description>Body of the RDF item.</description>
    <dc:date>2025-02-12T08:00:00Z</dc:date><dc:creator>R. Writer</dc:creator>
  </item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Example</title>
  <link href="https://atom.example.com/" rel="alternate"/>
  <link href="https://atom.example.com/feed.atom" rel="self"/>
  <id>urn:x</id><updated>2025-02-13T00:00:00Z</updated>
  <entry>
    <title>Atom entry</title>
    <link href="https://atom.example.com/e1" rel="alternate"/>
    <id>urn:e1</id>
    <updated>2025-02-13T12:00:00-05:00</updated>
    <author><name>Ann Author</name></author>
    <category term="World"/>
    <summary>Sum.</summary>
    <content type="html">&lt;p&gt;Atom content that is longer than the summary.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain entry</title>
    <link href="https://atom.example.com/e2"/>
    <id>urn:e2</id>
    <content type="text">a &lt; b, in plain text</content>
  </entry>
</feed>"""


def _read(tmp_path: Path, data: bytes, name: str = "feed.xml") -> list[Document | Skipped]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_sources([str(path)]))


def test_seed_feed_yields_four_items(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("004_*.txt"))
    items = list(read_sources([str(path)]))
    assert len(items) == 4 and all(isinstance(i, Document) for i in items)
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.title for d in docs] == [
        "Video: A Mystery in the Baltic Sea",
        "NATO Is In Disarray After The U.S. Announces That Its Security Priorities Lie Elsewhere",
        "Pete Hegseth Calls NATO Membership For Ukraine Unrealistic",
        "NATO Head And Trump Meet In Florida For Global Security Talks",
    ]
    assert docs[2].url == (
        "https://eznews.xyz/world-news/pete-hegseth-calls-nato-membership-for-ukraine-unrealistic/"
    )
    assert [d.published for d in docs] == [
        datetime(2025, 3, 31, 9, 2, 24, tzinfo=UTC),
        datetime(2025, 2, 14, 4, 56, 0, tzinfo=UTC),
        datetime(2025, 2, 12, 15, 8, 42, tzinfo=UTC),
        datetime(2024, 11, 23, 16, 45, 43, tzinfo=UTC),
    ]
    for i, doc in enumerate(docs):
        assert (doc.kind, doc.origin_item, doc.site) == ("feed_item", i, "https://eznews.xyz")
        assert doc.body_is_html and doc.author == "Sasa" and doc.origin == str(path)
        assert doc.raw.startswith(b"<item>") and doc.raw.endswith(b"</item>")
        assert doc.title is not None and doc.title.encode() in doc.raw
    assert "NATO" in docs[1].categories and "Pete Hegseth" in docs[1].categories
    # the body is content:encoded (full article), not the short description
    assert len(docs[2].body) > 10_000 and "Source link" in docs[2].body
    assert docs[2].language == "en"


def test_rss2_fields_and_richest_body(tmp_path: Path) -> None:
    items = _read(tmp_path, RSS2, "news.txt")
    first, second, third = items
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.title == "First & foremost" and first.url == "https://news.example.org/first"
    assert first.published == datetime(2025, 2, 11, 9, 15, tzinfo=UTC)
    assert first.author == "Jane Roe" and first.categories == ("Politics", "Europe")
    assert "full body of the first story" in first.body and "teaser" not in first.body
    assert first.site == "https://news.example.org" and first.language == "en"
    assert "Only a description" in second.body and second.published is None
    assert second.origin_item == 1
    assert isinstance(third, Skipped) and third.item == 2
    assert "no content or description" in third.reason
    assert "https://news.example.org/empty" in third.reason


def test_rss091(tmp_path: Path) -> None:
    (doc,) = _read(tmp_path, RSS091)
    assert isinstance(doc, Document)
    assert (doc.title, doc.url, doc.site) == (
        "Ancient",
        "http://old.example.net/a",
        "http://old.example.net/",
    )


def test_rss10_rdf(tmp_path: Path) -> None:
    (doc,) = _read(tmp_path, RSS10)
    assert isinstance(doc, Document)
    assert doc.title == "RDF item" and doc.author == "R. Writer"
    assert doc.published == datetime(2025, 2, 12, 8, 0, tzinfo=UTC)
    assert doc.raw.startswith(b"<item ") and b"RDF item" in doc.raw


def test_atom(tmp_path: Path) -> None:
    first, second = _read(tmp_path, ATOM, "x.atom")
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.url == "https://atom.example.com/e1" and first.site == "https://atom.example.com/"
    assert first.published == datetime(2025, 2, 13, 17, 0, tzinfo=UTC)  # from <updated>
    assert first.author == "Ann Author" and first.categories == ("World",)
    assert first.body == "<p>Atom content that is longer than the summary.</p>"
    assert second.body == "a &lt; b, in plain text"  # plain text is escaped to stay HTML
    assert second.raw.startswith(b"<entry>")


def test_zero_item_feed_is_skipped(tmp_path: Path) -> None:
    data = b'<rss version="2.0"><channel><title>t</title><link>https://x.org</link></channel></rss>'
    (skip,) = _read(tmp_path, data)
    assert isinstance(skip, Skipped) and "no items" in skip.reason


def test_unparsable_feed_is_skipped(tmp_path: Path) -> None:
    (skip,) = _read(tmp_path, RSS2[:300])
    assert isinstance(skip, Skipped)
    assert "not a readable RSS/Atom feed" in skip.reason and skip.input.endswith("feed.xml")


def test_gzipped_feed(tmp_path: Path) -> None:
    import gzip

    docs = _read(tmp_path, gzip.compress(RSS091), "feed.xml.gz")
    assert [d.title for d in docs if isinstance(d, Document)] == ["Ancient"]


def test_opml_refuses_private_feed_urls(tmp_path: Path) -> None:
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
      <outline text="group"><outline type="rss" text="a" xmlUrl="http://127.0.0.1:9/feed.xml"/></outline>
      <outline type="rss" text="b" xmlUrl="http://10.0.0.7/rss"/>
      <outline type="rss" text="c" xmlUrl="relative/feed.xml"/>
    </body></opml>"""
    items = _read(tmp_path, opml, "subs.opml")
    assert [type(i).__name__ for i in items] == ["Skipped"] * 3
    a, b, c = items
    assert isinstance(a, Skipped) and isinstance(b, Skipped) and isinstance(c, Skipped)
    assert a.input == "http://127.0.0.1:9/feed.xml"
    assert "resolves to 127.0.0.1, a private address; pass --allow-private" in a.reason
    assert "10.0.0.7, a private address" in b.reason
    assert "not an absolute URL" in c.reason


def test_opml_without_feeds(tmp_path: Path) -> None:
    (skip,) = _read(tmp_path, b'<opml version="1.0"><body><outline text="x"/></body></opml>')
    assert isinstance(skip, Skipped) and "lists no feeds" in skip.reason


def test_truncated_feed_keeps_complete_items(tmp_path: Path) -> None:
    cut = RSS2.index(b"</item>") + len(b"</item>") + 40  # inside the second item
    items = _read(tmp_path, RSS2[:cut])
    first, second = items
    assert isinstance(first, Document) and first.title == "First & foremost"
    assert isinstance(second, Skipped) and second.item == 1 and "cut off" in second.reason
