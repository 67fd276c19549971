"""The command line end to end on real files and a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslineage.cli import app

runner = CliRunner(env={"COLUMNS": "200"})


def invoke(*args: str) -> object:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "ex.db")
    result = invoke("run", str(examples_dir / "corpus"), "--db", db)
    assert result.exit_code == 0, result.output
    return db


def test_run_prints_the_stories(example_db: str) -> None:
    result = invoke("stories", "--db", example_db)
    assert result.exit_code == 0
    assert "[original]" in result.output
    assert "nws_portvale_wire.txt" in result.output


def test_list_and_show(example_db: str) -> None:
    listing = invoke("list", "--db", example_db, "--limit", "0")
    assert listing.exit_code == 0 and "quickreads24_feed.xml" in listing.output
    shown = invoke("show", "portvale_fire_scraped.txt", "--db", example_db)
    assert shown.exit_code == 0, shown.output
    assert "rewrite of" in shown.output


def test_show_unknown_article_is_a_clear_error(example_db: str) -> None:
    result = invoke("show", "no-such-article", "--db", example_db)
    assert result.exit_code == 2
    assert "no stored article" in result.output and "Traceback" not in result.output


def test_export_formats(example_db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    assert invoke("export", "--db", example_db, "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert set(doc) >= {"articles", "relations", "stories", "findings", "outlets"}
    assert len(doc["articles"]) == 12
    jl = invoke("export", "--db", example_db, "--format", "jsonl")
    types = {json.loads(line)["type"] for line in jl.output.splitlines() if line.strip()}
    assert {"article", "relation", "story"} <= types
    rows = list(
        csv.DictReader(io.StringIO(invoke("export", "--db", example_db, "-f", "csv").output))
    )
    assert len(rows) == 12 and "origin_file" in rows[0]
    bad = invoke("export", "--db", example_db, "--format", "xml")
    assert bad.exit_code == 2 and "json, jsonl or csv" in bad.output


def test_eval_against_truth(example_db: str, examples_dir: Path) -> None:
    result = invoke("eval", str(examples_dir / "truth.json"), "--db", example_db, "--json")
    assert result.exit_code == 0, result.output
    assert "derivation" in json.loads(result.output)


def test_eval_bad_truth_file(example_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text("{not json")
    result = invoke("eval", str(bad), "--db", example_db)
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_add_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    png = tmp_path / "img.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    good = tmp_path / "good.txt"
    good.write_text("A town council approved a new bridge on Monday after a long debate.\n")
    only_bad = invoke("add", str(png), "--db", db)
    assert only_bad.exit_code == 1 and "PNG" in only_bad.output
    mixed = invoke("add", str(png), str(good), "--db", db)
    assert mixed.exit_code == 0 and "1 new" in mixed.output
    strict = invoke("add", str(png), str(good), "--db", db, "--strict")
    assert strict.exit_code == 1


def test_unwritable_store_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke("list", "--db", str(blocker / "x.db"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def _records(n: int) -> str:
    lines = []
    for i in range(n):
        text = f"Record {i} reports that the harbour committee met on day {i} to discuss cranes."
        lines.append(json.dumps({"id": f"r{i}", "title": f"Item {i}", "text": text}))
    return "\n".join(lines) + "\n"


def test_killed_ingest_keeps_what_was_stored_and_a_rerun_completes(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    src.write_text(_records(4000))
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "newslineage", "add", str(src), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored > 50:
                break
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4000
