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
    # stored edges between the candidates tell a chain's middle link from its origin, as in
    # the batch engine, a candidate's stored sources are where a summary's siblings lead
    # (the summary rounds), and a reached short text's stored source is what choose weighs
    # the article against; the store has no per-article query yet, so this reads the
    # relation table (small next to the articles, but it grows with the store)
    stored = store.relations() if candidates or late else []
    # a reached text with no stored source (a store not analysed yet) is related to the
    # stored texts that cover it as well as the article does: its other possible sources
    sourced = {r.derived for r in stored if r.kind in DERIVATION_KINDS}
    weigh = [h for h in _contenders(late, rivals) if h[0] not in sourced]
    candidates = merge_into(candidates, late + weigh)
    reached = {short for short, _, _, _ in late}
    ids = sorted(
        ({x for c in candidates for x in (c.a, c.b)} | {h[1] for h in rivals}) - {article.id}
    )
    by_id = {a.id: a for a in store.iter_articles(ids)} if ids else {}
    by_id[article.id] = article
    present = [c for c in candidates if c.a in by_id and c.b in by_id]  # not gone since

    def relate(pairs: list[Candidate]) -> list[Relation]:
        got = (relate_candidate(c, by_id) for c in pairs)  # the batch engine's decision
        return [r for r in got if r is not None]

    found = relate(present)
    # where a summary's siblings lead, and what a stored text the article may be the source
    # of was made from (choose weighs the article against it)
    _fetch_sources(stored, by_id, store)
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
        # a reached text's stored source does not settle it: choose weighs it with the article
        context=[r for r in known if r.derived not in reached],
        rivals=merge_hits(rivals),  # every stored target sets the gate's margin
        cosine=cosine,
        rarity=rarity,
    )
    if semantic is not None:
        # as in the batch engine: only the alignment rounds' derivations are settled, a
        # summary gate's is weighed against the semantic one by choose (engines/local.py)
        found = semantic.decide(present, found, by_id, context=known, settled=aligned)
    # an edge out of the article is weighed against the stored sources of the text it
    # reaches, as the batch engine's choose weighs every candidate source of a text
    outgoing = {r.derived for r in found if r.source == article.id and r.kind in DERIVATION_KINDS}
    chosen = choose_relations([*known, *found], by_id, {article.id} | outgoing)
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
) -> tuple[list[Hit], list[Hit], dict[str, float]]:
    """The cover hits between ``article`` and the stored short texts it may be the source of
    (a summary stored before its source: ``CandidateIndex.short_texts_near``); those texts'
    cover hits with their stored targets, their other possible sources (``rivals``: they set
    the summary gate's margin, and :func:`_contenders` picks the ones related again); and the
    article's rarity of the terms each text shares with it (the summary gate's), as the local
    engine's late lookup gives them. An article published after every stored one (a feed read
    in time order) is nobody's source and costs one date comparison."""
    if not len(index) or article.id in index:
        return [], [], {}
    near = index.short_texts_near([article], STREAM_RESCAN_TOP, features)
    if not near:
        return [], [], {}
    shorts = list(store.iter_articles(near))
    return index.late_cover_hits(article, shorts, features)


#: stored sources a reached short text is related to again, at most, per text
STREAM_CONTENDERS = 2


def _contenders(mine: list[Hit], rivals: list[Hit]) -> list[Hit]:
    """The stored targets that cover a reached short text at least as well as the new
    article does (at most ``STREAM_CONTENDERS`` per text, best first): the sources choose
    must weigh the article against. One the article outscores could still win on the
    alignment, but relating every target costs a ``relate`` each inside the latency budget
    (synthetic 10k stream: 5 targets per reached text)."""
    mine_score = {short: score for short, _, _, score in mine}
    out: dict[str, list[Hit]] = {}
    for h in sorted(rivals, key=lambda h: (-h[3], h[1])):
        if (
            h[3] >= mine_score.get(h[0], float("inf"))
            and len(out.setdefault(h[0], [])) < STREAM_CONTENDERS
        ):
            out[h[0]].append(h)
    return [h for hits in out.values() for h in hits]


def _fetch_sources(stored: list[Relation], by_id: dict[str, Article], store: Store) -> None:
    """Add to ``by_id`` the stored derivation sources of the articles in it: a new summary's
    sibling (a stored summary among its candidates) leads to the article both summarise."""
    want = sorted(
        {r.source for r in stored if r.kind in DERIVATION_KINDS and r.derived in by_id} - set(by_id)
    )
    if want:
        by_id.update((a.id, a) for a in store.iter_articles(want))
