"""The store: one test suite run against SQLite (tmp_path) and PostgreSQL (pg_url)."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newslineage.errors import MissingExtraError, StoreError
from newslineage.model import (
    AlignedPair,
    Alignment,
    Article,
    Finding,
    Relation,
    Removal,
    Skipped,
    Span,
    Story,
    TimelineEntry,
)
from newslineage.store import open_store, sql
from newslineage.store.schema import latest_version

CET = timezone(timedelta(hours=1))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty store location: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    base = request.getfixturevalue("pg_url")
    psycopg = pytest.importorskip("psycopg")
    schema = "nl_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str):
    s = open_store(store_url)
    yield s
    s.close()


def art(i: int, key: str | None = None, text: str | None = None, **kw) -> Article:
    body = text if text is not None else f"Article number {i}. It says something."
    return Article(id=f"id{i:05d}", text=body, key=key if key is not None else f"k{i}", **kw)


def full_article() -> Article:
    """An article with every field set to a non-default value (new model fields included)."""
    given = dict(
        id="abc123",
        text="BRUSSELS (AP) — Ça va. «Quotes» and emoji 🙂.\nSecond line.",
        url="https://example.com/a?x=1",
        outlet="example.com",
        title="A title",
        published=datetime(2025, 2, 11, 9, 30, 15, 123456, tzinfo=CET),
        first_seen=datetime(2025, 2, 12, 0, 0, tzinfo=UTC),
        language="en",
        credits=("AP", "Reuters"),
        links=("https://a.example/1", "https://b.example/2"),
        via="https://source.example/x",
        author="Jane Doe",
        categories=("World", "NATO"),
        origin_file="004_feed.xml",
        origin_item=3,
        external_id="ext-9",
        raw_ref="sha256:00",
        removed=(Removal("Donate now", "donation_block", 40), Removal("Ta.", "scraper_debris")),
        sentences=((0, 20), (21, 40)),
        key="https://example.com/a?x=1",
        content_hash="deadbeef",
    )
    # fields the model gains later still have to round-trip (through the extra column)
    for f in dataclasses.fields(Article):
        if f.name not in given:
            default = f.default if f.default is not dataclasses.MISSING else None
            given[f.name] = ("extra",) if isinstance(default, tuple) else f"extra-{f.name}"
    return Article(**given)


# --- opening ------------------------------------------------------------------


def test_open_migrates_once_and_reopens(store_url: str) -> None:
    with open_store(store_url) as s:
        assert s.schema_version() == latest_version()
        s.add_article(art(1))
    with open_store(store_url) as s:  # second open: no migration error, data kept
        assert s.schema_version() == latest_version()
        assert s.count_articles() == 1


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, latest_version() + 1))


def test_open_store_default_env_and_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSLINEAGE_DB", raising=False)
    open_store().close()
    assert (tmp_path / "newslineage.db").is_file()
    monkeypatch.setenv("NEWSLINEAGE_DB", str(tmp_path / "env" / "e.db"))
    open_store(None).close()
    assert (tmp_path / "env" / "e.db").is_file()
    open_store(f"sqlite:///{tmp_path / 'abs.db'}").close()  # sqlite:////abs/path
    assert (tmp_path / "abs.db").is_file()
    open_store("sqlite:///rel.db").close()
    assert (tmp_path / "rel.db").is_file()
    with open_store(":memory:") as mem:
        assert mem.add_article(art(1)) == "new"


def test_open_errors_name_the_problem_and_fix(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="writable"):
        open_store(tmp_path / "afile" / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        open_store(junk)
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="unsupported store URL scheme 'mysql'"):
        open_store("mysql://u@h/db")


def test_unreachable_postgres_is_a_store_error() -> None:
    pytest.importorskip("psycopg")
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        open_store("postgresql://u:secret@127.0.0.1:1/db?connect_timeout=3")
    assert "cannot connect" in str(info.value) and "server is running" in str(info.value)
    assert "secret" not in str(info.value)  # the password never reaches a message
    assert time.monotonic() - started < 10


def test_missing_psycopg_names_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["psycopg"] = None  # as if the postgres extra were not installed
        from newslineage.errors import MissingExtraError
        from newslineage.store import open_store
        try:
            open_store("postgresql://u@127.0.0.1/db")
        except MissingExtraError as exc:
            print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'newslineage[postgres]'" in out.stdout
    assert issubclass(MissingExtraError, Exception)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (999, 'future', 'now')")
    with pytest.raises(StoreError, match="newer newslineage"):
        open_store(db)


# --- articles and versions ---------------------------------------------------


def test_every_field_round_trips(store) -> None:
    a = full_article()
    assert store.add_article(a) == "new"
    back = store.get_article(a.id)
    assert back == a
    assert back.published.tzinfo == UTC and back.published == a.published
    assert isinstance(back.removed[0], Removal) and back.sentences == ((0, 20), (21, 40))
    bare = Article(id="bare", text="")
    store.add_article(bare)
    assert store.get_article("bare") == bare  # None stays None, () stays ()
    assert store.get_article("nope") is None


def test_naive_datetimes_are_taken_as_utc(store) -> None:
    store.add_article(art(1, published=datetime(2025, 1, 2, 3, 4)))
    assert store.get_article("id00001").published == datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def test_add_article_new_version_unchanged(store) -> None:
    t0 = datetime(2025, 2, 11, tzinfo=UTC)
    v1 = art(1, key="K", text="first text", first_seen=t0)
    assert store.add_article(v1) == "new"
    # same id again, later: a no-op that keeps the first first_seen
    again = dataclasses.replace(v1, first_seen=t0 + timedelta(days=3), title="changed")
    assert store.add_article(again) == "unchanged"
    assert store.get_article(v1.id).first_seen == t0
    assert store.get_article(v1.id).title is None
    v2 = art(2, key="K", text="second text", first_seen=t0 + timedelta(hours=5))
    assert store.add_article(v2) == "version"
    assert store.count_articles() == 2
    assert [a.id for a in store.versions("K")] == [v1.id, v2.id]
    assert [a.first_seen for a in store.versions("K")] == [t0, t0 + timedelta(hours=5)]
    assert store.versions("missing") == [] and store.versions("") == []


def test_versions_oldest_first_by_first_seen(store) -> None:
    t0 = datetime(2025, 2, 11, tzinfo=UTC)
    store.add_article(art(1, key="K", first_seen=t0 + timedelta(days=1)))
    store.add_article(art(2, key="K", first_seen=t0))  # an older crawl ingested later
    assert [a.id for a in store.versions("K")] == ["id00002", "id00001"]


def test_add_articles_batch_matches_one_by_one(store_url: str, tmp_path: Path) -> None:
    batch = [art(1, key="A"), art(2, key="A"), art(1, key="A"), art(3, key=""), art(4, key="")]
    with open_store(store_url) as s:
        s.add_article(art(9, key="B"))
        statuses = s.add_articles([*batch, art(10, key="B")])
        assert statuses == ["new", "version", "unchanged", "new", "new", "version"]
        assert s.count_articles() == 6
        assert s.add_articles([]) == []
    with open_store(tmp_path / "one.db") as one:
        one.add_article(art(9, key="B"))
        assert [one.add_article(a) for a in [*batch, art(10, key="B")]] == statuses


def test_iter_articles_in_ingestion_order(store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "_PAGE", 7)  # force several pages
    ids = [f"id{i:05d}" for i in (5, 3, 9, 1, 7, 2, 8, 4, 6, 10, 0, 11, 12, 13, 14, 15, 16)]
    store.add_articles([art(int(i[2:])) for i in ids[:10]])
    for i in ids[10:]:
        store.add_article(art(int(i[2:])))
    assert [a.id for a in store.iter_articles()] == ids
    assert [a.id for a in store.iter_articles(["id00004", "id00005", "zzz", "id00004"])] == [
        "id00005",
        "id00004",
    ]
    assert list(store.iter_articles([])) == []


def test_find_articles(store) -> None:
    store.add_article(
        Article(id="abc111", text="x", url="https://u/1", key="https://u/1", origin_file="f.txt")
    )
    store.add_article(Article(id="abd222", text="y", key="f.jsonl#0", origin_file="f.jsonl"))
    assert [a.id for a in store.find_articles("ab")] == ["abc111", "abd222"]
    assert [a.id for a in store.find_articles("abc")] == ["abc111"]
    assert store.find_articles("ABC") == []  # ids are case-sensitive
    assert [a.id for a in store.find_articles("https://u/1")] == ["abc111"]
    assert [a.id for a in store.find_articles("f.jsonl")] == ["abd222"]
    assert [a.id for a in store.find_articles("f.jsonl#0")] == ["abd222"]
    assert store.find_articles("") == [] and store.find_articles("%") == []


# --- analysis state ---------------------------------------------------------------


def test_analysis_queue(store) -> None:
    store.add_articles([art(i) for i in range(4)])
    assert store.unanalysed_ids() == [f"id{i:05d}" for i in range(4)]
    store.mark_analysed(["id00000", "id00002"])
    assert store.unanalysed_ids() == ["id00001", "id00003"]
    store.add_article(art(9, key="k0", text="a new version of k0"))
    assert store.unanalysed_ids()[-1] == "id00009"
    store.mark_unanalysed(["id00000"])
    assert "id00000" in store.unanalysed_ids()
    store.mark_analysed(store.unanalysed_ids())
    assert store.unanalysed_ids() == []
    store.mark_unanalysed()
    assert len(store.unanalysed_ids()) == 5


def test_relations_replace_and_round_trip(store) -> None:
    store.add_articles([art(i) for i in range(4)])
    r1 = Relation("id00000", "id00001", "copy", 0.91, 0.8, 0.95, {"dates": [1, 2], "x": "é"}, 0.5)
    r2 = Relation("id00000", "id00002", "rewrite", 0.7, 0.05, 0.6)
    r3 = Relation("id00001", "id00003", "excerpt", 0.3, 0.3, 0.4, {"n": None})
    store.replace_relations([r1, r2, r3], ["id00001", "id00002", "id00003"])
    assert store.relations() == [r1, r2, r3]
    r2b = dataclasses.replace(r2, kind="partial", coverage=0.4)
    store.replace_relations([r2b], ["id00002"])
    assert store.relations() == [r1, r3, r2b]
    store.replace_relations([], ["id00001", "id00003"])
    assert store.relations() == [r2b]


def test_a_failed_write_changes_nothing(store) -> None:
    store.add_articles([art(0), art(1)])
    good = Relation("id00000", "id00001", "copy", 1.0, 1.0, 1.0)
    store.replace_relations([good], ["id00001"])
    dangling = Relation("id00000", "not-stored", "copy", 1.0, 1.0, 1.0)
    with pytest.raises(StoreError, match="before the relations"):
        store.replace_relations([dangling], ["id00001"])  # its delete is rolled back too
    assert store.relations() == [good]
    assert store.add_article(art(2)) == "new"  # the store is still usable


def test_stories_round_trip(store) -> None:
    store.add_articles([art(i) for i in range(3)])
    t = datetime(2025, 2, 11, 8, tzinfo=CET)
    story = Story(
        "s1",
        "Hegseth at NATO",
        ("id00000", "id00001"),
        "id00000",
        None,
        (
            TimelineEntry("id00000", t, "apnews.com", "original"),
            TimelineEntry("id00001", None, None, "derived"),
        ),
    )
    other = Story("s2", None, ("id00002",), None, "AP")
    store.replace_stories([story, other])
    assert store.stories() == [story, other]
    assert store.stories()[0].timeline[0].time.tzinfo == UTC
    store.replace_stories([other])
    assert store.stories() == [other]


def test_findings_replace_and_round_trip(store) -> None:
    store.add_articles([art(i) for i in range(3)])
    f1 = Finding(
        "name_changed",
        "id00001",
        "Mark became Marc",
        "high",
        "id00000",
        (0, 4),
        (5, 9),
        {"a": "Mark"},
    )
    f2 = Finding("unsourced_sentence", "id00002", "no source", "low", None, None, (1, 2))
    f3 = Finding("attribution_missing", "id00001", "no credit")
    store.replace_findings([f1, f2, f3], ["id00001", "id00002"])
    assert store.findings() == [f1, f2, f3]
    store.replace_findings([], ["id00001"])
    assert store.findings() == [f2]


def test_raw_meta_and_skipped_log(store) -> None:
    ref = store.put_raw(b"<html>\x00\xff</html>")
    assert ref.startswith("sha256:") and store.put_raw(b"<html>\x00\xff</html>") == ref
    assert store.get_raw(ref) == b"<html>\x00\xff</html>" and store.get_raw("sha256:x") is None
    assert store.get_meta("http:u") is None
    store.set_meta("http:u", '{"etag": "1"}')
    store.set_meta("http:u", '{"etag": "2"}')
    assert store.get_meta("http:u") == '{"etag": "2"}'
    s1 = Skipped("feed.xml", "empty body", item=3)
    s2 = Skipped("page.html", "not modified", error=False)
    store.log_skipped(s1)
    store.log_skipped(s2)
    assert store.skipped() == [s1, s2]
    assert store.counts() == {
        "articles": 0,
        "relations": 0,
        "stories": 0,
        "findings": 0,
        "skipped": 2,
        "raw": 1,
    }


def test_add_ingested_writes_raw_articles_and_log_in_one_transaction(store) -> None:
    store.add_article(art(0))
    statuses = store.add_ingested(
        [art(0), art(1), dataclasses.replace(art(1), id="id00001b"), art(1)],
        raw=[b"line one", b"line one", b"line two"],
        skipped=[Skipped("a.jsonl", "not valid JSON", line=3)],
    )
    assert statuses == ["unchanged", "new", "version", "unchanged"]
    assert store.get_raw(sql.raw_ref(b"line two")) == b"line two"
    assert store.counts()["raw"] == 2 and store.skipped()[0].line == 3
    dangling = dataclasses.replace(art(5), id="")
    with pytest.raises(StoreError, match="no id"):
        store.add_ingested([art(6), dangling], raw=[b"never"])
    assert store.get_article("id00006") is None and store.get_raw(sql.raw_ref(b"never")) is None


def test_ingest_writer_commits_in_batches_and_on_exit(store) -> None:
    from newslineage.store.writer import IngestWriter

    with IngestWriter(store, max_articles=3, max_seconds=3600) as writer:
        assert writer.add(art(0), raw=b"r0") == [] and writer.skip(Skipped("x", "bad")) == []
        assert store.count_articles() == 0  # nothing committed before the batch is full
        assert writer.add(art(1)) == []
        done = writer.add(art(0))
        assert done == [("new", "id00000"), ("new", "id00001"), ("unchanged", "id00000")]
        assert store.get_article("id00000").raw_ref == sql.raw_ref(b"r0")
        assert writer.add(art(2)) == []
        writer.set_meta("http:u", "v")  # validators only after the documents they cover
        assert store.count_articles() == 3 and store.get_meta("http:u") == "v"
        writer.add(art(3))
    assert store.count_articles() == 4 and len(store.skipped()) == 1


# --- crash safety --------------------------------------------------------------

WRITER = """
import sys
from newslineage.model import Article
from newslineage.store import open_store
url, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = open_store(url)
for start in range(first, first + n, 10):
    batch = [Article(id=f"id{i:05d}", text=f"text {i} " * 50, key=f"k{i}") for i in range(start, start + 10)]
    s.add_articles(batch)
