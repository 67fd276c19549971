"""Fitting the sibling rule of the summary gate (``summary.sibling_admits``).

A short text the gate and the story rule find no source for may still be one of several
summaries or rewrites of one article: an abstractive one-liner that writes half its words
afresh shares too few with the 700-word article, yet says what its siblings say in about as
few words. ``choose.sibling_story_links`` links it to the source of the short text closest to
it in meaning (lead cosine) among those with a source; this module fits the one cut that rule
reads, the least lead cosine, on labelled rows:

- the sibling rows (:func:`sibling_rows`): each short text with its nearest other short texts
  by lead cosine (the semantic channel's ``neighbours`` and cosine floor), labelled by whether
  both were made from one source;
- the gate's rows (``summary_fit.GateRow``): which source each short text joins by the fitted
  gate or story rule, and which is its own.

A short text the gate joins nowhere proposes the source of its closest joined neighbour; the
cut is the least one at which those proposals are its own source with ``MIN_PRECISION`` on
every corpus (fewest wrong stories first, as the story rule), the most proposals kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from newslineage.model import Article
from newslineage.semantic.encoders import get_encoder
from newslineage.semantic.params import SemanticParams
from newslineage.semantic.vectors import from_bytes, lead_text, to_bytes

__all__ = ["fit_sibling", "lead_vectors", "proposals", "sibling_heldout", "sibling_rows"]


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


def proposals(
    sib: Sequence[_Row], rows: Sequence[_Row], joins: Callable[[Any], bool]
) -> list[tuple[float, bool, str]]:
    """``(cosine, is its own source, corpus)`` per short text that ``joins`` joins to no
    source: the source of its closest neighbour that is joined to one (its best-covering),
    among those sources the cover channel found for the short text (a row with cover
    evidence: its words are among the source's, as retrieval ranks them)."""
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
    best: dict[str, tuple[float, str, str]] = {}
    for s in sib:
        if s.short not in seen or s.short in joined or s.source not in joined:
            continue
        if (joined[s.source][1], s.short) not in covered:
            continue  # the cover channel did not find the short text's words in that source
        if (s.cosine or 0.0) > best.get(s.short, (-1.0, "", ""))[0]:
            best[s.short] = (s.cosine or 0.0, joined[s.source][1], s.corpus)
    return [(c, own.get(y) == src, corpus) for y, (c, src, corpus) in sorted(best.items())]


def fit_sibling(props: Sequence[tuple[float, bool, str]], min_precision: float) -> float | None:
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
        cut = gate.sibling
        got += [
            ok for c, ok, _ in proposals(mine, plain, gate.joins) if cut is not None and c >= cut
        ]
    return f"sibling links, held out: {len(got)}, own source {sum(got)}"
