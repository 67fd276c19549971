"""The web app's analysis: one background worker that runs ``analyze`` in a child process.

Why not in the request thread: a POST held the app's one lock for a whole analysis, so every
read waited (issue 14 row 9), and an analysis big enough for the worker pool forked it from
the multi-threaded server, where the forked worker deadlocked on a lock another thread held;
the request never answered and SIGTERM could not stop the server (row 1).

Here a POST only asks for an analysis and gets a generation number. The worker runs one
analysis at a time in a fresh, single-threaded ``python -m newslineage.web.analyst``
process (its own session, so stopping it stops its pool workers too); requests that arrive
meanwhile are covered by the next run, so 100 POSTs cost a few analyses, not 100.

>>> Analyst.status_of(3, done=5, failed=0, running=0)
'done'
>>> Analyst.status_of(7, done=5, failed=0, running=7)
'running'
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["Analyst"]

STORE_ENV = "NEWSLINEAGE_DB"
STOP_GRACE_S = 2.0  # after SIGTERM, how long the child gets before SIGKILL
_ERROR_CHARS = 2000  # of the child's stderr kept for the job's error message


class Analyst:
    """Runs ``api.analyze`` on ``store_url`` in a child process whenever asked.

    ``on_done()`` runs in the worker after each successful analysis (the app re-reads its
    snapshot there, so a generation reported ``done`` is visible to reads)."""

    def __init__(self, store_url: str, on_done: Callable[[], None]) -> None:
        self.store_url = store_url
        self.on_done = on_done
        self._cond = threading.Condition()
        self._wanted = self._running = self._done = self._failed = 0
        self._error = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self.stopping = False
        self._thread = threading.Thread(target=self._loop, name="newslineage-analyst", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self) -> int:
        """Ask for an analysis of everything stored now; the generation to wait for."""
        with self._cond:
            self._wanted += 1
            self._cond.notify_all()
            return self._wanted

    def status(self, generation: int) -> tuple[str, str]:
        """``(queued | running | done | failed, error)`` of a generation."""
        with self._cond:
            state = self.status_of(generation, self._done, self._failed, self._running)
            return state, self._error if state == "failed" else ""

    @staticmethod
    def status_of(generation: int, done: int, failed: int, running: int) -> str:
        """A later success covers earlier failures: the articles were analysed after all."""
        if generation <= done:
            return "done"
        if generation <= failed:
            return "failed"
        return "running" if generation <= running else "queued"

    def stop(self) -> None:
        """Stop now: signal the child's process group (it may be mid-analysis; analysis is
        atomic, so the articles stay unanalysed and the next start analyses them)."""
        with self._cond:
            self.stopping = True
            self._cond.notify_all()
            proc = self._proc
        if proc is not None:
            _signal_group(proc, signal.SIGTERM)

    def join(self, timeout: float) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._wanted <= max(self._done, self._failed) and not self.stopping:
                    self._cond.wait()
                if self.stopping:
                    return
                target = self._running = self._wanted
            error = self._run_once()
            with self._cond:
                if error is None:
                    self._done = target
                else:
                    self._failed, self._error = target, error
                self._running = 0

    def _run_once(self) -> str | None:
        """One analysis; None on success, else why it failed."""
        env = {**os.environ, STORE_ENV: self.store_url}
        cmd = [sys.executable, "-m", "newslineage.web.analyst"]
        with self._cond:
            if self.stopping:
                return "the server is stopping"
            self._proc = subprocess.Popen(
                cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True,
            )  # fmt: skip
        proc = self._proc
        try:
            _, err = proc.communicate()
        finally:
            self._reap(proc)
        if proc.returncode != 0:
            text = err.decode("utf-8", "replace").strip()[-_ERROR_CHARS:]
            return text or f"the analysis stopped (exit code {proc.returncode})"
        try:
            self.on_done()
        except Exception as exc:  # the analysis is stored; only the re-read failed
            return f"analysed, but re-reading the store failed ({type(exc).__name__}: {exc})"
        return None

    def _reap(self, proc: subprocess.Popen[bytes]) -> None:
        """Make sure no pool worker of the child outlives it."""
        with self._cond:
            self._proc = None
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_S
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        _signal_group(proc, signal.SIGKILL)
        proc.wait()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal the child's session (the child and its forked pool workers), if still there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _main() -> int:
    """The child: analyse the store named by ``$NEWSLINEAGE_DB``; exit 0, or 1 with a line.

    SIGTERM becomes SystemExit, so the worker pool's ``with`` block terminates its workers."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from .. import api
    from ..errors import NewslineageError

    try:
        store = api.open_store(os.environ[STORE_ENV])
        try:
            api.analyze(store)
        finally:
            store.close()
    except NewslineageError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
