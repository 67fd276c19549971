"""``find_story_drift``: every finding of one story, member by member.

- The original gets no findings: it is what the others are measured against.
- A derived member is compared with each of its derivation sources (sentence alignment,
  then :func:`find_pair_drift`); sentences that no member of the story supports are
  ``unsourced_sentence``; a copy that neither credits nor links its source gets
  ``attribution_missing``. A write-through by the source's own outlet or agency is new
  reporting, so it gets neither. A derived member much shorter than a source it descends
  from (a summary, a blurb) also gets the fitted support check against that source.
- A member that is not derived from one source (an AI compilation, an independent report) is
  compared sentence by sentence with the best-matching sentences of the other members, with
  the strict detectors only; of its unsupported material only image captions set as text are
  reported, at low severity. A short one the lineage linked to a member by the story rule
  (``lineage.summary.is_story_link``) gets the support check against that member.
- Every non-original member is checked for contradicting itself.

The function is pure: it reads the records it is given. A copy is compared with the source
version named by its relation (``Relation.source`` is a version id), which the caller picks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..align import align_articles, sentences_of, story_similarity
from ..align.core import one_blas_thread
from ..align.memo import AlignmentMemo
from ..lineage.stories import story_pair_score
from ..lineage.summary import is_story_link, summary_novel_share
from ..model import (
    DERIVATION_KINDS,
    AlignedPair,
    Alignment,
    Article,
    Finding,
    Relation,
    Span,
    Story,
)
from .article import (
    _FULL_NAME,
    _not_person,
    caption_spans,
    credits_source,
    find_attribution_missing,
    find_captions,
    find_internal_inconsistencies,
    is_boilerplate,
    same_publisher,
    unsupported_sentences,
)
from .pairs import find_pair_drift
from .support_model import check_derived

#: a derived sentence whose best match in the story scores below this has no support; on the
#: examples, paraphrased compilation sentences score >= 0.35 against their source, invented
#: ones <= 0.25
SUPPORT = 0.3
#: only articles that mostly come from the story (this share of supported sentences) get
#: unsourced findings: a write-through's new paragraphs are reporting, not invention
MIN_SUPPORTED_SHARE = 0.6
#: a run of this many unsupported sentences is a new passage (an update), not a slipped-in claim
MAX_RUN = 3
#: pairs for an article that leans on the story without one source
LEAN_PAIR = 0.4
#: derivations that keep the source's sentences verbatim: every sentence they took aligns,
#: so an unaligned one between aligned ones was added
COPY_KINDS = frozenset({"copy", "excerpt", "duplicate"})
#: in such a copy, support means the same sentence, not a shared topic: on the synthetic
#: corpus unrelated sentences of one story score 0.3-0.42 with each other (topic and
#: country words), sentences a copy took >= 0.75
COPY_SUPPORT = 0.6
#: the support check (``drift.support_model``) runs on derived texts at most this long against
#: their source (characters): summaries and blurbs. FRANK's summaries are 0.02-0.27 of their
#: article (95% <= 0.17); the generator's copies and rewrites are >= 0.89, its partials >= 0.49,
#: and there, with sentences aligned one to one, the pair detectors are precise while the
#: support model, fitted on summaries, reads every loose paraphrase as unsupported
SUMMARY_RATIO = 0.35
#: earlier members a short member with no source it summarises is compared with (for
#: ``_story_source``): the ones sharing most of the event's names and terms
STORY_SOURCE_POOL = 8


Aligner = Callable[[Article, Article], Alignment]


def find_story_drift(
    story: Story,
    articles: dict[str, Article],
    relations: Sequence[Relation],
    align: Aligner = align_articles,
) -> list[Finding]:
    """All findings for the members of ``story`` (see the module doc for the rules).

    ``align(source, derived)`` gives a derived pair's alignment: ``align_articles``, or the
    alignment the relate stage already computed (``align.memo``).
    """
    members = [a for a in story.articles if a in articles]
    into: dict[str, list[Relation]] = defaultdict(list)
    for r in relations:
        if r.kind in DERIVATION_KINDS and r.derived in members and r.source in articles:
            into[r.derived].append(r)
    # a short text the story rule linked to the source whose story it tells
    linked = {r.derived: articles[r.source] for r in relations
              if is_story_link(r) and r.source in articles and r.derived in members}  # fmt: skip
    out: list[Finding] = []
    for m in members:
        # the root of the story's derivations may be a one-liner its siblings were read as
        # derived from, linked by the story or sibling rule to a longer member: still checked
        if m == story.original and m not in linked:
            continue
        article = articles[m]
        pool = [articles[o] for o in members if o != m and not _descends(o, m, into)]
        if into[m]:
            out += _derived_findings(article, into, articles, pool, story, align, linked.get(m))
        else:
            found = _leaning_findings(article, pool)
            source = linked.get(m) or _story_source(article, pool)
            out += found + _summary_findings(article, source, found)
        out += find_internal_inconsistencies(article)
    return _dedupe(out)


def _descends(node: str, ancestor: str, into: dict[str, list[Relation]]) -> bool:
    """True when ``node`` was made (directly or not) from ``ancestor``."""
    stack, seen = [node], set()
    while stack:
        cur = stack.pop()
        for r in into.get(cur, ()):
            if r.source == ancestor:
                return True
            if r.source not in seen:
                seen.add(r.source)
                stack.append(r.source)
    return False


# ------------------------------------------------------------------ derived members


def _derived_findings(
    article: Article,
    into: dict[str, list[Relation]],
    articles: dict[str, Article],
    pool: list[Article],
    story: Story,
    align: Aligner,
    linked: Article | None = None,
) -> list[Finding]:
    """Pair findings against each derivation source, then the support check against the
    text it summarises: up its derivation chain, else the source a story link names
    (``linked``: a one-liner derived only from a sibling that reached no longer text, linked
    to its article by the story or sibling rule), else the story member it passes the gate
    against."""
    rels = sorted(
        into[article.id], key=lambda r: (-round(r.coverage, 2), r.source != story.original)
    )
    compared = []
    for r in rels:
        src = articles[r.source]
        alignment = align(src, article)
        compared.append((src, alignment, find_pair_drift(src, article, alignment)))
    out = _resolve_sources(compared)
    summarised = _summary_source(article, compared, articles, into) or linked
    summarised = summarised or _story_source(article, pool)
    out += _summary_findings(article, summarised, out)
    sources = [src for src, _, _ in compared]
    own = all(same_publisher(article, s) for s in sources)
    if not own:
        out += _first_name_swaps(article, sources)
        if not any(credits_source(article, s) for s in sources):
            out += find_attribution_missing(article, sources[0], rels[0].coverage)
    covered = _covered(article, [al for _, al, _ in compared])
    # a compilation draws on several *independent* reports; copies of one count once
    ids = [r.source for r in rels]
    roots = [x for x in ids if not any(y != x and _descends(x, y, into) for y in ids)]
    compilation = len(roots) >= 2
    searched = not own and (compilation or rels[0].kind in COPY_KINDS)
    # support is costly (every sentence of the story): only what the checks below read
    rows = _caption_rows(article) | (_candidates(article, covered) if searched else set())
    support = _support(article, pool, rows)
    out += find_captions(article, support)
    # precision first: an unaligned sentence of a rewrite is most often a loose paraphrase
    # (on the synthetic corpus 8 of 8 planted insertions into rewrites looked like the 100+
    # unaligned paraphrase fragments), so only compilations of several independent reports
    # and near-verbatim copies are searched for invented sentences
    if own:
        return out
    if compilation:
        out += _unsourced(article, support, covered, None, SUPPORT)
    elif rels[0].kind in COPY_KINDS:
        inside = _between_aligned(article, compared[0][1])
        out += _unsourced(article, support, covered, inside, COPY_SUPPORT)
    return out


def _summary_findings(
    article: Article, source: Article | None, found: list[Finding]
) -> list[Finding]:
    """The support check against ``source`` (see :func:`_summary_source`); where a pair
    detector already reports the same kind on the same words, its finding wins."""
    if source is None:
        return []
    return [f for f in check_derived(source, article) if not _has(found, f)]


def _is_summary_of(article: Article, source: Article) -> bool:
    """``article`` is much shorter than ``source``: a summary or a blurb of it."""
    return len(article.text) <= SUMMARY_RATIO * len(source.text)


def _summary_source(
    article: Article,
    compared: list[tuple[Article, Alignment, list[Finding]]],
    articles: dict[str, Article],
    into: dict[str, list[Relation]],
) -> Article | None:
    """The text the support check reads for a short derived member: its best derivation
    source it is a summary of, whatever kind the relation got; else the nearest source of its
    sources (up the derivation chain) it is a summary of. Several summaries of one article,
    published together, are often related to each other only (one sibling reads as a rewrite
    of the other): their common source is the one their sibling was made from. A report the
    clustering merely put beside them (another event's) is not in the chain, so not used.
    None when the member is no summary of any of them."""
    for src, _, _ in compared:
        if _is_summary_of(article, src):
            return src
    seen = {article.id} | {src.id for src, _, _ in compared}
    level = [src.id for src, _, _ in compared]
    while level:
        up = [r.source for x in level for r in into.get(x, ()) if r.source not in seen]
        up = list(dict.fromkeys(up))
        for x in up:
            if x in articles and _is_summary_of(article, articles[x]):
                return articles[x]
        seen.update(up)
        level = up
    return None


def _story_source(article: Article, pool: list[Article]) -> Article | None:
    """The earlier member of the story that ``article`` is a summary of, for a short member
    the lineage gave no source it summarises (related to nothing, or to a sibling summary
    only): the one that passes the fitted summary gate (``lineage/summary.py``: few of its
    content words absent from the member) with the fewest absent. Another report of the event
    brings its own names and words, so it does not pass."""
    longer = [o for o in pool if _is_summary_of(article, o) and _earlier(o, article)]
    if len(longer) > STORY_SOURCE_POOL:
        longer = sorted(longer, key=lambda o: -story_pair_score(article, o, use_time=False))
        longer = longer[:STORY_SOURCE_POOL]
    passed = [(share, o.id, o) for o in longer if (share := summary_novel_share(o, article))
              is not None]  # fmt: skip
    return min(passed)[2] if passed else None


def _earlier(a: Article, b: Article) -> bool:
    """``a`` was published before ``b``; when a date is missing, not seen after it."""
    if a.published is not None and b.published is not None:
        return a.published < b.published
    if a.first_seen is not None and b.first_seen is not None:
        return a.first_seen <= b.first_seen
    return True


def _between_aligned(article: Article, alignment: Alignment) -> list[bool]:
    """For each sentence: does the copy hold text taken from the source before *and* after
    it? A copy's added header or footer (the outlet's own block) is not a slipped-in claim."""
    starts = sorted(p.derived.start for p in alignment.pairs)
    ends = sorted(p.derived.end for p in alignment.pairs)
    if not starts:
        return [False] * len(sentences_of(article))
    first_end, last_start = ends[0], starts[-1]
    return [first_end <= s and e <= last_start for s, e in sentences_of(article)]


def _resolve_sources(compared: list[tuple[Article, Alignment, list[Finding]]]) -> list[Finding]:
    """Keep a finding unless another source aligns the same derived sentence at least as well
    and sees no such change there (a compilation may follow the source that says it so)."""
    out = []
    for k, (_, alignment, found) in enumerate(compared):
        for f in found:
            sim = _pair_similarity(alignment, f)
            if not any(
                _pair_similarity(al, f) >= sim and not _has(other, f)
                for j, (_, al, other) in enumerate(compared)
                if j != k
            ):
                out.append(f)
    return out


def _pair_similarity(alignment: Alignment, f: Finding) -> float:
    if f.derived_span is None:
        return 0.0
    s, e = f.derived_span
    sims = [p.similarity for p in alignment.pairs if p.derived.start <= s and e <= p.derived.end]
    return max(sims, default=0.0)


def _has(found: list[Finding], f: Finding) -> bool:
    return any(g.kind == f.kind and _overlap(g.derived_span, f.derived_span) for g in found)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _first_name_swaps(article: Article, sources: list[Article]) -> list[Finding]:
    """A person the sources call "Tomas Reinholt" appears as "Anders Reinholt"."""
    src_names: dict[str, set[str]] = defaultdict(set)
    src_words: set[str] = set()
    for s in sources:
        names, words = _names_and_words(s.text)
        for last, firsts in names.items():
            src_names[last] |= firsts
        src_words |= words
    out, seen = [], set()
    for m in _FULL_NAME.finditer(article.text):
        first, last = m.group("first"), m.group("last")
        known = src_names.get(last, set())
        if _not_person(first, last) or len(known) != 1 or first in known or (first, last) in seen:
            continue
        if first in src_words or any(first in w for w in src_words if w[:1].isupper()):
            continue
        seen.add((first, last))
        old = f"{next(iter(known))} {last}"
        src = next(s for s in sources if old in s.text)
        pos = src.text.find(old)
        out.append(
            Finding(
                kind="name_changed",
                article=article.id,
                message=f'A name was changed: "{old}" became "{first} {last}".',
                severity="high",
                source_article=src.id,
                source_span=(pos, pos + len(old)),
                derived_span=m.span(),
                detail={"old": old, "new": f"{first} {last}"},
            )
        )
    return out


@lru_cache(maxsize=512)
def _names_and_words(text: str) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Surname -> first names, and the words, of a source text: cached, because a story's
    original is the source of each of its copies."""
    names: dict[str, set[str]] = defaultdict(set)
    for m in _FULL_NAME.finditer(text):
        names[m.group("last")].add(m.group("first"))
    return {k: frozenset(v) for k, v in names.items()}, frozenset(text.split())


