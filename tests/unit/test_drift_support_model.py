"""The fitted support decision and its place in story drift (summaries only)."""

from __future__ import annotations

import numpy as np

from newslineage.drift import find_story_drift
from newslineage.drift.support_model import FEATURES, check_derived, load_model, train
from newslineage.model import Article, Relation, Story

SOURCE = Article(
    "s",
    "The city council of Dunmore approved the new budget on Monday after a long debate. "
    "It sets aside $4 million for road repairs and $2 million for parks. "
    "Mayor Ellen Park said the vote was not close. "
    "The budget also funds two new libraries in the north of the city. "
    "Council member James Ortiz voted against it, saying taxes would rise. "
    "The plan takes effect in July. "
    "Residents who spoke at the meeting mostly backed the road repairs. "
    "The council will meet again next month to discuss school funding.",
)
FAITHFUL = (
    "The Dunmore city council approved the new budget on Monday, with $4 million for road "
    "repairs. Mayor Ellen Park said the vote was not close."
)
WRONG = (
    "The Dunmore city council rejected the budget on Friday, with $9 million for schools. "
    "Governor Tom Hardy said the police would investigate the fraud."
)


def test_shipped_model_matches_the_features() -> None:
    model = load_model()
    assert model is not None and len(model.coef) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0


def test_faithful_summary_is_clean_and_a_wrong_one_is_typed() -> None:
    assert check_derived(SOURCE, Article("d", FAITHFUL)) == []
    found = check_derived(SOURCE, Article("d", WRONG))
    assert found and all(f.detail["method"] == "support" for f in found)
    assert {f.kind for f in found} & {"date_changed", "number_changed", "name_changed"}
    assert all(f.source_article == "s" for f in found)


def test_train_separates_a_toy_problem() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURES)))
    y = (x[:, 0] > 0).astype(float)
    model = train(x, y, l2=1.0)
    assert ((model.probability(x) >= 0.5) == (y == 1)).mean() > 0.95


def _story_findings(derived_text: str) -> list:
    arts = {"s": SOURCE, "d": Article("d", derived_text)}
    story = Story("st", None, ("s", "d"), "s")
    rel = Relation("s", "d", "rewrite", 0.3, 0.0, 0.3)
    return [f for f in find_story_drift(story, arts, [rel]) if f.detail.get("method") == "support"]


def test_story_drift_checks_a_summary_with_its_source_sentence() -> None:
    found = _story_findings(WRONG)
    assert found and {f.article for f in found} == {"d"}
    dated = [f for f in found if f.kind == "date_changed"]
    assert dated and SOURCE.text[slice(*dated[0].source_span)].endswith(
        "on Monday after a long debate."
    )


def test_story_drift_leaves_long_rewrites_to_the_pair_detectors() -> None:
    long_rewrite = SOURCE.text.replace("Monday", "Tuesday") + " " + WRONG
    assert _story_findings(long_rewrite) == []


def _sibling_story(original: str, sibling_source: str | None) -> list:
    """Two summaries of SOURCE published together: "d" is related only to its sibling "e"
    (which the lineage took for its source), "e" to ``sibling_source`` (None: to nothing)."""
    other = Article("o", SOURCE.text.replace("Dunmore", "Kellsby").replace("council", "board"))
    arts = {"s": SOURCE, "o": other, "e": Article("e", FAITHFUL), "d": Article("d", WRONG)}
    story = Story("st", None, ("s", "o", "e", "d"), original)
    rels = [Relation("e", "d", "rewrite", 0.5, 0.0, 0.6)]
    if sibling_source:
        rels.append(Relation(sibling_source, "e", "excerpt", 0.9, 0.5, 0.8))
    found = find_story_drift(story, arts, rels)
    return [f for f in found if f.article == "d" and f.detail.get("method") == "support"]


def test_a_summary_related_only_to_its_sibling_is_checked_against_their_source() -> None:
    for original in ("s", "o"):  # the sibling's source, whichever member is the original
        found = _sibling_story(original, "s")
        assert found and {f.source_article for f in found} == {"s"}


def test_a_report_the_siblings_do_not_derive_from_is_not_their_source() -> None:
    # the story's original is a long report, but no derivation leads from it to "d"
    assert _sibling_story("s", None) == []


def test_fit_rows_and_save_model_give_a_model_the_check_loads(tmp_path) -> None:
    from newslineage.drift.support_fit import fit_rows, save_model

    rows = [
        {"article": SOURCE.text, "summary": FAITHFUL, "factuality": 1.0},
        {"article": SOURCE.text, "summary": WRONG, "factuality": 0.0},
    ] * 3
    model = fit_rows(rows, l2=1.0)  # six rows: the shipped shrinkage would flatten them
    path = tmp_path / "model.json"
    save_model(model, path, fitted_on="six toy rows")
    loaded = load_model(path)
    assert loaded is not None and loaded.threshold == round(model.threshold, 6)
    assert check_derived(SOURCE, Article("d", WRONG), loaded)
    assert check_derived(SOURCE, Article("d", FAITHFUL), loaded) == []
