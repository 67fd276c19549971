"""Is a short text a summary of a long one? The gate that lets a summary be derived.

A summary or a one-paragraph blurb of a long article shares too few sentences with it for the
alignment rules of ``classify`` (three strong sentence pairs, or one long verbatim run): an
abstractive one-liner fuses three source sentences in its own words. What it keeps is the
source's vocabulary: nearly every content word it writes is somewhere in its source, while a
text written apart on the same topic (another report of the event, a student's own answer on
the same subject) brings its own names and words. So a text at most
``LineageParams.summary_ratio`` of a source's length is a summary of it when at most the
fitted share of its content words is absent from the whole source (in any inflection;
:func:`text.content.novel_share`).

The share is fitted with held-out folds by ``python -m newslineage.lineage.summary_fit``
(``--write`` saves ``summary_gate.json``); ``NEWSLINEAGE_DECISIONS=DIR`` makes the gate read
``DIR/summary_gate.json`` instead, as the held-out dev-set runs do.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from newslineage.lineage.params import LineageParams
from newslineage.model import Article
from newslineage.text.content import novel_share

__all__ = ["GATE_FILE", "is_short", "novel_limit", "summary_novel_share"]

GATE_FILE = Path(__file__).with_name("summary_gate.json")
#: the folder whose files override the shipped decisions (``semantic.decide`` reads it too)
DECISIONS_ENV = "NEWSLINEAGE_DECISIONS"


def is_short(derived: Article, source: Article, p: LineageParams | None = None) -> bool:
    """``derived`` is at most ``summary_ratio`` of ``source``'s length (characters)."""
    p = p or LineageParams()
    return len(derived.text) <= p.summary_ratio * len(source.text)


def gate_file() -> Path:
    """``$NEWSLINEAGE_DECISIONS/summary_gate.json`` when it exists, else the shipped one."""
    folder = os.environ.get(DECISIONS_ENV)
    override = Path(folder) / GATE_FILE.name if folder else None
    return override if override is not None and override.is_file() else GATE_FILE


def novel_limit() -> float:
    """The fitted largest novel share of a summary (-1: no file, so nothing passes)."""
    path = gate_file()
    return _read(path, path.stat().st_mtime_ns if path.exists() else -1)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> float:
    if mtime_ns < 0:
        return -1.0
    return float(json.loads(path.read_text(encoding="utf-8"))["novel_share"])


def summary_novel_share(
    source: Article, derived: Article, p: LineageParams | None = None
) -> float | None:
    """The novel share of ``derived`` against ``source`` when ``derived`` is short against
    it and passes the gate (a summary of it), else None."""
    if not derived.text.strip() or not is_short(derived, source, p):
        return None
    share = novel_share(source, derived)
    return share if share <= novel_limit() else None
