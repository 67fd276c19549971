"""Outlet profiles: derived share, attribution, lag and an explained content-farm indicator."""

from __future__ import annotations

from datetime import UTC, datetime

from newslineage.model import Article, OutletProfile, Relation
from newslineage.outlets import OUTLET_COLUMNS, outlet_rows, profile_outlets

T0 = datetime(2025, 2, 11, 10, tzinfo=UTC)


def _a(aid: str, outlet: str, hours: float, **kw) -> Article:
    return Article(
        aid, "text " * 50, outlet=outlet, published=T0.replace(hour=10 + int(hours)), **kw
    )


def test_farm_republishing_everything() -> None:
    arts = [
        _a("w", "wire.example", 0, credits=("AP",)),
        _a("f1", "farm.example", 2),
        _a("f2", "farm.example", 4, via="https://other.example/story"),
        _a("f3", "farm.example", 6, credits=("Reuters",)),
    ]
    rels = [Relation("w", "f1", "copy", 1.0, 1.0, 0.9)]
    profiles = {p.outlet: p for p in profile_outlets(arts, rels, [])}
    farm, wire = profiles["farm.example"], profiles["wire.example"]
    assert farm.derived_share == 1.0 and farm.content_farm
    assert farm.median_lag_hours == 2.0
    assert farm.attribution_rate is not None and abs(farm.attribution_rate - 2 / 3) < 1e-9
    assert farm.explanation.startswith("3 of 3 articles republished from other outlets")
    assert "other.example" in farm.explanation and "median lag 2 h" in farm.explanation
    assert wire.derived_share == 0.0 and not wire.content_farm


def test_own_agency_dateline_is_not_a_source() -> None:
    arts = [
        _a("n1", "nws.example", 0, credits=("NWS",)),
        _a("n2", "nws.example", 1, credits=("NWS",)),
    ]
    (p,) = profile_outlets(arts, [], [])
    assert p.derived_share == 0.0 and not p.content_farm


def test_aggregator_of_excerpts_is_not_a_farm() -> None:
    arts = [_a("w", "wire.example", 0), _a("x1", "agg.example", 1), _a("x2", "agg.example", 2)]
    rels = [
        Relation("w", "x1", "excerpt", 1.0, 1.0, 0.9),
        Relation("w", "x2", "excerpt", 1.0, 1.0, 0.9),
    ]
    profiles = {p.outlet: p for p in profile_outlets(arts, rels, [])}
    assert profiles["agg.example"].derived_share == 1.0 and not profiles["agg.example"].content_farm


def test_rows_are_strings_in_column_order() -> None:
    p = OutletProfile("a.com", 2, 0.5, 0.5, None, None, None, False, "why")
    (row,) = outlet_rows([p])
    assert len(row) == len(OUTLET_COLUMNS) and row == [
        "a.com",
        "2",
        "50%",
        "50%",
        "-",
        "-",
        "-",
        "no",
        "why",
    ]
