"""The story's graphs as inline SVG: the lineage graph (time across, one lane per outlet) and
the index's one-line timeline, both on a time axis whose gaps are compressed logarithmically.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ...model import Article, Relation, Story
from ...readmodel import ReadModel, is_derivation
from ...text.dates import as_utc
from .shell import (
    _EXTERNAL_STYLE,
    KIND_STYLES,
    UNKNOWN_OUTLET,
    Links,
    _e,
    _fmt_time,
    _kind_style,
    _line_swatch,
    _links,
    _outlet,
    _short,
    _title,
    _when,
)

_MINUTE = 60.0


def _time_key(t: datetime | None) -> float | None:
    return None if t is None else math.floor(as_utc(t).timestamp() / _MINUTE)


def time_units(times: Iterable[datetime | None]) -> dict[float | None, float]:
    """Position (in column units) of each distinct minute; unknown times go last.

    Each step is 1 + 0.4·log10(1 + gap in hours): articles a minute apart sit one column
    apart, a day adds ~0.55, a year ~1.6, so the order and the size of gaps both show.

    >>> from datetime import UTC
    >>> t = datetime(2025, 1, 1, tzinfo=UTC)
    >>> list(time_units([t, t, None]).values())
    [0.0, 1.0]
    """
    all_keys = [_time_key(t) for t in times]
    keys = sorted({k for k in all_keys if k is not None})
    out: dict[float | None, float] = {}
    x = 0.0
    for i, k in enumerate(keys):
        if i:
            gap_hours = (k - keys[i - 1]) / 60.0
            x += 1.0 + 0.4 * math.log10(1.0 + gap_hours)
        out[k] = x
    if None in all_keys:
        out[None] = x + 1.0 if keys else 0.0
    return out


_LEFT = 150  # lane labels


_COL = 150  # px per column unit


_ROW = 78  # px per node row inside a lane


_TOP = 34


_R = 9  # node radius


@dataclass(frozen=True, slots=True)
class _Node:
    id: str
    x: float
    y: float
    article: Article | None  # None: the external origin


def _layout(
    members: Sequence[Article], external: str | None
) -> tuple[dict[str, _Node], list[tuple[str, float, float]], dict[float | None, float], float]:
    """Nodes placed by time (x) and outlet lane (y); lanes as (label, top, height)."""
    times = [_when(a) for a in members]
    units = time_units(times)
    # the external box sits right of the lane labels; articles start one column after it
    ext_w = _external_width(external) if external else 0.0
    shift = (ext_w + 20) / _COL if external else 0.0
    lane_of: dict[str, list[Article]] = defaultdict(list)
    for a in sorted(members, key=lambda a: (units[_time_key(_when(a))], a.id)):
        lane_of[_outlet(a.outlet)].append(a)
    lanes: list[tuple[str, float, float]] = []
    nodes: dict[str, _Node] = {}
    top = _TOP
    if external:
        nodes["@external"] = _Node("@external", _LEFT + 10 + ext_w / 2, top + 26, None)
        lanes.append(("outside the corpus", top, _ROW))
        top += _ROW
    for label, arts in lane_of.items():
        stacks: dict[float, int] = defaultdict(int)
        for a in arts:
            u = units[_time_key(_when(a))] + shift
            level = stacks[u]
            stacks[u] += 1
            nodes[a.id] = _Node(a.id, _LEFT + 50 + u * _COL, top + 26 + level * _ROW, a)
        height = max(stacks.values()) * _ROW
        lanes.append((label, top, height))
        top += height
    return nodes, lanes, {k: v + shift for k, v in units.items()}, top


def _edge_path(a: _Node, b: _Node) -> tuple[str, float, float]:
    """A cubic curve from a's right to b's left (or looping right when b is not later)."""
    x1, y1 = a.x + _R, a.y
    if b.x - a.x > 2 * _R + 10:
        x2, y2 = b.x - _R - 2, b.y
        dx = (x2 - x1) / 2
        c1, c2 = (x1 + dx, y1), (x2 - dx, y2)
    else:  # same column (stacked) or earlier: bulge to the right
        x2, y2 = b.x + _R + 2, b.y
        bulge = 60 + abs(y2 - y1) * 0.15
        c1, c2 = (x1 + bulge, y1), (x2 + bulge, y2)
    mx = (x1 + 3 * c1[0] + 3 * c2[0] + x2) / 8
    my = (y1 + 3 * c1[1] + 3 * c2[1] + y2) / 8
    d = f"M{x1:.1f},{y1:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {x2:.1f},{y2:.1f}"
    return d, mx, my


def _external_targets(story: Story, members: Sequence[Article], derived: set[str]) -> list[str]:
    """Articles the external origin points at: roots that credit or link it, else all roots."""
    roots = [a for a in members if a.id not in derived]
    origin = (story.external_origin or "").lower()
    naming = [
        a for a in roots if any(origin in (x or "").lower() for x in (a.via, *a.links, *a.credits))
    ]
    return [a.id for a in (naming or roots)]


def _node_title(a: Article, story: Story, data: ReadModel) -> str:
    lines = [_title(a, 120), f"outlet: {_outlet(a.outlet)}"]
    lines.append(
        f"published {_fmt_time(a.published)}"
        if a.published
        else f"undated (first seen {_fmt_time(a.first_seen)})"
    )
    if a.id == story.original:
        lines.append("the original of this story")
    for r in data.sources_of(a.id):
        lines.append(
            f"{r.kind} of {r.source[:10]}: coverage {r.coverage:.0%}, confidence {r.confidence:.2f}"
        )
    n = len(data.findings_of(a.id))
    if n:
        lines.append(f"{n} finding(s)")
    return "\n".join(lines)


def _svg_node(node: _Node, story: Story, data: ReadModel, links: Links) -> str:
    a = node.article
    if a is None:
        return _svg_external(node, story)
    undated = a.published is None
    original = a.id == story.original
    parts = [
        f'<a href="{_e(links.article(a.id))}"><title>{_e(_node_title(a, story, data))}</title>'
    ]
    if original:
        parts.append(
            f'<circle cx="{node.x:.1f}" cy="{node.y:.1f}" r="{_R + 5}" fill="none" '
            'stroke="#1d1d1f" stroke-width="2" class="original-ring"/>'
            f'<text x="{node.x:.1f}" y="{node.y - _R - 9:.1f}" text-anchor="middle" '
            'font-size="10.5" font-weight="700" letter-spacing=".06em" class="halo">ORIGINAL</text>'
        )
    fill = "#1d1d1f" if original else "#ffffff"
    dash = ' stroke-dasharray="3 2"' if undated else ""
    parts.append(
        f'<circle class="node" cx="{node.x:.1f}" cy="{node.y:.1f}" r="{_R}" fill="{fill}" '
        f'stroke="#1d1d1f" stroke-width="2"{dash}/>'
    )
    when = "undated · seen " + _fmt_time(a.first_seen, False) if undated else ""
    when = when or _fmt_time(a.published, False)
    parts.append(
        f'<text x="{node.x:.1f}" y="{node.y + _R + 14:.1f}" text-anchor="middle" font-size="11.5" '
        f'fill="#1d1d1f" class="halo">{_e(_short(_title(a), 26))}</text>'
        f'<text x="{node.x:.1f}" y="{node.y + _R + 27:.1f}" text-anchor="middle" font-size="10" '
        f'fill="#5f6368" class="halo"{" font-style=italic" if undated else ""}>{_e(when)}</text>'
    )
    n = len(data.findings_of(a.id))
    if n:
        bx, by = node.x + _R - 1, node.y - _R - 8
        parts.append(
            f'<rect x="{bx:.1f}" y="{by:.1f}" width="{10 + 6 * len(str(n))}" height="13" rx="6.5" '
            f'fill="#D55E00"/><text x="{bx + 5 + 3 * len(str(n)):.1f}" y="{by + 10:.1f}" '
            f'text-anchor="middle" font-size="9.5" font-weight="700" fill="#fff">{n}</text>'
        )
    parts.append("</a>")
    return "".join(parts)


def _external_width(name: str) -> float:
    return max(80.0, 7.0 * len(_short(name, 28)) + 16)


def _svg_external(node: _Node, story: Story) -> str:
    name = story.external_origin or "external source"
    w = _external_width(name)
    return (
        f"<g><title>{_e('origin outside the corpus: ' + name)}</title>"
        f'<rect x="{node.x - w / 2:.1f}" y="{node.y - 12:.1f}" width="{w}" height="24" rx="4" '
        'fill="#f6f7f9" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{node.x:.1f}" y="{node.y + 4:.1f}" text-anchor="middle" font-size="11.5">'
        f"{_e(_short(name, 28))}</text>"
        f'<text x="{node.x:.1f}" y="{node.y + 27:.1f}" text-anchor="middle" font-size="10" '
        'fill="#5f6368">external origin</text></g>'
    )


def _svg_edge(r: Relation, a: _Node, b: _Node) -> str:
    colour, dash = _kind_style(r.kind)
    d, mx, my = _edge_path(a, b)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    tip = (
        f"{r.kind}: {r.source[:10]} -> {r.derived[:10]}\ncoverage {r.coverage:.0%}, "
        f"verbatim {r.verbatim_share:.0%}, confidence {r.confidence:.2f}"
    )
    if r.kind == "same_story":
        return (
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.2"{dash_attr} '
            f'class="edge same_story"><title>{_e(tip)}</title></path>'
        )
    label = f"{r.kind} {r.coverage:.0%}"
    return (
        f'<g class="edge {_e(r.kind)}"><title>{_e(tip)}</title>'
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.6"{dash_attr} '
        f'marker-end="url(#arrow-{_e(r.kind)})"/>'
        f'<text x="{mx:.1f}" y="{my - 4:.1f}" text-anchor="middle" font-size="10.5" '
        f'fill="{colour}" font-weight="600" class="halo">{_e(label)}</text></g>'
    )


def _svg_markers(kinds: Iterable[str]) -> str:
    out = []
    for kind in sorted(set(kinds)):
        colour, _ = _kind_style(kind)
        out.append(
            f'<marker id="arrow-{_e(kind)}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse" markerUnits="userSpaceOnUse"'
            f' style="overflow:visible"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    return "<defs>" + "".join(out) + "</defs>"


def lineage_svg(data: ReadModel, story: Story, links: Links | str | None = None) -> str:
    """The story's lineage graph as inline SVG: time across, one lane per outlet."""
    links = _links(links)
    members = [data.articles[i] for i in story.articles if i in data.articles]
    ids = {a.id for a in members}
    rels = [r for r in data.relations_within(story) if r.source in ids]
    nodes, lanes, units, bottom = _layout(members, story.external_origin)
    width = max(n.x for n in nodes.values()) + 150 if nodes else 400
    height = bottom + 44
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" class="lineage" '
        f'aria-label="{_e("Lineage graph of " + (story.title or "this story"))}">',
        _svg_markers([r.kind for r in rels] + ["external"]),
    ]
    out += _svg_lanes(lanes, width)
    out += _svg_axis(members, units, bottom, height)
    for r in sorted(rels, key=lambda r: r.kind != "same_story"):  # faint links underneath
        out.append(_svg_edge(r, nodes[r.source], nodes[r.derived]))
    if story.external_origin:
        derived = {r.derived for r in rels if is_derivation(r)}
        for target in _external_targets(story, members, derived):
            out.append(_svg_external_edge(story, nodes["@external"], nodes[target]))
    out += [_svg_node(n, story, data, links) for n in nodes.values()]
    out.append("</svg>")
    return "".join(out)


