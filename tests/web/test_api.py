"""The REST API, pages, feed and server rules over real HTTP (uvicorn on 127.0.0.1 + httpx)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest

from conftest import XSS_ATTR, XSS_SCRIPT, LiveServer
from newslineage import api
from newslineage.contract import CONTRACT
from newslineage.errors import ConfigError
from newslineage.model import DERIVATION_KINDS
from newslineage.web import check_bind, is_loopback, serve

ATOM = "{http://www.w3.org/2005/Atom}"
TOKEN = "s3cret-token-for-tests-0123456789"
ENDPOINTS = {
    "/api/articles": {"get", "post"},
    "/api/articles/{article_id}": {"get"},
    "/api/articles/{article_id}/lineage": {"get"},
    "/api/stories": {"get"},
    "/api/stories/{story_id}": {"get"},
    "/api/outlets": {"get"},
    "/feeds/originals.xml": {"get"},
}


@pytest.fixture(scope="module")
def export(examples_db: Path) -> dict:
    """What ``newslineage export`` says about the same store: the API must agree with it."""
    from newslineage.contract import export_document

    store = api.open_store(str(examples_db))
    try:
        return export_document(store)
    finally:
        store.close()


def by_origin(export: dict, name: str) -> str:
    return next(a["id"] for a in export["articles"] if a["origin_file"] == name)


def error_of(resp: httpx.Response) -> str:
    assert resp.headers["content-type"].startswith("application/json"), resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"], body
    return body["error"]


# --- read API ---------------------------------------------------------------------------


def test_openapi_lists_every_endpoint(live: LiveServer) -> None:
    spec = httpx.get(f"{live.url}/openapi.json").json()
    for path, methods in ENDPOINTS.items():
        assert path in spec["paths"], path
        assert methods <= set(spec["paths"][path]), (path, spec["paths"][path].keys())
    post = spec["paths"]["/api/articles"]["post"]
    assert post["requestBody"]["content"]["application/json"]
    assert {"401", "413", "422"} <= set(post["responses"])
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_articles_are_paged_in_ingestion_order(live: LiveServer, export: dict) -> None:
    seen, url = [], "/api/articles?limit=5"
    while url:
        page = httpx.get(live.url + url).json()
        assert page["total"] == len(export["articles"])
        assert len(page["items"]) <= 5
        seen += page["items"]
        url = page["next"]
    assert [a["id"] for a in seen] == [a["id"] for a in export["articles"]]
    first = seen[0]
    assert "text" not in first and first["href"] == f"/api/articles/{first['id']}"
    assert set(CONTRACT["articles"]) - {"text"} <= set(first)
    assert error_of(httpx.get(f"{live.url}/api/articles?limit=0")).startswith("query.limit")


def test_articles_filter_by_outlet(live: LiveServer, export: dict) -> None:
    page = httpx.get(f"{live.url}/api/articles", params={"outlet": "quickreads24.com"}).json()
    expected = [a["id"] for a in export["articles"] if a["outlet"] == "quickreads24.com"]
    assert [a["id"] for a in page["items"]] == expected and len(expected) == 3


def test_one_article_is_its_export_record(live: LiveServer, export: dict) -> None:
    record = export["articles"][0]
    got = httpx.get(f"{live.url}/api/articles/{record['id']}").json()
    assert {k: got[k] for k in record} == record  # same record as `newslineage export`
    prefix = httpx.get(f"{live.url}/api/articles/{record['id'][:8]}").json()
    assert prefix["id"] == record["id"]
    resp = httpx.get(f"{live.url}/api/articles/ffffffffffff")
    assert resp.status_code == 404 and "/api/articles" in error_of(resp)


def test_lineage_of_the_wire_original_and_a_copy(live: LiveServer, export: dict) -> None:
    wire = by_origin(export, "nws_portvale_wire.txt")
    herald = by_origin(export, "meridianherald_portvale_fire.html")
    lineage = httpx.get(f"{live.url}/api/articles/{wire}/lineage").json()
    assert set(lineage) == {"article", "sources", "derived", "story", "findings"}
    assert lineage["story"]["original"] == wire
    copies = {r["derived"] for r in lineage["derived"] if r["kind"] in DERIVATION_KINDS}
    assert herald in copies
    assert by_origin(export, "portvale_fire_scraped.txt") in copies
    assert not [r for r in lineage["sources"] if r["kind"] in DERIVATION_KINDS]
    theirs = httpx.get(f"{live.url}/api/articles/{herald}/lineage").json()
    assert any(r["source"] == wire and r["derived"] == herald for r in theirs["sources"])
    assert theirs["story"]["id"] == lineage["story"]["id"]


def test_stories_and_one_story(live: LiveServer, export: dict) -> None:
    listing = httpx.get(f"{live.url}/api/stories").json()
    assert listing["total"] == len(export["stories"])
    for got, want in zip(listing["items"], export["stories"], strict=True):
        assert {k: got[k] for k in CONTRACT["stories"]} == {k: want[k] for k in CONTRACT["stories"]}
    wire = by_origin(export, "nws_portvale_wire.txt")
    story = next(s for s in listing["items"] if s["original"] == wire)
    detail = httpx.get(live.url + story["href"]).json()
    assert [a["id"] for a in detail["article_records"]] == story["articles"]
    assert any(r["source"] == wire for r in detail["relations"])
    resp = httpx.get(f"{live.url}/api/stories/nope")
    assert resp.status_code == 404 and "nope" in error_of(resp)


def test_outlets(live: LiveServer, export: dict) -> None:
    got = httpx.get(f"{live.url}/api/outlets").json()
    assert got["items"] == export["outlets"]


def test_pages_render(live: LiveServer, export: dict) -> None:
    wire = by_origin(export, "nws_portvale_wire.txt")
    story = next(s for s in export["stories"] if s["original"] == wire)
    for path in ("/", "/outlets", f"/stories/{story['id']}", f"/articles/{wire}"):
        resp = httpx.get(live.url + path)
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in resp.headers["content-security-policy"]
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert httpx.head(live.url + path).status_code == 200, path
    assert f'href="/stories/{story["id"]}"' in httpx.get(live.url + "/").text
    missing = httpx.get(f"{live.url}/stories/nope")
    assert missing.status_code == 404 and "nope" in missing.text


# --- the feed ---------------------------------------------------------------------------


def test_originals_feed_has_one_entry_per_story(live: LiveServer, export: dict) -> None:
    resp = httpx.get(f"{live.url}/feeds/originals.xml")
    assert resp.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(resp.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(export["stories"])
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    by_id = {a["id"]: a for a in export["articles"]}
    derived = {r["derived"] for r in export["relations"] if r["kind"] in DERIVATION_KINDS}
    stories = sorted(export["stories"], key=lambda s: s["id"])
    for story, entry in zip(stories, _by_story(entries), strict=True):
        for tag in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        pick = story["original"] or _earliest(story, by_id)
        assert link in (by_id[pick]["url"], f"{live.url}/articles/{pick}")
        if story["original"]:  # a reader never gets a copy when the original is known
            assert pick not in derived
    parsed = feedparser.parse(resp.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert len(parsed.entries) == len(export["stories"])


def _by_story(entries: list[ET.Element]) -> list[ET.Element]:
    return sorted(entries, key=lambda e: e.findtext(f"{ATOM}id").rsplit(":", 1)[1])


def _earliest(story: dict, by_id: dict) -> str:
    def when(i: str) -> str:
        a = by_id[i]
        return a["published"] or a["first_seen"]

    return min(story["articles"], key=lambda i: (when(i), i))


# --- safety: hostile titles, outlets, URLs and texts ----------------------------------------

RAW = (XSS_SCRIPT, XSS_ATTR, "<script>alert(2)</script>", "onerror=alert(1)>")


def test_hostile_text_is_escaped_in_every_page(hostile: LiveServer) -> None:
    stories = httpx.get(f"{hostile.url}/api/stories").json()["items"]
    (story,) = stories
    paths = ["/", "/outlets", story["page"], *(f"/articles/{i}" for i in story["articles"])]
    paths.append(f"/stories/{XSS_SCRIPT}")  # the 404 page echoes the id
    for path in paths:
        page = httpx.get(hostile.url + path).text
        for raw in RAW:
            assert raw not in page, (path, raw)
        assert 'href="javascript:' not in page.lower(), path
    article = httpx.get(f"{hostile.url}/articles/{story['original']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in article


def test_hostile_text_round_trips_through_json(hostile: LiveServer) -> None:
    resp = httpx.get(f"{hostile.url}/api/articles")
    assert resp.headers["content-type"] == "application/json"
    titles = {a["title"] for a in json.loads(resp.text)["items"]}
    assert any(XSS_SCRIPT in t for t in titles) and any(XSS_ATTR in t for t in titles)
    assert "<script>" not in resp.headers["content-type"]
    resp = httpx.get(f"{hostile.url}/api/articles/{XSS_SCRIPT}")
    assert resp.status_code == 404 and XSS_SCRIPT in error_of(resp)  # JSON, not HTML


def test_hostile_text_is_escaped_in_the_feed(hostile: LiveServer) -> None:
    body = httpx.get(f"{hostile.url}/feeds/originals.xml").content
    assert b"<script" not in body and b"<img" not in body
    entry = ET.fromstring(body).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").startswith(XSS_SCRIPT)
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name").startswith('evil">')
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link.startswith(hostile.url + "/articles/")  # never the javascript: URL


# --- writing ----------------------------------------------------------------------------


def test_post_text_ingests_analyses_and_answers_lineage(writable, export: dict) -> None:
    srv = writable()
    wire = next(a for a in export["articles"] if a["origin_file"] == "nws_portvale_wire.txt")
    text = wire["text"] + "\n\nThis paragraph was added by the copying site."
    resp = httpx.post(f"{srv.url}/api/articles", json={"text": text, "title": "Copied fire"})
    assert resp.status_code == 201, resp.text
    got = resp.json()
    assert got["ingest"]["new"] == 1 and got["article"]["title"] == "Copied fire"
    assert any(r["source"] == wire["id"] for r in got["sources"]), got["sources"]
    assert got["story"]["original"] == wire["id"]
    new_id = got["article"]["id"]
    assert httpx.get(f"{srv.url}/api/articles/{new_id}").json()["text"].startswith("PORTVALE")
    assert httpx.get(f"{srv.url}/articles/{new_id}").status_code == 200
    again = httpx.post(f"{srv.url}/api/articles", json={"text": text, "title": "Copied fire"})
    assert again.status_code == 200 and again.json()["ingest"]["unchanged"] == 1


def test_post_html_with_url(writable, examples_dir: Path) -> None:
    srv = writable()
    html = (examples_dir / "corpus" / "meridianherald_portvale_fire.html").read_text()
    html = html.replace("meridianherald.com", "mirror.example")
    url = "https://mirror.example/portvale-fire"
    body = {"html": html, "url": url, "outlet": "mirror", "published": "2026-03-08T10:00:00"}
    resp = httpx.post(f"{srv.url}/api/articles", json=body)
    assert resp.status_code == 201, resp.text
    article = resp.json()["article"]
    assert article["url"] == url and article["outlet"] == "mirror"
    assert article["published"] == "2026-03-08T10:00:00+00:00"
    assert resp.json()["sources"] or resp.json()["derived"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({}, "send {url}"),
        ({"html": "<p>x</p>", "text": "x"}, "not both"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"url": "/etc/passwd"}, "http"),
        ({"text": "x", "colour": "red"}, "colour"),
        ({"text": "   "}, "empty"),
        ({"url": "https://example.com/a", "title": "T"}, "go with html or text"),
        ({"text": "x", "published": "yesterday"}, "published"),
    ],
)
def test_post_bad_bodies_are_json_errors(live: LiveServer, body: dict, needle: str) -> None:
    resp = httpx.post(f"{live.url}/api/articles", json=body)
    assert resp.status_code == 422, resp.text
    assert needle in error_of(resp)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]/"])
def test_post_private_url_is_refused(live: LiveServer, url: str) -> None:
    resp = httpx.post(f"{live.url}/api/articles", json={"url": url})
    assert resp.status_code == 403
    assert "private address" in error_of(resp)


@pytest.fixture
def page_server(examples_dir: Path) -> Iterator[str]:
    """A real local web server publishing one example page."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(examples_dir / "corpus")
    )
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_post_url_fetches_when_private_allowed(writable, page_server: str) -> None:
    srv = writable(allow_private=True)
    url = f"{page_server}/dailyglobebrief_portvale_fire.html"
    resp = httpx.post(f"{srv.url}/api/articles", json={"url": url}, timeout=30)
    assert resp.status_code in (200, 201), resp.text  # same content as a stored article
    assert resp.json()["article"]["url"] == url
    gone = httpx.post(f"{srv.url}/api/articles", json={"url": f"{page_server}/missing.html"})
    assert gone.status_code == 422 and "404" in error_of(gone)


