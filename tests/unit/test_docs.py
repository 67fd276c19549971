"""Docs stay honest: every CLI command, relation kind and finding kind is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslineage.cli import app
from newslineage.model import FINDING_KINDS, RELATION_KINDS

ROOT = Path(__file__).resolve().parents[2]


def _docs() -> str:
    parts = [ROOT.joinpath("README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.joinpath("docs").glob("*.md"))]
    return "\n".join(parts)


def _commands() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", _commands())
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    assert f"newslineage {command}" in readme, f"README.md does not document `{command}`"


@pytest.mark.parametrize("kind", RELATION_KINDS)
def test_every_relation_kind_is_documented(kind: str) -> None:
    assert f"`{kind}`" in _docs()


@pytest.mark.parametrize("kind", FINDING_KINDS)
def test_every_finding_kind_is_documented(kind: str) -> None:
    assert f"`{kind}`" in _docs()


def test_readme_shows_the_two_commands() -> None:
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_performance_doc_quotes_the_last_bench_run() -> None:
    """docs/performance.md carries bench/RESULTS.md verbatim (``make bench`` writes both)."""
    from bench.run import BEGIN, END, as_docs_section

    docs = ROOT.joinpath("docs", "performance.md").read_text(encoding="utf-8")
    results = ROOT.joinpath("bench", "RESULTS.md").read_text(encoding="utf-8")
    quoted = docs.partition(BEGIN)[2].partition(END)[0]
    assert quoted.strip() == as_docs_section(results).strip()


def test_settings_page_matches_the_code() -> None:
    """docs/settings.md lists every parameter with its default and reason, as the code has them."""
    from newslineage.settings import as_markdown, describe

    page = ROOT.joinpath("docs", "settings.md").read_text(encoding="utf-8")
    assert page == as_markdown(), "run: python -m newslineage.settings > docs/settings.md"
    undocumented = [p.name for p in describe() if not p.doc]
    assert not undocumented, f"settings without a reason in a comment: {undocumented}"
