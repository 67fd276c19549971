"""Per-article retrieval features for the Spark engine, computed with the index's own functions.

The local :class:`~newslineage.index.candidates.CandidateIndex` keeps the same values in numpy
tables; here each article's values become rows that Spark joins on. Everything is computed
with the public functions of ``index/`` (``tokenize_article``, ``shingle_hashes``,
``oph_signatures``, ``band_keys``, ``sentence_signatures``, ``story_terms`` and the term
weighing ``term_idf``, ``term_weights``, ``top_terms``), vectorised over
one partition's batch of articles, so a worker and the local engine agree bit for bit.

This module imports no pyspark: it is plain numpy over model records and is unit-testable.

>>> from newslineage.model import Article
>>> [f] = batch_features([(0, Article("a", "one two three four"))])
>>> f.row, f.n_shingles, len(f.band_keys)
(0, 2, 42)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from newslineage.index.candidates import IndexParams, minhash_keep
from newslineage.index.minhash import (
    band_keys,
    bbit,
    estimate_jaccard_bbit,
    oph_signatures,
)
from newslineage.index.sentfp import sentence_signatures
from newslineage.index.terms import story_terms, term_idf, term_weights, top_terms
from newslineage.index.tokens import shingle_hashes, tokenize_article
from newslineage.model import Article

# sentence id = row << SENT_BITS | sentence index: one int64 key per fingerprinted sentence
SENT_BITS = 24
_BATCH = 512  # articles per numpy batch, as in CandidateIndex (bounds the sentence matrix)


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the three candidate channels need of one article (``row`` is its ingestion rank)."""

    row: int
    published: float  # epoch seconds, NaN when unknown
    n_shingles: int
    sig: bytes  # num_bins b-bit MinHash values (IndexParams.sig_bits), little-endian
    band_keys: tuple[int, ...]  # LSH keys; empty when the article has no shingles
    sentence_keys: tuple[tuple[int, tuple[int, ...]], ...]  # (sentence index, its band keys)
    terms: tuple[int, ...]  # distinct story-term keys, ascending
    strong: tuple[bool, ...]  # name / number flag of each term
    tf: tuple[int, ...]  # occurrences of each term


def _timestamp(a: Article) -> float:
    return a.published.timestamp() if a.published is not None else math.nan


def batch_features(
    items: Sequence[tuple[int, Article]], params: IndexParams = IndexParams()
) -> list[ArticleFeatures]:
    """Features of ``(row, article)`` pairs, computed as ``CandidateIndex.add`` computes them."""
    p = params
    toks = [tokenize_article(a.text, a.sentences) for _, a in items]
    shingles = [shingle_hashes(t.hashes, p.shingle_size) for t in toks]
    sigs = oph_signatures(shingles, p.num_bins)
    bands = band_keys(sigs, p.bands, p.rows) if len(items) else np.empty((0, p.bands), np.uint32)
    sent_sig, sent_doc, sent_idx = sentence_signatures(
        toks, p.sentence_hashes, p.sentence_min_words
    )
    nb = p.sentence_hashes // p.sentence_rows
    skeys = band_keys(sent_sig, nb, p.sentence_rows) if len(sent_sig) else sent_sig[:, :0]
    per_doc: list[list[tuple[int, tuple[int, ...]]]] = [[] for _ in items]
    for d, s, k in zip(sent_doc.tolist(), sent_idx.tolist(), skeys.tolist(), strict=True):
        per_doc[d].append((s, tuple(k)))
    out = []
    for i, ((row, a), t) in enumerate(zip(items, toks, strict=True)):
        keys, strong, tf = story_terms(t)
        has = len(shingles[i]) > 0
        out.append(
            ArticleFeatures(
                row=row,
                published=_timestamp(a),
                n_shingles=len(shingles[i]),
                sig=_sig_bytes(sigs[i], p),
                band_keys=tuple(bands[i].tolist()) if has else (),
                sentence_keys=tuple(per_doc[i]),
                terms=tuple(keys.tolist()),
                strong=tuple(strong.tolist()),
                tf=tuple(tf.tolist()),
            )
        )
    return out


def _sig_dtype(params: IndexParams) -> str:
    return "<u1" if params.sig_bits == 8 else "<u2"


def _sig_bytes(sig: np.ndarray, params: IndexParams) -> bytes:
    """The b-bit signature the index keeps (``CandidateIndex`` stores the same values)."""
    return bbit(sig, params.sig_bits).astype(_sig_dtype(params)).tobytes()


