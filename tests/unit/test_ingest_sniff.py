"""Content sniffing and decoding: the kind comes from the bytes, the name only breaks ties."""

from __future__ import annotations

import gzip

import pytest

from newslineage.ingest.sniff import (
    charset_from_content_type,
    declared_charset,
    decode_html,
    decode_text,
    sniff,
)

RSS = b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel></channel></rss>'
RDF = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (RSS, "x.txt", "feed"),
        (RDF, "", "feed"),
        (ATOM, "feed.html", "feed"),
        (b"\xef\xbb\xbf" + ATOM, "", "feed"),
        (b'<rss version="0.91"><channel/></rss>', "", "feed"),
        (b'<?xml version="1.0"?><opml version="2.0"><body/></opml>', "", "opml"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "a.txt", "html"),
        (b"<!-- saved --><html><p>x</p></html>", "", "html"),
        (b"<p>Hello</p>", "", "html"),
        (b"Plain words, no tags.", "a.html", "html"),
        (b"Plain words, no tags.", "a.txt", "text"),
        (b"<3 this story", "a.md", "text"),
        (b'{"id": 1, "text": "x"}\n{"id": 2}\n', "a.txt", "jsonl"),
        (b'[{"text": "x"}]', "a.json", "json"),
        (b"{not json at all", "notes.txt", "text"),
        (b"{not json at all", "data.jsonl", "json"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "", "warc"),
        (gzip.compress(b"hello"), "a.txt", "gzip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt", "binary"),
        (b"%PDF-1.7\n", "", "binary"),
        (b"abc\x00def", "", "binary"),
        (bytes(range(1, 8)) * 50, "", "binary"),
        (b"", "", "empty"),
        (b" \n\t\r\n", "", "empty"),
        (b'<?xml version="1.0"?><urlset/>', "", "xml"),
        ("Grüße aus Köln".encode("utf-16"), "", "text"),
    ],
)
def test_sniff_kinds(data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name).kind == kind


def test_binary_names_the_format_and_fix() -> None:
    got = sniff(b"%PDF-1.4 ...")
    assert got.detail == "a PDF document"
    assert "pdftotext" in got.fix


def test_xml_root_is_named() -> None:
    assert "<urlset>" in sniff(b"<urlset><url/></urlset>").detail


def test_decode_text_order() -> None:
    assert decode_text("é".encode()) == "é"
    assert decode_text(b"\xe9t\xe9") == "été"  # not UTF-8: cp1252
    assert decode_text(b"\x93quoted\x94") == "\u201cquoted\u201d"
    assert decode_text(b"\xef\xbb\xbfhi") == "hi"  # BOM dropped
    assert decode_text("hé".encode("utf-16")) == "hé"
    assert decode_text(b"\x81") == "\ufffd"  # undefined in cp1252, still no exception


def test_decode_html_uses_declared_charset() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    data = page.encode("cp1251")
    assert "Привет" in decode_html(data)
    assert declared_charset(data) == "cp1251"
    # the HTTP header wins over the page's own declaration
    assert "Привет" in decode_html(page.encode("koi8_r"), "koi8_r")


def test_declared_latin1_is_read_as_cp1252() -> None:
    data = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">\x93a\x94'
    assert "\u201ca\u201d" in decode_html(data)
    assert charset_from_content_type("text/html; charset=iso-8859-1") == "cp1252"
    assert charset_from_content_type("text/html; charset=no-such-codec") is None
    assert charset_from_content_type(None) is None


def test_wrong_declared_charset_falls_back() -> None:
    data = '<meta charset="utf-8"><p>caf\xe9</p>'.encode("cp1252")
    assert "café" in decode_html(data)
