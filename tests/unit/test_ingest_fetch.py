"""HTTP ingestion against a real threaded http.server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from newslineage.ingest import IngestOptions, check_address, meta_key, read_sources
from newslineage.model import Document, Skipped

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<link>http://local.test/</link>
<item><title>Served</title><link>http://local.test/1</link>
<description>Served over HTTP.</description><pubDate>Wed, 12 Feb 2025 08:00:00 GMT</pubDate></item>
</channel></rss>"""
PAGE = b"<html><head><title>P</title></head><body><p>\x93Quoted\x94 page.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    user_agents: ClassVar[list[str]] = []
    conditional: ClassVar[list[str]] = []
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        with self.lock:
            self.hits[self.path] += 1
            count = self.hits[self.path]
            self.user_agents.append(self.headers.get("User-Agent", ""))
            if self.headers.get("If-None-Match"):
                self.conditional.append(self.headers["If-None-Match"])
        path = urlsplit(self.path).path
        route = getattr(self, "r_" + path.strip("/").split("/")[0].replace("-", "_"), None)
        if route is None:
            self._send(404, b"not here", "text/plain")
        else:
            route(path, count)

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def r_page(self, path: str, count: int) -> None:
        self._send(200, PAGE, "text/html; charset=windows-1252")

    def r_feed(self, path: str, count: int) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self._send(
            200,
            FEED,
            "application/rss+xml",
            ETag='"v1"',
            Last_Modified="Wed, 12 Feb 2025 08:00:00 GMT",
        )

    def r_hop(self, path: str, count: int) -> None:
        left = int(path.rsplit("/", 1)[-1])
        self._redirect(f"/hop/{left - 1}" if left > 0 else "/page")

    def r_loop(self, path: str, count: int) -> None:
        self._redirect("/loop")

    def r_to_file(self, path: str, count: int) -> None:
        self._redirect("file:///etc/passwd")

    def r_big(self, path: str, count: int) -> None:
        self._send(200, b"x" * 200_000, "text/plain")

    def r_stream(self, path: str, count: int) -> None:
        # no Content-Length: the body ends when the connection closes (HTTP/1.0)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(50):
            self.wfile.write(b"y" * 10_000)

    def r_flaky(self, path: str, count: int) -> None:
        if count <= 2:
            self._send(503, b"busy", "text/plain")
        else:
            self._send(200, b"Finally some text.", "text/plain")

    def r_limited(self, path: str, count: int) -> None:
        if count == 1:
            self._send(429, b"slow down", "text/plain", Retry_After="0")
        else:
            self._send(200, b"Allowed now.", "text/plain")

    def r_down(self, path: str, count: int) -> None:
        self._send(500, b"broken", "text/plain")

    def r_slow(self, path: str, count: int) -> None:
        time.sleep(1.0)
        self._send(200, b"late", "text/plain")

    def r_empty(self, path: str, count: int) -> None:
        self._send(200, b"", "text/html")

    def r_gz(self, path: str, count: int) -> None:
        self._send(200, gzip.compress(PAGE), "text/html", Content_Encoding="gzip")

    def r_bare(self, path: str, count: int) -> None:
        self._send(200, b"No tags here, but the server says HTML.", "text/html")

    def r_opml(self, path: str, count: int) -> None:
        port = self.server.server_address[1]
        body = (
            f'<opml version="2.0"><body><outline xmlUrl="http://127.0.0.1:{port}/feed"/>'
            '<outline xmlUrl="/nothing"/></body></opml>'
        ).encode()
        self._send(200, body, "text/x-opml")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class DictMeta:
    """A real in-memory MetaStore (the Store's get_meta/set_meta contract)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get_meta(self, key: str) -> str | None:
        return self.data.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.data[key] = value


def _opts(**kw: object) -> IngestOptions:
    base: dict[str, object] = {"allow_private": True, "timeout": 5.0, "retries": 2, "backoff": 0.01}
    base.update(kw)
    return IngestOptions(**base)  # type: ignore[arg-type]


def _read(url: str, **kw: object) -> list[Document | Skipped]:
    return list(read_sources([url], _opts(**kw)))


def test_html_page_with_header_charset_and_user_agent(server: str) -> None:
    (doc,) = _read(f"{server}/page?ua")
    assert isinstance(doc, Document)
    assert (doc.kind, doc.url, doc.origin, doc.raw) == (
        "html",
        f"{server}/page?ua",
        f"{server}/page?ua",
        PAGE,
    )
    assert "\u201cQuoted\u201d" in doc.body
    assert any(
        ua.startswith("newslineage/0.1 (news lineage research tool") for ua in _Handler.user_agents
    )


def test_feed_over_http_and_conditional_get(server: str) -> None:
    meta = DictMeta()
    url = f"{server}/feed"
    (doc,) = _read(url, meta=meta)
    assert isinstance(doc, Document) and doc.kind == "feed_item" and doc.title == "Served"
    stored = json.loads(meta.data[meta_key(url)])
    assert stored["etag"] == '"v1"' and stored["last_modified"].startswith("Wed, 12 Feb 2025")
    (again,) = _read(url, meta=meta)
    assert isinstance(again, Skipped) and not again.error
    assert again.reason == "not modified since last fetch"
    assert '"v1"' in _Handler.conditional


def test_validators_kept_only_after_documents_are_taken(server: str) -> None:
    meta = DictMeta()
    items = read_sources([f"{server}/feed"], _opts(meta=meta))
    next(items)
    assert meta.data == {}  # the consumer has not finished with this URL yet
    list(items)
    assert meta_key(f"{server}/feed") in meta.data


def test_redirects_followed_and_capped(server: str) -> None:
    (doc,) = _read(f"{server}/hop/3")
    assert isinstance(doc, Document) and doc.url == f"{server}/page"
    (skip,) = _read(f"{server}/loop")
    assert isinstance(skip, Skipped) and "more than 5 redirects" in skip.reason
    assert _Handler.hits["/loop"] == 6
    (bad,) = _read(f"{server}/to-file")
    assert isinstance(bad, Skipped) and "not an http(s) URL" in bad.reason


def test_size_cap_with_and_without_content_length(server: str) -> None:
    (skip,) = _read(f"{server}/big", max_bytes=50_000)
    assert isinstance(skip, Skipped)
    assert (
        "200,000 bytes" in skip.reason
        and "50,000" in skip.reason
        and "raise --max-bytes" in skip.reason
    )
    (skip,) = _read(f"{server}/stream", max_bytes=50_000)
    assert isinstance(skip, Skipped) and "over the cap of 50,000 bytes" in skip.reason
    (doc,) = _read(f"{server}/stream?all", max_bytes=1_000_000)
    assert isinstance(doc, Document) and len(doc.body) == 500_000


def test_retries_on_503_and_429(server: str) -> None:
    (doc,) = _read(f"{server}/flaky?a", retries=3)
    assert isinstance(doc, Document) and doc.body == "Finally some text."
    assert _Handler.hits["/flaky?a"] == 3
    (skip,) = _read(f"{server}/flaky?b", retries=1)
    assert isinstance(skip, Skipped) and "HTTP 503" in skip.reason and "2 attempt(s)" in skip.reason
    (doc,) = _read(f"{server}/limited", retries=1)
    assert isinstance(doc, Document) and doc.body == "Allowed now."
    (skip,) = _read(f"{server}/down", retries=2)
    assert isinstance(skip, Skipped) and _Handler.hits["/down"] == 3


def test_backoff_is_exponential(server: str) -> None:
    start = time.monotonic()
    _read(f"{server}/down?slow", retries=2, backoff=0.2)
    assert time.monotonic() - start >= 0.2 + 0.4


def test_http_errors_timeouts_and_unreachable(server: str) -> None:
    (skip,) = _read(f"{server}/missing")
    assert isinstance(skip, Skipped) and "HTTP 404" in skip.reason
    (skip,) = _read(f"{server}/slow", timeout=0.2, retries=0)
    assert isinstance(skip, Skipped) and "timed out" in skip.reason
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    (skip,) = _read(f"http://127.0.0.1:{port}/x", retries=1)
    assert isinstance(skip, Skipped) and "2 attempt(s)" in skip.reason
    assert skip.input == f"http://127.0.0.1:{port}/x"
    (skip,) = _read("http://no-such-host.invalid/feed")
    assert isinstance(skip, Skipped) and skip.error


def test_private_addresses_refused_without_allow_private(server: str) -> None:
    url = f"{server}/page?private"
    (skip,) = list(read_sources([url]))
    assert isinstance(skip, Skipped) and skip.input == url
    assert (
        skip.reason
        == "127.0.0.1 resolves to 127.0.0.1, a private address; pass --allow-private to fetch it"
    )
    assert _Handler.hits["/page?private"] == 0  # refused before connecting
    port = server.rsplit(":", 1)[1]
    (skip,) = list(read_sources([f"http://localhost:{port}/page"]))
    assert isinstance(skip, Skipped) and "a private address" in skip.reason
    (skip,) = list(read_sources(["http://no-such-host.invalid/feed"]))
    assert isinstance(skip, Skipped) and "cannot resolve host no-such-host.invalid" in skip.reason


@pytest.mark.parametrize(
    ("ip", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
    ],
)
def test_check_address(ip: str, private: bool) -> None:
    assert (check_address(ip) is not None) is private


def test_content_encoding_empty_and_header_html(server: str) -> None:
    (doc,) = _read(f"{server}/gz")
    assert isinstance(doc, Document) and "Quoted" in doc.body
    (skip,) = _read(f"{server}/empty")
    assert isinstance(skip, Skipped) and "empty response" in skip.reason
    (doc,) = _read(f"{server}/bare")
    assert isinstance(doc, Document) and doc.kind == "html"


def test_opml_over_http_fetches_each_feed(server: str) -> None:
    items = _read(f"{server}/opml")
    doc, skip = items
    assert isinstance(doc, Document) and doc.title == "Served" and doc.origin == f"{server}/feed"
    assert (
        isinstance(skip, Skipped)
        and skip.input == f"{server}/nothing"
        and "HTTP 404" in skip.reason
    )


def test_batch_continues_after_failed_url(server: str, tmp_path: object) -> None:
    items = list(read_sources([f"{server}/missing", f"{server}/page"], _opts()))
    assert [type(i).__name__ for i in items] == ["Skipped", "Document"]
