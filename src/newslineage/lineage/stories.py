"""Stories: clusters of articles about one event, with the original and a timeline."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

from newslineage.lineage.agencies import AGENCIES, domain
from newslineage.lineage.params import LineageParams
from newslineage.model import DERIVATION_KINDS, Article, Relation, Story, TimelineEntry
from newslineage.text.stopwords import FEATURE_STOPWORDS
from newslineage.text.tokens import TOKEN_RE, is_unspaced, number_key

# Same-story time window: reports of one event cluster within days (the seeds' reports
# span 11-14 Feb 2025); beyond the window the score decays with this scale in days.
STORY_WINDOW_DAYS = 4.0
STORY_DECAY_DAYS = 5.0
# shared distinctive features needed for full credit: one shared name is not a story
STORY_SUPPORT = 8


@lru_cache(maxsize=8192)
def _story_features(text: str, title: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(names and numbers, distinctive terms) of one article."""
    anchors: set[str] = set()
    terms: set[str] = set()
    prev = ""  # the CJK/Thai character just before, if any
    memo = _TOKENS if len(_TOKENS) <= _TOKENS_MAX else _fresh_tokens()
    for k, tok in enumerate(TOKEN_RE.findall(f"{title or ''}\n{text}")):
        got = memo.get(tok)
        if got is None:
            got = memo[tok] = _story_token(tok)
        kind, x, y = got
        if kind == _UNSPACED:
            # one CJK or Thai character is too common to be distinctive; two adjacent ones
            # stand in for a word ("东京", "美国"), as a long word does in a spaced script
            if prev:
                terms.add(prev + x)
            prev = x
            continue
        prev = ""
        if kind == _ANCHOR:
            anchors.add(x)
        elif kind == _NAME:  # a capitalised word: a name unless it opens the text
            if k > 0:
                anchors.add(x)
            elif y:
                terms.add(y)
        elif kind == _TERM:
            terms.add(x)
    return frozenset(anchors), frozenset(terms)


# what one token gives _story_features: tokens repeat across articles, so each is classified
# once per process (at most _TOKENS_MAX of them)
_SKIP, _ANCHOR, _UNSPACED, _NAME, _TERM = range(5)
_TOKENS: dict[str, tuple[int, str, str]] = {}
_TOKENS_MAX = 1 << 17


def _fresh_tokens() -> dict[str, tuple[int, str, str]]:
    _TOKENS.clear()
    return _TOKENS


def _story_token(tok: str) -> tuple[int, str, str]:
    """(kind, value, the term a name gives as the first token)."""
    if tok[0].isdigit():  # numbers of 2+ digits are anchors
        return (_ANCHOR, number_key(tok), "") if len(tok) >= 2 else (_SKIP, "", "")
    low = tok.lower()
    if len(low) <= 4 and is_unspaced(tok):
        return _UNSPACED, low, ""
    if len(low) < 3 or low in FEATURE_STOPWORDS:
        return _SKIP, "", ""
    if tok[0].isupper():
        return _NAME, low[:6], low[:6] if len(low) >= 6 else ""
    if len(low) >= 6:  # long words are rarer: a cheap stand-in for corpus IDF
        return _TERM, low[:6], ""
    return _SKIP, "", ""


def _cosine(x: frozenset[str], y: frozenset[str]) -> tuple[float, int]:
    shared = len(x & y)
    if not shared:
        return 0.0, 0
    return shared / math.sqrt(len(x) * len(y)), shared


def _time(a: Article) -> datetime | None:
    return a.published or a.first_seen


def _days_apart(a: Article, b: Article) -> float | None:
    ta, tb = _time(a), _time(b)
    if ta is None or tb is None:
        return None
    try:
        return abs((ta - tb).total_seconds()) / 86400.0
    except TypeError:  # naive vs aware
        return None


