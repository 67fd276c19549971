"""Sorted numpy key tables: the LSH bands, sentence fingerprints and term postings all live here.

A table maps uint32 keys to int32 rows (an article or a sentence). It is a few sorted segments
(appended per batch, merged when there are too many), so adding a batch costs a sort of the batch
and a lookup is a ``searchsorted`` per segment. 8 bytes per entry, versus ~11 KB per article for
a dict-of-sets LSH (PERFORMANCE-NOTES.md: datasketch 11.5 KB, sorted band keys 384 B).

>>> t = KeyTable()
>>> t.add(np.array([5, 7, 5], np.uint32), np.array([0, 1, 2], np.int32))
>>> q, r = t.lookup(np.array([5], np.uint32))
>>> sorted(r.tolist())
[0, 2]
"""

from __future__ import annotations

import numpy as np

MAX_SEGMENTS = 8  # merge beyond this: lookups stay a handful of searchsorted calls


class KeyTable:
    """Multimap uint32 key -> int32 row, stored as sorted numpy segments."""

    def __init__(self) -> None:
        self._keys: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(k) for k in self._keys)

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + r.nbytes for k, r in zip(self._keys, self._rows, strict=True))

    def add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Add entries (any order); ``keys`` uint32, ``rows`` int32, same length."""
        if len(keys) == 0:
            return
        order = np.argsort(keys, kind="stable")
        self._keys.append(np.asarray(keys, np.uint32)[order])
        self._rows.append(np.asarray(rows, np.int32)[order])
        if len(self._keys) > MAX_SEGMENTS:
            self.compact()

    def compact(self) -> None:
        """Merge all segments into one."""
        if len(self._keys) <= 1:
            return
        keys = np.concatenate(self._keys)
        rows = np.concatenate(self._rows)
        order = np.argsort(keys, kind="stable")
        self._keys, self._rows = [keys[order]], [rows[order]]

    def lookup(self, keys: np.ndarray, max_bucket: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """All ``(i, row)`` with ``table[keys[i]] == row``.

        Buckets larger than ``max_bucket`` (when > 0, counted per segment) are skipped: a key
        shared by thousands of rows is boilerplate, not evidence, and would make the candidate
        stage quadratic.
        """
        qs: list[np.ndarray] = []
        rs: list[np.ndarray] = []
        keys = np.asarray(keys, np.uint32)
        for sk, sr in zip(self._keys, self._rows, strict=True):
            lo = np.searchsorted(sk, keys, "left")
            cnt = np.searchsorted(sk, keys, "right") - lo
            if max_bucket > 0:
                cnt[cnt > max_bucket] = 0
            total = int(cnt.sum())
            if total == 0:
                continue
            qi = np.repeat(np.arange(len(keys)), cnt)
            start = np.cumsum(cnt) - cnt
            pos = np.repeat(lo - start, cnt) + np.arange(total)
            qs.append(qi)
            rs.append(sr[pos])
        if not qs:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        return np.concatenate(qs), np.concatenate(rs)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The merged ``(keys, rows)`` (for saving)."""
        self.compact()
        if not self._keys:
            return np.empty(0, np.uint32), np.empty(0, np.int32)
        return self._keys[0], self._rows[0]

    @classmethod
    def from_arrays(cls, keys: np.ndarray, rows: np.ndarray) -> KeyTable:
        t = cls()
        t.add(keys, rows)
        return t
