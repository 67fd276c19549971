"""Choosing: which candidate pairs are related, and which source explains each derived article.

Both engines (and the streaming one) call these decisions on the records they gathered:
``relate_candidate`` per candidate pair, ``chain_candidates`` for the grandparent pairs
retrieval missed, ``summary_candidates`` and ``sibling_candidates`` for summaries retrieval
found only by their words or meaning, or only beside a sibling, and ``choose_relations`` over all relations of the articles touched.
Where the work runs (a pool of processes, Spark executors) is the engine's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from newslineage.align.core import BestRows
from newslineage.align.passages import shingle_containment
from newslineage.index.candidates import Candidate
from newslineage.lineage.chains import Triple, chain_verdict
from newslineage.lineage.params import LineageParams
from newslineage.lineage.relate import relate_aligned, relate_story
from newslineage.lineage.stories import within_story_window
from newslineage.lineage.summary import (
    STORY_LINK,
    Cover,
    LeadCosine,
    SharedRarity,
    cover_of,
    gate_admits,
    is_short,
    is_story_link,
    sibling_admits,
    sibling_reads_rarity,
    story_admits,
    summary_novel_share,
)
from newslineage.model import DERIVATION_KINDS, Alignment, Article, Relation
from newslineage.text.content import novel_share

# A pair that only the minhash channel found (no sentence of one has a close sentence in the
# other) is aligned only when this share of the shorter article's word 3-grams is in the
# other, exactly. On the synthetic 10k corpus such pairs were a quarter of all candidates
# and 96% unrelated (template phrases; 348 of 363 sampled), with no true derivation among
# them; a copy or excerpt shares most of its 3-grams.
MINHASH_ONLY_MIN_CONTAINMENT = 0.5
_PARAMS = LineageParams()


def relate_candidate(c: Candidate, by_id: dict[str, Article]) -> Relation | None:
    """``relate`` for one candidate pair, or the cheap same-story test when no textual
    channel shows reuse (only the story channel found it, or only minhash with few shared
    3-grams): such a pair is not a derivation, in one language."""
    return relate_candidate_aligned(c, by_id)[0]


def relate_candidate_aligned(
    c: Candidate, by_id: dict[str, Article], best: BestRows | None = None
) -> tuple[Relation | None, Alignment | None]:
    """``relate_candidate`` plus the alignment source -> derived it decided on, if any.
    ``best``: receives the pair's ``BestRows`` when it is aligned (``relate_aligned``)."""
    if not may_relate(c, by_id):
        return None, None
    a, b = by_id[c.a], by_id[c.b]
    # the semantic channel finds meaning, not shared text: its pairs are decided by the
    # semantic layer (engines/semantic.py), here only the cheap same-story test
    # the cover channel finds a short text's vocabulary in a longer one: only the summary
    # step (summary_candidates) decides on it
    textual = c.channels - _NOT_TEXTUAL
    if textual == {"minhash"} and (
        shingle_containment(a.text, b.text) < MINHASH_ONLY_MIN_CONTAINMENT
    ):
        textual = set()
    if not textual and (a.language or "") == (b.language or ""):
        if "story" not in c.channels:
            return None, None  # outside the story channel's window and top-k: semantic decides
        return relate_story(a, b), None
    return relate_aligned(a, b, summary="summary" in c.channels, best=best)


_NOT_TEXTUAL = frozenset({"story", "semantic", "cover"})


def may_relate(c: Candidate, by_id: dict[str, Article]) -> bool:
    """False for a pair ``relate_candidate`` turns down before looking at its texts: two
    versions of one URL, or a pair in one language that no textual channel and not the
    story channel found (only the semantic or cover channel: decided by later steps). At
    10k and 100k most semantic candidates are such pairs: the engine leaves them out of the
    relate workers' chunks."""
    a, b = by_id[c.a], by_id[c.b]
    if a.key and a.key == b.key:
        return False  # two versions of one URL: a version history, not a derivation
    if c.channels - _NOT_TEXTUAL or "story" in c.channels:
        return True
    return (a.language or "") != (b.language or "")


