"""Unit tests of the index building blocks: tokens, MinHash, LSH key tables."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newslineage.index.lsh import KeyTable
from newslineage.index.minhash import (
    EMPTY,
    band_keys,
    bbit,
    containment_from_jaccard,
    estimate_jaccard,
    estimate_jaccard_bbit,
    oph_signatures,
    text_signatures,
)
from newslineage.index.sentfp import sentence_signatures
from newslineage.index.terms import story_terms
from newslineage.index.tokens import shingle_hashes, token_hash, tokenize_article


def test_tokens_are_unicode_words_in_many_languages() -> None:
    text = "Der Verteidigungsminister traf İstanbul'da 50 Bakanı. وزیر دفاع نے نیٹو کا دورہ کیا"
    t = tokenize_article(text)
    assert len(t.hashes) == 14
    # function words of each language are stopwords ("Der", "da", "نے", "کا", "کیا")
    assert t.content.sum() == 14 - 5
    assert t.numeric.sum() == 1


def test_token_hash_is_fixed_across_processes() -> None:
    code = "from newslineage.index.tokens import token_hash; print(token_hash('Hegseth'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == token_hash("Hegseth")
    assert token_hash("Hegseth") != token_hash("hegseth")


def test_shingles_depend_on_order() -> None:
    a = shingle_hashes(np.array([1, 2, 3], np.uint64), 3)
    b = shingle_hashes(np.array([3, 2, 1], np.uint64), 3)
    assert a[0] != b[0]
    assert len(shingle_hashes(np.array([1, 2], np.uint64), 3)) == 1  # short text: one shingle


@pytest.mark.parametrize("true_j", [0.1, 0.3, 0.6, 0.9])
def test_oph_estimates_jaccard(true_j: float) -> None:
    rng = np.random.default_rng(7)
    universe = rng.integers(0, 2**63, 4000, dtype=np.int64).astype(np.uint64)
    n = 1000
    shared = round(2 * n * true_j / (1 + true_j))
    a = universe[:n]
    b = np.concatenate([universe[:shared], universe[n : 2 * n - shared]])
    est = []
    for seed in range(20):  # average over re-hashings of the same sets
        mix = np.uint64(((seed * 2 + 1) * 0x9E3779B97F4A7C15) % 2**64)
        s = oph_signatures([a * mix, b * mix], 128)
        est.append(float(estimate_jaccard(s[0], s[1])))
    assert abs(np.mean(est) - true_j) < 0.05


def test_densification_fills_short_documents() -> None:
    s = oph_signatures([np.arange(1, 6, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)], 128)
    assert (s != EMPTY).all()
    empty = oph_signatures([np.empty(0, np.uint64)], 128)
    assert (empty == EMPTY).all()
    assert float(estimate_jaccard(s[0], s[0])) == 1.0


def test_containment_from_jaccard() -> None:
    # A (100) inside B (400): J = 100/400 = 0.25 -> containment of A is 1
    assert containment_from_jaccard(0.25, 100, 400) == pytest.approx(1.0)


def test_text_signatures_agree_on_same_text_and_differ_otherwise() -> None:
    s = text_signatures(["the quick brown fox jumps", "The quick brown fox jumps", "lorem ipsum"])
    assert (s[0] == s[1]).all()
    assert float(estimate_jaccard(s[0], s[2])) < 0.1


def test_band_keys_shape_and_determinism() -> None:
    sig = text_signatures(["a b c d e f g"] * 2)
    k = band_keys(sig, 42, 3)
    assert k.shape == (2, 42) and k.dtype == np.uint32
    assert (k[0] == k[1]).all() and len(set(k[0].tolist())) == 42
    with pytest.raises(ValueError):
        band_keys(sig, 50, 3)


def test_key_table_lookup_segments_and_bucket_cap() -> None:
    t = KeyTable()
    t.add(np.array([1, 2, 2], np.uint32), np.array([10, 11, 12], np.int32))
    t.add(np.array([2, 3], np.uint32), np.array([13, 14], np.int32))
    q, r = t.lookup(np.array([2, 9, 3], np.uint32))
    assert sorted(zip(q.tolist(), r.tolist(), strict=True)) == [(0, 11), (0, 12), (0, 13), (2, 14)]
    q, r = t.lookup(np.array([2, 3], np.uint32), max_bucket=2)  # key 2: 3 rows over 2 segments
    assert r.tolist() == [14]
    for i in range(20):  # many segments merge
        t.add(np.array([i], np.uint32), np.array([i], np.int32))
    assert len(t) == 25 and len(t._keys) <= 9
    k, rows, stopped = t.arrays()
    assert (np.diff(k.astype(np.int64)) >= 0).all() and len(rows) == 25 and len(stopped) == 0


def test_key_table_cap_forgets_full_buckets_for_good() -> None:
    t = KeyTable(cap=2)
    t.add(np.array([7, 7, 8], np.uint32), np.array([0, 1, 2], np.int32))
    t.add(np.array([7, 9], np.uint32), np.array([3, 4], np.int32))  # key 7 now has 3 rows
    assert len(t) == 2 and t._stopped.tolist() == [7]
    t.add(np.array([7], np.uint32), np.array([5], np.int32))  # a stopped key stays stopped
    _q, r = t.lookup(np.array([7, 8, 9], np.uint32))
    assert sorted(r.tolist()) == [2, 4] and len(t) == 2
    k, rows, stopped = t.arrays()
    again = KeyTable.from_arrays(k, rows, stopped, cap=2)
    assert sorted(again.lookup(np.array([7, 8], np.uint32))[1].tolist()) == [2]


def test_sentence_signatures_skip_short_sentences() -> None:
    text = "Hegseth met allied defense ministers in Brussels. UK. Ministers discussed Ukraine aid."
    t = tokenize_article(text, ((0, 49), (50, 53), (54, 87)))
    _sig, doc, sent = sentence_signatures([t], 8, 3)
    assert sent.tolist() == [0, 2] and doc.tolist() == [0, 0]


def test_story_terms_flag_names_and_numbers() -> None:
    t = tokenize_article("Yesterday Hegseth said 126 allies met. The alliance agreed.")
    keys, strong, tf = story_terms(t)
    assert len(keys) == 6  # yesterday hegseth 126 allie(s) alliance agree(d); "met" too short
    assert int(strong.sum()) == 2  # Hegseth, 126 (Yesterday starts the sentence)
    assert int(tf.sum()) == 6


def test_packed_key_table_answers_as_the_plain_one(monkeypatch) -> None:
    from newslineage.index import lsh

    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**32, 20000, dtype=np.uint64).astype(np.uint32)
    keys = np.concatenate([keys, keys[:500], np.array([0, 0, 65535, 65536, 2**32 - 1], np.uint32)])
    rows = np.arange(len(keys), dtype=np.int32)
    needles = np.concatenate([keys[::3], np.array([1, 65535, 65536, 65537, 2**32 - 1], np.uint32)])
    got = []
    for pack_min in (1 << 40, 1000):  # never packed, then every merged segment packed
        monkeypatch.setattr(lsh, "PACK_MIN", pack_min)
        t = lsh.KeyTable(cap=2)
        for i in range(0, len(keys), 3000):
            t.add(keys[i : i + 3000], rows[i : i + 3000])
        q, r = t.lookup(needles, 2)
        order = np.lexsort((r, q))
        got.append((q[order].tolist(), r[order].tolist(), t.arrays()[0].tolist(), t.nbytes))
    assert got[0][:3] == got[1][:3] and len(got[0][0]) > 1000
    assert got[1][3] - 4 * 65537 < got[0][3]  # 2 B per key instead of 4, plus the directory


def test_bbit_jaccard_is_corrected_for_chance_agreements() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(0, 2**32, (200, 128), dtype=np.uint64).astype(np.uint32)
    b = rng.integers(0, 2**32, (200, 128), dtype=np.uint64).astype(np.uint32)
    half = a.copy()
    half[:, ::2] = b[:, ::2]
    unrelated = estimate_jaccard_bbit(bbit(a), bbit(b))
    assert abs(float(unrelated.mean())) < 0.01  # 1/256 raw agreement, corrected to ~0
    assert abs(float(estimate_jaccard_bbit(bbit(a), bbit(half)).mean()) - 0.5) < 0.01


def test_id_list_looks_up_rows_and_round_trips() -> None:
    from newslineage.index.ids import IdList

    ids = IdList()
    ids.extend(["a", "ünï", "https://x.example/1"])
    ids.extend(["b"])
    assert ids.rows(["b", "ünï", "nope", "a"]).tolist() == [3, 1, -1, 0]
    again = IdList.from_arrays(*ids.arrays())
    assert list(again) == ["a", "ünï", "https://x.example/1", "b"] and "b" in again
