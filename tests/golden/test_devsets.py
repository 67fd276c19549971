"""Quality floors on the real dev sets (issues #12 and #13), measured as a user would.

Each set is run end to end by ``bench.devsets`` (JSONL corpus -> fresh SQLite store ->
``api.analyze`` -> ``api.export``), whole, except COUNTER: its Urdu goes to the slow e5 encoder
(about 1.4 s a pair), so the test scores 60 of its 300 pairs, chosen by hash (``LIMITS``); the
four sets take about 3.5 minutes. ``make bench`` runs COUNTER whole.
The floors are today's figures minus a small margin, so a change that loses quality fails;
raise them as quality improves (the issues' targets are the goal, in ``devsets.TARGETS``).

The dev sets are third-party data read from ``../shared/devdata`` (or ``NEWSLINEAGE_DEVDATA``),
never copied here. When they are missing the tests fail under CI (``CI=true``) and skip
elsewhere, naming the folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is a top-level folder, not part of the package
    sys.path.insert(0, str(ROOT))

from bench import devsets  # noqa: E402

# (set, figure) -> floor. Measured 2026-12-06 (values in the comments); margin ~0.02-0.05.
# The semantic layer is on (the default); counter, semeval and llmfake rows partly fitted
# the shipped decisions, so those figures are partly in-sample (docs/lineage.md).
#: pairs scored per set in this test (None: all); COUNTER's 60 are a fixed hash subsample
LIMITS: dict[str, int | None] = {"counter-dev": 60}

FLOORS: dict[tuple[str, str], float] = {
    # counter: 0.760 on the 60 with the tiling and LCS features and the refitted margin cuts of
    # session 8 (0.774 before the margin refit; 0.745 on all 300);
    # 0.632 on the 60 before them, 0.395 lexical only
    ("counter-dev", "macro_f1"): 0.70,
    ("counter-dev", "direction"): 0.95,  # 1.000 on the 26 WD/PD pairs of the 60 found derived
    # semeval: 0.794 / 0.750 with rare_names (session 10; held out 0.761 / 0.696);
    # 0.786 / 0.667 with the fitted same-story decision (held out 0.767 / 0.696;
    # 0.792 / 0.727 with the directional margin);
    # 0.749 / 0.133 before it, 0.577 / 0.000 without the semantic layer
    ("semeval2022-dev", "f1"): 0.75,
    ("semeval2022-dev", "f1_de_en"): 0.65,
    # llmfake: 0.830 with session 8's refitted margin cuts (0.838 before); 0.836 after the summary gate and rounds of session 7 (0.838 with the directional
    # margin alone); 0.801 with the hand-set symmetric guards, 0.650 without the semantic layer
    ("llmfake-dev", "balanced_accuracy"): 0.80,
    # frank: 0.790 / 0.709 / 0.771 with session 14's UNK and linked-root drift fixes (held out
    # 0.786 / 0.724 / 0.806); 0.784 / 0.714 / 0.771 with session 13's rarity in the sibling
    # rule (held out 0.778 / 0.724 / 0.806); 0.772 / 0.709 / 0.757 with session 12's sibling links (held out
    # 0.771 / 0.724 / 0.799); 0.763 / 0.704 / 0.743 with session 11's story links;
    # 0.736 / 0.673 / 0.694 with session 10's rarity of shared terms in the summary gate;
    # 0.726 / 0.668 / 0.681 with session 9's semantic context rule in the summary gate;
    # 0.712 / 0.663 / 0.674 with the cover channel, the context gate and the margin cuts
    # refitted on session 8's code (0.733 / 0.679 / 0.708 with the cuts of session 7);
    # 0.655 / 0.485 / 0.479 with the directional margin and the summary gate and rounds
    # (session 7); 0.542 / 0.133 / 0.090 with the hand-set guards, 0.496 before the support check
    ("frank-valid", "balanced_accuracy"): 0.76,
    ("frank-valid", "recall_EntE"): 0.62,
    ("frank-valid", "recall_CircE"): 0.65,
}

# The baselines must reproduce the README's figures roughly, or the harness itself is broken
# (a set read wrongly, labels misaligned). Measured: 0.674, 0.757, 0.852, 0.789.
BASELINE_FLOORS: dict[tuple[str, str], float] = {
    ("counter-dev", "macro_f1"): 0.64,
    ("semeval2022-dev", "f1"): 0.68,
    ("llmfake-dev", "balanced_accuracy"): 0.80,
    ("frank-valid", "balanced_accuracy"): 0.75,
}


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def outcomes() -> dict[str, devsets.SetOutcome]:
    missing = devsets.devdata_missing(devsets.DEVDATA)
    if missing:
        if _is_ci():
            pytest.fail(f"{missing}; CI must measure the dev sets, not skip them")
        pytest.skip(f"NOTICE: {missing}")
    outcomes = {}
    for name in devsets.SETS:
        (one,) = devsets.run_sets(names=[name], limit=LIMITS.get(name), log=lambda m: None)
        outcomes[name] = one
    return outcomes


@pytest.mark.parametrize(("name", "figure"), sorted(FLOORS))
def test_figure_holds_its_floor(outcomes, name: str, figure: str) -> None:
    value = outcomes[name].ours.figures[figure]
    assert value is not None, f"{name}: {figure} was not measured"
    assert value >= FLOORS[(name, figure)], (
        f"{name}: {figure} fell to {value:.3f}, below its floor {FLOORS[(name, figure)]:.2f}"
    )


@pytest.mark.parametrize(("name", "figure"), sorted(BASELINE_FLOORS))
def test_baseline_reproduces_the_readme(outcomes, name: str, figure: str) -> None:
    value = outcomes[name].baseline.figures[figure]
    assert value is not None and value >= BASELINE_FLOORS[(name, figure)], (name, figure, value)


def test_every_item_has_a_prediction_and_gold(outcomes) -> None:
    sizes = {"counter-dev": 300, "semeval2022-dev": 556, "llmfake-dev": 1062, "frank-valid": 671}
    for name, o in outcomes.items():
        assert o.ours.n == (LIMITS.get(name) or sizes[name])
        assert set(o.ours.predictions) == set(o.ours.gold) == set(o.baseline.predictions)
        assert set(o.ours.kinds) == set(o.ours.predictions)


def test_missing_devdata_is_said_plainly(tmp_path: Path) -> None:
    said = devsets.devdata_missing(tmp_path / "nowhere")
    assert said and str(tmp_path / "nowhere") in said
    sec = devsets.quality_section(tmp_path / "nowhere", log=lambda m: None)
    assert any("dev sets not found" in n for n in sec.notes)
    assert all(f.value is None and f.target for f in sec.figures)
