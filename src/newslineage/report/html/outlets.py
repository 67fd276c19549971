"""The outlets page: how much of each outlet is its own, whether it credits, how far behind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ...model import Article
from ...readmodel import ReadModel
from .shell import (
    Links,
    _article_link,
    _e,
    _lag,
    _links,
    _page,
    _pct,
)


def render_outlets(data: ReadModel, links: Links | str | None = None) -> str:
    """Outlet profiles: how much is their own, whether they credit, how far behind they run."""
    links = _links(links)
    body = ["<h1>Outlets</h1>"]
    if not data.outlets:
        body.append(
            '<p class="box">No outlet is known yet (articles without an outlet are not profiled).</p>'
        )
    else:
        by_outlet: dict[str, list[Article]] = defaultdict(list)
        for a in data.articles.values():
            by_outlet[a.outlet or ""].append(a)
        rows = []
        for p in data.outlets:
            farm = '<span class="pill farm">content-farm pattern</span>' if p.content_farm else ""
            rows.append(
                f'<tr><td><b>{_e(p.outlet)}</b> {farm}<div class="why">{_e(p.explanation)}</div>'
                f"{_outlet_articles(data, by_outlet[p.outlet], links)}</td>"
                f'<td class="num">{p.articles}</td><td class="num">{_pct(p.original_share)}</td>'
                f'<td class="num">{_pct(p.derived_share)}</td><td class="num">{_pct(p.attribution_rate)}</td>'
                f'<td class="num">{"–" if p.findings_per_derived is None else f"{p.findings_per_derived:.1f}"}</td>'
                f'<td class="num">{_e(_lag(p.median_lag_hours))}</td></tr>'
            )
        body.append(
            '<table class="data outlets"><thead><tr><th>Outlet</th><th class="num">Articles</th>'
            '<th class="num">Original</th><th class="num">Derived</th><th class="num">Attribution</th>'
            '<th class="num">Findings / derived</th><th class="num">Median lag</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
        )
    unknown = sum(1 for a in data.articles.values() if not a.outlet)
    if unknown:
        body.append(
            f'<p class="muted">{unknown} article(s) with an unknown outlet are not profiled.</p>'
        )
    body.append(
        '<p class="why">Original and derived shares are within this corpus. Attribution: share of '
        "derived articles that credit or link their source. The content-farm pattern is raised "
        "when most of an outlet's articles are derived and few credit their source; the line "
        "under each outlet gives the evidence.</p>"
    )
    return _page("Outlets", "".join(body), links, "outlets")


def _outlet_articles(data: ReadModel, arts: Sequence[Article], links: Links) -> str:
    items = "".join(f"<li>{_article_link(data, a.id, links, 80)}</li>" for a in arts)
    return f'<details class="small"><summary>articles</summary><ul class="plain">{items}</ul></details>'
