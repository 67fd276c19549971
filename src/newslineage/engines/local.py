"""The local engine: incremental analysis of a store on one machine.

Only articles not yet analysed are matched (through the candidate index) against everything
stored; relations are re-decided for every derived article a new article touches, so a
late-arriving original re-points the edges it explains; stories are re-clustered from all
relations. The algorithms are the pure functions of ``index/``, ``align/`` and ``lineage/``;
this module only moves records between them and the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import TypeVar

import numpy as np

from ..align.core import BestRows
from ..align.memo import AlignmentMemo, pack_pairs, pack_passages
from ..index.candidates import (
    Candidate,
    CandidateIndex,
    late_cover_split,
    merge_hits,
    merge_into,
)
from ..lineage import cluster_stories
from ..lineage.chains import Triple, chain_triples, chain_votes
from ..lineage.choose import (
    CHAIN_MARGIN,
    chain_candidates,
    choose_relations,
    may_relate,
    relate_candidate_aligned,
    relate_summary_rounds,
)
from ..model import DERIVATION_KINDS, Article, Relation, Story
from ..semantic.params import SemanticParams
from ..store import codec
from ..store.base import Store
from . import pool
from .index_cache import load_index, save_index
from .semantic import SemanticRun, add_semantic_candidates

Progress = Callable[[str, int], None]
S = TypeVar("S")
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


@dataclass(frozen=True, slots=True)
class AnalysisPlan:
    """What one analysis decided, not yet written: ``write_plan`` stores it in one go."""

    summary: AnalyzeSummary
    analysed: frozenset[str]  # the articles this run marks analysed
    touched: frozenset[str]  # derived articles whose incoming relations are replaced
    replaced: tuple[Relation, ...]  # their new relations
    relations: tuple[Relation, ...]  # every relation afterwards, as the store will give them
    stories: tuple[Story, ...]


def analyze_store(
    store: Store,
    *,
    progress: Progress | None = None,
    full: bool = False,
    memo: AlignmentMemo | None = None,
    semantic: SemanticParams | None = None,
) -> AnalyzeSummary:
    """Analyse the store's new articles (every article with ``full``); update relations and
    stories in one transaction. ``memo``: receives the alignment of every derivation kept,
    for the drift step."""
    plan = plan_analysis(store, progress=progress, full=full, memo=memo, semantic=semantic)
    with store.transaction():
        write_plan(store, plan)
    return plan.summary


def write_plan(store: Store, plan: AnalysisPlan) -> None:
    """Store the plan's relations, stories and analysed flags (call inside a transaction)."""
    if not plan.analysed:
        return
    store.replace_relations(plan.replaced, plan.touched)
    store.mark_analysed(plan.analysed)
    store.replace_stories(plan.stories)


