"""The Spark engine gives the local engine's answers: same candidates, relations, stories, findings.

Runs Spark in local[2] mode (one session for the module). Skipped when pyspark or Java is
missing. The generated corpus is kept small for the full pipeline because ``relate`` costs
~0.1 s per candidate pair and the generator's shared template sentences make many sentence
candidates; candidate generation itself is compared on 300 articles.

The semantic layer runs in both engines (the default), with the real encoders: each corpus
asserts that it decided something, so the comparison covers it. The Parquet test runs with the
layer off (``NEWSLINEAGE_SEMANTIC=0``), which keeps the lexical-only path compared too.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'newslineage[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs Java (no `java` on PATH and no JAVA_HOME)", allow_module_level=True)

from newslineage.api import run_batch
from newslineage.engines.spark import spark_session
from newslineage.engines.spark.candidates import (
    cover_pairs,
    minhash_pairs,
    sentence_pairs,
    story_pairs,
)
from newslineage.engines.spark.features import partition_features
from newslineage.extract import extract_article
from newslineage.index.candidates import CandidateIndex
from newslineage.ingest.files import parse_jsonl
from newslineage.model import Article

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))
from bench.generate import generate_corpus  # noqa: E402


@pytest.fixture
def lexical_only(monkeypatch):
    """Both engines with the semantic layer off (``NEWSLINEAGE_SEMANTIC=0``)."""
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "0")


WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.timeout(400)


@pytest.fixture(scope="module")
def spark():
    session = spark_session(
        "local[2]",
        **{
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "4",
            "spark.driver.memory": "1g",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _both(spark, inputs: list[str], tmp_path: Path) -> tuple[dict, dict, object]:
    local = run_batch(inputs, tmp_path / "local", "local", first_seen=WHEN)
    remote = run_batch(inputs, tmp_path / "spark", "spark", first_seen=WHEN, spark=spark)
    assert local.export_path and remote.export_path
    a = json.loads(local.export_path.read_text(encoding="utf-8"))
    b = json.loads(remote.export_path.read_text(encoding="utf-8"))
    return a, b, remote


def _assert_same_analysis(a: dict, b: dict) -> None:
    def rel_key(r: dict) -> tuple:
        return (r["source"], r["derived"], r["kind"])

    ra, rb = sorted(a["relations"], key=rel_key), sorted(b["relations"], key=rel_key)
    assert [rel_key(r) for r in ra] == [rel_key(r) for r in rb]
    for x, y in zip(ra, rb, strict=True):
        for f in ("coverage", "confidence", "verbatim_share"):
            assert abs(x[f] - y[f]) <= 1e-9, (rel_key(x), f, x[f], y[f])

    def stories(doc: dict) -> set:
        return {(frozenset(s["articles"]), s["original"], s["external_origin"])
                for s in doc["stories"]}  # fmt: skip

    assert stories(a) == stories(b)
    assert a["findings"] == b["findings"]
    # the semantic evidence too (cosines, margins, fitted features, decided_by)
    assert [x["evidence"] for x in ra] == [y["evidence"] for y in rb]
    # and the whole JSON contract, byte for byte after parsing (articles, outlets too)
    assert a == b


def _semantic(doc: dict) -> list[tuple[str, str]]:
    """(kind, article model) of the relations the semantic layer decided."""
    return sorted(
        (r["kind"], r["evidence"]["article_model"])
        for r in doc["relations"]
        if r["evidence"].get("method") == "semantic"
    )


def test_examples_corpus_same_in_both_engines(spark, examples_dir: Path, tmp_path: Path) -> None:
    a, b, remote = _both(spark, [str(examples_dir / "corpus")], tmp_path)
    assert len(a["articles"]) >= 10 and len(a["relations"]) >= 5  # a real analysis, not empty
    assert len(_semantic(a)) >= 3  # the semantic layer's same-story edges are compared too
    _assert_same_analysis(a, b)
    # the Parquet tables hold what the JSON holds
    rels = spark.read.parquet(remote.tables["relations"]).collect()
    assert sorted((r.source, r.derived, r.kind) for r in rels) == sorted(
        (r["source"], r["derived"], r["kind"]) for r in b["relations"]
    )
    arts = spark.read.parquet(remote.tables["articles"])
    assert arts.count() == len(b["articles"])
    assert spark.read.parquet(remote.tables["stories"]).count() == len(b["stories"])


def test_generated_corpus_same_in_both_engines(spark, tmp_path: Path) -> None:
    records, _ = generate_corpus(30, seed=5)
    src = _write_jsonl(tmp_path / "generated.jsonl", records)
    a, b, _ = _both(spark, [str(src)], tmp_path)
    assert len(a["articles"]) == 30
    assert sum(r["kind"] != "same_story" for r in a["relations"]) >= 5
    assert ("partial", "use") in _semantic(a)  # a semantic derivation, not only story edges
    _assert_same_analysis(a, b)


def test_reworded_and_translated_reports_same_in_both_engines(spark, tmp_path: Path) -> None:
    """A wire report, its German translation and an English rewrite sharing few words, among
    unrelated reports: the pairs only the semantic channel finds, and the German-English pair's
    e5 lead vectors (made for the pair, on the executors in the Spark engine)."""
    a, b, _ = _both(spark, [str(DATA / "multilingual.jsonl")], tmp_path)
    assert len(a["articles"]) == 5
    found = _semantic(a)
    assert ("partial", "use") in found and ("same_story", "e5") in found, found
    _assert_same_analysis(a, b)


def test_summaries_same_in_both_engines(spark, tmp_path: Path) -> None:
    """Three reports and two summaries of each, a day later (a one-liner and a two-sentence
    blurb): the cover channel and the summary rounds relate each summary to its report in the
    local engine, and the Spark engine finds the same (before it ran neither, and its semantic
    decision called four of the six partials of their report)."""
    a, b, _ = _both(spark, [str(DATA / "summaries.jsonl")], tmp_path)
    ids = {x["id"]: x["url"].rsplit("/", 1)[1] for x in a["articles"]}
    derived = {(ids[r["source"]], ids[r["derived"]], r["kind"]) for r in a["relations"]}
    for report in ("harbour", "vaccine", "stadium"):
        for summary in ("s1", "s2"):
            assert (report, f"{report}-{summary}", "rewrite") in derived, derived
    _assert_same_analysis(a, b)


def test_parquet_input_reads_like_jsonl(spark, tmp_path: Path, lexical_only: None) -> None:
    """Parquet input, and both engines with the semantic layer off."""
    records, _ = generate_corpus(12, seed=11)
    src = _write_jsonl(tmp_path / "small.jsonl", records)
    pq = str(tmp_path / "small.parquet")
    spark.read.json(str(src)).write.parquet(pq)
    local = run_batch([str(src)], tmp_path / "local", "local", first_seen=WHEN)
    remote = run_batch([pq], tmp_path / "spark", "spark", first_seen=WHEN, spark=spark)
    a = json.loads(local.export_path.read_text(encoding="utf-8"))
    b = json.loads(remote.export_path.read_text(encoding="utf-8"))
    # the records carry URLs, so ids do not depend on the file name; only origin_file,
    # origin_item (Parquet row order) and raw bytes differ
    assert sorted(x["id"] for x in a["articles"]) == sorted(x["id"] for x in b["articles"])
    assert not _semantic(a) and not _semantic(b)
    for table in ("relations", "stories", "findings"):
        assert a[table] == b[table]


def _articles(records: list[dict]) -> list[Article]:
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    return [extract_article(d, first_seen=WHEN) for d in parse_jsonl(data, "gen.jsonl")]


def test_candidate_channels_match_the_index_on_300_articles(spark) -> None:
    records, _ = generate_corpus(300, seed=3)
    arts = _articles(records)
    assert all(isinstance(a, Article) for a in arts)
    index = CandidateIndex()
    index.add(arts)
    local = index.candidates_for(arts)
    ids = [a.id for a in arts]
    feats = spark.sparkContext.parallelize(list(enumerate(arts)), 4).mapPartitions(
        lambda it: partition_features(it)
    )
    feats.cache()
    for channel, pairs in (
        ("minhash", minhash_pairs(spark, feats)),
        ("sentence", sentence_pairs(spark, feats)),
        ("story", story_pairs(spark, feats, len(arts))),
    ):
        want = {(c.a, c.b) for c in local if channel in c.channels}
        got = {tuple(sorted((ids[x], ids[y]))) for x, y in pairs.collect()}
        assert want, channel  # the channel finds something here, so equality means something
        assert got == want, (channel, len(got - want), len(want - got))
    # the cover channel, with the scores the summary gate reads
    want = {(c.a, c.b): dict(c.channel_scores)["cover"] for c in local if "cover" in c.channels}
    hits = cover_pairs(spark, feats, len(arts)).collect()
    got = {tuple(sorted((ids[x], ids[y]))): s for (x, y), (s, _) in hits}
    assert want and got.keys() == want.keys(), (len(got.keys() - want), len(want.keys() - got))
    assert all(abs(got[k] - want[k]) <= 1e-12 for k in want)
    # and the rarity of the shared terms (CandidateIndex.shared_rarity), short text first
    by_id = {a.id: a for a in arts}
    for (x, y), (_, rarity) in hits[:50]:
        local_rarity = index.shared_rarity(by_id[ids[x]], [ids[y]])[ids[y]]
        assert abs(rarity - local_rarity) <= 1e-12, (ids[x], ids[y], rarity, local_rarity)
