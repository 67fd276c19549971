"""Unit tests of the drift detectors on small hand-written articles (real alignment)."""

from __future__ import annotations

from newslineage.align import align_articles, naive_sentences
from newslineage.drift import find_numbers, find_pair_drift, find_story_drift, is_caption
from newslineage.drift.article import find_attribution_missing, find_internal_inconsistencies
from newslineage.drift.quotes import find_quotes, word_changes
from newslineage.model import Article, Relation, Story


def _art(aid: str, text: str, **kw) -> Article:
    return Article(aid, text, sentences=naive_sentences(text), **kw)


def _drift(src: str, der: str) -> list:
    a, b = _art("s", src), _art("d", der)
    return find_pair_drift(a, b, align_articles(a, b))


def _kinds(found: list) -> list[str]:
    return sorted(f.kind for f in found)


BASE = (
    "Harbourmaster Elin Varga said about 30 ships were waiting at anchor on Wednesday. "
    "Varga said the runoff had not reached the estuary during the night. "
    "“We will keep testing the water every six hours,” Varga told reporters."
)


def test_identical_text_has_no_findings() -> None:
    assert _drift(BASE, BASE) == []


def test_number_change_is_found_and_located() -> None:
    der = BASE.replace("30 ships", "50 ships")
    (f,) = _drift(BASE, der)
    assert f.kind == "number_changed" and f.severity == "high"
    assert der[f.derived_span[0] : f.derived_span[1]] == "50"
    assert '"30 ships" became "50 ships"' in f.message


def test_equal_numbers_in_other_forms_are_not_changes() -> None:
    src = "Allies gave Ukraine more than $126 billion and twelve tanks, about five percent of it."
    der = "Allies gave Ukraine over 126bn dollars and 12 tanks, about 5% of it."
    assert [f for f in _drift(src, der) if f.kind == "number_changed"] == []


def test_currency_conversion_is_info() -> None:
    src = "Britain will provide Ukraine with a fresh $187 million firepower package this year."
    der = "Britain will provide Ukraine with a fresh £150 million firepower package this year."
    (f,) = _drift(src, der)
    assert f.kind == "number_changed" and f.severity == "info" and f.detail["conversion"]


def test_weekday_change() -> None:
    (f,) = _drift(BASE, BASE.replace("on Wednesday", "on Thursday"))
    assert f.kind == "date_changed" and '"Wednesday" became "Thursday"' in f.message


def test_negation_flip_both_ways() -> None:
    assert _kinds(_drift(BASE, BASE.replace("had not reached", "had reached"))) == [
        "negation_flipped"
    ]
    src = "The minister said the plan will work for the harbour this winter."
    assert _kinds(_drift(src, src.replace("will work", "will not work"))) == ["negation_flipped"]


def test_negation_paraphrase_is_not_a_flip() -> None:
    src = "Some allies worry that a deal might be clinched on terms that are not favorable to Ukraine."
    der = (
        "Some allies worry that a deal might be clinched on terms that are unfavourable to Ukraine."
    )
    assert _drift(src, der) == []


def test_quote_altered_gives_word_diff() -> None:
    (f,) = _drift(BASE, BASE.replace("keep testing", "stop testing"))
    assert f.kind == "quote_altered"
    assert {"op": "replace", "old": "keep", "new": "stop"} in f.detail["diff"]
    assert '"keep" became "stop"' in f.message and "Varga" in f.message


def test_title_modifier_added() -> None:
    (f,) = _drift(BASE, BASE.replace("Harbourmaster Elin", "Former harbourmaster Elin"))
    assert f.kind == "title_changed" and "former" in f.message


def test_office_changed() -> None:
    src = "Defense Secretary Pete Hegseth met allies in Brussels on Thursday morning."
    der = "Secretary of State Pete Hegseth met allies in Brussels on Thursday morning."
    assert _kinds(_drift(src, der)) == ["title_changed"]
    same = "Secretary of Defense Pete Hegseth met allies in Brussels on Thursday morning."
    assert _drift(src, same) == []


def test_organisation_renamed() -> None:
    src = "Hegseth will attend a meeting of the Ukraine Defense Contact Group in Brussels today."
    der = "Hegseth will attend a meeting of the Ukrainian Defense Liaison Group in Brussels today."
    (f,) = _drift(src, der)
    assert f.kind == "name_changed"
    assert der[f.derived_span[0] : f.derived_span[1]] == "Ukrainian Defense Liaison Group"


def test_internal_inconsistencies() -> None:
    text = (
        "Pete Hegseth spoke in Brussels in 2025. Pete Hegseth met allies. Mike Hegseth left. "
        "Former President Donald Trump called. President Trump agreed. Soldiers marched in 224."
    )
    msgs = " ".join(f.message for f in find_internal_inconsistencies(_art("x", text)))
    assert "Mike Hegseth" in msgs and '"in 224"' in msgs and "former" in msgs.lower()


def test_family_names_are_not_inconsistent() -> None:
    text = "Anna Berg and her husband Tomas Berg run the bakery. Anna Berg said it was busy."
    assert find_internal_inconsistencies(_art("x", text)) == []


def test_caption_detection() -> None:
    assert is_caption(
        "Firefighters spray water on a burning warehouse as thick smoke rises over the quay."
    )
    assert not is_caption("The last major fire at the port, in 2011, destroyed two grain silos.")
    assert not is_caption("No decision has been made on who might chair the next meeting.")


def test_attribution() -> None:
    src = _art("s", BASE, outlet="wire.example", url="https://wire.example/a")
    bare = _art("d", BASE, outlet="farm.example")
    assert [f.kind for f in find_attribution_missing(bare, src, 1.0)] == ["attribution_missing"]
    linked = _art("d", BASE, outlet="farm.example", links=("https://wire.example/a",))
    credited = _art("d", BASE, outlet="farm.example", credits=("AP",))
    assert find_attribution_missing(linked, src) == [] == find_attribution_missing(credited, src)


def test_story_original_gets_nothing_and_copy_gets_findings() -> None:
    src = _art("s", BASE, outlet="wire.example")
    der = _art("d", BASE.replace("30 ships", "50 ships"), outlet="farm.example")
    story = Story("st", None, ("s", "d"), original="s")
    rel = Relation("s", "d", "copy", 1.0, 0.9, 0.9)
    found = find_story_drift(story, {"s": src, "d": der}, [rel])
    assert all(f.article == "d" for f in found)
    assert _kinds(found) == ["attribution_missing", "number_changed"]


def test_helpers() -> None:
    assert [m.value for m in find_numbers("3.5-3.7% and twelve")] == [(3.5, 3.7), (12.0, 12.0)]
    assert find_quotes('He said "we will go" and left.') == [(9, 19)]
    assert word_changes("we will not go home", "we will go home") == [("delete", "not", "")]