def test_body_over_the_limit_is_413(writable) -> None:
    srv = writable(max_body=2_000)
    big = {"text": "word " * 1_000}
    resp = httpx.post(f"{srv.url}/api/articles", json=big)
    assert resp.status_code == 413 and "2,000 bytes" in error_of(resp)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while streaming
        yield b'{"text": "'
        for _ in range(10):
            yield b"word " * 100
        yield b'"}'

    resp = httpx.post(
        f"{srv.url}/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert resp.status_code == 413
    small = httpx.post(f"{srv.url}/api/articles", json={"text": "A short note on the harbour."})
    assert small.status_code == 201


def test_token_guards_writes_only(writable) -> None:
    srv = writable(token=TOKEN)
    body = {"text": "The harbour board met on Monday and agreed a new fee schedule."}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        resp = httpx.post(f"{srv.url}/api/articles", json=body, headers=headers)
        assert resp.status_code == 401 and "Bearer" in error_of(resp)
        assert resp.headers["www-authenticate"] == "Bearer"
    ok = httpx.post(
        f"{srv.url}/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status_code == 201
    assert httpx.get(f"{srv.url}/api/articles").status_code == 200  # reads stay open


# --- serve() and the bind rule -----------------------------------------------------------


def test_bind_rule() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(ConfigError, match="without a token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ConfigError, match="at least 16"):
        check_bind("0.0.0.0", "short")


def test_serve_refuses_public_bind_without_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEWSLINEAGE_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="--token"):
        serve(str(tmp_path / "x.db"), host="0.0.0.0", port=1)
    assert not (tmp_path / "x.db").exists()  # refused before opening anything


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_uvicorn_with_token_and_host_check(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "served.db"
    db.write_bytes(examples_db.read_bytes())
    port = _free_port()
    code = (
        f"from newslineage.web import serve; serve({str(db)!r}, port={port}, log_level='warning')"
    )
    env = {**os.environ, "NEWSLINEAGE_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, proc)
        assert httpx.get(base + "/").status_code == 200
        post = httpx.post(f"{base}/api/articles", json={"text": "A note on the harbour fees."})
        assert post.status_code == 401  # the token from the environment is enforced
        rebound = httpx.get(base + "/", headers={"Host": "attacker.example"})
        assert rebound.status_code == 421 and "attacker.example" in error_of(rebound)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_for(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(base + "/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("serve did not start within 20 s")


def test_feed_answers_conditional_get_and_head(live: LiveServer) -> None:
    first = httpx.get(f"{live.url}/feeds/originals.xml")
    etag = first.headers["etag"]
    again = httpx.get(f"{live.url}/feeds/originals.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    head = httpx.head(f"{live.url}/feeds/originals.xml")
    assert head.status_code == 200 and head.headers["etag"] == etag


def test_missing_web_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from newslineage.errors import MissingExtraError
    from newslineage.web import create_app

    for name in [m for m in sys.modules if m == "newslineage.web.app"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if FastAPI were not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'newslineage\[web\]'"):
        create_app(":memory:")


def test_reads_stay_consistent_while_a_write_runs(writable, export: dict) -> None:
    from concurrent.futures import ThreadPoolExecutor

    srv = writable()
    text = next(a["text"] for a in export["articles"] if a["origin_file"].endswith("wire.txt"))
    with httpx.Client(base_url=srv.url, timeout=30) as client, ThreadPoolExecutor(8) as pool:
        post = pool.submit(client.post, "/api/articles", json={"text": text + " Updated."})
        reads = [pool.submit(client.get, p) for p in ["/api/stories", "/", "/api/outlets"] * 6]
        assert post.result().status_code == 201
        assert all(r.result().status_code == 200 for r in reads)
        total = client.get("/api/articles").json()["total"]
    assert total == len(export["articles"]) + 1
