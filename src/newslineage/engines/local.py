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

from ..index.candidates import Candidate, CandidateIndex
from ..lineage import cluster_stories, relate, relate_story
from ..model import DERIVATION_KINDS, Article, Relation
from ..store.base import Store

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
    index = CandidateIndex()
    index.add(articles)
    clock.lap("index")
    new = [a for a in articles if a.id in new_ids]
    candidates = index.candidates_for(new)
    clock.lap("candidates")
    found = _relate_candidates(candidates, by_id, progress)
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


class _Stages:
    def __init__(self) -> None:
        self.last = perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = perf_counter()
        self.laps.append((name, round(now - self.last, 2)))
        self.last = now


def _relate_candidates(
    candidates: Sequence[Candidate], by_id: dict[str, Article], progress: Progress | None
) -> list[Relation]:
    if progress:
        progress("total:pairs", len(candidates))
    found = []
    for c in candidates:
        if progress:
            progress("pairs", 1)
        rel = relate_candidate(c, by_id)
        if rel is not None:
            found.append(rel)
    return found


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
# explains it better when it fits clearly better (examples/: a copy of the wire and the wire
# fit a compilation within 0.02; a chain's middle link that trimmed or edited its source
# fits its own copy by 0.1 or more).
CHAIN_MARGIN = 0.05


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
    downstream one fits clearly better (a chain's copy keeps its source's trims and edits).
    """
    by_source = {r.source: r for r in options}
    keep = []
    for r in options:
        ups = [by_source[u] for u in parents.get(r.source, ()) if u in by_source]
        if not any(_fit(r) < _fit(u) + CHAIN_MARGIN for u in ups):
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
