"""A summary of a long article: derived from it (the fitted gate of ``lineage/summary.py``),
related to it through its siblings, and checked against it by drift even when the lineage
left it beside the article with no relation (issue #13: FRANK through the pipeline)."""

from __future__ import annotations

from datetime import UTC, datetime

from newslineage.align import align_articles
from newslineage.drift.story import find_story_drift
from newslineage.index.candidates import Candidate
from newslineage.lineage import classify_relation
from newslineage.lineage.choose import relate_candidate, sibling_candidates, summary_candidates
from newslineage.lineage.summary import is_short, novel_limit, summary_novel_share
from newslineage.model import Article, Relation, Story

DAY1, DAY2 = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)
ARTICLE = Article(
    "art",
    "The city council of Harwick voted on Tuesday to close the old Mill Street bridge for "
    "repairs. Engineers found cracks in two of the bridge's steel supports during an "
    "inspection in March. The repairs will cost about 4 million pounds and take eight months, "
    "the council said. Mayor Ellen Carter said the decision was difficult but necessary for "
    "public safety. Local shop owners on Mill Street fear that the closure will keep customers "
    "away. A temporary footbridge will be built next to the old bridge so that pedestrians can "
    "still cross the river. Buses will be diverted through the town centre while the work goes "
    "on. The bridge was built in 1898 and last repaired in the 1970s.",
    published=DAY1,
)
# an abstractive one-liner: no sentence of the article is close enough to pair with it
FAITHFUL = Article(
    "good",
    "Harwick's council will close the Mill Street bridge for eight months of repairs after "
    "engineers found cracks in its steel supports.",
    published=DAY2,
)
# the same, with a person the article never names and a duration it never states
WRONG = Article(
    "bad",
    "Harwick's council will close the Mill Street bridge for two years after Mayor Tom Briggs "
    "found cracks in its supports.",
    published=DAY2,
)
# a short report written apart: its own place, river and day
OTHER = Article(
    "other",
    "Flooding closed three roads in Dunmore on Sunday as the river Elm burst its banks after "
    "heavy rain.",
    published=DAY2,
)


def _kind(source: Article, derived: Article) -> str | None:
    rel = classify_relation(source, derived, align_articles(source, derived))
    return rel.kind if rel else None


def test_the_gate_is_fitted_and_short_texts_only() -> None:
    assert 0.0 < novel_limit() < 1.0
    assert is_short(FAITHFUL, ARTICLE) and not is_short(ARTICLE, FAITHFUL)
    assert summary_novel_share(FAITHFUL, ARTICLE) is None  # the long one is no summary


def test_a_summary_of_a_long_article_is_derived_from_it() -> None:
    assert _kind(ARTICLE, FAITHFUL) == "rewrite"
    assert _kind(ARTICLE, WRONG) == "rewrite"  # a wrong summary is still made from it


def test_a_short_text_with_its_own_names_and_words_is_not_derived() -> None:
    assert summary_novel_share(ARTICLE, OTHER) is None
    assert _kind(ARTICLE, OTHER) is None


def test_a_summary_found_only_by_meaning_is_aligned_again_and_derived() -> None:
    by_id = {a.id: a for a in (ARTICLE, WRONG, OTHER)}
    semantic = Candidate("art", "bad", frozenset({"semantic"}), 0.6)
    assert relate_candidate(semantic, by_id) is None  # the first round leaves it to meaning
    (again,) = summary_candidates([semantic], [], by_id)
    rel = relate_candidate(again, by_id)
    assert rel is not None and (rel.source, rel.derived, rel.kind) == ("art", "bad", "rewrite")
    # not a text that already has a source, nor one that fails the gate
    found = [Relation("x", "bad", "copy", 0.9, 0.9, 0.9)]
    assert summary_candidates([semantic], found, by_id) == []
    apart = Candidate("art", "other", frozenset({"story"}), 0.3)
    assert summary_candidates([apart], [], by_id) == []


def test_the_source_of_a_summarys_sibling_becomes_a_candidate() -> None:
    by_id = {a.id: a for a in (ARTICLE, FAITHFUL, WRONG)}
    found = [Relation("art", "good", "rewrite", 0.5, 0.0, 0.8)]
    got = sibling_candidates([Candidate("bad", "good", frozenset({"semantic"}), 0.7)], found, by_id)
    assert [(c.a, c.b) for c in got] == [("art", "bad")]
    # nothing when the pair was asked already
    asked = [
        Candidate("bad", "good", frozenset({"semantic"}), 0.7),
        Candidate("art", "bad", frozenset({"story"}), 0.3),
    ]
    assert sibling_candidates(asked, found, by_id) == []


def test_drift_checks_a_summary_the_lineage_left_beside_its_article() -> None:
    # same story, no relation: the summary is still checked against the earlier article
    # it summarises, and the name it invented is reported there
    story = Story("s", None, ("art", "bad"), "art")
    found = find_story_drift(story, {"art": ARTICLE, "bad": WRONG}, [])
    assert any(f.kind == "name_changed" and f.source_article == "art" for f in found)
    assert all(f.detail.get("method") == "support" for f in found)


def test_drift_leaves_a_short_report_written_apart_alone() -> None:
    story = Story("s", None, ("art", "other"), "art")
    assert find_story_drift(story, {"art": ARTICLE, "other": OTHER}, []) == []


def _streamed(stored: list[Article], new: Article) -> list[tuple[str, str, str]]:
    """``new``'s relations when it arrives after ``stored`` was analysed (streaming engine)."""
    return sorted((r.source, r.derived, r.kind) for r in streamed_relations(stored, new))


def streamed_relations(stored: list[Article], new: Article) -> list[Relation]:
    """The streaming engine's relations of ``new`` against ``stored``, analysed first."""
    from newslineage import api
    from newslineage.engines.stream import lineage_for_new
    from newslineage.index.candidates import CandidateIndex
    from newslineage.store import open_store

    store = open_store(":memory:")
    try:
        for a in stored:
            store.add_article(a)
        api.analyze(store, semantic=False)
        index = CandidateIndex()
        index.add(list(store.iter_articles()))
        return lineage_for_new(new, store, index)
    finally:
        store.close()


def test_the_stream_engine_runs_the_summary_rounds_too() -> None:
    # a one-liner streamed after its article gets it as a source, as in a batch (before the
    # rounds were shared, the stream related it to nothing), and a short report written
    # apart gets nothing
    assert _streamed([ARTICLE], WRONG) == [("art", "bad", "rewrite")]
    assert _streamed([ARTICLE], OTHER) == []
    # beside a stored sibling summary, the article is still its source
    assert ("art", "bad", "rewrite") in _streamed([ARTICLE, FAITHFUL], WRONG)