def plan_analysis(
    store: Store,
    *,
    progress: Progress | None = None,
    full: bool = False,
    memo: AlignmentMemo | None = None,
    semantic: SemanticParams | None = None,
) -> AnalysisPlan:
    """Everything ``analyze_store`` decides, without writing it (but the candidate index
    cache, which is checked against the store before use and so is safe to save early).

    Nothing is written until the whole run is decided, so a run killed at any point leaves
    the store as it was, and the rerun does the same work again. ``memo``: receives the
    alignment of every derivation kept, for the drift step. ``semantic``: run the semantic
    layer (engines/semantic.py) with these parameters (vectors are cached in the store as
    they are made: a cache, like the index's, so an early write cannot change a result).
    """
    started = perf_counter()
    clock = _Stages()
    articles = list(store.iter_articles())
    by_id = {a.id: a for a in articles}
    new_ids = set(by_id) if full else set(store.unanalysed_ids()) & set(by_id)
    stored = store.relations()
    if not new_ids:
        summary = AnalyzeSummary(0, 0, 0, 0, len(store.stories()), perf_counter() - started)
        return AnalysisPlan(summary, frozenset(), frozenset(), (), tuple(stored), ())
    clock.lap("load")
    index = load_index(store, articles)  # the saved index, when current (index_cache.py)
    index.add(articles)  # only the articles not in it yet
    clock.lap("index")
    new = [a for a in articles if a.id in new_ids]
    candidates = _candidates_for(index, new)
    late, rivals = late_cover_split(_late_cover_hits(index, new, new_ids, by_id), new_ids)
    candidates = merge_into(candidates, late)
    save_index(store, index)
    clock.lap("candidates")
    sem = SemanticRun(store, semantic) if semantic is not None and semantic.enabled else None
    if sem is not None:
        sem.ensure(articles)
        candidates = add_semantic_candidates(candidates, sem.neighbours(new))
        clock.lap("semantic vectors")
    best: BestRows = {}  # what the chain votes read, kept from the alignments (vote_chains)
    found = _relate_candidates(candidates, by_id, progress, memo, best)
    found += _relate_candidates(chain_candidates(found, by_id), by_id, None, memo, best)
    aligned = list(found)
    found = relate_summary_rounds(
        candidates,
        found,
        by_id,
        lambda cs: _relate_candidates(cs, by_id, None, memo, best),
        rivals=rivals,
        cosine=sem.lead_cosine if sem is not None else None,
        rarity=index.shared_rarity,
    )
    clock.lap("relate")
    if sem is not None:
        found = sem.decide(candidates, found, by_id, settled=aligned)
        clock.lap("semantic decision")
    old = [] if full else stored
    touched = set(by_id) if full else {r.derived for r in found}
    votes = vote_chains([*old, *found], by_id, best)
    kept = choose_relations([*old, *found], by_id, touched, votes)
    replaced = [r for r in kept if r.derived in touched]
    # what store.relations() gives after replace_relations: the untouched rows in their
    # order, then the new ones, each through the store's encoding (JSON evidence, floats)
    relations = [r for r in stored if r.derived not in touched]
    relations += [codec.relation_from_row(codec.relation_row(r)) for r in replaced]
    if memo is not None:
        memo.retain((r.source, r.derived) for r in relations)
    clock.lap("choose")
    stories = cluster_stories(articles, relations)
    stories = [codec.story_from_row(codec.story_row(s)) for s in stories]
    clock.lap("stories")
    derivations = sum(r.kind in DERIVATION_KINDS for r in relations)
    summary = AnalyzeSummary(
        len(new_ids),
        len(candidates),
        len(relations),
        derivations,
        len(stories),
        perf_counter() - started,
        tuple(clock.laps),
    )
    return AnalysisPlan(
        summary,
        frozenset(new_ids),
        frozenset(touched),
        tuple(replaced),
        tuple(relations),
        tuple(stories),
    )


def vote_chains(
    relations: Iterable[Relation], by_id: dict[str, Article], best: BestRows | None = None
) -> dict[Triple, tuple[int, int]]:
    """``chain_votes`` of every ``chain_triples`` triple whose three articles are at hand.
    ``best``: the relate stage's ``BestRows`` of derived pairs (``_relate_candidates``): a
    triple's two derived pairs were aligned there, so their votes need no new comparison."""
    triples = [t for t in chain_triples(relations, CHAIN_MARGIN) if all(x in by_id for x in t)]
    return dict(_pool_map(_vote_chunk, triples, (by_id, best or {})))


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

#: a relation, its derivation's packed alignment (pairs, ordered, passages) and the derived
#: article's ``BestRows`` against the source
Packed = tuple[Relation, np.ndarray | None, bool, np.ndarray | None, np.ndarray | None]


def _relate_chunk(by_id: dict[str, Article], chunk: list[Candidate]) -> list[Packed]:
    """The relations of a chunk of pairs, each with its derivation's packed alignment (small
    record arrays: what a worker sends back costs little to pickle)."""
    out: list[Packed] = []
    for c in chunk:
        best: BestRows = {}
        rel, alignment = relate_candidate_aligned(c, by_id, best)
        if rel is None:
            continue
        if alignment is not None and rel.kind in DERIVATION_KINDS:
            rows = best.get((rel.derived, rel.source))
            packed = pack_pairs(alignment), alignment.ordered, pack_passages(alignment)
            out.append((rel, *packed, rows))
        else:
            out.append((rel, None, True, None, None))
    return out


