"""Unit tests of the drift detectors on small hand-written articles (real alignment)."""

from __future__ import annotations

from newslineage.align import align_articles
from newslineage.drift import find_numbers, find_pair_drift, find_story_drift, is_caption
from newslineage.drift.article import find_attribution_missing, find_internal_inconsistencies
from newslineage.drift.quotes import find_quotes, word_changes
from newslineage.model import Article, Relation, Story
from newslineage.text import naive_sentences


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


def test_a_summarisers_unk_placeholder_is_no_new_name() -> None:
    src = "The film features Steven Berkoff, Edward Fox and Joss Ackland as the judges."
    der = "The film features Steven UNK, Edward Fox and Joss UNK as the judges."
    assert _drift(src, der) == []  # a word the system could not write, not a renaming
    assert _kinds(_drift(src, der.replace("UNK", "Brown"))) == ["name_changed"] * 2


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


# ------------------------------------------------------------------ issue 4: recall


def test_dates_at_a_sentence_end_and_after_of_are_parsed() -> None:
    from newslineage.drift import find_dates

    found = find_dates("It last happened in 1985. A deadline of December 9 was set.")
    assert [(m.kind, m.value) for m in found] == [("year", 1985), ("monthday", (12, 9, 9))]


def test_year_change_at_sentence_end_is_a_date_change() -> None:
    src = "The last comparable flood in the valley happened in 1982. Crews cleared the roads."
    (f,) = _drift(src, src.replace("1982", "1985"))
    assert f.kind == "date_changed" and f.detail["new"] == "1985"


def test_surname_swap_at_sentence_start_is_found() -> None:
    src = (
        "Officials met Bera Quinby on Monday. Quinby has funded the wide alert and upgraded "
        "the funds of the hospital. Quinby has postponed the route."
    )
    der = src.replace("Quinby has funded", "Tavano has funded")
    (f,) = _drift(src, der)
    assert f.kind == "name_changed" and f.detail == {"old": "Quinby", "new": "Tavano"}


def test_capitalised_word_after_an_unpunctuated_quote_is_not_a_name() -> None:
    src = 'He told local media: "People deserve clear answers" Merchants in Halvik agreed.'
    assert _drift(src, src.replace("Merchants", "Traders")) == []


def test_dateline_agency_code_is_not_a_name() -> None:
    src = "VALDALE (HNS) — Some 1,906 commuters in Valdale were affected by the closure."
    assert _drift(src, src.replace("(HNS)", "(MW)")) == []


def test_modifier_before_an_unknown_role_is_a_title_change() -> None:
    src = "Ralin Nevelli, the hydrologist at Dunfield Water Board, said the river was rising."
    (f,) = _drift(src, src.replace("the hydrologist", "the deputy hydrologist"))
    assert f.kind == "title_changed"


def test_late_afternoon_is_not_a_title() -> None:
    src = "The crews arrived in the afternoon of Friday and left the quay before the storm."
    assert _drift(src, src.replace("the afternoon", "the late afternoon")) == []


def test_negation_added_beside_a_reworded_verb_is_found() -> None:
    src = "The policy of Salfield has bolstered a contemporary warning after the election."
    der = "The policy of Salfield has not reinforced a contemporary warning after the election."
    assert _kinds(_drift(src, der)) == ["negation_flipped"]


def test_negated_antonym_is_a_paraphrase_and_a_bare_antonym_a_flip() -> None:
    src = "The council has rejected the harbour plan on Friday after a long debate."
    assert _drift(src, src.replace("has rejected", "has not approved")) == []
    assert _kinds(_drift(src, src.replace("rejected", "approved"))) == ["negation_flipped"]


def test_quote_sharing_only_its_first_word_still_compares() -> None:
    assert word_changes("We will not accept a solution", "We might not accept a solution") == [
        ("replace", "will", "might")
    ]


def test_sentence_slipped_into_a_copy_is_unsourced_but_its_footer_is_not() -> None:
    body = [
        "Harbourmaster Elin Varga said about 30 ships were waiting at anchor on Wednesday.",
        "Varga said the runoff had not reached the estuary during the night.",
        "Crews worked through the weekend to clear the main road into the port.",
        "The port authority will publish new measurements on Friday morning.",
    ]
    added = "Insiders claim the port authority tried to hide the scale of the spill."
    footer = "If you believe this content infringes your rights, contact our editorial team."
    src = _art("s", " ".join(body))
    der = _art("d", " ".join([*body[:2], added, *body[2:], footer]), outlet="farm.example")
    story = Story("x", None, ("s", "d"), "s")
    rel = Relation("s", "d", "copy", 1.0, 0.9, 0.9)
    found = find_story_drift(story, {"s": src, "d": der}, [rel])
    unsourced = [f for f in found if f.kind == "unsourced_sentence"]
    assert [der.text[slice(*f.derived_span)] for f in unsourced] == [added]


def test_parallel_drift_step_matches_the_serial_one(tmp_path, true_lineage) -> None:
    """The forked story pool returns the same findings, in the same order."""
    import newslineage.engines.findings as engine
    from newslineage.drift.story import story_drift

    _, articles, rels, stories = true_lineage(tmp_path, 120, 5)
    serial = [f for s in stories for f in story_drift(s, articles, rels)]
    min_stories, workers = engine.PARALLEL_MIN_STORIES, engine.MAX_WORKERS
    engine.PARALLEL_MIN_STORIES, engine.MAX_WORKERS = 1, 2
    try:
        parallel = engine._all_findings(stories, articles, rels)
    finally:
        engine.PARALLEL_MIN_STORIES, engine.MAX_WORKERS = min_stories, workers
    assert serial and parallel == serial


def test_boilerplate_cue_matches_the_case_insensitive_search() -> None:
    """The lower-cased search finds what ``re.IGNORECASE`` finds, also for the characters
    that fold to ASCII letters (long s, Kelvin sign, dotted and dotless i)."""
    import re

    from newslineage.drift.article import _BOILER, _boiler_cue

    texts = [
        "SUBSCRIBE to our newsletter for more.",
        "Please \u017fubscribe today, it is free of charge.",  # long s: IGNORECASE matches
        "Cli\u0307ck here for the full report now.",
        "CL\u0130CK HERE to read the rest.",  # dotted capital I
        "\u212aeep reading: the story continues below.",
        "Ships waited in the estuary on Wednesday morning.",
        "A \u212aelvin-sign word and cl\u0131ck here in one sentence.",
    ]
    for text in texts:
        assert _boiler_cue(text) == bool(_BOILER.search(text)), text
    assert any(_boiler_cue(t) for t in texts) and not all(_boiler_cue(t) for t in texts)
    assert re.search("subscribe", "\u017fubscribe", re.IGNORECASE)  # why the fallback exists