def partition_features(
    items: Iterable[tuple[int, Article]], params: IndexParams = IndexParams()
) -> Iterator[ArticleFeatures]:
    """``batch_features`` over a partition, ``_BATCH`` articles at a time (for mapPartitions)."""
    batch: list[tuple[int, Article]] = []
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            yield from batch_features(batch, params)
            batch = []
    if batch:
        yield from batch_features(batch, params)


def verify_minhash(
    pairs: Sequence[tuple[int, int, bytes, bytes, int, int]], params: IndexParams = IndexParams()
) -> list[tuple[int, int]]:
    """The band hits ``(a, b, sig_a, sig_b, shingles_a, shingles_b)`` that pass the index's
    verification: estimated Jaccard or containment of the smaller article above its floors."""
    if not pairs:
        return []
    dtype = _sig_dtype(params)
    sa = np.frombuffer(b"".join(p[2] for p in pairs), dtype).reshape(len(pairs), -1)
    sb = np.frombuffer(b"".join(p[3] for p in pairs), dtype).reshape(len(pairs), -1)
    j = estimate_jaccard_bbit(sa, sb, params.sig_bits)
    sizes_a = np.array([p[4] for p in pairs], np.int32)
    keep, _ = minhash_keep(j, sizes_a, np.array([p[5] for p in pairs], np.int32), params)
    return [(p[0], p[1]) for p, k in zip(pairs, keep.tolist(), strict=True) if k]


def top_story_terms(
    terms: Sequence[tuple[int, bool, int, int]],
    n: int,
    params: IndexParams = IndexParams(),
    limit: int | None = None,
) -> list[int]:
    """The term keys one article keeps in the story table: all of them, or when there are more
    than ``limit`` (default ``story_max_terms``; 0: no limit) the highest tf-idf (names and
    numbers boosted), ties by key. With ``limit=story_query_terms``: the terms it queries with.

    ``terms`` are ``(key, strong, tf, df)``; ranked by the index's own ``term_weights`` and
    ``top_terms`` (index/terms.py), as ``CandidateIndex._add_terms`` ranks them.
    """
    limit = params.story_max_terms if limit is None else limit
    terms = sorted(terms)
    keys = np.array([t[0] for t in terms], np.uint32)
    if limit <= 0 or len(keys) <= limit:
        return keys.tolist()
    strong = np.array([t[1] for t in terms], bool)
    tf = np.array([t[2] for t in terms], np.int32)
    idf = term_idf(np.array([t[3] for t in terms], np.int64), n, params.story_idf_prior_docs)
    w = term_weights(idf, strong, params.story_strong_boost, tf)
    return top_terms(keys, w, limit).tolist()


def story_query_keys(
    terms: Sequence[tuple[int, bool, int, int]], n: int, params: IndexParams = IndexParams()
) -> list[int]:
    """The term keys one article queries the story table with: its names and numbers, and its
    top ``story_query_terms`` by tf-idf (all of them when that is 0), as the index selects."""
    top = set(top_story_terms(terms, n, params, params.story_query_terms))
    return sorted(top | {t[0] for t in terms if t[1]})


def story_weights(
    terms: Sequence[tuple[int, bool, int]], n: int, params: IndexParams = IndexParams()
) -> list[float]:
    """Query weight of each ``(key, strong, df)`` term: IDF, names and numbers boosted."""
    if not terms:
        return []
    idf = term_idf(np.array([t[2] for t in terms], np.int64), n, params.story_idf_prior_docs)
    strong = np.array([t[1] for t in terms], bool)
    return term_weights(idf, strong, params.story_strong_boost).tolist()


def story_pair_passes(
    hits: Iterable[tuple[int, float]], dt: float, params: IndexParams = IndexParams()
) -> tuple[bool, float]:
    """(kept, score) of one query -> target pair from its shared ``(key, weight)`` terms.

    The weights are summed in key order, as the index's ``bincount`` sums them, so the score
    is the same float; ``dt`` is the publication gap in seconds (NaN when a date is unknown).
    """
    shared, score = 0, 0.0
    for _, w in sorted(hits):
        shared += 1
        score += w
    keep = shared >= params.story_min_shared and score >= params.story_min_weight
    if params.story_window_days is not None and dt > params.story_window_days * 86400.0:
        keep = False  # NaN compares False: unknown dates pass, as in the index
    return keep, score


def top_k_targets(hits: Iterable[tuple[int, float]], k: int) -> list[int]:
    """The ``k`` best-scoring targets of one query, ties to the lower row (the index's order)."""
    return [t for t, _ in sorted(hits, key=lambda h: (-h[1], h[0]))[:k]]
