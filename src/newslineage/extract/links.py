"""Outbound links, the "Source link"/"via" target, and registrable domains (offline).

>>> registrable_domain("https://login.huffpost.com/x")
'huffpost.com'
>>> outbound_links(["https://a.org/1", "/rel", "mailto:x@y.z", "https://www.a.org/1#c",
...                 "https://b.com/"], own_domain="b.com")
('https://a.org/1', 'https://www.a.org/1#c')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "VIA_ANCHOR",
    "outbound_links",
    "registrable_domain",
    "urls_in_text",
    "via_in_text",
]

_URL = re.compile(r"https?://[^\s<>\"'“”‘’()\[\]{}]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?…»›"
# anchor texts that name the place the text was taken from
VIA_ANCHOR = re.compile(
    r"^(?:source(?: link| article)?|via|read more(?: at| on)?|originally published(?: at| on| by)?"
    r"|read the original(?: article| story)?|original (?:article|story)|quelle|fuente|kaynak"
    r"|źródło|المصدر|ماخذ)\b",
    re.IGNORECASE,
)
# plain-text trailers: "Source: https://...", "via https://...", "Read more at https://..."
_VIA_LINE = re.compile(
    r"(?:^|\n)\s*(?:source(?: link)?|via|read more(?: at| on)?|originally published(?: at| on)?"
    r"|quelle|fuente|kaynak|źródło)\s*:?\s*(?P<url>https?://\S+)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # the bundled Public Suffix List snapshot: never download it, never write a cache
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=1)
def _host_of() -> Any:
    from tldextract.remote import lenient_netloc

    return lenient_netloc


# host (as tldextract reads it off a URL) -> registrable domain. tldextract's answer depends
# on the host alone, and article URLs are all different: a cache keyed by the URL missed
# every time, and the lookup cost ~0.1 ms per article (profiled).
_DOMAINS: dict[str, str | None] = {}
_MAX_DOMAINS = 65_536  # bounded: cleared when full (a crawl may meet millions of hosts)


def registrable_domain(url: str) -> str | None:
    """The registrable domain ("eTLD+1") of a URL or host name, lower case; None if none."""
    url = url.strip()
    host = _host_of()(url)
    if host in _DOMAINS:
        return _DOMAINS[host]
    parts = _extractor()(url)
    if parts.domain and parts.suffix:
        found: str | None = f"{parts.domain}.{parts.suffix}".lower()
    else:
        found = parts.domain.lower() or None  # an IP address or "localhost"
    if len(_DOMAINS) >= _MAX_DOMAINS:
        _DOMAINS.clear()
    _DOMAINS[host] = found
    return found


def is_absolute_http(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def outbound_links(hrefs: Iterable[str], *, own_domain: str | None) -> tuple[str, ...]:
    """Absolute http(s) links that leave ``own_domain``, deduplicated in order."""
    seen: dict[str, None] = {}
    for href in hrefs:
        href = href.strip()
        if not is_absolute_http(href):
            continue  # relative, javascript:, mailto:, data:
        if own_domain and registrable_domain(href) == own_domain:
            continue
        seen.setdefault(href, None)
    return tuple(seen)


def urls_in_text(text: str) -> list[tuple[str, int, int]]:
    """URLs written in plain text, with their offsets; trailing punctuation left out."""
    found: list[tuple[str, int, int]] = []
    if "://" not in text:  # in every match; the regex scan costs ~20 µs per article
        return found
    for m in _URL.finditer(text):
        url = m.group().rstrip(_TRAILING_PUNCT)
        if is_absolute_http(url):
            found.append((url, m.start(), m.start() + len(url)))
    return found


def via_in_text(text: str) -> str | None:
    """The URL of the last "Source: …"/"via …"/"Read more at …" line of a plain text."""
    if "://" not in text:  # in every match; the regex scan costs ~40 µs per article
        return None
    matches = list(_VIA_LINE.finditer(text))
    if not matches:
        return None
    url = matches[-1].group("url").rstrip(_TRAILING_PUNCT)
    return url if is_absolute_http(url) else None
