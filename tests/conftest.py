"""Shared fixtures. The seeds are third-party text: read from ../shared/seeds, never copied."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("NEWSLINEAGE_SEEDS", ROOT.parent / "shared" / "seeds"))
DEVDATA = Path(os.environ.get("NEWSLINEAGE_DEVDATA", ROOT.parent / "shared" / "devdata"))
EXAMPLES = ROOT / "examples"


_MISSING_SHARED: set[Path] = set()


def in_ci() -> bool:
    """Whether the CI environment variable says so (CI must test everything, never skip)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_shared(folder: Path, what: str, variable: str) -> Path:
    """``folder`` (data read from ../shared, never copied here), or a skip naming it when it
    is missing: a fresh clone without ../shared still runs the rest. Under CI it fails."""
    if folder.is_dir():
        return folder
    reason = f"{what} not found at {folder}; put ../shared beside the clone or set {variable}"
    if in_ci():
        pytest.fail(reason)
    _MISSING_SHARED.add(folder)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say once, at the end, which shared folders were missing (the skips' common cause)."""
    for folder in sorted(_MISSING_SHARED):
        terminalreporter.write_line(
            f"NOTICE: tests needing {folder} were skipped: the folder is missing "
            "(set CI=true to make them fail instead)",
            yellow=True,
        )


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared(SEEDS, "seed corpus", "NEWSLINEAGE_SEEDS")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("NEWSLINEAGE_TEST_PG_URL", "")
    if not url:
        reason = "no PostgreSQL server (scripts/ensure-postgres.sh found none)"
        if in_ci():
            pytest.fail(reason)  # CI must test the PostgreSQL store, not skip it
        pytest.skip(reason)
    return url


TrueLineage = tuple[dict, dict[str, Any], list[Any], list[Any]]


@pytest.fixture(scope="session")
def true_lineage() -> Callable[[Path, int, int], TrueLineage]:
    """A builder: a generated drift corpus ingested into a real SQLite store under a folder,
    with its *true* relations and stories as records -> ``(truth, articles, relations,
    stories)``. For tests that measure drift alone, not the lineage stages before it."""
    if str(ROOT) not in sys.path:  # bench/ is a top-level folder, not part of the package
        sys.path.insert(0, str(ROOT))
    from bench.generate import generate_corpus

    from newslineage import api
    from newslineage.model import Relation, Story

    def build(folder: Path, n: int, seed: int) -> TrueLineage:
        records, truth = generate_corpus(n, seed=seed, drift=True)
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        store = api.open_store(str(folder / "s.db"))
        api.add([str(corpus)], store)
        articles = {a.id: a for a in store.iter_articles()}
        by_ref = {a.external_id: a.id for a in articles.values()}
        relations = [
            Relation(by_ref[r["source"]], by_ref[r["derived"]], r["kind"], 1.0, 0.0, 1.0)
            for r in truth["relations"]
        ]
        stories = [
            Story(f"s{i}", None, tuple(by_ref[x] for x in s["articles"]), by_ref.get(s["original"]))
            for i, s in enumerate(truth["stories"])
        ]
        return truth, articles, relations, stories

    return build
