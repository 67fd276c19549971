"""A short text the summary gate does not admit still joins the story it tells (issue #13):
the fitted story rule (``summary.story_admits``, ``summary_fit.fit_story``) links it to its
best cover target (``choose.summary_story_links``), and drift checks it against that source."""

from __future__ import annotations

import json
from dataclasses import replace

from test_cover_channel import BRIDGE, FLOOD, ONE_LINER
from test_summary_lineage import streamed_relations

from newslineage.drift.story import find_story_drift
from newslineage.index.candidates import Candidate
from newslineage.lineage.choose import relate_candidate, relate_summary_rounds
from newslineage.lineage.summary import is_story_link, story_admits, summary_novel_share
from newslineage.lineage.summary_fit import GateRow, fit_rows
from newslineage.model import Story

_STORY = {"context": {"max_novel_share": 1.0, "min_cover": 0.2, "min_margin": 0.02}}
# the one-liner with a mayor and a duration its article never names
WRONG = replace(
    ONE_LINER,
    id="wrong",
    text="Harwick's Mill Street bridge shuts for two years after Mayor Tom Briggs found cracks.",
)


def _gate(tmp_path, monkeypatch, story: dict | None) -> None:
    data: dict = {"novel_share": 0.1}  # no derivation for these one-liners
    if story is not None:
        data["story"] = story
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))


def _rounds(short_id: str) -> list:
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER, WRONG)}
    cands = [
        Candidate(short_id, "bridge", frozenset({"cover"}), 0.6, (("cover", 0.6),)),
        Candidate(short_id, "flood", frozenset({"cover"}), 0.1, (("cover", 0.1),)),
    ]

    def relate(cs: list[Candidate]) -> list:
        return [r for c in cs if (r := relate_candidate(c, by_id)) is not None]

    return relate_summary_rounds(cands, relate(cands), by_id, relate)


def test_a_one_liner_the_gate_refuses_joins_its_articles_story(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, _STORY)
    assert summary_novel_share(BRIDGE, ONE_LINER) is None  # no summary by the gate
    (link,) = _rounds("blurb")
    assert (link.source, link.derived, link.kind) == ("bridge", "blurb", "same_story")
    assert is_story_link(link) and link.confidence >= 0.45  # joins even a group of siblings
    _gate(tmp_path, monkeypatch, None)
    assert _rounds("blurb") == []  # no fitted story rule: nothing links it


def test_the_story_rule_reads_the_cover_evidence(tmp_path, monkeypatch) -> None:
    from newslineage.lineage.summary import Cover

    _gate(tmp_path, monkeypatch, _STORY)
    assert story_admits(0.6, Cover(0.5, 0.2))
    assert not story_admits(0.6, Cover(0.5, -0.1))  # not its best cover target
    assert not story_admits(0.6, Cover(0.1, 0.1))  # too little of it covered
    assert not story_admits(0.6, None)


def test_drift_checks_a_linked_one_liner_against_its_article(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, _STORY)
    links = _rounds("wrong")
    story = Story("s", None, ("bridge", "wrong"), "bridge")
    articles = {"bridge": BRIDGE, "wrong": WRONG}
    found = find_story_drift(story, articles, links)
    assert any(f.source_article == "bridge" for f in found)
    assert {f.kind for f in found} - {"attribution_missing"}
    # the one-liner is the root of its story's derivations (its siblings read as derived
    # from it): still checked against the member it is linked to
    root = Story("s", None, ("bridge", "wrong"), "wrong")
    assert any(f.source_article == "bridge" for f in find_story_drift(root, articles, links))
    # without the link the gate finds no source for it in the story: nothing is checked
    assert find_story_drift(story, articles, []) == []


def _story_rows() -> list[GateRow]:
    """Extractive summaries the gate admits; answers on their own task, half of them written
    apart (same story, not derived: no derivation rule can part them from the reused ones);
    and other tasks' sources."""
    rows = [GateRow("frank", f"g{i}", 0.2, True, own=True) for i in range(10)]
    rows += [GateRow("clough", f"r{i}", 0.6, i % 2 == 0, 0.4, 0.2, own=True) for i in range(20)]
    rows += [GateRow("clough", f"n{i}", 0.8, False, 0.15, -0.3) for i in range(40)]
    return rows


def test_the_story_rule_is_fitted_on_story_labels() -> None:
    rows = _story_rows()
    gate = fit_rows(rows)
    apart = rows[11]  # an answer written apart on its own task
    assert not gate.admits(apart) and gate.joins(apart)
    assert not any(gate.joins(r) for r in rows if not r.own)
    assert "story" in gate.to_json()


def test_the_stream_links_a_one_liner_as_the_batch_does(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, _STORY)
    got = streamed_relations([BRIDGE, FLOOD], ONE_LINER)
    links = [r for r in got if is_story_link(r)]
    assert [(r.source, r.derived) for r in links] == [("bridge", "blurb")]


def test_the_batch_engine_joins_and_checks_a_linked_one_liner(tmp_path, monkeypatch) -> None:
    from newslineage import api
    from newslineage.store import open_store

    _gate(tmp_path, monkeypatch, _STORY)
    store = open_store(":memory:")
    try:
        for a in (BRIDGE, FLOOD, WRONG):
            store.add_article(a)
        api.analyze(store, semantic=False)
        stories = {a: s.id for s in store.stories() for a in s.articles}
        findings = [f for f in store.findings() if f.article == "wrong"]
    finally:
        store.close()
    assert stories["wrong"] == stories["bridge"] != stories["flood"]
    assert any(f.source_article == "bridge" and f.kind != "attribution_missing" for f in findings)
