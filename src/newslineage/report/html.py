"""The HTML report: stories, lineage graphs, articles beside their sources, outlets.

Four pure page renderers (the static report and the web app serve the same pages) over a
:class:`ReportData` snapshot of the store, and :func:`write_report`, which writes them as a
static site that opens from disk: CSS is inlined, graphs are computed inline SVG, nothing is
fetched and JavaScript is never needed. Every string that came from an input is escaped;
links from inputs are only made clickable when they are http(s).

>>> from newslineage.store import open_store
>>> page = render_index(ReportData.from_store(open_store(":memory:")))
>>> "No stories yet" in page
True
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlsplit

from ..align import align_articles, sentences_of
from ..errors import InputError
from ..model import (
    DERIVATION_KINDS,
    AlignedPair,
    Alignment,
    Article,
    Finding,
    OutletProfile,
    Relation,
    Story,
)
from ..outlets import profile_outlets
from ..store.base import Store

__all__ = [
    "KIND_STYLES",
    "Links",
    "ReportData",
    "render_article",
    "render_index",
    "render_outlets",
    "render_story",
    "write_report",
]

UNKNOWN_OUTLET = "unknown outlet"

# ---------------------------------------------------------------------------------------
# data


@dataclass(frozen=True, slots=True)
class ReportData:
    """A read-only snapshot of what the report shows; alignments are computed on demand.

    >>> from newslineage.store import open_store
    >>> ReportData.from_store(open_store(":memory:")).stories
    ()
    """

    articles: Mapping[str, Article]
    relations: tuple[Relation, ...]
    stories: tuple[Story, ...]
    findings: tuple[Finding, ...]
    outlets: tuple[OutletProfile, ...]
    # (source id, derived id) -> alignment; filled lazily, never part of equality
    # (source id, derived id) -> alignment, and lookup tables: filled lazily, private to one
    # instance (init=False: dataclasses.replace() starts them afresh)
    alignments: dict[tuple[str, str], Alignment] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lookups: dict[str, dict[str, list[Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_store(cls, store: Store) -> ReportData:
        """Read articles, relations, stories and findings once; profile the outlets."""
        articles = list(store.iter_articles())
        relations = store.relations()
        findings = store.findings()
        return cls(
            articles=MappingProxyType({a.id: a for a in articles}),
            relations=tuple(relations),
            stories=tuple(store.stories()),
            findings=tuple(findings),
            outlets=tuple(profile_outlets(articles, relations, findings)),
        )

    def article(self, article_id: str) -> Article:
        found = self.articles.get(article_id)
        if found is None:
            raise InputError(
                article_id, "no article with this id in the store", "pick one from the index page"
            )
        return found

    def story(self, story_id: str) -> Story:
        for s in self.stories:
            if s.id == story_id:
                return s
        raise InputError(
            story_id, "no story with this id in the store", "pick one from the index page"
        )

    def _lookup(self, name: str, article_id: str) -> list[Any]:
        """Records by article id (built once per table: pages ask per article)."""
        if name not in self._lookups:
            table: dict[str, list[Any]] = defaultdict(list)
            if name == "stories":
                for s in self.stories:
                    for a in s.articles:
                        table[a].append(s)
            elif name == "findings":
                for f in self.findings:
                    table[f.article].append(f)
            elif name == "touching":
                for r in self.relations:
                    table[r.source].append(r)
            else:  # "into" / "from": derivation relations by derived / source article
                for r in self.relations:
                    if _derivation(r):
                        table[r.derived if name == "into" else r.source].append(r)
            self._lookups[name] = dict(table)
        return self._lookups[name].get(article_id, [])

    def relations_within(self, story: Story) -> list[Relation]:
        """Every relation (same-story links too) between two members of the story."""
        ids = set(story.articles)
        return [
            r
            for a in story.articles
            for r in self._lookup("touching", a)
            if r.source == a and r.derived in ids
        ]

    def story_of(self, article_id: str) -> Story | None:
        return next(iter(self._lookup("stories", article_id)), None)

    def sources_of(self, article_id: str) -> list[Relation]:
        """Derivation relations into the article, strongest first."""
        rels = self._lookup("into", article_id)
        return sorted(rels, key=lambda r: (-r.coverage, r.source))

    def copies_of(self, article_id: str) -> list[Relation]:
        return list(self._lookup("from", article_id))

    def findings_of(self, article_id: str) -> list[Finding]:
        found = self._lookup("findings", article_id)
        return sorted(found, key=lambda f: (f.derived_span or (10**12, 0), f.kind, f.message))

    def alignment(self, source_id: str, derived_id: str) -> Alignment:
        """``align_articles(source, derived)``, cached per pair."""
        key = (source_id, derived_id)
        if key not in self.alignments:
            self.alignments[key] = align_articles(self.article(source_id), self.article(derived_id))
        return self.alignments[key]


def _derivation(r: Relation) -> bool:
    return r.kind in DERIVATION_KINDS


@dataclass(frozen=True, slots=True)
class Links:
    """Where pages live. Templates take ``{id}``; every link starts with ``prefix``.

    The defaults are the static report's relative file names; the web app maps them to
    its routes.

    >>> Links().story("s1")
    'story-s1.html'
    >>> Links(prefix="/", index_page="", story_page="stories/{id}").story("s1")
    '/stories/s1'
    """

    prefix: str = ""
    index_page: str = "index.html"
    story_page: str = "story-{id}.html"
    article_page: str = "article-{id}.html"
    outlets_page: str = "outlets.html"

    def index(self) -> str:
        return self.prefix + self.index_page

    def outlets(self) -> str:
        return self.prefix + self.outlets_page

    def story(self, story_id: str) -> str:
        return self.prefix + self.story_page.format(id=quote(story_id, safe=""))

    def article(self, article_id: str) -> str:
        return self.prefix + self.article_page.format(id=quote(article_id, safe=""))


def _links(links: Links | str | None) -> Links:
    if isinstance(links, Links):
        return links
    return Links(prefix=links or "")


# ---------------------------------------------------------------------------------------
# small formatting helpers (everything from inputs goes through _e or _href)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _href(url: str | None) -> str | None:
    """The escaped URL when it is http(s), else None (no javascript:, data:, file:)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return _e(url.strip()) if scheme in ("http", "https") else None


