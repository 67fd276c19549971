"""Direct quotations: where they are, who said them, and how a copy's version differs.

>>> text = '“We will not speculate,” the board said.'
>>> [text[s:e] for s, e in find_quotes(text)]
['We will not speculate,']
>>> word_changes("we will not speculate", "we will speculate")
[('delete', 'not', '')]
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .tokens import tokenize

_OPEN = "“„«"
_CLOSE = "”»"
_SPEAKER_AFTER = re.compile(
    r"^[\s,.]*(?:[“”\"'’]\s*)?(?:(?:said|says|told|added|stressed|noted|warned)\s+)?"
    r"(?P<who>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w.’'-]*){0,4})"
    r"\s+(?:said|says|told|added|stressed|noted|warned|wrote)\b"
)
_SPEAKER_BEFORE = re.compile(
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s+(?:said|says|told [\w\s]{0,30}|added)"
    r"\s*[:,]?\s*$"
)
_MINOR = frozenset({"the", "a", "an"})
_QUOTE_EVENT = re.compile(f"[{_OPEN}{_CLOSE}\"\n]|’’|''")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Inner spans of double-quoted passages (curly or straight); unbalanced quotes are skipped."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    straight_open = False
    # only quotation marks and line breaks matter: jump from one to the next
    for m in _QUOTE_EVENT.finditer(text):
        ch, i = m.group(), m.start()
        if ch in _OPEN:
            opened, straight_open = i + 1, False
        elif ch[0] in _CLOSE or len(ch) == 2:  # a closing mark, or ’’ / '' used as one
            if opened is not None and not straight_open:
                spans.append((opened, i))
            opened = None
        elif ch == '"':
            if opened is not None and straight_open:
                spans.append((opened, i))
                opened = None
            else:
                opened, straight_open = i + 1, True
        elif straight_open:  # a line break: a straight quote never runs past a paragraph
            opened = None
    return [(s, e) for s, e in spans if e > s]


def speaker_of(text: str, start: int, end: int) -> str | None:
    """Who a quote at inner span ``[start, end)`` is attributed to, when the text says so."""
    after = _SPEAKER_AFTER.match(text[end : end + 90])
    if after:
        return after.group("who")
    before = _SPEAKER_BEFORE.search(text[max(0, start - 90) : max(0, start - 1)])
    return before.group("who") if before else None


def word_changes(source: str, derived: str) -> list[tuple[str, str, str]]:
    """Word-level edits that turn a source quote into the derived one: (op, old, new).

    Leading and trailing material is ignored (a quote cut short or extended is not a changed
    quote), and so are changes of articles alone ("the war" -> "war").
    """
    a = [t.norm for t in tokenize(source)]
    b = [t.norm for t in tokenize(derived)]
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # a shared opening word anchors too: both quotes start there, so they were not cut
    # differently ("We will not accept" -> "We might not accept")
    anchors = [
        k
        for k, op in enumerate(ops)
        if op[0] == "equal" and (_substantive(a[op[1] : op[2]]) or op[1] == op[3] == 0)
    ]
    if not anchors:
        return []
    first, last = anchors[0], anchors[-1]
    # before the first shared word and after the last one the quotes were cut differently;
    # only a short substitution right at the end still counts ("catastrophe" -> "disaster")
    body = ops[first : last + 1]
    tail = ops[last + 1 : last + 2]
    if tail and (
        tail[0][0] != "replace"
        or tail[0][4] != len(b)
        or tail[0][2] - tail[0][1] > 3
        or tail[0][4] - tail[0][3] > 3
    ):
        tail = []
    out = []
    for tag, i1, i2, j1, j2 in body + tail:
        if tag == "equal":
            continue
        old, new = a[i1:i2], b[j1:j2]
        if set(old) | set(new) <= _MINOR:
            continue
        out.append((tag, " ".join(old), " ".join(new)))
    return out


def _substantive(words: list[str]) -> bool:
    return len(words) >= 2 or any(w not in _MINOR and len(w) > 3 for w in words)


def describe_change(change: tuple[str, str, str]) -> str:
    tag, old, new = change
    if tag == "delete":
        return f'"{old}" was dropped'
    if tag == "insert":
        return f'"{new}" was added'
    return f'"{old}" became "{new}"'
