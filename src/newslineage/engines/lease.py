"""The analysis lease: one ``analyze`` at a time per store, whatever process runs it.

Two analyses of one store would each decide relations from a state the other is changing. The
lease is a ``meta`` row (``analysis_lease``: pid, host, process start, time, a random token)
claimed in one serialised transaction (``Store.claim_meta``) and deleted when the run ends,
also on Ctrl-C or an error. A second run waits for it (``LEASE_WAIT_S``), then gives up with
a message naming the holder. A lease is stale, and taken over, when its process is gone
(same host: the pid no longer runs, or runs another program started later) or, from another
host, after ``LEASE_STALE_S``: a killed ``analyze`` never blocks the next one for long.

>>> from newslineage.store import open_store
>>> store = open_store(":memory:")
>>> with analysis_lease(store):
...     store.get_meta(LEASE_KEY) is not None
True
>>> store.get_meta(LEASE_KEY) is None
True
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from ..errors import StoreError
from ..store.base import Store

log = logging.getLogger("newslineage")
LEASE_KEY = "analysis_lease"
#: how long a second ``analyze`` waits for the running one before giving up
LEASE_WAIT_S = 600.0
#: a lease from another host (a shared PostgreSQL store) is taken over after this long;
#: on the same host a dead pid frees it at once
LEASE_STALE_S = 6 * 3600.0
_POLL_S = 0.2


@contextmanager
def analysis_lease(store: Store, wait: float | None = None) -> Iterator[str]:
    """Hold the store's analysis lease for the ``with`` block, waiting up to ``wait`` seconds
    (default ``LEASE_WAIT_S``) for another run's; yields its value, which the run's final
    transaction checks (``still_held``)."""
    mine = _lease_value()
    _claim(store, mine, LEASE_WAIT_S if wait is None else wait)
    try:
        yield mine
    finally:
        store.release_meta(LEASE_KEY, mine)


def still_held(store: Store, mine: str) -> None:
    """Inside the run's final transaction: fail rather than write if the lease was taken
    over (the run outlived ``LEASE_STALE_S`` and another host's run started)."""
    holder = store.claim_meta(LEASE_KEY, mine, lambda held: False)
    if holder is not None:
        raise StoreError(
            store.url,
            f"the analysis lease went to {describe(holder)} while this run took longer "
            f"than {LEASE_STALE_S / 3600:g} h; nothing of this run was written",
            "run `newslineage analyze` again once that one has finished",
        )


def _claim(store: Store, mine: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while (holder := store.claim_meta(LEASE_KEY, mine, is_stale)) is not None:
        if time.monotonic() >= deadline:
            raise StoreError(
                store.url,
                f"another analyze is running on this store ({describe(holder)})",
                "wait for it to finish, then run `newslineage analyze` again (it picks up "
                "what is left); a lease whose process is gone is taken over automatically",
            )
        if not told:
            log.warning("waiting for another analyze of %s (%s)", store.url, describe(holder))
            told = True
        time.sleep(_POLL_S)


def _lease_value() -> str:
    return json.dumps(
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "start": _process_start(os.getpid()),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "token": secrets.token_hex(8),
        },
        sort_keys=True,
    )


def describe(value: str) -> str:
    """A lease for messages: ``pid 123 on host h since 2025-01-02T03:04:05+00:00``."""
    try:
        held = json.loads(value)
        return f"pid {held['pid']} on host {held['host']} since {held['since']}"
    except (ValueError, KeyError, TypeError):
        return "a lease in an unknown format"


def is_stale(value: str) -> bool:
    """Whether a stored lease may be taken over: its process is gone, or it is too old."""
    try:
        held = json.loads(value)
        since = datetime.fromisoformat(held["since"])
        pid, host = int(held["pid"]), str(held["host"])
    except (ValueError, KeyError, TypeError):
        return True  # unreadable: no live run wrote it
    if host == socket.gethostname():
        return not _running(pid) or _process_start(pid) != held.get("start")
    return (datetime.now(UTC) - since).total_seconds() > LEASE_STALE_S


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it exists
    return True


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks (Linux ``/proc``), to tell a reused pid from
    the lease's holder; None where there is no ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None
