"""The article page: metadata, findings, and the text beside each source it was made from,
marked from the stored alignment (verbatim passages, rewritten and unsourced sentences).

A derived text much shorter than its source (a summary, a blurb) also gets its sentences
listed one by one with the source sentences that support them and the findings on them: the
one-to-one side-by-side table shows little of a text that fuses several source sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ...align import sentences_of
from ...drift.story import SUMMARY_RATIO
from ...drift.support import support_of
from ...model import AlignedPair, Alignment, Article, Finding, Relation, Story
from ...readmodel import ReadModel
from .shell import (
    Links,
    _article_link,
    _e,
    _ext_link,
    _fmt_time,
    _kind_style,
    _line_swatch,
    _links,
    _outlet,
    _page,
    _pct,
    _short,
    _title,
    _when,
)


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
    data: ReadModel,
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


def render_article(data: ReadModel, article_id: str, links: Links | str | None = None) -> str:
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
        for k, r in enumerate(sources, 1):
            body.append(_support_section(data, r, a, numbered, k, links))
            body.append(_side_by_side(data, r, a, numbered, k, links))
    body.append(_full_text(a, numbered, open_=not sources))
    body.append(_removed(a))
    return _page(_title(a, 80), "".join(body), links)


def _roles(data: ReadModel, a: Article, story: Story | None) -> str:
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


def _lineage_box(data: ReadModel, a: Article, links: Links) -> str:
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


# --- a short derived text, sentence by sentence against its source --------------------------


@dataclass(frozen=True, slots=True)
class _Checked:
    """One derived sentence, the source sentences that support it, and how it was found."""

    sentence: tuple[int, int]
    support: tuple[tuple[int, int], ...]
    coverage: float | None  # share of its content words the support holds
    stored: bool  # as the support check stored it at analysis time (else aligned for the page)


#: a best match holding less than half a sentence's (IDF-weighted) words is shown as the closest
#: source sentence, not as its support (the sentence at 16% in docs/img/report-summary.png)
WEAK_SUPPORT = 0.5


def _is_short(source: Article, derived: Article) -> bool:
    """The drift step's gate for the support check (``drift/story.py SUMMARY_RATIO``)."""
    return 0 < len(derived.text) <= SUMMARY_RATIO * len(source.text)


def _span_of(value: Any, length: int) -> tuple[int, int] | None:
    """A stored ``[start, end]`` checked against the text it points into (detail is JSON)."""
    if not (isinstance(value, list | tuple) and len(value) == 2):
        return None
    a, b = value
    if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= length:
        return (a, b)
    return None


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and a[1] > b[0]


def _checked_sentences(
    source: Article, derived: Article, findings: Sequence[Finding]
) -> list[_Checked]:
    """Each derived sentence with its support: what a support finding stored where there is
    one (what the check judged), else the same lexical alignment computed here. Computing on
    render costs one pass over the source's sentences per derived sentence, which the length
    gate keeps small; storing it for every sentence would add a table for what is derived
    from the two texts alone."""
    stored = {}
    for f in findings:
        if f.detail.get("method") != "support" or f.source_article != source.id:
            continue
        sent = _span_of(f.detail.get("sentence"), len(derived.text))
        spans = [_span_of(v, len(source.text)) for v in f.detail.get("support") or []]
        cov = f.detail.get("coverage")
        if sent is not None:
            number = isinstance(cov, int | float) and not isinstance(cov, bool)
            stored[sent] = (tuple(s for s in spans if s), float(cov) if number else None)
    out = []
    for s in support_of(source, derived):
        hit = next((v for k, v in stored.items() if _overlaps(k, s.derived)), None)
        if hit is not None:
            out.append(_Checked(s.derived, hit[0], hit[1], True))
        else:
            out.append(_Checked(s.derived, s.support, round(s.coverage, 3), False))
    return out


