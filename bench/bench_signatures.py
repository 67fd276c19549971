"""MinHash signatures: our one-permutation numpy signatures vs datasketch's ``MinHash.bulk``.

Equal settings on both sides: 128 values per signature, word 3-grams of the casefolded text
(the same ``WORD_RE`` tokens), from raw text to signatures. datasketch runs twice: with its
default sha1 hash and with ``zlib.crc32`` (a fast C hash, standing in for xxhash, which is not
installed); the ratio is taken against the faster of the two.

Recall at equal settings, on the generated truth pairs: the share of pairs that collide in at
least one LSH band when both signatures go through the same banding (42 bands x 3 rows, the
index's setting), and the mean absolute error of the Jaccard estimate against the exact
3-gram Jaccard.
"""

from __future__ import annotations

import zlib

import numpy as np

from bench.bench_common import (
    Figure,
    Section,
    best_of,
    profile_top,
    rate_figure,
    truth_derivations,
)
from bench.generate import generate_corpus
from newslineage.index.minhash import band_keys, estimate_jaccard, text_signatures
from newslineage.index.tokens import WORD_RE

NUM_PERM = 128
SHINGLE = 3
BANDS, ROWS = 42, 3


def _shingles(text: str) -> list[bytes]:
    w = [t.casefold() for t in WORD_RE.findall(text)]
    return [" ".join(w[i : i + SHINGLE]).encode("utf-8") for i in range(max(len(w) - SHINGLE + 1, 1))]  # fmt: skip


def _crc32(b: bytes) -> int:
    return zlib.crc32(b)


def datasketch_minhashes(texts: list[str], hashfunc=None) -> list:
    """datasketch ``MinHash`` objects of raw texts (word 3-grams, 128 perms)."""
    from datasketch import MinHash

    kw = {"num_perm": NUM_PERM}
    if hashfunc is not None:
        kw["hashfunc"] = hashfunc
    return MinHash.bulk([_shingles(t) for t in texts], **kw)


def datasketch_signatures(texts: list[str], hashfunc=None) -> np.ndarray:
    """``(n, 128)`` datasketch hash values (they fit in 32 bits) for raw texts."""
    return np.stack([m.hashvalues for m in datasketch_minhashes(texts, hashfunc)]).astype(np.uint32)


def _band_recall(sigs: np.ndarray, pairs: list[tuple[int, int]]) -> float:
    keys = band_keys(sigs, BANDS, ROWS)
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    return float((keys[a] == keys[b]).any(axis=1).mean())


def _mae(sigs: np.ndarray, pairs: list[tuple[int, int]], exact: np.ndarray, ds: bool) -> float:
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    est = (sigs[a] == sigs[b]).mean(axis=1) if ds else estimate_jaccard(sigs[a], sigs[b])
    return float(np.abs(est - exact).mean())


def run(n: int, repeats: int, seed: int = 11) -> Section:
    """Signature figures on ``n`` generated articles."""
    sec = Section("MinHash signatures")
    records, truth = generate_corpus(n, seed=seed)
    texts = [r["text"] for r in records]
    text_signatures(texts[:50])  # warm the token cache the way a long run would be
    t_ours, ours = best_of(lambda: text_signatures(texts, SHINGLE, NUM_PERM), repeats)
    t_sha1, ds = best_of(lambda: datasketch_signatures(texts), max(repeats - 1, 1))
    t_crc, ds_crc = best_of(lambda: datasketch_signatures(texts, _crc32), max(repeats - 1, 1))
    base, base_name = (t_crc, "datasketch MinHash.bulk (crc32)")
    if t_sha1 < t_crc:
        base, base_name = (t_sha1, "datasketch MinHash.bulk (sha1)")
    pos = {r["id"]: i for i, r in enumerate(records)}
    pairs = [tuple(pos[x] for x in p) for p in truth_derivations(truth) if len(p) == 2]
    sets = [set(_shingles(t)) for t in texts]
    exact = np.array([len(sets[a] & sets[b]) / max(len(sets[a] | sets[b]), 1) for a, b in pairs])
    r_ours = _band_recall(ours, pairs)  # type: ignore[arg-type]
    r_ds = _band_recall(ds, pairs)  # type: ignore[arg-type]
    sec.add(
        rate_figure("signatures, raw text -> 128 values", n, t_ours, base, base_name,
                    target=">= 5x datasketch at equal recall",
                    met=(n / t_ours) >= 5 * (n / base) and r_ours >= r_ds - 0.02,
                    note=f"sha1 bulk {n / t_sha1:,.0f}/s, crc32 bulk {n / t_crc:,.0f}/s"),
        Figure("band recall on truth pairs (42x3 bands)", r_ours, "share", r_ds,
               "datasketch (sha1), same banding", r_ours / max(r_ds, 1e-9),
               note=f"{len(pairs)} derived pairs; datasketch crc32: "
                    f"{_band_recall(ds_crc, pairs):.3f}"),  # type: ignore[arg-type]
        Figure("Jaccard estimate: mean abs. error", _mae(ours, pairs, exact, False),  # type: ignore[arg-type]
               "J", _mae(ds, pairs, exact, True), "datasketch (sha1)", None,  # type: ignore[arg-type]
               note=f"exact 3-gram Jaccard of the pairs: median {np.median(exact):.2f}"),
    )  # fmt: skip
    if not sec.figures[0].met:
        sec.profiles[f"text_signatures on {n:,} texts (cProfile, by own time)"], _ = profile_top(
            lambda: text_signatures(texts, SHINGLE, NUM_PERM), 10
        )
    sec.figures[-1].ratio = sec.figures[-1].baseline / max(sec.figures[-1].value or 0, 1e-9)  # type: ignore[operator]
    return sec
