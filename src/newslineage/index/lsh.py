"""Sorted numpy key tables: the LSH bands, sentence fingerprints and term postings all live here.

A table maps uint32 keys to int32 rows (an article or a sentence). It is a few sorted segments
(appended per batch, merged when there are too many), so adding a batch costs a sort of the batch
and a lookup is a ``searchsorted`` per segment. 8 bytes per entry, versus ~11 KB per article for
a dict-of-sets LSH (PERFORMANCE-NOTES.md: datasketch 11.5 KB, sorted band keys 384 B).

A table made with a ``cap`` forgets the entries of any key whose bucket grows past it (a key
shared by hundreds of sentences is a stock phrase, not evidence) and remembers only the key, in
a sorted "stopped" array: lookups skip it, later entries for it are dropped. On 10k synthetic
articles a third of the sentence table sat in buckets over the sentence cap of 100.

>>> t = KeyTable()
>>> t.add(np.array([5, 7, 5], np.uint32), np.array([0, 1, 2], np.int32))
>>> q, r = t.lookup(np.array([5], np.uint32))
>>> sorted(r.tolist())
[0, 2]
"""

from __future__ import annotations

import numpy as np

MAX_SEGMENTS = 8  # merge beyond this: lookups stay a handful of searchsorted calls
# a segment this long keeps its sorted keys as a directory of their top 16 bits (65,537 int32
# offsets, 256 KB) and their low 16 bits (2 B per entry instead of 4): 6 B per entry, not 8,
# with the same lookups (the directory costs at most 1 B per entry from here on)
PACK_MIN = 1 << 18
_LOW = np.uint32(0xFFFF)


