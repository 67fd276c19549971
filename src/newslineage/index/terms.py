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
