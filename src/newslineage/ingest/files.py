"""Local inputs: paths, directories and globs, and the readers for HTML, plain text,
JSONL/JSON, WARC and gzip content (wherever the bytes came from).

>>> doc = text_document(b"BRUSSELS (AP) - Hello.", "a.txt")
>>> doc.kind, doc.body_is_html, doc.title
('text', False, None)
"""

from __future__ import annotations

import contextlib
import email.utils
import fnmatch
import glob
import gzip
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from ..model import Document, Skipped
from .sniff import charset_from_content_type, decode_html, decode_text

Item = Document | Skipped

_GLOB_CHARS = frozenset("*?[")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_STR_FIELDS = ("url", "outlet", "title", "language", "author")


# --- paths ------------------------------------------------------------------------------


def expand_path(source: str) -> Iterator[Path | Skipped]:
    """The files a path, directory (recursive, sorted, hidden names skipped) or glob names."""
    path = Path(source).expanduser()
    if path.is_dir():
        yield from _walk(path, source)
    elif path.exists() or path.is_symlink():
        yield path
    elif _GLOB_CHARS & set(source):
        yield from _glob(source)
    else:
        yield Skipped(source, "no such file or directory; check the path")


def _glob(pattern: str) -> Iterator[Path | Skipped]:
    pattern = os.path.expanduser(pattern)
    if "**" in Path(pattern).parts:
        matches = sorted(set(recursive_glob(pattern)))
    else:  # without "**" the pattern's depth bounds the search: no link loop can trap it
        matches = sorted(glob.glob(pattern))
    if not matches:
        yield Skipped(pattern, "no file matches this pattern; check the pattern and folder")
        return
    for match in matches:
        path = Path(match)
        yield from (_walk(path, match) if path.is_dir() else [path])


def recursive_glob(pattern: str) -> Iterator[str]:
    """What ``glob.glob(pattern, recursive=True)`` finds, but a directory link that leads back
    into a folder already searched is not entered again (``glob`` loops forever on those).

    Hidden names match only a pattern part that starts with a dot, as with ``glob``.
    """
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    base = os.path.join(*parts[:first]) if first else os.curdir
    for found in _match_parts(base, parts[first:], set()):
        yield found[len(os.curdir + os.sep) :] if not first else found


def _match_parts(folder: str, parts: tuple[str, ...], seen: set[tuple[str, int]]) -> Iterator[str]:
    if not parts:
        yield folder
        return
    head, rest = parts[0], parts[1:]
    if head == "**":
        # a folder is searched once per remaining pattern: a link loop ends at its second visit
        key = (os.path.realpath(folder), len(parts))
        if key in seen:
            return
        seen.add(key)
        yield from _match_parts(folder, rest, seen)
        for name in _names(folder, hidden=False):
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                yield from _match_parts(path, parts, seen)
            elif not rest:  # a trailing "**" names files too
                yield path
    elif glob.has_magic(head):
        for name in _names(folder, hidden=head.startswith(".")):
            if fnmatch.fnmatch(name, head):
                yield from _match_parts(os.path.join(folder, name), rest, seen)
    elif os.path.lexists(os.path.join(folder, head)):
        yield from _match_parts(os.path.join(folder, head), rest, seen)


def _names(folder: str, hidden: bool) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:  # not a folder, unreadable, or vanished: it holds no match
        return []
    return sorted(n for n in names if hidden or not n.startswith("."))


# A folder's own documentation (README.md beside a corpus) describes the articles; it is
# not one of them. Walks skip it with a notice; naming the file ingests it.
_FOLDER_DOCS = frozenset(
    {"readme", "license", "licence", "copying", "changelog", "notice", "authors"}
)


def _is_folder_doc(name: str) -> bool:
    return name.split(".", 1)[0].lower() in _FOLDER_DOCS


def _walk(top: Path, source: str) -> Iterator[Path | Skipped]:
    found: list[Path] = []
    docs: list[Path] = []
    for folder, dirnames, filenames in os.walk(top):
        # pruning in place stops os.walk descending into hidden folders (.git, .cache)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if not f.startswith("."):
                (docs if _is_folder_doc(f) else found).append(Path(folder, f))
    for doc in sorted(docs):
        yield Skipped(
            str(doc),
            "the folder's own documentation, not an article; name the file itself to ingest it",
            error=False,
        )
    if not found:
        yield Skipped(source, "the folder holds no (non-hidden) files; nothing to ingest")
    yield from sorted(found)


