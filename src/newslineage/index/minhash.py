"""One-permutation MinHash signatures, vectorised over a whole batch of articles.

One-permutation hashing (Li, Owen & Zhang 2012, "One Permutation Hashing", NIPS) hashes every
shingle once: the top bits pick one of K bins, the low 32 bits are the value, and each bin keeps
its minimum. Empty bins are filled by rotation densification (Shrivastava & Li 2014, "Densifying
One Permutation Hashing via Rotation for Fast Near Neighbor Search", ICML): an empty bin takes
the value of the next non-empty bin to its right, offset by the distance, so two signatures still
agree in a bin with probability equal to the Jaccard similarity.

The scatter-min over the whole batch is one ``np.minimum.at`` call (~560 M elements/s,
PERFORMANCE-NOTES.md), which is why this runs at ~20k articles/s on one core.

>>> import numpy as np
>>> a = np.arange(1000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
>>> s = oph_signatures([a, a[:500]], 128)
>>> round(float(estimate_jaccard(s[0], s[1])), 1)
0.5
"""

from __future__ import annotations

import numpy as np

from newslineage.index.tokens import mix64, shingle_hashes_batch

EMPTY = np.uint32(0xFFFFFFFF)  # sentinel of an empty bin; real values are capped below it
_ROT = np.uint32(0x9E3779B1)  # odd offset per step of rotation (any odd 32-bit constant)


def oph_signatures(shingles: list[np.ndarray], num_bins: int = 128) -> np.ndarray:
    """``(len(shingles), num_bins)`` uint32 signatures of each article's shingle hashes.

    ``num_bins`` must be a power of two. An article without shingles gets an all-EMPTY row.
    """
    if num_bins & (num_bins - 1) or num_bins < 2:
        raise ValueError(f"num_bins={num_bins}: must be a power of two such as 128")
    lengths = np.fromiter((len(s) for s in shingles), np.int64, len(shingles))
    flat = np.concatenate(shingles) if shingles else np.empty(0, np.uint64)
    return _oph_flat(flat.astype(np.uint64, copy=False), lengths, num_bins)


def _oph_flat(h: np.ndarray, lengths: np.ndarray, num_bins: int) -> np.ndarray:
    """``oph_signatures`` of a flat shingle-hash array where text ``i`` has ``lengths[i]``."""
    shift = np.uint64(64 - (num_bins.bit_length() - 1))
    sig = np.full((len(lengths), num_bins), EMPTY, dtype=np.uint32)
    if len(h) == 0:
        return sig
    # flat cell of each shingle: its text's row, then the bin from the hash's top bits
    cell = np.repeat(np.arange(0, len(lengths) * num_bins, num_bins, dtype=np.int64), lengths)
    cell += (h >> shift).view(np.int64)
    vals = h.astype(np.uint32)  # the low 32 bits
    np.minimum(vals, np.uint32(0xFFFFFFFE), out=vals)
    np.minimum.at(sig.reshape(-1), cell, vals)
    return densify(sig)


