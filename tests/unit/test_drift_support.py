"""Support alignment: each derived sentence against the source sentences that support it.

(The findings built on it are the fitted model's: tests/unit/test_drift_support_model.py.)
"""

from __future__ import annotations

from newslineage.drift.support import support_of
from newslineage.model import Article

SOURCE = Article(
    "s",
    "The city council approved the new budget on Monday. "
    "It sets aside $4 million for road repairs. "
    "Mayor Ellen Park said the vote was not close.",
)


def test_fused_sentence_is_supported_by_two_source_sentences() -> None:
    sups = support_of(
        SOURCE, Article("d", "Mayor Ellen Park said the $4 million budget vote was not close.")
    )
    assert len(sups) == 1 and len(sups[0].support) >= 2


def test_lower_cased_tokenised_text_finds_its_support() -> None:
    (sup,) = support_of(
        SOURCE, Article("d", "the city council approved the new budget on monday .")
    )
    assert sup.support == ((0, len("The city council approved the new budget on Monday.")),)
    assert sup.coverage > 0.9 and not sup.novel


def test_sentence_with_no_support_has_novel_words_and_low_coverage() -> None:
    (sup,) = support_of(SOURCE, Article("d", "Protesters gathered outside the stadium overnight."))
    assert sup.coverage < 0.2 and len(sup.novel) >= 3


def _signal(derived: str, name: str) -> float:
    from newslineage.drift.support_features import SENTENCE_FEATURES, sentence_features

    (sent,) = sentence_features(SOURCE, Article("d", derived))
    return float(sent.values[SENTENCE_FEATURES.index(name)])


def test_copied_runs_measure_how_extractive_a_sentence_is() -> None:
    # taken in order from one source sentence: no word outside a long copied run
    assert _signal("The city council approved the new budget on Monday.", "abstractive") == 0.0
    # the same words reordered across sentences: most words outside long runs
    fused = "Monday's vote on the road repairs budget was close, the mayor said."
    assert _signal(fused, "abstractive") > 0.5
    assert _signal(fused, "density") < _signal(
        "It sets aside $4 million for road repairs.", "density"
    )


def test_support_spread_grows_with_the_distance_between_fused_sentences() -> None:
    assert _signal("The city council approved the new budget on Monday.", "spread") == 0.0
    fused = "The city council approved the new budget, and Mayor Ellen Park said it was close."
    assert _signal(fused, "spread") > 0.5  # the first and the last source sentence
