"""The fitted margin cuts of the semantic decision, and the command that refits them.

A candidate pair is decided semantically only when its lead cosine stands out of its crowd
(``SemanticRun.margin`` in ``engines/semantic.py``: the later article's nearest earlier articles
when the dates order the pair, else both articles' nearest neighbours). Two cuts on that
margin: under ``story`` the semantic decision adds nothing (the fitted same-story decision may
still drop a lexical story edge); under ``derivation`` a semantic derivation is refused.

They are fitted, not set by hand: on labelled candidate pairs of real pipeline runs with the
cuts off (``bench/margins.py``: the synthetic corpus, LLMFake, FRANK, COUNTER), each pair with its
margin, what the decision made of it, and the gold (derived / same story / different), the story
cut is the one on a 0.01 grid with the best mean same-story F1 over the corpora (each counts
equally; a derivation is a link too), then the derivation cut, at or above it, the one with the
best mean derivation F1 (for a corpus without true derivations among the pairs: the share of
the false ones refused). Run::

    PYTHONPATH=src:. python -m bench.margins --out /tmp/margin_rows.jsonl   # ~18 min, busy 2 cores
    python -m newslineage.semantic.margin /tmp/margin_rows.jsonl            # writes margin.json

``NEWSLINEAGE_DECISIONS=DIR`` reads ``DIR/margin.json`` instead (``semantic.decide``), so the
held-out dev-set runs refit it without the fold under test.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from newslineage.semantic.fit import read_rows

__all__ = ["DERIVED", "MarginCuts", "fit_cuts", "load_cuts", "outcome", "save_cuts"]

#: the outcomes that are derivations (``model.DERIVATION_KINDS`` the semantic decision gives)
DERIVED = frozenset({"rewrite", "partial", "translation"})
#: the grid the cuts are picked on
GRID = np.round(np.arange(-0.30, 0.61, 0.01), 2)


@dataclass(frozen=True, slots=True)
class MarginCuts:
    """Under ``story`` the semantic decision adds nothing; under ``derivation`` it may not
    make a derivation."""

    story: float
    derivation: float


def load_cuts() -> MarginCuts:
    """The cuts of ``margin.json`` (or of ``$NEWSLINEAGE_DECISIONS/margin.json``)."""
    from newslineage.semantic.decide import decision_file

    path = decision_file("margin")
    return _read(path, path.stat().st_mtime_ns)


@cache
def _read(path: Path, mtime_ns: int) -> MarginCuts:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return MarginCuts(float(doc["story"]), float(doc["derivation"]))


def save_cuts(cuts: MarginCuts, path: Path, note: str) -> None:
    doc = {"story": cuts.story, "derivation": cuts.derivation, "note": note}
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


def outcome(row: dict, cuts: MarginCuts) -> str | None:
    """What the engine gives a traced pair under ``cuts``: its ungated ``outcome``, the story
    veto's under the story cut, the lexical kind for a derivation under the derivation cut."""
    m = row["margin"]
    if m is None:
        return row["outcome"]
    if m < cuts.story:
        return row["veto"]
    if row["outcome"] in DERIVED and row["outcome"] != row["lexical"] and m < cuts.derivation:
        return row["lexical"]
    return row["outcome"]


def fit_cuts(rows: list[dict]) -> MarginCuts:
    """The story cut with the best mean same-story F1 over the rows' corpora (a derivation is
    a link too), then the derivation cut, at or above it, with the best mean derivation score
    (:meth:`_Corpus.f1`); each corpus counts equally, ties go to the lower cut."""
    corpora = [_Corpus.of([r for r in rows if r["corpus"] == c])
               for c in sorted({r["corpus"] for r in rows})]  # fmt: skip

    def best(cuts: list[MarginCuts], task: int) -> MarginCuts:
        scores = [np.mean([c.f1(cut, task) for c in corpora]) for cut in cuts]
        return cuts[int(np.argmax(np.round(scores, 9)))]  # the first (lowest) of the best

    story = best([MarginCuts(float(s), float(s)) for s in GRID], 1).story
    return best([MarginCuts(story, float(d)) for d in GRID[story <= GRID]], 0)


@dataclass(frozen=True, slots=True)
class _Corpus:
    """One corpus's traced pairs as arrays: margin (inf when unmeasured), whether the ungated
    outcome, the story veto and the lexical kind are derivations / links, and the gold."""

    margin: np.ndarray
    semantic: np.ndarray  # the ungated outcome is a semantic derivation
    outcome: tuple[np.ndarray, np.ndarray]  # (derived, linked)
    veto: tuple[np.ndarray, np.ndarray]
    lexical: tuple[np.ndarray, np.ndarray]
    gold: tuple[np.ndarray, np.ndarray]

    @classmethod
    def of(cls, rows: list[dict]) -> _Corpus:
        def kinds(key: str) -> tuple[np.ndarray, np.ndarray]:
            got = [r[key] for r in rows]
            return np.array([g in DERIVED for g in got]), np.array([g is not None for g in got])

        return cls(
            np.array([np.inf if r["margin"] is None else r["margin"] for r in rows]),
            np.array([r["outcome"] in DERIVED and r["outcome"] != r["lexical"] for r in rows]),
            kinds("outcome"), kinds("veto"), kinds("lexical"),
            (np.array([r["gold"] == "derived" for r in rows]),
             np.array([r["gold"] != "different" for r in rows])),
        )  # fmt: skip

    def f1(self, cuts: MarginCuts, task: int) -> float:
        """F1 of the outcomes under ``cuts``: of the derivations (``task`` 0) or the links.
        A corpus with no true derivation among its pairs (the synthetic one: the lexical
        rules find them all) scores the share of its semantic derivations refused instead."""
        low = self.margin < cuts.story
        refused = ~low & self.semantic & (self.margin < cuts.derivation)
        v, x, o = self.veto[task], self.lexical[task], self.outcome[task]
        got = np.where(low, v, np.where(refused, x, o))
        if task == 0 and not self.gold[0].any():
            return float(np.mean(~got[self.semantic])) if self.semantic.any() else 1.0
        return _f1(got, self.gold[task])


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = int(np.sum(pred & gold))
    wrong = int(np.sum(pred != gold))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def main(argv: list[str]) -> int:
    """``python -m newslineage.semantic.margin ROWS.jsonl [OUT_DIR]``."""
    if not argv:
        print(__doc__)
        return 2
    rows = read_rows(Path(argv[0]))
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent
    cuts = fit_cuts(rows)
    count = dict(sorted(Counter(r["corpus"] for r in rows).items()))
    save_cuts(cuts, out / "margin.json", f"fitted on {count} rows, corpora weighted equally")
    print(f"margin cuts: story {cuts.story}, derivation {cuts.derivation}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