class _Keys:
    """One segment's sorted uint32 keys, kept whole or packed (see ``PACK_MIN``)."""

    __slots__ = ("_dir", "_full", "_low")

    def __init__(self, keys: np.ndarray) -> None:
        keys = np.asarray(keys, np.uint32)
        if len(keys) >= PACK_MIN:
            hi = (keys >> np.uint32(16)).astype(np.int64)
            self._dir = np.searchsorted(hi, np.arange(65537), "left").astype(np.int32)
            self._low = (keys & _LOW).astype(np.uint16)
            self._full = None
        else:
            self._full, self._dir, self._low = keys, None, None

    def __len__(self) -> int:
        return len(self._full) if self._full is not None else len(self._low)

    @property
    def nbytes(self) -> int:
        if self._full is not None:
            return self._full.nbytes
        return self._dir.nbytes + self._low.nbytes

    def keys(self) -> np.ndarray:
        """The keys as one sorted uint32 array (a copy when packed)."""
        if self._full is not None:
            return self._full
        hi = np.repeat(np.arange(65536, dtype=np.uint32), np.diff(self._dir))
        return (hi << np.uint32(16)) | self._low.astype(np.uint32)

    def bounds(self, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``searchsorted`` left and right of ``needles`` (uint32) in the keys."""
        if self._full is not None:
            return (np.searchsorted(self._full, needles, "left"),
                    np.searchsorted(self._full, needles, "right"))  # fmt: skip
        hi = (needles >> np.uint32(16)).astype(np.int64)
        low = (needles & _LOW).astype(np.uint16)
        start, end = self._dir[hi].astype(np.int64), self._dir[hi + 1].astype(np.int64)
        return _bisect(self._low, start, end, low, False), _bisect(self._low, start, end, low, True)


def _bisect(arr: np.ndarray, lo: np.ndarray, hi: np.ndarray, v: np.ndarray, right: bool):
    """Vectorised ``searchsorted`` of each ``v[i]`` within the sorted run ``arr[lo[i]:hi[i]]``."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        val = arr[np.minimum(mid, len(arr) - 1)]
        go = (val <= v) if right else (val < v)
        lo = np.where(active & go, mid + 1, lo)
        hi = np.where(active & ~go, mid, hi)


def _in_sorted(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Mask of ``keys`` present in the sorted array ``sorted_keys``."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


class KeyTable:
    """Multimap uint32 key -> int32 row, stored as sorted numpy segments.

    ``cap`` > 0: buckets with more entries than ``cap`` are dropped (see the module docstring).
    """

    def __init__(self, cap: int = 0) -> None:
        self.cap = cap
        self._keys: list[_Keys] = []
        self._rows: list[np.ndarray] = []
        self._stopped = np.empty(0, np.uint32)

    def __len__(self) -> int:
        return sum(len(k) for k in self._keys)

    @property
    def nbytes(self) -> int:
        live = sum(k.nbytes + r.nbytes for k, r in zip(self._keys, self._rows, strict=True))
        return live + self._stopped.nbytes

    def add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Add entries (any order); ``keys`` uint32, ``rows`` int32, same length."""
        keys = np.asarray(keys, np.uint32)
        rows = np.asarray(rows, np.int32)
        if len(self._stopped):
            live = ~_in_sorted(self._stopped, keys)
            keys, rows = keys[live], rows[live]
        if len(keys) == 0:
            return
        order = np.argsort(keys, kind="stable")
        self._keys.append(_Keys(keys[order]))
        self._rows.append(rows[order])
        if len(self._keys) > MAX_SEGMENTS:
            self.compact()
        elif self.cap > 0:
            self._prune_new()

    def _prune_new(self) -> None:
        """Stop the keys of the newest segment whose bucket (over all segments) passed the cap."""
        seg = self._keys[-1].keys()
        first = np.r_[True, seg[1:] != seg[:-1]]
        uniq = seg[first]
        total = np.diff(np.r_[np.flatnonzero(first), len(seg)])
        for sk in self._keys[:-1]:
            left, right = sk.bounds(uniq)
            total += right - left
        over = uniq[total > self.cap]
        if len(over):
            self._stop(over)

    def _stop(self, over: np.ndarray) -> None:
        self._stopped = np.union1d(self._stopped, over).astype(np.uint32)
        for i, (sk, sr) in enumerate(zip(self._keys, self._rows, strict=True)):
            full = sk.keys()
            keep = ~_in_sorted(over, full)
            if not keep.all():
                self._keys[i], self._rows[i] = _Keys(full[keep]), sr[keep]

    def compact(self) -> None:
        """Merge all segments into one (and drop over-full buckets)."""
        if len(self._keys) > 1:
            keys = np.concatenate([k.keys() for k in self._keys])
            rows = np.concatenate(self._rows)
            order = np.argsort(keys, kind="stable")
            self._keys, self._rows = [_Keys(keys[order])], [rows[order]]
        if self.cap > 0 and self._keys:
            seg = self._keys[0].keys()
            first = np.r_[True, seg[1:] != seg[:-1]]
            starts = np.flatnonzero(first)
            over = seg[starts][np.diff(np.r_[starts, len(seg)]) > self.cap]
            if len(over):
                self._stop(over)

    def stopped(self, keys: np.ndarray) -> np.ndarray:
        """Mask of ``keys`` whose bucket grew past the cap and was dropped."""
        if not len(self._stopped):
            return np.zeros(len(keys), bool)
        return _in_sorted(self._stopped, np.asarray(keys, np.uint32))

    def lookup(self, keys: np.ndarray, max_bucket: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """All ``(i, row)`` with ``table[keys[i]] == row``.

        Buckets larger than ``max_bucket`` (when > 0, counted over all segments) are skipped:
        a key shared by thousands of rows is boilerplate, not evidence, and would make the
        candidate stage quadratic. Stopped keys (over the table's cap) are skipped too.
        """
        keys = np.asarray(keys, np.uint32)
        # searching sorted needles walks the table once instead of jumping at random: 5.7x
        # faster on 4M needles in a 4M-entry table (random probes miss the cache every time)
        order = np.argsort(keys, kind="stable")
        needles = keys[order]
        los, cnts = [], []
        for sk in self._keys:
            lo, hi = sk.bounds(needles)
            los.append(lo)
            cnts.append(hi - lo)
        if not cnts:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        total = np.sum(cnts, axis=0)
        skip = total > max_bucket if max_bucket > 0 else np.zeros(len(keys), bool)
        qs: list[np.ndarray] = []
        rs: list[np.ndarray] = []
        for sr, lo, cnt in zip(self._rows, los, cnts, strict=True):
            hit = np.flatnonzero((cnt > 0) & ~skip)
            if len(hit) == 0:
                continue
            lo, cnt = lo[hit], cnt[hit]
            start = np.cumsum(cnt) - cnt
            pos = np.repeat(lo - start, cnt) + np.arange(int(cnt.sum()))
            qs.append(np.repeat(order[hit], cnt))
            rs.append(sr[pos])
        if not qs:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        return np.concatenate(qs).astype(np.int64, copy=False), np.concatenate(rs)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The merged ``(keys, rows, stopped keys)`` (for saving)."""
        self.compact()
        if not self._keys:
            return np.empty(0, np.uint32), np.empty(0, np.int32), self._stopped
        return self._keys[0].keys(), self._rows[0], self._stopped

    @classmethod
    def from_arrays(
        cls, keys: np.ndarray, rows: np.ndarray, stopped: np.ndarray | None = None, cap: int = 0
    ) -> KeyTable:
        """A table from :meth:`arrays` output (``keys`` already sorted)."""
        t = cls(cap)
        if stopped is not None:
            t._stopped = np.asarray(stopped, np.uint32)
        if len(keys):
            t._keys, t._rows = [_Keys(keys)], [np.asarray(rows, np.int32)]
        return t
