"""Changed names: a person or organisation named differently in a sentence the copy took
("Pete Hegseth" -> "Mike Hegseth"), leaving spelling variants, demonyms and acronyms alone.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..model import Finding
from ..text.stopwords import STOPWORDS
from .context import Context, Side, anchored, make_finding
from .lexicon import NOT_NAMES, OFFICES, ORG_HEADS, TITLE_MODIFIERS
from .tokens import Token, is_sentence_start, tokenize

_DATELINE_CREDIT = re.compile(r"\([A-Z][A-Za-z]*\) [—–-]")
_DATELINE_CITY = re.compile(r"(?:^|\n)[A-Z][A-Z .'-]* $")


def _is_name(ctx_midcaps: frozenset[str], text: str, t: Token) -> bool:
    if not t.capitalised or t.norm in NOT_NAMES or t.norm[:1].isdigit():
        return False
    if t.norm in STOPWORDS:
        return False  # "Before Hegseth spoke": a capitalised function word is not a first name
    if len(t.raw) > 1 and t.raw.isupper() and is_sentence_start(text, t.start):
        return False  # a dateline ("GRANBURY (CPA) —"), not a name in the sentence
    if _DATELINE_CREDIT.match(text, t.start - 1) and _DATELINE_CITY.search(text, 0, t.start - 1):
        return False  # the dateline's agency: who filed the copy, not what it says
    return not is_sentence_start(text, t.start) or t.norm in ctx_midcaps


def _variant(a: str, b: str) -> bool:
    """Spelling variants, demonyms and typos: Ukraine/Ukrainian, Hegseth/Hegses."""
    prefix = len(_common_prefix(a, b))
    return prefix >= 4 or SequenceMatcher(None, a, b).ratio() >= 0.7


def _common_prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


def name_findings(ctx: Context, s: Side, d: Side, ops: list) -> list[Finding]:
    """Names replaced in a short anchored edit where the source's name is not kept nearby and
    the copy's is unknown to the source: a change, not a spelling variant or an addition."""
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        old = [t for t in s.tokens[i1:i2] if _is_name(ctx.src_midcaps, ctx.src.text, t)]
        new = [t for t in d.tokens[j1:j2] if _is_name(ctx.der_midcaps, ctx.der.text, t)]
        if old and not new and i2 - i1 == 1 and j2 - j1 == 1:
            new = _opening_name(ctx, d.tokens[j1])
        # the old name kept elsewhere in the copy does not excuse it here (a copy that
        # renames a person once contradicts itself); a new name the source knows does
        here = ctx.der_norms if ctx.strict else _unmatched(d.tokens, ops)
        old = [t for t in old if t.norm not in here]
        new = [t for t in new if t.norm not in ctx.src_norms]
        if not old or not new or not anchored(ops, tag, i1, j1, ctx.strict):
            continue
        if all(_variant(a.norm, b.norm) for a in old for b in new) or _acronym(old, new):
            continue
        if ctx.strict and not _first_name_swap(s, d, i2, j2):
            continue
        out.append(_name_finding(ctx, old, new))
    return out


def _unmatched(tokens: list[Token], ops: list) -> frozenset[str]:
    """Words of the derived unit outside its runs shared with the source: where a name
    that moved within the sentence would be."""
    return frozenset(
        tokens[j].norm for tag, _, _, j1, j2 in ops if tag != "equal" for j in range(j1, j2)
    )


def _opening_name(ctx: Context, t: Token) -> list[Token]:
    """A capitalised word opening the sentence where the source has a name ("Quinby has
    funded" -> "Tavano has funded") is a name too, unless either text uses it in lower case
    (an ordinary word: "Officials said") or it is a function word."""
    if (
        not t.capitalised
        or t.norm in NOT_NAMES
        or t.norm in STOPWORDS
        or t.norm in ctx.src_lower
        or t.norm in ctx.der_lower
        or not t.raw.isalpha()
    ):
        return []
    return [t]


def _first_name_swap(s: Side, d: Side, i2: int, j2: int) -> bool:
    """One first name replaced before the same surname (Pete Hegseth -> Mike Hegseth)."""
    return (
        i2 < len(s.tokens)
        and j2 < len(d.tokens)
        and s.tokens[i2].norm == d.tokens[j2].norm
        and s.tokens[i2].capitalised
    )


def _acronym(old: list[Token], new: list[Token]) -> bool:
    a = "".join(t.raw[0] for t in old).lower()
    b = "".join(t.raw[0] for t in new).lower()
    return any(len(x.norm) >= 2 and x.norm in (a, b) for x in old + new)


def _name_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a name token to the capitalised run it belongs to: "Ukraine Defense Contact Group"."""
    toks = tokenize(text, max(0, start - 80), min(len(text), end + 80))
    idx = [i for i, t in enumerate(toks) if t.start < end and start < t.end]
    if not idx:
        return start, end
    lo, hi = idx[0], idx[-1]
    while hi + 1 < len(toks) and joins(text, toks[hi], toks[hi + 1]):
        hi += 1
    # an organisation's name may hold office words ("Ukraine Defense Contact Group")
    org = toks[hi].norm in ORG_HEADS
    while lo > 0 and joins(text, toks[lo - 1], toks[lo], offices=org):
        lo -= 1
    return toks[lo].start, toks[hi].end


def joins(text: str, a: Token, b: Token, offices: bool = False) -> bool:
    gap = text[a.end : b.start]
    if gap not in (" ", "-") or a.raw.endswith(("’s", "'s")):
        return False
    barred = TITLE_MODIFIERS if offices else OFFICES | TITLE_MODIFIERS
    return all(
        t.capitalised and t.norm not in barred and not is_sentence_start(text, t.start)
        for t in (a, b)
    ) or (offices and a.capitalised and b.capitalised and b.norm not in barred)


def _name_finding(ctx: Context, old: list[Token], new: list[Token]) -> Finding:
    sspan = _name_phrase(ctx.src.text, old[0].start, old[-1].end)
    dspan = _name_phrase(ctx.der.text, new[0].start, new[-1].end)
    old_text, new_text = ctx.src.text[slice(*sspan)], ctx.der.text[slice(*dspan)]
    person = fold_last(new_text) not in ORG_HEADS
    return make_finding(
        ctx, "name_changed", f'A name was changed: "{old_text}" became "{new_text}".',
        sspan, dspan, "high" if person else "medium", old=old_text, new=new_text,
    )  # fmt: skip


def fold_last(phrase: str) -> str:
    toks = tokenize(phrase)
    return toks[-1].norm if toks else ""
