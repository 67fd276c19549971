"""Local inputs: files, folders, globs, stdin, JSONL, WARC, gzip and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newslineage.ingest import IngestOptions, read_sources
from newslineage.ingest.files import parse_date
from newslineage.model import Document, Skipped

PAGE = b"<html><head><title>T</title></head><body><p>Body text.</p></body></html>"


def _read(*sources: str | Path, **opts: object) -> list[Document | Skipped]:
    items = list(read_sources([str(s) for s in sources], IngestOptions(**opts)))  # type: ignore[arg-type]
    assert all(isinstance(i, Document | Skipped) for i in items)
    return items


def _docs(items: list[Document | Skipped]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def _skips(items: list[Document | Skipped]) -> list[Skipped]:
    return [i for i in items if isinstance(i, Skipped)]


# --- plain text and HTML --------------------------------------------------------------------


def test_seed_text_files_are_plain_text_without_invented_metadata(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("000_*.txt"))
    (doc,) = _read(path)
    assert isinstance(doc, Document)
    assert doc.kind == "text" and not doc.body_is_html
    assert doc.title is None and doc.published is None and doc.url is None
    assert "BRUSSELS" in doc.body
    assert doc.raw == path.read_bytes()
    assert doc.origin == str(path)


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"  # the content decides, not the extension
    path.write_bytes(PAGE)
    (doc,) = _read(path)
    assert isinstance(doc, Document)
    assert (doc.kind, doc.body_is_html, doc.url, doc.raw) == ("html", True, None, PAGE)
    assert "<p>Body text.</p>" in doc.body


def test_html_in_cp1252_decodes(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    path.write_bytes(b"<html><body><p>\x93Caf\xe9\x94</p></body></html>")
    (doc,) = _docs(_read(path))
    assert "\u201cCafé\u201d" in doc.body


def test_markdown_is_text(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Title\n\nSome *text*.", encoding="utf-8")
    (doc,) = _docs(_read(path))
    assert doc.kind == "text" and doc.body.startswith("# Title") and doc.title is None


# --- folders, globs, stdin --------------------------------------------------------------------


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "c.txt").write_text("three")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git" / "x.txt").write_text("git")
    docs = _docs(_read(tmp_path))
    assert [Path(d.origin).relative_to(tmp_path).as_posix() for d in docs] == [
        "a.txt",
        "b/2.txt",
        "c.txt",
    ]


def test_glob(tmp_path: Path) -> None:
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(name)
    docs = _docs(_read(tmp_path / "x*.txt"))
    assert [d.body for d in docs] == ["x1.txt", "x2.txt"]
    (skip,) = _read(tmp_path / "zzz*.txt")
    assert isinstance(skip, Skipped) and "no file matches" in skip.reason


def test_stdin() -> None:
    items = _read("-", stdin=io.BytesIO(b"From standard input."))
    (doc,) = _docs(items)
    assert doc.body == "From standard input." and doc.origin == "<stdin>"


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "url": "https://ex.org/1",
                "outlet": "Example",
                "title": "One",
                "text": "First body.",
                "published": "2025-02-11T09:30:00+01:00",
                "language": "en",
            }
        ),
        "{not json",
        json.dumps({"id": 7, "html": "<p>Second</p>", "published": "2025-02-12"}),
        "",
        json.dumps({"id": "no-body", "title": "x"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "x", "published": "yesterday"}),
        json.dumps({"text": "x", "url": 5}),
        json.dumps({"text": "Last one."}),
    ]
    path = tmp_path / "batch.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    docs, skips = _docs(items), _skips(items)
    assert [d.origin_item for d in docs] == [0, 2, 8]
    first, second, last = docs
    assert (first.kind, first.external_id, first.outlet, first.title) == (
        "jsonl",
        "a1",
        "Example",
        "One",
    )
    assert first.body == "First body." and not first.body_is_html
    assert first.published == datetime(2025, 2, 11, 8, 30, tzinfo=UTC)
    assert first.language == "en" and first.url == "https://ex.org/1"
    assert first.raw == lines[0].encode()
    assert second.external_id == "7" and second.body_is_html and second.body == "<p>Second</p>"
    assert second.published == datetime(2025, 2, 12, tzinfo=UTC)
    assert last.external_id is None and last.published is None
    assert [s.line for s in skips] == [2, 5, 6, 7, 8]
    reasons = {s.line: s.reason for s in skips}
    assert "not valid JSON" in reasons[2]
    assert '"text"' in reasons[5] and '"html"' in reasons[5]
    assert "not an object" in reasons[6]
    assert "'yesterday' is not a date" in reasons[7]
    assert '"url" must be a string' in reasons[8]
    assert all(s.input == str(path) for s in skips)


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "a", "text": "A."}, {"id": "b"}], indent=2))
    items = _read(path)
    assert [d.external_id for d in _docs(items)] == ["a"]
    (skip,) = _skips(items)
    assert skip.item == 1


def test_parse_date_forms() -> None:
    assert parse_date("2025-02-11T09:30:00Z") == datetime(2025, 2, 11, 9, 30, tzinfo=UTC)
    assert parse_date("Tue, 11 Feb 2025 09:30:00 GMT") == datetime(2025, 2, 11, 9, 30, tzinfo=UTC)
    assert parse_date(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_date("last week") is None
    assert parse_date(1e30) is None


# --- WARC -----------------------------------------------------------------------------------------


def _warc(path: Path, compress: bool) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(rec)

        response("https://ex.org/a", "200 OK", "text/html; charset=utf-8", PAGE)
        response("https://ex.org/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response("https://ex.org/gone", "404 Not Found", "text/html", b"<p>missing</p>")
        response("https://ex.org/b", "200 OK", "text/html; charset=cp1252", b"<p>\x93B\x94</p>")


@pytest.mark.parametrize("compress", [False, True])
def test_warc_html_responses(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    _warc(path, compress)
    items = _read(path)
    docs = _docs(items)
    assert [(d.kind, d.url, d.origin_item) for d in docs] == [
        ("warc", "https://ex.org/a", 1),
        ("warc", "https://ex.org/b", 4),
    ]
    assert docs[0].raw == PAGE and docs[0].body_is_html
    assert "\u201cB\u201d" in docs[1].body
    (gone,) = _skips(items)
    assert gone.item == 3 and not gone.error and "404" in gone.reason


def test_warc_without_html(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
    (skip,) = _read(path)
    assert isinstance(skip, Skipped) and "no HTML response records" in skip.reason


# --- gzip -----------------------------------------------------------------------------------------


def test_gzip_of_any_kind(tmp_path: Path) -> None:
    path = tmp_path / "page.gz"
    path.write_bytes(gzip.compress(PAGE))
    (doc,) = _docs(_read(path))
    assert doc.kind == "html" and "Body text." in doc.body


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(b"some text " * 500)[:-30])
    (skip,) = _read(path)
    assert isinstance(skip, Skipped)
    assert skip.input == str(path) and "truncated" in skip.reason and "re-download" in skip.reason


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(b"a" * 2_000_000))
    (skip,) = _read(path, max_bytes=100_000)
    assert isinstance(skip, Skipped) and "raise --max-bytes" in skip.reason


# --- bad input never stops the batch ---------------------------------------------------------------


def test_bad_inputs_each_skipped_and_batch_continues(tmp_path: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"abc\x00\x00def")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    bad_feed = tmp_path / "feed.xml"
    bad_feed.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</ti')
    good = tmp_path / "good.txt"
    good.write_text("A good article.")
    missing = tmp_path / "missing.txt"
    items = _read(png, nul, empty, big, bad_feed, missing, good, max_bytes=1000)
    assert [type(i).__name__ for i in items] == ["Skipped"] * 6 + ["Document"]
    by_input = {s.input: s.reason for s in _skips(items)}
    assert "PNG image" in by_input[str(png)]
    assert "binary data" in by_input[str(nul)]
    assert "empty file" in by_input[str(empty)]
    assert "5,000 bytes" in by_input[str(big)] and "1,000" in by_input[str(big)]
    assert "raise --max-bytes" in by_input[str(big)]
    assert "not a readable RSS/Atom feed" in by_input[str(bad_feed)]
    assert "no such file" in by_input[str(missing)]
    assert all(s.error for s in _skips(items))


def test_unsupported_scheme() -> None:
    (skip,) = _read("ftp://example.org/feed.xml")
    assert isinstance(skip, Skipped) and "http(s)" in skip.reason


def test_damaged_warc_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    _warc(path, compress=False)
    data = path.read_bytes()
    for cut in (3, 100):  # inside the last record's payload, and inside its header
        path.write_bytes(data[:-cut])
        items = _read(path)
        assert next(d.url for d in _docs(items)) == "https://ex.org/a"
        damaged = [s for s in _skips(items) if "damaged" in s.reason]
        assert len(damaged) == 1 and "truncated" in damaged[0].reason
    cut = data.index(b"WARC/1", data.index(b"https://ex.org/gone"))  # start of the last record
    path.write_bytes(data[:cut] + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x\r\n")
    items = _read(path)
    assert [d.url for d in _docs(items)] == ["https://ex.org/a"]
    damaged = [s for s in _skips(items) if "damaged" in s.reason]
    assert len(damaged) == 1 and "re-download" in damaged[0].reason


def test_stdin_over_cap_and_whitespace_only(tmp_path: Path) -> None:
    (skip,) = _read("-", stdin=io.BytesIO(b"x" * 50), max_bytes=10)
    assert (
        isinstance(skip, Skipped) and skip.input == "<stdin>" and "raise --max-bytes" in skip.reason
    )
    path = tmp_path / "nbsp.txt"
    path.write_bytes(b"\xa0\xa0\n")
    (skip,) = _read(path)
    assert isinstance(skip, Skipped) and "white space" in skip.reason