def _ext_link(url: str | None) -> str:
    href = _href(url)
    if href is None:
        return _e(url or "")
    return f'<a href="{href}" rel="noopener noreferrer nofollow">{_e(url)}</a>'


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _fmt_time(t: datetime | None, with_time: bool = True) -> str:
    if t is None:
        return "?"
    t = _utc(t)
    if not with_time:
        return t.strftime("%Y-%m-%d")
    return t.strftime("%Y-%m-%d %H:%M") + " UTC"


def _when(a: Article) -> datetime | None:
    """Publication time, else when we first saw the article (marked "undated" in views)."""
    return a.published or a.first_seen


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _title(a: Article, n: int = 90) -> str:
    """The article's title, else the start of its text (never an invented title)."""
    return _short(a.title, n) if a.title else _short(a.text, min(n, 60)) or "(empty)"


def _outlet(name: str | None) -> str:
    return name or UNKNOWN_OUTLET


def _lag(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


@cache
def _css() -> str:
    return resources.files(__package__).joinpath("static/report.css").read_text(encoding="utf-8")


# open every <details> for printing, and restore afterwards (the page works without it)
_PRINT_SCRIPT = (
    "<script>(function(){var o=[];addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details:not([open])').forEach(function(d){o.push(d);d.open=true;});});"
    "addEventListener('afterprint',function(){o.forEach(function(d){d.open=false;});o=[];});})();"
    "</script>"
)
# pages load nothing from elsewhere; inline style/script only
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline' 'self'; script-src 'unsafe-inline' 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


def _page(title: str, body: str, links: Links, current: str = "") -> str:
    nav = [("index", links.index(), "Stories"), ("outlets", links.outlets(), "Outlets")]
    items = "".join(
        f'<a href="{_e(url)}"{" aria-current=page" if key == current else ""}>{label}</a>'
        for key, url, label in nav
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)} · newslineage</title><style>{_css()}</style></head><body>"
        f'<header class="site"><a class="brand" href="{_e(links.index())}">newslineage</a>'
        f"<nav>{items}</nav></header><main>{body}</main>"
        '<footer class="site">Made by newslineage: which articles tell the same story, '
        "which were made from which, the original, and what each copy changed.</footer>"
        f"{_PRINT_SCRIPT}</body></html>\n"
    )


