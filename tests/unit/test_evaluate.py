"""evaluate(): exact scores on tiny handcrafted truths and exports."""

from __future__ import annotations

import json

import pytest

from newslineage.errors import InputError
from newslineage.evaluate import EvalReport, article_ref, bcubed, evaluate

TEXT_C = "Intro sentence. The mayor said 40 people left. Closing line."

TRUTH = {
    "articles": ["a", "b", "c", "d", "feed.xml#0", "e.txt"],
    "relations": [
        {"source": "a", "derived": "b", "kind": "copy"},
        {"source": "a", "derived": "c", "kind": "rewrite"},
        {"source": "a", "derived": "feed.xml#0", "kind": "excerpt"},
    ],
    "stories": [
        {"articles": ["a", "b", "c", "feed.xml#0"], "original": "a", "external_origin": None},
        {"articles": ["d", "e.txt"], "original": "d", "external_origin": None},
    ],
    "findings": [
        {
            "article": "c",
            "kind": "number_changed",
            "source_article": "a",
            "derived_text": "said 40 people",
        },
        {"article": "b", "kind": "unsourced_sentence", "source_article": None},
    ],
}


def _art(
    id_: str,
    external_id: str | None = None,
    origin_file: str | None = None,
    item: int | None = None,
    text: str = "",
) -> dict:
    return {
        "id": id_,
        "external_id": external_id,
        "origin_file": origin_file,
        "origin_item": item,
        "text": text,
    }


ARTICLES = [
    _art("1", "a", "x.jsonl", 0),
    _art("2", "b", "x.jsonl", 1),
    _art("3", "c", "x.jsonl", 2, TEXT_C),
    _art("4", "d", "x.jsonl", 3),
    _art("5", None, "feed.xml", 0),
    _art("6", None, "e.txt", None),
    _art("7", "not-in-truth", "x.jsonl", 4),
]


def _perfect_export() -> dict:
    return {
        "articles": ARTICLES,
        "relations": [
            {"source": "1", "derived": "2", "kind": "copy"},
            {"source": "1", "derived": "3", "kind": "rewrite"},
            {"source": "1", "derived": "5", "kind": "excerpt"},
            {"source": "4", "derived": "6", "kind": "same_story"},  # not a derivation: ignored
        ],
        "stories": [
            {"articles": ["1", "2", "3", "5"], "original": "1"},
            {"articles": ["4", "6", "7"], "original": "4"},
        ],
        "findings": [
            {
                "article": "3",
                "kind": "number_changed",
                "derived_span": [TEXT_C.index("40"), TEXT_C.index("40") + 2],
            },
            {"article": "2", "kind": "unsourced_sentence", "derived_span": [0, 5]},
        ],
    }


def test_article_ref_prefers_external_id_then_file_and_item() -> None:
    assert article_ref(_art("1", "rec-9", "x.jsonl", 0)) == "rec-9"
    assert article_ref(_art("1", None, "feed.xml", 3)) == "feed.xml#3"
    assert article_ref(_art("1", None, "000_story.txt", None)) == "000_story.txt"
    assert article_ref({"id": "z"}) == "z"


def test_perfect_export_scores_one_everywhere() -> None:
    r = evaluate(TRUTH, _perfect_export())
    assert r.truth_articles == 6 and r.matched_articles == 6
    assert (r.derivation.precision, r.derivation.recall, r.derivation.f1) == (1.0, 1.0, 1.0)
    assert set(r.by_kind) == {"copy", "rewrite", "excerpt"}
    assert all(s.f1 == 1.0 for s in r.by_kind.values())
    assert r.direction_accuracy == 1.0 and r.direction_pairs == 3
    assert (r.bcubed.precision, r.bcubed.recall) == (1.0, 1.0)
    assert r.original_accuracy == 1.0 and r.original_stories == 2
    assert (r.findings.precision, r.findings.recall) == (1.0, 1.0)


def test_empty_export_scores_zero_recall() -> None:
    r = evaluate(TRUTH, {"articles": [], "relations": [], "stories": [], "findings": []})
    assert r.matched_articles == 0
    assert (r.derivation.precision, r.derivation.recall, r.derivation.f1) == (0.0, 0.0, 0.0)
    assert r.direction_accuracy is None and r.direction_pairs == 0
    # every article a singleton: precision 1; recall = mean of 1/|true cluster| = (4*1/4 + 2*1/2)/6
    assert r.bcubed.precision == 1.0
    assert r.bcubed.recall == pytest.approx(2 / 6)
    assert r.original_accuracy == 0.0
    assert (r.findings.precision, r.findings.recall) == (0.0, 0.0)


