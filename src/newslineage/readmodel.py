"""The read model: what the terminal, the static report and the web app show, read once.

Stories, articles, relations, findings and outlet profiles come from the store, and so does
the alignment each relation was decided on: ``analyze`` stores it (``alignments`` table), so
no view aligns two articles again. A store analysed before alignments were stored (or by the
Spark engine, which writes none) has relations without one; for those :func:`alignment_of`
aligns the pair once, on first use, and :class:`ReadModel` keeps the result for the life of
the snapshot.

>>> from newslineage.store import open_store
>>> ReadModel.from_store(open_store(":memory:")).stories
()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .align import align_articles
from .errors import InputError
from .model import DERIVATION_KINDS, Alignment, Article, Finding, OutletProfile, Relation, Story
from .outlets import profile_outlets
from .store.base import Store

__all__ = ["ReadModel", "alignment_of"]


def alignment_of(store: Store, source: Article, derived: Article) -> Alignment:
    """The stored alignment of ``source -> derived``; aligned here only when the store has
    none for the pair (analysed by an older version or by the Spark engine)."""
    stored = store.alignments([(source.id, derived.id)]).get((source.id, derived.id))
    return stored or align_articles(source, derived)


def is_derivation(r: Relation) -> bool:
    return r.kind in DERIVATION_KINDS


@dataclass(frozen=True, slots=True)
class ReadModel:
    """A read-only snapshot of the analysed store, with lookups by article.

    ``store`` is where stored alignments are read from, lazily, a derived article's sources
    at a time (None: every alignment is computed, for snapshots built by hand).
    """

    articles: Mapping[str, Article]
    relations: tuple[Relation, ...]
    stories: tuple[Story, ...]
    findings: tuple[Finding, ...]
    outlets: tuple[OutletProfile, ...]
    store: Store | None = field(default=None, repr=False, compare=False)
    # (source id, derived id) -> alignment, and lookup tables: filled lazily, private to one
    # instance (init=False: dataclasses.replace() starts them afresh)
    alignments: dict[tuple[str, str], Alignment] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lookups: dict[str, dict[str, list[Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_store(cls, store: Store) -> ReadModel:
        """Read articles, relations, stories and findings once; profile the outlets."""
        articles = list(store.iter_articles())
        relations = store.relations()
        findings = store.findings()
        return cls(
            articles=MappingProxyType({a.id: a for a in articles}),
            relations=tuple(relations),
            stories=tuple(store.stories()),
            findings=tuple(findings),
            outlets=tuple(profile_outlets(articles, relations, findings)),
            store=store,
        )

    def article(self, article_id: str) -> Article:
        found = self.articles.get(article_id)
        if found is None:
            raise InputError(
                article_id, "no article with this id in the store", "pick one from the index page"
            )
        return found

    def story(self, story_id: str) -> Story:
        for s in self.stories:
            if s.id == story_id:
                return s
        raise InputError(
            story_id, "no story with this id in the store", "pick one from the index page"
        )

    def _lookup(self, name: str, article_id: str) -> list[Any]:
        """Records by article id (built once per table: pages ask per article)."""
        if name not in self._lookups:
            table: dict[str, list[Any]] = defaultdict(list)
            if name == "stories":
                for s in self.stories:
                    for a in s.articles:
                        table[a].append(s)
            elif name == "findings":
                for f in self.findings:
                    table[f.article].append(f)
            elif name == "touching":
                for r in self.relations:
                    table[r.source].append(r)
            else:  # "into" / "from": derivation relations by derived / source article
                for r in self.relations:
                    if is_derivation(r):
                        table[r.derived if name == "into" else r.source].append(r)
            self._lookups[name] = dict(table)
        return self._lookups[name].get(article_id, [])

    def relations_within(self, story: Story) -> list[Relation]:
        """Every relation (same-story links too) between two members of the story."""
        ids = set(story.articles)
        return [
            r
            for a in story.articles
            for r in self._lookup("touching", a)
            if r.source == a and r.derived in ids
        ]

    def story_of(self, article_id: str) -> Story | None:
        return next(iter(self._lookup("stories", article_id)), None)

    def sources_of(self, article_id: str) -> list[Relation]:
        """Derivation relations into the article, strongest first."""
        rels = self._lookup("into", article_id)
        return sorted(rels, key=lambda r: (-r.coverage, r.source))

    def copies_of(self, article_id: str) -> list[Relation]:
        return list(self._lookup("from", article_id))

    def findings_of(self, article_id: str) -> list[Finding]:
        found = self._lookup("findings", article_id)
        return sorted(found, key=lambda f: (f.derived_span or (10**12, 0), f.kind, f.message))

    def alignment(self, source_id: str, derived_id: str) -> Alignment:
        """The alignment ``source -> derived`` the relation was decided on (stored by
        ``analyze``); computed once here only when the store holds none for the pair."""
        key = (source_id, derived_id)
        if key not in self.alignments:
            if self.store is not None:  # the derived article's sources in one query
                wanted = {(r.source, derived_id) for r in self.sources_of(derived_id)} | {key}
                self.alignments.update(self.store.alignments(wanted - self.alignments.keys()))
            if key not in self.alignments:
                self.alignments[key] = align_articles(
                    self.article(source_id), self.article(derived_id)
                )
        return self.alignments[key]
