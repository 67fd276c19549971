"""``read_sources``: turn what the user named (files, folders, globs, URLs, ``-``) into
Documents, recording every input that yields nothing as a Skipped with the reason and fix.

>>> from pathlib import Path; import tempfile
>>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("Hello world.")
>>> [type(d).__name__ for d in read_sources([str(folder / "a.txt"), str(folder / "missing.txt")])]
['Document', 'Skipped']
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from ..errors import NewslineageError
from ..extract.plaintext import unreadable_date_token
from ..model import Document, Skipped
from .feeds import opml_feed_urls, parse_feed
from .fetch import FetchPolicy, MetaStore, fetch_url, meta_key
from .files import (
    TRUNCATED_GZIP,
    expand_path,
    gunzip,
    gunzip_prefix,
    html_document,
    parse_json,
    parse_jsonl,
    parse_warc,
    read_path_bytes,
    text_document,
)
from .repair import display_name, repair_document, repair_skipped
from .sniff import sniff

Item = Document | Skipped
STDIN_ORIGIN = "<stdin>"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_MAX_GZIP_DEPTH = 2  # a .gz inside a .gz is plausible; deeper nesting is a zip bomb


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to read sources. ``meta`` (e.g. the Store) remembers ETag / Last-Modified for
    conditional GET; ``stdin`` is read when a source is ``-`` (default: ``sys.stdin``);
    ``backoff`` is the first retry delay in seconds (doubled on each retry)."""

    allow_private: bool = False  # fetch private/loopback addresses (off: SSRF guard)
    max_bytes: int = 50_000_000  # per source, after decompression (gzip bombs stop here)
    timeout: float = 20.0  # seconds per HTTP request
    retries: int = 3  # HTTP retries on timeouts and 5xx, with exponential backoff
    # sent with every request, naming the tool and where to read about it
    user_agent: str = (
        "newslineage/0.1 (news lineage research tool; +https://github.com/newslineage/newslineage)"
    )
    meta: MetaStore | None = None
    stdin: BinaryIO | None = None
    backoff: float = 0.5  # first retry delay in seconds, doubled on each retry

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(
            allow_private=self.allow_private,
            max_bytes=self.max_bytes,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            user_agent=self.user_agent,
        )


def read_sources(
    sources: Sequence[str | PathLike[str]], options: IngestOptions | None = None
) -> Iterator[Document | Skipped]:
    """Yield a Document per article-like item in ``sources``, a Skipped per bad input or item.

    Never raises for bad input and never prints; one bad input never stops the others.

    >>> list(read_sources(["/no/such/file.txt"]))[0].reason
    'no such file or directory; check the path'
    """
    opts = options if options is not None else IngestOptions()
    if isinstance(sources, str | PathLike):
        sources = [sources]  # one source, not a sequence of characters
    for item in _read_all(sources, opts):
        if isinstance(item, Skipped):
            yield repair_skipped(item)
            continue
        doc, notice = repair_document(item)
        if notice is not None:
            yield notice
        yield doc


def _read_all(sources: Sequence[str | PathLike[str]], opts: IngestOptions) -> Iterator[Item]:
    for source in sources:
        name = str(source)
        if name == "-":
            yield from _guarded(name, lambda: _read_stdin(opts))
        elif _SCHEME.match(name):
            yield from _guarded(name, lambda name=name: _read_url(name, opts, in_opml=False))
        else:
            yield from _read_paths(name, opts)


