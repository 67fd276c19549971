"""Candidate pairs for alignment, from three retrieval channels, without comparing all pairs.

- ``minhash``: one-permutation MinHash of word 3-grams, LSH banding in sorted numpy key tables,
  verified by estimated Jaccard / containment. Finds copies, excerpts, light edits.
- ``sentence``: per-sentence MinHash of content words; two articles are candidates when several
  sentences of one have a close sentence in the other. Finds rewrites (machine translation and
  back, paraphrase) and write-throughs that reuse paragraphs.
- ``story``: shared rare terms, names and numbers, IDF-weighted, within a publication-time
  window. Finds other reports of the same event.

Every lookup is a sorted-array search whose buckets are capped, so the cost grows with the
corpus, not with its square.

>>> from newslineage.model import Article
>>> idx = CandidateIndex()
>>> idx.add([Article("a", "The cat sat on the mat today. It was warm and sunny outside."),
...          Article("b", "The cat sat on the mat today. It was warm and sunny outside!")])
>>> [(c.a, c.b, "minhash" in c.channels) for c in idx.query(Article("a", "The cat sat on the mat today. It was warm and sunny outside."))]
[('a', 'b', True)]
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from newslineage.errors import InputError, StoreError
from newslineage.index.ids import IdList
from newslineage.index.lsh import KeyTable
from newslineage.index.minhash import (
    band_keys,
    bbit,
    estimate_jaccard_bbit,
    minhash_verified,
    oph_signatures,
)
from newslineage.index.sentfp import sentence_signatures
from newslineage.index.terms import story_terms, term_idf, term_weights, top_terms
from newslineage.index.tokens import shingle_hashes, tokenize_articles
from newslineage.model import Article

CHANNELS: tuple[str, ...] = ("minhash", "sentence", "story")
# 2: tables keep their stopped keys; a stamp. 3: b-bit signatures, sentence offsets instead
# of a doc per sentence, ids as a byte blob, 3 sentence bands (an older file is rebuilt)
FORMAT_VERSION = 3
_CHUNK = 512  # articles per feature chunk: bounds the (words x hashes) sentence matrix
_QUERY_BATCH = 1000  # articles per candidate query: bounds the (query, row) hit arrays


@dataclass(frozen=True, slots=True)
class IndexParams:
    """Settings of the candidate index. Figures measured with ``bench``-style runs on the seeds,
    Clough & Stevenson (2011) and synthetic 600-word articles (see tests/unit/test_index_*.py).
    """

    channels: tuple[str, ...] = CHANNELS
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


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair worth aligning: ``a < b`` (ids sorted), the channels that found it and the best
    channel score in [0, 1] (containment, matched-sentence share or story-term overlap)."""

    a: str
    b: str
    channels: frozenset[str]
    score: float
    channel_scores: tuple[tuple[str, float], ...] = ()


@dataclass(slots=True)
class _Features:
    """Everything the index keeps or looks up for a batch of articles."""

    ids: list[str]
    published: np.ndarray  # float64 seconds, NaN when unknown
    n_shingles: np.ndarray  # int32
    sigs: np.ndarray  # (n, num_bins) uint32
    sent_sig: np.ndarray  # (S, sentence_hashes) uint32
    sent_doc: np.ndarray  # (S,) int32 position in ids
    n_sent: np.ndarray  # (n,) int32 fingerprinted sentences per article
    terms: list[np.ndarray]  # per article: distinct uint32 term keys
    strong: list[np.ndarray]  # per article: name/number flags
    tf: list[np.ndarray]  # per article: occurrences of each term


def _timestamp(a: Article) -> float:
    return a.published.timestamp() if a.published is not None else math.nan


def _features(articles: Sequence[Article], p: IndexParams) -> _Features:
    parts = [_features_chunk(articles[i : i + _CHUNK], p) for i in range(0, len(articles), _CHUNK)]
    if not parts:
        return _features_chunk([], p)
    offs = np.cumsum([0] + [len(f.ids) for f in parts])
    return _Features(
        ids=[i for f in parts for i in f.ids],
        published=np.concatenate([f.published for f in parts]),
        n_shingles=np.concatenate([f.n_shingles for f in parts]),
        sigs=np.concatenate([f.sigs for f in parts]),
        sent_sig=np.concatenate([f.sent_sig for f in parts]),
        sent_doc=np.concatenate([f.sent_doc + o for f, o in zip(parts, offs, strict=False)]),
        n_sent=np.concatenate([f.n_sent for f in parts]),
        terms=[t for f in parts for t in f.terms],
        strong=[s for f in parts for s in f.strong],
        tf=[x for f in parts for x in f.tf],
    )


