"""``newslineage serve`` under write load: read latency while three clients keep POSTing.

A generated corpus is added and analysed into a SQLite store, then served by a real
``newslineage serve`` process on 127.0.0.1 (loopback only). Two reader threads GET a mix
of pages and API records:

- baseline: with no POST running (same server, same run);
- under load: while three POST loops each send ``posts`` new articles (copies with an
  added paragraph, so every analysis finds a derivation) and wait for their answers.

Target (issue 14): GET p99 < 1 s under load. Counts and time are bounded (``budget_s``);
the server is stopped with SIGTERM at the end, and the seconds it took are a figure too.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.bench_common import Figure, Section
from bench.generate import generate_corpus, write_corpus
from newslineage import api

READERS = 2
POST_LOOPS = 3
TARGET = "GET p99 < 1 s with 3 POST loops"
_PATHS = ("/api/stories", "/api/articles", "/", "/api/outlets", "/feeds/originals.xml")


def run(n: int, posts: int, budget_s: float) -> tuple[Section, dict]:
    """The serve section: baseline and loaded GET latencies, POST answers, stop time."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        db, texts = _store(Path(tmp), n, posts * POST_LOOPS)
        port = _free_port()
        proc = _serve(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, proc)
            ids = [a["id"] for a in httpx.get(f"{base}/api/articles?limit=20").json()["items"]]
            paths = [*_PATHS, *(f"/api/articles/{i}/lineage" for i in ids[:5])]
            idle = _reads(base, paths, stop_after=200, until=None, budget_s=budget_s / 4)
            loaded, answers = _under_load(base, paths, texts, budget_s)
        finally:
            stop_s = _stop(proc)
    return _section(idle, loaded, answers, stop_s, n), {}


def _store(folder: Path, n: int, n_posts: int) -> tuple[Path, list[str]]:
    """An analysed store of ``n`` generated articles, and ``n_posts`` texts to POST."""
    records, truth = generate_corpus(n, seed=11)
    write_corpus(folder / "corpus", records, truth)
    db = folder / "serve.db"
    store = api.open_store(str(db))
    api.add([str(folder / "corpus" / "corpus.jsonl")], store)
    api.analyze(store)
    store.close()
    texts = [
        f"{records[i % n]['text']}\n\nReader update {i}: the council will publish its answer "
        f"on day {i + 1}, a spokesperson for district {i * 7 + 3} said."
        for i in range(n_posts)
    ]
    return db, texts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newslineage", "serve", "--db", str(db), "--port", str(port)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"newslineage serve exited with {proc.returncode}")
        try:
            httpx.get(base + "/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("newslineage serve did not start within 60 s")


def _reads(
    base: str, paths: list[str], *, stop_after: int, until: threading.Event | None, budget_s: float
) -> list[float]:
    """GET latencies (s) from READERS threads: ``stop_after`` GETs in all, or until
    ``until`` is set, or ``budget_s``. A failed GET counts as the budget (an outlier)."""
    times: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + budget_s

    def reader(k: int) -> None:
        with httpx.Client(base_url=base, timeout=budget_s) as client:
            i = k
            while time.monotonic() < deadline and (until is None or not until.is_set()):
                with lock:
                    if len(times) >= stop_after:
                        return
                t = time.perf_counter()
                try:
                    ok = client.get(paths[i % len(paths)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - t if ok else budget_s
                with lock:
                    times.append(took)
                i += READERS

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def _under_load(
    base: str, paths: list[str], texts: list[str], budget_s: float
) -> tuple[list[float], list[int]]:
    """GET latencies while POST_LOOPS clients post ``texts``; the POSTs' status codes."""
    done = threading.Event()
    codes: list[int] = []
    per_loop = [texts[k::POST_LOOPS] for k in range(POST_LOOPS)]

    def poster(mine: list[str]) -> None:
        with httpx.Client(base_url=base, timeout=budget_s) as client:
            for text in mine:
                try:
                    codes.append(client.post("/api/articles", json={"text": text}).status_code)
                except httpx.HTTPError:
                    codes.append(0)

    loops = [threading.Thread(target=poster, args=(m,)) for m in per_loop]
    for t in loops:
        t.start()
    watcher = threading.Thread(target=lambda: ([t.join() for t in loops], done.set()))
    watcher.start()
    times = _reads(base, paths, stop_after=100_000, until=done, budget_s=budget_s)
    watcher.join()
    return times, codes


def _stop(proc: subprocess.Popen) -> float:
    """SIGTERM the server; seconds until it exited (killed after 30 s)."""
    t = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return time.perf_counter() - t


def _p(times: list[float], q: float) -> float | None:
    if not times:
        return None
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _section(
    idle: list[float], loaded: list[float], codes: list[int], stop_s: float, n: int
) -> Section:
    sec = Section(f"Serve: reads while POSTs are analysed ({n} articles stored)")
    p99, base99 = _p(loaded, 0.99), _p(idle, 0.99)
    ratio = base99 / p99 if p99 and base99 else None
    sec.add(
        Figure("GET p99 with 3 POST loops", p99, "s", base99, "GET p99, no POSTs", ratio,
               target=TARGET, met=None if p99 is None else p99 < 1.0,
               note=f"{len(loaded)} GETs under load, {len(idle)} without"),
        Figure("GET p50 with 3 POST loops", _p(loaded, 0.5), "s", _p(idle, 0.5),
               "GET p50, no POSTs"),
        Figure("POSTs answered 2xx", float(sum(200 <= c < 300 for c in codes)), "requests",
               note=f"of {len(codes)}; codes {sorted(set(codes))}"),
        Figure("serve stops after SIGTERM", stop_s, "s", target="<= 5 s after SIGTERM",
               met=stop_s <= 5.0),
    )  # fmt: skip
    if loaded:
        sec.notes.append(f"mean GET under load {statistics.fmean(loaded):.3f} s.")
    return sec
