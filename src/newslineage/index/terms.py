"""Story terms: the rare words, names and numbers two reports of one event share.

Two outlets reporting the same meeting share few sentences but many specific terms: the
people ("Hegseth", "Rutte"), places, organisations and figures ("$126 billion", "50
countries"). Each article is reduced to its distinct content-word stems (see ``tokens.py``)
with a flag for names (capitalised away from the start of a sentence) and numbers; the index
weighs shared terms by IDF (Spärck Jones 1972) so that "NATO" in a NATO corpus counts little.

>>> from newslineage.index.tokens import tokenize_article
>>> t = tokenize_article("Then Hegseth met Rutte in Brussels on 12 February.", ())
>>> keys, strong, tf = story_terms(t)
>>> int(strong.sum())  # Hegseth, Rutte, Brussels, February, 12
5
"""

from __future__ import annotations

import numpy as np

from newslineage.index.tokens import ArticleTokens


def story_terms(t: ArticleTokens) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct uint32 term keys of one article, whether each is a name or number, and
    how often each occurs (int32)."""
    if len(t.hashes) == 0:
        return np.empty(0, np.uint32), np.empty(0, bool), np.empty(0, np.int32)
    # np.concatenate, not np.r_: np.r_ parses its arguments on every call (3 s per 20k articles)
    initial = np.concatenate(([True], t.sentence_of[1:] != t.sentence_of[:-1]))
    # a 2-letter word is too common to identify a story; numbers of any length count
    use = t.content & (t.longish | t.numeric)
    # numbers keep every digit (12 != 126); words use their prefix stem
    h = np.where(t.numeric, t.hashes, t.stems)[use]
    strong = ((t.capitalised & ~initial) | t.numeric)[use]
    keys = (h >> np.uint64(32)).astype(np.uint32)
    uniq, inv = np.unique(keys, return_inverse=True)
    flag = np.zeros(len(uniq), bool)
    np.logical_or.at(flag, inv, strong)
    return uniq, flag, np.bincount(inv, minlength=len(uniq)).astype(np.int32)


# The weighing and ranking of story terms, shared by the candidate index and the Spark engine
# (engines/spark/features.py) so both keep and query the same terms with the same floats.


def term_idf(df: np.ndarray, n: int, prior_docs: float) -> np.ndarray:
    """Smoothed IDF ``ln((N + prior) / (df + 1))``: ``prior_docs`` pseudo-documents keep a
    small index from over-weighing a term it has seen once.

    >>> term_idf(np.array([0, 9]), 0, 10.0).round(3).tolist()
    [2.303, 0.0]
    """
    return np.log((n + prior_docs) / (np.asarray(df) + 1.0))


def term_weights(
    idf: np.ndarray, strong: np.ndarray, boost: float, tf: np.ndarray | None = None
) -> np.ndarray:
    """``tf * idf * boost`` (``idf * boost`` without ``tf``), names and numbers boosted: what a
    shared term is worth, and (with ``tf``) how much an article is about it."""
    w = idf if tf is None else tf * idf
    return w * np.where(strong, boost, 1.0)


def top_terms(keys: np.ndarray, weights: np.ndarray, limit: int) -> np.ndarray:
    """The ``limit`` heaviest of ``keys`` (Salton & Buckley 1988: keep what an article is
    about), ties to the earlier key."""
    return keys[np.argsort(-weights, kind="stable")[:limit]]
