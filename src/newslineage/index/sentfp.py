"""Sentence fingerprints: a small MinHash of each sentence's content words.

A machine-translated or paraphrased copy shares few word 5-grams with its source (seed 001 vs
000: 0.17 Jaccard) but most of its sentences keep most of their content words ("Hegseth will
first participate in a meeting of the Ukrainian Defense Liaison Group at NATO's Brussels
headquarters" vs "... take part in a meeting of the Ukraine Defense Contact Group ..."). So each
sentence is reduced to the set of its content-word stems (stopwords of several languages removed,
numbers kept, 5-character prefixes; see ``tokens.py``) and gets ``num_hashes`` classic MinHash
values (Broder 1997), banded in pairs. Two sentences count as matching when
``IndexParams.sentence_min_bands`` bands agree: with the default 3 bands of 2 rows and one
band, probability 1-(1-J^2)^3, ~0.58 at sentence Jaccard 0.5 and ~0.03 at 0.1.

>>> from newslineage.index.tokens import tokenize_article
>>> t = tokenize_article("Hegseth meets NATO defense ministers in Brussels today.", ())
>>> sig, doc, sent = sentence_signatures([t], num_hashes=8, min_words=3)
>>> sig.shape, doc.tolist(), sent.tolist()
((1, 8), [0], [0])
"""

from __future__ import annotations

import numpy as np

from newslineage.index.tokens import ArticleTokens, mix64

# fixed per-hash seeds: the digits of sqrt(2) would do as well; any fixed distinct values work
_SEEDS = mix64(np.arange(1, 65, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


def sentence_signatures(
    toks: list[ArticleTokens], num_hashes: int, min_words: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MinHash of each sentence with at least ``min_words`` content words.

    Returns ``(sig (S, num_hashes) uint32, doc (S,) int32, sentence (S,) int32)``: the
    signature, the article's position in ``toks`` and the sentence index in that article.
    """
    if num_hashes > len(_SEEDS):
        raise ValueError(f"num_hashes={num_hashes}: at most {len(_SEEDS)}")
    stems, gsent, offsets = [], [], [0]
    for t in toks:
        stems.append(t.stems[t.content])
        gsent.append(t.sentence_of[t.content].astype(np.int64) + offsets[-1])
        offsets.append(offsets[-1] + t.n_sentences)
    empty = (np.empty((0, num_hashes), np.uint32), np.empty(0, np.int32), np.empty(0, np.int32))
    if not stems or offsets[-1] == 0:
        return empty
    w = np.concatenate(stems)
    s = np.concatenate(gsent)
    counts = np.bincount(s, minlength=offsets[-1])
    keep = counts[s] >= min_words
    w, s = w[keep], s[keep]
    if len(w) == 0:
        return empty
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    vals = (mix64(w[:, None] ^ _SEEDS[None, :num_hashes]) >> np.uint64(32)).astype(np.uint32)
    sig = np.minimum.reduceat(vals, starts, axis=0)
    sent_ids = s[starts]
    doc = np.searchsorted(np.asarray(offsets), sent_ids, side="right") - 1
    local = sent_ids - np.asarray(offsets)[doc]
    return sig, doc.astype(np.int32), local.astype(np.int32)
