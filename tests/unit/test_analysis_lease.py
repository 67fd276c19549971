"""One analysis at a time per store (issue 14, row 8): engines/lease.py and the store's
all-or-nothing ``transaction()``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newslineage import api
from newslineage.engines import lease
from newslineage.errors import StoreError
from newslineage.model import Article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh store location: a new SQLite file, or a new PostgreSQL schema."""
    monkeypatch.setenv("NEWSLINEAGE_INDEX_DIR", str(tmp_path / "index"))
    if request.param == "sqlite":
        yield str(tmp_path / "news.db")
        return
    base = request.getfixturevalue("pg_url")
    psycopg = pytest.importorskip("psycopg")
    schema = "nl_lease_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _held_by(pid: int, **extra: object) -> str:
    value = {"pid": pid, "host": socket.gethostname(), "since": "2025-01-01T00:00:00+00:00"}
    value["start"] = lease._process_start(pid)
    return json.dumps({**value, **extra})


def test_a_second_analysis_is_refused_naming_the_running_one(store_url: str) -> None:
    store = api.open_store(store_url)
    api.add([str(ROOT / "examples" / "corpus")], store)
    store.set_meta(lease.LEASE_KEY, _held_by(os.getpid()))  # a live process holds it
    with pytest.raises(StoreError) as caught:
        api.analyze(store, wait=0)
    message = str(caught.value)
    assert f"another analyze is running on this store (pid {os.getpid()} on host" in message
    assert "run `newslineage analyze` again" in message
    assert store.unanalysed_ids()  # nothing was analysed, nothing half-written
    assert store.relations() == [] and store.stories() == []


def test_the_lease_of_a_dead_process_is_taken_over(store_url: str) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    store = api.open_store(store_url)
    api.add([str(ROOT / "examples" / "corpus")], store)
    store.set_meta(lease.LEASE_KEY, _held_by(int(gone.stdout)))
    summary = api.analyze(store, wait=0)
    assert summary.analysed > 0 and store.stories()
    assert store.get_meta(lease.LEASE_KEY) is None  # released at the end


def test_staleness() -> None:
    assert not lease.is_stale(_held_by(os.getpid()))
    assert lease.is_stale(_held_by(os.getpid(), start="0"))  # the pid was reused
    assert lease.is_stale("not json")
    far = {"pid": 1, "host": "elsewhere.invalid", "start": None}
    assert lease.is_stale(json.dumps({**far, "since": "2000-01-01T00:00:00+00:00"}))
    recent = datetime.now(UTC).isoformat(timespec="seconds")
    assert not lease.is_stale(json.dumps({**far, "since": recent}))


def test_a_transaction_keeps_all_or_nothing(store_url: str) -> None:
    store = api.open_store(store_url)
    store.add_article(Article(id="a1", text="One.", key="k1"))
    with pytest.raises(KeyboardInterrupt), store.transaction():
        store.mark_analysed(["a1"])
        store.set_meta("x", "1")
        raise KeyboardInterrupt
    assert store.unanalysed_ids() == ["a1"] and store.get_meta("x") is None
    with store.transaction():
        store.mark_analysed(["a1"])
        store.set_meta("x", "1")
    assert store.unanalysed_ids() == [] and store.get_meta("x") == "1"
