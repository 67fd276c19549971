"""Fuzzing ingest: random bytes and mangled feeds never raise, only yield Documents/Skipped."""

from __future__ import annotations

import contextlib
import gzip
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newslineage.ingest import IngestOptions, read_sources
from newslineage.model import Document, Skipped

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Fuzz &#8211; News</title><link>https://fuzz.example</link>
<item><title>One</title><link>https://fuzz.example/1</link><dc:creator>A</dc:creator>
<pubDate>Tue, 11 Feb 2025 10:00:00 +0000</pubDate><category>X</category>
<description>Teaser</description>
<content:encoded><![CDATA[<p>First body with <a href="https://src.example">Source link</a></p>]]></content:encoded></item>
<item><title>Two</title><link>https://fuzz.example/2</link><description>Second body.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><link href="https://a.example/"/>
<id>urn:f</id><updated>2025-02-13T00:00:00Z</updated>
<entry><title>E1</title><link href="https://a.example/1"/><id>urn:1</id>
<updated>2025-02-13T12:00:00Z</updated><content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry>
<entry><title>E2</title><id>urn:2</id><summary>Two</summary></entry>
</feed>"""

JSONL = (
    b'{"id": "a", "text": "Alpha."}\n{"id": "b", "html": "<p>B</p>", "published": "2025-02-11"}\n'
)

OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="a" xmlUrl="http://127.0.0.1:9/feed.xml"/><outline text="b" xmlUrl="http://10.0.0.1/x"/>
</body></opml>"""


def _warc_sample() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = io.BytesIO(b"<html><body><p>Archived page.</p></body></html>")
    writer.write_record(
        writer.create_warc_record(
            "https://w.example/", "response", payload=body, http_headers=headers
        )
    )
    return out.getvalue()


WARC = _warc_sample()

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes, name: str) -> list[Document | Skipped]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        printed = io.StringIO()
        with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
            items = list(read_sources([str(path)], IngestOptions(max_bytes=1_000_000)))
    assert items, "every input yields at least a Document or a Skipped"
    assert printed.getvalue() == "", "ingest never prints (warcio and logging included)"
    for item in items:
        assert isinstance(item, Document | Skipped)
        if isinstance(item, Skipped):
            assert item.reason and "bug in newslineage" not in item.reason
        else:
            assert isinstance(item.body, str) and item.body.strip()
            assert item.published is None or item.published.tzinfo is not None
            assert isinstance(item.raw, bytes)
    return items


def _mangle(base: bytes) -> st.SearchStrategy[bytes]:
    """Truncate the sample, or splice random garbage into it."""
    cut = st.integers(0, len(base)).map(lambda n: base[:n])
    spliced = st.tuples(st.integers(0, len(base)), st.binary(min_size=1, max_size=40)).map(
        lambda t: base[: t[0]] + t[1] + base[t[0] :]
    )
    replaced = st.tuples(
        st.integers(0, len(base)),
        st.integers(1, 30),
        st.sampled_from([b"<", b"]]>", b"&", b"\x00"]),
    ).map(lambda t: base[: t[0]] + t[2] + base[t[0] + t[1] :])
    return st.one_of(cut, spliced, replaced)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["x.txt", "x.xml", "x.jsonl", "x.warc", "x.gz"]))
def test_random_bytes_never_raise(data: bytes, name: str) -> None:
    _check(data, name)


@FUZZ
@given(_mangle(RSS))
def test_mangled_rss_never_raises(data: bytes) -> None:
    _check(data, "feed.xml")


@FUZZ
@given(_mangle(ATOM))
def test_mangled_atom_never_raises(data: bytes) -> None:
    _check(data, "feed.atom")


@FUZZ
@given(_mangle(JSONL))
def test_mangled_jsonl_never_raises(data: bytes) -> None:
    _check(data, "batch.jsonl")


@settings(max_examples=50, deadline=None)
@given(_mangle(gzip.compress(RSS)))
def test_mangled_gzip_never_raises(data: bytes) -> None:
    _check(data, "feed.xml.gz")


@FUZZ
@given(_mangle(WARC))
def test_mangled_warc_never_raises(data: bytes) -> None:
    _check(data, "crawl.warc")


@settings(max_examples=50, deadline=None)
@given(_mangle(OPML))
def test_mangled_opml_never_raises(data: bytes) -> None:
    # its feed URLs are private, so they are refused before any connection is tried
    _check(data, "subs.opml")


def test_unmangled_samples_parse() -> None:
    """The fuzz bases are valid, so the mangling is what the tests above exercise."""
    assert [d.title for d in _check(RSS, "f.xml") if isinstance(d, Document)] == ["One", "Two"]
    assert len([d for d in _check(ATOM, "f.xml") if isinstance(d, Document)]) == 2
    assert len([d for d in _check(JSONL, "f.jsonl") if isinstance(d, Document)]) == 2
    assert [d.url for d in _check(WARC, "w.warc") if isinstance(d, Document)] == [
        "https://w.example/"
    ]
    assert len([s for s in _check(OPML, "s.opml") if isinstance(s, Skipped)]) == 2
