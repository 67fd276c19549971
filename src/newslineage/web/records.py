"""The API's JSON records: the export contract's records (``contract.py``), so the REST
API and ``newslineage export`` never disagree, plus links between resources.

>>> from newslineage.model import Story
>>> story_record(Story("s1", "Fire", ("a1",), original="a1"))["href"]
'/api/stories/s1'
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from ..contract import contract_record, previous_versions
from ..model import Article, Finding, OutletProfile, Relation, Story
from ..readmodel import ReadModel

# left out of list items: the body and per-sentence offsets are only in the full record
_HEAVY = ("text", "sentences", "removed")


def api_path(kind: str, ident: str) -> str:
    return f"/api/{kind}/{quote(ident, safe='')}"


def page_path(kind: str, ident: str) -> str:
    return f"/{kind}/{quote(ident, safe='')}"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the app reads from: the read model plus each article's previous version."""

    data: ReadModel
    previous: MappingProxyType[str, str]

    @classmethod
    def of(cls, data: ReadModel) -> Snapshot:
        previous = previous_versions(list(data.articles.values()))
        return cls(data, MappingProxyType(previous))

    def story_of(self, article_id: str) -> Story | None:
        return self.data.story_of(article_id)


def article_record(snap: Snapshot, a: Article, *, full: bool = True) -> dict[str, Any]:
    """The exported article (without text and offsets unless ``full``), with links."""
    rec = contract_record("articles", a, version_of=snap.previous.get(a.id))
    if not full:
        rec = {k: v for k, v in rec.items() if k not in _HEAVY}
    story = snap.story_of(a.id)
    rec["story"] = story.id if story else None
    rec["href"] = api_path("articles", a.id)
    rec["page"] = page_path("articles", a.id)
    return rec


def relation_record(r: Relation) -> dict[str, Any]:
    return contract_record("relations", r)


def finding_record(f: Finding) -> dict[str, Any]:
    return contract_record("findings", f)


def outlet_record(o: OutletProfile) -> dict[str, Any]:
    return contract_record("outlets", o)


def story_record(s: Story) -> dict[str, Any]:
    rec = contract_record("stories", s)
    rec["href"] = api_path("stories", s.id)
    rec["page"] = page_path("stories", s.id)
    return rec


def story_detail(snap: Snapshot, s: Story) -> dict[str, Any]:
    """A story with its articles (no bodies), the relations among them and their findings."""
    members = [snap.data.articles[i] for i in s.articles if i in snap.data.articles]
    ids = {a.id for a in members}
    rels = [r for r in snap.data.relations if r.source in ids and r.derived in ids]
    findings = [f for f in snap.data.findings if f.article in ids]
    return {
        **story_record(s),
        "article_records": [article_record(snap, a, full=False) for a in members],
        "relations": [relation_record(r) for r in rels],
        "findings": [finding_record(f) for f in findings],
    }


def lineage_record(snap: Snapshot, article_id: str) -> dict[str, Any]:
    """One article's sources, copies, story and findings (what ``newslineage show`` shows)."""
    a = snap.data.article(article_id)
    story = snap.story_of(a.id)
    return {
        "article": article_record(snap, a, full=False),
        "sources": [relation_record(r) for r in snap.data.relations if r.derived == a.id],
        "derived": [relation_record(r) for r in snap.data.relations if r.source == a.id],
        "story": story_record(story) if story else None,
        "findings": [finding_record(f) for f in snap.data.findings_of(a.id)],
    }
