"""Fitting the sibling rule of the summary gate (``summary.sibling_admits``).

A short text the gate and the story rule find no source for may still be one of several
summaries or rewrites of one article: an abstractive one-liner that writes half its words
afresh shares too few with the 700-word article, yet says what its siblings say in about as
few words. ``choose.sibling_story_links`` links it to the source of the short text closest to
it in meaning (lead cosine) among those with a source; this module fits the two cuts that rule
reads, the least lead cosine and the least rarity, on labelled rows:

- the sibling rows (:func:`sibling_rows`): each short text with its nearest other short texts
  by lead cosine (the semantic channel's ``neighbours`` and cosine floor), labelled by whether
  both were made from one source;
- the gate's rows (``summary_fit.GateRow``): which source each short text joins by the fitted
  gate or story rule, and which is its own;
- the reach rows (:func:`reach_rows`): the rarity of each short text's terms in the sources
  its neighbours may be joined to that the cover channel did not pair it with (its five best
  targets often miss the own article of a one-liner that writes half its words afresh, yet
  that article holds the one-liner's names).

A short text the gate joins nowhere proposes the source of its closest joined neighbour whose
words it holds (a cover pair, or a rarity over the rarity cut); the cuts are those at which
the most proposals are its own source while each corpus keeps ``MIN_PRECISION`` (fewest wrong
stories first, as the story rule).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np

from newslineage.lineage.summary import is_short
from newslineage.model import Article
from newslineage.semantic.encoders import get_encoder
from newslineage.semantic.params import SemanticParams
from newslineage.semantic.vectors import from_bytes, lead_text, to_bytes

__all__ = [
    "Proposal",
    "fit_cosine",
    "fit_sibling",
    "lead_vectors",
    "picks",
    "proposals",
    "reach_rows",
    "sibling_heldout",
    "sibling_rows",
]


class _Row(Protocol):
    corpus: str
    group: str
    source: str
    short: str
    derived: bool
    own: bool
    orphan: bool
    cosine: float | None
    cover: float | None
    rarity: float | None
    reach: bool


def lead_vectors(articles: Sequence[Article], model: str) -> tuple[dict[str, int], np.ndarray]:
    """Row of each article and its lead vector, through the stored int8 form the pipeline
    reads (``semantic.vectors.to_bytes``), so a cut is fitted on what is read at run time."""
    encoded = np.asarray(get_encoder(model).encode([lead_text(a.title, a.text) for a in articles]))
    return {a.id: i for i, a in enumerate(articles)}, from_bytes(
        to_bytes(encoded), encoded.shape[1]
    )


def sibling_rows(
    texts: Sequence[Article],
    shorts: Sequence[Article],
    group_of: Mapping[str, str],
    vectors: tuple[dict[str, int], np.ndarray],
    make: Callable[..., Any],
) -> list[Any]:
    """For each of ``shorts``, a row per other short text among its ``neighbours`` nearest
    of all ``texts`` at or above the channel's floor (what the semantic channel pairs it
    with): ``make(source=other id, short=id, cosine=..., derived=same group, group=...)``."""
    p = SemanticParams()
    row, vec = vectors
    is_short = {a.id for a in shorts}
    ids = [a.id for a in texts]
    matrix = vec[[row[i] for i in ids]]  # every text's lead vector, gathered once
    out = []
    for a in shorts:
        cos = matrix @ vec[row[a.id]]
        near = [j for j in np.argsort(-cos) if ids[j] != a.id][: p.neighbours]
        for j in near:
            other = ids[j]
            if other in is_short and cos[j] >= p.floor("use"):
                same = group_of[other] == group_of[a.id]
                out.append(make(source=other, short=a.id, cosine=float(cos[j]), derived=same,
                                group=group_of[a.id]))  # fmt: skip
    return out


def reach_rows(
    sib: Sequence[_Row],
    rows: Sequence[_Row],
    by_id: Mapping[str, Article],
    rarity: Callable[[Article, Sequence[str]], Mapping[str, float]],
    make: Callable[..., Any],
) -> list[Any]:
    """For each short text with sibling rows, the sources its neighbours have rows with (the
    gate may join a neighbour to any of them) that the cover channel did not pair it with
    and that it is short against: ``make(source=..., short=..., rarity=..., group=...)``,
    the rarity of its terms there (``CandidateIndex.shared_rarity``), as the pipeline looks
    it up for such a pair (``choose.sibling_story_links``)."""
    real = [r for r in rows if not r.orphan]
    sources: dict[str, set[str]] = {}
    for r in real:
        sources.setdefault(r.short, set()).add(r.source)
    covered = {(r.source, r.short) for r in real if r.cover is not None}
    near: dict[str, set[str]] = {}
    group: dict[str, str] = {}
    for s in sib:
        near.setdefault(s.short, set()).update(sources.get(s.source, ()))
        group[s.short] = s.group
    out = []
    for short, cands in sorted(near.items()):
        todo = sorted(x for x in cands if (x, short) not in covered and x in by_id
                      and is_short(by_id[short], by_id[x]))  # fmt: skip
        got = rarity(by_id[short], todo) if todo else {}
        out += [make(source=x, short=short, rarity=float(got.get(x, 0.0)), group=group[short])
                for x in todo]  # fmt: skip
    return out


class Proposal(NamedTuple):
    """A short text joined to no source, and the source of one of its joined neighbours."""

    short: str
    cosine: float  # lead cosine of the short text and that neighbour
    covered: bool  # the cover channel found the short text's words in the source
    rarity: float | None  # the source's rarity of the short text's terms (reach rows)
    own: bool  # it is the short text's own source
    corpus: str


def proposals(
    sib: Sequence[_Row], rows: Sequence[_Row], joins: Callable[[Any], bool]
) -> list[Proposal]:
    """Per short text that ``joins`` joins to no source, one :class:`Proposal` per
    neighbour joined to one (the neighbour's best-covering source). ``sib``: the sibling rows
    (the neighbours, with their cosines) and the reach rows (``reach``: the rarity of the
    short text's terms in a source the cover channel did not pair it with)."""
    joined: dict[str, tuple[float, str]] = {}
    own: dict[str, str] = {}
    seen: set[str] = set()
    for r in rows:
        if r.orphan:
            continue
        seen.add(r.short)
        if r.own:
            own[r.short] = r.source
        if joins(r) and (r.cover or 0.0) >= joined.get(r.short, (-1.0, ""))[0]:
            joined[r.short] = (r.cover or 0.0, r.source)
    covered = {(r.source, r.short) for r in rows if not r.orphan and r.cover is not None}
    reach = {(r.source, r.short): r.rarity for r in sib if r.reach}
    out = []
    for s in sib:
        if s.reach or s.short not in seen or s.short in joined:
            continue
        if s.source not in joined:
            continue
        src = joined[s.source][1]
        out.append(Proposal(s.short, s.cosine or 0.0, (src, s.short) in covered,
                            reach.get((src, s.short)), own.get(s.short) == src, s.corpus))  # fmt: skip
    return sorted(out)


def picks(props: Sequence[Proposal], rarity: float | None) -> list[tuple[float, bool, str]]:
    """``(cosine, is its own source, corpus)`` per short text: its closest neighbour whose
    source holds its words, by the cover channel or (``rarity`` not None) by a rarity of at
    least ``rarity`` (``summary.sibling_admits``)."""
    best: dict[str, Proposal] = {}
    for p in props:
        ok = p.covered or (rarity is not None and p.rarity is not None and p.rarity >= rarity)
        if ok and p.cosine > (best[p.short].cosine if p.short in best else -9.0):
            best[p.short] = p
    return [(p.cosine, p.own, p.corpus) for _, p in sorted(best.items())]


#: rarity cuts tried per fit: quantiles of the proposals' rarities, and None (the cover
#: channel only)
RARITY_GRID = 24


def fit_sibling(
    props: Sequence[Proposal], min_precision: float
) -> tuple[float, float | None] | None:
    """The cuts (least cosine, least rarity or None) that link the most short texts to their
    own source while each corpus keeps ``min_precision`` (ties: the stricter rarity, None
    first); per rarity cut, the least cosine cut that keeps it (None: no cut does)."""
    rare = [p.rarity for p in props if not p.covered and p.rarity is not None]
    grid = np.unique(np.quantile(rare, np.linspace(0, 1, RARITY_GRID))) if rare else []
    best, got = 0, None
    for rarity in [None, *sorted(map(float, grid), reverse=True)]:
        chosen = picks(props, rarity)
        cut = fit_cosine(chosen, min_precision)
        right = sum(ok for c, ok, _ in chosen if cut is not None and c >= cut)
        if cut is not None and (got is None or right > best):
            best, got = right, (cut, rarity)
    return got


def fit_cosine(props: Sequence[tuple[float, bool, str]], min_precision: float) -> float | None:
    """The least cosine cut whose proposals are right with ``min_precision`` on every corpus
    (None: no cut is): the most short texts linked while each corpus keeps the floor."""
    for cut in sorted({c for c, _, _ in props}):
        kept = [(ok, corpus) for c, ok, corpus in props if c >= cut]
        if all(_precise(kept, corpus, min_precision) for corpus in {k for _, k in kept}):
            return cut
    return None


def _precise(kept: Sequence[tuple[bool, str]], corpus: str, floor: float) -> bool:
    mine = [ok for ok, k in kept if k == corpus]
    return sum(mine) >= floor * len(mine)


def sibling_heldout(rows: Sequence[Any], gates: Mapping[int, Any], folds: Mapping[str, int]) -> str:
    """The sibling links each fold's gate (fitted without it) makes for the short texts of
    that fold (their neighbours' sources joined by that gate on every row), and how many are
    their own source."""
    sib, plain = [r for r in rows if r.sibling], [r for r in rows if not r.sibling]
    got: list[bool] = []
    for f, gate in gates.items():
        mine = [r for r in sib if folds[f"{r.corpus}:{r.group}"] == f]
        if gate.sibling is None:
            continue
        cut, rarity = gate.sibling, gate.sibling_rarity
        got += [ok for c, ok, _ in picks(proposals(mine, plain, gate.joins), rarity) if c >= cut]
    return f"sibling links, held out: {len(got)}, own source {sum(got)}"
