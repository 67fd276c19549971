"""The streaming engine: the lineage of one new article, without reloading the store.

``analyze_store`` reads every stored article to build its index; a feed reader that sees one
new item a second cannot afford that. Here the candidate index is kept (in memory, or saved
with :meth:`CandidateIndex.save` and loaded once), the new article is looked up in it alone,
only its candidates are fetched from the store by id, and each pair goes through the same
``relate`` the batch engine uses. Cost: one index query (sorted-array searches, logarithmic in
the corpus) plus one ``relate`` per candidate; nothing grows with the store but the searches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..index.candidates import Candidate, CandidateIndex
from ..lineage.choose import choose_relations, relate_candidate
from ..model import Article, Relation
from ..semantic.params import SemanticParams
from ..store.base import Store
from .semantic import SemanticRun, add_semantic_candidates


@dataclass(frozen=True, slots=True)
class StreamResult:
    """What :func:`lineage_for_new_detailed` did for one article (for benchmarks and logs)."""

    relations: tuple[Relation, ...]
    candidates: int  # candidate pairs the index returned
    fetched: int  # candidate articles read from the store


def lineage_for_new(
    article: Article,
    store: Store,
    index: CandidateIndex,
    *,
    add: bool = False,
    semantic: SemanticRun | None = None,
) -> list[Relation]:
    """Relations between ``article`` and the stored articles its index candidates name.

    Incoming derivations are chosen as the batch engine chooses them (one best source, or
    several ``partial`` ones); outgoing edges (``article`` as the source of a stored article)
    and same-story links are all returned. With ``add`` the article is then indexed, so the
    next call sees it; storing it is the caller's business (``store.add_article``).
    ``semantic``: the semantic layer's vectors of the stored articles
    (:func:`semantic_for_stream`); the article's lead is encoded (one encoding, kept in it,
    not stored), its neighbours join the candidates and the semantic decision runs.

    >>> from newslineage.store import open_store
    >>> store, idx = open_store(":memory:"), CandidateIndex()
    >>> lineage_for_new(Article("n1", "Nothing stored yet to compare with."), store, idx)
    []
    """
    got = lineage_for_new_detailed(article, store, index, add=add, semantic=semantic)
    return list(got.relations)


def semantic_for_stream(store: Store, params: SemanticParams = SemanticParams()) -> SemanticRun:
    """The stored articles' lead vectors, read once from the store's cache (encoding the ones
    not cached yet), for :func:`lineage_for_new`."""
    run = SemanticRun(store, params)
    run.ensure(list(store.iter_articles()))
    return run


def lineage_for_new_detailed(
    article: Article,
    store: Store,
    index: CandidateIndex,
    *,
    add: bool = False,
    semantic: SemanticRun | None = None,
) -> StreamResult:
    """:func:`lineage_for_new` with the candidate and fetch counts."""
    candidates = index.query(article) if len(index) else []
    if semantic is not None:
        semantic.ensure([article], persist=False)
        candidates = add_semantic_candidates(candidates, semantic.neighbours([article]))
    ids = sorted({_other(c, article.id) for c in candidates})
    by_id = {a.id: a for a in store.iter_articles(ids)} if ids else {}
    by_id[article.id] = article
    found = []
    for c in candidates:
        if _other(c, article.id) not in by_id:
            continue  # gone from the store since it was indexed
        rel = relate_candidate(c, by_id)  # the batch engine's per-pair decision
        if rel is not None:
            found.append(rel)
    # stored edges between the candidates tell a chain's middle link from its origin, as in
    # the batch engine; the store has no per-article query yet, so this reads the relation
    # table (small next to the articles, but it grows with the store)
    known = (
        [r for r in store.relations() if r.derived in by_id and r.source in by_id]
        if found or semantic is not None
        else []
    )
    if semantic is not None:
        present = [c for c in candidates if _other(c, article.id) in by_id]
        found = semantic.decide(present, found, by_id, context=known)
    chosen = choose_relations([*known, *found], by_id, {article.id})
    kept = [r for r in chosen if article.id in (r.source, r.derived)]
    if add:
        index.add([article])
    return StreamResult(tuple(kept), len(candidates), len(by_id) - 1)


def _other(c: Candidate, article_id: str) -> str:
    return c.b if c.a == article_id else c.a