# ------------------------------------------------------------------ support


def _support(article: Article, pool: list[Article], rows: set[int]) -> np.ndarray:
    """Best similarity of each sentence with any sentence of the other members, computed
    only when one of ``rows`` needs it (it compares every sentence of the story, the costliest
    step of drift); otherwise every sentence reads 1.0 (supported)."""
    sents = sentences_of(article)
    if not rows:
        return np.ones(len(sents))
    best = np.zeros(len(sents))
    for i in range(0, len(pool), SUPPORT_GROUP):
        group = pool[i : i + SUPPORT_GROUP]
        if any(sentences_of(o) for o in group):
            best = np.maximum(best, story_similarity(article, group).max(axis=1))
    return best


# members compared at once for support: the similarity matrices grow with the members'
# vocabulary, and a story of hundreds of articles (a large event at 100k) would need tens of
# GB at once; stories up to this size are compared in one go, as before
SUPPORT_GROUP = 16


def _candidates(article: Article, covered: list[bool]) -> set[int]:
    """Sentences that could become ``unsourced_sentence``: not aligned, not boilerplate."""
    return {
        i
        for i, (s, e) in enumerate(sentences_of(article))
        if not covered[i] and not is_boilerplate(article.text[s:e])
    }


def _caption_rows(article: Article) -> set[int]:
    spans = caption_spans(article)
    if not spans:
        return set()
    return {
        i
        for i, (s, e) in enumerate(sentences_of(article))
        if any(cs <= s and e <= ce for cs, ce in spans)
    }


