"""Export: the JSON contract of ARCHITECTURE.md, JSON Lines and CSV, over a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newslineage.contract import TABLES, export_document, write_export
from newslineage.errors import ConfigError
from newslineage.model import Article, Finding, Relation, Removal, Story, TimelineEntry
from newslineage.store import open_store

CONTRACT = {
    "articles": [
        "id",
        "url",
        "outlet",
        "title",
        "published",
        "first_seen",
        "language",
        "credits",
        "links",
        "origin_file",
        "origin_item",
        "external_id",
        "text",
    ],
    "relations": [
        "source",
        "derived",
        "kind",
        "coverage",
        "verbatim_share",
        "confidence",
        "evidence",
    ],
    "stories": ["id", "title", "articles", "original", "external_origin"],
    "findings": [
        "article",
        "kind",
        "source_article",
        "source_span",
        "derived_span",
        "severity",
        "message",
    ],
    "outlets": ["outlet", "articles", "derived_share", "attribution_rate"],
}
T0 = datetime(2025, 2, 11, tzinfo=UTC)


@pytest.fixture
def empty_store(tmp_path: Path):
    s = open_store(tmp_path / "empty.db")
    yield s
    s.close()


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "full.db")
    wire = Article(
        id="wire1",
        text="BRUSSELS (AP) — Hegseth met allies. Ça suffit.",
        url="https://wire.example/story",
        outlet="wire.example",
        title="Hegseth meets allies",
        published=T0,
        first_seen=T0 + timedelta(hours=1),
        language="en",
        credits=("AP",),
        origin_file="000_wire.txt",
        key="https://wire.example/story",
        sentences=((0, 36), (37, 47)),
    )
    copy = Article(
        id="farm1",
        text="Hegseth met allies. Ça suffit. The story continues under this ad",
        url="https://farm.example/p/1",
        outlet="farm.example",
        published=datetime(2025, 2, 11, 6, tzinfo=timezone(timedelta(hours=1))),
        links=("https://wire.example/story", "https://other.example"),
        origin_file="004_feed.xml",
        origin_item=2,
        external_id="guid-7",
        first_seen=T0 + timedelta(hours=7),
        removed=(Removal("Donate!", "donation_block", 12),),
        key="https://farm.example/p/1",
    )
    copy_v2 = Article(
        id="farm2",
        text="Hegseth met allies today. Ça suffit.",
        url="https://farm.example/p/1",
        outlet="farm.example",
        first_seen=T0 + timedelta(days=1),
        key="https://farm.example/p/1",
    )
    s.add_articles([wire, copy, copy_v2])
    # inserted out of order: the export sorts them
    s.replace_relations(
        [
            Relation("wire1", "farm2", "rewrite", 0.8, 0.1, 0.7, {"dates": "agree"}, 0.6),
            Relation("wire1", "farm1", "copy", 0.9, 0.85, 0.95, {"credit": None}, 0.9),
        ],
        ["farm1", "farm2"],
    )
    s.replace_stories(
        [
            Story(
                "st1",
                "Hegseth at NATO",
                ("wire1", "farm1", "farm2"),
                "wire1",
                "AP",
                (TimelineEntry("wire1", T0, "wire.example", "original"),),
            )
        ]
    )
    s.replace_findings(
        [
            Finding(
                "unsourced_sentence", "farm1", "not in any source", "low", None, None, (31, 64)
            ),
            Finding("number_changed", "farm1", "3 became 4", "high", "wire1", (0, 7), (0, 7)),
        ],
        ["farm1"],
    )
    yield s
    s.close()


def _export(store, fmt: str, table: str = "articles") -> str:
    buf = io.StringIO()
    write_export(store, fmt, buf, table=table)
    return buf.getvalue()


def test_empty_store_has_every_key_and_empty_lists(empty_store) -> None:
    doc = export_document(empty_store)
    assert doc == {k: [] for k in CONTRACT}
    assert json.loads(_export(empty_store, "json")) == doc
    assert _export(empty_store, "jsonl") == ""
    for table in TABLES:
        rows = list(csv.reader(io.StringIO(_export(empty_store, "csv", table))))
        assert rows[0][: len(CONTRACT[table])] == CONTRACT[table]
        assert len(rows) == 1


def test_records_start_with_the_contract_keys(store) -> None:
    doc = export_document(store)
    assert list(doc) == list(CONTRACT)
    for table, keys in CONTRACT.items():
        assert doc[table], table
        for rec in doc[table]:
            assert list(rec)[: len(keys)] == keys, table


def test_article_values(store) -> None:
    arts = {a["id"]: a for a in export_document(store)["articles"]}
    assert list(arts) == ["wire1", "farm1", "farm2"]  # ingestion order
    wire, farm = arts["wire1"], arts["farm1"]
    assert wire["published"] == "2025-02-11T00:00:00+00:00"
    assert wire["first_seen"] == "2025-02-11T01:00:00+00:00"
    assert wire["credits"] == ["AP"] and wire["links"] == []
    assert wire["origin_file"] == "000_wire.txt" and wire["origin_item"] is None
    assert wire["text"].startswith("BRUSSELS (AP)")
    assert farm["published"] == "2025-02-11T05:00:00+00:00"  # converted to UTC
    assert farm["origin_item"] == 2 and farm["external_id"] == "guid-7"
    assert farm["title"] is None and farm["language"] is None  # unknown stays null
    assert farm["removed"] == [{"text": "Donate!", "reason": "donation_block", "offset": 12}]
    assert wire["sentences"] == [[0, 36], [37, 47]]
    assert arts["farm2"]["version_of"] == "farm1" and farm["version_of"] is None


def test_other_records_and_ordering(store) -> None:
    doc = export_document(store)
    assert [(r["source"], r["derived"]) for r in doc["relations"]] == [
        ("wire1", "farm1"),
        ("wire1", "farm2"),
    ]
    rel = doc["relations"][0]
    assert rel["kind"] == "copy" and rel["coverage"] == 0.9 and rel["evidence"] == {"credit": None}
    assert rel["source_coverage"] == 0.9
    story = doc["stories"][0]
    assert story["articles"] == ["wire1", "farm1", "farm2"] and story["external_origin"] == "AP"
    assert story["timeline"][0]["time"] == "2025-02-11T00:00:00+00:00"
    assert [f["kind"] for f in doc["findings"]] == ["number_changed", "unsourced_sentence"]
    assert doc["findings"][0]["source_span"] == [0, 7]
    assert doc["findings"][1]["source_span"] is None
    outlets = {o["outlet"]: o for o in doc["outlets"]}
    assert list(outlets) == ["farm.example", "wire.example"]
    assert outlets["farm.example"]["articles"] == 2
    assert outlets["farm.example"]["derived_share"] == 1.0
    assert outlets["wire.example"]["derived_share"] == 0.0


def test_json_round_trip_and_determinism(store) -> None:
    text = _export(store, "json")
    assert json.loads(text) == export_document(store)
    assert "Ça suffit" in text  # ensure_ascii=False
    assert text.startswith('{\n  "articles": [')  # indent 2
    assert _export(store, "json") == text


def test_jsonl_reassembles_into_the_document(store) -> None:
    lines = _export(store, "jsonl").splitlines()
    doc: dict[str, list] = {k: [] for k in CONTRACT}
    plural = {"article": "articles", "relation": "relations", "story": "stories"}
    plural |= {"finding": "findings", "outlet": "outlets"}
    for line in lines:
        rec = json.loads(line)
        doc[plural[rec.pop("type")]].append(rec)
    assert doc == export_document(store)
    assert [json.loads(x)["type"] for x in lines][:3] == ["article"] * 3


def test_csv_tables(store) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, "csv"))))
    assert [r["id"] for r in rows] == ["wire1", "farm1", "farm2"]
    assert rows[1]["links"] == "https://wire.example/story | https://other.example"
    assert rows[0]["title"] == "Hegseth meets allies" and rows[1]["title"] == ""
    assert json.loads(rows[1]["removed"])[0]["reason"] == "donation_block"
    findings = list(csv.DictReader(io.StringIO(_export(store, "csv", "findings"))))
    assert findings[0]["source_span"] == "0:7" and findings[1]["source_span"] == ""
    stories = list(csv.DictReader(io.StringIO(_export(store, "csv", "stories"))))
    assert stories[0]["articles"] == "wire1 | farm1 | farm2"
    outlets = list(csv.DictReader(io.StringIO(_export(store, "csv", "outlets"))))
    assert [o["outlet"] for o in outlets] == ["farm.example", "wire.example"]
    rels = list(csv.DictReader(io.StringIO(_export(store, "csv", "relations"))))
    assert float(rels[0]["coverage"]) == 0.9


def test_bad_format_or_table(store) -> None:
    with pytest.raises(ConfigError, match="use json, jsonl or csv"):
        _export(store, "xml")
    with pytest.raises(ConfigError, match="use one of articles"):
        _export(store, "csv", "people")
