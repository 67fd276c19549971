"""Sentence alignments kept from the relate stage for the drift step, so a derived pair is
aligned once per analysis instead of twice.

``analyze`` aligns every candidate pair to decide its relation, then the drift step compares
each derived article with its sources through the same alignment. Re-aligning took about a
quarter of the drift step's CPU time (profile of 600 stories of the synthetic 10k corpus).
The memo keeps, per (source, derived) pair, its sentence pairs packed in one numpy record array
(25 bytes per pair, about 0.7 KB per relation) and its verbatim passages (16 bytes each); after
the analysis ``api.analyze`` stores them, so the report, the web app and the terminal show the
alignment each relation was decided on without aligning again.

>>> from newslineage.model import Article
>>> from newslineage.align import align_articles
>>> a = Article("a", "NATO ministers met in Brussels on Thursday. It rained all day long.")
>>> b = Article("b", "NATO ministers met in Brussels on Thursday. Then they left the city.")
>>> memo = AlignmentMemo()
>>> memo.put(align_articles(a, b))
>>> memo.align(a, b).pairs == align_articles(a, b).pairs
True
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from newslineage.align.core import align_articles
from newslineage.model import AlignedPair, Alignment, Article, Span

_PAIR = np.dtype(
    [("s0", "<i4"), ("s1", "<i4"), ("d0", "<i4"), ("d1", "<i4"), ("sim", "<f8"), ("verb", "?")]
)


def pack_pairs(alignment: Alignment) -> np.ndarray:
    """The sentence pairs of ``alignment`` as one record array."""
    out = np.empty(len(alignment.pairs), dtype=_PAIR)
    for i, p in enumerate(alignment.pairs):
        out[i] = (p.source.start, p.source.end, p.derived.start, p.derived.end,
                  p.similarity, p.verbatim)  # fmt: skip
    return out


def pack_passages(alignment: Alignment) -> np.ndarray:
    """The verbatim passages of ``alignment`` as an ``(n, 4)`` array of offsets."""
    flat = [(s.start, s.end, d.start, d.end) for s, d in alignment.passages]
    return np.array(flat, dtype="<i4").reshape(len(flat), 4)


def unpack_pairs(source_id: str, derived_id: str, packed: np.ndarray) -> tuple[AlignedPair, ...]:
    """The sentence pairs ``pack_pairs`` packed, as ``AlignedPair`` records again."""
    return tuple(
        AlignedPair(Span(source_id, s0, s1), Span(derived_id, d0, d1), sim, verb)
        for s0, s1, d0, d1, sim, verb in packed.tolist()
    )


class AlignmentMemo:
    """Packed sentence pairs by (source id, derived id), with ``align`` falling back to
    ``align_articles`` for a pair it does not hold.

    An alignment read back has the same sentence pairs and ``ordered`` flag as the one put in,
    and its ``passages`` when they were kept (``put``, or ``put_packed`` given them).
    """

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], tuple[np.ndarray, bool, np.ndarray | None]] = {}

    def __len__(self) -> int:
        return len(self._pairs)

    def put(self, alignment: Alignment) -> None:
        """Keep ``alignment`` (source -> derived)."""
        self.put_packed(
            alignment.source_id,
            alignment.derived_id,
            pack_pairs(alignment),
            alignment.ordered,
            pack_passages(alignment),
        )

    def put_packed(
        self,
        source_id: str,
        derived_id: str,
        packed: np.ndarray,
        ordered: bool,
        passages: np.ndarray | None = None,
    ) -> None:
        """Keep pairs packed by ``pack_pairs`` and passages by ``pack_passages`` (what a worker
        process sends back)."""
        self._pairs[(source_id, derived_id)] = (packed, ordered, passages)

    def get(self, source_id: str, derived_id: str) -> Alignment | None:
        """The kept alignment of ``source_id -> derived_id``, or None."""
        got = self._pairs.get((source_id, derived_id))
        if got is None:
            return None
        packed, ordered, passages = got
        spans = () if passages is None else passages.tolist()
        return Alignment(
            source_id,
            derived_id,
            unpack_pairs(source_id, derived_id, packed),
            tuple((Span(source_id, a, b), Span(derived_id, c, d)) for a, b, c, d in spans),
            ordered=ordered,
        )

    def align(self, source: Article, derived: Article) -> Alignment:
        """The kept alignment of the pair, else ``align_articles(source, derived)``."""
        return self.get(source.id, derived.id) or align_articles(source, derived)

    def complete(self) -> list[Alignment]:
        """Every kept alignment that has its passages (what the store keeps), in key order."""
        return [
            al
            for key in sorted(self._pairs)
            if self._pairs[key][2] is not None
            if (al := self.get(*key)) is not None
        ]

    def retain(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget every pair not in ``keys`` (the relations the analysis kept)."""
        keep = set(keys)
        self._pairs = {k: v for k, v in self._pairs.items() if k in keep}
