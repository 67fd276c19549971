"""Sentence spans for each supported language."""

from __future__ import annotations

import pytest

from newslineage.text import sentences as S
from newslineage.text import split_sentences


def sentences(text: str, language: str | None = None) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


def test_english_abbreviations_initials_and_decimals() -> None:
    text = (
        "BRUSSELS (AP) — U.S. Defense Secretary Pete Hegseth met Gen. Cavoli on Feb. 12. "
        "Members would need to spend 3.5-3.7% of GDP, or $66.5 billion. "
        "Associated Press Writer Lolita C. Baldor contributed. Dr. Smith agreed."
    )
    assert sentences(text, "en") == [
        "BRUSSELS (AP) — U.S. Defense Secretary Pete Hegseth met Gen. Cavoli on Feb. 12.",
        "Members would need to spend 3.5-3.7% of GDP, or $66.5 billion.",
        "Associated Press Writer Lolita C. Baldor contributed.",
        "Dr. Smith agreed.",
    ]


def test_english_closing_quotes_stay_with_their_sentence() -> None:
    text = "He said “we will.” Then he left. “Why?” she asked. (It rained.) Done!"
    assert sentences(text, "en") == [
        "He said “we will.”",
        "Then he left.",
        "“Why?” she asked.",
        "(It rained.)",
        "Done!",
    ]


def test_dotted_abbreviation_before_a_sentence_opener_splits() -> None:
    assert sentences("He moved to the U.S. The move was quick.", "en") == [
        "He moved to the U.S.",
        "The move was quick.",
    ]


def test_ellipsis_splits_before_capital_not_before_lowercase() -> None:
    assert sentences("We waited… and waited… Then it came.", "en") == [
        "We waited… and waited…",
        "Then it came.",
    ]


def test_newlines_always_split() -> None:
    text = "Headline without period\nFirst line of the body\n\nU.S.\nGen."
    assert sentences(text) == ["Headline without period", "First line of the body", "U.S.", "Gen."]


def test_german() -> None:
    text = (
        "Der Minister traf z.B. Vertreter der Nato. Am 13. Februar reiste er nach Brüssel. "
        "Dr. Müller sagte: „Das ist gut.“ Die Nr. 5 kam zuletzt. Es kostete 5 Mio. Euro."
    )
    assert sentences(text, "de") == [
        "Der Minister traf z.B. Vertreter der Nato.",
        "Am 13. Februar reiste er nach Brüssel.",
        "Dr. Müller sagte: „Das ist gut.“",
        "Die Nr. 5 kam zuletzt.",
        "Es kostete 5 Mio. Euro.",
    ]


def test_spanish() -> None:
    text = "El Sr. García llegó a EE.UU. el martes. ¿Qué pasará ahora? «No lo sé», dijo. ¡Basta!"
    assert sentences(text, "es") == [
        "El Sr. García llegó a EE.UU. el martes.",
        "¿Qué pasará ahora?",
        "«No lo sé», dijo.",
        "¡Basta!",
    ]


def test_turkish() -> None:
    text = "Dr. Ahmet Yılmaz açıklama yaptı. Toplantı 13. yüzyıl binasında yapıldı. Neden mi?"
    assert sentences(text, "tr") == [
        "Dr. Ahmet Yılmaz açıklama yaptı.",
        "Toplantı 13. yüzyıl binasında yapıldı.",
        "Neden mi?",
    ]


def test_polish() -> None:
    text = "Prof. Nowak m.in. powiedział, że jest trudno. Spotkanie odbyło się w Brukseli. Czy to koniec?"
    assert sentences(text, "pl") == [
        "Prof. Nowak m.in. powiedział, że jest trudno.",
        "Spotkanie odbyło się w Brukseli.",
        "Czy to koniec?",
    ]


def test_arabic() -> None:
    text = "قال الوزير إن الاجتماع كان مثمرا. هل سيعود الحلف إلى الحوار؟ نعم، قال المتحدث."
    assert sentences(text, "ar") == [
        "قال الوزير إن الاجتماع كان مثمرا.",
        "هل سيعود الحلف إلى الحوار؟",
        "نعم، قال المتحدث.",
    ]


def test_urdu_full_stop_and_question_mark_split_even_without_space() -> None:
    text = "وزیر دفاع نے کہا کہ اجلاس اہم تھا۔کیا نیٹو متحد رہے گا؟ یہ دیکھنا باقی ہے۔"
    assert sentences(text, "ur") == [
        "وزیر دفاع نے کہا کہ اجلاس اہم تھا۔",
        "کیا نیٹو متحد رہے گا؟",
        "یہ دیکھنا باقی ہے۔",
    ]


def test_cjk_full_stop() -> None:
    assert sentences("北约开会。美国表态！好。") == ["北约开会。", "美国表态！", "好。"]