"""


def test_killed_writer_leaves_a_consistent_store(store_url: str) -> None:
    n = 200_000  # far more than it can write before the kill
    open_store(store_url).close()  # migrate first, so the kill lands in article writes
    proc = subprocess.Popen([sys.executable, "-c", WRITER, store_url, "0", str(n)])
    try:
        with open_store(store_url) as watcher:
            deadline = time.monotonic() + 30
            while watcher.count_articles() < 300 and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with open_store(store_url) as s:
        count = s.count_articles()
        assert count >= 300
        assert count % 10 == 0  # a batch is all-or-nothing
        ids = [a.id for a in s.iter_articles()]
        assert ids == [f"id{i:05d}" for i in range(count)]
        last = s.get_article(ids[-1])
        assert last.text == f"text {count - 1} " * 50
        # re-adding completes the ingest: what was stored is unchanged, the rest is new
        more = [
            Article(id=f"id{i:05d}", text=f"text {i} " * 50, key=f"k{i}") for i in range(count + 50)
        ]
        statuses = s.add_articles(more)
        assert statuses == ["unchanged"] * count + ["new"] * 50
        assert s.count_articles() == count + 50


def test_concurrent_first_open_and_writes(store_url: str) -> None:
    # two processes create the schema and write at the same time: the migration lock and
    # the busy timeout make both succeed
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(first), "400"])
        for first in (0, 400)
    ]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    with open_store(store_url) as s:
        assert s.count_articles() == 800
        assert sorted(a.id for a in s.iter_articles()) == [f"id{i:05d}" for i in range(800)]


def _alignment(source: str, derived: str, sim: float) -> Alignment:
    pair = AlignedPair(Span(source, 0, 9), Span(derived, 3, 12), sim, verbatim=sim == 1.0)
    return Alignment(source, derived, (pair,), ((Span(source, 0, 5), Span(derived, 3, 8)),), False)


def test_alignments_round_trip_and_are_replaced(store) -> None:
    store.add_articles([art(1), art(2), art(3)])
    first = _alignment("id00001", "id00002", 1 / 3)
    store.put_alignments([first, _alignment("id00003", "id00002", 1.0)])
    assert store.alignments([("id00001", "id00002")]) == {("id00001", "id00002"): first}
    newer = _alignment("id00001", "id00002", 0.5)
    store.put_alignments([newer])
    got = store.alignments([("id00001", "id00002"), ("id00003", "id00002"), ("id00002", "x")])
    assert got[("id00001", "id00002")] == newer
    assert got[("id00003", "id00002")].pairs[0].verbatim
    assert len(got) == 2
