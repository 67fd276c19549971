"""The page shell and what every page shares: links between pages, escaping and formatting,
the relation kinds' colours and dashes, and the small cells several pages show.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from types import MappingProxyType
from urllib.parse import quote, urlsplit

from ...model import Article, Story
from ...readmodel import ReadModel
from ...text.dates import as_utc
from ...text.display import visible_text

UNKNOWN_OUTLET = "unknown outlet"


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


def _e(value: object) -> str:
    """HTML-escaped, with control characters (NUL, ESC, ...) shown as U+FFFD."""
    return html.escape(visible_text(str(value)), quote=True)


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


def _fmt_time(t: datetime | None, with_time: bool = True) -> str:
    if t is None:
        return "?"
    t = as_utc(t)
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
    return (
        resources.files("newslineage.report")
        .joinpath("static/report.css")
        .read_text(encoding="utf-8")
    )


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


def _original_cell(data: ReadModel, s: Story, links: Links) -> str:
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


def _date_cell(a: Article) -> str:
    if a.published:
        return _e(_fmt_time(a.published, False))
    return f'<span class="pill undated" title="first seen {_e(_fmt_time(a.first_seen))}">undated</span>'


def _article_link(data: ReadModel, article_id: str, links: Links, n: int = 60) -> str:
    a = data.articles.get(article_id)
    if a is None:
        return f'<span class="id">{_e(article_id[:10])}</span>'
    return (
        f'<a href="{_e(links.article(a.id))}">{_e(_title(a, n))}</a>'
        f' <span class="small muted">{_e(_outlet(a.outlet))}</span>'
    )
