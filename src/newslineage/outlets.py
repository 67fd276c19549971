"""Outlet profiles from article-level evidence.

An outlet's profile says how much of what it publishes is its own, whether it credits the
articles it takes, and how far behind its sources it runs. The content-farm indicator is
always explained by the evidence that set it, never given as a bare verdict.

>>> profile_outlets([], [], [])
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import median

from .model import DERIVATION_KINDS, Article, Finding, OutletProfile, Relation

#: share of an outlet's articles that must be derived (with at least this many articles)
#: before the content-farm indicator is raised; a wire service reusing its own copy is
#: excluded because its derived articles credit their source.
FARM_MIN_ARTICLES = 2
FARM_MIN_DERIVED_SHARE = 0.75
FARM_MAX_ATTRIBUTION = 0.5


def _credits_source(derived: Article, source: Article | None) -> bool:
    """True when ``derived`` names or links where it came from."""
    if derived.credits or derived.via:
        return True
    if source is None:
        return False
    if source.url and source.url in derived.links:
        return True
    return bool(source.outlet and any(source.outlet in link for link in derived.links))


def _lag_hours(derived: Article, source: Article | None) -> float | None:
    if source is None or derived.published is None or source.published is None:
        return None
    return (derived.published - source.published).total_seconds() / 3600.0


def profile_outlets(
    articles: Sequence[Article], relations: Sequence[Relation], findings: Sequence[Finding]
) -> list[OutletProfile]:
    """One :class:`OutletProfile` per outlet, sorted by outlet name."""
    by_id = {a.id: a for a in articles}
    source_of: dict[str, str] = {}
    for r in sorted(relations, key=lambda r: -r.coverage):
        if r.kind in DERIVATION_KINDS and r.derived not in source_of:
            source_of[r.derived] = r.source
    findings_of: dict[str, int] = defaultdict(int)
    for f in findings:
        findings_of[f.article] += 1
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if a.outlet:
            groups[a.outlet].append(a)
    return [_profile(o, groups[o], source_of, by_id, findings_of) for o in sorted(groups)]


def _profile(
    outlet: str,
    arts: list[Article],
    source_of: dict[str, str],
    by_id: dict[str, Article],
    findings_of: dict[str, int],
) -> OutletProfile:
    derived = [a for a in arts if a.id in source_of]
    credited = [a for a in derived if _credits_source(a, by_id.get(source_of[a.id]))]
    lags = [
        lag
        for a in derived
        if (lag := _lag_hours(a, by_id.get(source_of[a.id]))) is not None and lag >= 0
    ]
    n, nd = len(arts), len(derived)
    attribution = len(credited) / nd if nd else None
    per_derived = sum(findings_of[a.id] for a in derived) / nd if nd else None
    lag = median(lags) if lags else None
    farm = (
        n >= FARM_MIN_ARTICLES
        and nd / n >= FARM_MIN_DERIVED_SHARE
        and (attribution or 0.0) <= FARM_MAX_ATTRIBUTION
    )
    return OutletProfile(
        outlet=outlet,
        articles=n,
        original_share=(n - nd) / n,
        derived_share=nd / n,
        attribution_rate=attribution,
        findings_per_derived=per_derived,
        median_lag_hours=lag,
        content_farm=farm,
        explanation=_explain(n, nd, len(credited), lag),
    )


def _explain(n: int, nd: int, credited: int, lag: float | None) -> str:
    if nd == 0:
        return f"{n} of {n} articles original in this corpus"
    text = f"{nd} of {n} articles republished from other articles, {credited} credited"
    if lag is not None:
        text += f", median lag {_fmt_lag(lag)}"
    return text


def _fmt_lag(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} days"
