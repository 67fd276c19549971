"""The HTML report: pages, links, the lineage SVG, the side-by-side view, and escaping.

Stores are built through the real pipeline (api.add on files, api.analyze) in tmp folders.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newslineage import api
from newslineage.errors import InputError
from newslineage.model import Finding, OutletProfile
from newslineage.readmodel import ReadModel
from newslineage.report.html import (
    Links,
    lineage_svg,
    render_article,
    render_index,
    render_outlets,
    render_story,
    time_units,
    write_report,
)

HREF = re.compile(r'href="([^"]*)"')
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path):
    """The examples corpus, ingested and analysed into a real SQLite store."""
    db = tmp_path_factory.mktemp("corpus") / "e.db"
    store = api.open_store(str(db))
    api.add([str(examples_dir / "corpus")], store)
    api.analyze(store)
    return store


@pytest.fixture(scope="module")
def data(corpus) -> ReadModel:
    return ReadModel.from_store(corpus)


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(corpus, tmp_path_factory.mktemp("site") / "report")


def _big_story(data: ReadModel):
    return max(data.stories, key=lambda s: len(s.articles))


def _by_file(data: ReadModel, name: str):
    return next(a for a in data.articles.values() if a.origin_file == name)


def _text(fragment: str) -> str:
    """The visible text of a cell, without the finding reference badges ("[1]")."""
    fragment = re.sub(r'<sup class="fref">.*?</sup>', "", fragment)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


# --- the static site ------------------------------------------------------------------


def test_write_report_writes_every_page(site: Path, data: ReadModel) -> None:
    assert site.name == "index.html" and site.is_file()
    folder = site.parent
    assert (folder / "outlets.html").is_file()
    for s in data.stories:
        assert (folder / f"story-{s.id}.html").is_file()
    for a in data.articles.values():
        assert (folder / f"article-{a.id}.html").is_file()


def test_every_link_resolves(site: Path) -> None:
    folder = site.parent
    pages = sorted(folder.glob("*.html"))
    assert len(pages) > 10
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'id="([^"]+)"', html))
        for href in HREF.findall(html):
            if href.startswith(("http://", "https://")):
                continue
            if href.startswith("#"):
                assert href[1:] in ids, f"{page.name}: dangling anchor {href}"
            else:
                assert (folder / href).is_file(), f"{page.name}: broken link {href}"
            checked += 1
    assert checked > 100


def test_pages_are_self_contained(site: Path) -> None:
    for page in site.parent.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<style>" in html and "@media print" in html
        assert not re.search(r'<link[^>]+stylesheet|@import|\bsrc="|url\(\s*["\']?http', html)
        assert html.count("<script") == 1  # the tiny print enhancer, nothing else


def test_index_lists_stories_with_original_copies_and_timeline(data: ReadModel) -> None:
    page = render_index(data)
    story = _big_story(data)
    row = page.split(f'href="story-{story.id}.html"')[1].split("</tr>")[0]
    assert f'href="article-{story.original}.html"' in row
    assert 'class="timeline"' in row and row.count("<circle") >= len(story.articles)
    copies = re.findall(r'<td class="num">(\d+)</td>', row)
    derived = {
        r.derived for r in data.relations if r.kind != "same_story" and r.derived in story.articles
    }
    assert len(derived) >= 4 and copies and int(copies[0]) == len(derived)
    assert "meridianherald.com" in row and "unknown outlet" in row


# --- story page -----------------------------------------------------------------------


def test_story_graph_marks_original_lanes_and_edges(data: ReadModel) -> None:
    story = _big_story(data)
    page = render_story(data, story.id)
    svg = page.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert svg.count('class="node"') == len(story.articles)
    original = svg.split(f'href="article-{story.original}.html"')[1].split("</a>")[0]
    assert "original-ring" in original and "ORIGINAL" in original
    for outlet in ("unknown outlet", "meridianherald.com", "quickreads24.com"):
        assert f">{outlet}</text>" in svg
    kinds = {
        r.kind
        for r in data.relations
        if r.source in story.articles and r.derived in story.articles and r.kind != "same_story"
    }
    assert {"rewrite", "excerpt", "copy", "partial", "translation"} <= kinds
    for kind in kinds:
        assert f'marker-end="url(#arrow-{kind})"' in svg
        assert f'<marker id="arrow-{kind}"' in svg
        assert f"<b>{kind}</b>" in page.split('class="legend"')[1]  # the legend names it
    # hover text on edges gives kind, coverage and confidence
    assert re.search(
        r"<title>rewrite: \w+ -&gt; \w+\ncoverage \d+%, verbatim \d+%, confidence", svg
    )


def test_story_graph_orders_by_time_and_marks_undated(data: ReadModel) -> None:
    story = _big_story(data)
    svg = lineage_svg(data, story)
    xs = {}
    for aid in story.articles:
        block = svg.split(f'href="article-{aid}.html"')[1].split("</a>")[0]
        xs[aid] = float(re.search(r'class="node" cx="([\d.]+)"', block).group(1))
        undated = data.articles[aid].published is None
        assert ('stroke-dasharray="3 2"' in block) == undated
        assert ("undated · seen" in block) == undated
    dated = sorted(
        (data.articles[a].published, xs[a]) for a in story.articles if data.articles[a].published
    )
    assert [x for _, x in dated] == sorted(x for _, x in dated)


def test_external_origin_is_a_node_outside_the_corpus(data: ReadModel) -> None:
    single = next(s for s in data.stories if s.external_origin)
    page = render_story(data, single.id)
    assert "outside the corpus" in page and "external origin" in page
    assert 'class="edge external"' in page and f"{single.external_origin}</text>" in page
    # several roots: only those crediting or linking the origin get the external arrow
    story = _big_story(data)
    widened = dataclasses.replace(story, original=None, external_origin="meridianherald.com")
    other = dataclasses.replace(data, stories=(widened,))
    svg = lineage_svg(other, widened)
    assert svg.count('class="edge external"') >= 1


def test_timeline_tolerates_story_without_dates(data: ReadModel) -> None:
    story = next(
        s for s in data.stories if all(data.articles[a].published is None for a in s.articles)
    )
    page = render_story(data, story.id)
    assert "seen " in page and "undated" in page


def test_time_units_keep_order_and_compress_gaps() -> None:
    t0 = datetime(2025, 2, 11, tzinfo=UTC)
    hour, year = t0.replace(hour=1), t0.replace(year=2026)
    units = time_units([year, t0, hour, None, t0])
    keys = sorted(k for k in units if k is not None)
    xs = [units[k] for k in keys]
    assert xs == sorted(xs) and len(xs) == 3
    assert 1.0 <= xs[1] - xs[0] < 1.2  # an hour: about one column
    assert 1.2 < xs[2] - xs[1] < 3.0  # a year: wider, but compressed
    assert units[None] > xs[-1]


# --- article page ---------------------------------------------------------------------


def test_article_beside_its_source(data: ReadModel) -> None:
    derived = _by_file(data, "portvale_fire_scraped.txt")
    source = _by_file(data, "nws_portvale_wire.txt")
    page = render_article(data, derived.id)
    section = page.split('<section class="beside" id="source-1">')[1].split("</section>")[0]
    assert f'href="article-{source.id}.html"' in section
    rows = re.findall(r'<tr class="pair">(.*?)</tr>', section, re.S)
    assert len(rows) >= 5
    left, _, right = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
    assert _text(left).strip() in source.text and _text(right).strip() in derived.text
    assert 'class="rewritten' in section or 'class="verbatim' in section
    legend = page.split('<ul class="legend"')[1].split("</ul>")[0]
    for style in ("verbatim", "rewritten", "finding", "unsourced"):
        assert f'class="sw {style}"' in legend


def test_every_source_of_a_compilation_gets_a_table(data: ReadModel) -> None:
    derived = _by_file(data, "dailyglobebrief_portvale_fire.html")
    sources = data.sources_of(derived.id)
    assert len(sources) >= 2
    page = render_article(data, derived.id)
    assert page.count('<table class="sbs">') == len(sources)
    assert 'class="unsourced"' in page  # a compilation adds text no single source has


def test_findings_are_listed_and_marked_at_their_spans(corpus, tmp_path: Path) -> None:
    data = ReadModel.from_store(corpus)
    derived = _by_file(data, "portvale_fire_scraped.txt")
    source = data.sources_of(derived.id)[0].source
    s, e = derived.sentences[1]
    finding = Finding(
        kind="number_changed",
        article=derived.id,
        message="12 workers became <b>twelve</b>",
        severity="high",
        source_article=source,
        source_span=data.articles[source].sentences[1],
        derived_span=(s, e),
    )
    data = dataclasses.replace(data, findings=(finding,))
    page = render_article(data, derived.id)
    item = page.split('<li id="finding-1">')[1].split("</li>")[0]
    assert "number_changed" in item and "&lt;b&gt;twelve&lt;/b&gt;" in item
    assert 'href="#f1-s1"' in item and 'id="f1-s1"' in page and 'id="f1-t"' in page
    marks = re.findall(
        r'<mark class="finding sev-high kind-number_changed[^"]*"[^>]*>(.*?)</mark>', page, re.S
    )
    marked = "".join(_text(m) for m in marks)
    assert derived.text[s:e][:30] in marked
    assert '<a href="#finding-1">[1]</a>' in page


def test_removed_boilerplate_on_demand(data: ReadModel) -> None:
    a = next(a for a in data.articles.values() if a.removed)
    page = render_article(data, a.id)
    details = page.split('<details class="removed">')[1].split("</details>")[0]
    assert f"Removed boilerplate ({len(a.removed)})" in details
    for r in a.removed:
        assert r.reason in details


def test_article_metadata(data: ReadModel) -> None:
    a = next(a for a in data.articles.values() if a.url and a.published and a.outlet)
    page = render_article(data, a.id)
    meta = page.split('<dl class="meta">')[1].split("</dl>")[0]
    assert a.outlet in meta and a.published.strftime("%Y-%m-%d") in meta
    assert f'href="{a.url}"' in meta


# --- outlets --------------------------------------------------------------------------


def test_outlets_page(data: ReadModel) -> None:
    page = render_outlets(data)
    for p in data.outlets:
        assert f"<b>{p.outlet}</b>" in page and p.explanation in page
    assert "unknown outlet are not profiled" in page
    farm = OutletProfile("farm.example", 4, 0.0, 1.0, 0.0, 2.5, 30.0, True, "4 of 4 derived")
    page = render_outlets(dataclasses.replace(data, outlets=(farm,)))
    assert "content-farm pattern" in page and "4 of 4 derived" in page and "30 h" in page


# --- links for the web app, errors, empty store ---------------------------------------


def test_links_can_be_mapped_to_web_routes(data: ReadModel) -> None:
    story = _big_story(data)
    web = Links(
        prefix="/",
        index_page="",
        story_page="stories/{id}",
        article_page="articles/{id}",
        outlets_page="outlets",
    )
    page = render_story(data, story.id, web)
    hrefs = [h for h in HREF.findall(page) if not h.startswith("http")]
    assert f"/articles/{story.original}" in hrefs and "/" in hrefs and "/outlets" in hrefs
    assert not [h for h in hrefs if h.endswith(".html")]
    assert f'href="../article-{story.original}.html"' in render_story(data, story.id, "../")


def test_unknown_ids_raise_input_error(data: ReadModel) -> None:
    with pytest.raises(InputError, match="no story"):
        render_story(data, "nope")
    with pytest.raises(InputError, match="no article"):
        render_article(data, "nope")


def test_empty_store(tmp_path: Path) -> None:
    index = write_report(api.open_store(str(tmp_path / "empty.db")), tmp_path / "out")
    page = index.read_text(encoding="utf-8")
    assert "No stories yet" in page
    assert "No outlet is known yet" in (index.parent / "outlets.html").read_text(encoding="utf-8")


def test_unwritable_folder_is_an_input_error(corpus, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the report"):
        write_report(corpus, blocker / "sub")


# --- escaping -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """Articles whose titles, bodies, outlets and URLs carry markup, through the real pipeline."""
    folder = tmp_path_factory.mktemp("hostile")
    body = (
        "The harbour authority said on Monday that a fire destroyed three warehouses near the "
        "eastern quay overnight. Firefighters fought the blaze for six hours before it was under "
        "control, the authority said in a statement. Nobody was hurt, but two ships were moved "
        "away from the quay as a precaution. The cause of the fire is not yet known and an "
        f"investigation has started. {SCRIPT} Officials said the port would reopen on Tuesday "
        "morning once inspectors had checked the cranes and the fuel depot."
    )
    records = [
        {
            "id": "a",
            "url": 'https://origin.example/fire?q="><script>alert(1)</script>',
            "outlet": IMG,
            "title": f"{SCRIPT} Harbour fire destroys warehouses",
            "published": "2026-01-05T08:00:00Z",
            "text": body,
        },
        {
            "id": "b",
            "url": "javascript:alert(1)",
            "outlet": "copies.example",
            "title": f"Fire at the harbour {IMG}",
            "published": "2026-01-05T11:00:00Z",
            "text": body + " Reporting by a copier.",
        },
    ]
    path = folder / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = api.open_store(str(folder / "h.db"))
    api.add([str(path)], store)
    api.analyze(store)
    arts = list(store.iter_articles())
    derived = next(a for a in arts if a.outlet == "copies.example")
    store.replace_findings(
        [
            Finding(
                kind="quote_altered",
                article=derived.id,
                message=f"changed {SCRIPT} to {IMG}",
                severity="high",
                derived_span=(0, 20),
            )
        ],
        [derived.id],
    )
    return store


def test_everything_from_inputs_is_escaped(hostile, tmp_path: Path) -> None:
    data = ReadModel.from_store(hostile)
    assert any(SCRIPT in (a.title or "") for a in data.articles.values())
    assert any(SCRIPT in a.text for a in data.articles.values())
    assert data.relations and data.findings
    index = write_report(hostile, tmp_path / "site")
    pages = list(index.parent.glob("*.html"))
    assert len(pages) >= 5
    seen_escaped = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert (
            "<script>alert" not in html and "<img" not in html and "onerror=alert(1)>" not in html
        )
        assert html.count("<script") == 1
        assert not any(h.lower().startswith("javascript") for h in HREF.findall(html))
        seen_escaped += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
        seen_escaped += html.count("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    assert seen_escaped >= 6
    derived = next(a for a in data.articles.values() if a.outlet == "copies.example")
    article = (index.parent / f"article-{derived.id}.html").read_text(encoding="utf-8")
    assert "javascript:alert(1)" in article  # shown as text, never as a link
    assert 'href="javascript' not in article


def test_outlet_names_in_svg_are_escaped(hostile) -> None:
    data = ReadModel.from_store(hostile)
    story = next(s for s in data.stories if len(s.articles) == 2)
    svg = lineage_svg(data, story)
    assert "<img" not in svg and "&quot;&gt;&lt;img" in svg
