"""The cover channel (a short text's longer, not later sources, by IDF-weighted term share) and
the summary gate's context rule that reads it (``index/candidates.py``, ``lineage/summary.py``,
``lineage/summary_fit.py``)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from test_summary_lineage import ARTICLE as SUMMARY_SOURCE

from newslineage.index.candidates import Candidate, CandidateIndex
from newslineage.index.params import IndexParams
from newslineage.lineage.choose import relate_candidate, summary_candidates
from newslineage.lineage.summary import Cover, context_admits, cover_of, summary_novel_share
from newslineage.lineage.summary_fit import Gate, GateRow, fit_rows
from newslineage.model import Article, Relation

DAY1, DAY2, DAY3 = (datetime(2024, 1, d, tzinfo=UTC) for d in (1, 2, 3))

# the bridge article of the summary lineage tests: one source text for both files
_BRIDGE = SUMMARY_SOURCE.text
_FLOOD = (
    "Flooding closed three roads in Dunmore on Sunday as the river Elm burst its banks after "
    "heavy rain. Firefighters pumped water from a dozen homes on Quay Lane and rescued a driver "
    "whose van stalled near the old mill. The Environment Agency issued two flood warnings for "
    "the valley and said the river would stay high until Tuesday. Councillor Priya Nand said "
    "sandbags were handed out at the leisure centre. The last flood of this size in Dunmore "
    "came in 2007, when the Elm rose by two metres in a single night."
)
BRIDGE = Article("bridge", _BRIDGE, published=DAY1)
FLOOD = Article("flood", _FLOOD, published=DAY1)
# an abstractive one-liner: half its content words are its own, no sentence pairs with the
# article, and it shares too few terms with it for the story channel
ONE_LINER = Article(
    "blurb",
    "Harwick's Mill Street bridge shuts for months while cracked steel supports get fixed.",
    published=DAY2,
)


def _cover_hits(articles: list[Article], query: Article) -> dict[str, float]:
    idx = CandidateIndex(IndexParams(channels=("cover",)))
    idx.add(articles)
    return {
        (c.b if c.a == query.id else c.a): dict(c.channel_scores)["cover"] for c in idx.query(query)
    }


def test_the_cover_channel_ranks_the_source_of_a_short_text_first() -> None:
    hits = _cover_hits([BRIDGE, FLOOD, ONE_LINER], ONE_LINER)
    assert "bridge" in hits
    assert hits["bridge"] > hits.get("flood", 0.0)
    assert 0.0 < hits["bridge"] <= 1.0


def test_the_cover_channel_skips_later_and_short_targets_and_long_queries() -> None:
    later = replace(BRIDGE, id="later", published=DAY3)
    assert "later" not in _cover_hits([later, ONE_LINER], ONE_LINER)
    sibling = replace(ONE_LINER, id="sibling", text=ONE_LINER.text + " Buses are diverted.")
    assert "sibling" not in _cover_hits([sibling, ONE_LINER], ONE_LINER)  # not longer enough
    long_query = replace(BRIDGE, id="long", text=_BRIDGE + " " + _BRIDGE, published=DAY2)
    assert _cover_hits([FLOOD, BRIDGE, long_query], long_query) == {}  # too many terms


def test_cover_of_gives_each_source_its_margin_over_the_best_rival() -> None:
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER)}
    cands = [
        Candidate("blurb", "bridge", frozenset({"cover"}), 0.6, (("cover", 0.6),)),
        Candidate("blurb", "flood", frozenset({"cover"}), 0.2, (("cover", 0.2),)),
        Candidate("bridge", "flood", frozenset({"story"}), 0.5, (("story", 0.5),)),
    ]
    got = cover_of(cands, by_id)
    assert got == {
        ("bridge", "blurb"): Cover(0.6, pytest.approx(0.4)),
        ("flood", "blurb"): Cover(0.2, pytest.approx(-0.4)),
    }


def _gate(tmp_path, monkeypatch, context: dict | None) -> None:
    data: dict = {"novel_share": 0.1}
    if context is not None:
        data["context"] = context
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))


def test_the_context_rule_admits_only_the_best_covering_source(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, {"max_novel_share": 0.8, "min_cover": 0.3, "min_margin": 0.05})
    assert context_admits(0.5, Cover(0.5, 0.2))
    assert not context_admits(0.5, Cover(0.5, 0.0))  # not the best target
    assert not context_admits(0.5, Cover(0.2, 0.2))  # too little of the text covered
    assert not context_admits(0.9, Cover(0.5, 0.2))  # too many words of its own
    assert not context_admits(0.5, None)  # no cover evidence: the novel-share rule only
    _gate(tmp_path, monkeypatch, None)
    assert not context_admits(0.5, Cover(0.9, 0.9))  # no fitted context rule


def test_a_one_liner_found_by_the_cover_channel_is_derived(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, {"max_novel_share": 1.0, "min_cover": 0.2, "min_margin": 0.02})
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER)}
    assert summary_novel_share(BRIDGE, ONE_LINER) is None  # the novel share alone refuses it
    cover = Candidate("blurb", "bridge", frozenset({"cover"}), 0.6, (("cover", 0.6),))
    rival = Candidate("blurb", "flood", frozenset({"cover"}), 0.1, (("cover", 0.1),))
    assert relate_candidate(cover, by_id) is None  # the first round leaves it to the gate
    (again,) = summary_candidates([cover, rival], [], by_id)
    assert (again.a, again.b) == ("blurb", "bridge") and "summary" in again.channels
    rel = relate_candidate(again, by_id)
    assert rel is not None and (rel.source, rel.derived, rel.kind) == ("bridge", "blurb", "rewrite")
    # a one-liner derived only from a sibling may still get its article; one with a long
    # source may not
    sibling = [Relation("other-blurb", "blurb", "partial", 0.5, 0.2, 0.6)]
    by_id["other-blurb"] = replace(ONE_LINER, id="other-blurb")
    assert summary_candidates([cover, rival], sibling, by_id) != []
    sourced = [Relation("flood", "blurb", "rewrite", 0.5, 0.2, 0.6)]
    assert summary_candidates([cover, rival], sourced, by_id) == []


def _rows() -> list[GateRow]:
    rows = [GateRow("frank", f"g{i}", 0.2, True) for i in range(10)]  # extractive summaries
    rows += [GateRow("frank", f"a{i}", 0.5, True, 0.5, 0.2) for i in range(20)]  # abstractive
    rows += [GateRow("frank", f"n{i}", 0.8, False, 0.15, -0.3) for i in range(40)]
    rows += [GateRow("frank", f"m{i}", 0.6, False, 0.45, -0.1) for i in range(20)]
    rows += [GateRow("clough", "t1", 0.3, False, 0.35, 0.3)]  # written apart, best covering
    return rows


def test_the_fit_keeps_precision_first_on_each_corpus() -> None:
    gate = fit_rows(_rows())
    assert gate.novel_share == pytest.approx(0.2)
    assert gate.context is not None
    pred = [gate.admits(r) for r in _rows()]
    # every abstractive summary, no other-article pair; the small corpus's one written-apart
    # answer is not bought by the large corpus's gains
    assert all(p == r.derived for p, r in zip(pred, _rows(), strict=True) if r.corpus == "frank")
    assert not gate.admits(GateRow("clough", "t1", 0.3, False, 0.35, 0.3))
    # had it covered as much as the summaries, no context rule would have been precise enough
    tied = [*_rows()[:-1], GateRow("clough", "t1", 0.3, False, 0.6, 0.3)]
    assert fit_rows(tied).context is None
    assert Gate(0.2).admits(GateRow("frank", "x", 0.5, True, 0.9, 0.9)) is False


def test_the_context_rule_lets_few_orphans_through() -> None:
    # orphans: each summary's best match with its own source missing. When they look like
    # the abstractive summaries, the rule must stay strict enough to leave most of them out
    rows = _rows()
    lookalikes = [GateRow("frank", f"o{i}", 0.5, False, 0.45, 0.15, orphan=True) for i in range(10)]
    gate = fit_rows(rows + lookalikes)
    assert gate.context is not None  # the abstractive summaries cover more: 0.5 against 0.45
    assert sum(gate.admits(r) for r in lookalikes) == 0
    same = [GateRow("frank", f"o{i}", 0.5, False, 0.5, 0.2, orphan=True) for i in range(10)]
    assert fit_rows(rows + same).context is None


def _derivations(rounds: list[list[Article]], tmp_path) -> set[tuple[str, str, str]]:
    """Each round stored, then analysed (the semantic layer off: the lexical engine alone)."""
    from newslineage.engines.local import analyze_store
    from newslineage.store import open_store

    store = open_store(str(tmp_path / f"rounds{len(rounds)}.db"))
    try:
        for articles in rounds:
            store.add_articles(articles)
            analyze_store(store)
        return {(r.source, r.derived, r.kind) for r in store.relations() if r.kind != "same_story"}
    finally:
        store.close()


def test_a_one_liner_stored_before_its_source_finds_it_when_it_arrives(
    tmp_path, monkeypatch
) -> None:
    _gate(tmp_path, monkeypatch, {"max_novel_share": 1.0, "min_cover": 0.2, "min_margin": 0.02})
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "0")
    at_once = _derivations([[FLOOD, ONE_LINER, BRIDGE]], tmp_path)
    assert ("bridge", "blurb", "rewrite") in at_once
    # the blurb first, its (earlier published) source in a later run: the same lineage
    assert _derivations([[FLOOD, ONE_LINER], [BRIDGE]], tmp_path) == at_once


def test_a_streamed_article_becomes_the_source_of_a_stored_one_liner(tmp_path, monkeypatch) -> None:
    """The streaming engine looks the stored short texts up again too: the blurb, stored and
    analysed before its article, gets it as its source when the article is streamed."""
    from newslineage.engines.local import analyze_store
    from newslineage.engines.stream import lineage_for_new
    from newslineage.store import open_store

    _gate(tmp_path, monkeypatch, {"max_novel_share": 1.0, "min_cover": 0.2, "min_margin": 0.02})
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "0")
    store = open_store(str(tmp_path / "stream.db"))
    try:
        store.add_articles([FLOOD, ONE_LINER])
        analyze_store(store)
        index = CandidateIndex()
        index.add(list(store.iter_articles()))
        got = {(r.source, r.derived, r.kind) for r in lineage_for_new(BRIDGE, store, index)}
    finally:
        store.close()
    assert ("bridge", "blurb", "rewrite") in got
    # published after every stored article, it is nobody's source and looks nothing up
    assert not index.short_texts_near([replace(BRIDGE, id="later", published=DAY3)])


def test_the_index_names_stored_short_texts_a_new_article_may_be_the_source_of() -> None:
    idx = CandidateIndex(IndexParams(channels=("cover",)))
    idx.add([FLOOD, ONE_LINER, BRIDGE])
    assert idx.short_texts_near([BRIDGE]) == ["blurb"]
    assert idx.short_texts_near([ONE_LINER]) == []  # nothing is short against a one-liner
    later = replace(BRIDGE, id="later", published=DAY3)  # published after the blurb
    idx.add([later])
    assert idx.short_texts_near([later]) == []
    hits = idx.cover_candidates([ONE_LINER])
    assert {b for _, b, _, _ in hits} >= {"bridge"}
    # a new article not indexed yet, scored as the index scores it once added
    fresh, whole = CandidateIndex(IndexParams(channels=("cover",))), CandidateIndex(idx.params)
    fresh.add([FLOOD, ONE_LINER])
    whole.add([FLOOD, ONE_LINER, BRIDGE])
    want = {b: s for _, b, _, s in whole.cover_candidates([ONE_LINER])}["bridge"]
    [(short, target, _, score)], rivals, rarity = fresh.late_cover_hits(BRIDGE, [ONE_LINER])
    assert (short, target) == ("blurb", "bridge") and score == pytest.approx(want, abs=1e-12)
    assert rarity["blurb"] == pytest.approx(whole.shared_rarity(ONE_LINER, ["bridge"])["bridge"])
    assert rarity["blurb"] > 0
    assert {(a, b) for a, b, _, _ in rivals} <= {("blurb", "flood")}  # the stored targets


def test_cover_of_gives_each_source_its_lead_cosine_and_margin() -> None:
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER)}
    cands = [
        Candidate("blurb", "bridge", frozenset({"cover"}), 0.6, (("cover", 0.6),)),
        Candidate("blurb", "flood", frozenset({"cover"}), 0.2, (("cover", 0.2),)),
    ]
    cos = {"bridge": 0.7, "flood": 0.3}
    got = cover_of(cands, by_id, lambda src, short: cos[src.id])
    assert got[("bridge", "blurb")] == Cover(0.6, pytest.approx(0.4), 0.7, pytest.approx(0.4))
    assert got[("flood", "blurb")].cosine_margin == pytest.approx(-0.4)
    unknown = cover_of(cands, by_id, lambda src, short: None)  # no vectors: words alone
    assert unknown[("bridge", "blurb")] == Cover(0.6, pytest.approx(0.4))


_LEXICAL = {"max_novel_share": 0.5, "min_cover": 0.4, "min_margin": 0.1}
_SEMANTIC = {"max_novel_share": 0.7, "min_cover": 0.3, "min_margin": -1.0, "min_cosine": 0.4,
             "min_cosine_margin": 0.0, "model": "use"}  # fmt: skip


def test_the_semantic_context_rule_reads_the_lead_cosine(tmp_path, monkeypatch) -> None:
    data = {"novel_share": 0.1, "context": _LEXICAL, "semantic_context": _SEMANTIC}
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))
    # a one-liner in its own words, covered a little less than the lexical rule asks
    assert not context_admits(0.6, Cover(0.35, 0.05))  # without vectors: the lexical rule
    assert context_admits(0.6, Cover(0.35, 0.05, 0.5, 0.1))  # its source's lead says it
    assert not context_admits(0.6, Cover(0.35, 0.05, 0.3, 0.1))  # another event's lead
    assert not context_admits(0.6, Cover(0.35, 0.05, 0.5, -0.1))  # a rival is closer


def test_summary_candidates_pass_the_lead_cosine_to_the_gate(tmp_path, monkeypatch) -> None:
    data = {"novel_share": 0.1, "context": _LEXICAL, "semantic_context": _SEMANTIC}
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER)}
    cover = Candidate("blurb", "bridge", frozenset({"cover"}), 0.35, (("cover", 0.35),))
    rival = Candidate("blurb", "flood", frozenset({"cover"}), 0.3, (("cover", 0.3),))
    assert summary_candidates([cover, rival], [], by_id) == []  # words alone: too close
    cos = {"bridge": 0.6, "flood": 0.2}
    (got,) = summary_candidates([cover, rival], [], by_id, cosine=lambda s, d: cos[s.id])
    assert (got.a, got.b) == ("blurb", "bridge")


def _semantic_rows(orphan_cosine: float) -> list[GateRow]:
    """Abstractive summaries and orphans alike in words (no lexical rule can part them), the
    orphans' leads farther from the summary's than its own source's."""
    rows = [GateRow("frank", f"g{i}", 0.2, True) for i in range(10)]
    rows += [GateRow("frank", f"a{i}", 0.5, True, 0.5, 0.2, cosine=0.6, cosine_margin=0.3)
             for i in range(20)]  # fmt: skip
    rows += [GateRow("frank", f"n{i}", 0.5, False, 0.15, -0.3, cosine=0.2, cosine_margin=-0.3)
             for i in range(40)]  # fmt: skip
    rows += [GateRow("frank", f"o{i}", 0.5, False, 0.5, 0.2, orphan=True,
                     cosine=orphan_cosine, cosine_margin=0.1) for i in range(10)]  # fmt: skip
    return rows