def test_partially_wrong_export_gives_exact_numbers() -> None:
    export = {
        "articles": ARTICLES,
        "relations": [
            {"source": "2", "derived": "1", "kind": "copy"},  # right pair and kind, wrong direction
            {"source": "1", "derived": "3", "kind": "copy"},  # right pair, wrong kind
            {"source": "2", "derived": "3", "kind": "copy"},  # no such derivation
            {"source": "1", "derived": "7", "kind": "copy"},  # article outside the truth: ignored
        ],
        "stories": [
            {"articles": ["1", "2", "3", "4"], "original": "2"},
            {"articles": ["5"], "original": "5"},
            {"articles": ["6"], "original": "6"},
        ],
        "findings": [
            {"article": "3", "kind": "number_changed", "derived_span": [0, 6]},  # no overlap
            {"article": "3", "kind": "name_changed", "derived_span": [0, 6]},  # kind not in truth
            {
                "article": "2",
                "kind": "unsourced_sentence",
                "derived_span": [3, 9],
            },  # no text: matches
        ],
    }
    r = evaluate(TRUTH, export)
    assert (r.derivation.true_positives, r.derivation.predicted, r.derivation.expected) == (2, 3, 3)
    assert r.derivation.precision == pytest.approx(2 / 3)
    assert r.derivation.recall == pytest.approx(2 / 3)
    copy = r.by_kind["copy"]
    assert (copy.true_positives, copy.predicted, copy.expected) == (1, 3, 1)
    assert r.by_kind["rewrite"].recall == 0.0 and r.by_kind["rewrite"].predicted == 0
    assert r.by_kind["excerpt"].recall == 0.0
    assert r.direction_accuracy == 0.5 and r.direction_pairs == 2
    # B-cubed by hand: a,b,c in {a,b,c,d}: P 3/4, R 3/4; d: P 1/4, R 1/2;
    # feed.xml#0 singleton: P 1, R 1/4; e.txt singleton: P 1, R 1/2
    assert r.bcubed.precision == pytest.approx((3 * 0.75 + 0.25 + 1 + 1) / 6)
    assert r.bcubed.recall == pytest.approx((3 * 0.75 + 0.5 + 0.25 + 0.5) / 6)
    # story 1 best match names b (wrong); story 2 best match ties at 1 article: the one holding d
    assert r.original_accuracy == 0.0
    assert r.findings_by_kind["number_changed"].true_positives == 0
    assert r.findings_by_kind["name_changed"].precision == 0.0
    assert r.findings_by_kind["unsourced_sentence"].true_positives == 1
    # overall counts only truth-labelled kinds: 1 hit of 2 predictions, 1 of 2 truths
    assert (r.findings.precision, r.findings.recall) == (0.5, 0.5)


def test_one_prediction_matches_one_truth_finding_only() -> None:
    truth = {
        "articles": ["a"],
        "stories": [],
        "relations": [],
        "findings": [{"article": "a", "kind": "date_changed", "derived_text": "Monday"}],
    }
    span = [4, 10]
    export = {
        "articles": [_art("1", "a", text="Now Monday.")],
        "findings": [{"article": "1", "kind": "date_changed", "derived_span": span}] * 2,
    }
    r = evaluate(truth, export)
    assert (r.findings.true_positives, r.findings.predicted, r.findings.expected) == (1, 2, 1)


def test_bcubed_known_example() -> None:
    # truth {1,2,3,4,5} {6,7}; prediction {1,2,3,4,5,6,7} -> P = (5*5/7 + 2*2/7)/7, R = 1
    items = {str(i) for i in range(1, 8)}
    s = bcubed([set("12345"), set("67")], [set(items)], items)
    assert s.precision == pytest.approx((5 * 5 / 7 + 2 * 2 / 7) / 7)
    assert s.recall == 1.0


def test_report_serialises_and_renders() -> None:
    r = evaluate(TRUTH, _perfect_export())
    assert isinstance(r, EvalReport)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["derivation"]["f1"] == 1.0 and d["by_kind"]["copy"]["expected"] == 1
    table = r.render_table()
    assert (
        "derivation (any kind)" in table
        and "B-cubed" in table
        and "direction accuracy: 1.000" in table
    )


def test_truth_without_articles_is_an_input_error() -> None:
    with pytest.raises(InputError, match="articles"):
        evaluate({"relations": []}, {"articles": []})
