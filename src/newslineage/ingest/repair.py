"""Text that cannot be stored as UTF-8, repaired per item so one bad string never stops a batch.

JSON may spell a lone UTF-16 surrogate (``"\\ud800"``) and Python decodes a file name that is
not UTF-8 with ``surrogateescape``; neither can be encoded, hashed or written to the store.
A lone surrogate in a field becomes U+FFFD (the item is kept, with a notice); a file name is
shown with ``\\xNN`` escapes for the bytes that are not UTF-8 (the file is still read by its
real name).

>>> repair_text("a\\ud800b")
('a\\ufffdb', 1)
>>> display_name("caf\\udce9.txt")
'caf\\\\xe9.txt'
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Document, Skipped

__all__ = ["display_name", "repair_document", "repair_skipped", "repair_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("body", "url", "title", "author", "site", "language", "external_id", "outlet")


def repair_text(value: str) -> tuple[str, int]:
    """``value`` with each lone surrogate replaced by U+FFFD, and how many were replaced."""
    if value.isascii():  # the common case, and far cheaper than the regex
        return value, 0
    return _SURROGATE.subn("\ufffd", value)


def display_name(name: str) -> str:
    """A path or URL as storable text: bytes that are not UTF-8 as ``\\xNN`` escapes."""
    if not _SURROGATE.search(name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no byte decoded to: not from a file name
        return repair_text(name)[0]


def repair_document(doc: Document) -> tuple[Document, Skipped | None]:
    """The document with every text field storable, and a notice naming the repaired fields."""
    changes: dict[str, object] = {}
    for name in _TEXT_FIELDS:
        value = getattr(doc, name)
        if value is not None and repair_text(value)[1]:
            changes[name] = repair_text(value)[0]
    if any(repair_text(c)[1] for c in doc.categories):
        changes["categories"] = tuple(repair_text(c)[0] for c in doc.categories)
    origin = display_name(doc.origin)
    if not changes:
        return (doc if origin == doc.origin else replace(doc, origin=origin)), None
    fields = ", ".join(f'"{name}"' for name in changes)
    notice = Skipped(
        origin,
        f"lone UTF-16 surrogates in {fields} replaced with U+FFFD and the item kept; "
        "fix the encoding of the source to keep those characters",
        item=doc.origin_item,
        error=False,
    )
    return replace(doc, origin=origin, **changes), notice  # type: ignore[arg-type]


def repair_skipped(skipped: Skipped) -> Skipped:
    """A skip record whose input and reason can be printed and stored."""
    origin, reason = display_name(skipped.input), repair_text(skipped.reason)[0]
    if origin == skipped.input and reason == skipped.reason:
        return skipped
    return replace(skipped, input=origin, reason=reason)
