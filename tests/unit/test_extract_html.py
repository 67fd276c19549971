"""HTML to text: fragments by our own walk, whole pages by trafilatura, and the fallback."""

from __future__ import annotations

from datetime import UTC, datetime

from newslineage.extract.html import extract_page, fallback_page_text, fragment_to_text

ARTICLE_PAGE = """<!doctype html><html><head>
<title>Allies weigh spending - Example Times</title>
<link rel="canonical" href="https://www.example.co.uk/world/allies-weigh-spending">
<meta name="author" content="Jane Roe">
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2025-02-12T10:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Allies weigh spending</h1>
{paragraphs}
</article>
<footer>Copyright Example Times. All rights reserved.</footer>
</body></html>"""
PARAGRAPH = (
    "<p>Paragraph {i}: NATO defence ministers met in Brussels on Wednesday and discussed "
    'how to <a href="https://apnews.com/story-{i}">raise military spending</a> across the '
    "alliance before the summit in The Hague.</p>"
)


def page() -> str:
    return ARTICLE_PAGE.format(paragraphs="\n".join(PARAGRAPH.format(i=i) for i in range(6)))


def test_fragment_blocks_become_paragraphs_and_links_stay_inline() -> None:
    html = (
        '<p> <br />\n</p><div><p>In just <a href="https://apnews.com/a">one\nspeech</a> by '
        '<a href="https://www.huffpost.com/t">Pete Hegseth</a>, allies worried.</p></div>'
        "<div><p>Second <em>paragraph</em>.</p></div>"
    )
    converted = fragment_to_text(html)
    assert converted.text == (
        "In just one speech by Pete Hegseth, allies worried.\n\nSecond paragraph."
    )
    hrefs = [(a.href, a.text) for a in converted.links]
    assert hrefs == [
        ("https://apnews.com/a", "one speech"),
        ("https://www.huffpost.com/t", "Pete Hegseth"),
    ]
    for anchor in converted.links:
        assert converted.text[anchor.start : anchor.end] == anchor.text


def test_fragment_line_breaks() -> None:
    html = "<p> <br />\n<br />First part.<br />Same paragraph.<br />\n<br /><br />\n<br /><a href='https://nytimes.com/v'>Source link </a></p>"
    converted = fragment_to_text(html)
    assert converted.text == "First part.\nSame paragraph.\n\nSource link"
    assert converted.links[0].text == "Source link"


def test_fragment_skips_scripts_and_images_but_keeps_captions() -> None:
    html = (
        "<p>Body text.</p><script>var x = 1;</script><style>p{}</style>"
        '<figure><img alt="alt text is not text" src="x.jpg"><figcaption>Hegseth listens. '
        "(AP Photo/Omar Havana)</figcaption></figure><p>More.</p>"
    )
    assert fragment_to_text(html).text == (
        "Body text.\n\nHegseth listens. (AP Photo/Omar Havana)\n\nMore."
    )


def test_fragment_records_furniture_hints() -> None:
    html = '<p>News.</p><div class="support-box"><h4>Give</h4><p>Please help.</p></div>'
    converted = fragment_to_text(html)
    assert converted.text == "News.\n\nGive\n\nPlease help."
    assert (converted.text.index("Give"), len(converted.text)) in converted.hints


def test_fragment_of_plain_words_and_empty_input() -> None:
    assert fragment_to_text("just   words &amp; more").text == "just words & more"
    assert fragment_to_text("   ").text == ""


def test_whole_page_by_trafilatura_with_metadata() -> None:
    found = extract_page(page(), "https://www.example.co.uk/world/allies-weigh-spending")
    assert found is not None
    converted, meta = found
    assert meta.title == "Allies weigh spending"
    assert meta.author == "Jane Roe"
    assert meta.sitename == "Example Times"
    assert meta.url == "https://www.example.co.uk/world/allies-weigh-spending"
    assert meta.published is not None and meta.published.date() == datetime(2025, 2, 12).date()
    assert meta.published.tzinfo == UTC
    assert "Paragraph 0: NATO defence ministers" in converted.text
    assert "\n\nParagraph 1:" in converted.text
    assert "Copyright" not in converted.text and "Home" not in converted.text
    assert [a.href for a in converted.links][:2] == [
        "https://apnews.com/story-0",
        "https://apnews.com/story-1",
    ]


def test_page_without_article_gives_none() -> None:
    nav_only = (
        "<html><head><title>Home</title></head><body><nav><ul><li><a href='/a'>World</a></li>"
        "<li><a href='/b'>Sports</a></li></ul></nav><footer>© 2025</footer></body></html>"
    )
    assert extract_page(nav_only) is None
    assert extract_page("") is None


def test_fallback_reads_main_paragraphs() -> None:
    html = (
        "<html><body><nav><p>Menu item</p></nav><main><h1>Title here</h1>"
        "<p>The first paragraph of the story is long enough.</p><div>widget</div>"
        "<p>The second one.</p></main></body></html>"
    )
    converted = fallback_page_text(html)
    assert converted is not None
    assert converted.text == (
        "Title here\n\nThe first paragraph of the story is long enough.\n\nThe second one."
    )
    assert fallback_page_text("<html><body><div>no paragraphs</div></body></html>") is None


def test_trafilatura_xml_is_extract_without_the_fingerprint(examples_dir) -> None:
    import re

    from newslineage.extract.html import _trafilatura_extract, trafilatura_xml

    pages = sorted(examples_dir.glob("corpus/*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for url in (None, "https://news.example/a"):
            full = _trafilatura_extract(html, url)
            assert full and 'fingerprint="' in full
            assert trafilatura_xml(html, url) == re.sub(r' fingerprint="[^"]*"', "", full)
