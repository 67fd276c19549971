"""Word tokens with offsets, folded so that spelling and typography never look like drift.

``defence``/``defense``, ``favourable``/``favorable``, ``U.S.``/``US``, curly/straight quotes and
``won't``/``will not`` all fold to one form, because a copy that only changed house style did
not change what the story says.

>>> [t.norm for t in tokenize("He won't defend the U.S. harbour.")]
['he', 'will', 'not', 'defend', 'the', 'us', 'harbor']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from newslineage.text.tokens import LETTERS, UNSPACED_CHAR

# Words are text.tokens' words (marks and joiners inside, one token per CJK/Thai character),
# joined by apostrophes, hyphens and dots into "U.S.", "pre-2014", "Hegseth’s".
_WORD = re.compile(
    r"[$£€¥]?\d+(?:[.,:]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?%?"  # numbers and ranges: 3.5-3.7%
    rf"|{LETTERS}(?:[’'\-.](?:{LETTERS}|\d+)+)*\.?"  # words, U.S., pre-2014, Hegseth’s
    rf"|{UNSPACED_CHAR}"
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


class Token(NamedTuple):
    """One word: ``raw`` as written, ``norm`` folded, ``[start, end)`` in the text it came from.

    A named tuple, not a dataclass: drift makes one per word of every story member, and a
    tuple is built in a third of the time (the frozen dataclass was 40% of ``tokenize``).
    """

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
    new = tuple.__new__
    find, b = text.find, start
    # findall and str.find, not finditer's match objects (~10% faster): the next match is
    # the first place its text occurs after the last one, because any word character or
    # currency sign in between would have begun a match there
    for raw in _WORD.findall(text, start, len(text) if end is None else end):
        a = find(raw, b)
        b = a + len(raw)
        norms = _norms(raw)
        out.append(new(Token, (raw, norms[0], a, b)))
        if len(norms) > 1:  # a contraction: "won't" -> will, not (both at the word's span)
            out.append(new(Token, (raw, norms[1], a, b)))
    return out


def has_tokens(text: str, k: int) -> bool:
    """``len(tokenize(text)) >= k``, without building the tokens (stops at the ``k``-th)."""
    n = 0
    for m in _WORD.finditer(text):
        n += len(_norms(m.group()))
        if n >= k:
            return True
    return k <= 0


@lru_cache(maxsize=1 << 16)
def _norms(raw: str) -> tuple[str, ...]:
    """The folded word(s) of one written word: two for a contraction."""
    low = raw.lower().replace("’", "'")
    if low in _CONTRACTIONS:
        return _CONTRACTIONS[low]
    if low.endswith("n't") and len(low) > 3:
        return fold_word(low[:-3]), "not"
    return (fold_word(raw),)


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
