"""relate's early exit (lineage/relate.py ``_unrelatable``) and the per-token and per-text
caches of the relate path change no result."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np

from newslineage.align.core import PairMeasures, max_strong_matches, measure_pair
from newslineage.lineage.choose import may_relate, relate_candidate_aligned
from newslineage.model import Article
from newslineage.text.content import novel_share

RELATE = sys.modules["newslineage.lineage.relate"]  # the package exports relate()


def _generated(n: int) -> list[Article]:
    from bench.bench_common import fast_article
    from bench.generate import generate_corpus

    records, _ = generate_corpus(n, seed=7)
    return [fast_article(r) for r in records]


def test_the_exit_decides_only_unrelated_pairs_and_changes_nothing(monkeypatch) -> None:
    from newslineage.index.candidates import CandidateIndex

    articles = _generated(240)
    by_id = {a.id: a for a in articles}
    index = CandidateIndex()
    index.add(articles)
    candidates = index.candidates_for(articles)
    exit_test = RELATE._unrelatable
    decided = []

    def counted(*args: object) -> bool:
        got = exit_test(*args)
        decided.append(got)
        return got

    def run() -> list:
        out = []
        for c in candidates:
            best: dict = {}
            rel, alignment = relate_candidate_aligned(c, by_id, best)
            out.append((rel, alignment, {k: v.tobytes() for k, v in best.items()}))
        return out

    monkeypatch.setattr(RELATE, "_unrelatable", counted)
    new = run()
    monkeypatch.setattr(RELATE, "_unrelatable", lambda *args: False)
    old = run()
    assert sum(decided) > 0  # the corpus has pairs that share a stock sentence and no more
    for (r_old, a_old, b_old), (r_new, a_new, b_new) in zip(old, new, strict=True):
        assert r_old == r_new
        if r_old is not None:  # the chain votes only read the rows of related pairs
            assert (a_old, b_old) == (a_new, b_new)


def test_strong_match_bound_counts_rows_and_columns() -> None:
    s11 = np.array([[0.9, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.6, 0.7]])
    none = np.zeros((0, 3)), np.zeros((3, 0))
    m = PairMeasures((), (), (s11, *none), [])
    assert max_strong_matches(m, 0.55) == 2  # rows 0 and 2 (three columns)
    s21 = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    s12 = np.array([[0.0, 0.0], [0.8, 0.0], [0.0, 0.0]])  # source 1 x derived (0, 1)
    assert max_strong_matches(PairMeasures((), (), (s11, s21, s12), []), 0.55) == 3
    x = Article("x", "NATO ministers met in Brussels on Thursday. It rained all day long.")
    assert max_strong_matches(measure_pair(x, x), 0.55) == 2


def test_semantic_only_pairs_never_reach_the_workers() -> None:
    from newslineage.index.hits import Candidate

    a, b = Article("a", "One text."), Article("b", "Another text.")
    by_id = {"a": a, "b": b}
    pair = Candidate("a", "b", frozenset({"semantic"}), 0.5, (("semantic", 0.5),))
    assert not may_relate(pair, by_id)
    assert may_relate(replace(pair, channels=frozenset({"semantic", "story"})), by_id)
    by_id["b"] = replace(b, language="de")
    assert may_relate(pair, by_id)  # two languages: the translation test reads it


def test_novel_share_cache_is_keyed_by_text_and_offsets() -> None:
    src = Article("s", "Rain fell over Portvale on Friday night.")
    der = Article("d", "Portvale saw rain on Friday.")
    whole = len(der.text)
    share = novel_share(src, der)
    assert novel_share(src, replace(der, sentences=((0, whole),))) == share
    assert novel_share(src, replace(der, sentences=[[0, whole]])) == share  # lists, by hand
    assert novel_share(src, replace(der, sentences=((0, 12),))) != share  # "Portvale saw"