def _vote_chunk(
    state: tuple[dict[str, Article], BestRows], chunk: list[Triple]
) -> list[tuple[Triple, tuple[int, int]]]:
    by_id, best = state
    return [(t, chain_votes(by_id[t[2]], by_id[t[1]], by_id[t[0]], known=best)) for t in chunk]


def _pool_map(
    work: Callable[[S, list[T]], list[R]],
    items: Sequence[T],
    state: S,
    progress: Progress | None = None,
    unit: str = "pairs",
) -> list[R]:
    """``work`` over chunks of ``items`` with ``state`` (the articles) shared: in worker
    processes when there is enough work, else here. Results keep the order of ``items``."""
    workers = pool.worker_count() if len(items) >= PARALLEL_MIN_PAIRS else 1
    done = (lambda chunk: progress(unit, len(chunk))) if progress else None
    parts = pool.run_chunks(work, pool.chunked(items, _CHUNK), state, workers=workers, done=done)
    return [r for part in parts for r in part]


# articles per candidate-query task: each task queries the whole index in forked workers
_QUERY_CHUNK = 2000


def _candidates_for(index: CandidateIndex, new: list[Article]) -> list[Candidate]:
    """``index.candidates_for(new)`` with the queries spread over worker processes.

    Every new article is already in the index here, so the queries of one chunk of them do
    not depend on the other chunks; a pair two chunks both found is merged the way one query
    merges it (all channels, each channel's best score), so the result is the same.
    """
    workers = pool.worker_count()
    serial = workers < 2 or len(new) < 2 * _QUERY_CHUNK or not pool.can_fork()
    if serial or not all(a.id in index for a in new):
        return index.candidates_for(new)
    chunks = pool.chunked(new, _QUERY_CHUNK)
    parts = pool.run_chunks(_query_chunk, chunks, index, workers=workers)
    return merge_hits([hit for part in parts for hit in part])


def _late_cover_hits(
    index: CandidateIndex, new: list[Article], new_ids: set[str], by_id: dict[str, Article]
) -> list[tuple[str, str, str, float]]:
    """The cover hits of the stored short texts a new article may be the source of: a summary
    or blurb stored before its source looked its terms up when the source was not there, so
    it looks them up again (``CandidateIndex.short_texts_near``). Arrival order then changes
    nothing (``tests/unit/test_cover_channel.py``)."""
    if len(new_ids) == len(by_id):
        return []
    return index.cover_candidates([by_id[i] for i in index.short_texts_near(new) if i in by_id])


def _query_chunk(index: CandidateIndex, chunk: list[Article]) -> list[tuple[str, str, str, float]]:
    got = index.candidates_for(chunk)
    return [(c.a, c.b, ch, sc) for c in got for ch, sc in c.channel_scores]


def _relate_candidates(
    candidates: Sequence[Candidate],
    by_id: dict[str, Article],
    progress: Progress | None,
    memo: AlignmentMemo | None = None,
    best: BestRows | None = None,
) -> list[Relation]:
    """The relations of the pairs; ``memo`` receives the derivations' alignments and
    ``best`` their ``BestRows`` (derived, source), for the drift step and the chain votes."""
    if progress:
        progress("total:pairs", len(candidates))
    # the pairs relate_candidate turns down unseen stay here (their places in the order kept)
    pairs = [c for c in locality_order(candidates) if may_relate(c, by_id)]
    if progress and len(pairs) < len(candidates):
        progress("pairs", len(candidates) - len(pairs))
    found = _pool_map(_relate_chunk, pairs, by_id, progress)
    for rel, packed, ordered, passages, rows in found:
        if memo is not None and packed is not None:
            memo.put_packed(rel.source, rel.derived, packed, ordered, passages)
        if best is not None and rows is not None:
            best[(rel.derived, rel.source)] = rows
    return [rel for rel, *_ in found]


def locality_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The pairs reordered so that pairs sharing an article come close together
    (``pool.locality_order``).

    Aligning a pair needs per-article features that are cached (align.features,
    align.passages); in retrieval order an article's pairs are scattered and its features are
    recomputed for most of them: on the synthetic 10k corpus this order cut feature
    computations with a 512-article cache from 27k to 12k.
    """
    order = pool.locality_order([(c.a, c.b) for c in candidates])
    return [candidates[i] for i in order]
