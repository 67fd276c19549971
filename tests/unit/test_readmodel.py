"""The read model: analyze stores each relation's alignment; the views read it, never align."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from newslineage import api, readmodel
from newslineage.align import align_articles
from newslineage.readmodel import ReadModel
from newslineage.report import terminal
from newslineage.report.html import write_report
from newslineage.store import open_store
from newslineage.store.schema import latest_version


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """The examples corpus, ingested and analysed into a real SQLite file."""
    path = tmp_path_factory.mktemp("readmodel") / "e.db"
    store = api.open_store(str(path))
    api.add([str(examples_dir / "corpus")], store)
    api.analyze(store)
    store.close()
    return path


def _derivations(store) -> list[tuple[str, str]]:
    return [(r.source, r.derived) for r in store.relations() if r.kind != "same_story"]


def _no_aligning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("a view aligned two articles again")

    monkeypatch.setattr(readmodel, "align_articles", refuse)


def test_analyze_stores_the_alignment_relate_decided_on(db: Path) -> None:
    store = open_store(str(db))
    keys = _derivations(store)
    stored = store.alignments(keys)
    assert keys and set(stored) == set(keys)
    for (s, d), al in stored.items():
        fresh = align_articles(store.get_article(s), store.get_article(d))
        assert al == fresh  # pairs, passages and order, bit for bit


def test_report_and_terminal_read_the_stored_alignment(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(str(db))
    _no_aligning(monkeypatch)
    write_report(store, tmp_path / "site")
    derived = _derivations(store)[0][1]
    out = io.StringIO()
    terminal.print_lineage(Console(file=out, width=120), store, api.lineage_of(store, derived))
    assert "sim" in out.getvalue()


def test_an_older_store_upgrades_and_aligns_once(db: Path, tmp_path: Path) -> None:
    """A store written before migration 3 gets the table; its relations have no stored
    alignment, so the read model computes each once and the pages stay the same."""
    old = tmp_path / "old.db"
    old.write_bytes(db.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE alignments")
        conn.execute("DROP TABLE IF EXISTS vectors")  # migration 4 came later
        conn.execute("DELETE FROM schema_version WHERE version >= 3")
    store = open_store(str(old))
    assert store.schema_version() == latest_version()
    assert store.alignments(_derivations(store)) == {}
    data = ReadModel.from_store(store)
    s, d = _derivations(store)[0]
    assert data.alignment(s, d) == open_store(str(db)).alignments([(s, d)])[(s, d)]
    assert data.alignment(s, d) is data.alignment(s, d)
