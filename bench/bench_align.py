"""Alignment throughput: ``align_articles`` and ``relate`` vs ``difflib.SequenceMatcher``.

Pairs are the generator's truth derivations (source, derived) plus as many same-event pairs
with no derivation, since the candidate stage hands ``relate`` both. Baseline: difflib's
``SequenceMatcher`` over the two word lists, ``get_matching_blocks`` (a plain alignment of the
same pairs without sentences, similarity or direction).
"""

from __future__ import annotations

import difflib

from bench.bench_common import Section, best_of, fast_article, rate_figure, truth_same_story
from bench.generate import generate_corpus
from newslineage.align import align_articles
from newslineage.lineage import relate


def pairs_for(n: int, max_pairs: int, seed: int = 17):
    """``(articles by id, pairs)``: truth derivations first, then same-story non-derivations."""
    records, truth = generate_corpus(n, seed=seed)
    by_id = {r["id"]: fast_article(r) for r in records}
    pairs = [(by_id[r["source"]], by_id[r["derived"]]) for r in truth["relations"]]
    half = max_pairs // 2
    pairs = pairs[:half]
    for p in sorted(truth_same_story(truth), key=sorted)[: max_pairs - len(pairs)]:
        a, b = sorted(p)
        pairs.append((by_id[a], by_id[b]))
    return by_id, pairs


def _difflib(pairs) -> None:
    for a, b in pairs:
        difflib.SequenceMatcher(None, a.text.split(), b.text.split()).get_matching_blocks()


def run(n_pairs: int, repeats: int) -> Section:
    """Alignment figures on about ``n_pairs`` article pairs."""
    sec = Section("Alignment")
    _, pairs = pairs_for(max(n_pairs * 2, 60), n_pairs)
    t_align, _ = best_of(lambda: [align_articles(a, b) for a, b in pairs], repeats)
    t_rel, rels = best_of(lambda: [relate(a, b) for a, b in pairs], repeats)
    t_diff, _ = best_of(lambda: _difflib(pairs), repeats)
    k = len(pairs)
    sec.add(
        rate_figure("align_articles (one direction)", k, t_align, t_diff,
                    "difflib.SequenceMatcher on words", "pairs/s"),
        rate_figure("relate (align both ways + classify + orient)", k, t_rel, t_diff,
                    "difflib.SequenceMatcher on words", "pairs/s",
                    note=f"{sum(r is not None for r in rels)}/{k} pairs related"),  # type: ignore[union-attr]
    )  # fmt: skip
    sec.notes.append(
        f"{k} pairs: half truth derivations (copy/excerpt/rewrite/partial), half same-event "
        "reports with no derivation, ~600-word articles."
    )
    return sec
