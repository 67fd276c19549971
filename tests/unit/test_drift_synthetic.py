"""Measured drift quality on a generated corpus with planted edits (bench/generate.py).

300 articles with ``drift=True`` are ingested into a real SQLite store; the drift step then
runs over the *true* lineage (relations and stories from the truth file), so the scores
measure drift alone and not the lineage stages before it (which have their own golden
tests). Findings are scored with ``newslineage.evaluate``. Floors are pinned a little under
what the code reaches, so a regression fails the test.
"""

from __future__ import annotations

import pytest

from newslineage.drift import find_story_drift
from newslineage.evaluate import evaluate

#: kind -> (precision floor, recall floor), measured on seed 11 with 300 articles (a few
#: planted edits per kind, so each recall floor sits one miss under the measured value)
#: measured: date 1.0/1.0 (3), name 1.0/0.75 (4), negation 1.0/0.833 (6), number 1.0/1.0 (5),
#: quote 1.0/1.0 (7), title 1.0/1.0 (4), unsourced 1.0/0.333 (3); overall 1.0/0.875 (32).
#: On 1000 articles (seeds 3, 7, 11, 23) precision stayed >= 0.98 overall and recall was
#: 0.82-0.86; see docs/drift.md for the command.
FLOORS: dict[str, tuple[float, float]] = {
    "date_changed": (0.9, 0.66),
    "name_changed": (0.9, 0.5),
    "negation_flipped": (0.9, 0.66),
    "number_changed": (0.9, 0.8),
    "quote_altered": (0.9, 0.85),
    "title_changed": (0.9, 0.75),
    "unsourced_sentence": (0.9, 0.3),
}
OVERALL = (0.9, 0.8)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, true_lineage):
    folder = tmp_path_factory.mktemp("synthetic")
    truth, articles, relations, stories = true_lineage(folder, 300, 11)
    findings = [f for s in stories for f in find_story_drift(s, articles, relations)]
    export = {
        "articles": [
            {"id": a.id, "external_id": a.external_id, "text": a.text} for a in articles.values()
        ],
        "relations": [],
        "stories": [],
        "findings": [
            {"article": f.article, "kind": f.kind, "derived_span": f.derived_span} for f in findings
        ],
    }
    return evaluate(truth, export)


def test_every_planted_kind_has_a_floor(report) -> None:
    """The corpus plants edits of exactly the pinned kinds, so no floor is vacuous (a kind
    with nothing planted scores 0/0) and a newly planted kind cannot go unpinned."""
    planted = {kind for kind, s in report.findings_by_kind.items() if s.expected}
    assert planted == set(FLOORS)


def test_overall_floors(report) -> None:
    assert report.findings.precision >= OVERALL[0]
    assert report.findings.recall >= OVERALL[1]


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_kind_floors(report, kind: str) -> None:
    s = report.findings_by_kind[kind]
    assert s.precision >= FLOORS[kind][0]
    assert s.recall >= FLOORS[kind][1]
