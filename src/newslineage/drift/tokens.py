"""Word tokens with offsets, folded so that spelling and typography never look like drift.

``defence``/``defense``, ``favourable``/``favorable``, ``U.S.``/``US``, curly/straight quotes and
``won't``/``will not`` all fold to one form, because a copy that only changed house style did
not change what the story says.

>>> [t.norm for t in tokenize("He won't defend the U.S. harbour.")]
['he', 'will', 'not', 'defend', 'the', 'us', 'harbor']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(
    r"[$£€¥]?\d+(?:[.,:]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?%?"  # numbers and ranges: 3.5-3.7%
    r"|[^\W\d_]+(?:[’'\-.][^\W_]+)*\.?"  # words, U.S., pre-2014, Hegseth’s
    r"|[$£€¥%]"
)
_CONTRACTIONS = {"won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not")}
_SPELLING = (
    (re.compile(r"(?<=\w{2})our(?=s?$|ed$|ing$|able$|ite$|ly$)"), "or"),  # harbour, favourable
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation)$"), r"iz\1"),  # organise
    (re.compile(r"(?<=\w{3})tre$"), "ter"),  # centre
)
_ALIASES = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "u.s.": "us",
    "u.s": "us",
    "u.k.": "uk",
    "u.k": "uk",
    "e.u.": "eu",
    "percent": "%",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One word: ``raw`` as written, ``norm`` folded, ``[start, end)`` in the text it came from."""

    raw: str
    norm: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.raw[:1].isupper()


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """Lower case, straight apostrophes, no possessive, one spelling.

    >>> fold_word("Defence’s"), fold_word("U.S."), fold_word("Favourable")
    ('defense', 'us', 'favorable')
    """
    w = word.lower().replace("’", "'").replace("‘", "'")
    if w in _ALIASES:
        return _ALIASES[w]
    w = w.rstrip(".")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'") and len(w) > 3:
        w = w[:-1]
    for pattern, repl in _SPELLING:
        w = pattern.sub(repl, w)
    return _ALIASES.get(w, w)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``; contractions are split."""
    out: list[Token] = []
    for m in _WORD.finditer(text, start, len(text) if end is None else end):
        raw = m.group()
        low = raw.lower().replace("’", "'")
        if low in _CONTRACTIONS:
            a, b = _CONTRACTIONS[low]
            out += [Token(raw, a, m.start(), m.end()), Token(raw, b, m.start(), m.end())]
        elif low.endswith("n't") and len(low) > 3:
            out += [
                Token(raw, fold_word(low[:-3]), m.start(), m.end()),
                Token(raw, "not", m.start(), m.end()),
            ]
        else:
            out.append(Token(raw, fold_word(raw), m.start(), m.end()))
    return out


_OPENERS = " \"'“‘(—–-"


def is_sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` opens a sentence (text start, after . ! ? : or a line break, or
    after a full quotation closed without punctuation: ``…clear answers" Merchants said``).

    >>> text = 'He said: "We need clear answers" Traders in Halvik agreed.'
    >>> is_sentence_start(text, text.find("Traders")), is_sentence_start(text, text.find("in"))
    (True, False)
    """
    # a window, not the whole prefix: this runs for every token of an article
    lo = max(0, pos - 40)
    before = text[lo:pos].rstrip(_OPENERS)
    if not before and lo:
        before = text[:pos].rstrip(_OPENERS)
    if not before or before[-1] in ".!?:\n":
        return True
    return _after_bare_quote(text[lo:pos])


def _after_bare_quote(before: str) -> bool:
    """``…answers" `` : a closing quotation mark after a word, then a space. Copies that drop
    a quote's final full stop run two sentences together; what follows opens a new one."""
    stripped = before.rstrip(" ")
    return (
        len(stripped) >= 2
        and len(stripped) < len(before)
        and stripped[-1] in '"”'
        and stripped[-2].isalnum()
    )
