"""Drift on the seed corpus, through the real pipeline (add -> analyze -> find_story_drift).

What the seeds show (read from the texts, see ../shared/seeds/README.md):
- 000 is the AP original: no findings.
- 001 is 000 after machine translation and back, uncredited: attribution is missing, the
  Pentagon quote was altered ("reiterate" -> "repeat") and the Ukraine Defense Contact Group
  became the "Ukrainian Defense Liaison Group".
- 003 is a machine-written compilation: it calls Hegseth both Pete and Mike, has an image
  caption about a training session with Special Forces set as text, and turns Hegseth's
  "unrealistic" pre-2014 borders into "a realistic position".
- eznews.xyz (004) republishes all four of its feed items from other outlets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newslineage import api
from newslineage.drift import find_story_drift
from newslineage.model import Article, Finding
from newslineage.outlets import outlet_rows, profile_outlets


@pytest.fixture(scope="module")
def analysed(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    store = api.open_store(str(tmp_path_factory.mktemp("seeds") / "seeds.db"))
    api.add(sorted(str(p) for p in seeds_dir.glob("0*.txt")), store)
    api.analyze(store)
    articles = {a.id: a for a in store.iter_articles()}
    relations = store.relations()
    findings = store.findings()  # what analyze stored
    recomputed = [f for s in store.stories() for f in find_story_drift(s, articles, relations)]

    def key(f: Finding) -> tuple:
        return (f.article, f.kind, f.derived_span, f.source_span, f.severity, f.message)

    assert sorted(map(key, findings)) == sorted(map(key, recomputed))
    return articles, relations, findings


def _of(analysed, prefix: str) -> tuple[Article, list[Finding]]:
    articles, _, findings = analysed
    article = next(a for a in articles.values() if (a.origin_file or "").startswith(prefix))
    return article, [f for f in findings if f.article == article.id]


def _text(article: Article, f: Finding) -> str:
    assert f.derived_span is not None
    return article.text[f.derived_span[0] : f.derived_span[1]]


def test_original_has_no_findings(analysed) -> None:
    _, found = _of(analysed, "000")
    assert found == []


def test_no_false_name_change_on_the_ap_write_through(analysed) -> None:
    articles, _, findings = analysed
    feed2 = next(a for a in articles.values() if a.origin_item == 2)
    assert [f for f in findings if f.article == feed2.id and f.kind == "name_changed"] == []


def test_001_attribution_missing(analysed) -> None:
    _, found = _of(analysed, "001")
    assert [f.kind for f in found].count("attribution_missing") == 1


def test_001_pentagon_quote_altered(analysed) -> None:
    article, found = _of(analysed, "001")
    quotes = [f for f in found if f.kind == "quote_altered"]
    pentagon = [f for f in quotes if "Pentagon" in f.message]
    assert len(pentagon) == 1
    assert '"reiterate" became "repeat"' in pentagon[0].message
    assert _text(article, pentagon[0]).startswith("The secretary will repeat")
    diff = pentagon[0].detail["diff"]
    assert {"op": "replace", "old": "reiterate", "new": "repeat"} in diff


def test_001_contact_group_renamed(analysed) -> None:
    article, found = _of(analysed, "001")
    names = [f for f in found if f.kind == "name_changed"]
    assert len(names) == 1
    assert "Ukraine Defense Contact Group" in names[0].message
    assert _text(article, names[0]) == "Ukrainian Defense Liaison Group"


def test_001_no_false_figures_dates_titles_or_negations(analysed) -> None:
    # the translation round trip rewords everything but keeps every figure, date and title
    _, found = _of(analysed, "001")
    kinds = {f.kind for f in found}
    assert not kinds & {"number_changed", "date_changed", "title_changed", "negation_flipped"}


def test_003_two_first_names(analysed) -> None:
    _, found = _of(analysed, "003")
    assert any(
        f.kind == "internal_inconsistency"
        and "Pete Hegseth" in f.message
        and "Mike Hegseth" in f.message
        for f in found
    )


def test_003_caption_unsourced(analysed) -> None:
    article, found = _of(analysed, "003")
    captions = [_text(article, f) for f in found if f.kind == "unsourced_sentence"]
    assert any("training session with members of the elite Special Forces" in c for c in captions)
    assert all(f.severity == "low" for f in found if f.kind == "unsourced_sentence")


def test_003_pre_2014_borders_negation(analysed) -> None:
    article, found = _of(analysed, "003")
    flips = [f for f in found if f.kind == "negation_flipped"]
    assert len(flips) == 1
    assert "pre-2014 borders was a realistic position" in _text(article, flips[0])
    assert "unrealistic" in flips[0].message


def test_findings_point_into_text(analysed) -> None:
    articles, _, findings = analysed
    for f in findings:
        text = articles[f.article].text
        assert f.derived_span is not None and 0 <= f.derived_span[0] < f.derived_span[1] <= len(
            text
        )
        assert f.severity in ("info", "low", "medium", "high")
        assert f.message.endswith(".")


def test_eznews_republishes_everything(analysed) -> None:
    articles, relations, findings = analysed
    profiles = {p.outlet: p for p in profile_outlets(list(articles.values()), relations, findings)}
    ez = profiles["eznews.xyz"]
    assert ez.articles == 4
    assert ez.derived_share == 1.0
    assert ez.content_farm
    assert ez.explanation.startswith("4 of 4 articles republished from other outlets")
    rows = outlet_rows([ez])
    assert rows[0][0] == "eznews.xyz" and all(isinstance(c, str) for c in rows[0])
