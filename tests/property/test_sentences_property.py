"""Invariants of sentence spans on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newslineage.text import split_sentences

LANGUAGES = st.sampled_from([None, "en", "de", "es", "tr", "pl", "ar", "ur"])
# arbitrary unicode plus a dense mix of the characters the splitter reacts to
NEWSY = st.lists(
    st.sampled_from([*list("aZ.!?…。۔؟ \n\t”’»)(“„«'\"3.UuSs-"), "Dr", "U.S.", "No", "z.B."]),
    max_size=120,
).map("".join)


def check(text: str, spans: list[tuple[int, int]]) -> None:
    covered = bytearray(len(text))
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)  # inside, ordered, non-overlapping
        assert not text[start].isspace() and not text[end - 1].isspace()  # trimmed
        covered[start:end] = b"\x01" * (end - start)
        previous_end = end
    for i, ch in enumerate(text):
        assert ch.isspace() or covered[i], f"char {i} ({ch!r}) not in any sentence"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), LANGUAGES)
def test_spans_cover_every_visible_character(text: str, language: str | None) -> None:
    check(text, split_sentences(text, language))


@settings(max_examples=300, deadline=None)
@given(NEWSY, LANGUAGES)
def test_spans_cover_punctuation_heavy_text(text: str, language: str | None) -> None:
    check(text, split_sentences(text, language))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=5))
def test_no_sentence_crosses_a_line_break(lines: list[str]) -> None:
    text = "\n".join(lines)
    for start, end in split_sentences(text):
        assert "\n" not in text[start:end]
