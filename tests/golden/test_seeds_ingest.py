"""The seeds through the whole ingestion path (api.add -> SQLite store -> export).

These are the "Done when" lines of the foundation issue, on real third-party text read from
../shared/seeds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newslineage import api
from newslineage.model import Article

BOILERPLATE = (
    "The story continues under this ad",
    "Go Ad-Free",
    "Support HuffPost",
    "Log in to hide these messages",
    "offering an ad-free experience",
    "Already contributed?",
    "Source link",
)


@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict]:
    store = api.open_store(tmp_path_factory.mktemp("seeds") / "seeds.db")
    result = api.add([str(seeds_dir)], store)
    assert not result.skipped, [str(s) for s in result.skipped]
    by_ref: dict[str, Article] = {}
    for a in store.iter_articles():
        ref = a.origin_file[:3] if a.origin_item is None else f"feed{a.origin_item}"
        by_ref[ref] = a
    return store, by_ref


def test_eight_articles(seeded: tuple) -> None:
    store, by_ref = seeded
    assert store.count_articles() == 8
    assert sorted(by_ref) == ["000", "001", "002", "003", "feed0", "feed1", "feed2", "feed3"]


def test_titles_exactly_where_the_input_has_them(seeded: tuple) -> None:
    _, a = seeded
    assert a["000"].title is None
    assert a["001"].title is None
    assert a["002"].title == "NATO summit 2025: U.S. stance on Ukraine and defense spending"
    assert a["003"].title == "Hegseth Emphasizes European Defense Spending at NATO Press Conference"
    assert a["feed0"].title == "Video: A Mystery in the Baltic Sea"
    assert a["feed1"].title == (
        "NATO Is In Disarray After The U.S. Announces That Its Security Priorities Lie Elsewhere"
    )
    assert a["feed2"].title == "Pete Hegseth Calls NATO Membership For Ukraine Unrealistic"
    assert a["feed3"].title == "NATO Head And Trump Meet In Florida For Global Security Talks"


def test_dates_exactly_where_the_input_has_them(seeded: tuple) -> None:
    _, a = seeded
    assert a["000"].published == datetime(2025, 2, 11, tzinfo=UTC)
    for ref in ("001", "002", "003"):
        assert a[ref].published is None, ref
    assert a["feed0"].published == datetime(2025, 3, 31, 9, 2, 24, tzinfo=UTC)
    assert a["feed1"].published == datetime(2025, 2, 14, 4, 56, tzinfo=UTC)
    assert a["feed2"].published == datetime(2025, 2, 12, 15, 8, 42, tzinfo=UTC)
    assert a["feed3"].published == datetime(2024, 11, 23, 16, 45, 43, tzinfo=UTC)


def test_credits_links_and_outlets(seeded: tuple) -> None:
    _, a = seeded
    assert "AP" in a["feed1"].credits and "AP" in a["feed2"].credits
    assert "AP" in a["000"].credits
    assert any("nytimes.com" in link for link in a["feed0"].links)
    for ref in ("feed1", "feed2"):
        assert any("huffpost.com" in link for link in a[ref].links), ref
    for ref in ("feed0", "feed1", "feed2", "feed3"):
        assert a[ref].outlet == "eznews.xyz"
    for ref in ("000", "001", "002", "003"):
        assert a[ref].outlet is None and a[ref].url is None


def test_no_boilerplate_left(seeded: tuple) -> None:
    _, a = seeded
    for ref, article in a.items():
        for phrase in BOILERPLATE:
            assert phrase not in article.text, (ref, phrase)
    assert "Ta." not in a["001"].text.split()
    assert any(r.reason for r in a["001"].removed), "removals are recorded"


def test_reingest_is_a_no_op(seeded: tuple, seeds_dir: Path) -> None:
    store, _ = seeded
    again = api.add([str(seeds_dir)], store)
    assert (again.new, again.versions, again.unchanged) == (0, 0, 8)
    assert store.count_articles() == 8


def test_export_contract(seeded: tuple) -> None:
    from newslineage.contract import export_document

    store, _ = seeded
    doc = export_document(store)
    assert set(doc) >= {"articles", "relations", "stories", "findings", "outlets"}
    art = doc["articles"][0]
    for key in (
        "id",
        "url",
        "outlet",
        "title",
        "published",
        "first_seen",
        "language",
        "credits",
        "links",
        "origin_file",
        "origin_item",
        "external_id",
        "text",
    ):
        assert key in art
    assert {a["origin_file"] for a in doc["articles"]} >= {"004_16abede0b96b8d12.txt"}
