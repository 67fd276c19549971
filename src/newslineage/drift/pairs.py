"""Findings on aligned sentence pairs: what a copy changed in a sentence it took.

Every detector looks for a *small, anchored* edit: a figure, date, name, title or negation
that differs while the words around it agree. Rewording, reordering and machine-translation
noise change many words at once and are left alone, because a false alarm costs more than a
miss (the project's precision-first rule).

>>> from newslineage.model import Article
>>> from newslineage.align import align_articles
>>> a = Article("a", "About 30 ships were waiting at anchor in the estuary on Wednesday.")
>>> b = Article("b", "About 50 ships were waiting at anchor in the estuary on Wednesday.")
>>> [(f.kind, f.message) for f in find_pair_drift(a, b, align_articles(a, b))]
[('number_changed', 'A figure was changed: "30 ships" became "50 ships".')]
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ..model import AlignedPair, Alignment, Article, Finding
from .altered_quotes import quote_findings
from .context import Context, Side, pair_context
from .figures import figure_findings
from .names import name_findings
from .negation import negation_findings
from .titles import title_findings

#: below this sentence similarity only quotes and anchored negations are compared; on the
#: examples, write-through updates pair with their source at 0.36-0.45, edited copies >= 0.55
MIN_PAIR_SIMILARITY = 0.5
#: ... except for figures anchored by two words (or a word and a currency): on the synthetic
#: corpus, heavily reworded rewrite sentences with a changed amount paired at 0.37-0.42
MIN_LOOSE_FIGURE_SIMILARITY = 0.35


def find_pair_drift(
    source: Article,
    derived: Article,
    alignment: Alignment,
    *,
    strict: bool = False,
    only_quotes_and_negations: bool = False,
) -> list[Finding]:
    """Changed figures, dates, names, titles, quotes and negations in aligned sentence pairs.

    ``strict`` is for pairs that were matched by similarity alone (an article that leans on
    the story without being derived from one source): only the most anchored edits count.
    ``only_quotes_and_negations`` skips the figure, date, name and title detectors (what the
    story step keeps of an article with no source of its own); the quotes and negations found
    are the same as without it.
    """
    ctx = pair_context(source, derived, strict)
    out: list[Finding] = []
    for pair in alignment.pairs:
        out += _pair_findings(ctx, pair, only_quotes_and_negations)
    return _dedupe(_drop_inside_altered_quotes(out))


def _pair_findings(ctx: Context, pair: AlignedPair, narrow: bool = False) -> list[Finding]:
    s = Side(
        ctx.src, ctx.src_facts.tokens_in(pair.source.start, pair.source.end), *_span(pair.source)
    )
    d = Side(
        ctx.der, ctx.der_facts.tokens_in(pair.derived.start, pair.derived.end), *_span(pair.derived)
    )
    if not s.tokens or not d.tokens:
        return []
    if pair.verbatim:
        return []
    a, b = [t.norm for t in s.tokens], [t.norm for t in d.tokens]
    # the same words (a copy that changed only spelling or typography): what difflib returns
    ops = (
        [("equal", 0, len(a), 0, len(b))]
        if a == b
        else SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    )
    found = quote_findings(ctx, s, d)
    if narrow:
        return found + negation_findings(ctx, s, d, ops, pair.similarity)
    if pair.similarity < MIN_PAIR_SIMILARITY:
        # a loosely aligned pair shares a topic, not a sentence: its other differences are
        # new material (a write-through's update), not edits; only a figure that keeps two
        # of its words ("34.3 million ducats in new spending") is still the same figure
        if pair.similarity >= MIN_LOOSE_FIGURE_SIMILARITY:
            found += figure_findings(
                ctx, s, d, ctx.src_numbers, ctx.der_numbers, "number_changed", shared=2
            )
        return found + negation_findings(ctx, s, d, ops, pair.similarity)
    found += figure_findings(ctx, s, d, ctx.src_numbers, ctx.der_numbers, "number_changed")
    found += figure_findings(ctx, s, d, ctx.src_dates, ctx.der_dates, "date_changed")
    found += name_findings(ctx, s, d, ops)
    found += title_findings(ctx, s, d, ops)
    found += negation_findings(ctx, s, d, ops, pair.similarity)
    return found


def _span(span) -> tuple[int, int]:
    return span.start, span.end


# ------------------------------------------------------------------ clean-up


def _drop_inside_altered_quotes(found: list[Finding]) -> list[Finding]:
    quotes = [f.derived_span for f in found if f.kind == "quote_altered" and f.derived_span]
    return [
        f
        for f in found
        if f.kind == "quote_altered"
        or f.derived_span is None
        or not any(q[0] <= f.derived_span[0] and f.derived_span[1] <= q[1] for q in quotes)
    ]


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in found:
        key = (f.kind, f.derived_span)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
