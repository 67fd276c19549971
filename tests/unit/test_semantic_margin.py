"""The semantic decision's margin: a derivation's crowd is its possible sources (the articles
published before it), and the margin cuts are fitted (``semantic/margin.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newslineage.engines.semantic import SemanticRun
from newslineage.index.vectors import VectorIndex
from newslineage.model import Article
from newslineage.semantic.encoders import Encoder
from newslineage.semantic.margin import MarginCuts, fit_cuts, outcome
from newslineage.semantic.params import SemanticParams

DIM = 32
DAY0 = datetime(2025, 3, 1, tzinfo=UTC)


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _e(i: int) -> np.ndarray:
    return np.eye(DIM, dtype=np.float32)[i]


def _run(vectors: dict[str, np.ndarray], dates: dict[str, datetime | None]) -> SemanticRun:
    """A run whose "use" index holds ``vectors`` (no encoder is called)."""
    enc = Encoder("use", DIM, lambda texts: np.zeros((len(texts), DIM), np.float32))
    run = SemanticRun(None, SemanticParams(), encoder=lambda model: enc)
    ids = list(vectors)
    times = [dates[i].timestamp() if dates[i] else float("nan") for i in ids]
    run.index("use").add(ids, np.stack([vectors[i] for i in ids]), times)
    return run


def _story(dates: dict[str, datetime | None]) -> tuple[SemanticRun, dict[str, Article]]:
    """A source "s", ten close siblings "d0".."d9" made from it (closer to each other than to
    it) and eight unrelated articles "u0".."u7"."""
    vectors = {"s": _e(0)}
    vectors |= {f"d{i}": _unit(_e(0) + 0.6 * _e(31) + 0.4 * _e(1 + i)) for i in range(10)}
    vectors |= {f"u{j}": _unit(0.3 * _e(0) + _e(12 + j)) for j in range(8)}
    arts = {i: Article(i, "text", language="en", published=dates.get(i)) for i in vectors}
    return _run(vectors, {i: a.published for i, a in arts.items()}), arts


def _margin(run: SemanticRun, arts: dict[str, Article], a: str, b: str) -> float:
    run._measure_crowding({(a, b)}, arts)
    got = run.margin(arts[a], arts[b])
    assert got is not None
    return got


def test_later_siblings_do_not_crowd_a_derivation() -> None:
    """Ten rewrites of one source, all published the day after it: each stands out among
    its possible sources, though all ten crowd one another (the old, symmetric margin)."""
    dates = {"s": DAY0} | {f"d{i}": DAY0 + timedelta(days=1) for i in range(10)}
    dates |= {f"u{j}": DAY0 - timedelta(days=1) for j in range(8)}
    run, arts = _story(dates)
    assert _margin(run, arts, "s", "d3") >= 0.5
    # undated, the pair falls back to the symmetric margin, which the siblings sink
    undated, arts2 = _story({})
    assert _margin(undated, arts2, "s", "d3") < 0.0


def test_independent_reports_still_crowd_each_other() -> None:
    """Reports published one after another: the last one's possible sources include the
    other reports, so its link to any one of them does not stand out."""
    dates = {"s": DAY0} | {f"d{i}": DAY0 + timedelta(hours=1 + i) for i in range(10)}
    dates |= {f"u{j}": DAY0 - timedelta(days=1) for j in range(8)}
    run, arts = _story(dates)
    assert _margin(run, arts, "d8", "d9") < 0.15
    assert _margin(run, arts, "s", "d0") >= 0.5  # the first report has only the source


def test_crowding_before_counts_only_earlier_articles() -> None:
    idx = VectorIndex("toy", 2)
    rows = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]], np.float32)
    idx.add(["a", "b", "c", "d"], rows, [1.0, 2.0, 3.0, float("nan")])
    got = idx.crowding_before(["a", "b", "c", "d"], k=5)
    assert set(got) == {"b", "c"}  # "a" has nothing before it, "d" no date
    assert got["b"] == pytest.approx(0.8)
    assert got["c"] == pytest.approx((0.96 + 0.6) / 2)


def _row(corpus: str, margin: float, outcome_: str | None, gold: str) -> dict:
    return {"corpus": corpus, "margin": margin, "outcome": outcome_, "lexical": None,
            "veto": None, "gold": gold}  # fmt: skip


def test_fitted_cuts_keep_the_derivations_above_the_false_ones() -> None:
    rows = [_row("x", m, "rewrite", "derived") for m in (0.4, 0.5, 0.6)]
    rows += [_row("x", m, "rewrite", "same") for m in (0.05, 0.1, 0.2)]
    rows += [_row("y", m, "same_story", "same") for m in (0.1, 0.3)]
    rows += [_row("y", m, "same_story", "different") for m in (-0.2, -0.1)]
    cuts = fit_cuts(rows)
    assert cuts == MarginCuts(-0.09, 0.21)  # the lowest of the best cuts
    assert outcome(rows[0], cuts) == "rewrite" and outcome(rows[3], cuts) is None
    assert outcome(rows[6], MarginCuts(0.0, 0.3)) == "same_story"  # over the story cut


def test_the_margins_read_the_neighbour_search_s_crowds(monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``neighbours`` the crowds come from its survey, with no second search, and are
    the ones a separate search measures; once the index grows they are searched again."""
    import newslineage.engines.semantic as engine

    dates = {"s": DAY0} | {f"d{i}": DAY0 + timedelta(hours=1 + i) for i in range(10)}
    arts = _story(dates)[1]
    pairs = {("s", "d3"), ("d8", "d9"), ("u1", "u2")}  # u1, u2 undated: their neighbourhoods
    fresh, _ = _story(dates)
    fresh._measure_crowding(pairs, arts)
    searched: list[int] = []
    for name in ("neighbourhood_of", "crowding_of"):
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda st, ids, f=real: searched.append(1) or f(st, ids))
    run, _ = _story(dates)
    run.neighbours(list(arts.values()))
    run._measure_crowding(pairs, arts)
    assert not searched and run._before == fresh._before and run._crowd == fresh._crowd
    grown, _ = _story(dates)
    grown.neighbours(list(arts.values()))
    grown.index("use").add(["late"], _unit(_e(5))[None, :], [DAY0.timestamp()])
    grown._measure_crowding(pairs, arts)
    assert searched


