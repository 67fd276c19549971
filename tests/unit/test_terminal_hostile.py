"""Issue 14 rows 5 and 11: user text with Rich markup or terminal escapes prints as text.

A title like ``[/i]`` crashed ``add``'s summary, ``list``, ``outlets`` and ``show`` with
MarkupError; an ``ESC ] 0 ;`` sequence in a title or outlet reached the terminal raw.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslineage import api
from newslineage.cli import app
from newslineage.model import Document
from newslineage.readmodel import ReadModel
from newslineage.report.html import render_article, render_index

runner = CliRunner(env={"COLUMNS": "200"})
ESCAPE = "\x1b]0;pwned\x07"
BODY = (
    "Harbour officials said on Tuesday that the night ferry will stop at the old quay from "
    "next month. The change follows complaints from residents about noise near the terminal. "
    "A spokesperson said the timetable would be published next week and fares would not change."
)


def _doc(origin: str, title: str, body: str, outlet: str) -> Document:
    return Document(
        origin=origin, body=body, body_is_html=False, kind="text", title=title, outlet=outlet
    )


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("hostile") / "h.db")
    store = api.open_store(db)
    docs = [
        _doc("[i]in.txt", f"[/i] Ferry {ESCAPE} [/bold]", BODY, f"[/i]out{ESCAPE}"),
        _doc("[/bold]copy.txt", "Ferry copy [/bold]\x00\x9b", BODY + " More.", "[/bold]copy"),
    ]
    assert api.add_documents(docs, store).ingested == 2
    api.analyze(store)
    store.close()
    return db


@pytest.mark.parametrize("command", [["list"], ["outlets"], ["stories"], ["export"]])
def test_views_print_hostile_text_as_text(hostile_db: str, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--db", hostile_db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    if command != ["export"]:  # JSON keeps the text as stored, escaped by JSON itself
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "[/i]" in result.output  # shown, not parsed as markup


def test_show_prints_hostile_text_as_text(hostile_db: str) -> None:
    store = api.open_store(hostile_db)
    ids = [a.id for a in store.iter_articles()]
    store.close()
    for article_id in ids:
        result = runner.invoke(app, ["show", article_id, "--db", hostile_db])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x00" not in result.output


def test_add_summary_with_markup_in_a_path(tmp_path: Path) -> None:
    bad = tmp_path / "[/bold]missing.txt"
    result = runner.invoke(app, ["add", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "[/bold]missing.txt" in result.output


def test_html_pages_carry_no_control_characters(hostile_db: str) -> None:
    store = api.open_store(hostile_db)
    data = ReadModel.from_store(store)
    pages = [render_index(data)] + [render_article(data, i) for i in data.articles]
    store.close()
    for page in pages:
        assert "\x1b" not in page and "\x00" not in page and "\x07" not in page
