"""Unit tests for the text-reuse features of the kind decision (``semantic/reuse.py``):
greedy string tiling and the bit-parallel longest common subsequence, against slow references."""

from __future__ import annotations

import random

import pytest

from newslineage.semantic.features import FEATURES, reuse_of, words
from newslineage.semantic.reuse import REUSE_FEATURES, lcs_length, reuse_features, tiled_share


def _w(text: str) -> list[str]:
    return text.split()


def _lcs_table(a: list[str], b: list[str]) -> int:
    """The textbook dynamic programme (Wagner and Fischer 1974), the reference."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev, row = row, [0]
        for j, y in enumerate(b):
            row.append(prev[j] + 1 if x == y else max(prev[j + 1], row[j]))
    return row[-1]


def test_lcs_matches_the_dynamic_programme() -> None:
    rng = random.Random(7)
    for _ in range(200):
        a = rng.choices("abcde", k=rng.randrange(0, 40))
        b = rng.choices("abcde", k=rng.randrange(0, 40))
        assert lcs_length(a, b) == _lcs_table(a, b)


def test_lcs_of_long_texts_needs_no_table() -> None:
    a = [f"w{i}" for i in range(3000)]
    assert lcs_length(a, a[::2]) == 1500


def test_a_copy_is_one_tile_and_moved_blocks_still_count() -> None:
    src = _w("the port of karachi closed on monday after the storm hit the coast")
    assert tiled_share(src, src) == 1.0
    moved = src[7:] + src[:7]  # the second half first: order lost, every word still tiled
    assert tiled_share(moved, src) == 1.0
    assert lcs_length(src, moved) == 7


def test_each_source_word_tiles_once() -> None:
    # a derived text repeating one source sentence twice covers only one copy of it
    src = _w("rain fell on the city")
    assert tiled_share(src + src, src) == 0.5


def test_runs_shorter_than_the_minimum_tile_do_not_count() -> None:
    assert tiled_share(_w("a x b y c"), _w("a b c")) == 0.0
    assert tiled_share(["a"], ["a"]) == 0.0  # shorter than a tile


def test_reuse_features_of_unrelated_and_empty_texts() -> None:
    assert reuse_features(_w("one two three"), _w("four five six")) == [0.0, 0.0]
    assert reuse_features(_w("one two"), []) == [0.0, 0.0]


def test_reuse_features_are_the_last_of_the_kind_features_and_fold_urdu() -> None:
    assert FEATURES[-len(REUSE_FEATURES) :] == REUSE_FEATURES
    src = "وزیر اعظم نے کراچی کا دورہ کیا"
    der = "وزیرِ اعظم نے کراچی کا دورہ کیا اور کہا"  # a zer: the same folded word
    gst, lcs = reuse_of(src, der)
    assert gst == lcs == pytest.approx(round(len(words(src)) / len(words(der)), 3))