def densify(sig: np.ndarray) -> np.ndarray:
    """Fill empty bins by rotation (in place for rows that need it); returns ``sig``."""
    empty = sig == EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if len(rows) == 0:
        return sig
    k = sig.shape[1]
    sub = sig[rows]
    twice = np.concatenate([sub, sub], axis=1)
    pos = np.where(twice != EMPTY, np.arange(2 * k), 2 * k)
    # next non-empty position at or after j: a reversed running minimum
    nxt = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1][:, :k]
    dist = (nxt - np.arange(k)).astype(np.uint32)
    src = np.take_along_axis(twice, nxt, axis=1)
    filled = np.minimum(src + dist * _ROT, np.uint32(0xFFFFFFFE))
    sig[rows] = np.where(sub == EMPTY, filled, sub)
    return sig


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of bins where two signatures (or two stacks of signatures) agree."""
    a = np.asarray(a)
    b = np.asarray(b)
    valid = (a != EMPTY) | (b != EMPTY)
    same = (a == b) & valid
    n = valid.sum(axis=-1)
    return np.where(n > 0, same.sum(axis=-1) / np.maximum(n, 1), 0.0)


def bbit(sig: np.ndarray, bits: int = 8) -> np.ndarray:
    """The low ``bits`` bits of each signature value (b-bit MinHash, Li & König 2010, "b-Bit
    Minwise Hashing", WWW): what the index keeps of a signature once its band keys are made.

    8 bits keep a quarter of the memory of 32 (128 B per article instead of 512); two unrelated
    values then agree by chance with probability 1/256, which :func:`estimate_jaccard_bbit`
    takes out again. ``bits`` is 8 or 16 (the width of the stored values).
    """
    if bits not in (8, 16):
        raise ValueError(f"bits={bits}: 8 or 16")
    dtype = np.uint8 if bits == 8 else np.uint16
    return (np.asarray(sig) & np.uint32((1 << bits) - 1)).astype(dtype)


def estimate_jaccard_bbit(a: np.ndarray, b: np.ndarray, bits: int = 8) -> np.ndarray:
    """Jaccard estimate from two b-bit signatures (or stacks of them), corrected for the
    chance agreements of ``bits``-bit values: ``J = (m - 2^-b) / (1 - 2^-b)``, clipped to
    [0, 1], where ``m`` is the share of agreeing bins.

    Both signatures must come from non-empty texts (empty ones have no b-bit form: the index
    never verifies them, as they have no band keys).

    >>> s = bbit(np.arange(128, dtype=np.uint32).reshape(1, -1))
    >>> float(estimate_jaccard_bbit(s[0], s[0]))
    1.0
    """
    m = (np.asarray(a) == np.asarray(b)).mean(axis=-1)
    chance = 1.0 / (1 << bits)
    return np.clip((m - chance) / (1.0 - chance), 0.0, 1.0)


def containment_from_jaccard(j: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Estimated share of the smaller set inside the larger one, from Jaccard and set sizes.

    |A∩B| = J(|A|+|B|)/(1+J); dividing by min(|A|,|B|) gives containment of the smaller set,
    the signal for excerpts and write-throughs whose Jaccard is low.
    """
    j = np.asarray(j, dtype=np.float64)
    a = np.asarray(size_a, dtype=np.float64)
    b = np.asarray(size_b, dtype=np.float64)
    inter = j * (a + b) / (1.0 + j)
    return np.clip(inter / np.maximum(np.minimum(a, b), 1.0), 0.0, 1.0)


def jaccard_lower_bound(
    j: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, num_bins: int, z: float
) -> np.ndarray:
    """Estimated Jaccard less ``z`` standard errors, the error of a signature of the smaller set.

    A one-permutation signature of ``m`` shingles holds real minima in only about
    ``k(1 - e^(-m/k))`` of its ``k`` bins (densification copies the rest), so a short text's
    estimate rests on few bins: two one-paragraph excerpts sharing two 3-grams can agree on
    enough copied bins to look like a 0.2 containment. Binomial error over the effective bins,
    ``sqrt(J(1-J)/k_eff)``. At 100,000 synthetic articles this cut unrelated minhash candidate
    pairs from 678k to 23k and lost 5 of 45,000 derivations (the sentence channel finds the
    others); see docs/lineage.md, "Candidates".

    >>> lb = jaccard_lower_bound(np.array([0.1, 0.1]), np.array([30, 600]), np.array([600, 600]), 128, 1.5)
    >>> bool(lb[0] < lb[1])
    True
    """
    j = np.asarray(j, dtype=np.float64)
    m = np.minimum(np.asarray(size_a, np.float64), np.asarray(size_b, np.float64))
    k_eff = np.maximum(num_bins * -np.expm1(-m / num_bins), 1.0)
    return np.maximum(j - z * np.sqrt(j * (1.0 - j) / k_eff), 0.0)


def minhash_verified(
    j: np.ndarray,
    size_a: np.ndarray,
    size_b: np.ndarray,
    *,
    num_bins: int,
    min_jaccard: float,
    min_containment: float,
    z: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The band hits worth aligning, and their estimated containment (the channel's score).

    A hit is kept when the Jaccard estimate, or the containment of the smaller text, clears
    its floor by ``z`` standard errors (:func:`jaccard_lower_bound`); ``z=0`` compares the
    estimates themselves. Both engines verify with this one function.
    """
    jl = jaccard_lower_bound(j, size_a, size_b, num_bins, z) if z else np.asarray(j, np.float64)
    keep = (jl >= min_jaccard) | (containment_from_jaccard(jl, size_a, size_b) >= min_containment)
    return keep, containment_from_jaccard(j, size_a, size_b)


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n, bands)`` uint32 LSH keys: each band's ``rows`` values and its index, hashed.

    Rows whose signature is all EMPTY get keys too; callers drop those articles.
    """
    if bands * rows > sig.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows exceed {sig.shape[1]} signature values")
    v = sig[:, : bands * rows].astype(np.uint64).reshape(len(sig), bands, rows)
    acc = np.arange(bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    acc = np.broadcast_to(acc, (len(sig), bands)).copy()
    for r in range(rows):
        acc = mix64(acc ^ v[:, :, r])
    return (acc >> np.uint64(32)).astype(np.uint32)


def text_signatures(texts: list[str], shingle_size: int = 3, num_bins: int = 128) -> np.ndarray:
    """Signatures of raw texts (word ``shingle_size``-grams, casefolded): the fast path.

    >>> s = text_signatures(["a b c d e", "a b c d f"])
    >>> s.shape
    (2, 128)
    """
    if num_bins & (num_bins - 1) or num_bins < 2:
        raise ValueError(f"num_bins={num_bins}: must be a power of two such as 128")
    hashes, offsets = shingle_hashes_batch(texts, shingle_size)
    return _oph_flat(hashes, np.diff(offsets), num_bins)
