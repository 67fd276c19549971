"""Golden: the HTML report on the seeds shows 001 beside 000 with what it changed.

001 is 000 (an AP wire story) after machine translation and back: "will reiterate" became
"will repeat" inside a quote, and the "Ukraine Defense Contact Group" became the "Ukrainian
Defense Liaison Group". The drift stage reports such changes as findings; whatever findings of
those kinds the store holds must be marked at their spans in 001's side-by-side view.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from newslineage import api
from newslineage.model import Article, Finding
from newslineage.readmodel import ReadModel
from newslineage.report.html import render_article, render_story, write_report

PAIR_ROW = re.compile(r'<tr class="pair">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).replace("&#x27;", "'")


@pytest.fixture(scope="module")
def seeds_store(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    store = api.open_store(str(tmp_path_factory.mktemp("seeds") / "s.db"))
    api.add(sorted(str(p) for p in seeds_dir.glob("0*.txt")), store)
    api.analyze(store)
    return store


@pytest.fixture(scope="module")
def data(seeds_store) -> ReadModel:
    return ReadModel.from_store(seeds_store)


def _seed(data: ReadModel, prefix: str) -> Article:
    return next(a for a in data.articles.values() if (a.origin_file or "").startswith(prefix))


def _beside(page: str, source: Article) -> str:
    """The side-by-side section of ``page`` whose source is ``source``."""
    for section in page.split('<section class="beside"')[1:]:
        head = section.split("<table")[0]
        if f'href="article-{source.id}.html"' in head:
            return section.split("</section>")[0]
    raise AssertionError(f"no side-by-side table against {source.id}")


def _pair_cells(section: str) -> list[tuple[str, str]]:
    rows = []
    for row in PAIR_ROW.findall(section):
        cells = CELL.findall(row)
        rows.append((cells[0], cells[2]))
    return rows


def test_001_is_shown_beside_000_sentence_by_sentence(data: ReadModel) -> None:
    wire, copy = _seed(data, "000_"), _seed(data, "001_")
    section = _beside(render_article(data, copy.id), wire)
    rows = _pair_cells(section)
    assert len(rows) >= 20  # the round trip follows the wire story sentence by sentence
    quote = [(s, d) for s, d in rows if "reiterate" in _text(s)]
    assert quote, "000's 'will reiterate' sentence is missing from the table"
    assert "repeat" in _text(quote[0][1])  # ... beside 001's 'will repeat'
    group = [(s, d) for s, d in rows if "Contact Group" in _text(s)]
    assert group and "Liaison Group" in _text(group[0][1])


def _assert_marked(page: str, text: str, finding: Finding) -> None:
    s, e = finding.derived_span or (0, 0)
    marks = re.findall(
        rf'<mark class="finding sev-\w+ kind-{finding.kind}[^"]*"[^>]*>(.*?)</mark>', page, re.S
    )
    marked = " ".join(_text(m) for m in marks)
    assert text[s:e].strip()[:40] in marked, f"{finding.kind} at {s}-{e} is not marked"


def test_store_findings_on_001_are_marked(data: ReadModel) -> None:
    """The quote and name findings analyze stored for 001 are listed and marked in place."""
    copy = _seed(data, "001_")
    page = render_article(data, copy.id)
    findings = data.findings_of(copy.id)
    kinds = {f.kind for f in findings}
    assert {"quote_altered", "name_changed"} <= kinds  # "reiterate"->"repeat", Contact->Liaison
    assert any("reiterate" in f.message and "repeat" in f.message for f in findings)
    for n, f in enumerate(findings, start=1):
        item = page.split(f'<li id="finding-{n}">')[1].split("</li>")[0]
        assert f.kind in item
        if f.kind in ("quote_altered", "name_changed") and f.derived_span:
            _assert_marked(page, copy.text, f)


def test_quote_and_name_changes_are_marked_beside_the_source(data: ReadModel) -> None:
    """The same view with the two expected findings placed on the seed texts."""
    wire, copy = _seed(data, "000_"), _seed(data, "001_")

    def span(article: Article, word: str) -> tuple[int, int]:
        start = article.text.index(word)
        return start, start + len(word)

    findings = (
        Finding(
            kind="quote_altered",
            article=copy.id,
            message="quote changed: 'reiterate' -> 'repeat'",
            severity="high",
            source_article=wire.id,
            source_span=span(wire, "reiterate"),
            derived_span=span(copy, "repeat"),
        ),
        Finding(
            kind="name_changed",
            article=copy.id,
            message="'Contact Group' -> 'Liaison Group'",
            severity="medium",
            source_article=wire.id,
            source_span=span(wire, "Contact Group"),
            derived_span=span(copy, "Liaison Group"),
        ),
    )
    page = render_article(dataclasses.replace(data, findings=findings), copy.id)
    section = _beside(page, wire)
    for f in findings:
        _assert_marked(section, copy.text, f)
    # the source side marks the original wording, in the same row
    row = next(r for r in _pair_cells(section) if "reiterate" in _text(r[0]))
    assert re.search(r'<mark class="finding[^"]*kind-quote_altered[^>]*>reiterate</mark>', row[0])
    assert re.search(r'<mark class="finding[^"]*kind-quote_altered[^>]*>repeat</mark>', row[1])
    assert "quote changed: &#x27;reiterate&#x27; -&gt; &#x27;repeat&#x27;" in page


def test_seed_story_page_marks_000_as_original(
    seeds_store, data: ReadModel, tmp_path: Path
) -> None:
    wire, copy = _seed(data, "000_"), _seed(data, "001_")
    story = data.story_of(wire.id)
    assert story is not None and story.original == wire.id and copy.id in story.articles
    page = render_story(data, story.id)
    node = page.split(f'href="article-{wire.id}.html"><title>')[1].split("</a>")[0]
    assert "original-ring" in node and "ORIGINAL" in node
    assert "rewrite of" in page.split(f'href="article-{copy.id}.html"><title>')[1].split("</a>")[0]
    index = write_report(seeds_store, tmp_path / "site")
    assert (index.parent / f"story-{story.id}.html").is_file()
    assert (index.parent / f"article-{copy.id}.html").is_file()
