"""Article text and metadata from ingested documents: boilerplate, credits, source links."""

from __future__ import annotations

from newslineage.extract.article import extract_article
from newslineage.extract.clean import Cleaned, clean_text
from newslineage.extract.credits import find_credits
from newslineage.extract.language import detect_language
from newslineage.extract.links import outbound_links, registrable_domain

__all__ = [
    "Cleaned",
    "clean_text",
    "detect_language",
    "extract_article",
    "find_credits",
    "outbound_links",
    "registrable_domain",
]
