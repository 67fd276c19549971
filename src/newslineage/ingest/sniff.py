"""Recognise what a blob of bytes is from its content, and decode text the way browsers do.

The file name only breaks ties (a ``.html`` fragment without tags is still HTML); a ``.txt``
file that holds an RSS feed is a feed.

>>> sniff(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>').kind
'feed'
>>> sniff(b'{"id": 1, "text": "hi"}\\n').kind
'jsonl'
>>> decode_text(b"caf\\xe9")  # not UTF-8: falls back to cp1252
'café'
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

# kinds: "empty", "binary", "gzip", "warc", "feed", "opml", "html", "jsonl", "json",
#        "text", "xml" (XML that is none of the above)

_HEAD = 65536  # bytes looked at to find the root element or binary content

#: magic numbers of formats people hand us by mistake, with the fix to suggest
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "pass a text, HTML, feed, JSONL or WARC file"),
    (b"\xff\xd8\xff", "a JPEG image", "pass a text, HTML, feed, JSONL or WARC file"),
    (b"GIF8", "a GIF image", "pass a text, HTML, feed, JSONL or WARC file"),
    (b"%PDF-", "a PDF document", "extract its text first (e.g. pdftotext) and pass the .txt"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)", "unpack it and pass the files inside"),
    (b"BZh", "bzip2-compressed data", "decompress it first (bunzip2) or re-compress with gzip"),
    (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first (xz -d) or re-compress with gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data", "decompress it first (zstd -d)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and pass the files inside"),
    (b"\x7fELF", "an executable program", "pass a text, HTML, feed, JSONL or WARC file"),
    (b"PAR1", "a Parquet file", "use `newslineage batch --engine spark` for Parquet input"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# what may precede the root element of an XML/HTML document
_PROLOG = re.compile(
    # each alternative is unambiguous (no nested repeats), so a damaged prolog cannot make
    # the match backtrack exponentially
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[[^\]]*\][^\[>]*)*>)*",
    re.DOTALL | re.IGNORECASE,
)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_HTML_TAGS = frozenset(
    [
        "html",
        "head",
        "body",
        "div",
        "p",
        "span",
        "a",
        "article",
        "section",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "title",
        "meta",
        "link",
        "script",
        "style",
        "br",
        "hr",
        "img",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "li",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "small",
        "form",
        "iframe",
        "noscript",
        "center",
        "font",
        "base",
    ]
)
_HTML_EXTS = (".html", ".htm", ".xhtml", ".shtml")
_JSON_EXTS = (".jsonl", ".ndjson", ".json", ".jsonlines")
# charset in <meta charset=...>, <meta http-equiv content="...; charset=...">, <?xml encoding=?>
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the bytes are: ``kind``, plus a human ``detail`` (root tag, binary format) and
    the ``fix`` to suggest when the kind cannot be ingested."""

    kind: str
    detail: str = ""
    fix: str = ""


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def head_text(data: bytes) -> str:
    """The first bytes decoded leniently, for sniffing only (never for the body)."""
    enc = bom_encoding(data) or "utf-8"
    head = data[: _HEAD * (4 if enc.startswith("utf-32") else 2 if enc.startswith("utf-16") else 1)]
    return codecs.decode(head, enc, "replace").lstrip("\ufeff")


def sniff(data: bytes, name: str = "") -> Sniffed:
    """Classify ``data``; ``name`` (a path or URL) only breaks ties."""
    if data[:2] == b"\x1f\x8b":
        return Sniffed("gzip")
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            return Sniffed("binary", what, fix)
    if _looks_binary(data):
        return Sniffed(
            "binary",
            "binary data (NUL or control bytes)",
            "pass a text, HTML, feed, JSONL or WARC file",
        )
    text = head_text(data)
    if not text.strip():
        return Sniffed("empty")
    if text.startswith("WARC/"):
        return Sniffed("warc")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _sniff_json(text, name.lower())
    if stripped.startswith("<"):
        return _sniff_markup(text, name.lower())
    if name.lower().endswith(_HTML_EXTS):
        return Sniffed("html")
    return Sniffed("text")


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or many C0 control bytes, in the head (UTF-16/32 with a BOM is text)."""
    if bom_encoding(data) not in (None, "utf-8"):
        return False
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(
        head.count(bytes([c])) for c in (*range(1, 8), 14, *range(16, 27), *range(28, 32))
    )
    # text in any 8-bit encoding has almost none; 10% is far above what typos produce
    return len(head) > 0 and controls / len(head) > 0.10


def _sniff_markup(text: str, name: str) -> Sniffed:
    if _HTML_DOCTYPE.search(text[:2048]):
        return Sniffed("html")
    prolog = _PROLOG.match(text)
    rest = text[prolog.end() if prolog else 0 :]
    root = _ROOT.match(rest)
    if root is None:
        return Sniffed("html") if name.endswith(_HTML_EXTS) else Sniffed("text")
    tag = root.group(1)
    local = tag.rsplit(":", 1)[-1].lower()
    if local in ("rss", "rdf", "feed", "channel"):
        return Sniffed("feed", f"<{tag}>")
    if local == "opml":
        return Sniffed("opml", f"<{tag}>")
    if local in _HTML_TAGS or name.endswith(_HTML_EXTS):
        return Sniffed("html", f"<{tag}>")
    return Sniffed(
        "xml",
        f"XML with root <{tag}>, not RSS, Atom or OPML",
        "pass an RSS/Atom feed, an OPML list of feeds, or the HTML page",
    )


def _sniff_json(text: str, name: str) -> Sniffed:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    try:
        obj = json.loads(first)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        return Sniffed("jsonl")
    if isinstance(obj, list) or name.endswith(_JSON_EXTS) or text.lstrip().startswith("["):
        # a pretty-printed JSON document (or a JSONL file with a bad first line): let the
        # JSON reader decide, it reports the failing line
        return Sniffed("json")
    return Sniffed("text")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KB, if it is a known codec."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", "replace")
    return _known_codec(label)


def charset_from_content_type(content_type: str | None) -> str | None:
    """``text/html; charset=ISO-8859-1`` -> ``"cp1252"`` (as browsers read it)."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return _known_codec(m.group(1)) if m else None


def _known_codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG Encoding: latin-1 and ascii labels mean windows-1252 on the web
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode with the BOM, else ``declared``, else UTF-8, else cp1252 (never fails)."""
    bom = bom_encoding(data)
    if bom:
        return codecs.decode(data, bom, "replace").lstrip("\ufeff")
    for enc in (declared, "utf-8"):
        if enc:
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
    # cp1252 leaves 5 bytes undefined; replace them rather than fail
    return data.decode("cp1252", "replace")


def decode_html(data: bytes, header_charset: str | None = None) -> str:
    """Decode an HTML page: BOM, then the HTTP header charset, then the page's own
    declaration, then UTF-8, then cp1252."""
    return decode_text(data, header_charset or declared_charset(data))
