"""The features the candidate index keeps or looks up, for a batch of articles at once.

One numpy tokenising scan per chunk of articles gives all three channels' inputs: word
3-gram MinHash signatures, sentence fingerprints and story terms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newslineage.index.minhash import oph_signatures
from newslineage.index.params import IndexParams
from newslineage.index.sentfp import sentence_signatures
from newslineage.index.terms import story_terms
from newslineage.index.tokens import shingle_hashes, tokenize_articles
from newslineage.model import Article

_CHUNK = 512  # articles per feature chunk: bounds the (words x hashes) sentence matrix


@dataclass(slots=True)
class Features:
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


def batch_features(articles: Sequence[Article], p: IndexParams) -> Features:
    """The features of ``articles``, computed in chunks of ``_CHUNK`` so that the (words x
    hashes) sentence matrix stays bounded, then concatenated in article order."""
    parts = [_features_chunk(articles[i : i + _CHUNK], p) for i in range(0, len(articles), _CHUNK)]
    if not parts:
        return _features_chunk([], p)
    offs = np.cumsum([0] + [len(f.ids) for f in parts])
    return Features(
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


def _features_chunk(articles: Sequence[Article], p: IndexParams) -> Features:
    toks = tokenize_articles([(a.text, a.sentences) for a in articles])  # one numpy scan
    shingles = [shingle_hashes(t.hashes, p.shingle_size) for t in toks]
    sent_sig, sent_doc, _ = sentence_signatures(toks, p.sentence_hashes, p.sentence_min_words)
    terms = [story_terms(t) for t in toks]
    return Features(
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