def _features_chunk(articles: Sequence[Article], p: IndexParams) -> _Features:
    toks = tokenize_articles([(a.text, a.sentences) for a in articles])  # one numpy scan
    shingles = [shingle_hashes(t.hashes, p.shingle_size) for t in toks]
    sent_sig, sent_doc, _ = sentence_signatures(toks, p.sentence_hashes, p.sentence_min_words)
    terms = [story_terms(t) for t in toks]
    return _Features(
        ids=[a.id for a in articles],
        published=np.array([_timestamp(a) for a in articles], dtype=np.float64),
        n_shingles=np.array([len(s) for s in shingles], dtype=np.int32),
        sigs=oph_signatures(shingles, p.num_bins),
        sent_sig=sent_sig,
        sent_doc=sent_doc,
        n_sent=np.bincount(sent_doc, minlength=len(articles)).astype(np.int32),
        terms=[k for k, _, _ in terms],
        strong=[s for _, s, _ in terms],
        tf=[x for _, _, x in terms],
    )


def _pairs(a: np.ndarray, b: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (a, b) pairs and how often each occurred."""
    code, counts = _counted(a.astype(np.int64) * width + b)
    return code // width, code % width, counts


_PREFILTER_MIN = 1_000_000  # hits; below this one sort is cheap enough
_PREFILTER_BITS = 23  # 8M counters (64 MB, freed at once)


def _maybe_repeated(code: np.ndarray) -> np.ndarray:
    """Mask of the codes that may occur twice or more: exact for every repeated code (it
    shares its counter with itself), plus the singles whose hashed counter collides.

    Most sentence band hits are single-band agreements that can never reach two bands; on
    10k articles this counting pass dropped 37% of 6.7M hits before the sort (1.4 -> 0.8 s).
    """
    shift = np.uint64(64 - _PREFILTER_BITS)
    h = ((code.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> shift).astype(np.intp)
    return np.bincount(h, minlength=1 << _PREFILTER_BITS)[h] >= 2


def _sorted_distinct(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted ``x`` and the mask of each value's first occurrence.

    A plain sort: ``np.unique`` of numpy 2.x hashes when no counts are asked for, and that took
    27 of 75 s on 10k articles (tens of millions of int64 sentence-pair codes).
    """
    x = np.sort(x, kind="stable" if x.dtype.kind == "b" else "quicksort")
    return x, np.r_[True, x[1:] != x[:-1]] if len(x) else np.empty(0, bool)


def _distinct(x: np.ndarray) -> np.ndarray:
    x, first = _sorted_distinct(x)
    return x[first]


def _counted(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``x`` (sorted) and how often each occurs."""
    x, first = _sorted_distinct(x)
    starts = np.flatnonzero(first)
    return x[starts], np.diff(np.r_[starts, len(x)])


class CandidateIndex:
    """The retrieval stage: add articles in batches, then ask for candidate pairs.

    >>> from newslineage.model import Article
    >>> idx = CandidateIndex(IndexParams(channels=("minhash",)))
    >>> idx.add([Article("x", "one two three four five six seven eight")])
    >>> len(idx)
    1
    """

    def __init__(self, params: IndexParams = IndexParams()) -> None:
        self.params = params
        self._ids = IdList()
        self._published = np.empty(0, np.float64)
        self._n_shingles = np.empty(0, np.int32)
        # b-bit signatures: the full ones only make the band keys (IndexParams.sig_bits)
        self._sigs = bbit(np.empty((0, params.num_bins), np.uint32), params.sig_bits)
        # sentences are numbered in article order, so article i's fingerprinted sentences are
        # rows sent_off[i]:sent_off[i + 1] of the sentence table: 8 B per article instead of
        # a 4 B article row per sentence (~25 sentences per article)
        self._sent_off = np.zeros(1, np.int64)
        # over-full buckets are never looked up, so they are not kept (lsh.py)
        self._bands = KeyTable(params.max_bucket)
        self._sents = KeyTable(params.sentence_max_bucket)
        self._terms = KeyTable(params.story_max_bucket)
        self._df_keys = np.empty(0, np.uint32)
        self._df_counts = np.empty(0, np.int32)
        self.stamp = ""  # set by load(): what the saved index was built from

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def ids(self) -> list[str]:
        """The indexed article ids, in the order they were added."""
        return list(self._ids)

    def _n_sent(self, rows: np.ndarray) -> np.ndarray:
        """Fingerprinted sentences of the articles at ``rows``."""
        return self._sent_off[rows + 1] - self._sent_off[rows]

    def _sent_doc(self, sents: np.ndarray) -> np.ndarray:
        """The article row of each sentence-table row in ``sents``."""
        return np.searchsorted(self._sent_off, sents, "right") - 1

    # ------------------------------------------------------------------ adding
    def add(self, articles: Sequence[Article]) -> None:
        """Index a batch (ids already indexed, or repeated in the batch, are ignored)."""
        seen: set[str] = set()
        fresh = []
        known = self._ids.rows([a.id for a in articles])
        for a, row in zip(articles, known.tolist(), strict=True):
            if row < 0 and a.id not in seen:
                seen.add(a.id)
                fresh.append(a)
        if fresh:
            self._add_features(_features(fresh, self.params))

    def _add_features(self, f: _Features) -> None:
        p = self.params
        base = len(self._ids)
        rows = np.arange(base, base + len(f.ids), dtype=np.int32)
        self._ids.extend(f.ids)
        self._published = np.concatenate([self._published, f.published])
        self._n_shingles = np.concatenate([self._n_shingles, f.n_shingles])
        self._sigs = np.concatenate([self._sigs, bbit(f.sigs, p.sig_bits)])
        if "minhash" in p.channels:
            has = f.n_shingles > 0
            keys = band_keys(f.sigs[has], p.bands, p.rows)
            self._bands.add(keys.ravel(), np.repeat(rows[has], p.bands))
        if "sentence" in p.channels:
            self._add_sentences(f, rows)
        else:
            self._sent_off = np.concatenate(
                [self._sent_off, np.full(len(rows), self._sent_off[-1])]
            )
        if "story" in p.channels:
            self._add_df(f)
            self._add_terms(f, rows)

    def _add_sentences(self, f: _Features, rows: np.ndarray) -> None:
        p = self.params
        first = int(self._sent_off[-1])
        # f.sent_doc is ascending (sentences come in article order), as the offsets require
        self._sent_off = np.concatenate([self._sent_off, first + np.cumsum(f.n_sent)])
        if len(f.sent_sig):
            nb = p.sentence_hashes // p.sentence_rows
            keys = band_keys(f.sent_sig, nb, p.sentence_rows)
            srows = np.arange(first, first + len(f.sent_sig), dtype=np.int32)
            self._sents.add(keys.ravel(), np.repeat(srows, nb))

    def _add_df(self, f: _Features) -> None:
        new = np.concatenate([np.empty(0, np.uint32), *f.terms])
        keys = np.concatenate([self._df_keys, new])
        counts = np.concatenate([self._df_counts, np.ones(len(new), np.int32)])
        uniq, inv = np.unique(keys, return_inverse=True)
        self._df_keys = uniq
        self._df_counts = np.bincount(inv, weights=counts, minlength=len(uniq)).astype(np.int32)

    def _add_terms(self, f: _Features, rows: np.ndarray) -> None:
        p = self.params
        keys, docs = [], []
        for i, (t, s, tf) in enumerate(zip(f.terms, f.strong, f.tf, strict=True)):
            if len(t) > p.story_max_terms:
                # keep what the article is about: tf-idf, names first
                w = term_weights(self._idf(t, len(self)), s, p.story_strong_boost, tf)
                t = top_terms(t, w, p.story_max_terms)
            keys.append(t)
            docs.append(np.full(len(t), rows[i], np.int32))
        if keys:
            self._terms.add(np.concatenate(keys), np.concatenate(docs))

    def _df(self, keys: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self._df_keys, keys)
        pos = np.minimum(pos, max(len(self._df_keys) - 1, 0))
        hit = (self._df_keys[pos] == keys) if len(self._df_keys) else np.zeros(len(keys), bool)
        return np.where(hit, self._df_counts[pos] if len(self._df_keys) else 0, 0)

    def _idf(self, keys: np.ndarray, n: int, extra_df: np.ndarray | None = None) -> np.ndarray:
        df = self._df(keys) + (0 if extra_df is None else extra_df)
        return term_idf(df, n, self.params.story_idf_prior_docs)

    # ----------------------------------------------------------------- queries
    def query(self, article: Article, exclude_self: bool = True) -> list[Candidate]:
        """Candidates for one article against everything indexed."""
        f = _features([article], self.params)
        got = self._match(f, self, len(self), None)
        if exclude_self:
            got = [g for g in got if g[1] != article.id]
        return merge_hits([(article.id, b, ch, s) for _, b, ch, s in got])

    def candidates_for(self, new: Sequence[Article]) -> list[Candidate]:
        """Candidates of ``new`` against everything indexed and against each other, deduped.

        Does not add ``new`` to the index (call :meth:`add` for that). Queries run in batches
        of ``_QUERY_BATCH`` articles, so the hit arrays stay bounded whatever the corpus size.
        """
        other = CandidateIndex(self.params)
        known = self._ids.rows([a.id for a in new])
        other.add([a for a, row in zip(new, known.tolist(), strict=True) if row < 0])
        n = len(self) + len(other)
        out = []
        for i in range(0, len(new), _QUERY_BATCH):
            f = _features(new[i : i + _QUERY_BATCH], self.params)
            for target, extra in ((self, other), (other, self)):
                for q, b, ch, s in self._match(f, target, n, extra):
                    a = f.ids[q]
                    if a != b:
                        out.append((a, b, ch, s))
        return merge_hits(out)

    def _match(
        self, f: _Features, t: CandidateIndex, n: int, extra: CandidateIndex | None
    ) -> list[tuple[int, str, str, float]]:
        """(query position, target id, channel, score) for each channel hit of ``f`` in ``t``."""
        if len(t) == 0 or not f.ids:
            return []
        hits: list[tuple[np.ndarray, np.ndarray, np.ndarray, str]] = []
        p = self.params
        if "minhash" in p.channels:
            hits.append((*_minhash_hits(f, t, p), "minhash"))
        if "sentence" in p.channels:
            hits.append((*_sentence_hits(f, t, p), "sentence"))
        if "story" in p.channels:
            df_extra = (lambda k: extra._df(k)) if extra is not None else None
            hits.append((*_story_hits(f, t, p, n, df_extra), "story"))
        ids = t._ids
        return [
            (int(q), ids[int(r)], ch, float(s))
            for qs, rs, ss, ch in hits
            for q, r, s in zip(qs, rs, ss, strict=True)
        ]

    # ------------------------------------------------------------- persistence
    def memory_parts(self) -> dict[str, int]:
        """Bytes the index holds, by part: every array it keeps, the ids included."""
        return {
            "signatures": self._sigs.nbytes,
            "minhash band table": self._bands.nbytes,
            "sentence table + offsets": self._sents.nbytes + self._sent_off.nbytes,
            "story postings + df": self._terms.nbytes + self._df_keys.nbytes
            + self._df_counts.nbytes,
            "per-article scalars": self._published.nbytes + self._n_shingles.nbytes,
            "ids": self._ids.nbytes,
        }  # fmt: skip

    def memory_bytes(self) -> int:
        """Bytes the index holds (the sum of :meth:`memory_parts`)."""
        return sum(self.memory_parts().values())

    def save(self, path: str | Path, stamp: str = "") -> None:
        """Write the index to one ``.npz`` file (no pickles), atomically.

        ``stamp`` is kept with it and read back as :attr:`stamp`: the caller's fingerprint
        of what the index was built from (the local engine stores the store's article count
        and last row), so a stale index can be told from a current one.
        """
        path = Path(path)
        id_blob, id_off = self._ids.arrays()
        data = {
            "meta": np.frombuffer(json.dumps({
                "version": FORMAT_VERSION, "params": asdict(self.params), "stamp": stamp,
            }).encode("utf-8"), dtype=np.uint8),
            "id_blob": id_blob, "id_off": id_off,
            "published": self._published, "n_shingles": self._n_shingles, "sigs": self._sigs,
            "sent_off": self._sent_off, "df_keys": self._df_keys, "df_counts": self._df_counts,
        }  # fmt: skip
        for name, table in (("bands", self._bands), ("sents", self._sents), ("terms", self._terms)):
            data[f"{name}_keys"], data[f"{name}_rows"], data[f"{name}_stopped"] = table.arrays()
        # write a temporary file and rename it over the old one: an interrupted save leaves
        # the previous index intact, never half of a new one (os.replace is atomic on POSIX)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                np.savez(fh, **data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise StoreError(str(path), f"cannot write the index ({e.strerror})",
                             "check the folder exists and is writable") from e  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> CandidateIndex:
        """Read an index written by :meth:`save`; a missing, truncated, corrupt or
        other-version file raises :class:`StoreError` (callers rebuild)."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
            meta = json.loads(data.pop("meta").tobytes().decode("utf-8"))
            if meta.get("version") != FORMAT_VERSION:
                raise StoreError(str(path), f"index format {meta.get('version')} is not "
                                 f"{FORMAT_VERSION}", "rebuild the index with this version")  # fmt: skip
            return cls._from_data(meta, data)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as e:
            raise StoreError(str(path), f"not a readable candidate index ({e})",
                             "delete it to rebuild it, or pass the right path") from e  # fmt: skip

    @classmethod
    def _from_data(cls, meta: dict, data: dict[str, np.ndarray]) -> CandidateIndex:
        known = {f.name for f in fields(IndexParams)}
        raw = {k: v for k, v in meta["params"].items() if k in known}
        raw["channels"] = tuple(raw.get("channels", CHANNELS))
        idx = cls(IndexParams(**raw))
        idx._ids = IdList.from_arrays(data["id_blob"], data["id_off"])
        for name in ("published", "n_shingles", "sigs", "sent_off", "df_keys", "df_counts"):
            setattr(idx, f"_{name}", data[name])
        caps = {"bands": idx.params.max_bucket, "sents": idx.params.sentence_max_bucket,
                "terms": idx.params.story_max_bucket}  # fmt: skip
        for name, cap in caps.items():
            table = KeyTable.from_arrays(data[f"{name}_keys"], data[f"{name}_rows"],
                                         data[f"{name}_stopped"], cap)  # fmt: skip
            setattr(idx, f"_{name}", table)
        n = len(idx._ids)
        if not (len(idx._sigs) == len(idx._published) == len(idx._sent_off) - 1 == n):
            raise ValueError(f"arrays disagree with the {n} ids")
        if idx._sigs.dtype != bbit(np.empty(0, np.uint32), idx.params.sig_bits).dtype:
            raise ValueError(f"signatures are {idx._sigs.dtype}, not {idx.params.sig_bits}-bit")
        idx.stamp = str(meta.get("stamp", ""))
        return idx


# ---------------------------------------------------------------------- channels
def _minhash_hits(f: _Features, t: CandidateIndex, p: IndexParams):
    has = np.flatnonzero(f.n_shingles > 0)
    keys = band_keys(f.sigs[has], p.bands, p.rows)
    qi, rows = t._bands.lookup(keys.ravel(), p.max_bucket)
    q, r, _ = _pairs(has[qi // p.bands], rows, max(len(t), 1))
    j = estimate_jaccard_bbit(bbit(f.sigs, p.sig_bits)[q], t._sigs[r], p.sig_bits)
    keep, c = minhash_keep(j, f.n_shingles[q], t._n_shingles[r], p)
    return q[keep], r[keep], c[keep]


def minhash_keep(
    j: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, p: IndexParams
) -> tuple[np.ndarray, np.ndarray]:
    """``minhash_verified`` with the index's settings: both engines verify band hits here."""
    return minhash_verified(j, size_a, size_b, num_bins=p.num_bins, min_jaccard=p.min_jaccard,
                            min_containment=p.min_containment, z=p.min_confidence_z)  # fmt: skip


def _sentence_hits(f: _Features, t: CandidateIndex, p: IndexParams):
    nb = p.sentence_hashes // p.sentence_rows
    empty = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
    if len(f.sent_sig) == 0:
        return empty
    keys = band_keys(f.sent_sig, nb, p.sentence_rows)
    live = ~t._sents.stopped(keys.ravel()).reshape(keys.shape).all(axis=1)
    n_live = np.bincount(f.sent_doc[live], minlength=len(f.ids))  # query sentences that can match
    qi, ts = t._sents.lookup(keys.ravel(), p.sentence_max_bucket)
    width = max(int(t._sent_off[-1]), 1)
    qs = qi // nb
    if p.sentence_min_bands >= 2 and len(qs) > _PREFILTER_MIN:
        keep = _maybe_repeated(qs * width + ts)
        qs, ts = qs[keep], ts[keep]
    qs, ts, agree = _pairs(qs, ts, width)
    qs, ts = qs[agree >= p.sentence_min_bands], ts[agree >= p.sentence_min_bands]
    if len(qs) == 0:
        return empty
    width = max(len(t), 1)
    nq = max(len(f.ids), 1)
    qdoc, tdoc = f.sent_doc[qs].astype(np.int64), t._sent_doc(ts)
    # count distinct sentences on each side, so one sentence matching many does not inflate:
    # distinct (query sentence, target article) and (target sentence, query article) codes
    uq = _distinct(qs * width + tdoc)
    ut = _distinct(ts * nq + qdoc)
    per_q = f.sent_doc[uq // width].astype(np.int64) * width + uq % width
    per_t = (ut % nq) * width + t._sent_doc(ut // nq)
    codes, mq = _counted(per_q)
    _, mt = _counted(per_t)  # the same pair codes, in the same order
    dq, dr = codes // width, codes % width
    matched = np.minimum(mq, mt)
    n_target = t._n_sent(dr)
    shorter = np.minimum(f.n_sent[dq], n_target)
    score = matched / np.maximum(shorter, 1)
    share = matched / np.maximum(np.minimum(n_live[dq], n_target), 1)
    keep = (matched >= np.minimum(p.sentence_min_matches, shorter)) & (
        share >= p.sentence_min_share
    )
    return dq[keep], dr[keep], np.minimum(score[keep], 1.0)


def _story_hits(f: _Features, t: CandidateIndex, p: IndexParams, n: int, df_extra):
    sizes = np.array([len(k) for k in f.terms])
    empty = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
    if sizes.sum() == 0:
        return empty
    keys = np.concatenate(f.terms)
    strong = np.concatenate(f.strong)
    qdoc = np.repeat(np.arange(len(f.terms)), sizes)
    extra = df_extra(keys) if df_extra is not None else None
    idf = t._idf(keys, n, extra)
    weight = term_weights(idf, strong, p.story_strong_boost)
    if p.story_query_terms:
        # the query's names and numbers, and its other top tf-idf terms (ranked as _add_terms
        # ranks): a translation shares names and numbers with its source, while its own
        # rare words would crowd them out of a plain top-k
        rank = term_weights(idf, strong, p.story_strong_boost, np.concatenate(f.tf))
        use = strong.copy()
        use[_top_k(qdoc, rank, p.story_query_terms)] = True
        keys, qdoc, weight = keys[use], qdoc[use], weight[use]
    cap = min(max(int(p.story_max_df * n), 100), p.story_max_bucket) if n >= 100 else 0
    ki, rows = t._terms.lookup(keys, cap)
    width = max(len(t), 1)
    if len(ki) == 0:
        return empty
    # one sort by (pair, query term): pairs become runs, and each run's weights are summed in
    # key order (query terms are key-sorted per article), the order Spark's story_pair_passes
    # sums them in, so both engines get the same floats
    span = np.int64(len(keys))
    both = np.sort((qdoc[ki].astype(np.int64) * width + rows) * span + ki)
    code, ki = both // span, both % span
    first = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    uniq = code[first]
    shared = np.diff(np.append(first, len(code)))
    # bincount adds sequentially (np.add.reduceat may sum pairwise: other last bits)
    score = np.bincount(np.repeat(np.arange(len(first)), shared), weights=weight[ki])
    q, r = uniq // width, uniq % width
    keep = (shared >= p.story_min_shared) & (score >= p.story_min_weight)
    if p.story_window_days is not None:
        dt = np.abs(f.published[q] - t._published[r])
        keep &= ~(dt > p.story_window_days * 86400.0)  # NaN (unknown date) passes
    q, r, shared, score = q[keep], r[keep], shared[keep], score[keep]
    norm = shared / np.maximum(np.minimum(sizes[q], p.story_max_terms), 1)
    top = _top_k(q, score, p.story_top_k)
    return q[top], r[top], np.minimum(norm[top], 1.0)


def _top_k(group: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best scores within each group."""
    order = np.lexsort((-score, group))
    g = group[order]
    first = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    rank = np.arange(len(g)) - np.repeat(first, np.diff(np.r_[first, len(g)]))
    return order[rank < k]


def merge_hits(hits: list[tuple[str, str, str, float]]) -> list[Candidate]:
    """One Candidate per unordered pair, with all channels and the best score, sorted by pair:
    from ``(a, b, channel, score)`` hits in any order (the result does not depend on it)."""
    by: dict[tuple[str, str], dict[str, float]] = {}
    for a, b, ch, s in hits:
        key = (a, b) if a < b else (b, a)
        d = by.setdefault(key, {})
        d[ch] = max(d.get(ch, 0.0), s)
    return [
        Candidate(a, b, frozenset(d), round(max(d.values()), 4), tuple(sorted(d.items())))
        for (a, b), d in sorted(by.items())
    ]
