"""Drift on examples/corpus against examples/truth.json, through the real pipeline.

Every planted finding must be reproduced (same article ref and kind, derived span overlapping
the truth's ``derived_text``), and nothing else may be reported above "low" severity.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslineage import api
from newslineage.drift import find_story_drift
from newslineage.evaluate import article_ref
from newslineage.model import Article, Finding

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


def _ref(a: Article) -> str:
    return article_ref(
        {"id": a.id, "external_id": a.external_id, "origin_file": a.origin_file,
         "origin_item": a.origin_item}
    )  # fmt: skip


@pytest.fixture(scope="module")
def analysed(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    store = api.open_store(str(tmp_path_factory.mktemp("examples") / "examples.db"))
    api.add([str(examples_dir / "corpus")], store)
    api.analyze(store)
    articles = {a.id: a for a in store.iter_articles()}
    relations = store.relations()
    findings = [f for s in store.stories() for f in find_story_drift(s, articles, relations)]
    truth = json.loads((examples_dir / "truth.json").read_text(encoding="utf-8"))
    return articles, findings, truth["findings"]


def _matches(t: dict, f: Finding, articles: dict[str, Article]) -> bool:
    a = articles[f.article]
    if _ref(a) != t["article"] or f.kind != t["kind"] or f.derived_span is None:
        return False
    pos = a.text.find(t["derived_text"])
    assert pos >= 0, f"truth text not in {t['article']}: {t['derived_text']!r}"
    return pos < f.derived_span[1] and f.derived_span[0] < pos + len(t["derived_text"])


def test_every_planted_finding_is_found(analysed) -> None:
    articles, findings, truth = analysed
    missed = [t for t in truth if not any(_matches(t, f, articles) for f in findings)]
    assert missed == []


def test_nothing_else_above_low(analysed) -> None:
    articles, findings, truth = analysed
    extra = [
        (_ref(articles[f.article]), f.kind, f.message)
        for f in findings
        if SEVERITY_RANK[f.severity] > SEVERITY_RANK["low"]
        and not any(_matches(t, f, articles) for t in truth)
    ]
    assert extra == []


def test_faithful_copies_have_no_findings(analysed) -> None:
    articles, findings, _ = analysed
    faithful = {
        "nws_portvale_wire.txt",
        "quickreads24_feed.xml#1",
        "meridianherald_portvale_fire.html",
        "northernwire_atom.xml#0",
        "kuestenrundschau-2026-03-04-portvale-brand",
        "calvenianpost-2026-03-04-portvale-fire",
    }
    assert [f for f in findings if _ref(articles[f.article]) in faithful] == []


def test_source_spans_point_into_the_source(analysed) -> None:
    articles, findings, _ = analysed
    for f in findings:
        if f.source_article is not None and f.source_span is not None:
            s, e = f.source_span
            assert 0 <= s < e <= len(articles[f.source_article].text)
