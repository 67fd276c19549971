"""TOKEN_RE in every script: marks and joiners inside words, one token per CJK/Thai character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslineage.align.features import content_terms
from newslineage.drift.tokens import tokenize
from newslineage.lineage.crosslang import anchor_sequence
from newslineage.lineage.stories import _story_features
from newslineage.text.tokens import TOKEN_RE, WORD_RE, is_unspaced, number_key, word_tokens


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def test_urdu_words_keep_their_diacritics_and_digits_are_numbers() -> None:
    text = "وزیرِ اعظم نے ۲۵ ہزار روپے دیے۔ مِیں"
    assert tokens(text) == ["وزیرِ", "اعظم", "نے", "۲۵", "ہزار", "روپے", "دیے", "مِیں"]


def test_arabic_with_full_diacritics_is_one_word_each() -> None:
    text = "قَالَ الْوَزِيرُ إِنَّ ٣٫٥ مِلْيُون"
    assert tokens(text) == ["قَالَ", "الْوَزِيرُ", "إِنَّ", "٣٫٥", "مِلْيُون"]


def test_persian_zwnj_stays_inside_the_word_but_not_at_its_edges() -> None:
    text = "او می\u200cخواهد کتاب\u200cها را \u200cببرد\u200c ۱۴۰۲"
    assert tokens(text) == ["او", "می\u200cخواهد", "کتاب\u200cها", "را", "ببرد", "۱۴۰۲"]


def test_hindi_matras_and_virama_stay_inside_the_word() -> None:
    text = "प्रधानमंत्री ने कहा कि १२ राज्यों में हिन्दी"
    assert tokens(text) == ["प्रधानमंत्री", "ने", "कहा", "कि", "१२", "राज्यों", "में", "हिन्दी"]


def test_chinese_is_one_token_per_character_numbers_whole() -> None:
    assert tokens("北约在2024年开会，美国表态。") == [
        *"北约在", "2024", *"年开会", *"美国表态",
    ]  # fmt: skip


def test_japanese_kana_and_kanji_one_token_each_latin_words_whole() -> None:
    assert tokens("東京でNATOが会議。コンピューター") == [
        *"東京で", "NATO", *"が会議", *"コンピューター",
    ]  # fmt: skip


def test_thai_characters_keep_their_marks() -> None:
    assert tokens("ภาษาไทย ที่") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "ที่"]


def test_korean_keeps_space_separated_words() -> None:
    assert tokens("북대서양조약기구 회의가 열렸다. 3.5%") == [
        "북대서양조약기구", "회의가", "열렸다", "3.5",
    ]  # fmt: skip


def test_latin_is_unchanged() -> None:
    old = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
    text = "Hegseth’s 126,000 troops: naïve Größe, İzmir, Ærø; ²½ x_y 3.5.2"
    assert tokens(text) == old.findall(text)


@pytest.mark.parametrize(
    ("token", "want"),
    [("京", True), ("ก", True), ("ok", False), ("뉴", False), ("๑๒", False), ("๚", False)],
)
def test_is_unspaced(token: str, want: bool) -> None:
    assert is_unspaced(token) is want


ALPHABET = [
    *"aZ09 .,'’-\n", "ß", "İ", "ِ", "ّ", "\u200c", "\u200d", "ی", "م", "۲", "٫", "٣", "न", "ि",
    "्", "京", "の", "ー", "ภ", "ี่", "한", "\u0301", "𠀋", "𑀓", "𑀸", "😀",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_tokens_are_ordered_disjoint_non_empty_offsets_into_the_text(text: str) -> None:
    prev_end = 0
    for tok, start, end in word_tokens(text):
        assert 0 <= prev_end <= start < end <= len(text)
        assert text[start:end] == tok
        assert tok[0] not in "\u200c\u200d" and tok[-1] not in "\u200c\u200d"
        prev_end = end


def test_thai_and_myanmar_punctuation_is_no_token() -> None:
    assert tokens("ไทย๚ ฯ ๑๒ မြန်မာ။") == ["ไ", "ท", "ย", "ฯ", "๑๒", "မြ", "န်", "မာ"]


def test_index_words_cut_like_token_re_but_keep_w_runs() -> None:
    text = "Hegseth’s 126,000 x_y2 می\u200cخواهد مِیں 東京でNATOが ที่ \u200cab\u200c"
    assert WORD_RE.findall(text) == [
        "Hegseth", "s", "126", "000", "x_y2", "می\u200cخواهد", "مِیں",
        *"東京で", "NATO", "が", "ที่", "ab",
    ]  # fmt: skip


def test_index_words_on_latin_text_are_the_old_w_runs() -> None:
    text = "Hegseth’s 126,000 troops: naïve Größe, İzmir, Ærø; ²½ x_y 3.5.2 — “quoted”"
    assert WORD_RE.findall(text) == re.findall(r"\w+", text)


@pytest.mark.parametrize(
    ("token", "key"),
    [("1,200", "#1200"), ("1.200", "#1200"), ("۱۲۰۰", "#1200"), ("١٬٢٠٠", "#1200"),
     ("٣٫٥", "#35"), ("3,5", "#35"), ("१२", "#12"), ("๑๒", "#12"), ("²", "#²")],
)  # fmt: skip
def test_number_key_is_the_same_in_every_script(token: str, key: str) -> None:
    assert number_key(token) == key


def test_every_stage_reads_urdu_digits_as_numbers() -> None:
    ascii_, urdu = "Dunmore said 1,200 left.", "Dunmore said ۱۲۰۰ left."
    assert anchor_sequence(ascii_) == anchor_sequence(urdu)
    assert content_terms(ascii_, 5) == content_terms(urdu, 5)
    assert _story_features(ascii_, None) == _story_features(urdu, None)


def test_single_cjk_characters_pass_the_length_floors() -> None:
    words, _ = content_terms("北约在布鲁塞尔开会", 5)
    assert words == set("北约在布鲁塞尔开会")
    _, terms = _story_features("北约在布鲁塞尔开会。", None)
    assert {"北约", "布鲁", "塞尔"} <= terms


def test_drift_tokens_follow_text_tokens_in_every_script() -> None:
    text = "He won’t go to the U.S. 东京在2024年 می\u200cخواهد مِیں"
    assert [t.norm for t in tokenize(text)] == [
        "he", "will", "not", "go", "to", "the", "us", "东", "京", "在", "2024", "年",
        "می\u200cخواهد", "مِیں",
    ]  # fmt: skip