def test_trace_records_a_semantic_derivations_features() -> None:
    """The margin rows carry each semantic derivation's features (its evidence), so a guard
    fitted on them reads what the engine has at no cost (``bench/margins.py``)."""
    from newslineage.engines.semantic import SemanticTask, _LexicalGraph
    from newslineage.lineage.semantic import SemanticPair
    from newslineage.model import Relation

    arts = [Article(id=i, text="t", published=DAY0) for i in ("s", "d")]
    task = SemanticTask(SemanticPair(arts[0], arts[1], 0.9, "e5", margin=0.25), None, veto=False)
    got = Relation(source="s", derived="d", kind="partial", coverage=0.5, verbatim_share=0.0,
                   confidence=0.6, evidence={"semantic_features": {"char4": 0.5}})  # fmt: skip
    run = SemanticRun(None)
    run.trace = []
    assert run._settle(task, got, _LexicalGraph.of([]), MarginCuts(0.11, 0.36)) is None
    assert run.trace[0]["feats"] == {"char4": 0.5} and run.trace[0]["conf"] == 0.6
    assert run.trace[0]["outcome"] == "partial"


def test_counter_is_a_margin_corpus() -> None:
    from bench.heldout import MARGIN_CORPUS
    from bench.margins import CORPORA

    assert CORPORA["counter"] == "counter-dev" and MARGIN_CORPUS["counter-dev"] == "counter"
