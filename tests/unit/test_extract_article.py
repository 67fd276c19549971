"""extract_article end to end on documents built in the test (no network)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newslineage.extract import extract_article
from newslineage.model import Article, Document, Skipped
from newslineage.text import split_sentences

SEEN = datetime(2025, 3, 1, 12, tzinfo=UTC)
FEED_ITEM_HTML = """<p> <br /></p>
<div><p>BRUSSELS (AP) — In just <a href="https://apnews.com/article/one-speech">one speech</a>
by U.S. Defense Secretary <a href="https://www.huffpost.com/topic/pete-hegseth">Pete Hegseth</a>
this week, NATO was thrown into disarray.</p></div>
<div><p>See also <a href="https://eznews.xyz/other/">our coverage</a> and
<a href="javascript:void(0)">this</a>.</p></div>
<div class="cli-support-box" id="support-entry"><h4>Go Ad-Free — And Protect The Free Press</h4>
<p>For the first time, <a href="https://www.huffpost.com/support">we're offering an ad-free
experience</a> to qualifying contributors.</p>
<p><a href="https://www.huffpost.com/support">Support HuffPost</a></p></div>
<p><em>The Associated Press contributed to this report.</em></p>
<p><br /><a href="https://www.huffpost.com/entry/nato-explainer_n_1">Source link </a></p>"""


def feed_doc(**changes: object) -> Document:
    base = {
        "origin": "/data/feed.xml",
        "body": FEED_ITEM_HTML,
        "body_is_html": True,
        "kind": "feed_item",
        "origin_item": 1,
        "url": "https://eznews.xyz/world-news/nato-in-disarray/",
        "title": "NATO Is In Disarray",
        "published": datetime(2025, 2, 14, 4, 56, tzinfo=UTC),
        "author": "Sasa",
        "categories": ("World News", "NATO"),
        "site": "https://eznews.xyz",
    }
    base.update(changes)
    return Document(**base)  # type: ignore[arg-type]


def article(doc: Document, **kwargs: object) -> Article:
    result = extract_article(doc, first_seen=SEEN, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, Article), result
    return result


def test_feed_item_text_links_credits_and_via() -> None:
    art = article(feed_doc())
    assert art.text == (
        "BRUSSELS (AP) — In just one speech by U.S. Defense Secretary Pete Hegseth this week, "
        "NATO was thrown into disarray.\n\nSee also our coverage and this.\n\n"
        "The Associated Press contributed to this report."
    )
    assert art.links == (
        "https://apnews.com/article/one-speech",
        "https://www.huffpost.com/topic/pete-hegseth",
        "https://www.huffpost.com/entry/nato-explainer_n_1",
    )
    assert art.via == "https://www.huffpost.com/entry/nato-explainer_n_1"
    assert art.credits == ("AP",)
    assert art.outlet == "eznews.xyz"
    assert art.title == "NATO Is In Disarray"
    assert art.author == "Sasa" and art.categories == ("World News", "NATO")
    assert art.origin_file == "feed.xml" and art.origin_item == 1
    assert {r.reason for r in art.removed} == {"donation_block", "source_trailer"}
    assert art.raw_ref is None and art.first_seen == SEEN


def test_identity_fields() -> None:
    art = article(feed_doc())
    assert art.key == "https://eznews.xyz/world-news/nato-in-disarray/"
    assert art.id == hashlib.sha256((art.key + "\0" + art.text).encode()).hexdigest()[:16]
    assert art.content_hash == hashlib.sha256(art.text.encode()).hexdigest()[:16]
    assert art.sentences == tuple(split_sentences(art.text, art.language))
    assert art.span(*art.sentences[0]).of(art.text).startswith("BRUSSELS (AP) —")


def test_file_key_uses_absolute_path_and_item(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    doc = Document(str(path), "Allies met in Brussels on Monday.", False, "text")
    art = article(doc)
    assert art.key == f"file:{path.resolve()}"
    assert art.origin_file == "story.txt" and art.url is None
    item = article(Document(str(path), "Allies met.", False, "jsonl", origin_item=3))
    assert item.key == f"file:{path.resolve()}#3"
    assert item.id != art.id


@pytest.mark.parametrize(
    ("changes", "default", "expected"),
    [
        ({"outlet": "Given Label"}, "cli", "Given Label"),
        ({}, "cli", "eznews.xyz"),
        ({"url": None}, "cli", "eznews.xyz"),
        ({"url": None, "site": None}, "cli", "cli"),
        ({"url": None, "site": None}, None, None),
    ],
)
def test_outlet_precedence(
    changes: dict[str, object], default: str | None, expected: str | None
) -> None:
    assert article(feed_doc(**changes), default_outlet=default).outlet == expected


def test_language_detected_given_or_unknown() -> None:
    german = (
        "Die Verteidigungsminister der Nato treffen sich am Donnerstag in Brüssel. Es geht um Geld."
    )
    assert article(Document("de.txt", german, False, "text")).language == "de"
    assert article(Document("x.txt", german, False, "text", language="en")).language == "en"
    assert article(Document("short.txt", "NATO now.", False, "text")).language is None


def test_published_is_utc_and_never_invented() -> None:
    naive = article(feed_doc(published=datetime(2025, 2, 14, 4, 56)))
    assert naive.published == datetime(2025, 2, 14, 4, 56, tzinfo=UTC)
    plus_two = timezone(timedelta(hours=2))
    aware = article(feed_doc(published=datetime(2025, 2, 14, 6, 56, tzinfo=plus_two)))
    assert aware.published == datetime(2025, 2, 14, 4, 56, tzinfo=UTC)
    assert aware.published.tzinfo == UTC
    plain = article(Document("a.txt", "Allies met in Brussels on Monday.", False, "text"))
    assert (plain.published, plain.title, plain.outlet) == (None, None, None)


def test_plain_text_links_and_via() -> None:
    body = (
        "Allies meet in Brussels\nBRUSSELS (AP) — Allies met, as https://apnews.com/a reported.\n"
        "Source: https://www.huffpost.com/entry/x\nhttps://mysite.org/self"
    )
    art = article(Document("a.txt", body, False, "text", url="https://mysite.org/story"))
    assert art.title == "Allies meet in Brussels"
    assert not art.text.startswith("Allies meet in Brussels")
    assert art.links == ("https://apnews.com/a", "https://www.huffpost.com/entry/x")
    assert art.via == "https://www.huffpost.com/entry/x"
    assert "huffpost.com" in art.credits


def test_removal_offsets_point_into_the_pre_clean_text() -> None:
    body = "First line of the story.\nThe story continues under this ad\nLast line.” Ta."
    art = article(Document("a.txt", body, False, "text"))
    assert art.text == "First line of the story.\nLast line.”"
    for removal in art.removed:
        assert body[removal.offset : removal.offset + len(removal.text)] == removal.text


def test_empty_after_cleaning_is_skipped_with_reason() -> None:
    result = extract_article(
        Document("ads.txt", "Advertisement\nSource link", False, "text", origin_item=None),
        first_seen=SEEN,
    )
    assert isinstance(result, Skipped)
    assert result.input == "ads.txt" and "empty text after removing 2" in result.reason
    blank = extract_article(feed_doc(body="<p> <br/> </p>"), first_seen=SEEN)
    assert isinstance(blank, Skipped) and blank.item == 1


def test_whole_page_uses_trafilatura_metadata() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i}: NATO defence ministers met in Brussels on Wednesday to discuss "
        f'<a href="https://apnews.com/s{i}">spending</a> before the summit in The Hague.</p>'
        for i in range(6)
    )
    page = (
        "<html><head><title>Allies weigh spending | Example</title>"
        '<link rel="canonical" href="https://www.example.co.uk/allies">'
        '<meta property="article:published_time" content="2025-02-12T10:30:00Z"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Allies weigh spending</h1>{paragraphs}"
        "</article></body></html>"
    )
    art = article(Document("page.html", page, True, "html"))
    assert art.title == "Allies weigh spending"
    assert art.url == "https://www.example.co.uk/allies" and art.key == art.url
    assert art.outlet == "example.co.uk"
    assert art.published == datetime(2025, 2, 12, tzinfo=UTC)
    assert art.text.startswith("Paragraph 0: NATO")  # the <h1> repeating the title is gone
    assert "\n\nParagraph 1:" in art.text
    assert art.links[0] == "https://apnews.com/s0" and len(art.links) == 6


def test_page_without_article_is_skipped() -> None:
    page = (
        "<html><head><title>Index</title></head><body><nav><a href='/a'>A</a></nav></body></html>"
    )
    result = extract_article(Document("index.html", page, True, "html"), first_seen=SEEN)
    assert isinstance(result, Skipped)
    assert result.reason.startswith("no article text found") and ";" in result.reason