def _svg_external_edge(story: Story, a: _Node, b: _Node) -> str:
    right = a.x + _external_width(story.external_origin or "") / 2 - _R
    d, _, _ = _edge_path(_Node(a.id, right, a.y, None), b)
    colour, dash = _EXTERNAL_STYLE
    tip = f"taken from {story.external_origin} (credited or linked), outside the corpus"
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}"'
        f' marker-end="url(#arrow-external)" class="edge external"><title>{_e(tip)}</title></path>'
    )


def _svg_lanes(lanes: list[tuple[str, float, float]], width: float) -> list[str]:
    out = []
    for i, (label, top, h) in enumerate(lanes):
        fill = "#f6f7f9" if i % 2 == 0 else "#ffffff"
        style = ' font-style="italic" fill="#5f6368"' if label == UNKNOWN_OUTLET else ""
        out.append(
            f'<rect x="0" y="{top:.1f}" width="{width:.0f}" height="{h:.1f}" fill="{fill}"/>'
            f'<text x="12" y="{top + 30:.1f}" font-size="12" font-weight="600"{style}>'
            f"{_e(_short(label, 22))}</text>"
        )
    return out


def _svg_axis(
    members: Sequence[Article], units: dict[float | None, float], bottom: float, height: float
) -> list[str]:
    """Tick and date under each column that holds an article."""
    seen: dict[float, list[Article]] = defaultdict(list)
    for a in members:
        seen[units[_time_key(_when(a))]].append(a)
    out = [
        f'<line x1="{_LEFT}" y1="{bottom + 6:.1f}" x2="{_LEFT + 50 + max(seen, default=0) * _COL + 40:.1f}" '
        f'y2="{bottom + 6:.1f}" stroke="#9aa0a6"/>'
    ]
    for u, arts in sorted(seen.items()):
        x = _LEFT + 50 + u * _COL
        t = _when(arts[0])
        label = _fmt_time(t, False) if t else "?"
        if all(a.published is None for a in arts):
            label = "seen " + label
        out.append(
            f'<line x1="{x:.1f}" y1="{bottom + 2:.1f}" x2="{x:.1f}" y2="{bottom + 10:.1f}" stroke="#9aa0a6"/>'
            f'<text x="{x:.1f}" y="{bottom + 24:.1f}" text-anchor="middle" font-size="10.5" '
            f'fill="#5f6368">{_e(label)}</text>'
        )
    out.append(f'<text x="12" y="{bottom + 24:.1f}" font-size="10.5" fill="#5f6368">time →</text>')
    return out


