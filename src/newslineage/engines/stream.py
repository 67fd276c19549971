"""The streaming engine: the lineage of one new article, without reloading the store.

``analyze_store`` reads every stored article to build its index; a feed reader that sees one
new item a second cannot afford that. Here the candidate index is kept (in memory, or saved
with :meth:`CandidateIndex.save` and loaded once), the new article is looked up in it alone,
only its candidates are fetched from the store by id, and each pair goes through the same
``relate`` the batch engine uses. Cost: one index query (sorted-array searches, logarithmic in
the corpus) plus one ``relate`` per candidate; nothing grows with the store but the searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..index.candidates import Candidate, CandidateIndex, merge_hits, merge_into
from ..index.features import Features, batch_features
from ..index.hits import Hit
from ..lineage.choose import choose_relations, relate_candidate, relate_summary_rounds
from ..model import DERIVATION_KINDS, Article, Relation
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
    not cached yet), and their anchor frequencies (the same-story decision's ``rare_names``,
    counted as the batch engine counts them over the store), for :func:`lineage_for_new`."""
    run = SemanticRun(store, params)
    articles = list(store.iter_articles())
    run.ensure(articles)
    run.fix_rarity(articles)
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
    features = batch_features([article], index.params)
    candidates = index.query(article, features=features) if len(index) else []
    if semantic is not None:
        semantic.ensure([article], persist=False)
        candidates = add_semantic_candidates(candidates, semantic.neighbours([article]))
    late, rivals, late_rarity = _late_cover(article, index, store, features)
    candidates = merge_into(candidates, late)
    ids = sorted(
        {_other(c, article.id) for c in candidates} | {x for c in rivals for x in (c.a, c.b)}
    )
    by_id = {a.id: a for a in store.iter_articles(ids)} if ids else {}
    by_id[article.id] = article
    present = [c for c in candidates if _other(c, article.id) in by_id]  # not gone since

    def relate(pairs: list[Candidate]) -> list[Relation]:
        got = (relate_candidate(c, by_id) for c in pairs)  # the batch engine's decision
        return [r for r in got if r is not None]

    found = relate(present)
    # stored edges between the candidates tell a chain's middle link from its origin, as in
    # the batch engine, and a candidate's stored sources are where a summary's siblings
    # lead (the summary rounds); the store has no per-article query yet, so this reads the
    # relation table (small next to the articles, but it grows with the store)
    stored = store.relations() if candidates else []
    if not any(r.derived == article.id and r.kind in DERIVATION_KINDS for r in found):
        _fetch_sources(stored, by_id, store)  # where a summary's siblings lead
    known = [r for r in stored if r.derived in by_id and r.source in by_id]
    cosine = semantic.lead_cosine if semantic is not None else None
    aligned = list(found)

    def rarity(short: Article, sources: Sequence[str]) -> dict[str, float]:
        # the new article is not indexed yet: as a late source, its rarity was measured
        # beside the index (CandidateIndex.late_cover_hits)
        got = index.shared_rarity(short, [s for s in sources if s != article.id])
        if article.id in sources and short.id in late_rarity:
            got[article.id] = late_rarity[short.id]
        return got

    found = relate_summary_rounds(
        present,
        found,
        by_id,
        relate,
        context=known,
        rivals=rivals,
        cosine=cosine,
        rarity=rarity,
    )
    if semantic is not None:
        # as in the batch engine: only the alignment rounds' derivations are settled, a
        # summary gate's is weighed against the semantic one by choose (engines/local.py)
        found = semantic.decide(present, found, by_id, context=known, settled=aligned)
    chosen = choose_relations([*known, *found], by_id, {article.id})
    kept = [r for r in chosen if article.id in (r.source, r.derived)]
    if add:
        index.add([article])
    return StreamResult(tuple(kept), len(candidates), len(by_id) - 1)


#: stored short texts a streamed article looks up again as their possible source (the batch
#: engine looks up 10, ``RESCAN_TOP``; here each one it reaches costs a store read of it and
#: its other cover targets and one ``relate``, inside the per-item latency budget)
STREAM_RESCAN_TOP = 2


def _late_cover(
    article: Article, index: CandidateIndex, store: Store, features: Features
) -> tuple[list[Hit], list[Candidate], dict[str, float]]:
    """The cover hits between ``article`` and the stored short texts it may be the source of
    (a summary stored before its source: ``CandidateIndex.short_texts_near``), and those
    texts' stored cover targets, which only set the summary gate's margin (``rivals``), and
    the article's rarity of the terms each text shares with it (the summary gate's), as
    the local engine's late lookup gives them. An article published after every stored one
    (a feed read in time order) is nobody's source and costs one date comparison."""
    if not len(index) or article.id in index:
        return [], [], {}
    near = index.short_texts_near([article], STREAM_RESCAN_TOP, features)
    if not near:
        return [], [], {}
    shorts = list(store.iter_articles(near))
    mine, rivals, rarity = index.late_cover_hits(article, shorts, features)
    # the stream returns an edge out of the article without weighing it against the short
    # text's stored source (the batch engine's choose does), so the article must cover the
    # text better than every stored target does
    best: dict[str, float] = {}
    for short, _, _, score in rivals:
        best[short] = max(best.get(short, 0.0), score)
    mine = [h for h in mine if h[3] > best.get(h[0], 0.0)]
    reached = {h[0] for h in mine}
    rivals = [h for h in rivals if h[0] in reached]
    return mine, merge_hits(rivals), {short: rarity[short] for short in reached}


def _fetch_sources(stored: list[Relation], by_id: dict[str, Article], store: Store) -> None:
    """Add to ``by_id`` the stored derivation sources of the articles in it: a new summary's
    sibling (a stored summary among its candidates) leads to the article both summarise."""
    want = sorted(
        {r.source for r in stored if r.kind in DERIVATION_KINDS and r.derived in by_id} - set(by_id)
    )
    if want:
        by_id.update((a.id, a) for a in store.iter_articles(want))


def _other(c: Candidate, article_id: str) -> str:
    return c.b if c.a == article_id else c.a
