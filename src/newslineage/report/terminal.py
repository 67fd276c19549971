"""Terminal views (rich): article lists, stories, one article's lineage side by side.

Views only render what the library computed; they decide nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..model import DERIVATION_KINDS, Article, Relation, Story
from ..text.display import visible_text

KIND_STYLE = {
    "duplicate": "bold red",
    "copy": "red",
    "excerpt": "magenta",
    "rewrite": "yellow",
    "translation": "cyan",
    "partial": "blue",
    "same_story": "dim",
}


def _plain(text: object) -> str:
    """User text for a ``Text`` object (no markup parsing): one line, no control characters."""
    return visible_text(str(text), one_line=True)


def markup_safe(text: object) -> str:
    """User text for a markup string: one line, no control characters, ``[`` escaped, so a
    title like ``[/i]`` prints as itself instead of raising MarkupError."""
    return escape(_plain(text))


def _when(a: Article) -> str:
    """The publication time; the first-seen time, marked as such, when the source gave none."""
    if a.published:
        return a.published.strftime("%Y-%m-%d %H:%M")
    return a.first_seen.strftime("seen %Y-%m-%d") if a.first_seen else "undated"


def _label(a: Article, width: int = 60) -> str:
    name = a.title or (a.text[:width].replace("\n", " ") + "…")
    origin = a.origin_file or a.url or ""
    if a.origin_item is not None:
        origin += f"#{a.origin_item}"
    return _plain(f"{name[:width]}  [{a.outlet or '?'}] {origin}")


def print_add_result(console: Console, result: Any, store_url: str) -> None:
    console.print(
        f"ingested {result.ingested} article(s) ({result.new} new, {result.versions} new versions), "
        f"{result.unchanged} unchanged, {len(result.skipped)} skipped -> {markup_safe(store_url)}",
        highlight=False,
    )
    for s in result.skipped:
        console.print(f"  [yellow]skipped[/] {markup_safe(s)}", highlight=False, soft_wrap=True)
    for s in result.notices:
        console.print(f"  [dim]{markup_safe(s)}[/]", highlight=False)


def print_analyze_summary(console: Console, summary: Any) -> None:
    console.print(markup_safe(summary), highlight=False)


def print_articles(console: Console, store: Any, limit: int = 50) -> None:
    table = Table(title=f"Articles in {markup_safe(store.url)}")
    for col in ("id", "published", "outlet", "lang", "origin", "credits"):
        table.add_column(col, overflow="fold")
    table.add_column("title / start", overflow="ellipsis", no_wrap=True, min_width=30)
    for n, a in enumerate(store.iter_articles()):
        if limit and n >= limit:
            break
        origin = (a.origin_file or a.url or "") + (
            f"#{a.origin_item}" if a.origin_item is not None else ""
        )
        cells = (
            a.id[:10],
            _when(a),
            a.outlet or "",
            a.language or "",
            origin,
            ", ".join(a.credits),
            (a.title or a.text[:60] + "…")[:70],
        )
        table.add_row(*(markup_safe(c) for c in cells))
    console.print(table)
    total = store.count_articles()
    if limit and total > limit:
        console.print(f"… {total - limit} more (use --limit 0 to see all)")


def _story_tree(story: Story, by_id: dict[str, Article], relations: Sequence[Relation]) -> Tree:
    head = Text(_plain(story.title or "(untitled story)"), style="bold")
    head.append(f"  {len(story.articles)} article(s)", style="dim")
    if story.external_origin:
        head.append(f"  external origin: {_plain(story.external_origin)}", style="italic")
    tree = Tree(head)
    members = set(story.articles)
    children: dict[str, list[Relation]] = {}
    derived: set[str] = set()
    for r in relations:
        if r.kind in DERIVATION_KINDS and r.source in members and r.derived in members:
            children.setdefault(r.source, []).append(r)
            derived.add(r.derived)
    roots = [story.original] if story.original else []
    roots += [a for a in story.articles if a not in derived and a not in roots]
    seen: set[str] = set()

    def grow(node: Tree, article_id: str, rel: Relation | None) -> None:
        if article_id in seen or article_id not in by_id:
            return
        seen.add(article_id)
        a = by_id[article_id]
        line = Text(f"{_when(a)}  ")
        if rel is None:
            role = "original" if article_id == story.original else "report"
            line.append(f"[{role}] ", style="bold green" if role == "original" else "")
        else:
            line.append(f"{rel.kind} ", style=KIND_STYLE.get(rel.kind, ""))
            line.append(
                f"({rel.coverage:.0%} from source, conf {rel.confidence:.2f}) ", style="dim"
            )
        line.append(_label(a))
        line.append(f"  {a.id[:10]}", style="dim")
        sub = node.add(line)
        for r in sorted(children.get(article_id, []), key=lambda r: _when(by_id[r.derived])):
            grow(sub, r.derived, r)

    for root in roots:
        grow(tree, root, None)
    return tree


def print_stories(console: Console, store: Any) -> None:
    by_id = {a.id: a for a in store.iter_articles()}
    relations = store.relations()
    stories = sorted(store.stories(), key=lambda s: (-len(s.articles), s.title or ""))
    if not stories:
        console.print("no stories yet: run `newslineage analyze`")
        return
    for story in stories:
        console.print(_story_tree(story, by_id, relations))


def print_lineage(console: Console, store: Any, lineage: Any) -> None:
    from ..readmodel import alignment_of

    a = lineage.article
    console.print(Text(_label(a, 100), style="bold"))
    credits = ", ".join(a.credits) or "-"
    console.print(
        Text(_plain(f"id {a.id}  published {_when(a)}  language {a.language}  credits {credits}"))
    )
    if lineage.story:
        title, n = lineage.story.title, len(lineage.story.articles)
        console.print(Text(_plain(f"story: {title}  ({n} articles)")))
    for rel in lineage.sources:
        src = store.get_article(rel.source)
        if src is None or rel.kind == "same_story":
            continue
        console.rule(
            f"{rel.kind} of {escape(_label(src, 50))}  coverage {rel.coverage:.0%}, "
            f"verbatim {rel.verbatim_share:.0%}, confidence {rel.confidence:.2f}"
        )
        console.print(_side_by_side(src, a, alignment_of(store, src, a)))
    for rel in lineage.derived:
        if rel.kind == "same_story":
            continue
        d = store.get_article(rel.derived)
        if d is not None:
            line = Text(f"  -> {rel.kind}: {_label(d)}  {d.id[:10]}")
            console.print(line, style=KIND_STYLE.get(rel.kind, ""))


def _marked(text: str, span: Any, passages: list[tuple[int, int]], style: str) -> Text:
    """The span's text with the verbatim passages inside it underlined in bold."""
    out = Text(visible_text(span.of(text)), style=style)
    for start, end in passages:
        lo, hi = max(start, span.start), min(end, span.end)
        if lo < hi:
            out.stylize("bold underline", lo - span.start, hi - span.start)
    return out


def _side_by_side(source: Article, derived: Article, alignment: Any) -> Table:
    """Aligned sentences in two columns; verbatim passages (copied word for word) in bold."""
    src_passages = [(p[0].start, p[0].end) for p in alignment.passages]
    der_passages = [(p[1].start, p[1].end) for p in alignment.passages]
    table = Table(
        show_lines=True,
        expand=True,
        caption="bold underline: copied word for word; "
        "red: verbatim sentence; yellow: rewritten sentence",
    )
    table.add_column(f"source {source.id[:10]}", ratio=1)
    table.add_column("sim", width=5)
    table.add_column(f"this article {derived.id[:10]}", ratio=1)
    for pair in alignment.pairs:
        style = "red" if pair.verbatim else "yellow"
        table.add_row(
            _marked(source.text, pair.source, src_passages, style),
            f"{pair.similarity:.2f}",
            _marked(derived.text, pair.derived, der_passages, style),
        )
    return table


def print_outlets(console: Console, profiles: Sequence[Any]) -> None:
    """Outlet profiles: how much each outlet republishes, credits, changes, and how late."""
    from ..outlets import OUTLET_COLUMNS, outlet_rows

    if not profiles:
        console.print("no outlets yet: articles need a URL, a feed site or --outlet")
        return
    table = Table(title="Outlets")
    for col in OUTLET_COLUMNS:
        table.add_column(col, overflow="fold")
    for row in outlet_rows(profiles):
        table.add_row(*(markup_safe(c) for c in row))
    console.print(table)