def within_story_window(a: Article, b: Article) -> bool:
    """``a`` and ``b`` were published at most ``STORY_WINDOW_DAYS`` apart, or a date is
    unknown: the window in which reports of one event cluster, before the story score decays.

    >>> from datetime import datetime, UTC
    >>> x = Article("x", "", published=datetime(2025, 2, 12, tzinfo=UTC))
    >>> within_story_window(x, Article("y", "", published=datetime(2025, 3, 31, tzinfo=UTC)))
    False
    """
    days = _days_apart(a, b)
    return days is None or days <= STORY_WINDOW_DAYS


def story_pair_score(a: Article, b: Article, *, use_time: bool = True) -> float:
    """Same-story similarity in [0, 1] from shared names, numbers and distinctive terms.

    Damped when few features are shared (one common name is not a story) and, with
    ``use_time``, when the two articles were published far apart.

    >>> x = Article("x", "Pete Hegseth met Mark Rutte at NATO in Brussels on 12 February.")
    >>> story_pair_score(x, x) > 0.5
    True
    """
    na, ta = _story_features(a.text, a.title)
    nb, tb = _story_features(b.text, b.title)
    names, shared_names = _cosine(na, nb)
    terms, shared_terms = _cosine(ta, tb)
    score = 0.6 * names + 0.4 * terms
    score *= min(1.0, (shared_names + shared_terms / 2) / STORY_SUPPORT)
    days = _days_apart(a, b) if use_time else None
    if days is not None and days > STORY_WINDOW_DAYS:
        score *= math.exp(-(days - STORY_WINDOW_DAYS) / STORY_DECAY_DAYS)
    return round(min(max(score, 0.0), 1.0), 4)


