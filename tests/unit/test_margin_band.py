"""The margin cuts' band guard (``semantic/margin.py``): between the story and the derivation
cut a semantic derivation stands when its margin plus a fitted weight times its character
4-gram cosine reaches a fitted cut, fitted on every corpus's traced rows with the cuts'
per-corpus objective, so it is fitted only when no corpus pays for it."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newslineage.engines.semantic import SemanticRun, SemanticTask, _LexicalGraph
from newslineage.lineage.semantic import SemanticPair
from newslineage.model import Article, Relation
from newslineage.semantic.margin import MarginCuts, fit_cuts, load_cuts, outcome, save_cuts
from newslineage.semantic.params import SemanticParams


def _row(corpus: str, margin: float, gold: str, char4: float | None = None) -> dict:
    kind = "rewrite" if char4 is not None else "same_story"
    row = {"corpus": corpus, "margin": margin, "outcome": kind, "lexical": None,
           "veto": None, "gold": gold}  # fmt: skip
    return row | ({"feats": {"char4": char4}} if char4 is not None else {})


def _reused() -> list[dict]:
    """Derivations over the band, true ones in it that reuse the source's characters and
    false ones in it that do not."""
    rows = [_row("x", m, "derived", 0.5) for m in (0.4, 0.5, 0.6)]
    rows += [_row("x", m, "derived", 0.9) for m in (0.2, 0.22)]
    rows += [_row("x", m, "same", 0.1) for m in (0.205, 0.21, 0.215, 0.225, 0.23)]
    rows += [_row("y", m, "same", None) for m in (0.1, 0.3)]
    return rows + [_row("y", m, "different", None) for m in (-0.2, -0.1)]


def test_guard_admits_the_band_derivations_that_reuse_text() -> None:
    rows = _reused()
    cuts = fit_cuts(rows)
    assert math.isfinite(cuts.band_cut) and cuts.reuse_weight > 0
    assert cuts.derivation == 0.24  # without the guard: the band's true ones interleave
    assert [outcome(r, cuts) for r in rows[3:10]] == ["rewrite"] * 2 + [None] * 5
    assert outcome(rows[0], cuts) == "rewrite"  # over the derivation cut: no guard needed


def test_no_guard_when_another_corpus_pays_for_it() -> None:
    """A templated corpus whose false derivations reuse as much text (the synthetic one's
    independent reports) keeps the band closed: each corpus counts equally."""
    rows = _reused() + [_row("z", m, "same", 0.9) for m in (0.2, 0.21, 0.22, 0.23)]
    cuts = fit_cuts(rows)
    assert cuts.band_cut == math.inf
    assert all(outcome(r, cuts) is None for r in rows[-4:])


def test_admits_and_may_admit() -> None:
    cuts = MarginCuts(0.1, 0.36, reuse_weight=0.5, band_cut=0.5)
    assert cuts.admits(0.4, None)  # over the derivation cut
    assert cuts.admits(0.3, 0.4) and not cuts.admits(0.3, 0.39)
    assert not cuts.admits(0.05, 1.0)  # under the story cut
    assert cuts.may_admit(0.0 + 0.1) and not cuts.may_admit(-0.1 + 0.1 - 0.01)
    assert not MarginCuts(0.1, 0.36).may_admit(0.35)  # no guard: the band refuses all


def test_guard_round_trips_through_the_decision_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_cuts(MarginCuts(0.14, 0.36, 0.3, 0.5), tmp_path / "margin.json", "test")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))
    assert load_cuts() == MarginCuts(0.14, 0.36, 0.3, 0.5)
    assert SemanticParams().margin_cuts().band_cut == 0.5
    save_cuts(MarginCuts(0.14, 0.36), tmp_path / "margin.json", "no guard")
    assert load_cuts().band_cut == math.inf


def _derivation(char4: float) -> Relation:
    features = {"semantic_features": {"char4": char4}}
    return Relation(source="s", derived="d", kind="partial", coverage=0.5, verbatim_share=0.0,
                    confidence=0.6, evidence=features)  # fmt: skip


def test_engine_keeps_a_band_derivation_the_guard_admits() -> None:
    day = datetime(2025, 3, 1, tzinfo=UTC)
    arts = [Article(id=i, text="t", published=day) for i in ("s", "d")]
    pair = SemanticPair(arts[0], arts[1], 0.9, "e5", margin=0.25)
    task = SemanticTask(pair, None, veto=False)
    run, graph = SemanticRun(None), _LexicalGraph.of([])
    guard = MarginCuts(0.11, 0.36, reuse_weight=1.0, band_cut=0.75)
    assert run._settle(task, _derivation(0.6), graph, guard) is not None
    assert run._settle(task, _derivation(0.4), graph, guard) is None
    assert run._settle(task, _derivation(0.6), graph, MarginCuts(0.11, 0.36)) is None
    assert run._story_first(task, graph, MarginCuts(0.11, 0.36)).story_first
    assert not run._story_first(task, graph, guard).story_first