_LEGEND_ORIGINAL = (
    '<li><svg width="30" height="30" viewBox="0 0 30 30" aria-hidden="true"><circle cx="15" '
    'cy="15" r="13" fill="none" stroke="#1d1d1f" stroke-width="2"/><circle cx="15" cy="15" '
    'r="8" fill="#1d1d1f"/></svg><span>original</span></li>'
)


_LEGEND_UNDATED = (
    '<li><svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true"><circle cx="11" '
    'cy="11" r="8" fill="#fff" stroke="#1d1d1f" stroke-width="2" stroke-dasharray="3 2"/></svg>'
    "<span>undated: placed where first seen</span></li>"
)


_LEGEND_FINDINGS = (
    '<li><svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true"><rect x="1" y="0" '
    'width="20" height="13" rx="6.5" fill="#D55E00"/><text x="11" y="10" text-anchor="middle" '
    'font-size="9.5" font-weight="700" fill="#fff">3</text></svg><span>number of findings</span></li>'
)


def _graph_legend(
    kinds: Iterable[str],
    external: bool,
    undated: bool = True,
    findings: bool = True,
    original: bool = True,
) -> str:
    """Only what the graph shows: its relation kinds, and the markers it uses."""
    items = []
    for kind in [k for k in KIND_STYLES if k in set(kinds)]:
        colour, dash, meaning = KIND_STYLES[kind]
        swatch = _line_swatch(
            colour, dash, 1.2 if kind == "same_story" else 2.5, kind != "same_story"
        )
        items.append(f"<li>{swatch}<span><b>{_e(kind)}</b>: {_e(meaning)}</span></li>")
    if external:
        items.append(
            f"<li>{_line_swatch(*_EXTERNAL_STYLE, 1.6)}<span><b>external</b>: taken from a source "
            "outside the corpus</span></li>"
        )
    items += [_LEGEND_ORIGINAL] if original else []
    items += [_LEGEND_UNDATED] if undated else []
    items += [_LEGEND_FINDINGS] if findings else []
    return '<ul class="legend" aria-label="legend">' + "".join(items) + "</ul>"


