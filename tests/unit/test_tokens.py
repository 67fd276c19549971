"""The batch tokeniser (numpy, raw texts in) against the per-token path of tokenize_article."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newslineage.index import tokens as T
from newslineage.index.minhash import oph_signatures, text_signatures
from newslineage.index.tokens import (
    shingle_hashes,
    shingle_hashes_batch,
    token_hash,
    token_hashes_batch,
    tokenize_article,
    tokenize_articles,
)
from newslineage.text.stopwords import STOPWORDS
from newslineage.text.tokens import WORD_CHARS, WORD_RE, is_unspaced

# ASCII, separators, curly quotes and dashes, German/Turkish case pairs, characters whose
# casefold is longer (ß, İ, ﬁ), titlecase ǅ, final sigma, Urdu, Devanagari with a vowel sign,
# a combining accent, an astral letter, an emoji, and a lone surrogate; ZWNJ/ZWJ, CJK, kana,
# Thai (a letter, a vowel sign, a digit, a full stop), an astral ideograph, Myanmar with its
# sign, a variation selector.
ALPHABET = [
    *"aZq09_ .,'’“”—-\n\t", "²", "٣", "der", " und ", "The ", "ß", "ẞ", "İ", "ı", "Ä", "ä", "ﬁ", "ǅ", "Σ", "ς", "و", "ز", "ی", "ر", "نے",
    "न", "ि", "\u0301", "𝐀", "😀", "\ud800", "\u200c", "\u200d", "京", "の", "ー", "ภ", "ี่", "๑",
    "ฯ", "๚", "𠀋", "က", "ာ", "\ufe0f",
]  # fmt: skip
texts = st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join)


def _single(text: str) -> np.ndarray:
    return tokenize_article(text).hashes


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=6))
def test_batch_hashes_equal_the_single_text_path(batch: list[str]) -> None:
    h, off = token_hashes_batch(batch)
    assert len(off) == len(batch) + 1
    for i, text in enumerate(batch):
        assert h[off[i] : off[i + 1]].tolist() == _single(text).tolist()
        words = [w.casefold() for w in WORD_RE.findall(text)]
        assert h[off[i] : off[i + 1]].tolist() == [token_hash(w) for w in words]
    sh, soff = shingle_hashes_batch(batch, 3)
    for i, text in enumerate(batch):
        assert sh[soff[i] : soff[i + 1]].tolist() == shingle_hashes(_single(text), 3).tolist()
    want = oph_signatures([shingle_hashes(_single(t), 3) for t in batch], 128)
    assert np.array_equal(text_signatures(batch), want)


def test_batches_larger_than_one_numpy_pass_split_cleanly() -> None:
    words = ["Der", "Minister", "traf", "in", "İzmir", "Bakanı", "und", "„Straße“", "nicht"]
    rng = np.random.default_rng(5)
    batch = [" ".join(rng.choice(words, int(rng.integers(0, 400)))) for _ in range(300)]
    batch.append("x " * (T._CHUNK + 10))  # one text longer than a pass
    assert sum(map(len, batch)) > 3 * T._CHUNK
    h, off = token_hashes_batch(batch)
    for i in (0, 1, 149, 150, 299, 300):
        assert h[off[i] : off[i + 1]].tolist() == _single(batch[i]).tolist()
    assert off[-1] == sum(len(WORD_RE.findall(t)) for t in batch)


def test_languages_tokenise_into_words_and_case_does_not_matter() -> None:
    def words(text: str) -> list[int]:
        return token_hashes_batch([text])[0].tolist()

    assert len(words("Der Verteidigungsminister traf İstanbul'da 50 Bakanı.")) == 7
    assert len(words("وزیر دفاع نے نیٹو کا دورہ کیا")) == 7  # Urdu
    assert len(words("रक्षा मंत्री ने दौरा किया")) == 5  # Hindi: vowel signs stay in the word
    assert words("STRASSE Äpfel ÇOK") == words("straße äpfel çok")  # German ß, Turkish Ç
    assert words("He’s “here” — now") == words("he s here now")
    assert words("ΣΟΦΟΣ") == words("σοφος") == words("σοφοσ")  # casefold has no final sigma


def test_token_hash_values_are_pinned() -> None:
    # A saved index holds these hashes: changing them must be deliberate (bump the format).
    assert token_hash("hegseth") == 0x4F90927FCD7CFD50
    assert token_hash("straße") == 0x52059BE5AACCC2AF
    assert token_hash("") == 0


def test_character_table_invariants_hold_for_every_code_point() -> None:
    tab = T._char_values()
    chars = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    word = np.zeros(0x110000, dtype=bool)
    for m in re.finditer(f"[{WORD_CHARS}]+", chars):
        word[m.start() : m.end()] = True
    assert np.array_equal(word, tab != 0)
    expands = tab == T._EXPANDS
    assert 0 < expands.sum() < 200 and (expands <= word).all()
    for cp in [*np.flatnonzero(word & ~expands).tolist()[::97], ord("A"), ord("Ä")]:
        folded = chr(cp).casefold()
        assert int(tab[cp]) == T._mix64_int((ord(folded) + T._K) & T._MASK)
    # casefolding keeps word characters word characters (and the rest not), and is idempotent
    for cp in range(0x110000):
        folded = chr(cp).casefold()
        if folded != chr(cp):
            assert all(word[ord(c)] == word[cp] for c in folded), hex(cp)
            assert folded.casefold() == folded, hex(cp)


def _reference(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple]:
    """The per-token definition: regex tokens per sentence, flags from Python strings."""
    out = []
    for i, (s, e) in enumerate(spans or ((0, len(text)),)):
        for tok in WORD_RE.findall(text, s, e):
            w = tok.casefold()
            num, solo = any(c.isdigit() for c in w), is_unspaced(tok)
            out.append((token_hash(w), token_hash(w[: T.STEM_PREFIX]), tok[:1].isupper(),
                        num or (w not in STOPWORDS and (len(w) > 1 or solo)), num,
                        len(w) > 2 or solo, i))  # fmt: skip
    return out


def _columns(t: T.ArticleTokens) -> list[tuple]:
    cols = (t.hashes, t.stems, t.capitalised, t.content, t.numeric, t.longish, t.sentence_of)
    return list(zip(*(c.tolist() for c in cols), strict=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, st.lists(st.integers(0, 70), max_size=6)), max_size=4))
def test_tokenize_articles_matches_the_per_token_definition(raw: list) -> None:
    items = []
    for text, cuts in raw:
        edges = sorted(set(cuts))  # sentence spans from pairs of cut points, gaps between
        items.append((text, tuple(zip(edges[0::2], edges[1::2]))))  # noqa: B905
    got = tokenize_articles(items)
    for (text, spans), t in zip(items, got, strict=True):
        assert _columns(t) == _reference(text, spans)
        assert t.n_sentences == max(len(spans), 1)