def _guarded(source: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Run one input's reader; turn its errors into a Skipped so the batch goes on."""
    try:
        yield from produce()
    except NewslineageError as exc:
        reason = f"{exc.problem}; {exc.fix}" if exc.fix else exc.problem
        yield Skipped(exc.where or source, reason)
    except Exception as exc:  # last line of defence: a parser bug must not lose the batch
        yield Skipped(
            source,
            f"could not be read ({type(exc).__name__}: {exc}); "
            "this is a bug in newslineage, please report it with the file",
        )


def _read_paths(source: str, opts: IngestOptions) -> Iterator[Item]:
    for found in expand_path(source):
        if isinstance(found, Skipped):
            yield found
            continue
        origin = display_name(str(found))
        if origin != str(found):
            yield Skipped(
                origin,
                "the file name is not valid UTF-8, so it is shown with \\x escapes; "
                "the file is read all the same (rename it to show its name as is)",
                error=False,
            )
        yield from _guarded(
            origin, lambda found=found, origin=origin: _read_file(found, origin, opts)
        )


def _read_file(path: Path, origin: str, opts: IngestOptions) -> Iterator[Item]:
    data = read_path_bytes(path, opts.max_bytes)
    if isinstance(data, Skipped):
        yield data
        return
    yield from read_bytes(data, origin, opts)


def _read_stdin(opts: IngestOptions) -> Iterator[Item]:
    stream = opts.stdin if opts.stdin is not None else sys.stdin.buffer
    data = stream.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        yield Skipped(
            STDIN_ORIGIN,
            f"standard input is over the size cap of {opts.max_bytes:,} bytes; "
            "raise --max-bytes to read it",
        )
        return
    yield from read_bytes(data, STDIN_ORIGIN, opts)


def _read_url(url: str, opts: IngestOptions, in_opml: bool) -> Iterator[Item]:
    match = _SCHEME.match(url)
    if match is None:
        yield Skipped(url, "not an absolute URL; write the full http(s):// address")
        return
    scheme = match.group(1).lower()
    if scheme not in ("http", "https"):
        yield Skipped(url, f"{scheme}: URLs are not supported; pass an http(s) URL or a path")
        return
    fetched = fetch_url(url, opts.fetch_policy(), opts.meta)
    if fetched.status == 304:
        yield Skipped(url, "not modified since last fetch", error=False)
        return
    yield from read_bytes(
        fetched.data,
        url,
        opts,
        url=fetched.url,
        content_type=fetched.content_type,
        in_opml=in_opml,
    )
    # remembered only once every document was taken, so an interrupted run refetches
    if fetched.validators and opts.meta is not None:
        opts.meta.set_meta(meta_key(url), fetched.validators)


def read_bytes(
    data: bytes,
    origin: str,
    options: IngestOptions | None = None,
    *,
    url: str | None = None,
    content_type: str | None = None,
    in_opml: bool = False,
    depth: int = 0,
) -> Iterator[Document | Skipped]:
    """Documents from one blob of bytes, recognised by content (``origin`` names it in
    messages; ``url`` is set when it was fetched)."""
    opts = options if options is not None else IngestOptions()
    name = urlsplit(url).path if url else origin
    what = sniff(data, name)
    kind = what.kind
    if kind == "text" and content_type and "html" in content_type.lower():
        kind = "html"  # a server saying text/html about a tag-less page
    if kind == "empty":
        noun = "empty response" if url else "empty file"
        yield Skipped(origin, f"{noun}; nothing to ingest (check it was written completely)")
    elif kind in ("binary", "xml"):
        yield Skipped(origin, f"{what.detail}, not text, HTML, a feed, JSONL or WARC; {what.fix}")
    elif kind == "gzip":
        yield from _read_gzip(data, origin, opts, url, in_opml, depth)
    elif kind == "warc":
        yield from parse_warc(data, origin, opts.max_bytes)
    elif kind == "feed":
        yield from parse_feed(data, origin)
    elif kind == "opml":
        yield from _read_opml(data, origin, opts, url, in_opml)
    elif kind == "html":
        yield html_document(data, origin, url, content_type)
    elif kind == "jsonl":
        yield from parse_jsonl(data, origin)
    elif kind == "json":
        yield from parse_json(data, origin)
    else:
        yield from _text_items(data, origin, url)


def _text_items(data: bytes, origin: str, url: str | None) -> Iterator[Item]:
    """A plain text, after a notice when its leading date token cannot be read."""
    doc = text_document(data, origin, url)
    date = None if isinstance(doc, Skipped) else unreadable_date_token(doc.body)
    if date is not None:
        yield Skipped(
            origin,
            f"the leading date {date[:40]!r} is not a date in years 1-9999 (UTC), so the date "
            "is left unknown and the token stays in the text; check the year and UTC offset",
            error=False,
        )
    yield doc


def _read_gzip(
    data: bytes, origin: str, opts: IngestOptions, url: str | None, in_opml: bool, depth: int
) -> Iterator[Item]:
    if depth >= _MAX_GZIP_DEPTH:
        yield Skipped(origin, "gzip nested too deeply; decompress it by hand first")
        return
    out = gunzip(data, origin, opts.max_bytes)
    if isinstance(out, Skipped) and out.reason == TRUNCATED_GZIP:
        yield from _read_truncated_gzip(data, out, opts)
        return
    if isinstance(out, Skipped):
        yield out
        return
    yield from read_bytes(out, origin, opts, url=url, in_opml=in_opml, depth=depth + 1)


def _read_truncated_gzip(data: bytes, skipped: Skipped, opts: IngestOptions) -> Iterator[Item]:
    """A truncated .warc.gz still gives the records before the cut (the last one, cut off,
    is reported by the WARC reader); any other truncated content is skipped whole, since a
    cut-off text or page would be stored as if complete."""
    prefix = gunzip_prefix(data, opts.max_bytes)
    if len(prefix) > opts.max_bytes or sniff(prefix, skipped.input).kind != "warc":
        yield skipped
        return
    yield from parse_warc(prefix, skipped.input, opts.max_bytes)


def _read_opml(
    data: bytes, origin: str, opts: IngestOptions, url: str | None, in_opml: bool
) -> Iterator[Item]:
    if in_opml:
        yield Skipped(origin, "an OPML list inside an OPML list is not followed; pass it directly")
        return
    feeds = opml_feed_urls(data, origin)
    if isinstance(feeds, Skipped):
        yield feeds
        return
    for feed in feeds:
        target = _join(url, feed)
        yield from _guarded(target, lambda target=target: _read_url(target, opts, in_opml=True))


def _join(base: str | None, ref: str) -> str:
    """Resolve a relative xmlUrl against the OPML's own URL (files have no base)."""
    if base is None or _SCHEME.match(ref):
        return ref
    try:
        return str(httpx.URL(base).join(ref))
    except (httpx.InvalidURL, ValueError):
        return ref
