"""The web pages in a real browser: Playwright's python package driving Debian's Chromium.

Playwright's own browser downloads are never used (``scripts/ensure-chromium.sh`` installs
Debian's ``chromium``). Skipped with the reason when either is missing. With
``NEWSLINEAGE_SCREENSHOTS=1`` the run saves docs/img/web-story.png and web-article.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="playwright's python package is missing: pip install -e '.[test]'",
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NEWSLINEAGE_CHROMIUM") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DERIVATIONS = {"duplicate", "copy", "excerpt", "rewrite", "translation", "partial"}
SHOTS = ROOT / "docs" / "img" if os.environ.get("NEWSLINEAGE_SCREENSHOTS") == "1" else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh (needs root)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # in CI a skipped browser test would hide a broken set-up
        pytest.skip(reason)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def _wire_story(base: str) -> tuple[str, str, list[str]]:
    """(story id, original id, derived ids) of the Portvale fire story, from the API."""
    arts = httpx.get(f"{base}/api/articles", params={"limit": 500}).json()["items"]
    wire = next(a["id"] for a in arts if a["origin_file"] == "nws_portvale_wire.txt")
    lineage = httpx.get(f"{base}/api/articles/{wire}/lineage").json()
    story = lineage["story"]
    assert story["original"] == wire
    rels = httpx.get(f"{base}/api/stories/{story['id']}").json()["relations"]
    derived = sorted({r["derived"] for r in rels if r["kind"] in DERIVATIONS})
    return story["id"], wire, derived


def _shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))  # the viewport: what a reader sees first


def test_story_graph_then_a_copy_beside_its_source(live: Any, page: Any) -> None:
    story_id, wire, derived = _wire_story(live.url)
    assert len(derived) >= 4  # examples/: excerpt, duplicate, rewrite, two partials

    page.goto(live.url + "/")
    page.locator(f'a[href="/stories/{story_id}"]').first.click()
    page.wait_for_url(f"**/stories/{story_id}")
    graph = page.locator(".graph-wrap svg")
    sync_api.expect(graph).to_be_visible()
    original = graph.locator(f'a[href="/articles/{wire}"]')
    sync_api.expect(original).to_have_count(1)
    sync_api.expect(original.locator("circle.original-ring")).to_have_count(1)
    for copy_id in derived:  # every copy is a node of the graph, and not marked original
        node = graph.locator(f'a[href="/articles/{copy_id}"]')
        sync_api.expect(node).to_have_count(1)
        sync_api.expect(node.locator("circle.original-ring")).to_have_count(0)
    assert graph.locator("path").count() >= len(derived)  # an edge into each copy
    _shot(page, "web-story.png")

    herald = _article_by_origin(live.url, "meridianherald_portvale_fire.html")
    assert herald in derived
    graph.locator(f'a[href="/articles/{herald}"] circle.node').click()
    page.wait_for_url(f"**/articles/{herald}")
    _check_side_by_side(live.url, page, herald, wire)
    page.locator("section.beside").first.evaluate("e => e.scrollIntoView()")
    _shot(page, "web-article.png")


def _article_by_origin(base: str, name: str) -> str:
    arts = httpx.get(f"{base}/api/articles", params={"limit": 500}).json()["items"]
    return next(a["id"] for a in arts if a["origin_file"] == name)


def _check_side_by_side(base: str, page: Any, article_id: str, source_id: str) -> None:
    """The copy's text beside its source: aligned rows, verbatim marks, finding marks."""
    source_text = httpx.get(f"{base}/api/articles/{source_id}").json()["text"]
    table = page.locator("section.beside table.sbs").first
    sync_api.expect(table).to_be_visible()
    pairs = table.locator("tr.pair")
    assert pairs.count() >= 2
    left = pairs.first.locator("td.source").inner_text().strip()
    right = pairs.first.locator("td.derived").inner_text().strip()
    assert left and right and left[:30] in source_text
    assert table.locator("span.verbatim").count() >= 1  # an excerpt copies word for word
    findings = httpx.get(f"{base}/api/articles/{article_id}/lineage").json()["findings"]
    located = [f for f in findings if f["derived_span"]]
    assert page.locator("ol.findings li").count() == len(findings)
    if located:  # whatever findings exist are marked in the text and numbered
        assert page.locator("mark.finding").count() >= 1
        assert page.locator("sup.fref").count() >= 1


def test_hostile_pages_run_no_script(hostile: Any, page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    story = httpx.get(f"{hostile.url}/api/stories").json()["items"][0]
    paths = ["/", "/outlets", story["page"], *(f"/articles/{i}" for i in story["articles"])]
    for path in paths:
        page.goto(hostile.url + path, wait_until="load")
        assert page.locator("img[src='x']").count() == 0, path
        assert page.locator("main script").count() == 0, path
    page.goto(f"{hostile.url}/articles/{story['original']}", wait_until="load")
    heading = page.locator("h1").inner_text()
    assert "<script>alert(1)</script>" in heading  # shown as text, not run
    page.wait_for_timeout(200)  # give a stray onerror handler time to fire
    assert dialogs == []


def test_summary_sentences_beside_their_support(
    summary_report: tuple[Path, str, str], page: Any, tmp_path: Path
) -> None:
    """The static report's page of a digest: each sentence beside the source sentence that
    supports it, the wrong figure and name flagged on their sentence with the source's words."""
    report, _, digest = summary_report
    page.goto((report / f"article-{digest}.html").as_uri())
    section = page.locator("section.supportcheck")
    sync_api.expect(section).to_be_visible()
    rows = section.locator("tr.checked")
    sync_api.expect(rows).to_have_count(5)
    figure = rows.nth(1)
    sync_api.expect(figure.locator("td.derived mark.finding")).to_contain_text("9.7 million")
    sync_api.expect(figure.locator("ul.on-sentence")).to_contain_text("number_changed")
    sync_api.expect(figure.locator("td.support mark.finding")).to_have_text("2.4 million pounds")
    name = rows.nth(2)
    sync_api.expect(name.locator("ul.on-sentence")).to_contain_text("name_changed")
    sync_api.expect(name.locator("blockquote.support-sent")).to_contain_text("Marta Quillon")
    sync_api.expect(rows.nth(4).locator("ul.on-sentence")).to_contain_text("unsourced_sentence")
    sync_api.expect(rows.nth(0).locator("ul.on-sentence")).to_have_count(0)
    sync_api.expect(rows.nth(0).locator("blockquote.support-sent")).to_contain_text(
        "voted on Tuesday to close the Elm Street library"
    )
    # a finding's number in the sentence leads to its entry in the findings list
    figure.locator("ul.on-sentence a").first.click()
    assert page.evaluate("location.hash").startswith("#finding-")
    section.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=str(tmp_path / "summary.png"))
    _shot(page, "report-summary.png")
