"""Streaming: one new article against a stored corpus gives the batch engine's lineage."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslineage import api
from newslineage.engines.stream import lineage_for_new, lineage_for_new_detailed
from newslineage.index.candidates import CandidateIndex
from newslineage.model import DERIVATION_KINDS, Article
from newslineage.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def _key(r) -> tuple[str, str, str]:
    return (r.source, r.derived, r.kind)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    db = tmp_path_factory.mktemp("stream") / "ex.db"
    store = open_store(str(db))
    api.add([str(EXAMPLES)], store)
    api.analyze(store, full=True)
    articles = list(store.iter_articles())
    relations = store.relations()
    yield store, articles, relations
    store.close()


def _held_out(articles: list[Article], relations) -> list[Article]:
    """Articles that are derived from another one in the full analysis."""
    derived = {r.derived for r in relations if r.kind in DERIVATION_KINDS}
    return [a for a in articles if a.id in derived]


def test_examples_have_derived_articles(analysed):
    _, articles, relations = analysed
    assert len(_held_out(articles, relations)) >= 3


def test_held_out_article_gets_the_full_analysis_sources(analysed):
    store, articles, relations = analysed
    for new in _held_out(articles, relations):
        index = CandidateIndex()
        index.add([a for a in articles if a.id != new.id])
        got = lineage_for_new(new, store, index)
        want_in = {_key(r) for r in relations if r.derived == new.id and r.kind in DERIVATION_KINDS}
        got_in = {_key(r) for r in got if r.derived == new.id and r.kind in DERIVATION_KINDS}
        assert got_in == want_in, new.id
        # every stored edge the batch engine drew out of this article is found again
        want_out = {_key(r) for r in relations if r.source == new.id and r.kind != "same_story"}
        assert want_out <= {_key(r) for r in got}, new.id


def test_fetches_only_candidates_and_add_indexes_the_article(analysed):
    store, articles, relations = analysed
    new = _held_out(articles, relations)[0]
    index = CandidateIndex()
    index.add([a for a in articles if a.id != new.id])
    result = lineage_for_new_detailed(new, store, index, add=True)
    assert 0 < result.fetched <= result.candidates < len(articles)
    assert new.id in index and len(index) == len(articles)
    # once indexed it is still excluded from its own candidates
    assert all(
        new.id not in (r.source, r.derived) or r.source != r.derived for r in result.relations
    )


def test_unrelated_article_and_empty_index_give_nothing(analysed):
    store, articles, _ = analysed
    index = CandidateIndex()
    assert lineage_for_new(articles[0], store, index) == []
    index.add(articles)
    lone = Article(
        "lone",
        "Rain is expected across the northern hills on Sunday evening, "
        "forecasters said, with snow on the highest peaks by Monday morning.",
    )
    assert lineage_for_new(lone, store, index) == []


def test_a_new_version_of_a_source_does_not_take_its_stored_copies(analysed):
    """A second version of a stored source arrives: the copies and rewrites made from that
    source keep it. The new version covers them as well as the source does; the batch
    engine's choose gives each of them one source (the earliest, on a tie), and the stream
    weighs its edges out of the new article against their stored sources the same way."""
    from dataclasses import replace
    from datetime import timedelta

    store, articles, relations = analysed
    by_id = {a.id: a for a in articles}
    copied = [r for r in relations if r.kind == "copy" and by_id[r.source].published]
    assert copied
    src = by_id[copied[0].source]
    second = replace(src, id="second-version", url=None, text=src.text.replace(".", " .", 1),
                     published=src.published + timedelta(minutes=1))  # fmt: skip
    index = CandidateIndex()
    index.add(articles)
    got = lineage_for_new(second, store, index)
    single = {"copy", "rewrite", "excerpt", "translation"}
    made = {r.derived for r in relations if r.source == src.id and r.kind in single}
    assert made
    assert not [x for x in got if x.source == second.id and x.derived in made]