def read_path_bytes(path: Path, cap: int) -> bytes | Skipped:
    """The file's bytes, or Skipped when it is missing, unreadable or over ``cap`` bytes."""
    origin = str(path)
    try:
        if not path.is_file():
            return Skipped(origin, "not a regular file (a broken link, device or socket)")
        size = path.stat().st_size
        if size > cap:
            return _over_cap(origin, size, cap)
        with path.open("rb") as fh:
            data = fh.read(cap + 1)  # the file may have grown since stat
    except OSError as exc:
        return Skipped(origin, f"cannot read it ({exc.strerror or exc}); check the permissions")
    return _over_cap(origin, len(data), cap) if len(data) > cap else data


def _over_cap(origin: str, size: int, cap: int) -> Skipped:
    return Skipped(
        origin,
        f"{size:,} bytes is over the size cap of {cap:,} bytes; raise --max-bytes to read it",
    )


# --- HTML and text ---------------------------------------------------------------------


def html_document(
    data: bytes, origin: str, url: str | None = None, content_type: str | None = None
) -> Document:
    """An HTML file or page as one Document (``url`` is the fetched URL, None for files)."""
    body = decode_html(data, charset_from_content_type(content_type))
    return Document(origin=origin, body=body, body_is_html=True, kind="html", url=url, raw=data)


def text_document(data: bytes, origin: str, url: str | None = None) -> Document | Skipped:
    """A plain-text file as one Document; titles and dates are left to the extractor."""
    body = decode_text(data)
    if not body.strip():  # e.g. only no-break spaces, which bytes-level checks miss
        return Skipped(origin, "only white space; nothing to ingest")
    return Document(origin=origin, body=body, body_is_html=False, kind="text", url=url, raw=data)


# --- JSONL / JSON ------------------------------------------------------------------------


