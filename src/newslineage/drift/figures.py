"""Changed figures and dates: a number or date of the copy that the source never gives, in
place of one the source unit has and the copy lost ("30 ships" -> "50 ships").
"""

from __future__ import annotations

import re

from ..model import Finding
from .context import Context, Side, in_quote, make_finding
from .facts import NUMBER_KINDS, Mention
from .lexicon import FUNCTION_WORDS
from .tokens import tokenize


def _within(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start and m.end <= end]


def figure_findings(
    ctx: Context,
    s: Side,
    d: Side,
    src_all: list[Mention],
    der_all: list[Mention],
    kind: str,
    shared: int = 1,
) -> list[Finding]:
    """A figure/date of the derived unit that the source never gives, where the source unit
    has one of the same kind that the derived unit lost: a change, not an addition."""
    src_here, der_here = _within(src_all, s.start, s.end), _within(der_all, d.start, d.end)
    lost = [m for m in src_here if not any(m.same_as(x) for x in der_here)]
    out = []
    for new in der_here:
        if any(new.same_as(x) for x in src_all) or in_quote(new.start, ctx.der_quotes):
            continue
        old = _counterpart(ctx, new, lost, shared)
        if old is None:
            continue
        lost.remove(old)
        out.append(_figure_finding(ctx, kind, old, new))
    return out


def _counterpart(
    ctx: Context, new: Mention, lost: list[Mention], shared: int = 1
) -> Mention | None:
    """The lost source figure this one replaced: same kind, and (for figures) a shared word
    right next to it ("30 ships" -> "50 ships"), so two unrelated figures never pair up."""
    options = [m for m in lost if _compatible(m, new)]
    if new.kind in NUMBER_KINDS:
        after_new = _neighbours(ctx.der.text, new)
        options = [m for m in options if len(_neighbours(ctx.src.text, m) & after_new) >= shared]
    elif ctx.strict:
        return None  # dates in loosely matched sentences are too often about other days
    return options[0] if options else None


def _compatible(a: Mention, b: Mention) -> bool:
    if a.kind in NUMBER_KINDS and b.kind in NUMBER_KINDS:
        return a.kind == b.kind if "pct" in (a.kind, b.kind) else True
    return a.kind == b.kind


def _neighbours(text: str, m: Mention) -> set[str]:
    """Content words just after a figure (and the one before): what it counts."""
    after = [t.norm for t in tokenize(text, m.end, min(len(text), m.end + 40))][:3]
    before = [t.norm for t in tokenize(text, max(0, m.start - 25), m.start)][-1:]
    words = {w for w in after + before if w not in FUNCTION_WORDS and not w[:1].isdigit()}
    if m.currency:
        words.add(f"currency:{m.currency}")
    return words


def _figure_finding(ctx: Context, kind: str, old: Mention, new: Mention) -> Finding:
    old_text, new_text = _phrase(ctx.src.text, old), _phrase(ctx.der.text, new)
    if kind == "number_changed" and old.currency and new.currency and old.currency != new.currency:
        return make_finding(
            ctx, kind,
            f'An amount is given in another currency: "{old_text}" appears as "{new_text}".',
            (old.start, old.end), (new.start, new.end), "info", conversion=True,
            old=old_text, new=new_text,
        )  # fmt: skip
    label = "A figure" if kind == "number_changed" else "A date"
    return make_finding(
        ctx, kind, f'{label} was changed: "{old_text}" became "{new_text}".',
        (old.start, old.end), (new.start, new.end), old=old_text, new=new_text,
    )  # fmt: skip


def _phrase(text: str, m: Mention) -> str:
    """The mention plus the word it counts ("30 ships"), for a readable message."""
    if m.kind not in NUMBER_KINDS or (m.kind == "pct" and text[m.end - 1 : m.end] == "%"):
        return text[m.start : m.end]
    nxt = re.match(r"\s+([A-Za-z][\w-]*)", text[m.end : m.end + 30])
    return text[m.start : m.end] + (f" {nxt.group(1)}" if nxt else "")
