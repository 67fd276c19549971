"""The support check: each derived sentence against the source sentences that support it."""

from __future__ import annotations

from newslineage.drift.support import SupportParams, check_support, load_params, support_of
from newslineage.model import Article

SOURCE = Article(
    "s",
    "The city council approved the new budget on Monday. "
    "It sets aside $4 million for road repairs. "
    "Mayor Ellen Park said the vote was not close.",
)


def _kinds(derived: str, params: SupportParams | None = None) -> set[str]:
    return {f.kind for f in check_support(SOURCE, Article("d", derived), params)}


def test_faithful_summary_gets_nothing() -> None:
    assert (
        _kinds("The city council approved the budget on Monday, with $4 million for roads.")
        == set()
    )


def test_changed_figure_date_and_name_are_found() -> None:
    kinds = _kinds("Mayor Ellen Grant said the council approved $9 million on Friday.")
    assert {"number_changed", "date_changed", "name_changed"} <= kinds


def test_lower_cased_tokenised_text_keeps_names_and_numbers() -> None:
    assert _kinds("the city council approved the new budget on monday .") == set()
    assert "number_changed" in _kinds("it sets aside $ 7 million for road repairs .")


def test_fused_sentence_is_supported_by_two_source_sentences() -> None:
    sups = support_of(
        SOURCE, Article("d", "Mayor Ellen Park said the $4 million budget vote was not close.")
    )
    assert len(sups) == 1 and len(sups[0].support) >= 2


def test_sentence_with_no_support_is_unsourced_and_points_at_both_texts() -> None:
    found = check_support(
        SOURCE, Article("d", "Protesters gathered outside the stadium overnight.")
    )
    assert [f.kind for f in found] == ["unsourced_sentence"]
    assert found[0].derived_span == (0, 50) and found[0].source_article == "s"
    assert found[0].source_span is None  # nothing in the source shares its words


def test_negation_flip_when_enabled() -> None:
    params = SupportParams(check_negation=True, min_negation_coverage=0.5)
    assert "negation_flipped" in _kinds("The city council did not approve the new budget.", params)


def test_source_against_itself_is_clean() -> None:
    assert check_support(SOURCE, SOURCE) == []


def test_fitted_params_load() -> None:
    assert 0.0 <= load_params().min_coverage <= 1.0
