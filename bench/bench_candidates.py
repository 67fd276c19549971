"""Candidate generation: ``CandidateIndex`` (three channels) vs datasketch ``MinHashLSH``.

Ours: ``CandidateIndex.add`` of all articles, then ``candidates_for`` all of them (what the
batch engine does), from Articles to candidate pairs. Baseline: datasketch signatures
(``MinHash.bulk``, crc32 hash, 128 perms, word 3-grams) inserted into ``MinHashLSH`` at its
default threshold 0.5, then every article queried.

Recall is measured per channel on the generator's truth: derivation pairs (copy, excerpt,
rewrite, partial) and same-story pairs (one event, no derivation). Candidates per article is
the price of that recall: every candidate pair costs one ``relate`` downstream.
"""

from __future__ import annotations

from collections import Counter

from bench.bench_common import (
    Figure,
    Section,
    best_of,
    fast_article,
    rate_figure,
    recall,
    truth_derivations,
    truth_same_story,
)
from bench.bench_signatures import _crc32, datasketch_minhashes
from bench.generate import generate_corpus
from newslineage.index.candidates import CHANNELS, CandidateIndex


def _ours(articles):
    idx = CandidateIndex()
    idx.add(articles)
    return idx, idx.candidates_for(articles)


def _datasketch(records) -> set[frozenset[str]]:
    from datasketch import MinHashLSH

    mh = datasketch_minhashes([r["text"] for r in records], _crc32)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for r, m in zip(records, mh, strict=True):
        lsh.insert(r["id"], m)
    out = set()
    for r, m in zip(records, mh, strict=True):
        out.update(frozenset((r["id"], o)) for o in lsh.query(m) if o != r["id"])
    return out


def run(n: int, repeats: int, seed: int = 13) -> tuple[Section, dict]:
    """Candidate figures on ``n`` generated articles; also returns recalls for the summary."""
    sec = Section("Candidates (retrieval)")
    records, truth = generate_corpus(n, seed=seed)
    articles = [fast_article(r) for r in records]
    t_ours, (idx, cands) = best_of(lambda: _ours(articles), repeats)  # type: ignore[misc]
    t_ds, ds_pairs = best_of(lambda: _datasketch(records), repeats)
    deriv = truth_derivations(truth)
    story = truth_same_story(truth)
    by_channel: dict[str, set[frozenset[str]]] = {ch: set() for ch in CHANNELS}
    for c in cands:
        for ch in c.channels:
            by_channel[ch].add(frozenset((c.a, c.b)))
    union = {frozenset((c.a, c.b)) for c in cands}
    r_union = recall(union, deriv) or 0.0
    r_ds = recall(ds_pairs, deriv) or 0.0  # type: ignore[arg-type]
    sec.add(
        rate_figure("index add + candidates_for (3 channels)", n, t_ours, t_ds,
                    "datasketch bulk + MinHashLSH(0.5) insert + query"),
        Figure("derivation-pair recall, all channels", r_union, "share", r_ds,
               "MinHashLSH(0.5)", r_union / max(r_ds, 1e-9),
               note=f"{len(deriv)} truth pairs"),
    )  # fmt: skip
    for ch in CHANNELS:
        sec.add(
            Figure(f"  recall, {ch} channel: derivations / same-story",
                   recall(by_channel[ch], deriv), "share", recall(by_channel[ch], story),
                   "(same-story pairs)", None,
                   note=f"{len(by_channel[ch]) / n:.1f} pairs/article"),
        )  # fmt: skip
    kinds = Counter(deriv.values())
    per_kind = ", ".join(
        f"{k} {recall(union, [p for p, kk in deriv.items() if kk == k]):.2f} (n={kinds[k]})"
        for k in sorted(kinds)
    )
    useful = len(union & (set(deriv) | story))
    sec.add(
        Figure("candidate pairs per article", len(union) / n, "pairs", len(ds_pairs) / n,  # type: ignore[arg-type]
               "MinHashLSH(0.5)", None,
               note=f"{useful / max(len(union), 1):.1%} of our pairs are truth pairs"),
        Figure("index memory per article (ids included)", idx.memory_bytes() / n, "bytes",
               None, "", None, target="<= 1 KB/article",
               met=idx.memory_bytes() / n <= 1024),
    )  # fmt: skip
    sec.notes.append(f"Derivation recall by kind (all channels): {per_kind}.")
    parts = idx.memory_parts()
    sec.notes.append(
        "Index bytes per article by component: "
        + ", ".join(f"{k} {v / n:.0f}" for k, v in parts.items())
        + " (buckets past their cap are dropped, so per-article bytes fall as the corpus grows)."
    )
    return sec, {
        "candidate_recall": r_union,
        "story_recall": recall(union, story),
        "pairs_per_article": len(union) / n,
    }
