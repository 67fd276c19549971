"""Web fixtures: real stores built from examples/, and real uvicorn servers on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed")

from newslineage import api  # noqa: E402
from newslineage.model import Document  # noqa: E402
from newslineage.web import create_app  # noqa: E402

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
HOSTILE_BODY = (
    f"Harbour officials said on Tuesday that the night ferry {XSS_ATTR} will stop at the "
    f"old quay from next month. The change follows complaints {XSS_SCRIPT} from residents "
    "about noise near the terminal. A spokesperson said the timetable would be published "
    "next week and that fares would not change. Local councillors welcomed the decision "
    "and asked for a review of the night service after six months."
)


@dataclass(frozen=True, slots=True)
class LiveServer:
    """A uvicorn server running in a thread; ``url`` ends without a slash."""

    url: str
    db: Path
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(db: Path, **options: Any) -> LiveServer:
    """Serve ``db`` on a free loopback port (the socket is bound before uvicorn starts, so
    there is no race for the port) and wait until it accepts requests."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(str(db), **options)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.01)
    return LiveServer(f"http://127.0.0.1:{port}", db, server, thread)


def _build_examples(path: Path, corpus: Path) -> Path:
    store = api.open_store(str(path))
    result = api.add([str(corpus)], store)
    assert result.ingested >= 10, result.skipped
    api.analyze(store)
    store.close()
    return path


def _hostile_documents() -> list[Document]:
    """An article whose title, outlet, URL and text carry markup, and a copy of it."""
    first = Document(
        origin="hostile_original.txt",
        body=HOSTILE_BODY,
        body_is_html=False,
        kind="text",
        title=XSS_SCRIPT + " Night ferry " + XSS_ATTR,
        outlet='evil"><script>alert(2)</script>.example',
        url="javascript:alert(3)",
        published=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
    )
    copy = Document(
        origin="hostile_copy.txt",
        body=HOSTILE_BODY + f" Readers can write to the harbour office {XSS_SCRIPT}.",
        body_is_html=False,
        kind="text",
        title=XSS_ATTR + " Night ferry to stop at old quay",
        outlet="copycat.example",
        published=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    return [first, copy]


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """examples/corpus added and analysed into a SQLite store (read-only for the tests)."""
    return _build_examples(tmp_path_factory.mktemp("web") / "examples.db", examples_dir / "corpus")


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "hostile.db"
    store = api.open_store(str(path))
    result = api.add_documents(_hostile_documents(), store)
    assert result.ingested == 2, result.skipped
    api.analyze(store)
    store.close()
    return path


@pytest.fixture(scope="session")
def live(examples_db: Path) -> Iterator[LiveServer]:
    """The read-only examples server shared by the read tests."""
    srv = start_server(examples_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def hostile(hostile_db: Path) -> Iterator[LiveServer]:
    srv = start_server(hostile_db)
    yield srv
    srv.stop()


@pytest.fixture
def writable(examples_db: Path, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """A factory for servers over a private copy of the examples store (for POST tests)."""
    started: list[LiveServer] = []

    def make(**options: Any) -> LiveServer:
        copy = tmp_path / f"copy{len(started)}.db"
        shutil.copyfile(examples_db, copy)
        srv = start_server(copy, **options)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()
