"""Issue 14 rows 1, 9 and 12: `serve` under a big analysis, many POSTs, and offline docs.

Bounded: every wait has a timeout, and a hang fails the test instead of blocking the suite.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer
from newslineage import api

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # `bench` is a top-level folder, not part of the package

from bench.generate import generate_corpus, write_corpus  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}")
        try:
            httpx.get(base + "/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("serve did not start within 30 s")


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment names ``marker`` (the server's analyst and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def thousand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two generated corpora (seeds 3 and 4, 500 each) added, not analysed: the first
    analysis has well over 2,000 candidate pairs, so it takes the worker pool's path."""
    folder = tmp_path_factory.mktemp("big")
    files = []
    for seed in (3, 4):
        records, truth = generate_corpus(500, seed=seed)
        write_corpus(folder / f"c{seed}", records, truth)
        files.append(str(folder / f"c{seed}" / "corpus.jsonl"))
    db = folder / "big.db"
    store = api.open_store(str(db))
    assert api.add(files, store).ingested == 1000
    store.close()
    return db


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_serve_answers_and_stops_within_5_s_during_a_parallel_analysis(
    thousand_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "served.db"
    db.write_bytes(thousand_db.read_bytes())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "newslineage", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_up(base, proc)
        text = "The harbour board met on Monday and agreed a new fee schedule for the ferry."
        post = httpx.post(
            f"{base}/api/articles", json={"text": text}, params={"wait": 1}, timeout=30
        )
        assert post.status_code in (201, 202), post.text
        assert httpx.get(f"{base}/api/stories", timeout=5).status_code == 200
        time.sleep(3)  # the analysis is under way (its pool forks after candidate search)
        assert _processes_with(str(db)), "the analysis should be running in a child process"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=5)
        assert time.monotonic() - started < 5
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    deadline = time.monotonic() + 3
    while _processes_with(str(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _processes_with(str(db))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "no analysis process may outlive the server"


async def _post_many(base: str, texts: list[str]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(texts))
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        posts = [client.post("/api/articles", json={"text": t}, params={"wait": 0}) for t in texts]
        return await asyncio.gather(*posts)


def _distinct_text(i: int) -> str:
    return (
        f"Council note {i}: the committee for district {i} met on day {i % 28 + 1} and voted "
        f"{i + 3} to {i % 5} on the plan for road {i * 7}. Officials said work on section "
        f"{i * 11} would begin soon and cost {i * 1000 + 17} pounds in total."
    )


def test_100_concurrent_posts_lose_nothing(writable) -> None:
    srv: LiveServer = writable()
    before = httpx.get(f"{srv.url}/api/articles").json()["total"]
    texts = [_distinct_text(i) for i in range(100)]
    answers = asyncio.run(_post_many(srv.url, texts))
    assert [r.status_code for r in answers if r.status_code not in (201, 202)] == []
    ids = {r.json()["ingest"]["article_ids"][0] for r in answers}
    assert len(ids) == 100
    jobs = [r.headers["location"] for r in answers if r.status_code == 202]
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=srv.url, timeout=30) as client:
        while jobs and time.monotonic() < deadline:
            jobs = [j for j in jobs if client.get(j).json()["status"] != "done"]
            time.sleep(0.2)
        assert not jobs, f"{len(jobs)} jobs still not analysed after 120 s"
        stored = client.get("/api/articles", params={"limit": 500}).json()
        deadline = time.monotonic() + 10  # reads catch up within a refresh
        while stored["total"] < before + 100 and time.monotonic() < deadline:
            time.sleep(0.2)
            stored = client.get("/api/articles", params={"limit": 500}).json()
        assert stored["total"] == before + 100
        assert ids <= {a["id"] for a in stored["items"]}
        for i in list(ids)[:5]:
            assert client.get(f"/api/articles/{i}/lineage").status_code == 200


def test_post_answers_202_with_a_job_to_poll(writable) -> None:
    srv: LiveServer = writable()
    text = _distinct_text(1000)
    resp = httpx.post(f"{srv.url}/api/articles", json={"text": text}, params={"wait": 0})
    assert resp.status_code in (201, 202), resp.text
    if resp.status_code == 202:
        location = resp.headers["location"]
        assert location == resp.json()["href"] and resp.json()["status"] in ("queued", "running")
        deadline = time.monotonic() + 60
        while httpx.get(srv.url + location).json()["status"] != "done":
            assert time.monotonic() < deadline, "the analysis did not finish within 60 s"
            time.sleep(0.2)
    job = httpx.get(srv.url + resp.json().get("href", "/api/jobs/1")).json()
    assert job["status"] == "done" and job["error"] is None
    assert httpx.get(srv.url + job["lineage"][0]).status_code == 200
    assert httpx.get(f"{srv.url}/api/jobs/99999").status_code == 404


def test_next_link_encodes_the_outlet(writable) -> None:
    srv: LiveServer = writable()
    for i in range(3):
        body = {"text": _distinct_text(2000 + i), "outlet": "A&B"}
        assert httpx.post(f"{srv.url}/api/articles", json=body).status_code in (201, 202)
    first = httpx.get(f"{srv.url}/api/articles", params={"outlet": "A&B", "limit": 1}).json()
    assert first["total"] == 3, first
    second = httpx.get(srv.url + first["next"]).json()
    assert second["total"] == 3 and second["offset"] == 1
    assert second["items"][0]["id"] != first["items"][0]["id"]


def test_docs_page_works_offline(live: LiveServer) -> None:
    resp = httpx.get(f"{live.url}/docs")
    assert resp.status_code == 200
    page = resp.text
    assert "<script" not in page and "cdn" not in page.lower()
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere
    spec = httpx.get(f"{live.url}/openapi.json").json()
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page
