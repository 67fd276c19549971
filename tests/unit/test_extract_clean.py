"""Boilerplate removal: every removal has a reason and points into the pre-clean text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslineage.extract.clean import clean_text
from newslineage.model import Removal


def assert_offsets(text: str, removed: tuple[Removal, ...]) -> None:
    for r in removed:
        assert text[r.offset : r.offset + len(r.text)] == r.text


def test_ad_debris_and_stray_token_in_single_newline_text() -> None:
    text = (
        "First paragraph.\nThe story continues under this ad\n"
        "Second paragraph ends with a quote.” Ta.\nADVERTISEMENT\nThird."
    )
    cleaned = clean_text(text)
    assert cleaned.text == "First paragraph.\nSecond paragraph ends with a quote.”\nThird."
    assert [r.reason for r in cleaned.removed] == ["ad_debris", "scraper_debris", "ad_debris"]
    assert_offsets(text, cleaned.removed)


def test_real_short_sentences_are_not_stray_tokens() -> None:
    text = "Will he resign? No.\nHe said it twice. So."
    assert clean_text(text).text == text


def test_donation_block_of_another_publisher_is_found_by_cues() -> None:
    text = (
        "The minister spoke for an hour.\n\n"
        "Before you go\n\n"
        "Our independent journalism is free for everyone, because readers like you fund it.\n\n"
        "Every contribution, however big or small, powers our newsroom.\n\n"
        "Support The Herald\n\n"
        "Already a subscriber? Sign in.\n\n"
        "The minister left for Washington."
    )
    cleaned = clean_text(text)
    assert cleaned.text == (
        "The minister spoke for an hour.\n\nBefore you go\n\nThe minister left for Washington."
    )
    assert {r.reason for r in cleaned.removed} == {"donation_block"}
    assert len(cleaned.removed) == 4
    assert_offsets(text, cleaned.removed)


def test_reporting_about_support_and_journalism_is_kept() -> None:
    text = (
        "Allies pledged support for Ukraine's air defense.\n\n"
        "Press freedom groups said journalism in the region is under threat.\n\n"
        "Subscribers to the plan include 23 countries."
    )
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert cleaned.removed == ()


def test_furniture_hint_removes_the_whole_element() -> None:
    text = "News paragraph.\n\nA message from us\n\nBecome a member today.\n\nNext news."
    start = text.index("A message")
    end = text.index("today.") + len("today.")
    cleaned = clean_text(text, hints=[(start, end)])
    assert cleaned.text == "News paragraph.\n\nNext news."
    # without the hint only the appeal itself goes
    assert clean_text(text).text == "News paragraph.\n\nA message from us\n\nNext news."


def test_trailers_and_prompts() -> None:
    text = (
        "Body one.\n\nShare this article\n\nBody two.\n\nSign up for our newsletter\n\n"
        "Read more\n\nSource link"
    )
    cleaned = clean_text(text)
    assert cleaned.text == "Body one.\n\nBody two."
    assert [r.reason for r in cleaned.removed] == [
        "prompt",
        "prompt",
        "source_trailer",
        "source_trailer",
    ]
    assert_offsets(text, cleaned.removed)


def test_repeated_blocks_keep_the_first_and_title_repeat_goes() -> None:
    text = "Big Headline Here Today\nA paragraph of text.\nA caption line repeated\nMore text.\nA caption line repeated"
    cleaned = clean_text(text, title="Big  Headline here today")
    assert cleaned.text == "A paragraph of text.\nA caption line repeated\nMore text."
    assert [r.reason for r in cleaned.removed] == ["repeated_title", "repeated_block"]
    assert cleaned.removed[1].offset == text.rindex("A caption")


def test_kept_ranges_and_is_removed() -> None:
    text = "Keep me.\nSource link"
    cleaned = clean_text(text)
    assert cleaned.kept == ((0, 8),)
    assert cleaned.is_removed(9, 20)
    assert not cleaned.is_removed(0, 4)


def test_related_story_links_inside_the_body() -> None:
    text = "Body one.\n\nREAD MORE: Allies split over Ukraine aid\n\nLesen Sie auch: Die Nato tagt\n\nBody two."
    cleaned = clean_text(text)
    assert cleaned.text == "Body one.\n\nBody two."
    assert [r.reason for r in cleaned.removed] == ["related_link", "related_link"]


def test_many_hints_on_a_long_page_stay_fast() -> None:
    paragraphs = [f"Paragraph {i} of ordinary reporting." for i in range(3000)]
    text = "\n\n".join(paragraphs)
    hints = []
    offset = 0
    for p in paragraphs:
        hints.append((offset, offset + len(p)))
        offset += len(p) + 2
    cleaned = clean_text(text, hints=hints)
    assert cleaned.text == text


def test_ad_marker_run_into_a_paragraph_is_cut_out() -> None:
    text = "He said so. The story continues under this ad The diplomat spoke.\nEnd. Story continues below advertisement"
    cleaned = clean_text(text)
    assert cleaned.text == "He said so. The diplomat spoke.\nEnd."
    assert [r.reason for r in cleaned.removed] == ["ad_debris", "ad_debris"]
    assert_offsets(text, cleaned.removed)
    assert cleaned.removed[0].text == "The story continues under this ad"


LINES = st.sampled_from(
    [
        "Allies met in Brussels.",
        "The story continues under this ad",
        "He said so.” Ta.",
        "Support HuffPost",
        "We could use your help. Our newsroom needs you.",
        "Source link",
        "Repeated line of reporting here.",
        "",
        "   ",
        "Mid. The story continues under this ad More text.",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\n\n"]))
def test_removals_always_point_into_the_original(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    cleaned = clean_text(text)
    assert_offsets(text, cleaned.removed)
    pieces = "".join(text[s:e] for s, e in cleaned.kept)
    assert pieces == cleaned.text.replace("\n", "")
    assert cleaned.text == cleaned.text.strip()


def test_cue_keywords_gate_only_what_cannot_match() -> None:
    import re
    import sys

    from newslineage.extract import clean
    from newslineage.text.normalize import ODD_SPACES, keyword_form

    # every keyword is lower case, and the gate opens on text where the cue regex matches
    for cues in (clean._STRONG_CUES, clean._WEAK_CUES):
        for keywords, _ in cues:
            assert all(k == k.lower() for k in keywords)
    appeal = "Before you go: SUPPORT OUR JOURNALISM. Readers Like You make it ad-free."
    gate = clean._Gate.of(appeal)
    assert gate.may_match(appeal, gate.strong) and clean._STRONG.search(appeal)
    # characters IGNORECASE matches to a letter but lower() does not: no keyword test then
    assert keyword_form("SUBSCRİBE NOW") is None and keyword_form("ſubscribe") is None
    # ... and the regex still finds the cue written with one ("ſ" matches "s")
    removed = clean_text("He spoke.\nPlease ſupport our journalism.").removed
    assert [r.reason for r in removed] == ["donation_block"]
    # the odd-space list is every white-space character but " " and "\n"
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" ", "\n"}
    assert set(ODD_SPACES) == spaces
    assert re.compile(r"\s").fullmatch(ODD_SPACES[-1])


@pytest.mark.parametrize(
    "widget",
    [
        "Share this withEmailFacebookMessengerMessengerTwitterPinterestWhatsAppLinkedInCopy this link",
        "Share this with Email, Facebook, Twitter, WhatsApp ",
        "Media playback is not supported on this device",
    ],
)
def test_a_page_widget_run_into_the_first_sentence_is_cut(widget: str) -> None:
    body = "The charity said tests confirmed the cats were poisoned.\nA vet spoke later."
    cleaned = clean_text(widget + body)
    assert cleaned.text == body
    assert [r.reason for r in cleaned.removed] == ["widget_debris"]


def test_a_page_widget_on_its_own_line_is_removed() -> None:
    cleaned = clean_text("Lead sentence here.\nShare this with Email Facebook Twitter\nEnd.")
    assert cleaned.text == "Lead sentence here.\nEnd."


def test_sentences_that_start_like_a_widget_are_kept() -> None:
    for text in ("Share this story with your friends, he urged.", "Media reports said he left."):
        assert clean_text(text).text == text
