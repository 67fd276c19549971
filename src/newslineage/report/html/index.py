"""The index page: the story list with originals, copies and timelines, then every article."""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Story
from ...readmodel import ReadModel, is_derivation
from .graph import (
    timeline_svg,
)
from .shell import (
    Links,
    _date_cell,
    _e,
    _links,
    _original_cell,
    _outlet,
    _page,
    _short,
    _title,
)


def render_index(data: ReadModel, links: Links | str | None = None) -> str:
    """The story list: title, original, copies, outlets, a small timeline; then all articles."""
    links = _links(links)
    stats = (
        f'<div class="stats"><div><b>{len(data.articles)}</b>articles</div>'
        f"<div><b>{len(data.stories)}</b>stories</div>"
        f"<div><b>{sum(is_derivation(r) for r in data.relations)}</b>derivations</div>"
        f"<div><b>{len(data.findings)}</b>findings</div>"
        f"<div><b>{len(data.outlets)}</b>outlets</div></div>"
    )
    body = ["<h1>Stories</h1>", stats]
    if not data.stories:
        body.append(
            '<p class="box">No stories yet: add articles and run <code>newslineage analyze</code>.</p>'
        )
    else:
        stories = sorted(data.stories, key=lambda s: (-len(s.articles), s.title or "", s.id))
        body.append(_stories_table(data, stories, links))
    body.append(_all_articles(data, links))
    return _page("Stories", "".join(body), links, "index")


def _stories_table(data: ReadModel, stories: Sequence[Story], links: Links) -> str:
    rows = []
    for s in stories:
        members = [data.articles[i] for i in s.articles if i in data.articles]
        derived = [a for a in s.articles if data.sources_of(a)]
        outlets = sorted({_outlet(a.outlet) for a in members})
        n_find = sum(len(data.findings_of(a)) for a in s.articles)
        title = _e(s.title or _title(members[0]) if members else s.id)
        rows.append(
            f'<tr><td><a href="{_e(links.story(s.id))}"><b>{title}</b></a>'
            f'<div class="small muted">{len(members)} article(s)</div></td>'
            f"<td>{_original_cell(data, s, links)}</td>"
            f'<td class="num">{len(derived)}</td>'
            f'<td class="small">{", ".join(_e(o) for o in outlets)}</td>'
            f'<td class="num">{n_find or "–"}</td>'
            f"<td>{timeline_svg(data, s)}</td></tr>"
        )
    return (
        '<table class="data stories"><thead><tr><th>Story</th><th>Original</th>'
        '<th class="num">Copies</th><th>Outlets</th><th class="num">Findings</th>'
        "<th>Timeline</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _all_articles(data: ReadModel, links: Links) -> str:
    if not data.articles:
        return ""
    rows = []
    for a in data.articles.values():
        story = data.story_of(a.id)
        story_cell = (
            f'<a href="{_e(links.story(story.id))}">{_e(_short(story.title or story.id, 40))}</a>'
            if story
            else ""
        )
        rows.append(
            f'<tr><td><a href="{_e(links.article(a.id))}">{_e(_title(a, 80))}</a></td>'
            f"<td>{_e(_outlet(a.outlet))}</td><td class=nowrap>{_date_cell(a)}</td>"
            f'<td class="small">{story_cell}</td><td class="id">{_e(a.id[:10])}</td></tr>'
        )
    return (
        f"<details><summary>All articles ({len(data.articles)})</summary>"
        '<table class="data"><thead><tr><th>Article</th><th>Outlet</th><th>Published</th>'
        "<th>Story</th><th>Id</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></details>"
    )