# ---------------------------------------------------------------------------------------
# relation kinds: Okabe-Ito colours plus a dash pattern each, so colour is never the only cue

KIND_STYLES: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {  # kind: (colour, stroke-dasharray, what it means)
        "duplicate": ("#D55E00", "", "the same text"),
        "copy": ("#CC79A7", "10 4", "republished verbatim or nearly"),
        "excerpt": ("#E69F00", "3 3", "a piece taken from the source"),
        "rewrite": ("#0072B2", "12 4 3 4", "follows the source, reworded"),
        "translation": ("#009E73", "6 3", "the source in another language"),
        "partial": ("#56B4E9", "2 3 8 3", "some passages from the source"),
        "same_story": ("#8a8a8a", "1 4", "same event, no copying"),
    }
)
_EXTERNAL_STYLE = ("#000000", "6 4")


def _kind_style(kind: str) -> tuple[str, str]:
    colour, dash, _ = KIND_STYLES.get(kind, ("#555555", "", ""))
    return colour, dash


def _line_swatch(colour: str, dash: str, width: float = 2.5, arrow: bool = True) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    head = f'<path d="M34,2 L42,6 L34,10 z" fill="{colour}"/>' if arrow else ""
    return (
        f'<svg width="44" height="12" viewBox="0 0 44 12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="36" y2="6" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
        f"{head}</svg>"
    )


# ---------------------------------------------------------------------------------------
# time axis: ordered by time, gaps compressed logarithmically so an hour and a year both fit

_MINUTE = 60.0


def _time_key(t: datetime | None) -> float | None:
    return None if t is None else math.floor(_utc(t).timestamp() / _MINUTE)


