"""Every tunable parameter of newslineage in one place, with its default and why it has it.

Each layer keeps its own frozen parameter class next to the code that reads it (a core layer
never imports this module): ``IngestOptions`` (ingest), ``IndexParams`` (index),
``AlignParams`` and ``SimilarityWeights`` (align), ``LineageParams``, ``DirectionWeights`` and
``ChainParams`` (lineage). ``Settings`` gathers them; ``describe()`` lists every field with its
default and the comment that justifies it, read from the source, and
``python -m newslineage.settings`` writes that list as ``docs/settings.md`` (a docs test fails
when the page and the code disagree).

>>> s = Settings()
>>> s.lineage.copy_verbatim
0.75
>>> next(p for p in describe() if p.name == "index.bands").default
'42'
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from dataclasses import dataclass, field, fields
from typing import Any

from .align.core import AlignParams
from .align.features import SimilarityWeights
from .index.params import IndexParams
from .ingest.sources import IngestOptions
from .lineage.params import ChainParams, DirectionWeights, LineageParams
from .semantic.params import SemanticParams

#: fields of a parameter class that are run-time plumbing, not settings
_NOT_SETTINGS = {"meta", "stdin", "weights"}


@dataclass(frozen=True, slots=True)
class Settings:
    """The parameters of every layer, defaults unless given."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    index: IndexParams = field(default_factory=IndexParams)
    align: AlignParams = field(default_factory=AlignParams)
    similarity: SimilarityWeights = field(default_factory=SimilarityWeights)
    lineage: LineageParams = field(default_factory=LineageParams)
    direction: DirectionWeights = field(default_factory=DirectionWeights)
    chains: ChainParams = field(default_factory=ChainParams)
    semantic: SemanticParams = field(default_factory=SemanticParams)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One setting: ``section.field``, its default (``repr``) and the comment that explains it."""

    name: str
    default: str
    doc: str
    owner: str  # the class that holds it, e.g. ``newslineage.index.params.IndexParams``


def _comments(cls: type) -> dict[str, str]:
    """Field name -> the comment block just above its line plus its trailing comment."""
    lines = inspect.getsource(cls).splitlines()
    tree = ast.parse(textwrap.dedent("\n".join(lines)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    last_line, last_name = -2, ""
    for node in body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        row = node.lineno - 1
        above = []
        for prev in reversed(lines[:row]):
            text = prev.strip()
            if not text.startswith("#"):
                break
            above.append(text.lstrip("#").strip())
        trailing = lines[row].partition("  #")[2].strip()
        parts = [*reversed(above), trailing]
        doc = " ".join(p for p in parts if p and not p.startswith("--"))
        if not doc and last_line == row - 1 and last_name:
            doc = f"set together with `{last_name}` (see there)"  # one comment, several fields
        out[node.target.id] = doc
        last_line, last_name = (
            row,
            node.target.id if doc and not doc.startswith("set ") else last_name,
        )
    return out


def describe(settings: Settings | None = None) -> list[Parameter]:
    """Every parameter of ``settings`` (defaults if None), in declaration order."""
    settings = settings or Settings()
    params: list[Parameter] = []
    for section in fields(Settings):
        value = getattr(settings, section.name)
        cls = type(value)
        docs = _comments(cls)
        for f in fields(cls):
            if f.name in _NOT_SETTINGS:
                continue
            params.append(
                Parameter(
                    f"{section.name}.{f.name}",
                    repr(getattr(value, f.name)),
                    docs.get(f.name, ""),
                    f"{cls.__module__}.{cls.__qualname__}",
                )
            )
    return params


def as_markdown(params: list[Parameter] | None = None) -> str:
    """The settings page: one table per section, written by ``python -m newslineage.settings``."""
    params = params if params is not None else describe()
    out = [
        "# Settings",
        "",
        "Every parameter, its default and why it has that value, read from the code by",
        "`python -m newslineage.settings > docs/settings.md` (a docs test keeps this page equal",
        "to the code). Each section is one frozen class next to the code that reads it; "
        "`newslineage.settings.Settings` gathers them.",
    ]
    section = None
    for p in params:
        head = p.name.partition(".")[0]
        if head != section:
            section = head
            out += [
                "",
                f"## `{head}` (`{p.owner}`)",
                "",
                "| setting | default | why |",
                "|---|---|---|",
            ]
        doc = p.doc.replace("|", "\\|") or "-"
        out.append(f"| `{p.name}` | `{p.default}` | {doc} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> Any:
    """Print the settings page (Markdown) on standard output."""
    sys.stdout.write(as_markdown())


if __name__ == "__main__":
    main()