def test_the_semantic_rule_admits_what_the_orphan_cap_kept_out() -> None:
    rows = _semantic_rows(orphan_cosine=0.3)
    gate = fit_rows(rows)
    assert gate.context is None  # in words, the orphans are the summaries' twins
    assert gate.semantic is not None
    assert all(gate.admits(r) == r.derived for r in rows if not r.orphan)
    assert sum(gate.admits(r) for r in rows if r.orphan) == 0
    # no vectors (another language's model): the lexical rule, here none
    assert not gate.admits(GateRow("frank", "x", 0.5, True, 0.5, 0.2))
    assert "semantic_context" in gate.to_json()
    # the same cosine for both: nothing to tell them apart, no semantic rule
    assert fit_rows(_semantic_rows(orphan_cosine=0.6)).semantic is None


def test_the_index_rates_how_rare_the_terms_a_source_shares_are() -> None:
    idx = CandidateIndex(IndexParams(channels=("cover",)))
    idx.add([BRIDGE, FLOOD, ONE_LINER])
    got = idx.shared_rarity(ONE_LINER, ["bridge", "flood", "missing"])
    assert set(got) == {"bridge", "flood"}  # only indexed sources
    assert 0.0 <= got["flood"] < got["bridge"] <= 1.0  # the bridge's names are the blurb's