def timeline_svg(data: ReadModel, story: Story, width: int = 220) -> str:
    """A one-line timeline: a dot per article, the original ringed, undated ones dashed."""
    members = [data.articles[i] for i in story.articles if i in data.articles]
    units = time_units([_when(a) for a in members])
    span = max(units.values(), default=0.0) or 1.0
    kind_of = {a.id: srcs[0].kind for a in members if (srcs := data.sources_of(a.id))}
    out = [
        f'<svg width="{width}" height="26" viewBox="0 0 {width} 26" role="img" class="timeline" '
        f'aria-label="timeline of {len(members)} article(s)">'
        f'<line x1="8" y1="13" x2="{width - 8}" y2="13" stroke="#c4c7cc"/>'
    ]
    stack: dict[float, int] = defaultdict(int)
    for a in sorted(members, key=lambda a: a.id != story.original):
        u = units[_time_key(_when(a))]
        x = 10 + (width - 30) * (u / span if len(units) > 1 else 0.5)
        x += 5 * min(stack[u], 3)  # several at one time: nudge so each shows
        stack[u] += 1
        colour = "#1d1d1f" if a.id == story.original else _kind_style(kind_of.get(a.id, ""))[0]
        if a.id not in kind_of and a.id != story.original:
            colour = "#ffffff"
        dash = ' stroke-dasharray="2 1.5"' if a.published is None else ""
        ring = (
            f'<circle cx="{x:.1f}" cy="13" r="8.5" fill="none" stroke="#1d1d1f" stroke-width="1.5"/>'
            if a.id == story.original
            else ""
        )
        tip = f"{_title(a, 80)} · {_outlet(a.outlet)} · " + (
            _fmt_time(a.published) if a.published else "undated"
        )
        out.append(
            f'<g><title>{_e(tip)}</title>{ring}<circle cx="{x:.1f}" cy="13" r="5" '
            f'fill="{colour}" stroke="#1d1d1f" stroke-width="1.2"{dash}/></g>'
        )
    out.append("</svg>")
    return "".join(out)
