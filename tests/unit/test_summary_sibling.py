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
from newslineage.lineage.sibling_fit import fit_sibling, picks, proposals
from newslineage.lineage.summary import Cover, is_story_link
from newslineage.lineage.summary_fit import GateRow
from newslineage.model import Relation

# a sibling summary of the bridge report that the lineage found derived from it
SIBLING = replace(ONE_LINER, id="sib", text="Mill Street bridge in Harwick closes for repairs.")
DERIVED = Relation("bridge", "sib", "rewrite", 0.8, 0.1, 0.9, {})
BY_ID = {a.id: a for a in (BRIDGE, FLOOD, ONE_LINER, SIBLING)}
PAIR = [Candidate("blurb", "sib", frozenset({"semantic"}), 0.7, (("semantic", 0.7),))]


def _gate(tmp_path, monkeypatch, cut: float | None, rarity: float | None = None) -> None:
    data: dict = {"novel_share": 0.1}
    if cut is not None:
        data["sibling"] = {"min_cosine": cut, "model": "use"}
        if rarity is not None:
            data["sibling"]["min_rarity"] = rarity
    (tmp_path / "summary_gate.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("NEWSLINEAGE_DECISIONS", str(tmp_path))


def _links(cosine: float, cover: dict, rarity: float | None = None) -> list[Relation]:
    def rare(short: object, sources: list[str]) -> dict[str, float | None]:
        return {s: rarity for s in sources}

    rule = None if rarity is None else rare
    return sibling_story_links(PAIR, [DERIVED], BY_ID, lambda a, b: cosine, cover, rule)


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
    assert picks(props, None) == [(0.8, True, "frank"), (0.7, True, "frank"), (0.6, False, "frank")]
    assert fit_sibling(props, 0.95) == (0.7, None)
    wrong_only = proposals([_sib("w", "x", 0.6)], rows, lambda r: r.share <= 0.5)
    assert fit_sibling(wrong_only, 0.95) is None


def _reach(short: str, source: str, rarity: float) -> GateRow:
    return GateRow("frank", short, 0.0, False, source=source, short=short, rarity=rarity,
                   sibling=True, reach=True)  # fmt: skip


def test_the_fit_reads_the_rarity_where_the_cover_channel_missed_the_source() -> None:
    """One-liners whose own article is not among their five best cover targets: the fit
    admits them by the rarity of their terms in it when that links more of them to their own
    source at the precision floor, and keeps out the one whose rarest terms it lacks."""
    rows = [_row("x", "A", True, True)]
    for s in ("u", "v", "w"):  # no cover row of their own article: the channel missed it
        rows.append(GateRow("frank", s, 1.0, True, source="A", short=s, own=True))
    rows.append(GateRow("frank", "z", 1.0, False, source="B", short="z", own=True))
    sib = [_sib(s, "x", 0.7) for s in ("u", "v", "w", "z")]
    sib += [_reach("u", "A", 0.8), _reach("v", "A", 0.7), _reach("w", "A", 0.6)]
    sib += [_reach("z", "A", 0.2)]  # A holds none of z's names: another article's one-liner
    props = proposals(sib, rows, lambda r: r.share <= 0.5)
    assert picks(props, None) == []  # the cover channel alone links none
    cut, rarity = fit_sibling(props, 0.95) or (None, None)
    assert cut == 0.7 and rarity is not None and 0.2 < rarity <= 0.6  # z's 0.2 stays out
    assert picks(props, rarity) == [(0.7, True, "frank")] * 3


def test_a_one_liner_joins_its_siblings_source_by_the_rarity_of_its_terms_there(
    tmp_path, monkeypatch
) -> None:
    _gate(tmp_path, monkeypatch, 0.6, rarity=0.5)
    (link,) = _links(0.7, {}, rarity=0.8)  # the cover channel did not pair it with "bridge"
    assert (link.source, link.derived) == ("bridge", "blurb") and is_story_link(link)
    assert _links(0.7, {}, rarity=0.3) == []  # the source lacks its rarest terms
    assert _links(0.5, {}, rarity=0.9) == []  # the cosine cut still holds
    _gate(tmp_path, monkeypatch, 0.6)  # a rule fitted without a rarity cut: cover only
    assert _links(0.7, {}, rarity=0.9) == []


def test_a_text_others_are_derived_from_is_not_linked(tmp_path, monkeypatch) -> None:
    """An article summarised by its own short texts is not a blurb of a longer one, however
    close in meaning one of them is to a summary of that longer article."""
    _gate(tmp_path, monkeypatch, 0.6, rarity=0.5)
    summary_of_blurb = Relation("blurb", "other", "rewrite", 0.8, 0.1, 0.9, {})
    other = replace(ONE_LINER, id="other", text="Bridge shut.")
    by_id = {**BY_ID, "other": other}
    covered = {("bridge", "blurb"): Cover(0.2, 0.0)}
    got = sibling_story_links(PAIR, [DERIVED, summary_of_blurb], by_id, lambda a, b: 0.9, covered)
    assert got == []


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
