"""Settings of the candidate index (``IndexParams``), with the figures that chose them.

Both engines read them: the local ``CandidateIndex`` and the Spark candidate stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newslineage.errors import InputError
from newslineage.index.minhash import minhash_verified

CHANNELS: tuple[str, ...] = ("minhash", "sentence", "story", "cover")


@dataclass(frozen=True, slots=True)
class IndexParams:
    """Settings of the candidate index. Figures measured with ``bench``-style runs on the seeds,
    Clough & Stevenson (2011) and synthetic 600-word articles (see tests/unit/test_index_*.py).
    """

    channels: tuple[str, ...] = CHANNELS  # candidate channels to run (all four by default)
    # -- minhash --
    # 3-grams: true derived pairs had median 3-gram Jaccard 0.47 vs 0.34 for 5-grams
    # (PERFORMANCE-NOTES.md); on Clough-Stevenson 3-grams also gave the best recall here.
    shingle_size: int = 3
    # 128 one-permutation bins: standard error of a Jaccard estimate ~0.04 at J=0.3.
    num_bins: int = 128
    # bits of each bin kept once the band keys are made (b-bit MinHash): 8 bits are 128 B per
    # article instead of 512, and add ~1/256 chance agreements, corrected in the estimate
    sig_bits: int = 8
    # 42 bands x 3 rows found 70% of true pairs vs 29% for datasketch's 25 x 5 default
    # (PERFORMANCE-NOTES.md); P(candidate) = 1-(1-J^3)^42: 0.5 at J=0.25, 0.97 at J=0.45.
    bands: int = 42
    rows: int = 3
    # an LSH bucket with more articles than this is boilerplate, not evidence (and is dropped
    # from the table, like every over-full bucket: see lsh.py)
    max_bucket: int = 1000
    # verification: keep a band hit when the estimated Jaccard or containment of the smaller
    # article reaches these (Clough-Stevenson 'heavy' pairs go down to ~0.1 Jaccard); the
    # 8-bit signatures' chance agreements (1/256) are corrected in the estimate
    min_jaccard: float = 0.08
    min_containment: float = 0.2
    # ...by this many standard errors of the estimate (index/minhash.py jaccard_lower_bound):
    # at 2,000 generated articles comparing bare estimates let 341 unrelated pairs through,
    # 1.5 SE 6, same recall (tests/unit/test_index_candidates.py). A one-off study at 100,000
    # articles with 32-bit signatures: 678k unrelated pairs (short excerpts whose signatures
    # are mostly densified copies); 1.5 SE kept 23k and lost 5 of 45,000 derivations (1.0:
    # 102k and 1; 2.0: 3.5k and 10)
    min_confidence_z: float = 1.5
    # -- sentence --
    # 3 bands of 2 rows: a sentence pair matches when one band agrees: P = 1-(1-J^2)^3, 0.58
    # at sentence Jaccard 0.5, 0.03 at 0.1; an article pair still needs several matched
    # sentences and a share of the shorter article (below). 3 table entries per sentence
    # instead of 10. 10k generated articles (seed 13): derivation recall all channels /
    # sentence channel, sentence pairs per article; the seeds' write-through (000 / 004#2):
    #   10 bands x 2 rows, >= 2 agree: 0.998 / 0.997, 1.33 pairs, 0.28 of 004#2 matched
    #    6 bands x 2 rows, >= 2 agree: 0.997 / 0.971, 1.15 pairs, lost 004#2 (golden test)
    #    3 bands x 3 rows, >= 1 agrees: 0.998 / 0.991, 1.41 pairs, lost 004#2
    #    3 bands x 2 rows, >= 1 agrees: 0.996 / 0.994, 1.80 pairs, 0.24 of 004#2 matched
    # at 50k articles 10 x 2 took 1,389 B per article, 3 x 3 569 B (3-row keys are rarer, so
    # fewer buckets pass the cap and are dropped), 3 x 2 ~290 B (packed keys, lsh.py)
    sentence_hashes: int = 6
    sentence_rows: int = 2
    sentence_min_bands: int = 1
    # sentences with fewer content words ("UK.", "Source link", "The minister declined to
    # comment.") are too generic to fingerprint: 6 rather than 4 raised sentence recall (fewer
    # stock-phrase matches crowd the buckets) and saved 4% of the sentence table (see above)
    sentence_min_words: int = 6
    # articles are candidates when this many sentences match (or all sentences of a shorter one)
    sentence_min_matches: int = 2
    # ...and at least this share of the shorter article's sentences: unrelated articles built
    # from the same stock phrases match 4-15% of their sentences, true derivations >= 36%
    # (synthetic 500-article corpus), and the sentence channel must not flood the aligner.
    # The querying article counts only its sentences that can still match (one band key in a
    # bucket under the cap): at 100,000 generated articles 70% of sentence keys are stock
    # phrases past the cap, and rewrites matched 5-10 of their ~40 sentences, under 20%;
    # counting live sentences raised derivation candidate recall 0.924 -> 0.960 at 100k for
    # 14% more pairs (10k: recall unchanged, +0.7% pairs). A pair passes when either side's
    # query passes (Spark checks both sides of each pair); in an incremental run only the new
    # article queries, so an old-new pair is judged on the new article's live sentences.
    sentence_min_share: float = 0.2
    # sentences shared by more articles are stock phrases: at 500 synthetic articles a cap of
    # 300 let 700 unrelated pairs through, 100 kept 250 and lost no derivation. Buckets past
    # the cap (over all segments) are dropped from the table for good (lsh.py): at 10k
    # synthetic articles that took the sentence table from 4.2 to ~2.5 KB per article with
    # recall unchanged (bench/bench_candidates.py, 2,000 articles: 0.997 / 0.997 / 0.86).
    sentence_max_bucket: int = 100
    # -- story --
    # publication-time window; None disables it. Applies only when both dates are known.
    story_window_days: float | None = 7.0
    # terms stored per article (highest tf-idf, names and numbers boosted): 8 B each. 32
    # rather than 64 halves the postings and raised same-story recall (0.860 -> 0.895 at 2k
    # articles; 24 terms: 0.887): fewer generic terms share the capped buckets
    story_max_terms: int = 32
    # pseudo-documents added to N in idf = ln((N + prior) / (df + 1)): a small index
    # cannot tell rare from common, so every term starts out as fairly rare
    story_idf_prior_docs: float = 1000.0
    # names and numbers identify an event better than common nouns
    story_strong_boost: float = 1.5
    # a same-story pair shares at least this many terms with this much IDF weight; tuned
    # on the seeds: true pairs share 12+ terms, the Baltic Sea item shares at most 6
    story_min_shared: int = 10
    story_min_weight: float = 60.0
    # terms in more than this share of articles are skipped (once the index has 100+)
    story_max_df: float = 0.05
    # ...and never more than this many: a 5% cap is 500 articles per term at 10k, and 64
    # terms x 500 rows per article took 9 GB at 10k articles; an event's own names are shared
    # by its reports and copies (synthetic stories: at most ~60 articles)
    story_max_bucket: int = 200
    story_top_k: int = 50
    # a query looks up its names and numbers and only its own top terms otherwise (ranked
    # like the stored ones); 0: all terms. With all ~200 terms, 1,000 queries against 10k
    # articles drew 12M postings and the story channel took 2-5 s of the batch's ~6; with
    # 64: 0.35-0.8 s. Same-story recall 0.872 (2k) vs 0.890 with all terms (48: 0.867, 32:
    # 0.847, without the names and numbers; a plain top 64 lost the German translation in
    # examples/: its own rare words outranked the names it shares with its source)
    story_query_terms: int = 64
    # -- cover --
    # a short text (a summary, a one-line blurb) shares neither sentences nor 3-grams with its
    # source and too few terms for the story channel (a 20-word BBC one-liner has ~9 story
    # terms; the story channel asks 10 shared). It is looked up by all its terms, and each
    # longer, not later article is scored by the IDF-weighted share of the text's terms it
    # holds in its stored top terms (the summary gate reads the score: lineage/summary.py).
    # (how often it finds the source: the FRANK figures of docs/lineage.md, "Summaries")
    # queries: texts with at most this many distinct story terms (FRANK summaries: <= 53)
    cover_max_terms: int = 64
    # targets: at least 1 / cover_length_ratio times the query's length in words, as the
    # summary gate asks in characters (LineageParams.summary_ratio): other short texts (a
    # summary's siblings, other summaries) would crowd the top k (0.5 let FRANK's CNN/DM
    # summaries outscore a BBC one-liner's own article)
    cover_length_ratio: float = 0.35
    # best targets kept per query, and the least score worth keeping
    cover_top_k: int = 5
    cover_min_score: float = 0.1

    def __post_init__(self) -> None:
        bad = set(self.channels) - set(CHANNELS)
        if bad:
            raise InputError("IndexParams.channels", f"unknown channel(s) {sorted(bad)}",
                             f"use some of {list(CHANNELS)}")  # fmt: skip
        if self.bands * self.rows > self.num_bins:
            raise InputError("IndexParams", f"{self.bands} bands x {self.rows} rows exceed "
                             f"{self.num_bins} bins", "lower bands or rows, or raise num_bins")  # fmt: skip
        if self.sig_bits not in (8, 16):
            raise InputError("IndexParams.sig_bits", f"{self.sig_bits} bits", "use 8 or 16")
        if self.sentence_hashes % self.sentence_rows:
            raise InputError("IndexParams.sentence_hashes", "not a multiple of sentence_rows",
                             "make sentence_hashes a multiple of sentence_rows")  # fmt: skip


def minhash_keep(
    j: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, p: IndexParams
) -> tuple[np.ndarray, np.ndarray]:
    """``minhash_verified`` with the index's settings: both engines verify band hits here."""
    return minhash_verified(j, size_a, size_b, num_bins=p.num_bins, min_jaccard=p.min_jaccard,
                            min_containment=p.min_containment, z=p.min_confidence_z)  # fmt: skip