def time_units(times: Iterable[datetime | None]) -> dict[float | None, float]:
    """Position (in column units) of each distinct minute; unknown times go last.

    Each step is 1 + 0.4·log10(1 + gap in hours): articles a minute apart sit one column
    apart, a day adds ~0.55, a year ~1.6, so the order and the size of gaps both show.

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


# ---------------------------------------------------------------------------------------
# the lineage graph (story page)

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


def _node_title(a: Article, story: Story, data: ReportData) -> str:
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


def _svg_node(node: _Node, story: Story, data: ReportData, links: Links) -> str:
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


def lineage_svg(data: ReportData, story: Story, links: Links | str | None = None) -> str:
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
        derived = {r.derived for r in rels if _derivation(r)}
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


# ---------------------------------------------------------------------------------------
# small timeline (index)


def timeline_svg(data: ReportData, story: Story, width: int = 220) -> str:
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


# ---------------------------------------------------------------------------------------
# index page


def render_index(data: ReportData, links: Links | str | None = None) -> str:
    """The story list: title, original, copies, outlets, a small timeline; then all articles."""
    links = _links(links)
    stats = (
        f'<div class="stats"><div><b>{len(data.articles)}</b>articles</div>'
        f"<div><b>{len(data.stories)}</b>stories</div>"
        f"<div><b>{sum(_derivation(r) for r in data.relations)}</b>derivations</div>"
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


def _stories_table(data: ReportData, stories: Sequence[Story], links: Links) -> str:
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


def _original_cell(data: ReportData, s: Story, links: Links) -> str:
    if s.original and s.original in data.articles:
        a = data.articles[s.original]
        return (
            f'<a href="{_e(links.article(a.id))}">{_e(_title(a, 60))}</a>'
            f'<span class="small muted block">{_e(_outlet(a.outlet))} · '
            f"{_e(_fmt_time(_when(a), False))}</span>"
        )
    if s.external_origin:
        return f'<span class="muted">outside the corpus:</span> {_e(s.external_origin)}'
    return '<span class="muted">not identified</span>'


def _all_articles(data: ReportData, links: Links) -> str:
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


def _date_cell(a: Article) -> str:
    if a.published:
        return _e(_fmt_time(a.published, False))
    return f'<span class="pill undated" title="first seen {_e(_fmt_time(a.first_seen))}">undated</span>'


# ---------------------------------------------------------------------------------------
# story page


def render_story(data: ReportData, story_id: str, links: Links | str | None = None) -> str:
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


def _relations_table(data: ReportData, rels: Sequence[Relation], links: Links) -> str:
    derivs = sorted((r for r in rels if _derivation(r)), key=lambda r: -r.confidence)
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


def _article_link(data: ReportData, article_id: str, links: Links, n: int = 60) -> str:
    a = data.articles.get(article_id)
    if a is None:
        return f'<span class="id">{_e(article_id[:10])}</span>'
    return (
        f'<a href="{_e(links.article(a.id))}">{_e(_title(a, n))}</a>'
        f' <span class="small muted">{_e(_outlet(a.outlet))}</span>'
    )


def _members_table(data: ReportData, story: Story, members: Sequence[Article], links: Links) -> str:
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


# ---------------------------------------------------------------------------------------
# article page: marked text


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    css: str
    tip: str = ""
    anchor: str = ""  # id placed where the mark starts
    ref: int = 0  # finding number shown after the mark (0: none)


def _marked(text: str, start: int, end: int, marks: Sequence[_Mark]) -> str:
    """``text[start:end]`` escaped, with overlapping marks flattened into spans."""
    marks = [
        _Mark(max(m.start, start), min(m.end, end), m.css, m.tip, m.anchor, m.ref)
        for m in marks
        if m.start < end and m.end > start and m.end > m.start
    ]
    cuts = sorted({start, end} | {m.start for m in marks} | {m.end for m in marks})
    out = []
    for a, b in pairwise(cuts):
        out += [
            f'<a class="anchor" id="{_e(m.anchor)}"></a>'
            for m in marks
            if m.anchor and m.start == a
        ]
        active = [m for m in marks if m.start <= a and m.end >= b]
        seg = _e(text[a:b])
        if active:
            css = " ".join(dict.fromkeys(c for m in active for c in m.css.split()))
            tips = "; ".join(dict.fromkeys(m.tip for m in active if m.tip))
            title = f' title="{_e(tips)}"' if tips else ""
            tag = "mark" if "finding" in css else "span"
            seg = f'<{tag} class="{css}"{title}>{seg}</{tag}>'
        out.append(seg)
        out += [
            f'<sup class="fref"><a href="#finding-{m.ref}">[{m.ref}]</a></sup>'
            for m in marks
            if m.ref and m.end == b
        ]
    return "".join(out)


#: findings about the article as a whole; their span is the whole text, so marking it would
#: drown the sentence-level marks
ARTICLE_LEVEL_FINDINGS = frozenset({"attribution_missing"})


def _finding_marks(
    findings: Sequence[tuple[int, Finding]], side: str, length: int, suffix: str
) -> list[_Mark]:
    out = []
    for n, f in findings:
        span = f.derived_span if side == "derived" else f.source_span
        if not span or not (0 <= span[0] < span[1] <= length):
            continue  # a finding without a (valid) span is still listed, just not marked
        if f.kind in ARTICLE_LEVEL_FINDINGS:
            continue  # about the whole article: listed above the text, not drawn over all of it
        css = f"finding sev-{_e(f.severity)} kind-{_e(f.kind)}"
        tip = f"{f.kind} ({f.severity}): {f.message}"
        anchor = f"f{n}-{suffix}" if side == "derived" else ""
        out.append(_Mark(span[0], span[1], css, tip, anchor, n if side == "derived" else 0))
    return out


def _covered(spans: Iterable[tuple[int, int]], s: tuple[int, int]) -> bool:
    return any(a < s[1] and b > s[0] for a, b in spans)


def _sbs_rows(
    source: Article, derived: Article, alignment: Alignment
) -> list[tuple[AlignedPair | None, tuple[int, int] | None, tuple[int, int] | None]]:
    """Rows (pair, source-only sentence, derived-only sentence) in the derived text's order.

    Derived sentences no pair covers become derived-only rows; source sentences no pair covers
    are slotted before the first pair that comes after them in the source.
    """
    pairs = sorted(alignment.pairs, key=lambda p: (p.derived.start, p.source.start))
    d_cov = [(p.derived.start, p.derived.end) for p in pairs]
    s_cov = [(p.source.start, p.source.end) for p in pairs]
    d_only = [s for s in sentences_of(derived) if not _covered(d_cov, s)]
    s_only = sorted(s for s in sentences_of(source) if not _covered(s_cov, s))
    main: list[tuple[int, AlignedPair | None, tuple[int, int] | None]] = [
        (p.derived.start, p, None) for p in pairs
    ] + [(s[0], None, s) for s in d_only]
    main.sort(key=lambda t: t[0])
    rows: list[tuple[AlignedPair | None, tuple[int, int] | None, tuple[int, int] | None]] = []
    i = 0
    for _, pair, d_sent in main:
        while pair is not None and i < len(s_only) and s_only[i][0] < pair.source.start:
            rows.append((None, s_only[i], None))
            i += 1
        rows.append((pair, None, d_sent))
    rows += [(None, s, None) for s in s_only[i:]]
    return rows


def _side_by_side(
    data: ReportData,
    rel: Relation,
    derived: Article,
    numbered: Sequence[tuple[int, Finding]],
    k: int,
    links: Links,
) -> str:
    source = data.articles[rel.source]
    alignment = data.alignment(source.id, derived.id)
    mine = [(n, f) for n, f in numbered if f.source_article in (None, source.id)]
    of_source = [(n, f) for n, f in numbered if f.source_article == source.id]
    d_marks = _finding_marks(mine, "derived", len(derived.text), f"s{k}")
    s_marks = _finding_marks(of_source, "source", len(source.text), f"s{k}")
    d_marks += [
        _Mark(d.start, d.end, "verbatim", "verbatim passage") for _, d in alignment.passages
    ]
    s_marks += [
        _Mark(s.start, s.end, "verbatim", "verbatim passage") for s, _ in alignment.passages
    ]
    rows = []
    for pair, s_only, d_only in _sbs_rows(source, derived, alignment):
        if pair is not None:
            style = "verbatim" if pair.verbatim else "rewritten"
            tip = "verbatim" if pair.verbatim else f"rewritten (similarity {pair.similarity:.2f})"
            ps, pd = pair.source, pair.derived
            left = _marked(
                source.text, ps.start, ps.end, [*s_marks, _Mark(ps.start, ps.end, style, tip)]
            )
            right = _marked(
                derived.text, pd.start, pd.end, [*d_marks, _Mark(pd.start, pd.end, style, tip)]
            )
            rows.append(
                f'<tr class="pair"><td class="source">{left}</td><td class="sim">{pair.similarity:.2f}</td>'
                f'<td class="derived">{right}</td></tr>'
            )
        elif s_only is not None:
            note = _Mark(s_only[0], s_only[1], "notreused", "not in this article")
            left = _marked(source.text, s_only[0], s_only[1], [*s_marks, note])
            rows.append(
                f'<tr class="gap"><td class="source">{left}</td><td class="sim"></td><td class="empty"></td></tr>'
            )
        elif d_only is not None:
            note = _Mark(d_only[0], d_only[1], "unsourced", "no support in this source")
            right = _marked(derived.text, d_only[0], d_only[1], [*d_marks, note])
            rows.append(
                f'<tr class="added"><td class="empty"></td><td class="sim"></td><td class="derived">{right}</td></tr>'
            )
    colour, dash = _kind_style(rel.kind)
    order = "" if alignment.ordered else " · reordered: sentences were matched out of order"
    return (
        f'<section class="beside" id="source-{k}"><h2>Beside its source: {_e(_title(source, 80))}</h2>'
        f'<p class="sub">{_line_swatch(colour, dash)} <b>{_e(rel.kind)}</b> of '
        f"{_article_link(data, source.id, links)} · coverage {_pct(rel.coverage)} · verbatim "
        f"{_pct(rel.verbatim_share)} · confidence {rel.confidence:.2f}{_e(order)}</p>"
        '<table class="sbs"><colgroup><col><col class="sim"><col></colgroup><thead><tr>'
        f"<th>Source · {_e(_outlet(source.outlet))} · {_e(_fmt_time(_when(source), False))}</th>"
        f"<th>sim</th><th>This article · {_e(_outlet(derived.outlet))}</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


_TEXT_LEGEND = (
    '<ul class="legend" aria-label="legend"><li><b>Marks:</b></li>'
    '<li><span class="sw verbatim">verbatim</span> passage copied word for word (solid underline)</li>'
    '<li><span class="sw rewritten">rewritten</span> aligned sentence, reworded (dashed)</li>'
    '<li><mark class="sw finding">finding</mark> what the copy changed (wavy), numbered</li>'
    '<li><span class="sw unsourced">unsourced</span> no support in the source (dotted, hatched)</li>'
    '<li><span class="sw notreused">not reused</span> source sentence the copy left out</li>'
    "</ul>"
)


def render_article(data: ReportData, article_id: str, links: Links | str | None = None) -> str:
    """One article: metadata, findings, and the text beside each source it was made from."""
    links = _links(links)
    a = data.article(article_id)
    numbered = list(enumerate(data.findings_of(a.id), start=1))
    sources = [r for r in data.sources_of(a.id) if r.source in data.articles]
    story = data.story_of(a.id)
    crumbs = f'<a href="{_e(links.index())}">Stories</a>'
    if story:
        crumbs += f' › <a href="{_e(links.story(story.id))}">{_e(_short(story.title or story.id, 60))}</a>'
    body = [
        f'<p class="sub">{crumbs}</p><h1>{_e(_title(a, 200))}</h1>',
        "" if a.title else '<p class="sub">No title: the first words of the text are shown.</p>',
        _roles(data, a, story),
        f'<div class="summary"><div>{_metadata(a)}</div><div>{_lineage_box(data, a, links)}</div></div>',
        _findings_list(numbered, bool(sources)),
    ]
    if sources:
        body.append(_TEXT_LEGEND)
        body += [_side_by_side(data, r, a, numbered, k, links) for k, r in enumerate(sources, 1)]
    body.append(_full_text(a, numbered, open_=not sources))
    body.append(_removed(a))
    return _page(_title(a, 80), "".join(body), links)


def _roles(data: ReportData, a: Article, story: Story | None) -> str:
    pills = []
    if story and story.original == a.id:
        pills.append('<span class="pill original">original</span>')
    pills += [f'<span class="pill">{_e(r.kind)}</span>' for r in data.sources_of(a.id)]
    if a.published is None:
        pills.append('<span class="pill undated">undated</span>')
    return f"<p>{' '.join(pills)}</p>" if pills else ""


def _metadata(a: Article) -> str:
    rows = [
        ("Outlet", _e(_outlet(a.outlet))),
        ("URL", _ext_link(a.url) if a.url else "<span class=muted>none</span>"),
        ("Published", _e(_fmt_time(a.published)) if a.published else "undated"),
        ("First seen", _e(_fmt_time(a.first_seen))),
        ("Language", _e(a.language or "?")),
        ("Author", _e(a.author) if a.author else ""),
        ("Credits", ", ".join(_e(c) for c in a.credits)),
        ("Via", _ext_link(a.via) if a.via else ""),
        (
            "Input",
            _e((a.origin_file or "") + (f" #{a.origin_item}" if a.origin_item is not None else "")),
        ),
        ("Id", f'<span class="id">{_e(a.id)}</span>'),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    out = f'<dl class="meta">{dl}</dl>'
    if a.links:
        items = "".join(f"<li>{_ext_link(u)}</li>" for u in a.links)
        out += f'<details><summary>Outbound links ({len(a.links)})</summary><ul class="plain small">{items}</ul></details>'
    return out


def _lineage_box(data: ReportData, a: Article, links: Links) -> str:
    parts = []
    for r in data.sources_of(a.id):
        parts.append(
            f"<li>{_e(r.kind)} of {_article_link(data, r.source, links)} "
            f'<span class="small muted">· coverage {_pct(r.coverage)}, confidence {r.confidence:.2f}</span></li>'
        )
    for r in data.copies_of(a.id):
        parts.append(
            f"<li>{_article_link(data, r.derived, links)} is a <b>{_e(r.kind)}</b> of this article "
            f'<span class="small muted">· coverage {_pct(r.coverage)}, confidence {r.confidence:.2f}</span></li>'
        )
    story = data.story_of(a.id)
    if story and len(story.articles) > 1:
        others = len(story.articles) - 1
        parts.append(
            f'<li class="small">story: <a href="{_e(links.story(story.id))}">'
            f"{_e(_short(story.title or story.id, 60))}</a> · {others} other article(s)</li>"
        )
    if not parts:
        return ""
    return f'<div class="box"><b>Lineage</b><ul class="plain">{"".join(parts)}</ul></div>'


def _findings_list(numbered: Sequence[tuple[int, Finding]], has_sources: bool) -> str:
    if not numbered:
        return '<h2>Findings</h2><p class="muted">No findings for this article.</p>'
    items = []
    for n, f in numbered:
        where = ""
        if f.derived_span and f.kind not in ARTICLE_LEVEL_FINDINGS:
            target = f"f{n}-s1" if has_sources else f"f{n}-t"
            where = f' <a href="#{target}" class="small">show in text</a>'
        items.append(
            f'<li id="finding-{n}"><span class="sev sev-{_e(f.severity)}">{_e(f.severity)}</span> '
            f'<span class="kind">{_e(f.kind)}</span> — {_e(f.message)}{where}</li>'
        )
    return f'<h2>Findings ({len(numbered)})</h2><ol class="findings">{"".join(items)}</ol>'


def _full_text(a: Article, numbered: Sequence[tuple[int, Finding]], open_: bool) -> str:
    marks = _finding_marks(numbered, "derived", len(a.text), "t")
    text = _marked(a.text, 0, len(a.text), marks)
    return (
        f'<details class="full"{" open" if open_ else ""}><summary>Full text '
        f'({len(a.text.split())} words)</summary><div class="fulltext">{text}</div></details>'
    )


def _removed(a: Article) -> str:
    if not a.removed:
        return ""
    items = "".join(
        f'<li><span class="kind">{_e(r.reason)}</span><blockquote>{_e(r.text)}</blockquote></li>'
        for r in a.removed
    )
    return (
        f'<details class="removed"><summary>Removed boilerplate ({len(a.removed)})</summary>'
        f'<p class="why">Not part of the article, so left out of its text and of every comparison.</p>'
        f'<ul class="plain">{items}</ul></details>'
    )


# ---------------------------------------------------------------------------------------
# outlets page


def render_outlets(data: ReportData, links: Links | str | None = None) -> str:
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


def _outlet_articles(data: ReportData, arts: Sequence[Article], links: Links) -> str:
    items = "".join(f"<li>{_article_link(data, a.id, links, 80)}</li>" for a in arts)
    return f'<details class="small"><summary>articles</summary><ul class="plain">{items}</ul></details>'


# ---------------------------------------------------------------------------------------
# the static site

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def write_report(store: Store, out_dir: str | Path, *, data: ReportData | None = None) -> Path:
    """Write the static report (index, outlets, one page per story and per article).

    Returns the index page's path. The folder is created if needed; pages are overwritten.

    >>> from newslineage.store import open_store
    >>> import tempfile
    >>> write_report(open_store(":memory:"), tempfile.mkdtemp()).name
    'index.html'
    """
    data = data or ReportData.from_store(store)
    out = Path(out_dir)
    links = Links()
    pages: dict[str, str] = {
        links.index(): render_index(data, links),
        links.outlets(): render_outlets(data, links),
    }
    for s in data.stories:
        pages[_file_name(links.story(s.id))] = render_story(data, s.id, links)
    for a in data.articles.values():
        pages[_file_name(links.article(a.id))] = render_article(data, a.id, links)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            (out / name).write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            str(out), f"cannot write the report ({exc.strerror or exc})", "pass a writable folder"
        ) from None
    return out / links.index()


def _file_name(link: str) -> str:
    # ids are hex digests; anything else would need percent-decoding to match its link
    if not _SAFE_ID.match(link):
        raise InputError(link, "not a safe file name for a report page", "report a bug")
    return link
