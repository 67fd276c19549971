"""Credit lines: datelines, contributor lines, translators, named sources."""

from __future__ import annotations

import pytest

from newslineage.extract.credits import find_credits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BRUSSELS (AP) — U.S. Defense Secretary spoke.", ("AP",)),
        ("KYIV, Ukraine (AP) — Drones struck.", ("AP",)),
        ("(Reuters) - Talks ended on Monday.", ("Reuters",)),
        ("LONDON (Reuters) -  Markets fell.", ("Reuters",)),
        ("PARIS (AFP) – France said.", ("AFP",)),
        ("Berlin (dpa) - Die Regierung hat entschieden.", ("dpa",)),
        ("WASHINGTON (CNN) — The Senate voted.", ("CNN",)),
        (
            "Text.\nAssociated Press Writer Lolita C. Baldor in Washington contributed to this report.",
            ("AP",),
        ),
        ("Text.\nThe Associated Press contributed to this report.", ("AP",)),
        ("Text.\nTranslation by Iurie Tataru", ("translation: Iurie Tataru",)),
        ("Text.\nTranslated from German by Anna Schmidt.", ("translation: Anna Schmidt",)),
        ("Text.\nSource: Kyiv Independent", ("Kyiv Independent",)),
        ("Text.\nSource: https://www.reuters.com/world/x", ("reuters.com",)),
    ],
)
def test_credit_forms(text: str, expected: tuple[str, ...]) -> None:
    assert find_credits(text) == expected


def test_dedup_keeps_first_order() -> None:
    text = (
        "BRUSSELS (AP) — One.\n\nMore text.\n\n(Reuters) - Two.\n\n"
        "The Associated Press contributed to this report."
    )
    assert find_credits(text) == ("AP", "Reuters")


@pytest.mark.parametrize(
    "text",
    [
        "Hegseth listens in Brussels. (AP Photo/Omar Havana)",
        "Rutte told The Associated Press that Putin will only negotiate.",
        "The North Atlantic Treaty Organization (NATO) — founded in 1949 — grew.",
        "Copp reported from Washington.",
        "He named a source: officials close to the talks said so in a long sentence here.",
    ],
)
def test_mentions_that_are_not_credits(text: str) -> None:
    assert find_credits(text) == ()


def test_credits_scans_skipped_by_keyword_tests_still_find_their_matches() -> None:
    # "İ" lowers to two characters, so the keyword test stands aside and the regex decides
    assert find_credits("Haber metni.\nÇEVİRİ: Ali Veli") == ("translation: Ali Veli",)
    # a dateline whose agency sits on the next line is still a dateline (line-start scan)
    assert find_credits("Text.\nKYIV, Ukraine\n(AP) — more") == ("AP",)
    assert find_credits("Text (with AFP)\nSource: Kyiv Independent") == ("AFP", "Kyiv Independent")
    assert find_credits("No credits here: none at all.") == ()