def _covered(article: Article, alignments: list[Alignment]) -> list[bool]:
    spans = [(p.derived.start, p.derived.end) for al in alignments for p in al.pairs]
    return [any(a <= s and e <= b for a, b in spans) for s, e in sentences_of(article)]


def _unsourced(
    article: Article,
    support: np.ndarray,
    covered: list[bool],
    inside: list[bool] | None,
    threshold: float,
) -> list[Finding]:
    sents = sentences_of(article)
    if len(sents) != len(article.sentences):
        article = Article(article.id, article.text, sentences=sents)
    body = [i for i, (s, e) in enumerate(sents) if not is_boilerplate(article.text[s:e])]
    if not body:
        return []
    supported = sum(1 for i in body if covered[i] or support[i] >= SUPPORT)
    if supported / len(body) < MIN_SUPPORTED_SHARE:
        return []
    lonely = unsupported_sentences(article, support, covered, threshold)
    if inside is not None:
        lonely = [i for i in lonely if inside[i]]
    out = []
    for i in lonely:
        if _run_length(lonely, i) >= MAX_RUN:
            continue
        s, e = sents[i]
        out.append(
            Finding(
                kind="unsourced_sentence",
                article=article.id,
                message="No source in the story supports this sentence.",
                severity="medium",
                derived_span=(s, e),
                detail={"best_support": round(float(support[i]), 3)},
            )
        )
    return out