def _with_pair_sources(
    checked: _Checked, source: Article, findings: Sequence[tuple[int, Finding]]
) -> tuple[tuple[int, int], ...]:
    """The support plus the source sentence of each pair finding on the sentence (where the
    changed words came from), in source order."""
    spans = list(checked.support)
    for _, f in findings:
        if f.detail.get("method") == "support" or f.source_span is None:
            continue
        home = next((s for s in sentences_of(source) if _overlaps(f.source_span, s)), None)
        if home is not None and not any(_overlaps(home, s) for s in spans):
            spans.append(home)
    return tuple(sorted(spans))


def _support_section(
    data: ReadModel,
    rel: Relation,
    derived: Article,
    numbered: Sequence[tuple[int, Finding]],
    k: int,
    links: Links,
) -> str:
    """The derived text sentence by sentence, each beside its supporting source sentences
    and above the findings on it; empty unless the text passes the support check's gate."""
    source = data.articles[rel.source]
    if not _is_short(source, derived):
        return ""
    mine = [(n, f) for n, f in numbered if f.source_article in (None, source.id)]
    mine = [(n, f) for n, f in mine if f.kind not in ARTICLE_LEVEL_FINDINGS]
    starts = [s for s, _ in sentences_of(source)]
    d_marks = _finding_marks(mine, "derived", len(derived.text), f"c{k}")
    # a support finding's source span is its whole first supporting sentence: shown as such
    pair_findings = [(n, f) for n, f in mine if f.detail.get("method") != "support"]
    s_marks = _finding_marks(pair_findings, "source", len(source.text), f"c{k}")
    rows = []
    for i, c in enumerate(_checked_sentences(source, derived, [f for _, f in mine]), 1):
        on = [(n, f) for n, f in mine if _overlaps(f.derived_span, c.sentence)]
        left = _marked(derived.text, c.sentence[0], c.sentence[1], d_marks)
        spans = _with_pair_sources(c, source, on)
        weak = c.coverage is not None and c.coverage < WEAK_SUPPORT
        right = "".join(
            f'<blockquote class="support-sent{" weak" if weak else ""}"><span class="sn">'
            f"{'closest ' if weak else ''}source sentence "
            f"{_position(starts, s[0])}</span> {_marked(source.text, s[0], s[1], s_marks)}"
            "</blockquote>"
            for s in spans
        )
        right = right or '<p class="nosupport">No source sentence supports it.</p>'
        rows.append(
            f'<tr class="checked{" flagged" if on else ""}"><td class="derived">'
            f'<span class="sn">sentence {i}</span> {left}{_sentence_findings(on)}</td>'
            f'<td class="support">{right}{_support_note(c)}</td></tr>'
        )
    share = len(derived.text) / len(source.text)
    return (
        f'<section class="supportcheck" id="support-{k}">'
        f"<h2>Sentence by sentence against its source: {_e(_title(source, 80))}</h2>"
        f'<p class="sub">This article is {_pct(share)} of the length of '
        f"{_article_link(data, source.id, links)}, so each of its sentences is shown with the "
        "source sentences that best cover its words (the support check) and the findings on "
        "it. Changed words are marked on both sides.</p>"
        '<table class="sbs support"><thead><tr><th>This article · '
        f"{_e(_outlet(derived.outlet))}</th><th>Supported by · {_e(_outlet(source.outlet))}"
        f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _position(starts: Sequence[int], start: int) -> int:
    """1-based number of the source sentence starting at or before ``start``."""
    return max(1, sum(1 for s in starts if s <= start))


def _sentence_findings(on: Sequence[tuple[int, Finding]]) -> str:
    if not on:
        return ""
    items = "".join(
        f'<li><a href="#finding-{n}">[{n}]</a> <span class="sev sev-{_e(f.severity)}">'
        f'{_e(f.severity)}</span> <span class="kind">{_e(f.kind)}</span> — {_e(f.message)}</li>'
        for n, f in on
    )
    return f'<ul class="on-sentence">{items}</ul>'


def _support_note(c: _Checked) -> str:
    how = "as checked at analysis" if c.stored else "aligned for this page"
    cover = "" if c.coverage is None else f"support covers {_pct(c.coverage)} of its words · "
    return f'<p class="small muted">{cover}{how}</p>'
