"""Ingest throughput: read + extract, from HTML pages and from JSONL, against plain baselines.

- HTML: the generated records rendered as news pages (navigation, related links, footer, the
  article in ``<article>``), written to a folder and read with ``read_sources`` +
  ``extract_article``. Baseline: ``trafilatura.extract`` on the same page strings (no files)
  asked for what newslineage needs from it (metadata, links, XML); trafilatura's default
  call (text only, no metadata, ~2.5x faster) is in the note.
- JSONL: the records in one ``.jsonl`` file, read and extracted the same way, and end to
  end: ``api.add`` (what ``newslineage add corpus.jsonl`` runs) into a new SQLite store.
  Baseline: ``json.loads`` of the same lines.
- Store: ``Store.add_articles`` into an open SQLite store (one transaction). Baseline:
  ``sqlite3`` ``executemany`` of ``(id, text)`` into a bare table, committed.
"""

from __future__ import annotations

import html
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.bench_common import NOW, Section, best_of, rate_figure
from bench.generate import generate_corpus
from newslineage import api
from newslineage.extract.article import extract_article
from newslineage.ingest.sources import read_sources
from newslineage.model import Article, Document
from newslineage.store import open_store

_NAV = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in
               ("world", "politics", "business", "science", "sport", "opinion", "video"))  # fmt: skip


def render_page(r: dict) -> str:
    """A plausible news page around one record: the furniture extraction must remove."""
    e = html.escape
    paras = "".join(f"<p>{e(p)}</p>" for p in r["text"].split("\n\n"))
    related = "".join(
        f'<li><a href="/story/{i}">Related headline number {i} from the archive</a></li>'
        for i in range(6)
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(r["title"])} | '
        f'{e(r["outlet"])}</title><link rel="canonical" href="{e(r["url"])}">'
        f'<meta property="og:title" content="{e(r["title"])}">'
        f'<meta property="article:published_time" content="{r["published"]}"></head><body>'
        f'<header><a href="/">{e(r["outlet"])}</a><nav><ul>{_NAV}</ul></nav></header>'
        f'<main><article><h1>{e(r["title"])}</h1><time datetime="{r["published"]}">'
        f"{r['published'][:10]}</time>{paras}</article>"
        f'<aside><h2>Read more</h2><ul>{related}</ul></aside></main>'
        f"<footer><p>© 2025 {e(r['outlet'])}. All rights reserved.</p>"
        f'<p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer></body></html>'
    )  # fmt: skip


def _extract_all(paths: list[str]) -> list[Article]:
    out = []
    for item in read_sources(paths):
        if isinstance(item, Document):
            a = extract_article(item, first_seen=NOW)
            if isinstance(a, Article):
                out.append(a)
    return out


# what extract_page asks trafilatura for (extract/html.py)
_TRAFILATURA_AS_USED = {
    "output_format": "xml",
    "include_links": True,
    "include_comments": False,
    "with_metadata": True,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


def _add_jsonl(path: Path, tmp: Path) -> int:
    """``newslineage add corpus.jsonl`` into a new SQLite store; the number stored."""
    db = tmp / "add.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(str(db))
    try:
        return api.add([str(path)], store).ingested
    finally:
        store.close()


def run(n: int, repeats: int, seed: int = 7) -> Section:
    """Ingest figures on ``n`` generated articles."""
    import trafilatura

    sec = Section("Ingest (read + extract)")
    records, _ = generate_corpus(n, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pages = [render_page(r) for r in records]
        for i, p in enumerate(pages):
            (folder / f"{i:06d}.html").write_text(p, encoding="utf-8")
        jsonl = Path(tmp) / "corpus.jsonl"
        lines = [json.dumps(r) for r in records]
        jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")

        t_html, arts = best_of(lambda: _extract_all([str(folder)]), repeats)
        b_html, _ = best_of(
            lambda: [trafilatura.extract(p, **_TRAFILATURA_AS_USED) for p in pages], repeats
        )
        b_plain, _ = best_of(lambda: [trafilatura.extract(p) for p in pages], repeats)
        ok_html = len(arts)  # type: ignore[arg-type]
        t_jsonl, jarts = best_of(lambda: _extract_all([str(jsonl)]), repeats)
        b_jsonl, _ = best_of(lambda: [json.loads(x) for x in lines], repeats)
        t_add, stored = best_of(lambda: _add_jsonl(jsonl, Path(tmp)), repeats)
        t_store, b_store = _store_times(jarts, Path(tmp), repeats)  # type: ignore[arg-type]
    sec.add(
        rate_figure("HTML pages: read_sources + extract_article", n, t_html, b_html,
                    "trafilatura.extract (metadata, links, XML)", "pages/s",
                    target="within 1.5x of trafilatura", met=b_html / t_html >= 1 / 1.5,
                    note=f"{ok_html}/{n} pages gave an article; trafilatura.extract with "
                         f"default options: {n / b_plain:,.0f} pages/s"),
        rate_figure("JSONL records: read_sources + extract_article", n, t_jsonl, b_jsonl,
                    "json.loads", "records/s",
                    note=f"{len(jarts)}/{n} records gave an article"),  # type: ignore[arg-type]
        rate_figure("JSONL end to end: api.add into SQLite", n, t_add, b_jsonl,
                    "json.loads", "records/s", target=">= 1,500 records/s",
                    met=n / t_add >= 1500, note=f"{stored}/{n} stored; what `newslineage add` runs"),
        rate_figure("SQLite store: add_articles", n, t_store, b_store,
                    "sqlite3 executemany(id, text)", "articles/s",
                    target="within 2x of executemany", met=b_store / t_store >= 0.5),
    )  # fmt: skip
    sec.notes.append(
        f"{n} generated articles (median ~600 words); pages are ~{_kb(pages)} KB of HTML each. "
        "Ratios below 1 mean slower than the baseline, which does less (trafilatura alone does "
        "no cleaning, credits, links or sentences; json.loads does no extraction at all)."
    )
    return sec


def _kb(pages: list[str]) -> str:
    return f"{sum(map(len, pages)) / max(len(pages), 1) / 1024:.1f}"


def _store_times(arts: list[Article], tmp: Path, repeats: int) -> tuple[float, float]:
    """Seconds to write ``arts`` in one transaction: ours vs a bare ``executemany``.

    Each repeat writes into a new, already opened database; opening (schema creation) and
    closing (SQLite's WAL checkpoint) are fixed costs of a store, not of adding articles,
    and at 500 articles they were half of what an earlier version of this figure timed.
    """
    ours, base = float("inf"), float("inf")
    for i in range(max(repeats, 1)):
        for name in (f"s{i}.db", f"s{i}.db-wal", f"s{i}.db-shm", f"b{i}.db"):
            (tmp / name).unlink(missing_ok=True)
        store = open_store(str(tmp / f"s{i}.db"))
        t = time.perf_counter()
        store.add_articles(arts)
        ours = min(ours, time.perf_counter() - t)
        store.close()
        con = sqlite3.connect(tmp / f"b{i}.db")
        con.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
        t = time.perf_counter()
        with con:
            con.executemany("INSERT INTO t VALUES (?, ?)", [(a.id, a.text) for a in arts])
        base = min(base, time.perf_counter() - t)
        con.close()
    return ours, base
