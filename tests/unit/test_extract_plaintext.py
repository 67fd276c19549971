"""Plain text: metadata token, headline detection, nothing invented."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newslineage.extract.plaintext import looks_like_headline, split_plaintext


def test_date_token_on_the_body_line_after_leading_spaces() -> None:
    parts = split_plaintext(" date 2025-02-11 BRUSSELS (AP) — Allies met.\n\nMore.")
    assert parts.published == datetime(2025, 2, 11, tzinfo=UTC)
    assert parts.title is None
    assert parts.text == "BRUSSELS (AP) — Allies met.\n\nMore."


def test_date_token_on_its_own_line_then_headline() -> None:
    parts = split_plaintext(
        "published: 2025-02-12T09:30:00+01:00\nAllies meet in Brussels\nBody text."
    )
    assert parts.published == datetime(2025, 2, 12, 8, 30, tzinfo=UTC)
    assert parts.title == "Allies meet in Brussels"
    assert parts.text == "Body text."


def test_no_metadata_means_nothing_invented() -> None:
    text = "Hegseth will become the first member of the administration to visit NATO on Wednesday.\nMore."
    parts = split_plaintext(text)
    assert (parts.title, parts.published, parts.text) == (None, None, text)


def test_a_date_later_in_the_text_is_not_metadata() -> None:
    parts = split_plaintext("The summit on date 2025-06-24 was planned.")
    assert parts.published is None


def test_single_line_text_has_no_headline() -> None:
    assert split_plaintext("Allies meet in Brussels").title is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("NATO summit 2025: U.S. stance on Ukraine and defense spending", True),
        ("Hegseth Emphasizes European Defense Spending at NATO Press Conference", True),
        ("Is NATO doomed?", True),
        ("ناتو کا اجلاس برسلز میں", True),
        ("BRUSSELS (AP) — U.S. Defense Secretary Pete Hegseth", False),
        ("Berlin (dpa) - Die Minister", False),
        ("The allies met on Monday.", False),
        ("He left. She stayed", False),
        ("one", False),
        ("word " * 21, False),
    ],
)
def test_looks_like_headline(line: str, expected: bool) -> None:
    assert looks_like_headline(line) is expected
