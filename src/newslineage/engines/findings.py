"""The drift step of the local engine: keep each story's findings in step with its lineage.

Findings depend only on a story's members and the relations among them, so after an
``analyze`` only the stories whose membership or relations changed are re-examined; the
findings of every other story stay as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..drift import find_story_drift
from ..model import Article, Finding, Relation, Story
from ..store.base import Store

Snapshot = tuple[frozenset[str], frozenset[tuple[str, str, str]]]


def story_drift(
    story: Story, articles: dict[str, Article], relations: Sequence[Relation]
) -> list[Finding]:
    """``find_story_drift`` on one story, given its members and the relations among them.

    Both engines call this, so a story's findings do not depend on where it ran.
    """
    ids = set(story.articles)
    members = {i: articles[i] for i in story.articles if i in articles}
    inside = [r for r in relations if r.source in ids and r.derived in ids]
    return find_story_drift(story, members, inside)


def _relation_keys(relations: Iterable[Relation]) -> frozenset[tuple[str, str, str]]:
    return frozenset((r.source, r.derived, r.kind) for r in relations)


def snapshot(store: Store) -> Snapshot:
    """The story ids and relation keys before an analysis, to tell what it changed."""
    return frozenset(s.id for s in store.stories()), _relation_keys(store.relations())


def update_findings(store: Store, before: Snapshot | None = None, opinion: Any = None) -> int:
    """Recompute the findings of changed stories (all stories when ``before`` is None).

    ``opinion``: a loaded ``models.OnnxModel`` whose second opinion is added to the findings.
    Returns the number of findings now stored for the re-examined stories.
    """
    relations = store.relations()
    changed = _changed_stories(store.stories(), relations, before)
    if not changed:
        return 0
    member_ids = sorted({a for s in changed for a in s.articles})
    articles = {a.id: a for a in store.iter_articles(member_ids)}
    findings = [f for story in changed for f in story_drift(story, articles, relations)]
    if opinion is not None:  # optional [models] extra: imported only when a model is given
        from ..models import review_story_findings

        findings = review_story_findings(findings, changed, articles, opinion, relations)
    store.replace_findings(findings, member_ids)
    return len(findings)


def _changed_stories(
    stories: list[Story], relations: list[Relation], before: Snapshot | None
) -> list[Story]:
    if before is None:
        return stories
    old_ids, old_keys = before
    moved = {a for key in _relation_keys(relations) ^ old_keys for a in key[:2]}
    return [s for s in stories if s.id not in old_ids or moved.intersection(s.articles)]