def naive(text: str) -> list[str]:
    return [text[s:e] for s, e in S.naive_sentences(text)]


BOTH = pytest.mark.parametrize("split", [sentences, naive], ids=["split", "naive"])


@BOTH
def test_urdu_decimal_written_with_full_stop_is_not_an_end(split) -> None:
    text = "شرح ۲۔۵ فیصد رہی۔ اگلا جملہ؛ جاری ہے؟ ہاں، 3۔4 بھی"
    assert split(text) == ["شرح ۲۔۵ فیصد رہی۔", "اگلا جملہ؛ جاری ہے؟", "ہاں، 3۔4 بھی"]


@BOTH
def test_devanagari_danda_and_double_danda(split) -> None:
    text = "सरकार ने कहा। दूसरा वाक्य॥ तीसरा। 12.5 प्रतिशत"
    assert split(text) == ["सरकार ने कहा।", "दूसरा वाक्य॥", "तीसरा।", "12.5 प्रतिशत"]


@BOTH
def test_cjk_ends_keep_closing_brackets_and_spare_numbers(split) -> None:
    text = "他说：“好。”然后走了！「北约开会。」３。５亿？是"
    assert split(text) == ["他说：“好。”", "然后走了！", "「北约开会。」", "３。５亿？", "是"]


@BOTH
def test_armenian_ethiopic_khmer_myanmar_full_stops(split) -> None:
    text = "Հայաստան։ ኢትዮጵያ። ሁለተኛ፧ កម្ពុជា។ မြန်မာ။ end"
    assert split(text) == ["Հայաստան։", "ኢትዮጵያ።", "ሁለተኛ፧", "កម្ពុជា។", "မြန်မာ။", "end"]


@BOTH
def test_thai_sentences_are_separated_by_a_space_between_thai_letters(split) -> None:
    text = "รัฐบาลประกาศมาตรการใหม่ ประชาชนพอใจ 2567 คน ที่นี่"
    assert split(text) == ["รัฐบาลประกาศมาตรการใหม่", "ประชาชนพอใจ 2567 คน", "ที่นี่"]


@BOTH
def test_latin_full_stop_before_a_caseless_script_ends_a_sentence(split) -> None:
    assert split("He left. وزیر نے کہا. 北约开会") == ["He left.", "وزیر نے کہا.", "北约开会"]


def test_arabic_semicolon_and_comma_do_not_end_naive() -> None:
    assert naive("قال الوزير؛ ثم، غادر؟ نعم") == ["قال الوزير؛ ثم، غادر؟", "نعم"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\t \u00a0"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_spans_are_trimmed_offsets_into_the_text() -> None:
    text = "  One.   Two?\n\n  Three  "
    spans = split_sentences(text)
    assert spans == [(2, 6), (9, 13), (17, 22)]
    assert [text[s:e] for s, e in spans] == ["One.", "Two?", "Three"]


class _CountingText(str):
    """A text that counts the characters its ``rfind`` calls look at."""

    scanned = 0

    def rfind(self, sub: str, start: int = 0, end: int | None = None) -> int:  # type: ignore[override]
        stop = len(self) if end is None else end
        type(self).scanned += max(stop - start, 0)
        return super().rfind(sub, start, end)


def test_text_without_newlines_is_scanned_once_not_once_per_period() -> None:
    # issue #14 row 7: rfind("\n", 0, pos) from the start at every period was quadratic
    unit = "Dr. Smith met U.S. officials in Brussels. He left at 5 p.m. on Monday. "
    text = _CountingText(unit * (2_000_000 // len(unit)))
    _CountingText.scanned = 0
    spans = split_sentences(text)
    assert len(spans) == 2 * (len(text) // len(unit))
    assert [text[s:e] for s, e in spans[:2]] == [
        "Dr. Smith met U.S. officials in Brussels.",
        "He left at 5 p.m. on Monday.",
    ]
    # two characters ("\n" and " ") looked for, each over the text once at most
    assert _CountingText.scanned <= 2 * len(text)


@pytest.mark.parametrize(
    "text", ["a b\nc. D. e", "No.spaces.At.all. X", "\n\nX. Y\tZ. W", "  One.   Two?\n\n  Three  "]
)
def test_word_before_a_period_is_read_as_from_the_last_space_or_newline(text: str) -> None:
    # the token the abbreviation rules see is the text after the last " " or "\n"
    seen = []
    original = S._token_before

    def spy(text: str, pos: int, start: int) -> str:
        seen.append((pos, start))
        return original(text, pos, start)

    S._token_before = spy
    try:
        split_sentences(text)
    finally:
        S._token_before = original
    assert seen
    for pos, start in seen:
        assert start == max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
