"""Altered quotes: a quotation of the copy that matches one of the source's but changes its
words, with the word diff and the speaker.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Finding
from .context import Context, Side, make_finding
from .lexicon import FUNCTION_WORDS, NEGATORS
from .quotes import describe_change, speaker_of, word_changes
from .tokens import Token, tokenize


def quote_findings(ctx: Context, s: Side, d: Side) -> list[Finding]:
    """Quotes of the derived unit (four words or more) whose words differ from the source
    quote they best match."""
    out = []
    src_quotes = [q for q in ctx.src_quotes if q[0] < s.end and s.start < q[1]]
    for dq in ctx.der_quotes:
        if not (dq[0] < d.end and d.start < dq[1]):
            continue
        d_words = tokenize(ctx.der.text, *dq)
        if len(d_words) < 4:
            continue
        best = _best_quote(ctx, d_words, src_quotes)
        if best is None:
            continue
        # the source quote plus what follows it in the source sentence: a copy that moved
        # the closing quotation mark is compared word for word, not as a longer quote
        tail_end = max(best[1], min(s.end, best[1] + 2 * (dq[1] - dq[0])))
        changes = word_changes(ctx.src.text[best[0] : tail_end], ctx.der.text[slice(*dq)])
        if changes:
            out.append(_quote_finding(ctx, best, dq, changes))
    return out


def _best_quote(
    ctx: Context, d_words: list[Token], quotes: Iterable[tuple[int, int]]
) -> tuple[int, int] | None:
    dset = {t.norm for t in d_words if t.norm not in FUNCTION_WORDS}
    best, best_score = None, 0.6 if ctx.strict else 0.45
    for q in quotes:
        qset = {t.norm for t in tokenize(ctx.src.text, *q) if t.norm not in FUNCTION_WORDS}
        if not qset or not dset:
            continue
        score = len(qset & dset) / min(len(qset), len(dset))
        if score >= best_score:
            best, best_score = q, score
    return best


def _quote_finding(ctx: Context, sq, dq, changes) -> Finding:
    who = speaker_of(ctx.src.text, *sq) or speaker_of(ctx.der.text, *dq)
    head = f"The quote from {who}" if who else "A quote"
    listed = "; ".join(describe_change(c) for c in changes[:3])
    more = f" (and {len(changes) - 3} more changes)" if len(changes) > 3 else ""
    diff = [{"op": op, "old": old, "new": new} for op, old, new in changes]
    severity = (
        "high"
        if any(w in NEGATORS for _, old, new in changes for w in (old + " " + new).split())
        else "medium"
    )
    return make_finding(
        ctx, "quote_altered", f"{head} was altered: {listed}{more}.",
        sq, dq, severity, speaker=who, diff=diff,
    )  # fmt: skip
