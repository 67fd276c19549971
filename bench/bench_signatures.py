"""MinHash signatures: our one-permutation numpy signatures vs datasketch's ``MinHash.bulk``.

Equal settings on both sides: 128 values per signature, word 3-grams of the casefolded text
(the same ``WORD_RE`` tokens), from the same raw texts to signatures, in this one process.
datasketch runs with its default sha1 hash and with ``zlib.crc32`` (a fast C hash, standing
in for xxhash, which is not installed); the ratio is taken against the faster of the two.
datasketch needs shingle strings, so building them is part of its time (raw text in); ours
never builds a string per token (``shingle_hashes_batch``).

Timing: every repeat runs ours and both datasketch configurations back to back, and each
figure is the median over the repeats (at least 3), so a burst of load on the shared machine
hits both sides alike. Two further rows split our time into its parts: raw text -> shingle
hashes (tokeniser) and shingle hashes -> signatures (the numpy-only OPH part, against
datasketch's own part given ready-made shingle bytes).

Recall at equal settings, on the generated truth pairs: the share of pairs that collide in at
least one LSH band when both signatures go through the same banding (42 bands x 3 rows, the
index's setting), and the mean absolute error of the Jaccard estimate against the exact
3-gram Jaccard.

    python -m bench.bench_signatures --n 3000 --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from collections.abc import Callable

import numpy as np

from bench.bench_common import Figure, Section, profile_top, rate_figure, truth_derivations
from bench.generate import generate_corpus
from newslineage.index.minhash import band_keys, estimate_jaccard, oph_signatures, text_signatures
from newslineage.index.tokens import shingle_hashes_batch
from newslineage.text.tokens import WORD_RE

NUM_PERM = 128
SHINGLE = 3
BANDS, ROWS = 42, 3


def _shingles(text: str) -> list[bytes]:
    w = [t.casefold() for t in WORD_RE.findall(text)]
    return [" ".join(w[i : i + SHINGLE]).encode("utf-8") for i in range(max(len(w) - SHINGLE + 1, 1))]  # fmt: skip


def _crc32(b: bytes) -> int:
    return zlib.crc32(b)


def _bulk(shingles: list[list[bytes]], hashfunc=None) -> list:
    """datasketch ``MinHash`` objects of ready shingle lists (128 perms)."""
    from datasketch import MinHash

    kw = {"num_perm": NUM_PERM}
    if hashfunc is not None:
        kw["hashfunc"] = hashfunc
    return MinHash.bulk(shingles, **kw)


def datasketch_minhashes(texts: list[str], hashfunc=None) -> list:
    """datasketch ``MinHash`` objects of raw texts (word 3-grams, 128 perms)."""
    return _bulk([_shingles(t) for t in texts], hashfunc)


def datasketch_signatures(texts: list[str], hashfunc=None) -> np.ndarray:
    """``(n, 128)`` datasketch hash values (they fit in 32 bits) for raw texts."""
    ms = datasketch_minhashes(texts, hashfunc)
    return np.stack([m.hashvalues for m in ms]).astype(np.uint32)


def median_times(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each function; every repeat runs all of them in turn."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(max(repeats, 1)):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


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


def _timings(texts: list[str], repeats: int) -> dict[str, float]:
    """Median seconds of every timed step on ``texts``."""
    text_signatures(texts[:50])  # warm: builds the character table once, as a long run would
    datasketch_signatures(texts[:50], _crc32)
    sh, off = shingle_hashes_batch(texts, SHINGLE)
    per_text = np.split(sh, off[1:-1])
    ds_shingles = [_shingles(t) for t in texts]
    return median_times(
        {
            "ours": lambda: text_signatures(texts, SHINGLE, NUM_PERM),
            "crc32": lambda: datasketch_signatures(texts, _crc32),
            "sha1": lambda: datasketch_signatures(texts),
            "tokens": lambda: shingle_hashes_batch(texts, SHINGLE),
            "oph": lambda: oph_signatures(per_text, NUM_PERM),
            "ds_part": lambda: _bulk(ds_shingles, _crc32),
        },
        repeats,
    )


def run(n: int, repeats: int, seed: int = 11) -> Section:
    """Signature figures on ``n`` generated articles (median of at least 3 repeats)."""
    sec = Section("MinHash signatures")
    records, truth = generate_corpus(n, seed=seed)
    texts = [r["text"] for r in records]
    t = _timings(texts, max(3, 2 * repeats + 1))
    ours = text_signatures(texts, SHINGLE, NUM_PERM)
    fast = "crc32" if t["crc32"] <= t["sha1"] else "sha1"
    ds = datasketch_signatures(texts, _crc32 if fast == "crc32" else None)
    ds_other = datasketch_signatures(texts, None if fast == "crc32" else _crc32)
    pos = {r["id"]: i for i, r in enumerate(records)}
    pairs = [tuple(pos[x] for x in p) for p in truth_derivations(truth) if len(p) == 2]
    sets = [set(_shingles(x)) for x in texts]
    exact = np.array([len(sets[a] & sets[b]) / max(len(sets[a] | sets[b]), 1) for a, b in pairs])
    r_ours, r_ds = _band_recall(ours, pairs), _band_recall(ds, pairs)  # type: ignore[arg-type]
    other = "sha1" if fast == "crc32" else "crc32"
    base_name = f"datasketch MinHash.bulk ({fast})"
    sec.add(
        rate_figure("signatures, raw text -> 128 values", n, t["ours"], t[fast], base_name,
                    target=">= 5x datasketch at equal recall",
                    met=(n / t["ours"]) >= 5 * (n / t[fast]) and r_ours >= r_ds - 0.02,
                    note=f"median of repeats; sha1 bulk {n / t['sha1']:,.0f}/s, "
                         f"crc32 bulk {n / t['crc32']:,.0f}/s"),
        rate_figure("  part: raw text -> shingle hashes (numpy tokeniser)", n, t["tokens"],
                    t[fast], base_name, note="no Python string per token"),
        rate_figure("  part: shingle hashes -> signatures (numpy OPH only)", n, t["oph"],
                    t["ds_part"], "datasketch MinHash.bulk (crc32) on ready shingle bytes"),
        Figure("band recall on truth pairs (42x3 bands)", r_ours, "share", r_ds,
               f"datasketch ({fast}), same banding", r_ours / max(r_ds, 1e-9),
               note=f"{len(pairs)} derived pairs; datasketch {other}: "
                    f"{_band_recall(ds_other, pairs):.3f}"),  # type: ignore[arg-type]
        Figure("Jaccard estimate: mean abs. error", _mae(ours, pairs, exact, False),  # type: ignore[arg-type]
               "J", _mae(ds, pairs, exact, True), f"datasketch ({fast})", None,  # type: ignore[arg-type]
               note=f"exact 3-gram Jaccard of the pairs: median {np.median(exact):.2f}"),
    )  # fmt: skip
    if not sec.figures[0].met:
        sec.profiles[f"text_signatures on {n:,} texts (cProfile, by own time)"], _ = profile_top(
            lambda: text_signatures(texts, SHINGLE, NUM_PERM), 10
        )
    sec.figures[-1].ratio = sec.figures[-1].baseline / max(sec.figures[-1].value or 0, 1e-9)  # type: ignore[operator]
    return sec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_signatures")
    ap.add_argument("--n", type=int, default=3000, help="generated articles (default 3000)")
    ap.add_argument("--repeats", type=int, default=2, help="timed runs: 2*repeats+1, min 3")
    args = ap.parse_args(argv)
    sec = run(args.n, args.repeats)
    for f in sec.figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        print(f"{f.name}: {f.value:,.4g} {f.unit} vs {f.baseline:,.4g} ({f.baseline_name}) "
              f"= {ratio}  {f.note}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
