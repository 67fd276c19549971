"""A short text with no source of its own joins the source of a sibling that says the same
(issue #13): several AI summaries of one article are the normal case, and the one that
invents most shares too few words with the article for the gate or the story rule
(``choose.sibling_story_links``, ``summary.sibling_admits``, fitted by ``sibling_fit``)."""

from __future__ import annotations

import json
from dataclasses import replace

from test_cover_channel import BRIDGE, FLOOD, ONE_LINER

from newslineage.index.candidates import Candidate
from newslineage.lineage.choose import sibling_story_links
from newslineage.lineage.sibling_fit import fit_sibling, proposals
from newslineage.lineage.summary import Cover, is_story_link
from newslineage.lineage.summary_fit import GateRow
from newslineage.model import Relation

# a sibling summary of the bridge report that the lineage found derived from it
SIBLING = replace(ONE_LINER, id="sib", text="Mill Street bridge in Harwick closes for repairs.")
DERIVED = Relation("bridge", "sib", "rewrite", 0.8, 0.1, 0.9, {})
BY_ID = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER, SIBLING)}
PAIR = [Candidate("blurb", "sib", frozenset({"semantic"}), 0.7, (("semantic", 0.7),))]


def _gate(tmp_path, monkeypatch, cut: float | None) -> None:
    data: dict = {"novel_share": 0.1}
    if cut is not None:
        data["sibling"] = {"min_cosine": cut, "model": "use"}
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))


def _links(cosine: float, cover: dict) -> list[Relation]:
    return sibling_story_links(PAIR, [DERIVED], BY_ID, lambda a, b: cosine, cover)


def test_a_one_liner_joins_the_source_of_the_sibling_that_says_the_same(
    tmp_path, monkeypatch
) -> None:
    _gate(tmp_path, monkeypatch, 0.6)
    covered = {("bridge", "blurb"): Cover(0.2, 0.0)}
    (link,) = _links(0.7, covered)
    assert (link.source, link.derived, link.kind) == ("bridge", "blurb", "same_story")
    assert is_story_link(link) and link.evidence["sibling"] == "sib"
    assert _links(0.5, covered) == []  # below the fitted cut
    assert _links(0.7, {}) == []  # the cover channel did not find its words in the source
    _gate(tmp_path, monkeypatch, None)
    assert _links(0.9, covered) == []  # no fitted rule: nothing links it


def test_a_short_text_with_a_source_is_not_moved(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, 0.6)
    own = Relation("flood", "blurb", "excerpt", 0.9, 0.9, 0.9, {})
    covered = {("bridge", "blurb"): Cover(0.2, 0.0)}
    got = sibling_story_links(PAIR, [DERIVED, own], BY_ID, lambda a, b: 0.9, covered)
    assert got == []


def _row(short: str, source: str, own: bool, joined: bool) -> GateRow:
    # share 0 passes a gate of novel share 0.5, 1 does not
    return GateRow("frank", short, 0.0 if joined else 1.0, own, 0.3, 0.1, source=source,
                   short=short, own=own)  # fmt: skip


def _sib(short: str, other: str, cosine: float) -> GateRow:
    return GateRow("frank", short, 0.0, False, source=other, short=short, cosine=cosine,
                   sibling=True)  # fmt: skip


def test_the_sibling_cut_is_the_least_one_that_keeps_precision() -> None:
    rows = [_row("x", "A", True, True), _row("y", "B", True, True)]
    # three free one-liners: u and v tell A's story, w tells B's but leads close to x
    for s, own in (("u", "A"), ("v", "A"), ("w", "B")):
        rows += [_row(s, own, True, False), _row(s, "A", False, False)]
    sib = [_sib("u", "x", 0.8), _sib("v", "x", 0.7), _sib("w", "x", 0.6)]
    props = proposals(sib, rows, lambda r: r.share <= 0.5)
    assert sorted(props) == [(0.6, False, "frank"), (0.7, True, "frank"), (0.8, True, "frank")]
    assert fit_sibling(props, 0.95) == 0.7
    assert fit_sibling([(0.6, False, "frank")], 0.95) is None


def test_a_linked_one_liner_derived_from_a_sibling_is_checked_against_the_link(
    tmp_path, monkeypatch
) -> None:
    """A one-liner read as a rewrite of a sibling that reached no longer text: the chain
    finds no source to check it against, the story link names one."""
    from test_summary_story import WRONG

    from newslineage.drift.story import find_story_drift
    from newslineage.model import Story

    _gate(tmp_path, monkeypatch, 0.6)
    lonely = replace(SIBLING, text="Harwick's Mill Street bridge shuts for repairs, Mayor says.")
    by_sibling = Relation("sib", "wrong", "rewrite", 0.6, 0.2, 0.7, {})
    link = Relation("bridge", "wrong", "same_story", 0.0, 0.0, 0.45, {"summary_story": True})
    story = Story("s", None, ("bridge", "sib", "wrong"), "bridge")
    articles = {"bridge": BRIDGE, "sib": lonely, "wrong": WRONG}
    found = find_story_drift(story, articles, [by_sibling, link])
    assert any(f.source_article == "bridge" and f.article == "wrong" for f in found)
    unlinked = find_story_drift(story, articles, [by_sibling])
    assert not any(f.source_article == "bridge" and f.article == "wrong" for f in unlinked)
