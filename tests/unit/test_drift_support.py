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
