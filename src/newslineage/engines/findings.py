"""The drift step of the local engine: keep each story's findings in step with its lineage.

Findings depend only on a story's members and the relations among them, so after an
``analyze`` only the stories whose membership or relations changed are re-examined; the
findings of every other story stay as stored. Stories are independent of each other, so a
large re-examination runs them in forked worker processes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..align.memo import AlignmentMemo
from ..drift.story import drift_inside
from ..model import Article, Finding, Relation, Story
from ..store.base import Store
from . import pool

Snapshot = tuple[frozenset[str], frozenset[tuple[str, str, str]]]

#: below this many stories a worker pool costs more than it saves (forking and collecting
#: take ~0.1 s; a story takes ~5-30 ms on the synthetic corpus)
PARALLEL_MIN_STORIES = 200
#: stories per task: small enough that one huge story does not leave a worker idle long
_CHUNK = 16
#: workers; the machine's cores, at most this many (the step is CPU-bound)
MAX_WORKERS = pool.MAX_WORKERS


def _relation_keys(relations: Iterable[Relation]) -> frozenset[tuple[str, str, str]]:
    return frozenset((r.source, r.derived, r.kind) for r in relations)


def snapshot(store: Store) -> Snapshot:
    """The story ids and relation keys before an analysis, to tell what it changed."""
    return frozenset(s.id for s in store.stories()), _relation_keys(store.relations())


def update_findings(
    store: Store,
    before: Snapshot | None = None,
    opinion: Any = None,
    memo: AlignmentMemo | None = None,
) -> int:
    """Recompute the findings of changed stories (all stories when ``before`` is None).

    ``opinion``: a loaded ``models.OnnxModel`` whose second opinion is added to the findings.
    ``memo``: the alignments ``analyze_store`` kept; a derived pair not in it is aligned here
    (the findings are the same either way).
    Returns the number of findings now stored for the re-examined stories.
    """
    plan = plan_findings(store, store.relations(), store.stories(), before, opinion, memo)
    if plan is None:
        return 0
    findings, member_ids = plan
    store.replace_findings(findings, member_ids)
    return len(findings)


def plan_findings(
    store: Store,
    relations: Sequence[Relation],
    stories: Sequence[Story],
    before: Snapshot | None = None,
    opinion: Any = None,
    memo: AlignmentMemo | None = None,
) -> tuple[list[Finding], list[str]] | None:
    """The findings ``update_findings`` would store given these relations and stories (which
    need not be stored yet), with the articles whose findings they replace; None when no
    story changed. Reads articles from ``store``, writes nothing."""
    changed = _changed_stories(list(stories), list(relations), before)
    if not changed:
        return None
    member_ids = sorted({a for s in changed for a in s.articles})
    articles = {a.id: a for a in store.iter_articles(member_ids)}
    findings = _all_findings(changed, articles, relations, memo)
    if opinion is not None:  # optional [models] extra: imported only when a model is given
        from ..models import review_story_findings

        findings = review_story_findings(findings, changed, articles, opinion, list(relations))
    return findings, member_ids


def _changed_stories(
    stories: list[Story], relations: list[Relation], before: Snapshot | None
) -> list[Story]:
    if before is None:
        return stories
    old_ids, old_keys = before
    moved = {a for key in _relation_keys(relations) ^ old_keys for a in key[:2]}
    return [s for s in stories if s.id not in old_ids or moved.intersection(s.articles)]


# ------------------------------------------------------------------ running the stories


def _tasks(stories: list[Story], relations: Sequence[Relation]) -> list[tuple[Story, list]]:
    """Each story with the relations among its members, found through the derived end (a
    scan of every relation per story grew with stories x relations)."""
    into: dict[str, list[Relation]] = defaultdict(list)
    for r in relations:
        into[r.derived].append(r)
    out = []
    for s in stories:
        ids = set(s.articles)
        out.append((s, [r for a in s.articles for r in into.get(a, ()) if r.source in ids]))
    return out


def _run_chunk(shared: tuple, indexes: list[int]) -> list[list[Finding]]:
    tasks, articles, memo = shared
    return [drift_inside(tasks[i][0], articles, tasks[i][1], memo) for i in indexes]


def _all_findings(
    stories: list[Story],
    articles: dict[str, Article],
    relations: Sequence[Relation],
    memo: AlignmentMemo | None = None,
) -> list[Finding]:
    """Findings of every story, in story order (the same whether or not workers ran)."""
    tasks = _tasks(stories, relations)
    workers = pool.worker_count(MAX_WORKERS)
    if workers < 2 or len(tasks) < PARALLEL_MIN_STORIES or not pool.can_fork():
        return [f for s, inside in tasks for f in drift_inside(s, articles, inside, memo)]
    # big stories first, so the last tasks are short and the workers finish together
    order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i][0].articles))
    chunks = pool.chunked(order, _CHUNK)
    results = pool.run_chunks(_run_chunk, chunks, (tasks, articles, memo), workers=workers)
    by_story: dict[int, list[Finding]] = {}
    for chunk, found in zip(chunks, results, strict=True):
        by_story.update(zip(chunk, found, strict=True))
    return [f for i in range(len(tasks)) for f in by_story[i]]
