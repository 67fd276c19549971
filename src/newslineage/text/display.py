"""User text made safe to show: no terminal escapes, no NUL, no control characters.

Titles, outlets and file names come from untrusted feeds and pages. Printed raw, an ESC
sequence (``\\x1b]0;...``) retitles the user's terminal or hides text, and a NUL or ESC in
HTML is invisible yet survives copy and paste. Each C0/C1 control character (and DEL) is
replaced by U+FFFD, one character for one, so span offsets into a text stay valid.

>>> visible_text("a\\x1b]0;pwned\\x07b\\x00c")
'a\\ufffd]0;pwned\\ufffdb\\ufffdc'
>>> visible_text("two\\nlines\\tok", one_line=True)
'two lines ok'
>>> visible_text("two\\nlines")
'two\\nlines'
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "visible_text"]

REPLACEMENT = "\ufffd"
# C0 except tab, newline and carriage return; DEL; C1
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\t\n\r]")


def visible_text(text: str, *, one_line: bool = False) -> str:
    """``text`` with each control character replaced by U+FFFD; with ``one_line``, tabs and
    line breaks become spaces too (for table cells and headings)."""
    out = _CONTROLS.sub(REPLACEMENT, text)
    return _BREAKS.sub(" ", out) if one_line else out
