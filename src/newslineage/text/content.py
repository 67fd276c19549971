"""Content words of a text, as the support check and the summary gate read them.

Both ``drift.support`` (which source sentences support a derived sentence) and
``lineage.summary`` (is a short text a summary of a long one) need the same words: clitics
kept on, lower case without the possessive, a crude stem, and the support check's stopwords.
They live here so the lineage does not import drift (drift reads the lineage's stories).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Article
from .sentences import split_sentences
from .stopwords import STOPWORDS as TEXT_STOPWORDS
from .tokens import LETTERS, UNSPACED_CHAR

__all__ = ["STOPWORDS", "WORD", "fold", "novel_share", "stem"]

# text.tokens' words and numbers, with clitics kept on ("don't", "Hegseth’s")
WORD = re.compile(rf"(?:{LETTERS}|\d+|{UNSPACED_CHAR})(?:['’](?:{LETTERS}|\d+))*")

#: the words the support check ignores: the one stopword list (text/stopwords.py) plus what
#: tokenised and news text adds: clitics split off by tokenisers ("n't", "'s", "ll"), bracket
#: tokens of tokenised text ("-lrb-", "-rrb-"), honorifics and reporting verbs
STOPWORDS = TEXT_STOPWORDS | frozenset(
    [
        "s",
        "t",
        "d",
        "ll",
        "m",
        "re",
        "ve",
        "n't",
        "'s",
        "lrb",
        "rrb",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "said",
        "says",
        "say",
        "told",
        "tells",
    ]
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude stem, so that "pictured" meets "picture" and "beaten" "beat": enough for coverage."""
    for suffix in ("ings", "ing", "ies", "ied", "ed", "en", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)]
            break
    return word.rstrip("e")[:6]


def fold(word: str) -> str:
    """Lower case, possessive dropped: "Ohio's" is "ohio"."""
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") and len(word) > 2 else word


def _words(article: Article) -> list[str]:
    """The folded words of the article's sentences ("unk" tokens of tokenised text dropped)."""
    return list(_text_words(*_key(article)))


def _key(article: Article) -> tuple[str, tuple[tuple[int, int], ...]]:
    spans = article.sentences
    if type(spans) is not tuple or (spans and type(spans[0]) is not tuple):
        spans = tuple(tuple(x) for x in spans)  # an Article built by hand, with lists
    return article.text, spans


# per text, not per article: the texts of a store are the same str objects call after call,
# so their hashes are cached and a lookup costs a tuple hash of the sentence offsets. A short
# text is tested against several candidate sources (relate's summary test, the summary
# rounds), each source against several short texts; 2,048 texts are ~15 MB per process.
@lru_cache(maxsize=2048)
def _text_words(text: str, sentences: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    spans = list(sentences) or split_sentences(text)
    return tuple(
        fold(m.group()) for s, e in spans for m in WORD.finditer(text, s, e)
        if m.group().lower() != "unk"
    )  # fmt: skip


@lru_cache(maxsize=2048)
def _vocabulary(text: str, sentences: tuple[tuple[int, int], ...]) -> tuple[frozenset, frozenset]:
    """(folded words, their stems) of a source text."""
    words = frozenset(_text_words(text, sentences))
    return words, frozenset(stem(w) for w in words)


@lru_cache(maxsize=2048)
def _content(text: str, sentences: tuple[tuple[int, int], ...]) -> tuple[tuple[str, str], ...]:
    """(word, stem) of every content word of a derived text, in order."""
    return tuple((w, stem(w)) for w in _text_words(text, sentences) if w not in STOPWORDS)


def novel_share(source: Article, derived: Article) -> float:
    """Share of the derived text's content words that the source never writes (in any
    inflection): how much of a short text could not have come from ``source`` at all."""
    words, stems = _vocabulary(*_key(source))
    content = _content(*_key(derived))
    novel = sum(w not in words and s not in stems for w, s in content)
    return novel / max(len(content), 1)
