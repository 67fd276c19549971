"""The story page: its lineage graph, the derivations with their evidence, its articles."""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Article, Relation, Story
from ...readmodel import ReadModel, is_derivation
from .graph import (
    _graph_legend,
    _time_key,
    lineage_svg,
)
from .shell import (
    Links,
    _article_link,
    _date_cell,
    _e,
    _kind_style,
    _line_swatch,
    _links,
    _original_cell,
    _outlet,
    _page,
    _pct,
    _title,
    _when,
)


def render_story(data: ReadModel, story_id: str, links: Links | str | None = None) -> str:
    """One story: its lineage graph, the relations with their evidence, the articles."""
    links = _links(links)
    story = data.story(story_id)
    members = [data.articles[i] for i in story.articles if i in data.articles]
    ids = {a.id for a in members}
    rels = [r for r in data.relations_within(story) if r.source in ids]
    title = story.title or (_title(members[0]) if members else story.id)
    head = [
        f'<p class="sub"><a href="{_e(links.index())}">Stories</a> › story <span class="id">{_e(story.id)}</span></p>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{len(members)} article(s) from {len({_outlet(a.outlet) for a in members})} '
        f"outlet(s) · original: {_original_cell(data, story, links)}</p>",
        "<h2>Lineage</h2>",
        f'<div class="graph-wrap">{lineage_svg(data, story, links)}</div>',
        _graph_legend(
            [r.kind for r in rels],
            bool(story.external_origin),
            undated=any(a.published is None for a in members),
            findings=any(data.findings_of(a.id) for a in members),
            original=story.original in ids,
        ),
        '<p class="why">Time runs left to right (gaps compressed); one lane per outlet. Hover a '
        "node or an arrow for its kind, coverage and confidence; click a node to read the "
        "article beside its source.</p>",
    ]
    return _page(
        title,
        "".join(
            [
                *head,
                _relations_table(data, rels, links),
                _members_table(data, story, members, links),
            ]
        ),
        links,
    )


def _relations_table(data: ReadModel, rels: Sequence[Relation], links: Links) -> str:
    derivs = sorted((r for r in rels if is_derivation(r)), key=lambda r: -r.confidence)
    if not derivs:
        return (
            "<h2>Derivations</h2><p class=muted>No article in this story was made from another.</p>"
        )
    rows = []
    for r in derivs:
        colour, dash = _kind_style(r.kind)
        rows.append(
            f"<tr><td>{_article_link(data, r.source, links)}</td>"
            f'<td class="nowrap">{_line_swatch(colour, dash)} <b>{_e(r.kind)}</b></td>'
            f"<td>{_article_link(data, r.derived, links)}</td>"
            f'<td class="num">{_pct(r.coverage)}</td><td class="num">{_pct(r.verbatim_share)}</td>'
            f'<td class="num">{r.confidence:.2f}</td><td class="small">{_direction_why(r)}</td></tr>'
        )
    return (
        '<h2>Derivations</h2><table class="data"><thead><tr><th>Source</th><th>Kind</th>'
        '<th>Derived</th><th class="num">Coverage</th><th class="num">Verbatim</th>'
        '<th class="num">Confidence</th><th>Why this direction</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _direction_why(r: Relation) -> str:
    direction = r.evidence.get("direction") if isinstance(r.evidence, dict) else None
    if not isinstance(direction, dict):
        return ""
    whys = [
        str(s.get("why"))
        for s in direction.get("signals", [])
        if isinstance(s, dict) and s.get("favours") == r.source and s.get("why")
    ]
    text = "; ".join(dict.fromkeys(whys))
    if direction.get("disagreement"):
        text += " (signals disagree)"
    return _e(text)


def _members_table(data: ReadModel, story: Story, members: Sequence[Article], links: Links) -> str:
    role = {t.article: t.role for t in story.timeline}
    rows = []
    for a in sorted(members, key=lambda a: (_time_key(_when(a)) or 0, a.id)):
        r = role.get(a.id, "report")
        pill = f'<span class="pill {"original" if r == "original" else ""}">{_e(r)}</span>'
        n = len(data.findings_of(a.id))
        rows.append(
            f"<tr><td class=nowrap>{_date_cell(a)}</td><td>{_e(_outlet(a.outlet))}</td>"
            f"<td>{pill}</td><td>{_article_link(data, a.id, links, 90)}</td>"
            f'<td class="num">{n or "–"}</td></tr>'
        )
    return (
        '<h2>Articles</h2><table class="data"><thead><tr><th>Published</th><th>Outlet</th>'
        '<th>Role</th><th>Article</th><th class="num">Findings</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )
