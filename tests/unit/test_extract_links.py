"""Links, via targets and registrable domains, all offline."""

from __future__ import annotations

from newslineage.extract.links import outbound_links, registrable_domain, urls_in_text, via_in_text


def test_registrable_domain_uses_the_public_suffix_list_offline() -> None:
    assert registrable_domain("https://login.huffpost.com/login?x=1") == "huffpost.com"
    assert registrable_domain("https://www.bbc.co.uk/news") == "bbc.co.uk"
    assert registrable_domain("https://eznews.xyz") == "eznews.xyz"
    assert registrable_domain("http://127.0.0.1:8000/a") == "127.0.0.1"


def test_outbound_links_filter_and_dedup() -> None:
    hrefs = [
        "https://apnews.com/a",
        "javascript:void(0)",
        "mailto:desk@example.com",
        "/relative/path",
        "https://eznews.xyz/other-story/",
        "https://sub.eznews.xyz/x",
        "https://apnews.com/a",
        "http://www.huffpost.com/entry/x",
    ]
    assert outbound_links(hrefs, own_domain="eznews.xyz") == (
        "https://apnews.com/a",
        "http://www.huffpost.com/entry/x",
    )
    assert len(outbound_links(hrefs, own_domain=None)) == 4


def test_urls_in_plain_text_drop_trailing_punctuation() -> None:
    text = "See https://apnews.com/article/x. Also (https://example.org/a?b=1), fine."
    found = urls_in_text(text)
    assert [u for u, _, _ in found] == ["https://apnews.com/article/x", "https://example.org/a?b=1"]
    for url, start, end in found:
        assert text[start:end] == url


def test_via_in_plain_text() -> None:
    assert via_in_text("Body.\n\nSource: https://www.huffpost.com/entry/x") == (
        "https://www.huffpost.com/entry/x"
    )
    assert via_in_text("Body.\nRead more at https://a.org/b.") == "https://a.org/b"
    assert via_in_text("Body with https://a.org/b inline.") is None
