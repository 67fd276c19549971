"""Agencies and domains: who can be an origin outside the corpus.

A credit line naming a news agency ("BRUSSELS (AP) —") or a "Source link" to an outlet the
corpus does not hold names an external origin; direction (per pair) and stories (per
cluster) both ask these questions, so they are answered here once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newslineage.model import Article

#: news agencies whose credit line names an origin outside the publishing outlet
AGENCIES: frozenset[str] = frozenset(
    {"AP", "AFP", "REUTERS", "DPA", "ANSA", "EFE", "PA", "UPI", "XINHUA", "TASS", "ANP", "KYODO"}
)


def domain(url: str | None) -> str | None:
    """Host of ``url`` without ``www.``; None for no URL. ``domain("https://www.x.org/a")`` -> x.org."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


def external_origin(src: Article, der: Article, corpus_domains: set[str]) -> str | None:
    """An agency credited by the derived side but not carried by the source, else a via domain."""
    agencies = [c for c in der.credits if c.upper() in AGENCIES and c not in src.credits]
    if agencies:
        return agencies[0]
    via = domain(der.via)
    if via and via not in corpus_domains:
        return via
    return None
