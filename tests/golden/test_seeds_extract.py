"""Extraction on the real seed corpus (read from ../shared/seeds, never copied here)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from newslineage.extract import extract_article
from newslineage.model import Article, Document

SEEN = datetime(2025, 4, 1, tzinfo=UTC)
BOILERPLATE = (
    "The story continues under this ad",
    "Go Ad-Free",
    "Support HuffPost",
    "Log in to hide these messages",
    "we’re offering an ad-free experience",
    "Source link",
)


def seed(seeds_dir: Path, prefix: str) -> Path:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="module")
def plain(seeds_dir: Path) -> dict[str, Article]:
    found = {}
    for prefix in ("000", "001", "002", "003"):
        path = seed(seeds_dir, prefix)
        doc = Document(
            origin=str(path), body=path.read_text(encoding="utf-8"), body_is_html=False, kind="text"
        )
        art = extract_article(doc, first_seen=SEEN)
        assert isinstance(art, Article), art
        found[prefix] = art
    return found


@pytest.fixture(scope="module")
def feed(seeds_dir: Path) -> list[Article]:
    path = seed(seeds_dir, "004")
    parsed = feedparser.parse(path.read_bytes())
    assert len(parsed.entries) == 4
    articles = []
    for i, entry in enumerate(parsed.entries):
        doc = Document(
            origin=str(path),
            body=entry.content[0].value,
            body_is_html=True,
            kind="feed_item",
            origin_item=i,
            url=entry.link,
            title=entry.title,
            published=datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC),
            author=entry.get("author"),
            site="https://eznews.xyz",
        )
        art = extract_article(doc, first_seen=SEEN)
        assert isinstance(art, Article), art
        articles.append(art)
    return articles


def test_titles_only_where_the_input_has_them(plain: dict[str, Article]) -> None:
    assert plain["000"].title is None
    assert plain["001"].title is None
    assert plain["002"].title == "NATO summit 2025: U.S. stance on Ukraine and defense spending"
    assert (
        plain["003"].title
        == "Hegseth Emphasizes European Defense Spending at NATO Press Conference"
    )
    assert not plain["002"].text.startswith("NATO summit 2025")


def test_dates_only_where_the_input_has_them(plain: dict[str, Article]) -> None:
    assert plain["000"].published == datetime(2025, 2, 11, tzinfo=UTC)
    assert "date 2025-02-11" not in plain["000"].text
    assert plain["000"].text.startswith("BRUSSELS (AP) — U.S. Defense Secretary")
    for prefix in ("001", "002", "003"):
        assert plain[prefix].published is None
        assert plain[prefix].outlet is None


def test_credits(plain: dict[str, Article], feed: list[Article]) -> None:
    assert "AP" in plain["000"].credits
    assert plain["001"].credits == ()  # the machine-translated copy credits no one
    assert "translation: Iurie Tataru" in plain["002"].credits
    assert "AP" in feed[1].credits and "AP" in feed[2].credits
    assert "AP" not in feed[0].credits


def test_feed_links_outlet_and_via(feed: list[Article]) -> None:
    assert any("nytimes.com" in link for link in feed[0].links)
    for item in (1, 2, 3):
        assert any("huffpost.com" in link for link in feed[item].links)
    assert feed[0].via is not None and "nytimes.com" in feed[0].via
    assert feed[3].via is not None and "huffpost.com" in feed[3].via
    for art in feed:
        assert art.outlet == "eznews.xyz"
        assert not any("eznews.xyz" in link for link in art.links)
        assert not any("huffpost.com/support" in link for link in art.links)  # donation block
    assert [a.published.isoformat() for a in feed if a.published][:2] == [
        "2025-03-31T09:02:24+00:00",
        "2025-02-14T04:56:00+00:00",
    ]


def test_no_boilerplate_left(plain: dict[str, Article], feed: list[Article]) -> None:
    for art in [*plain.values(), *feed]:
        for phrase in BOILERPLATE:
            assert phrase not in art.text, (art.origin_file, art.origin_item, phrase)
        assert "Ta." not in art.text.split()
    reasons = [r.reason for r in plain["001"].removed]
    assert reasons.count("ad_debris") == 3 and reasons.count("scraper_debris") == 1
    for item in (1, 2):
        assert sum(r.reason == "donation_block" for r in feed[item].removed) >= 5


def test_article_text_survives_cleaning(plain: dict[str, Article], feed: list[Article]) -> None:
    assert plain["001"].text.endswith("in The Hague from June 24-26.")
    assert "keep Ukraine in the fight.”\nThe diplomat spoke" in plain["001"].text
    assert feed[1].text.endswith("all while arming Ukraine so it can defend itself.")
    assert "But Rutte has said they will need to raise that to 3% or more." in feed[1].text
    assert feed[2].text.endswith("Lolita C. Baldor in Washington contributed to this report.")
    assert "(AP Photo/Omar Havana)" in feed[2].text  # captions stay text
    assert "\n\n" in feed[2].text and " \n" not in feed[2].text


def test_sentences(plain: dict[str, Article], feed: list[Article]) -> None:
    counts = {prefix: len(art.sentences) for prefix, art in plain.items()}
    print("sentences per seed:", counts, "feed:", [len(a.sentences) for a in feed])
    assert 30 <= counts["001"] <= 36
    texts = plain["000"].sentence_texts()
    assert texts[0].startswith("BRUSSELS (AP) — U.S. Defense Secretary Pete Hegseth will")
    assert any("spend 3.5-3.7% of GDP" in s for s in texts)
    assert not any(s.endswith(("U.S.", "3.", "3.5-3.")) for s in texts)
    baldor = [s for s in feed[2].sentence_texts() if "Baldor" in s]
    assert baldor == [
        "Associated Press Writer Lolita C. Baldor in Washington contributed to this report."
    ]
    assert any(
        "more than $66.5 billion from the U.S., which" in s for s in feed[2].sentence_texts()
    )


def test_language_and_identity(plain: dict[str, Article], feed: list[Article]) -> None:
    articles = [*plain.values(), *feed]
    assert all(a.language == "en" for a in articles)
    assert len({a.id for a in articles}) == len(articles)
    assert plain["000"].key.startswith("file:/") and plain["000"].origin_file.startswith("000_")
    assert feed[2].key == feed[2].url and feed[2].origin_item == 2