class _Groups:
    """Union-find over article ids."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: str, y: str) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)

    def size(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for x in self.parent:
            out[self.find(x)] += 1
        return out


def _merge_supported(
    groups: _Groups, edges: list[tuple[str, str, float]], p: LineageParams
) -> None:
    """Join groups along same-story edges with support, in rounds, strongest first.

    A singleton joins on one edge >= join_min; two groups of several articles need two
    such edges between them, or one >= strong_join (single links would chain events).
    """
    while True:
        sizes = groups.size()
        support: dict[tuple[str, str], list[float]] = defaultdict(list)
        for x, y, w in edges:
            rx, ry = groups.find(x), groups.find(y)
            if rx != ry and w >= p.join_min:
                support[(min(rx, ry), max(rx, ry))].append(w)
        ranked = sorted(support.items(), key=lambda kv: (-len(kv[1]), -max(kv[1]), kv[0]))
        merged: set[str] = set()
        for (rx, ry), ws in ranked:
            if rx in merged or ry in merged:
                continue
            ok = min(sizes[rx], sizes[ry]) == 1 or len(ws) >= 2 or max(ws) >= p.strong_join
            if ok:
                groups.union(rx, ry)
                merged.update((rx, ry))
        if not merged:
            return


def _story_id(members: Sequence[str]) -> str:
    return "s" + hashlib.sha1("\n".join(sorted(members)).encode()).hexdigest()[:16]


def _sort_key(a: Article) -> tuple[bool, str, str]:
    t = _time(a)
    return (t is None, t.isoformat() if t else "", a.id)


def _original(
    members: list[Article], derivations: list[Relation], corpus_domains: set[str]
) -> tuple[str | None, str | None]:
    """(original id, external origin) of one story.

    A story of one article is its own original (the corpus holds nothing earlier), and still
    names the outside outlet it links as its source ("Source link"), as examples/truth.json
    expects; a larger story whose root came from outside has no original in the corpus.
    """
    if len(members) == 1:
        via = domain(members[0].via)
        return members[0].id, (via if via and via not in corpus_domains else None)
    ids = {m.id for m in members}
    by_id = {m.id: m for m in members}
    edges = [r for r in derivations if r.source in ids and r.derived in ids]
    derived_ids = {r.derived for r in edges}
    children: dict[str, set[str]] = defaultdict(set)
    for r in edges:
        children[r.source].add(r.derived)
    roots = [i for i in children if i not in derived_ids]
    if roots:
        root = min(roots, key=lambda i: (-_descendants(i, children), _sort_key(by_id[i])))
        via = domain(by_id[root].via)
        if via and via not in corpus_domains:
            return None, via  # the earliest copy is itself taken from outside the corpus
        return root, None
    shared = set.intersection(*(set(m.credits) for m in members))
    agencies = sorted(c for c in shared if c.upper() in AGENCIES)
    if agencies and len(members) > 1:
        return None, agencies[0]  # everyone credits the agency; its own text is not here
    vias = {domain(m.via) for m in members}
    if len(vias) == 1 and None not in vias and vias.pop() not in corpus_domains:
        return None, domain(members[0].via)
    dated = [m for m in members if _time(m) is not None]
    if len(members) == 1:
        return members[0].id, None
    return (min(dated, key=_sort_key).id, None) if dated else (None, None)


def _descendants(root: str, children: dict[str, set[str]]) -> int:
    seen: set[str] = set()
    stack = [root]
    while stack:
        for c in children.get(stack.pop(), ()):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return len(seen)


def _story(members: list[Article], derivations: list[Relation], corpus_domains: set[str]) -> Story:
    members = sorted(members, key=_sort_key)
    original, external = _original(members, derivations, corpus_domains)
    derived = {r.derived for r in derivations}
    by_id = {m.id: m for m in members}
    titled = [m for m in members if m.title]
    title = by_id[original].title if original and by_id[original].title else None
    title = title or (titled[0].title if titled else None)
    timeline = tuple(
        TimelineEntry(
            article=m.id,
            time=_time(m),
            outlet=m.outlet,
            role="original" if m.id == original else ("derived" if m.id in derived else "report"),
        )
        for m in members
    )
    return Story(
        id=_story_id([m.id for m in members]),
        title=title,
        articles=tuple(m.id for m in members),
        original=original,
        external_origin=external,
        timeline=timeline,
    )


def cluster_stories(
    articles: Sequence[Article],
    relations: Sequence[Relation],
    same_story: Sequence[tuple[str, str, float]] = (),
    params: LineageParams | None = None,
) -> list[Story]:
    """Group articles into stories: derivations always join, same-story edges need support.

    ``same_story`` adds weighted edges (e.g. :func:`story_pair_score` on candidate pairs);
    relations of kind ``same_story`` count as such edges with their confidence as weight.
    Every article ends in exactly one story; singletons are stories of their own.
    """
    p = params or LineageParams()
    ids = [a.id for a in articles]
    known = set(ids)
    groups = _Groups(ids)
    derivations = [
        r
        for r in relations
        if r.kind in DERIVATION_KINDS and r.source in known and r.derived in known
    ]
    for r in derivations:
        groups.union(r.source, r.derived)
    edges = [(x, y, w) for x, y, w in same_story if x in known and y in known]
    edges += [
        (r.source, r.derived, r.confidence)
        for r in relations
        if r.kind == "same_story" and r.source in known and r.derived in known
    ]
    _merge_supported(groups, edges, p)
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        members[groups.find(a.id)].append(a)
    corpus_domains = {d for a in articles for d in (domain(a.url), a.outlet) if d}
    # each story gets its own derivations: handing every story all of them was quadratic
    # (150 s for the stories stage at 100k articles, 1 s at 10k)
    inside: dict[str, list[Relation]] = defaultdict(list)
    for r in derivations:
        inside[groups.find(r.derived)].append(r)
    stories = [_story(ms, inside[root], corpus_domains) for root, ms in members.items()]
    return sorted(stories, key=lambda s: (s.timeline[0].time is None, _first_time(s), s.id))


def _first_time(s: Story) -> str:
    t = s.timeline[0].time if s.timeline else None
    return t.isoformat() if t else ""