def choose_relations(
    relations: Iterable[Relation],
    by_id: dict[str, Article],
    derived_ids: set[str],
    votes: Mapping[Triple, tuple[int, int]] | None = None,
) -> list[Relation]:
    """Keep, for each derived article, the relations that best explain it, without cycles.

    A copy, excerpt, rewrite, translation or duplicate has one source: the one that covers
    most of it (ties go to the source that is itself not derived, then the earliest). When
    one candidate source is derived from another, ``votes`` (``lineage.chains.chain_votes``
    of each ``chain_triples`` triple) decide between them where they are clear. A partial
    article (a compilation) may keep several partial sources. Same-story links are all
    kept. Edges are admitted strongest first and an edge that would close a cycle is
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
        chosen.extend(_best_sources(options, derived_of, by_id, parents, votes or {}))
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
    votes: Mapping[Triple, tuple[int, int]] | None = None,
) -> list[Relation]:
    def rank(r: Relation) -> tuple[bool, float, float, int, str]:
        src = by_id.get(r.source)
        when = src.published or src.first_seen if src else None
        return (not _earlier(src, by_id.get(r.derived)), -round(r.coverage, 2),
                -round(_fit(r), 2), r.source in derived_of,
                when.isoformat() if when else "~")  # fmt: skip

    options = _drop_redundant(options, parents or {}, votes or {})
    options = sorted(options, key=rank)
    best = options[0]
    if best.kind != "partial":
        return [best]
    return [best, *(r for r in options[1:] if _lends_a_passage(r))]


def _lends_a_passage(r: Relation) -> bool:
    """May ``r`` be a further source of a compilation? Each further source lends it a passage
    word for word (``partial_min_verbatim``, as for a partial at all); an earlier report of the
    event whose shared facts align with the compilation's own text does not. Synthetic 3k
    (seed 23): 4 of the 29 false partials were such second sources, none of the true ones."""
    return r.kind == "partial" and r.verbatim_share >= _PARAMS.partial_min_verbatim


def _earlier(src: Article | None, der: Article | None) -> bool:
    """Whether ``src`` was published strictly before ``der`` (both dates known).

    A source published before the article explains it better than one published at the same
    moment or later, whatever their coverage: the articles published together (several
    summaries of one article, a paraphrase and a rewrite of one story made the same day) are
    siblings, and the more alike two siblings are, the more one seems to cover the other.
    Without both dates, no source is preferred (False for every option keeps the old order).
    """
    ts = src.published if src else None
    td = der.published if der else None
    if ts is None or td is None:
        return False
    try:
        return ts < td
    except TypeError:  # naive vs aware
        return False


def _drop_redundant(
    options: list[Relation],
    parents: dict[str, set[str]],
    votes: Mapping[Triple, tuple[int, int]],
) -> list[Relation]:
    """Of two sources where one is derived from the other, keep the one the article was made
    from: the chain votes decide when they are clear; otherwise the upstream article is the
    better explanation unless the downstream one covers clearly more or is clearly more
    verbatim (a chain's copy keeps its source's edits word for word).
    """
    by_source = {r.source: r for r in options}
    dropped: set[str] = set()
    for r in options:
        for u in (by_source[s] for s in parents.get(r.source, ()) if s in by_source):
            verdict = (
                chain_verdict(votes[key])
                if (key := (r.derived, r.source, u.source)) in votes
                else None
            )
            if verdict == "middle":
                dropped.add(u.source)
            elif verdict == "upstream" or (
                r.coverage < u.coverage + CHAIN_MARGIN
                and r.verbatim_share < u.verbatim_share + CHAIN_MARGIN
            ):
                dropped.add(r.source)
    return [r for r in options if r.source not in dropped] or options


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


def chain_candidates(found: list[Relation], by_id: dict[str, Article]) -> list[Candidate]:
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


def unsourced_short(found: Iterable[Relation], by_id: dict[str, Article]) -> set[str]:
    """Articles with no derivation source in ``found``: where a summary may still be."""
    sourced = {r.derived for r in found if r.kind in DERIVATION_KINDS}
    return set(by_id) - sourced


def _without_long_source(found: Iterable[Relation], by_id: Mapping[str, Article]) -> set[str]:
    """Articles with no derivation source they are short against: where a summary may still
    be. A summary derived only from a sibling (two one-liners of one article read as a
    rewrite or partial of each other) may still have its article to find."""
    # a source not at hand counts as a long one: nothing says it is a sibling
    long_sourced = {
        r.derived
        for r in found
        if r.kind in DERIVATION_KINDS
        and (r.source not in by_id or r.derived not in by_id
             or is_short(by_id[r.derived], by_id[r.source]))
    }  # fmt: skip
    return set(by_id) - long_sourced


def summary_candidates(
    candidates: Iterable[Candidate],
    found: Iterable[Relation],
    by_id: dict[str, Article],
    rivals: Iterable[Candidate] = (),
    cosine: LeadCosine | None = None,
    rarity: SharedRarity | None = None,
    cover: Mapping[tuple[str, str], Cover] | None = None,
) -> list[Candidate]:
    """Pairs to align again as a possible summary: only the story, semantic or cover channel
    found them (a summary shares its source's words, not its sentences or 3-grams, so
    ``relate_candidate`` only tested them for the same story), one side passes the summary
    gate against the other (``lineage/summary.py``, with the cover channel's evidence when it
    found the pair), and that side has no derivation source yet that it is short against
    (a sibling summary is no such source). The last condition keeps the other reports of an excerpt's event apart: on the
    synthetic corpus an excerpt passes the gate against them too (the reports share the
    event's words), and relating it to them moved story edges. ``rivals``: cover pairs an
    earlier run decided, which count for the margins but are not aligned again. ``cosine``:
    the semantic layer's lead cosine of a pair, which the gate's semantic context rule reads,
    with ``rarity``: the index's rarity of the terms a source shares with the short text.
    ``cover``: :func:`summary_cover` of these arguments, when the caller computed it already."""
    found = list(found)
    candidates = list(candidates)
    free = _without_long_source(found, by_id)
    if cover is None:
        cover = summary_cover(candidates, found, by_id, rivals, cosine, rarity)
    out = []
    for c in candidates:
        if c.channels - {"story", "semantic", "cover"} or c.a not in by_id or c.b not in by_id:
            continue
        a, b = by_id[c.a], by_id[c.b]
        if (a.language or "") != (b.language or ""):
            continue
        if (c.b in free and summary_novel_share(a, b, cover=cover.get((c.a, c.b))) is not None) or (
            c.a in free and summary_novel_share(b, a, cover=cover.get((c.b, c.a))) is not None
        ):
            out.append(Candidate(c.a, c.b, c.channels | {"summary"}, c.score, c.channel_scores))
    return out


def summary_cover(
    candidates: Iterable[Candidate],
    found: Iterable[Relation],
    by_id: dict[str, Article],
    rivals: Iterable[Candidate] = (),
    cosine: LeadCosine | None = None,
    rarity: SharedRarity | None = None,
) -> dict[tuple[str, str], Cover]:
    """The cover channel's evidence (``summary.cover_of``) for the pairs of ``candidates``
    and ``rivals``, with lead cosines only for the short texts with no source they are short
    against in ``found`` (the others cost nothing: no gate is asked about them)."""
    free = _without_long_source(found, by_id)
    asked = (lambda s, d: cosine(s, d) if d.id in free else None) if cosine else None
    return cover_of([*candidates, *rivals], by_id, asked, rarity)


def summary_story_links(
    cover: Mapping[tuple[str, str], Cover],
    found: Iterable[Relation],
    by_id: dict[str, Article],
    pairs: Iterable[Candidate] | None = None,
) -> list[Relation]:
    """Same-story links of the short texts still without a source they are short against:
    each to the cover target that the summary gate or the looser fitted story rule admits
    (``summary.story_admits``), the best-covering one when several do. An abstractive
    one-liner (XSum) writes too many words afresh for the gate, yet plainly tells its
    article's story, and often shares too few capitalised names with it for the story score
    (lower-cased text has none). Only within the story window (``stories.STORY_WINDOW_DAYS``,
    when both are dated): a feed's blurb whose source is missing matched a report of the same
    topic six weeks older on the seeds. Linked, it joins that story and the drift step checks its
    sentences against that source (``drift/story.py``). Marked ``STORY_LINK`` in the evidence;
    confidence ``strong_join``, so the short text's group (it and its siblings) may join.
    ``pairs``: only these candidate pairs are linked (a stream's stored rivals count for the
    cover margins only)."""
    found = list(found)
    asked = None if pairs is None else {frozenset((c.a, c.b)) for c in pairs}
    free = _without_long_source(found, by_id)
    derived = {frozenset((r.source, r.derived)) for r in found if r.kind in DERIVATION_KINDS}
    best: dict[str, tuple[float, str, float]] = {}
    for (long, short), ev in cover.items():
        pair = frozenset((long, short))
        if short not in free or pair in derived or long not in by_id:
            continue
        if asked is not None and pair not in asked:
            continue
        src, der = by_id[long], by_id[short]
        if (src.language or "") != (der.language or "") or not is_short(der, src):
            continue
        if not within_story_window(src, der):
            continue  # the cover channel reaches back any time; one event's reports do not
        share = novel_share(src, der)
        admitted = bool(der.text.strip()) and (gate_admits(share, ev) or story_admits(share, ev))
        if admitted and ev.score > best.get(short, (-1.0, "", 0.0))[0]:
            best[short] = (ev.score, long, share)
    return [_story_link(long, short, score, share)
            for short, (score, long, share) in sorted(best.items())]  # fmt: skip


def sibling_story_links(
    candidates: Iterable[Candidate],
    found: Iterable[Relation],
    by_id: dict[str, Article],
    cosine: LeadCosine | None,
    cover: Mapping[tuple[str, str], Cover],
    rarity: SharedRarity | None = None,
) -> list[Relation]:
    """Same-story links of the short texts still without a source or a story link, each to
    the source of its sibling: the candidate short text closest to it in meaning (lead
    cosine) among those with a longer source (derived from it, or linked to it), when the
    fitted sibling rule admits the pair (``summary.sibling_admits``): the cosine reaches its
    cut and the short text's words are in that source (``cover``: the cover channel found
    the pair; else, when the rule has a rarity cut, ``rarity``: the source holds the short
    text's rarest terms). Several AI summaries or rewrites of one article are the normal
    case; the one that invents most shares the fewest words with the article, yet says what
    its siblings say. Only within the story window, and against a source it is short
    against. Marked ``STORY_LINK`` (the drift step checks it against that source) and
    ``sibling`` (the short text it went through) in the evidence. A text that is itself a
    source (of a derivation or a story link) is not linked: with the rarity condition, two
    FRANK BBC articles, each summarised by its own one-liners, were linked in-sample to a
    longer CNN article through a one-liner close to them in meaning."""
    if cosine is None:
        return []
    found = list(found)
    linked = {r.derived: r.source for r in found if is_story_link(r)}
    # a text others derive from or tell the story of is an article, not a blurb of another
    lends = {r.source for r in found if r.kind in DERIVATION_KINDS or is_story_link(r)}
    free = _without_long_source(found, by_id) - set(linked) - lends
    sourced = _long_sources(found, by_id) | linked
    near: dict[str, list[tuple[float, str]]] = {}
    for c in candidates:
        for short, sib in ((c.a, c.b), (c.b, c.a)):
            if short not in free or sib not in sourced or sourced[sib] not in by_id:
                continue
            if not _may_tell(by_id[sourced[sib]], by_id[short]):
                continue
            cos = cosine(by_id[short], by_id[sib])
            if sibling_admits(cos):  # the cosine cut alone; the words are asked below
                near.setdefault(short, []).append((float(cos or 0.0), sib))
    links = []
    for short, sibs in sorted(near.items()):
        reach = _reach(short, [sourced[s] for _, s in sibs], by_id, cover, rarity)
        best = max(((c, s) for c, s in sibs if _admits(c, (sourced[s], short), cover, reach)),
                   default=None)  # fmt: skip
        if best is not None:
            links.append(_sibling_link(sourced[best[1]], short, best[1], best[0]))
    return links


def _reach(
    short: str,
    sources: Sequence[str],
    by_id: Mapping[str, Article],
    cover: Mapping[tuple[str, str], Cover],
    rarity: SharedRarity | None,
) -> Mapping[str, float]:
    """The rarity of ``short``'s terms in those of ``sources`` the cover channel did not
    pair it with, looked up only when the sibling rule reads it (one lookup per short text)."""
    todo = sorted({s for s in sources if (s, short) not in cover})
    if not todo or rarity is None or not sibling_reads_rarity():
        return {}
    return rarity(by_id[short], todo)


def _admits(
    cos: float, pair: tuple[str, str], cover: Mapping[tuple[str, str], Cover],
    reach: Mapping[str, float],
) -> bool:  # fmt: skip
    return sibling_admits(cos, pair in cover, reach.get(pair[0]))


def _may_tell(src: Article, der: Article) -> bool:
    """``der`` may tell ``src``'s story as a short text of it: one language, short against
    it, within the story window, not empty."""
    same_language = (src.language or "") == (der.language or "")
    return (
        same_language
        and is_short(der, src)
        and within_story_window(src, der)
        and bool(der.text.strip())
    )


def _long_sources(found: Iterable[Relation], by_id: Mapping[str, Article]) -> dict[str, str]:
    """Short text -> its best-covering derivation source it is short against."""
    best: dict[str, tuple[float, str]] = {}
    for r in found:
        if r.kind not in DERIVATION_KINDS or r.source not in by_id or r.derived not in by_id:
            continue
        if (
            is_short(by_id[r.derived], by_id[r.source])
            and r.coverage > best.get(r.derived, (-1.0, ""))[0]
        ):
            best[r.derived] = (r.coverage, r.source)
    return {d: s for d, (_, s) in best.items()}


def _sibling_link(source: str, derived: str, sibling: str, cosine: float) -> Relation:
    evidence = {STORY_LINK: True, "aligned": False, "sibling": sibling,
                "sibling_cosine": round(cosine, 4)}  # fmt: skip
    return Relation(source, derived, "same_story", 0.0, 0.0, _PARAMS.strong_join, evidence)


def _story_link(source: str, derived: str, cover: float, share: float) -> Relation:
    evidence = {STORY_LINK: True, "aligned": False, "cover": round(cover, 4),
                "novel_share": round(share, 4)}  # fmt: skip
    return Relation(source, derived, "same_story", 0.0, 0.0, _PARAMS.strong_join, evidence)


def sibling_candidates(
    candidates: Iterable[Candidate], found: Iterable[Relation], by_id: dict[str, Article]
) -> list[Candidate]:
    """Pairs (source, sibling) that retrieval missed: when a short text X is derived from S
    (a summary of it) and Y, short against S too and with no derivation source yet, was a
    candidate of X, Y may summarise S as well. Several summaries of one article are closer to
    each other than to the article (an abstractive one-liner shares few words with a
    700-word article), so retrieval often pairs a summary with its siblings only (FRANK
    valid: 196 of 666 summaries were never a candidate of their article, 77 of them a
    candidate of a sibling that was)."""
    found = list(found)
    free = unsourced_short(found, by_id)
    seen = {frozenset((c.a, c.b)) for c in candidates}
    seen |= {frozenset((r.source, r.derived)) for r in found}
    near: dict[str, set[str]] = {}
    for c in candidates:
        near.setdefault(c.a, set()).add(c.b)
        near.setdefault(c.b, set()).add(c.a)
    out = []
    for r in found:
        if r.kind not in DERIVATION_KINDS or r.source not in by_id or r.derived not in by_id:
            continue
        src = by_id[r.source]
        if not is_short(by_id[r.derived], src):
            continue
        for y in sorted(near.get(r.derived, set()) & free):
            pair = frozenset((r.source, y))
            if y == r.source or pair in seen or not is_short(by_id[y], src):
                continue
            seen.add(pair)
            a, b = sorted(pair)
            out.append(Candidate(a, b, frozenset({"sibling"}), 0.0))
    return out


#: rounds of sibling candidates: a summary found derived in one round reveals its own
#: siblings in the next (five summaries of one article chain through each other)
SIBLING_ROUNDS = 3

#: relates a list of candidate pairs (a pool of processes, or one by one): the pairs that relate
Relator = Callable[[list[Candidate]], list[Relation]]


def relate_summary_rounds(
    candidates: Sequence[Candidate],
    found: list[Relation],
    by_id: dict[str, Article],
    relate: Relator,
    context: Sequence[Relation] = (),
    rivals: Sequence[Candidate] = (),
    cosine: LeadCosine | None = None,
    rarity: SharedRarity | None = None,
) -> list[Relation]:
    """``found`` after the summary rounds: the ``summary_candidates`` pairs aligned (a summary
    derivation found there replaces the pair's first-round relation, a same-story edge or
    nothing), then the ``sibling_candidates`` pairs, round after round until none is new.

    Every engine runs these rounds after its first ``relate_candidate`` round, so a summary
    is found the same way in a batch and in a stream. ``context``: relations already stored
    (the streaming engine's), which reveal siblings and sourced texts but are not returned.
    ``rivals``: the other stored cover targets of a stored short text that a new article may be
    the source of (``late_cover_split``), for the summary gate's margin only. ``cosine``: the
    semantic layer's lead cosines, and ``rarity`` the index's rarity of shared terms
    (``CandidateIndex.shared_rarity``), for the summary gate.
    """
    known = [*context, *found]
    cover = summary_cover(candidates, known, by_id, rivals, cosine, rarity)
    got = relate(summary_candidates(candidates, known, by_id, rivals, cover=cover))
    new = {frozenset((r.source, r.derived)): r for r in got if r.kind in DERIVATION_KINDS}
    found = [r for r in found if frozenset((r.source, r.derived)) not in new]
    found += new.values()
    asked, extra_found = list(candidates), []
    for _ in range(SIBLING_ROUNDS):
        extra = sibling_candidates(asked, [*context, *found, *extra_found], by_id)
        if not extra:
            break
        asked += extra
        extra_found += relate(extra)
    links = summary_story_links(cover, [*context, *found, *extra_found], by_id, candidates)
    known = [*context, *found, *extra_found, *links]
    links += sibling_story_links(candidates, known, by_id, cosine, cover, rarity)
    linked = {frozenset((r.source, r.derived)) for r in links}
    found = [r for r in found + extra_found if frozenset((r.source, r.derived)) not in linked]
    return found + links