def parse_jsonl(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    """One Document per JSON line; a bad line is Skipped (1-based ``line``), the rest read."""
    any_line = False
    for index, raw in enumerate(_lines(data)):
        if not raw.strip():
            continue
        any_line = True
        try:
            obj = json.loads(decode_text(raw.rstrip(b"\r")))
        except ValueError as exc:
            yield Skipped(
                origin,
                f"not valid JSON ({exc}); write one JSON object per line",
                line=index + 1,
            )
            continue
        yield from _record(obj, origin, index, raw, line=index + 1)
    if not any_line:
        yield Skipped(origin, "empty file; nothing to ingest")


def _lines(data: bytes) -> Iterator[bytes]:
    """``data.split(b"\n")`` one line at a time: a shard of records is not copied whole."""
    start = 0
    while (end := data.find(b"\n", start)) >= 0:
        yield data[start:end]
        start = end + 1
    yield data[start:]


def parse_json(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    """A whole JSON document (one record or a list of records); otherwise read as JSONL so
    each bad line is reported with its number."""
    try:
        obj = json.loads(decode_text(data))
    except ValueError:
        yield from parse_jsonl(data, origin)
        return
    if isinstance(obj, dict):
        yield from _record(obj, origin, 0, data, line=None)
        return
    if not isinstance(obj, list) or not obj:
        yield Skipped(origin, "JSON holds no records; write one object per line (JSONL)")
        return
    for index, item in enumerate(obj):
        raw = json.dumps(item, ensure_ascii=False).encode("utf-8")
        yield from _record(item, origin, index, raw, line=None)


def _record(obj: Any, origin: str, index: int, raw: bytes, line: int | None) -> Iterator[Item]:
    """The record's Document, after a notice per field it could not take as written; or
    a Skipped saying why the record was not read."""
    where = {"item": index} if line is None else {"line": line}
    notes: list[str] = []
    try:
        doc = _record_document(obj, origin, index, raw, notes)
    except ValueError as exc:
        yield Skipped(origin, str(exc), **where)  # type: ignore[arg-type]
        return
    for note in notes:
        yield Skipped(origin, note, error=False, **where)  # type: ignore[arg-type]
    yield doc


def _record_document(obj: Any, origin: str, index: int, raw: bytes, notes: list[str]) -> Document:
    """Fields id, url, outlet, title, text or html, published, language (author optional);
    a field that is set aside (a date out of range, a malformed language) adds to ``notes``."""
    if not isinstance(obj, dict):
        raise ValueError(
            f"a JSON {type(obj).__name__}, not an object; write one {{...}} record per line"
        )
    fields = {name: _opt_str(obj, name) for name in _STR_FIELDS}
    text, markup = _opt_str(obj, "text"), _opt_str(obj, "html")
    if not (text and text.strip()) and not (markup and markup.strip()):
        raise ValueError(
            'the record has no "text" or "html"; add the article body as "text" (plain) or "html"'
        )
    body_is_html = not (text and text.strip())
    return Document(
        origin=origin,
        body=markup if body_is_html else text,  # type: ignore[arg-type]
        body_is_html=body_is_html,
        kind="jsonl",
        origin_item=index,
        url=fields["url"],
        title=fields["title"],
        published=_record_date(obj.get("published"), notes),
        author=fields["author"],
        language=_record_language(fields["language"], notes),
        external_id=_record_id(obj.get("id")),
        outlet=fields["outlet"],
        raw=raw,
    )


# ISO 639-1 or 639-2/3 letters, optionally with a BCP 47 region or script ("pt-BR", "zh-Hant")
_LANGUAGE = re.compile(r"(?P<code>[a-z]{2,3})(?:[-_][a-z0-9]{2,8})*")


def _record_language(value: str | None, notes: list[str]) -> str | None:
    """The record's ISO 639 code (lower case, without region); None means "detect it"."""
    if value is None or not value.strip():
        return None
    m = _LANGUAGE.fullmatch(value.strip().lower())
    if m is None:
        notes.append(
            f'"language" {value[:40]!r} is not an ISO 639 code, so the language is detected '
            'from the text; write a 2-3 letter code such as "en" or "deu", or leave it out'
        )
        return None
    return m.group("code")


def _opt_str(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise ValueError(f'"{name}" must be a string, not {type(value).__name__}; quote it')


def _record_id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f'"id" must be a string or an integer, not {type(value).__name__}')


def _record_date(value: Any, notes: list[str]) -> datetime | None:
    if value is None or value == "":
        return None
    moment = _parse_moment(value) if isinstance(value, str | int | float) else None
    if moment is None:
        raise ValueError(
            f'"published" {value!r} is not a date; write ISO 8601 such as '
            '"2025-02-11T09:30:00Z", or leave it out'
        )
    utc = to_utc(moment)
    if utc is None:
        notes.append(
            f'"published" {value!r} falls outside years 1-9999 in UTC, so the date is left '
            "unknown; check the year and the UTC offset"
        )
    return utc


def parse_date(value: str | float) -> datetime | None:
    """ISO 8601, RFC 2822 or a Unix timestamp -> tz-aware UTC datetime (naive means UTC).

    >>> parse_date("2025-02-11").isoformat()
    '2025-02-11T00:00:00+00:00'
    >>> parse_date("Tue, 11 Feb 2025 10:00:00 +0100").isoformat()
    '2025-02-11T09:00:00+00:00'
    """
    return to_utc(_parse_moment(value))


def to_utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC (naive means UTC), or None when UTC falls outside years 1-9999.

    >>> to_utc(datetime.fromisoformat("9999-12-31T23:59:59-23:59")) is None
    True
    """
    if moment is None or moment.tzinfo is None:
        return None if moment is None else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # a date near year 1 or 9999 whose offset pushes it past the range
        return None


def _parse_moment(value: str | float) -> datetime | None:
    """The date as written (its own offset, maybe naive), or None when it is not a date."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        return _parse_date_text(value.strip())
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None


def _parse_date_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return email.utils.parsedate_to_datetime(text)


# --- WARC ---------------------------------------------------------------------------------


def parse_warc(data: bytes, origin: str, cap: int) -> Iterator[Document | Skipped]:
    """One Document per HTML ``response`` (or ``resource``) record; ``origin_item`` is the
    record's index in the file and ``url`` its WARC-Target-URI."""
    records = iter(ArchiveIterator(io.BytesIO(data), arc2warc=True))
    complaints = io.StringIO()  # warcio writes damage warnings to stderr; we report them
    found = False
    for index in itertools.count():
        try:
            with contextlib.redirect_stderr(complaints):
                record = next(records, None)
                item = None if record is None else _warc_item(record, origin, index, cap)
        # warcio raises ArchiveLoadFailed, but also AttributeError/ValueError from deep
        # inside on damaged headers: all mean "the file is damaged here", not a bug of ours
        except Exception as exc:
            yield _damaged_warc(origin, index, f"{type(exc).__name__}: {exc}")
            return
        if record is None:
            break
        if isinstance(item, Document) and _cut_off(record):
            yield _damaged_warc(origin, index, "its last record is cut off")
            return  # nothing can follow a cut-off record
        if item is not None:
            found = found or isinstance(item, Document)
            yield item
    if complaints.getvalue().strip():
        first = complaints.getvalue().strip().splitlines()[0]
        yield _damaged_warc(origin, None, first)
    elif not data.endswith((b"\r\n\r\n", b"\n\n")):
        # every WARC record ends with two newlines; warcio silently drops a cut-off last one
        yield _damaged_warc(origin, None, "it ends in the middle of a record: truncated?")
    elif not found:
        yield Skipped(origin, "the WARC holds no HTML response records; nothing to ingest")


def _cut_off(record: Any) -> bool:
    """True when the file ended before the record's Content-Length (read after its payload)."""
    return getattr(record.raw_stream, "limit", 0) > 0


def _damaged_warc(origin: str, index: int | None, problem: str) -> Skipped:
    where = f"at record {index}" if index is not None else "near its end"
    return Skipped(
        origin,
        f"the WARC is damaged {where} ({problem}); the records before it were read; "
        "re-download or repair the file",
        item=index,
    )


def _warc_item(record: Any, origin: str, index: int, cap: int) -> Document | Skipped | None:
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else None
    if record.rec_type == "response" and headers is None:
        return None  # e.g. a dns: response
    ctype = (headers or record.rec_headers).get_header("Content-Type") or ""
    if not ctype.lower().startswith(_HTML_TYPES):
        return None  # images, scripts, css: not article-like
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = headers.get_statuscode() if headers is not None else "200"
    if not str(status).startswith("2"):
        reason = f"HTTP {status} response for {url}, not a page; nothing to ingest"
        return Skipped(origin, reason, item=index, error=False)
    payload = record.content_stream().read(cap + 1)
    if len(payload) > cap:
        return _over_cap(f"{origin} record {index}", len(payload), cap)
    if not payload.strip():
        return Skipped(origin, f"empty HTML response for {url}", item=index)
    body = decode_html(payload, charset_from_content_type(ctype))
    return Document(
        origin=origin,
        body=body,
        body_is_html=True,
        kind="warc",
        origin_item=index,
        url=url,
        raw=payload,
    )


# --- gzip -----------------------------------------------------------------------------------


TRUNCATED_GZIP = "the gzip stream is truncated; re-download or re-compress the file"


def gunzip_prefix(data: bytes, cap: int) -> bytes:
    """What a truncated gzip stream holds before the cut (at most ``cap + 1`` bytes).

    ``GzipFile`` drops it all on a truncated stream; a WARC's intact records are worth
    keeping (a crawl cut short by a full disk still holds them).
    """
    out = bytearray()
    rest = data
    try:
        while rest and len(out) <= cap:
            inflater = zlib.decompressobj(wbits=31)  # one gzip member
            chunk, rest = rest, b""
            while chunk and len(out) <= cap:
                out += inflater.decompress(chunk, cap + 1 - len(out))
                chunk = inflater.unconsumed_tail
            rest = inflater.unused_data if inflater.eof else b""
    except zlib.error:
        pass  # damaged past here: keep what came before
    return bytes(out[: cap + 1])


def gunzip(data: bytes, origin: str, cap: int) -> bytes | Skipped:
    """Decompress (all members), refusing truncated streams and output over ``cap``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(cap + 1)
    except EOFError:
        return Skipped(origin, TRUNCATED_GZIP)
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        return Skipped(origin, f"damaged gzip data ({exc}); re-download or re-compress the file")
    if len(out) > cap:
        return Skipped(
            origin,
            f"decompresses to more than the size cap of {cap:,} bytes; "
            "raise --max-bytes to read it",
        )
    return out
