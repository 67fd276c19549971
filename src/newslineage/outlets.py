"""Outlet profiles from article-level evidence.

An outlet's profile says how much of what it publishes is its own, whether it credits the
articles it takes, how many findings its copies carry and how far behind its sources it runs.
An article counts as *derived* when it has a source in the corpus, or when it names an origin
outside it: a "via"/"Source link" to another site, or a credit to an agency that the outlet
does not use for its own reporting. The content-farm indicator is always explained by the
evidence that set it ("4 of 4 articles republished from other outlets, ..."), never a bare
verdict.

>>> profile_outlets([], [], [])
[]
>>> OUTLET_COLUMNS[:3]
('outlet', 'articles', 'original')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from urllib.parse import urlparse

from .drift.article import credits_source
from .extract.links import registrable_domain
from .model import DERIVATION_KINDS, Article, Finding, OutletProfile, Relation

#: the content-farm indicator needs at least this many articles of the outlet ...
FARM_MIN_ARTICLES = 2
#: ... of which at least this share republished from elsewhere ...
FARM_MIN_DERIVED_SHARE = 0.75
#: an externally sourced article this long is a whole republished article, not a blurb
FULL_COPY_CHARS = 1500
FULL_COPY_KINDS = frozenset({"duplicate", "copy", "rewrite", "translation"})
OUTLET_COLUMNS = (
    "outlet",
    "articles",
    "original",
    "derived",
    "attribution",
    "findings/derived",
    "median lag",
    "content farm",
    "why",
)


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where one article came from, as far as the corpus tells."""

    relation: Relation | None  # the best in-corpus derivation into it
    external: str | None  # a named origin outside the corpus (domain or agency)


def profile_outlets(
    articles: Sequence[Article], relations: Sequence[Relation], findings: Sequence[Finding]
) -> list[OutletProfile]:
    """One :class:`OutletProfile` per outlet (articles without an outlet are left out),
    sorted by outlet name."""
    by_id = {a.id: a for a in articles}
    best: dict[str, Relation] = {}
    for r in sorted(relations, key=lambda r: -r.coverage):
        if r.kind in DERIVATION_KINDS and r.source in by_id and r.derived not in best:
            best[r.derived] = r
    findings_of: dict[str, int] = defaultdict(int)
    for f in findings:
        findings_of[f.article] += 1
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if a.outlet:
            groups[a.outlet].append(a)
    return [
        _profile(o, groups[o], _origins(o, groups[o], best), by_id, findings_of)
        for o in sorted(groups)
    ]


def _origins(outlet: str, arts: list[Article], best: dict[str, Relation]) -> dict[str, _Origin]:
    own = _own_credits(outlet, arts, best)
    out = {}
    for a in arts:
        via = _domain(a.via)
        external = via if via and via != outlet else None
        if external is None:
            foreign = [c for c in _agency_credits(a) if c not in own]
            external = foreign[0] if foreign else None
        out[a.id] = _Origin(best.get(a.id), external)
    return out


def _agency_credits(a: Article) -> list[str]:
    return [c for c in a.credits if not c.lower().startswith("translation")]


def _own_credits(outlet: str, arts: list[Article], best: dict[str, Relation]) -> set[str]:
    """Agencies the outlet uses as its own dateline: credited on its own reporting (no source,
    no "via") and either carried twice or the outlet shows no republishing at all."""
    counts: dict[str, int] = defaultdict(int)
    own_reporting: set[str] = set()
    for a in arts:
        for c in _agency_credits(a):
            counts[c] += 1
            if a.id not in best and (_domain(a.via) in (None, outlet)):
                own_reporting.add(c)
    republishes = any(a.id in best or _domain(a.via) not in (None, outlet) for a in arts)
    return {c for c in own_reporting if counts[c] >= 2 or not republishes}


