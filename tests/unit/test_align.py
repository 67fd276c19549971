"""Unit tests for sentence alignment, similarity and verbatim passages."""

from __future__ import annotations

import random
import time

from newslineage.align import (
    AlignParams,
    align_articles,
    shared_passages,
    similarity_matrix,
)
from newslineage.model import Article
from newslineage.text import naive_sentences

_SYL = ["ka", "lo", "mi", "ner", "tus", "bra", "vel", "do", "sen", "qui", "por", "lan", "gri", "fe"]


def fake_sentences(n: int, seed: int = 0) -> list[str]:
    """Distinct news-like sentences of pseudo-words (no two share much vocabulary)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = ["".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4))) for _ in range(14)]
        words[0] = words[0].capitalize()
        words[5] = words[5].capitalize()  # a name
        words.insert(8, str(rng.randint(10, 999)))
        out.append(" ".join(words) + ".")
    return out


def make(aid: str, sentences: list[str], **kw: object) -> Article:
    text = " ".join(sentences)
    return Article(aid, text, sentences=naive_sentences(text), **kw)  # type: ignore[arg-type]


def test_identical_articles_align_verbatim_one_to_one() -> None:
    s = fake_sentences(8)
    al = align_articles(make("a", s), make("b", s))
    assert len(al.pairs) == 8 and al.ordered
    assert all(p.verbatim and p.similarity > 0.99 for p in al.pairs)
    assert len(al.passages) == 1 and al.passages[0][1].length >= len(" ".join(s)) - 1


def test_unrelated_articles_do_not_align() -> None:
    al = align_articles(make("a", fake_sentences(8, 1)), make("b", fake_sentences(8, 2)))
    assert al.pairs == () and al.passages == ()


def test_split_sentence_aligns_one_to_two() -> None:
    src = fake_sentences(5, 3)
    long = src[2].rstrip(".").split(" ")
    half = len(long) // 2
    split = [
        " ".join(long[:half]) + ".",
        long[half].capitalize() + " " + " ".join(long[half + 1 :]) + ".",
    ]
    derived = make("b", [*src[:2], *split, *src[3:]])
    al = align_articles(make("a", src), derived)
    merged = [p for p in al.pairs if p.derived.of(derived.text).count(".") == 2]
    assert len(merged) == 1 and merged[0].similarity > 0.8
    assert len(al.pairs) == 5 and al.ordered


def test_reordered_material_uses_the_fallback() -> None:
    s = fake_sentences(6, 4)
    al = align_articles(make("a", s), make("b", s[3:] + s[:3]))
    assert len(al.pairs) == 6 and not al.ordered


def test_light_edits_still_align_but_not_verbatim() -> None:
    s = fake_sentences(6, 5)
    edited = [x.replace(x.split()[2], "zorblat", 1) for x in s]
    al = align_articles(make("a", s), make("b", edited))
    assert len(al.pairs) == 6
    assert not any(p.verbatim for p in al.pairs) and all(p.similarity > 0.6 for p in al.pairs)


def test_similarity_is_language_agnostic() -> None:
    cases = [
        (
            "Der Verteidigungsminister traf am Mittwoch in Brüssel die Verbündeten der NATO.",
            "Am Mittwoch traf der Verteidigungsminister die NATO-Verbündeten in Brüssel.",
            "Das Wetter in Hamburg bleibt bis zum Wochenende regnerisch und kühl.",
        ),
        (
            "Savunma Bakanı Çarşamba günü Brüksel'de NATO müttefikleriyle görüştü.",
            "Savunma Bakanı, NATO müttefikleriyle Çarşamba günü Brüksel'de bir araya geldi.",
            "İstanbul'da hava hafta sonuna kadar yağmurlu ve serin olacak.",
        ),
        (
            "وزیر دفاع نے بدھ کو برسلز میں نیٹو کے اتحادیوں سے ملاقات کی۔",
            "بدھ کو وزیر دفاع نے برسلز میں نیٹو اتحادیوں سے ملاقات کی۔",
            "کراچی میں ہفتے کے آخر تک موسم بارش والا اور ٹھنڈا رہے گا۔",
        ),
    ]
    for original, paraphrase, unrelated in cases:
        m = similarity_matrix([original], [paraphrase, unrelated])
        assert m.min() >= 0.0 and m.max() <= 1.0
        assert m[0, 0] > 0.45 > m[0, 1] + 0.15, (original, m)


def test_similarity_rewards_shared_numbers_and_names() -> None:
    base = "The ministers agreed to spend 3.5% of GDP, Rutte said in The Hague."
    m = similarity_matrix(
        [base],
        [
            "Ministers agreed on 3.5% of GDP, said Rutte.",
            "Ministers agreed on 2% of GDP, said Healey.",
        ],
    )
    assert m[0, 0] > m[0, 1]


def test_shared_passages_offsets_and_minimum() -> None:
    src = "Alpha beta gamma delta epsilon zeta eta theta iota kappa. Other words here."
    der = "Intro text. alpha BETA gamma delta epsilon zeta eta theta iota kappa! End."
    ((ps, pd),) = shared_passages(src, der, min_words=8)
    assert src[ps[0] : ps[1]] == "Alpha beta gamma delta epsilon zeta eta theta iota kappa"
    assert der[pd[0] : pd[1]].lower() == src[ps[0] : ps[1]].lower()
    assert shared_passages(src, der, min_words=11) == []


def test_naive_sentences_keeps_abbreviations() -> None:
    text = "BRUSSELS (AP) — U.S. officials met on Feb. 12. He said “no.” Then they left!\nNext"
    got = [text[s:e] for s, e in naive_sentences(text)]
    assert got == [
        "BRUSSELS (AP) — U.S. officials met on Feb. 12.",
        "He said “no.”",
        "Then they left!",
        "Next",
    ]


def test_empty_and_sentence_less_articles() -> None:
    empty = Article("e", "")
    full = make("f", fake_sentences(3))
    assert align_articles(empty, full).pairs == ()
    # no sentences from extraction: the fallback splitter is used
    al = align_articles(Article("x", full.text), full)
    assert len(al.pairs) == 3


def test_alignment_of_two_600_word_articles() -> None:
    # prints the speed for a reader; speed targets live in bench/, never in a timed assertion
    s = fake_sentences(40, 7)  # ~600 words
    a, b = make("a", s), make("b", [x.replace("ka", "ko") for x in s[5:]] + s[:5])
    align_articles(a, b, AlignParams())  # warm the feature cache the way the engine would
    start = time.perf_counter()
    for _ in range(10):
        al = align_articles(a, b)
    per_pair = (time.perf_counter() - start) / 10
    print(f"\nalign 600-word pair: {per_pair * 1000:.1f} ms ({1 / per_pair:.0f} pairs/s)")
    assert len(al.pairs) >= 30 and not al.ordered  # the 5 moved sentences need the fallback


def test_feature_keys_do_not_depend_on_the_hash_seed() -> None:
    """Feature keys order the similarity columns (and so the float sums): two processes with
    different ``PYTHONHASHSEED`` (two runs, a Spark worker) must get the same keys."""
    import os
    import subprocess
    import sys

    code = (
        "from newslineage.align.features import sentence_features as f;"
        "k = f('Hegseth met NATO ministers in Brussels on Tuesday.', ((0, 51),));"
        "print(k.words.vocab.tolist(), k.anchors.vocab.tolist())"
    )
    out = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(out) == 1 and "[" in out.pop()


def test_similarity_products_without_blas_agree_with_blas() -> None:
    """The fallback taken when BLAS returns a non-finite product gives the same products."""
    import numpy as np

    from newslineage.align.features import _products_without_blas

    rng = np.random.default_rng(3)
    ma = (rng.random((30, 200)) < 0.1).astype(np.float32)
    mb = (rng.random((25, 200)) < 0.1).astype(np.float32)
    w = rng.random(200).astype(np.float32) + 0.5
    mask = rng.random(200) < 0.5
    weighted = ma[:, mask] * w[mask]
    got = _products_without_blas(ma, mb, w, weighted, mask)
    want = (ma @ w, mb @ w, weighted @ mb[:, mask].T)
    for g, x in zip(got, want, strict=True):
        assert g.shape == x.shape and np.allclose(g, x, rtol=1e-5)
