"""Flipped negations: a negator or a negating prefix added or dropped next to words both
sides keep, or a word swapped for its antonym ("talks failed" -> "talks succeeded").
"""

from __future__ import annotations

from ..model import Finding
from .context import Context, Side, in_quote, make_finding
from .lexicon import ANTONYMS, AUXILIARIES, DO_FORMS, NEG_PREFIXES, NEGATORS
from .tokens import Token


def _negations(words: list[Token], other: set[str]) -> int:
    """Negators, plus words negated by a prefix whose stem the other side uses
    ("unrealistic" against "realistic")."""
    n = 0
    for t in words:
        w = t.norm
        if (
            w in NEGATORS
            or (
                w[:2] in _NEG_HEADS  # most words open with none of the prefixes: skip the scan
                and any(
                    w.startswith(p) and w[len(p) :] in other and len(w) - len(p) >= 4
                    for p in NEG_PREFIXES
                )
            )
        ):
            n += 1
    return n


_NEG_HEADS = frozenset(p[:2] for p in NEG_PREFIXES)


def negation_findings(
    ctx: Context, s: Side, d: Side, ops: list, similarity: float
) -> list[Finding]:
    """Edits of at most four words that flip the claim: an odd number of negators added or
    dropped (anchored), or an antonym swapped in; edits inside quotes are left to the quote
    detector."""
    if similarity < (0.4 if ctx.strict else 0.3):
        return []
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        a, b = s.tokens[i1:i2], d.tokens[j1:j2]
        if any(in_quote(t.start, ctx.src_quotes) for t in a) or any(
            in_quote(t.start, ctx.der_quotes) for t in b
        ):
            continue  # inside a quote: the quote detector reports it, with the word diff
        na = _negations(a, {t.norm for t in b})
        nb = _negations(b, {t.norm for t in a})
        if (na - nb) % 2 == 0:
            if _antonym_swap(s, d, i1, i2, j1, j2):
                out.append(_negation_finding(ctx, s, d, i1, i2, j1, j2))
            continue
        if _negation_anchored(ops, s, d, i1, i2, j1, j2, ctx.strict):
            out.append(_negation_finding(ctx, s, d, i1, i2, j1, j2))
    return out


def _negation_anchored(ops, s: Side, d: Side, i1, i2, j1, j2, strict: bool) -> bool:
    """The flip is local: a negator added or dropped next to a word both sides keep, or a
    prefix that negates a word the other side uses ("not reached"/"reached")."""
    a, b = s.tokens[i1:i2], d.tokens[j1:j2]
    na_prefix = _negations(a, {t.norm for t in b}) - sum(t.norm in NEGATORS for t in a)
    nb_prefix = _negations(b, {t.norm for t in a}) - sum(t.norm in NEGATORS for t in b)
    if na_prefix or nb_prefix:
        return _shared_context(s, d, i1, j1) >= (3 if strict else 1)
    before = i1 > 0 and j1 > 0 and s.tokens[i1 - 1].norm == d.tokens[j1 - 1].norm
    after = i2 < len(s.tokens) and j2 < len(d.tokens) and s.tokens[i2].norm == d.tokens[j2].norm
    only_neg = all(t.norm in NEGATORS | DO_FORMS for t in a + b)
    if only_neg:
        return before and after
    return (
        not strict
        and before
        and _reworded_negation(a, b, s.tokens[i1 - 1], i2 == len(s.tokens) or after)
    )


def _reworded_negation(a: list[Token], b: list[Token], aux: Token, ends: bool) -> bool:
    """A negator added or dropped right after a shared auxiliary while the one word after it
    was reworded: "has bolstered a" -> "has not reinforced a" (a rewrite that also flipped
    the claim). Antonyms make it a paraphrase ("was rejected" -> "was not approved")."""
    ra = [t.norm for t in a if t.norm not in NEGATORS and t.norm not in DO_FORMS]
    rb = [t.norm for t in b if t.norm not in NEGATORS and t.norm not in DO_FORMS]
    if aux.norm not in AUXILIARIES or not ends or len(ra) != 1 or len(rb) != 1:
        return False
    return not _antonyms(ra[0], rb[0]) and ra[0].isalpha() and rb[0].isalpha()


def _antonym_swap(s: Side, d: Side, i1: int, i2: int, j1: int, j2: int) -> bool:
    """One word swapped for its antonym between shared words: "talks failed" -> "talks
    succeeded"."""
    if i2 - i1 != 1 or j2 - j1 != 1 or i1 == 0 or j1 == 0:
        return False
    before = s.tokens[i1 - 1].norm == d.tokens[j1 - 1].norm
    after = (i2 == len(s.tokens) and j2 == len(d.tokens)) or (
        i2 < len(s.tokens) and j2 < len(d.tokens) and s.tokens[i2].norm == d.tokens[j2].norm
    )
    return before and after and _antonyms(s.tokens[i1].norm, d.tokens[j1].norm)


#: the antonym pairs as 4-letter stems, to look a word pair up instead of scanning the list
_ANTONYM_STEMS = frozenset(frozenset(p[:4] for p in pair) for pair in ANTONYMS if len(pair) == 2)
_ANTONYM_WORDS = frozenset(pair for pair in ANTONYMS if len(pair) == 2)


def _antonyms(x: str, y: str) -> bool:
    """Antonyms up to inflection ("rejected"/"approved"): compared on a 4-letter stem."""
    return frozenset((x[:4], y[:4])) in _ANTONYM_STEMS or frozenset((x, y)) in _ANTONYM_WORDS


def _shared_context(s: Side, d: Side, i1: int, j1: int) -> int:
    """How many words right before the edit both sides share."""
    n = 0
    while n < i1 and n < j1 and s.tokens[i1 - 1 - n].norm == d.tokens[j1 - 1 - n].norm:
        n += 1
    return n


def _negation_finding(ctx: Context, s: Side, d: Side, i1, i2, j1, j2) -> Finding:
    lo_s, hi_s = max(0, i1 - 2), min(len(s.tokens), i2 + 2)
    lo_d, hi_d = max(0, j1 - 2), min(len(d.tokens), j2 + 2)
    old = ctx.src.text[s.tokens[lo_s].start : s.tokens[hi_s - 1].end]
    new = ctx.der.text[d.tokens[lo_d].start : d.tokens[hi_d - 1].end]
    return make_finding(
        ctx, "negation_flipped",
        f'The sentence now says the opposite: "{old}" became "{new}".',
        (s.start, s.end), (d.start, d.end), old=old, new=new,
    )  # fmt: skip
