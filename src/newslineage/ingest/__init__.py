"""Ingest: read feeds, OPML, HTML, WARC, JSONL, text, folders, globs, stdin and URLs into
:class:`~newslineage.model.Document` records (or :class:`~newslineage.model.Skipped`).

>>> from newslineage.ingest import IngestOptions, read_sources
>>> opts = IngestOptions(max_bytes=1_000_000)
"""

from __future__ import annotations

from .fetch import MetaStore, check_address, fetch_url, meta_key
from .sniff import decode_html, decode_text, sniff
from .sources import IngestOptions, read_bytes, read_sources

__all__ = [
    "IngestOptions",
    "MetaStore",
    "check_address",
    "decode_html",
    "decode_text",
    "fetch_url",
    "meta_key",
    "read_bytes",
    "read_sources",
    "sniff",
]
