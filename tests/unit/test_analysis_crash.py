"""``analyze`` killed at any commit point, or run twice at once, leaves a store that a plain
rerun brings to exactly the state of one uninterrupted run (issue 14, rows 4 and 8).

The store's crash hook (``NEWSLINEAGE_TEST_KILL_AT_COMMIT=k``, store/sql.py) makes the
``newslineage analyze`` subprocess SIGKILL itself right after its k-th commit; k runs from 1
until a run finishes without reaching k. Every run starts from a copy of one ingested store,
so ingestion times are equal and exports compare byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newslineage import api
from newslineage.store.sql import KILL_AT_COMMIT_ENV

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
MAX_COMMITS = 20  # far more commit points than one analyze has: a bound, not a guess


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != KILL_AT_COMMIT_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env["OMP_NUM_THREADS"] = "1"
    return {**env, **extra}


def _analyze(db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "newslineage", "analyze", "--db", str(db)]
    return subprocess.run(cmd, env=_env(**env), capture_output=True, text=True, timeout=300)


def _start(db: Path, err: Path, **env: str) -> subprocess.Popen[bytes]:
    """``analyze`` in the background, its stderr going to ``err`` (read while it runs)."""
    cmd = [sys.executable, "-m", "newslineage", "analyze", "--db", str(db)]
    with err.open("wb") as fh:
        return subprocess.Popen(cmd, env=_env(**env), stdout=subprocess.DEVNULL, stderr=fh)


def _export(db: Path) -> str:
    store = api.open_store(str(db))
    try:
        buf = io.StringIO()
        api.export(store, "json", buf)
        return buf.getvalue()
    finally:
        store.close()


def _copy(base: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(base, folder / base.name)
    return folder / base.name


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with examples/corpus added (not analysed), and its export after one clean run."""
    base = tmp_path_factory.mktemp("base") / "news.db"
    store = api.open_store(str(base))
    api.add([str(CORPUS)], store)
    store.close()
    clean = _copy(base, tmp_path_factory.mktemp("clean") / "c")
    run = _analyze(clean)
    assert run.returncode == 0, run.stderr
    expected = _export(clean)
    doc = json.loads(expected)
    assert doc["stories"] and doc["findings"], "losing stories or findings must be visible"
    return base, expected


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_a_rerun_after_a_kill_at_each_commit_point_gives_the_clean_export(
    ingested: tuple[Path, str], tmp_path: Path, how: str
) -> None:
    base, expected = ingested
    killed = 0
    for k in range(1, MAX_COMMITS + 1):
        db = _copy(base, tmp_path / f"k{k}")
        run = _analyze(db, **{KILL_AT_COMMIT_ENV: f"{k}:{how}"})
        if run.returncode == 0:
            break  # this run made fewer than k commits: every commit point was tried
        if how == "SIGKILL":
            assert run.returncode == -signal.SIGKILL, run.stderr
        killed += 1
        again = _analyze(db)
        assert again.returncode == 0, again.stderr
        assert _export(db) == expected, f"rerun after a {how} at commit {k} differs"
    else:
        pytest.fail(f"analyze still committing after {MAX_COMMITS} commits")
    assert killed >= 1, "the crash hook never fired: is the store's commit hook in place?"


def test_two_analyses_at_once_give_the_export_of_one(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    base, expected = ingested
    db = _copy(base, tmp_path / "both")
    runs = [_start(db, tmp_path / "a.err"), _start(db, tmp_path / "b.err")]
    for p in runs:
        assert p.wait(timeout=300) == 0, p.stderr
    assert _export(db) == expected


def test_an_analysis_started_while_another_is_at_any_commit_point_gives_the_export_of_one(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    """The first run is frozen (SIGSTOP) right after its k-th commit, the second starts; then
    the first goes on. Either order of their writes must end as one run would."""
    base, expected = ingested
    for k in range(1, MAX_COMMITS + 1):
        db = _copy(base, tmp_path / f"k{k}")
        first = _start(db, tmp_path / f"first{k}.err", **{KILL_AT_COMMIT_ENV: f"{k}:SIGSTOP"})
        _, status = os.waitpid(first.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            first.returncode = os.waitstatus_to_exitcode(status)
            assert first.returncode == 0, (tmp_path / f"first{k}.err").read_text()
            break  # the first run made fewer than k commits: every point was tried
        second_err = tmp_path / f"second{k}.err"
        second = _start(db, second_err)
        _until_ended_or_waiting(second, second_err)
        os.kill(first.pid, signal.SIGCONT)
        assert first.wait(timeout=300) == 0, (tmp_path / f"first{k}.err").read_text()
        assert second.wait(timeout=300) == 0, second_err.read_text()
        assert _export(db) == expected, f"a second run during commit point {k} changed the result"
    else:
        pytest.fail(f"analyze still committing after {MAX_COMMITS} commits")


def _until_ended_or_waiting(run: subprocess.Popen[bytes], err: Path) -> None:
    deadline = time.monotonic() + 120
    while run.poll() is None and "waiting" not in err.read_text():
        assert time.monotonic() < deadline, "the second analyze neither ended nor waited"
        time.sleep(0.05)
