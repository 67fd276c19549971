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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from time import perf_counter

from ..index.candidates import Candidate
from ..lineage import cluster_stories, relate, relate_story
from ..model import DERIVATION_KINDS, Article, Relation
from ..store.base import Store
from .index_cache import load_index, save_index

Progress = Callable[[str, int], None]


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
    store: Store, *, progress: Progress | None = None, full: bool = False
) -> AnalyzeSummary:
    """Analyse the store's new articles (every article with ``full``); update relations and stories."""
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
    candidates = index.candidates_for(new)
    save_index(store, index)
    clock.lap("candidates")
    found = _relate_candidates(candidates, by_id, progress)
    found += _relate_candidates(_chain_candidates(found, by_id), by_id, None)
    clock.lap("relate")
    old = [] if full else store.relations()
    touched = set(by_id) if full else {r.derived for r in found}
    kept = choose_relations([*old, *found], by_id, touched)
    store.replace_relations([r for r in kept if r.derived in touched], touched)
    store.mark_analysed(new_ids)
    relations = store.relations()
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


def _chain_candidates(found: list[Relation], by_id: dict[str, Article]) -> list[Candidate]:
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
_CHUNK = 256

_shared: dict[str, Article] = {}  # the articles, inherited by forked workers


def _relate_chunk(chunk: list[Candidate]) -> list[Relation]:
    return [r for c in chunk if (r := relate_candidate(c, _shared)) is not None]


def _relate_candidates(
    candidates: Sequence[Candidate], by_id: dict[str, Article], progress: Progress | None
) -> list[Relation]:
    if progress:
        progress("total:pairs", len(candidates))
    chunks = [list(candidates[i : i + _CHUNK]) for i in range(0, len(candidates), _CHUNK)]
    workers = min(os.cpu_count() or 1, 4)
    found: list[Relation] = []
    if workers > 1 and len(candidates) >= PARALLEL_MIN_PAIRS and _can_fork():
        # fork: workers inherit the articles instead of unpickling them per task
        _shared.clear()
        _shared.update(by_id)
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for chunk, rels in zip(chunks, pool.imap(_relate_chunk, chunks), strict=True):
                    found.extend(rels)
                    if progress:
                        progress("pairs", len(chunk))
        finally:
            _shared.clear()
        return found
    for chunk in chunks:
        found.extend(r for c in chunk if (r := relate_candidate(c, by_id)) is not None)
        if progress:
            progress("pairs", len(chunk))
    return found


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def relate_candidate(c: Candidate, by_id: dict[str, Article]) -> Relation | None:
    """``relate`` for one candidate pair, or the cheap same-story test when only the story
    channel found it (no shared sentence or 3-grams: not a derivation) in one language."""
    a, b = by_id[c.a], by_id[c.b]
    if a.key and a.key == b.key:
        return None  # two versions of one URL: a version history, not a derivation
    textual = c.channels - {"story"}
    if not textual and (a.language or "") == (b.language or ""):
        return relate_story(a, b)
    return relate(a, b)


def choose_relations(
    relations: Iterable[Relation], by_id: dict[str, Article], derived_ids: set[str]
) -> list[Relation]:
    """Keep, for each derived article, the relations that best explain it, without cycles.

    A copy, excerpt, rewrite, translation or duplicate has one source: the one that covers
    most of it (ties go to the source that is itself not derived, then the earliest). A
    partial article (a compilation) may keep several partial sources. Same-story links are
    all kept. Edges are admitted strongest first and an edge that would close a cycle is
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
        chosen.extend(_best_sources(options, derived_of, by_id, parents))
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
) -> list[Relation]:
    def rank(r: Relation) -> tuple[float, float, int, str]:
        src = by_id.get(r.source)
        when = src.published or src.first_seen if src else None
        return (-round(r.coverage, 2), -round(_fit(r), 2), r.source in derived_of,
                when.isoformat() if when else "~")  # fmt: skip

    options = _drop_redundant(options, parents or {})
    options = sorted(options, key=rank)
    best = options[0]
    if best.kind != "partial":
        return [best]
    return [r for r in options if r.kind == "partial"]


def _drop_redundant(options: list[Relation], parents: dict[str, set[str]]) -> list[Relation]:
    """Drop sources derived from another option that explains the article about as well.

    Same material, two routes: the upstream article is the better explanation unless the
    downstream one covers clearly more or is clearly more verbatim (a chain's copy keeps its
    source's edits word for word).
    """
    by_source = {r.source: r for r in options}
    keep = []
    for r in options:
        ups = [by_source[u] for u in parents.get(r.source, ()) if u in by_source]
        if not any(
            r.coverage < u.coverage + CHAIN_MARGIN
            and r.verbatim_share < u.verbatim_share + CHAIN_MARGIN
            for u in ups
        ):
            keep.append(r)
    return keep or options


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