def _run_length(indexes: list[int], i: int) -> int:
    members = set(indexes)
    lo = hi = i
    while lo - 1 in members:
        lo -= 1
    while hi + 1 in members:
        hi += 1
    return hi - lo + 1


# ------------------------------------------------------------------ leaning members


# An article with no source did not copy its figures, dates or names from anyone: where it
# differs from another report it disagrees, and reports of two different events that the
# clustering joined differ everywhere (synthetic 10k: 162 of 370 number_changed findings,
# all false, came from such comparisons). What it can still be caught at is twisting a
# shared quote or statement: ``only_quotes_and_negations`` below.


# ...compared with the members whose names, numbers and terms it shares most: every member
# of a 60-article story against every other is quadratic, and a twisted quote comes from a
# report of the same facts (the seeds' 003 leans on a feed item it has no relation with)
LEANING_POOL = 8


def _leaning_findings(article: Article, pool: list[Article]) -> list[Finding]:
    """Strict comparisons with the best-matching sentences of the other members, and captions."""
    if len(pool) > LEANING_POOL:
        # texts only: an undated article's first-seen time says nothing about its event
        pool = sorted(pool, key=lambda o: -story_pair_score(article, o, use_time=False))
        pool = pool[:LEANING_POOL]
    sents = sentences_of(article)
    if not sents or not pool:
        return []
    owners = [(o, s, e) for o in pool for s, e in sentences_of(o)]
    if not owners:
        return []
    sims = story_similarity(article, pool)
    best, arg = sims.max(axis=1), sims.argmax(axis=1)
    by_source: dict[str, list[AlignedPair]] = defaultdict(list)
    for i, (s, e) in enumerate(sents):
        if best[i] < LEAN_PAIR:
            continue
        o, os_, oe = owners[int(arg[i])]
        pair = AlignedPair(Span(o.id, os_, oe), Span(article.id, s, e), float(best[i]))
        by_source[o.id].append(pair)
    out: list[Finding] = []
    by_id = {o.id: o for o in pool}
    for oid, pairs in by_source.items():
        alignment = Alignment(oid, article.id, tuple(pairs))
        out += find_pair_drift(
            by_id[oid], article, alignment, strict=True, only_quotes_and_negations=True
        )
    return out + find_captions(article, best)


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in found:
        key = (f.article, f.kind, f.derived_span)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def story_drift(
    story: Story, articles: dict[str, Article], relations: Sequence[Relation]
) -> list[Finding]:
    """``find_story_drift`` on one story, given its members and the relations among them.

    Both engines call this, so a story's findings do not depend on where it ran.
    """
    ids = set(story.articles)
    inside = [r for r in relations if r.source in ids and r.derived in ids]
    return drift_inside(story, articles, inside)


def drift_inside(
    story: Story,
    articles: dict[str, Article],
    inside: Sequence[Relation],
    memo: AlignmentMemo | None = None,
) -> list[Finding]:
    members = {i: articles[i] for i in story.articles if i in articles}
    align = memo.align if memo is not None else align_articles
    # one BLAS thread: the matrices are small, and OpenBLAS's thread pool does not survive a
    # fork (a forked worker's matmul warned "invalid value" at 100k articles)
    with one_blas_thread():
        return find_story_drift(story, members, inside, align)