def test_cover_of_gives_each_source_its_rarity_only_with_lead_cosines() -> None:
    by_id = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER)}
    cands = [Candidate("blurb", "bridge", frozenset({"cover"}), 0.6, (("cover", 0.6),))]
    rare = {"bridge": 0.8}
    got = cover_of(cands, by_id, lambda s, d: 0.5, lambda short, srcs: rare)
    assert got[("bridge", "blurb")].rarity == 0.8
    no_vectors = cover_of(cands, by_id, lambda s, d: None, lambda short, srcs: rare)
    assert no_vectors[("bridge", "blurb")].rarity is None


def test_the_semantic_rule_reads_the_rarity_with_its_fitted_weight(tmp_path, monkeypatch) -> None:
    rule = _SEMANTIC | {"min_cosine": 0.6, "rarity_weight": 0.5}
    data = {"novel_share": 0.1, "context": _LEXICAL, "semantic_context": rule}
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))
    assert context_admits(0.6, Cover(0.35, 0.05, 0.3, 0.1, rarity=0.8))  # 0.3 + 0.4
    assert not context_admits(0.6, Cover(0.35, 0.05, 0.3, 0.1, rarity=0.4))  # 0.3 + 0.2
    assert not context_admits(0.6, Cover(0.35, 0.05, 0.5, 0.1))  # not looked up: read as 0


