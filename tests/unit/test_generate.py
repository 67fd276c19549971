"""bench/generate.py: a deterministic synthetic corpus whose truth matches its texts."""

from __future__ import annotations

import json
import re
import statistics
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is a top-level folder, not part of the package
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_corpus, main  # noqa: E402

from newslineage.evaluate import evaluate  # noqa: E402

N = 1000


@pytest.fixture(scope="module")
def corpus() -> tuple[list[dict], dict]:
    return generate_corpus(N, seed=7, drift=True)


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def _grams(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i : i + 5]) for i in range(len(w) - 4)}


def _jaccard(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb)


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    a = generate_corpus(200, seed=5, drift=True)
    assert a == generate_corpus(200, seed=5, drift=True)
    b = generate_corpus(200, seed=6, drift=True)
    assert [r["text"] for r in a[0]] != [r["text"] for r in b[0]]


def test_counts_and_mix(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    ids = [r["id"] for r in records]
    assert len(records) == N and len(set(ids)) == N and truth["articles"] == ids
    assert all(
        set(r) == {"id", "url", "outlet", "title", "text", "published", "language"} for r in records
    )
    kinds = {
        k: sum(1 for r in truth["relations"] if r["kind"] == k)
        for k in ("copy", "excerpt", "rewrite", "partial")
    }
    assert kinds == {"copy": 150, "excerpt": 100, "rewrite": 150, "partial": 50}
    members = [a for s in truth["stories"] for a in s["articles"]]
    assert sorted(members) == sorted(ids)  # every article in exactly one story
    assert all(s["original"] == s["articles"][0] for s in truth["stories"])
    singletons = sum(1 for s in truth["stories"] if len(s["articles"]) == 1)
    assert singletons >= 100  # the unrelated stories, at least
    assert len({r["outlet"] for r in records}) >= 20


def test_tiny_corpora_work() -> None:
    for n in (1, 2, 7):
        records, truth = generate_corpus(n, seed=1)
        assert len(records) == len(truth["articles"]) == n
    with pytest.raises(ValueError):
        generate_corpus(0)


def test_sources_precede_their_derivations(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    by = _by_id(records)
    for rel in truth["relations"]:
        src = datetime.fromisoformat(by[rel["source"]]["published"])
        der = datetime.fromisoformat(by[rel["derived"]]["published"])
        assert src < der, rel
    times = [r["published"] for r in records]
    assert times == sorted(times)


def test_every_finding_points_at_new_text(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    by = _by_id(records)
    source_of = {r["derived"]: r["source"] for r in truth["relations"]}
    kinds = {f["kind"] for f in truth["findings"]}
    assert kinds == {
        "number_changed",
        "date_changed",
        "name_changed",
        "title_changed",
        "quote_altered",
        "negation_flipped",
        "unsourced_sentence",
    }
    for f in truth["findings"]:
        text = by[f["article"]]["text"]
        assert f["derived_text"] in text
        assert f["derived_text"] not in by[source_of[f["article"]]]["text"]  # the edit is real
        expected_source = None if f["kind"] == "unsourced_sentence" else source_of[f["article"]]
        assert f["source_article"] == expected_source


def test_faithful_copies_keep_every_number(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    by = _by_id(records)
    drifted = {f["article"]: f["kind"] for f in truth["findings"]}
    checked = 0
    for rel in truth["relations"]:
        if rel["kind"] != "copy" or rel["derived"] in drifted:
            continue
        src_numbers = set(re.findall(r"\d[\d,.]*\d|\d", by[rel["source"]]["text"]))
        assert set(re.findall(r"\d[\d,.]*\d|\d", by[rel["derived"]]["text"])) <= src_numbers
        checked += 1
    assert checked > 50


def test_without_drift_there_are_no_findings() -> None:
    assert generate_corpus(300, seed=7)[1]["findings"] == []


def test_article_sizes(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    derived = {r["derived"] for r in truth["relations"]}
    words = [len(r["text"].split()) for r in records if r["id"] not in derived]
    assert 450 <= statistics.median(words) <= 750
    assert min(words) >= 250 and max(words) <= 1100
    assert all(r["title"] and r["text"].strip() for r in records)


def test_jaccard_of_rewrites_and_copies(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    by = _by_id(records)
    per_kind: dict[str, list[float]] = {}
    for rel in truth["relations"]:
        j = _jaccard(by[rel["source"]]["text"], by[rel["derived"]]["text"])
        per_kind.setdefault(rel["kind"], []).append(j)
    medians = {k: round(statistics.median(v), 3) for k, v in per_kind.items()}
    print("5-gram Jaccard medians vs source:", medians)
    assert 0.08 < medians["rewrite"] < 0.35
    assert medians["copy"] > 0.6
    # independent reports of one story share facts and quotes, not sentences
    independents = [
        [a for a in s["articles"] if a not in {r["derived"] for r in truth["relations"]}]
        for s in truth["stories"]
    ]
    pairs = [(g[0], b) for g in independents if len(g) > 1 for b in g[1:]]
    assert pairs
    assert max(_jaccard(by[a]["text"], by[b]["text"]) for a, b in pairs) < 0.1


def test_truth_as_export_scores_perfectly(corpus: tuple[list[dict], dict]) -> None:
    records, truth = corpus
    export = {
        "articles": [
            {"id": f"x{r['id']}", "external_id": r["id"], "text": r["text"]} for r in records
        ],
        "relations": [
            {"source": f"x{r['source']}", "derived": f"x{r['derived']}", "kind": r["kind"]}
            for r in truth["relations"]
        ],
        "stories": [
            {"articles": [f"x{a}" for a in s["articles"]], "original": f"x{s['original']}"}
            for s in truth["stories"]
        ],
        "findings": [],
    }
    for f in truth["findings"]:
        start = next(r["text"] for r in records if r["id"] == f["article"]).index(f["derived_text"])
        span = [start, start + len(f["derived_text"])]
        export["findings"].append(
            {"article": f"x{f['article']}", "kind": f["kind"], "derived_span": span}
        )
    report = evaluate(truth, export)
    assert report.derivation.f1 == 1.0 and report.direction_accuracy == 1.0
    assert report.bcubed.f1 == 1.0 and report.original_accuracy == 1.0
    assert report.findings.f1 == 1.0


def test_command_line_writes_corpus_and_truth(tmp_path: Path) -> None:
    assert main(["--n", "2000", "--seed", "3", "--out", str(tmp_path), "--drift"]) == 0
    lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert len(lines) == 2000 and [json.loads(x)["id"] for x in lines] == truth["articles"]


def test_hard_option_adds_the_dev_set_derivations() -> None:
    records, truth = generate_corpus(400, seed=4, hard=True)
    assert generate_corpus(400, seed=4) != (records, truth)  # default corpus untouched by hard
    by_id = _by_id(records)
    variants = {r.get("variant") for r in truth["relations"]} - {None}
    assert variants == {"paraphrase", "summary", "reuse", "translation"}
    for rel in truth["relations"]:
        der = by_id[rel["derived"]]
        if rel.get("variant") == "translation":
            assert rel["kind"] == "translation" and der["language"] == "es"
            assert " el " in der["text"] or " la " in der["text"]
        elif rel.get("variant") == "summary":
            assert rel["kind"] == "rewrite" and 2 <= der["text"].count(". ") + 1 <= 6
        elif rel.get("variant") == "reuse":
            assert rel["kind"] == "partial"
    assert all(set(r) <= {"source", "derived", "kind", "variant"} for r in truth["relations"])


def test_hard_kinds_are_as_hard_as_the_dev_sets() -> None:
    from bench.generate import measure_derivations

    m = measure_derivations(*generate_corpus(600, seed=9, hard=True))
    assert m["reuse"]["c3"][0] >= 0.05 and m["reuse"]["c3"][4] <= 0.25  # COUNTER PD: 0.04-0.20
    assert m["paraphrase"]["c3"][2] <= 0.3 and m["paraphrase"]["j5"][2] <= 0.1
    assert m["translation"]["c3"][4] <= 0.05


def test_cli_hard_prints_the_measures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--n", "200", "--seed", "2", "--hard", "--out", str(tmp_path)]) == 0
    assert "paraphrase" in capsys.readouterr().out
