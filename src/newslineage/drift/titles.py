"""Changed titles: a modifier added or dropped before a role or a name ("former
harbourmaster"), or the same person under another office ("Defense Secretary X" ->
"Secretary of State X").
"""

from __future__ import annotations

from ..model import Finding
from ..text.stopwords import STOPWORDS
from .context import Context, Side, anchored, make_finding
from .lexicon import NOT_NAMES, OFFICES, ROLE_LINKS, TITLE_GLUE, TITLE_MODIFIERS
from .names import joins
from .tokens import Token, tokenize


def title_findings(ctx: Context, s: Side, d: Side, ops: list) -> list[Finding]:
    """Title modifiers added or dropped at an anchored edit, and offices swapped for the same
    person (see ``_office_findings``)."""
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag not in ("insert", "delete") or not anchored(ops, tag, i1, j1, True, edges=True):
            continue
        side, lo, hi = (d, j1, j2) if tag == "insert" else (s, i1, i2)
        words = side.tokens[lo:hi]
        if not words or any(t.norm not in TITLE_MODIFIERS for t in words):
            continue
        nxt = side.tokens[hi] if hi < len(side.tokens) else None
        if nxt is None or not _title_follows(side, hi, late=words[-1].norm == "late"):
            continue
        out.append(_title_finding(ctx, s, d, tag, words, i1, j1))
    return out + _office_findings(ctx, s, d)


def _title_follows(side: Side, k: int, late: bool = False) -> bool:
    """The modifier qualifies a role or a name: "former harbourmaster", "acting Elin Varga"."""
    window = side.tokens[k : k + 3]
    return (
        any(t.norm in OFFICES or t.capitalised for t in window[:1])
        or any(t.norm in OFFICES for t in window)
        or (not late and _lowercase_role(side.tokens[k : k + 5]))
    )


def _lowercase_role(window: list[Token]) -> bool:
    """Roles the vocabulary does not know ("hydrologist", "plant manager"): one to three
    lowercase nouns, then the person's name or "at"/"of"/"for" and an organisation.
    (The caller leaves out "late": "the late afternoon of Friday" is a time.)"""
    for n in range(1, min(3, len(window) - 1) + 1):
        head, nxt = window[:n], window[n]
        if any(t.capitalised or t.norm in STOPWORDS or not t.raw.isalpha() for t in head):
            return False
        if nxt.capitalised and nxt.norm not in NOT_NAMES:
            return True
        if nxt.norm in ROLE_LINKS:
            after = window[n + 1 : n + 2]
            return bool(after) and after[0].capitalised and after[0].norm not in NOT_NAMES
    return False


def _title_finding(ctx, s, d, tag, words, i1, j1) -> Finding:
    src_tok = s.tokens[min(i1, len(s.tokens) - 1)]
    der_tok = d.tokens[min(j1, len(d.tokens) - 1)]
    sspan = _role_span(ctx.src.text, src_tok)
    dspan = _role_span(ctx.der.text, der_tok)
    old, new = ctx.src.text[slice(*sspan)], ctx.der.text[slice(*dspan)]
    modifier = " ".join(t.raw.lower() for t in words)
    verb = "added" if tag == "insert" else "dropped"
    return make_finding(
        ctx, "title_changed",
        f'A title was changed: "{modifier}" was {verb} ("{old}" became "{new}").',
        sspan, dspan, old=old, new=new, modifier=modifier,
    )  # fmt: skip


def _role_span(text: str, tok: Token) -> tuple[int, int]:
    """From a title word to the end of the name after it (at most five words)."""
    toks = tokenize(text, tok.start, min(len(text), tok.start + 80))[:5]
    end = tok.end
    for t in toks:
        end = t.end
        if t.capitalised and t is not toks[0] and t.norm not in OFFICES | TITLE_MODIFIERS:
            nxt = [u for u in toks if u.start > t.start]
            if not nxt or not nxt[0].capitalised:
                break
    return tok.start, end


def _office_findings(ctx: Context, s: Side, d: Side) -> list[Finding]:
    """The same person under another office: "Defense Secretary X" -> "Secretary of State X"."""
    src_titles, der_titles = _titles(s), _titles(d)
    out = []
    for surname, (offices, span) in der_titles.items():
        if surname not in src_titles:
            continue
        old_offices, old_span = src_titles[surname]
        if not offices or not old_offices or offices <= old_offices or old_offices <= offices:
            continue
        old, new = ctx.src.text[slice(*old_span)], ctx.der.text[slice(*span)]
        out.append(
            make_finding(
                ctx,
                "title_changed",
                f'A title was changed: "{old}" became "{new}".',
                old_span,
                span,
                old=old,
                new=new,
            )
        )
    return out


def _titles(side: Side) -> dict[str, tuple[frozenset[str], tuple[int, int]]]:
    """surname -> (office words before the person's name, span of title + name)."""
    toks, text = side.tokens, side.article.text
    out: dict[str, tuple[frozenset[str], tuple[int, int]]] = {}
    i = 0
    while i < len(toks):
        if not _person_start(toks, i, text):
            i += 1
            continue
        j = i + 1
        while j + 1 < len(toks) and joins(text, toks[j], toks[j + 1]) and j - i < 2:
            j += 1
        k = i
        while (
            k > 0
            and toks[k - 1].norm in OFFICES | TITLE_GLUE
            and text[toks[k - 1].end : toks[k].start] == " "
        ):
            k -= 1
        offices = frozenset(t.norm for t in toks[k:i] if t.norm in OFFICES)
        out.setdefault(toks[j].norm, (offices, (toks[k].start, toks[j].end)))
        i = j + 1
    return out


def _person_start(toks: list[Token], i: int, text: str) -> bool:
    """A capitalised non-title word followed by another: the first name of a full name."""
    if i + 1 >= len(toks):
        return False
    a, b = toks[i], toks[i + 1]
    return (
        a.capitalised
        and b.capitalised
        and a.norm not in NOT_NAMES
        and b.norm not in NOT_NAMES
        and text[a.end : b.start] == " "
        and not a.raw.endswith(("’s", "'s"))
    )