def test_the_fit_weighs_the_rarity_when_it_parts_summaries_from_orphans() -> None:
    rows = _semantic_rows(orphan_cosine=0.6)  # the same cosine: the lead cannot part them
    rows = [replace(r, rarity=0.4 if r.orphan else 0.9) if r.cosine is not None else r
            for r in rows]  # fmt: skip
    gate = fit_rows(rows)
    assert gate.semantic is not None and gate.rarity_weight > 0
    assert all(gate.admits(r) == r.derived for r in rows if not r.orphan)
    assert sum(gate.admits(r) for r in rows if r.orphan) == 0
    assert gate.to_json()["semantic_context"]["rarity_weight"] == gate.rarity_weight


@pytest.mark.parametrize("analysed", [True, False])
def test_a_streamed_copy_of_a_one_liners_source_is_weighed_as_the_batch_engine_weighs_it(
    tmp_path, monkeypatch, analysed: bool
) -> None:
    """A second version of the blurb's source arrives in the stream: the blurb keeps the one
    source the batch engine gives it, whether the store holds its stored source relation
    (``analysed``) or no relations yet (its stored cover targets are related again)."""
    from newslineage.engines.local import analyze_store
    from newslineage.engines.stream import lineage_for_new
    from newslineage.store import open_store

    # no margin: both versions pass the gate, and choose picks one
    _gate(tmp_path, monkeypatch, {"max_novel_share": 1.0, "min_cover": 0.2, "min_margin": -1.0})
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "0")
    second = replace(BRIDGE, id="second", text=_BRIDGE.replace("Harwick", "Harwick town"))

    def blurb_sources(rels: list[Relation]) -> set[str]:
        return {r.source for r in rels if r.derived == "blurb" and r.kind != "same_story"}

    batch = open_store(str(tmp_path / "batch.db"))
    try:
        batch.add_articles([FLOOD, BRIDGE, ONE_LINER])
        if analysed:
            analyze_store(batch)
        batch.add_articles([second])
        analyze_store(batch)
        want = blurb_sources(batch.relations())
    finally:
        batch.close()
    store = open_store(str(tmp_path / "stream.db"))
    try:
        store.add_articles([FLOOD, BRIDGE, ONE_LINER])
        if analysed:
            analyze_store(store)
        index = CandidateIndex()
        index.add(list(store.iter_articles()))
        got = blurb_sources(lineage_for_new(second, store, index))
    finally:
        store.close()
    assert len(want) == 1
    assert got == want & {"second"}
