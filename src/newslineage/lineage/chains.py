"""Chains: was an article made from a copy of the original, or from the original itself?

When ``X`` is derived from ``O`` and ``R`` could be derived from either, the aggregate figures
(coverage, verbatim share) barely differ: a faithful copy and its original explain ``R``
almost equally well. What tells them apart is the material where ``X`` and ``O`` differ — a
reworded sentence, a trimmed paragraph, an added line. ``R`` made from ``X`` follows ``X``
there; ``R`` made from ``O`` (a sibling of ``X``) follows ``O``. So every sentence of ``R``
votes for the text that holds its closer counterpart, and sentences that both hold equally
(most of them) abstain.

>>> from newslineage.model import DERIVATION_KINDS, Article, Relation
>>> o = Article("o", "Rain fell on the coast all day. The mayor closed three schools early.")
>>> x = Article("x", "Heavy rain fell on the coast all day. The mayor shut three schools early.")
>>> r = Article("r", "Heavy rain fell on the coast all day long. The mayor shut 3 schools early.")
>>> chain_votes(o, x, r)
(2, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np

from newslineage.align.core import AlignParams, one_blas_thread, sentences_of
from newslineage.align.features import sentence_features, unit_similarity
from newslineage.lineage.params import ChainParams
from newslineage.model import DERIVATION_KINDS, Article, Relation


def chain_votes(
    upstream: Article,
    middle: Article,
    derived: Article,
    params: ChainParams = ChainParams(),
    known: Mapping[tuple[str, str], np.ndarray] | None = None,
) -> tuple[int, int]:
    """``(votes for middle, votes for upstream)``: sentences of ``derived`` closer to each.
    ``known``: the ``BestRows`` the relate stage kept (``align_both``), read instead of
    comparing the texts again (the same arrays: ``tests/unit/test_chains.py``)."""
    best_m = _known_best(derived, middle, known)
    best_u = _known_best(derived, upstream, known)
    if best_m is None or best_u is None:
        return 0, 0
    seen = np.maximum(best_m, best_u) >= params.min_sim
    to_middle = int(np.sum(seen & (best_m > best_u + params.margin)))
    to_upstream = int(np.sum(seen & (best_u > best_m + params.margin)))
    return to_middle, to_upstream


def _known_best(
    derived: Article, other: Article, known: Mapping[tuple[str, str], np.ndarray] | None
) -> np.ndarray | None:
    """``_best(derived, other)``, from ``known`` when it has the pair."""
    got = known.get((derived.id, other.id)) if known is not None else None
    return got if got is not None else _best(derived, other)


@lru_cache(maxsize=512)
def _best(derived: Article, other: Article) -> np.ndarray | None:
    """For each sentence of ``derived``: its best similarity to any sentence or neighbour pair
    of ``other`` (pairs catch the sentences a rewrite merged). Cached: an article's triples
    share their sources."""
    sd, so = sentences_of(derived), sentences_of(other)
    if not sd or not so:
        return None
    ap = AlignParams()
    fd = sentence_features(derived.text, sd, ap.char_n, ap.stem_len)
    fo = sentence_features(other.text, so, ap.char_n, ap.stem_len)
    with one_blas_thread():
        sim = unit_similarity(fd, fo, merges=True)
    return sim[: fd.n].max(axis=1)


# A chain is decided by the votes only when one side clearly outvotes the other: identical
# house-style edits made independently by two copies give a sibling 1-2 stray votes, and two
# independent rewrites split their votes ~20:16. Read off 674 chain and sibling triples of
# the synthetic 10k corpus: errors (weighted by how often each case occurs) fell from ~255
# with coverage margins alone to ~123.
VOTE_RATIO = 1.5
VOTE_MIN = 2

Triple = tuple[str, str, str]  # (derived, middle, upstream)


def chain_verdict(votes: tuple[int, int]) -> str | None:
    """``"middle"``, ``"upstream"`` or None (undecided) from ``chain_votes``' counts."""
    to_middle, to_upstream = votes
    if to_middle >= VOTE_RATIO * to_upstream + VOTE_MIN:
        return "middle"
    if to_upstream >= VOTE_RATIO * to_middle + VOTE_MIN:
        return "upstream"
    return None


# Only the strongest candidate sources of an article are worth a vote: a story of k copies
# relates them all pairwise, and every (middle, upstream) combination would be ~k^3 triples
# (hours at 10k synthetic articles); the choice is between the best few.
TOP_SOURCES = 3


def chain_triples(relations: Iterable[Relation], margin: float = 0.1) -> list[Triple]:
    """``(derived, middle, upstream)`` for every article with two candidate sources where one
    source (middle) is itself derived from the other (upstream): the cases to vote on, among
    each article's ``TOP_SOURCES`` best-covering sources, where neither covers the article
    ``margin`` better or more verbatim than the other (clear cases need no vote)."""
    rels = [r for r in relations if r.kind in DERIVATION_KINDS]
    parents: dict[str, set[str]] = {}
    options: dict[str, list[Relation]] = {}
    for r in rels:
        parents.setdefault(r.derived, set()).add(r.source)
        options.setdefault(r.derived, []).append(r)
    out = set()
    for derived, opts in options.items():
        best = sorted(opts, key=lambda r: (-r.coverage, -r.verbatim_share, r.source))
        top = {r.source: r for r in best[:TOP_SOURCES]}
        for middle, m in top.items():
            for upstream in parents.get(middle, ()):
                u = top.get(upstream)
                if u is None or upstream == derived:
                    continue
                if abs(m.coverage - u.coverage) < margin and (
                    abs(m.verbatim_share - u.verbatim_share) < margin
                ):
                    out.add((derived, middle, upstream))
    return sorted(out)
