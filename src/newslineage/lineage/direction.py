"""Who copied whom: weighted votes of independent signals, with the disagreements kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newslineage.lineage.agencies import domain, external_origin
from newslineage.lineage.features import RelationFeatures, features
from newslineage.lineage.params import DirectionWeights
from newslineage.model import Alignment, Article

# Removal reasons that mark a re-publisher's page (see model.Removal)
_COPY_DEBRIS = frozenset({"scraper_debris", "donation_block", "source_trailer", "repeated_block"})


def _time_vote(ta: datetime | None, tb: datetime | None) -> int:
    if ta is None or tb is None or ta == tb:
        return 0
    try:
        return 1 if ta < tb else -1
    except TypeError:  # naive vs aware datetimes: not comparable, no vote
        return 0


def _points_to(x: Article, y: Article) -> bool:
    """Does ``x`` link or credit-link to ``y``?"""
    targets = {u.rstrip("/") for u in (*x.links, x.via or "") if u}
    return bool(y.url) and y.url.rstrip("/") in targets  # type: ignore[union-attr]


def _credits(x: Article, y: Article) -> bool:
    """Does ``x`` credit ``y``'s outlet by name?"""
    if not y.outlet:
        return False
    name = y.outlet.lower().split(".")[0]
    return any(c.lower() == y.outlet.lower() or c.lower() == name for c in x.credits)


def _signals(
    a: Article,
    b: Article,
    align_ab: Alignment,
    align_ba: Alignment,
    w: DirectionWeights,
    known: tuple[RelationFeatures, RelationFeatures] | None = None,
):
    """(name, vote, weight, detail): vote +1 says a -> b, -1 says b -> a."""
    out: list[tuple[str, int, float, str]] = []

    def add(name: str, vote: int, weight: float, detail: str) -> None:
        if vote:
            out.append((name, vote, weight, detail))

    add("link", _points_to(b, a) - _points_to(a, b), w.link, "the derived side links to its source")
    add(
        "credit",
        _credits(b, a) - _credits(a, b),
        w.credit,
        "the derived side credits the source outlet",
    )
    add("published", _time_vote(a.published, b.published), w.published, "published earlier")
    if not _time_vote(a.published, b.published):
        add("first_seen", _time_vote(a.first_seen, b.first_seen), w.first_seen, "seen earlier")
    f_ab, f_ba = known or (features(align_ab, a, b), features(align_ba, b, a))
    cov_b = f_ab.coverage  # share of b found in a
    cov_a = f_ba.coverage  # share of a found in b
    if max(cov_a, cov_b) >= 0.6 and abs(cov_a - cov_b) >= 0.15:
        add(
            "containment",
            1 if cov_b > cov_a else -1,
            w.containment,
            f"the contained side is the copy (a in b {cov_a:.2f}, b in a {cov_b:.2f})",
        )
    deb_a = any(r.reason in _COPY_DEBRIS for r in a.removed)
    deb_b = any(r.reason in _COPY_DEBRIS for r in b.removed)
    add("debris", deb_b - deb_a, w.debris, "re-publisher debris was removed from the copy")
    add(
        "credit_lost",
        bool(a.credits) - bool(b.credits),
        w.credit_lost,
        "the copy lost the original's credit line",
    )
    if max(cov_a, cov_b) >= 0.6:
        shorter = (len(b.text) < len(a.text)) - (len(a.text) < len(b.text))
        add("shorter", shorter, w.shorter, "copies lose text more often than they gain it")
    return out


def orient(
    a: Article,
    b: Article,
    align_ab: Alignment,
    align_ba: Alignment,
    weights: DirectionWeights = DirectionWeights(),
    known: tuple[RelationFeatures, RelationFeatures] | None = None,
) -> tuple[Article, Article, dict[str, Any], float]:
    """``(source, derived, evidence, confidence)`` for two related articles.

    ``align_ab`` aligns ``b`` (as derived) against ``a``; ``align_ba`` the reverse.
    ``known``: their ``features`` (default ``LineageParams``) when the caller has them.
    Confidence is 0.5 + 0.5 * (net vote / total vote weight): signals that disagree lower it,
    and the evidence names them. With no signal at all the earlier id is the source at 0.3.
    """
    signals = _signals(a, b, align_ab, align_ba, weights, known)
    net = sum(v * wt for _, v, wt, _ in signals)
    total = sum(wt for _, _, wt, _ in signals)
    forward = net > 0 or (net == 0 and a.id <= b.id)
    src, der = (a, b) if forward else (b, a)
    sign = 1 if forward else -1
    agree = [n for n, v, _, _ in signals if v == sign]
    disagree = [n for n, v, _, _ in signals if v == -sign]
    confidence = 0.3 if total == 0 else 0.5 + 0.5 * abs(net) / total
    corpus = {d for d in (domain(a.url), domain(b.url), a.outlet, b.outlet) if d}
    evidence: dict[str, Any] = {
        "signals": [
            {"signal": n, "favours": (a.id if v > 0 else b.id), "weight": wt, "why": why}
            for n, v, wt, why in signals
        ],
        "agree": agree,
        "disagree": disagree,
        "disagreement": bool(disagree),
    }
    if net == 0:
        evidence["tie"] = "no signal decided; ordered by id" if total == 0 else "signals cancel out"
    ext = external_origin(src, der, corpus)
    if ext:
        evidence["external_origin"] = ext
    return src, der, evidence, round(confidence, 4)
