"""The local engine: incremental analysis of a store on one machine.

Only articles not yet analysed are matched (through the candidate index) against everything
stored; relations are re-decided for every derived article a new article touches, so a
late-arriving original re-points the edges it explains; stories are re-clustered from all
relations. The algorithms are the pure functions of ``index/``, ``align/`` and ``lineage/``;
this module only moves records between them and the store.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import TypeVar

import numpy as np

from ..align.memo import AlignmentMemo, pack_pairs, pack_passages
from ..align.passages import shingle_containment
from ..index.candidates import Candidate, CandidateIndex, merge_hits
from ..lineage import cluster_stories, relate_story
from ..lineage.chains import Triple, chain_triples, chain_verdict, chain_votes
from ..lineage.relate import relate_aligned
from ..model import DERIVATION_KINDS, Alignment, Article, Relation
from ..store.base import Store
from .index_cache import load_index, save_index

Progress = Callable[[str, int], None]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class AnalyzeSummary:
    """What one ``analyze`` run did."""

    analysed: int
    candidates: int
    relations: int
    derivations: int
    stories: int
    seconds: float
    # seconds per stage (load, index, candidates, relate, choose, stories): where time goes
    stage_seconds: tuple[tuple[str, float], ...] = ()

    def __str__(self) -> str:
        if self.analysed == 0:
            return "nothing new to analyse"
        return (
            f"analysed {self.analysed} article(s): {self.candidates} candidate pair(s), "
            f"{self.derivations} derivation(s), {self.relations - self.derivations} same-story "
            f"link(s), {self.stories} stor{'y' if self.stories == 1 else 'ies'} "
            f"in {self.seconds:.1f} s"
        )


def analyze_store(
    store: Store,
    *,
    progress: Progress | None = None,
    full: bool = False,
    memo: AlignmentMemo | None = None,
) -> AnalyzeSummary:
    """Analyse the store's new articles (every article with ``full``); update relations and stories.

    ``memo``: receives the alignment of every derivation kept, for the drift step.
    """
    started = perf_counter()
    clock = _Stages()
    articles = list(store.iter_articles())
    by_id = {a.id: a for a in articles}
    new_ids = set(by_id) if full else set(store.unanalysed_ids()) & set(by_id)
    if not new_ids:
        return AnalyzeSummary(0, 0, 0, 0, len(store.stories()), perf_counter() - started)
    clock.lap("load")
    index = load_index(store, articles)  # the saved index, when current (index_cache.py)
    index.add(articles)  # only the articles not in it yet
    clock.lap("index")
    new = [a for a in articles if a.id in new_ids]
    candidates = _candidates_for(index, new)
    save_index(store, index)
    clock.lap("candidates")
    found = _relate_candidates(candidates, by_id, progress, memo)
    found += _relate_candidates(chain_candidates(found, by_id), by_id, None, memo)
    clock.lap("relate")
    old = [] if full else store.relations()
    touched = set(by_id) if full else {r.derived for r in found}
    votes = vote_chains([*old, *found], by_id)
    kept = choose_relations([*old, *found], by_id, touched, votes)
    store.replace_relations([r for r in kept if r.derived in touched], touched)
    store.mark_analysed(new_ids)
    relations = store.relations()
    if memo is not None:
        memo.retain((r.source, r.derived) for r in relations)
    clock.lap("choose")
    stories = cluster_stories(articles, relations)
    store.replace_stories(stories)
    clock.lap("stories")
    derivations = sum(r.kind in DERIVATION_KINDS for r in relations)
    return AnalyzeSummary(
        len(new_ids),
        len(candidates),
        len(relations),
        derivations,
        len(stories),
        perf_counter() - started,
        tuple(clock.laps),
    )


def vote_chains(
    relations: Iterable[Relation], by_id: dict[str, Article]
) -> dict[Triple, tuple[int, int]]:
    """``chain_votes`` of every ``chain_triples`` triple whose three articles are at hand."""
    triples = [t for t in chain_triples(relations, CHAIN_MARGIN) if all(x in by_id for x in t)]
    return dict(_pool_map(_vote_chunk, triples, by_id))


def chain_candidates(found: list[Relation], by_id: dict[str, Article]) -> list[Candidate]:
    """Pairs (grandparent, article) that retrieval missed: when X is made from S and S from O,
    X may be made from O directly (a rewrite and a copy of one original look alike); so the
    choice between O and S is made on evidence, not on what the index happened to return."""
    seen = {frozenset((r.source, r.derived)) for r in found}
    best: dict[str, Relation] = {}
    for r in found:
        if r.kind in DERIVATION_KINDS and (
            r.derived not in best or r.coverage > best[r.derived].coverage
        ):
            best[r.derived] = r
    out = []
    for derived, r in best.items():
        up = best.get(r.source)
        if up is None or up.source == derived or up.source not in by_id:
            continue
        pair = frozenset((up.source, derived))
        if pair not in seen:
            seen.add(pair)
            a, b = sorted(pair)
            out.append(Candidate(a, b, frozenset({"chain"}), 0.0))
    return out


class _Stages:
    def __init__(self) -> None:
        self.last = perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = perf_counter()
        self.laps.append((name, round(now - self.last, 2)))
        self.last = now


# below this many pairs a worker pool costs more than it saves
PARALLEL_MIN_PAIRS = 2000
# pairs per task: large enough that an article's neighbours mostly go to the same worker
# (its feature caches then serve them), small enough for a smooth progress bar
_CHUNK = 1024

_shared: dict[str, Article] = {}  # the articles, inherited by forked workers


Packed = tuple[Relation, np.ndarray | None, bool, np.ndarray | None]


def _relate_chunk(chunk: list[Candidate]) -> list[Packed]:
    """The relations of a chunk of pairs, each with its derivation's packed alignment (small
    record arrays: what a worker sends back costs little to pickle)."""
    out: list[Packed] = []
    for c in chunk:
        rel, alignment = relate_candidate_aligned(c, _shared)
        if rel is None:
            continue
        if alignment is not None and rel.kind in DERIVATION_KINDS:
            out.append((rel, pack_pairs(alignment), alignment.ordered, pack_passages(alignment)))
        else:
            out.append((rel, None, True, None))
    return out


def _vote_chunk(chunk: list[Triple]) -> list[tuple[Triple, tuple[int, int]]]:
    return [(t, chain_votes(_shared[t[2]], _shared[t[1]], _shared[t[0]])) for t in chunk]


def _pool_map(
    work: Callable[[list[T]], list[R]],
    items: Sequence[T],
    by_id: dict[str, Article],
    progress: Progress | None = None,
    unit: str = "pairs",
) -> list[R]:
    """``work`` over chunks of ``items`` with the articles in ``_shared``: in forked worker
    processes when there is enough work, else here. Results keep the order of ``items``."""
    chunks = [list(items[i : i + _CHUNK]) for i in range(0, len(items), _CHUNK)]
    workers = min(os.cpu_count() or 1, 4)
    out: list[R] = []
    _shared.clear()
    _shared.update(by_id)
    try:
        if workers > 1 and len(items) >= PARALLEL_MIN_PAIRS and _can_fork():
            # fork: workers inherit the articles instead of unpickling them per task
            with mp.get_context("fork").Pool(workers) as pool:
                for chunk, got in zip(chunks, pool.imap(work, chunks), strict=True):
                    out.extend(got)
                    if progress:
                        progress(unit, len(chunk))
            return out
        for chunk in chunks:
            out.extend(work(chunk))
            if progress:
                progress(unit, len(chunk))
        return out
    finally:
        _shared.clear()


# articles per candidate-query task: each task queries the whole index in forked workers
_QUERY_CHUNK = 2000


def _candidates_for(index: CandidateIndex, new: list[Article]) -> list[Candidate]:
    """``index.candidates_for(new)`` with the queries spread over worker processes.

    Every new article is already in the index here, so the queries of one chunk of them do
    not depend on the other chunks; a pair two chunks both found is merged the way one query
    merges it (all channels, each channel's best score), so the result is the same.
    """
    workers = min(os.cpu_count() or 1, 4)
    serial = workers < 2 or len(new) < 2 * _QUERY_CHUNK or not _can_fork()
    if serial or not all(a.id in index for a in new):
        return index.candidates_for(new)
    chunks = [new[i : i + _QUERY_CHUNK] for i in range(0, len(new), _QUERY_CHUNK)]
    _query_shared["index"] = index
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_query_chunk, chunks, chunksize=1)
    finally:
        _query_shared.clear()
    return merge_hits([hit for part in parts for hit in part])


_query_shared: dict[str, CandidateIndex] = {}  # the index, inherited by forked workers


def _query_chunk(chunk: list[Article]) -> list[tuple[str, str, str, float]]:
    got = _query_shared["index"].candidates_for(chunk)
    return [(c.a, c.b, ch, sc) for c in got for ch, sc in c.channel_scores]


def _relate_candidates(
    candidates: Sequence[Candidate],
    by_id: dict[str, Article],
    progress: Progress | None,
    memo: AlignmentMemo | None = None,
) -> list[Relation]:
    if progress:
        progress("total:pairs", len(candidates))
    found = _pool_map(_relate_chunk, locality_order(candidates), by_id, progress)
    if memo is not None:
        for rel, packed, ordered, passages in found:
            if packed is not None:
                memo.put_packed(rel.source, rel.derived, packed, ordered, passages)
    return [rel for rel, *_ in found]


def locality_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The pairs reordered so that pairs sharing an article come close together.

    Aligning a pair needs per-article features that are cached (align.features,
    align.passages); in retrieval order an article's pairs are scattered and its features are
    recomputed for most of them. Articles are ranked by a breadth-first walk of the candidate
    graph, and a pair comes when its later-ranked article is reached: on the synthetic 10k
    corpus this cut feature computations with a 512-article cache from 27k to 12k.
    """
    neighbours: dict[str, list[str]] = {}
    for c in candidates:
        neighbours.setdefault(c.a, []).append(c.b)
        neighbours.setdefault(c.b, []).append(c.a)
    rank: dict[str, int] = {}
    for root in sorted(neighbours):
        if root in rank:
            continue
        rank[root] = len(rank)
        queue = deque([root])
        while queue:
            for v in neighbours[queue.popleft()]:
                if v not in rank:
                    rank[v] = len(rank)
                    queue.append(v)

    def key(c: Candidate) -> tuple[int, int]:
        ra, rb = rank[c.a], rank[c.b]
        return (ra, rb) if ra > rb else (rb, ra)

    return sorted(candidates, key=key)


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


# A pair that only the minhash channel found (no sentence of one has a close sentence in the
# other) is aligned only when this share of the shorter article's word 3-grams is in the
# other, exactly. On the synthetic 10k corpus such pairs were a quarter of all candidates
# and 96% unrelated (template phrases; 348 of 363 sampled), with no true derivation among
# them; a copy or excerpt shares most of its 3-grams.
MINHASH_ONLY_MIN_CONTAINMENT = 0.5


def relate_candidate(c: Candidate, by_id: dict[str, Article]) -> Relation | None:
    """``relate`` for one candidate pair, or the cheap same-story test when no textual
    channel shows reuse (only the story channel found it, or only minhash with few shared
    3-grams): such a pair is not a derivation, in one language."""
    return relate_candidate_aligned(c, by_id)[0]


def relate_candidate_aligned(
    c: Candidate, by_id: dict[str, Article]
) -> tuple[Relation | None, Alignment | None]:
    """``relate_candidate`` plus the alignment source -> derived it decided on, if any."""
    a, b = by_id[c.a], by_id[c.b]
    if a.key and a.key == b.key:
        return None, None  # two versions of one URL: a version history, not a derivation
    textual = c.channels - {"story"}
    if textual == {"minhash"} and (
        shingle_containment(a.text, b.text) < MINHASH_ONLY_MIN_CONTAINMENT
    ):
        textual = set()
    if not textual and (a.language or "") == (b.language or ""):
        return relate_story(a, b), None
    return relate_aligned(a, b)


def choose_relations(
    relations: Iterable[Relation],
    by_id: dict[str, Article],
    derived_ids: set[str],
    votes: Mapping[Triple, tuple[int, int]] | None = None,
) -> list[Relation]:
    """Keep, for each derived article, the relations that best explain it, without cycles.

    A copy, excerpt, rewrite, translation or duplicate has one source: the one that covers
    most of it (ties go to the source that is itself not derived, then the earliest). When
    one candidate source is derived from another, ``votes`` (``lineage.chains.chain_votes``
    of each ``chain_triples`` triple) decide between them where they are clear. A partial
    article (a compilation) may keep several partial sources. Same-story links are all
    kept. Edges are admitted strongest first and an edge that would close a cycle is
    dropped, so the lineage is always a DAG.
    """
    pairs: dict[tuple[str, str], Relation] = {}
    for r in relations:
        key = (r.source, r.derived)
        if key not in pairs or r.confidence > pairs[key].confidence:
            pairs[key] = r
    rels = list(pairs.values())
    derived_of = {r.derived for r in rels if r.kind in DERIVATION_KINDS}
    keep = [r for r in rels if r.kind == "same_story" or r.derived not in derived_ids]
    into: dict[str, list[Relation]] = {}
    for r in rels:
        if r.kind in DERIVATION_KINDS and r.derived in derived_ids:
            into.setdefault(r.derived, []).append(r)
    parents: dict[str, set[str]] = {}
    for r in rels:
        if r.kind in DERIVATION_KINDS:
            parents.setdefault(r.derived, set()).add(r.source)
    chosen: list[Relation] = []
    for options in into.values():
        chosen.extend(_best_sources(options, derived_of, by_id, parents, votes or {}))
    return keep + _acyclic(sorted(chosen, key=lambda r: -r.confidence), keep)


# A source that is itself derived from another candidate source of the same article only
# explains it better when it covers clearly more, or matches it clearly more verbatim
# (examples/: a copy of the wire and the wire both cover a compilation 0.57; synthetic: two
# rewrites of one original cover each other up to 0.09 better than the original does).
CHAIN_MARGIN = 0.1


def _fit(r: Relation) -> float:
    """How well the source explains the derived article: coverage, verbatim share and mean
    similarity of the aligned sentences (each in [0, 1]). Not the source's coverage: two
    excerpts of one lead paragraph cover each other fully, yet neither is the other's source."""
    feats = r.evidence.get("features") if isinstance(r.evidence, dict) else None
    mean_sim = float(feats.get("mean_similarity", 0.0)) if isinstance(feats, dict) else 0.0
    return r.coverage + r.verbatim_share + mean_sim


def _best_sources(
    options: list[Relation],
    derived_of: set[str],
    by_id: dict[str, Article],
    parents: dict[str, set[str]] | None = None,
    votes: Mapping[Triple, tuple[int, int]] | None = None,
) -> list[Relation]:
    def rank(r: Relation) -> tuple[float, float, int, str]:
        src = by_id.get(r.source)
        when = src.published or src.first_seen if src else None
        return (-round(r.coverage, 2), -round(_fit(r), 2), r.source in derived_of,
                when.isoformat() if when else "~")  # fmt: skip

    options = _drop_redundant(options, parents or {}, votes or {})
    options = sorted(options, key=rank)
    best = options[0]
    if best.kind != "partial":
        return [best]
    return [r for r in options if r.kind == "partial"]


def _drop_redundant(
    options: list[Relation],
    parents: dict[str, set[str]],
    votes: Mapping[Triple, tuple[int, int]],
) -> list[Relation]:
    """Of two sources where one is derived from the other, keep the one the article was made
    from: the chain votes decide when they are clear; otherwise the upstream article is the
    better explanation unless the downstream one covers clearly more or is clearly more
    verbatim (a chain's copy keeps its source's edits word for word).
    """
    by_source = {r.source: r for r in options}
    dropped: set[str] = set()
    for r in options:
        for u in (by_source[s] for s in parents.get(r.source, ()) if s in by_source):
            verdict = (
                chain_verdict(votes[key])
                if (key := (r.derived, r.source, u.source)) in votes
                else None
            )
            if verdict == "middle":
                dropped.add(u.source)
            elif verdict == "upstream" or (
                r.coverage < u.coverage + CHAIN_MARGIN
                and r.verbatim_share < u.verbatim_share + CHAIN_MARGIN
            ):
                dropped.add(r.source)
    return [r for r in options if r.source not in dropped] or options


def _acyclic(candidates: list[Relation], fixed: list[Relation]) -> list[Relation]:
    parents: dict[str, set[str]] = {}
    for r in fixed:
        if r.kind in DERIVATION_KINDS:
            parents.setdefault(r.derived, set()).add(r.source)
    out = []
    for r in candidates:
        if _reaches(parents, r.source, r.derived):
            continue  # derived is already an ancestor of source: the edge would close a cycle
        parents.setdefault(r.derived, set()).add(r.source)
        out.append(r)
    return out


def _reaches(parents: dict[str, set[str]], start: str, target: str) -> bool:
    """True when ``target`` is ``start`` or one of its ancestors."""
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return False
