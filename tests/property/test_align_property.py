"""Property tests: alignment invariants hold for any pair of texts."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from newslineage.align import align_articles
from newslineage.model import Article
from newslineage.text import naive_sentences
from newslineage.text.tokens import word_tokens

WORDS = [
    "nato",
    "Brussels",
    "ukraine",
    "Hegseth",
    "allies",
    "war",
    "spending",
    "126",
    "3.5%",
    "Über",
    "güvenlik",
    "وزیر",
    "said",
    "the",
    "would",
    "defense",
    "Rutte",
    "peace",
]

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(
    lambda ws: " ".join(ws)[:1].upper() + " ".join(ws)[1:] + "."
)
sentences = st.lists(sentence, min_size=0, max_size=12)


def _article(aid: str, parts: list[str], sep: str) -> Article:
    text = sep.join(parts)
    return Article(aid, text, sentences=naive_sentences(text))


@st.composite
def pairs(draw):
    src = draw(sentences)
    # the derived text: a shuffled, trimmed, edited selection of the source plus new text
    picked = draw(st.lists(st.sampled_from(src), max_size=12)) if src else []
    extra = draw(sentences)
    order = draw(st.permutations(picked + extra))
    sep = draw(st.sampled_from([" ", "\n", "  \n "]))
    return _article("s", src, sep), _article("d", list(order), sep)


def _words(text: str) -> list[str]:
    return [t.lower() for t, _, _ in word_tokens(text)]


def _disjoint(spans: list[tuple[int, int]]) -> bool:
    spans = sorted(spans)
    return all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@settings(max_examples=150, deadline=None)
@given(pairs())
def test_alignment_invariants(pair: tuple[Article, Article]) -> None:
    src, der = pair
    al = align_articles(src, der)
    assert (al.source_id, al.derived_id) == ("s", "d")
    for p in al.pairs:
        assert 0 <= p.source.start < p.source.end <= len(src.text)
        assert 0 <= p.derived.start < p.derived.end <= len(der.text)
        assert 0.0 <= p.similarity <= 1.0
        assert p.source.article_id == "s" and p.derived.article_id == "d"
    assert _disjoint([(p.source.start, p.source.end) for p in al.pairs])
    assert _disjoint([(p.derived.start, p.derived.end) for p in al.pairs])
    if al.ordered:
        by_derived = sorted(al.pairs, key=lambda p: p.derived.start)
        assert all(a.source.end <= b.source.start for a, b in itertools.pairwise(by_derived))
    for s, d in al.passages:
        assert 0 <= d.start < d.end <= len(der.text)
        # a passage is the same words on both sides (punctuation between words may differ)
        assert _words(s.of(src.text)) == _words(d.of(der.text))
    assert _disjoint([(s.start, s.end) for s, _ in al.passages])
    assert _disjoint([(d.start, d.end) for _, d in al.passages])


@settings(max_examples=60, deadline=None)
@given(sentences)
def test_self_alignment_is_complete(parts: list[str]) -> None:
    art = _article("s", parts, " ")
    al = align_articles(art, Article("d", art.text, sentences=art.sentences))
    long_ones = [s for s in art.sentences if s[1] - s[0] >= 20]
    covered = {(p.derived.start, p.derived.end) for p in al.pairs}
    # every sentence long enough to align alone is matched (possibly inside a 2-1 merge)
    for s, e in long_ones:
        assert any(a <= s and e <= b for a, b in covered)