def _domain(url: str | None) -> str | None:
    """The registrable domain of a link, else its host (``.example`` test domains)."""
    if not url:
        return None
    found = registrable_domain(url)
    if found and "." in found:
        return found
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def _profile(
    outlet: str,
    arts: list[Article],
    origins: dict[str, _Origin],
    by_id: dict[str, Article],
    findings_of: dict[str, int],
) -> OutletProfile:
    derived = [a for a in arts if origins[a.id].relation or origins[a.id].external]
    n, nd = len(arts), len(derived)
    credited = [a for a in derived if _credited(a, origins[a.id], by_id)]
    in_text = [a for a in derived if _agency_credits(a)]
    lags = [lag for a in derived if (lag := _lag(a, origins[a.id], by_id)) is not None]
    full = [a for a in derived if _full_copy(a, origins[a.id])]
    attribution = len(credited) / nd if nd else None
    lag = median(lags) if lags else None
    excerpts = [a for a in derived if (r := origins[a.id].relation) and r.kind == "excerpt"]
    # an aggregator that excerpts and links is doing its job; republishing nearly everything
    # else it carries is the content-farm pattern, credited or not
    farm = n >= FARM_MIN_ARTICLES and nd / n >= FARM_MIN_DERIVED_SHARE and len(excerpts) / nd < 0.5
    facts = _Facts(n, nd, len(credited), len(in_text), len(full), lag, _sources(derived, origins))
    return OutletProfile(
        outlet=outlet,
        articles=n,
        original_share=(n - nd) / n,
        derived_share=nd / n,
        attribution_rate=attribution,
        findings_per_derived=sum(findings_of[a.id] for a in derived) / nd if nd else None,
        median_lag_hours=lag,
        content_farm=farm,
        explanation=_explain(facts),
    )


def _credited(a: Article, origin: _Origin, by_id: dict[str, Article]) -> bool:
    source = by_id.get(origin.relation.source) if origin.relation else None
    return credits_source(a, source)


def _lag(a: Article, origin: _Origin, by_id: dict[str, Article]) -> float | None:
    source = by_id.get(origin.relation.source) if origin.relation else None
    if source is None or a.published is None or source.published is None:
        return None
    hours = (a.published - source.published).total_seconds() / 3600.0
    return hours if hours >= 0 else None


def _full_copy(a: Article, origin: _Origin) -> bool:
    if origin.relation is not None and origin.relation.kind in FULL_COPY_KINDS:
        return True
    return origin.external is not None and len(a.text) >= FULL_COPY_CHARS


def _sources(derived: list[Article], origins: dict[str, _Origin]) -> list[str]:
    names = {origins[a.id].external for a in derived if origins[a.id].relation is None}
    return sorted(n for n in names if n)


@dataclass(frozen=True, slots=True)
class _Facts:
    n: int
    derived: int
    credited: int
    in_text: int
    full: int
    lag: float | None
    outside: list[str]


def _explain(f: _Facts) -> str:
    """The evidence in one line: "4 of 4 articles republished from other outlets, ..."."""
    if f.derived == 0:
        return f"{f.n} of {f.n} articles are its own reporting as far as this corpus shows"
    parts = [f"{f.derived} of {f.n} articles republished from other outlets"]
    if f.outside:
        parts.append("origins named outside the corpus: " + ", ".join(f.outside[:4]))
    parts.append(f"{f.full} whole-article copies")
    parts.append(f"{f.in_text} credited in text, {f.credited} credit or link their source")
    if f.lag is not None:
        parts.append(f"median lag {_fmt_lag(f.lag)}")
    return ", ".join(parts)


def _fmt_lag(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} days"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{round(x * 100)}%"


def outlet_rows(profiles: Sequence[OutletProfile]) -> list[list[str]]:
    """Table rows (strings, in :data:`OUTLET_COLUMNS` order) for a terminal or HTML table.

    >>> p = OutletProfile("a.com", 2, 0.5, 0.5, 1.0, 0.0, 3.0, False, "1 of 2 ...")
    >>> outlet_rows([p])[0][:4]
    ['a.com', '2', '50%', '50%']
    """
    return [
        [
            p.outlet,
            str(p.articles),
            _pct(p.original_share),
            _pct(p.derived_share),
            _pct(p.attribution_rate),
            "-" if p.findings_per_derived is None else f"{p.findings_per_derived:.1f}",
            "-" if p.median_lag_hours is None else _fmt_lag(p.median_lag_hours),
            "yes" if p.content_farm else "no",
            p.explanation,
        ]
        for p in profiles
    ]
