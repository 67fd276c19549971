"""Article ids of the candidate index, in a few numpy arrays instead of a list and a dict.

A Python ``list[str]`` plus a ``dict[str, int]`` costs ~140 bytes per article for short ids
(string objects, list slot, dict entry): at 50,000 articles that was the largest part of the
index after the band tables. Here the ids are one UTF-8 byte blob with an offsets array, and
the id -> row lookup is a sorted array of 64-bit id hashes with the row of each: the id's
length plus 20 bytes per article. A hash match is confirmed on the stored bytes, so two ids
with the same hash are still told apart.

>>> ids = IdList()
>>> ids.extend(["b", "a"])
>>> ids.rows(["a", "zz", "b"]).tolist(), ids[1], len(ids)
([1, -1, 0], 'a', 2)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence

import numpy as np


def _hash(article_id: str) -> int:
    # a keyed-free stable hash (Python's str hash changes per process; the table is saved)
    return int.from_bytes(
        hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little"
    )


class IdList:
    """Append-only sequence of distinct article ids with a row lookup."""

    def __init__(self) -> None:
        self._blob = np.empty(0, np.uint8)  # the ids' UTF-8 bytes, back to back
        self._off = np.zeros(1, np.int64)  # id i is blob[off[i]:off[i + 1]]
        self._hash = np.empty(0, np.uint64)  # sorted id hashes
        self._hrow = np.empty(0, np.int32)  # row of each sorted hash

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, row: int) -> str:
        return self._blob[self._off[row] : self._off[row + 1]].tobytes().decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return self._decode(self._blob, self._off)

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and int(self.rows([article_id])[0]) >= 0

    @property
    def nbytes(self) -> int:
        return self._blob.nbytes + self._off.nbytes + self._hash.nbytes + self._hrow.nbytes

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        """The row of each id, -1 for ids not in the list."""
        out = np.full(len(ids), -1, np.int64)
        if not len(ids) or not len(self):
            return out
        h = np.fromiter((_hash(i) for i in ids), np.uint64, len(ids))
        lo = np.searchsorted(self._hash, h, "left")
        hi = np.searchsorted(self._hash, h, "right")
        for k in np.flatnonzero(hi > lo).tolist():
            for j in range(int(lo[k]), int(hi[k])):  # one entry unless two ids share a hash
                r = int(self._hrow[j])
                if self[r] == ids[k]:
                    out[k] = r
                    break
        return out

    def extend(self, ids: Iterable[str]) -> None:
        """Append ids (the caller makes sure they are new and distinct)."""
        ids = list(ids)
        if not ids:
            return
        data = [i.encode("utf-8") for i in ids]
        lengths = np.fromiter((len(d) for d in data), np.int64, len(data))
        base = len(self)
        self._off = np.concatenate([self._off, self._off[-1] + np.cumsum(lengths)])
        self._blob = np.concatenate([self._blob, np.frombuffer(b"".join(data), np.uint8)])
        h = np.fromiter((_hash(i) for i in ids), np.uint64, len(ids))
        order = np.argsort(h, kind="stable")
        h, rows = h[order], np.arange(base, base + len(ids), dtype=np.int32)[order]
        # insert into the sorted hashes (O(n), not a re-sort: streaming adds one id at a time)
        at = np.searchsorted(self._hash, h, "right")
        self._hash, self._hrow = np.insert(self._hash, at, h), np.insert(self._hrow, at, rows)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(blob, offsets)`` for saving; the hash lookup is rebuilt on load."""
        return self._blob, self._off

    @classmethod
    def from_arrays(cls, blob: np.ndarray, off: np.ndarray) -> IdList:
        """An id list from :meth:`arrays` output."""
        blob, off = np.asarray(blob, np.uint8), np.asarray(off, np.int64)
        if len(off) == 0 or off[0] != 0 or off[-1] != len(blob) or (np.diff(off) < 0).any():
            raise ValueError("id offsets do not match the id bytes")
        out = cls()
        out.extend(cls._decode(blob, off))
        return out

    @staticmethod
    def _decode(blob: np.ndarray, off: np.ndarray) -> Iterator[str]:
        raw = blob.tobytes()
        o = off.tolist()
        for i in range(len(o) - 1):
            yield raw[o[i] : o[i + 1]].decode("utf-8")
