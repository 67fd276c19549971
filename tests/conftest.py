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


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed corpus not found at {SEEDS}; set NEWSLINEAGE_SEEDS to its folder")
    return SEEDS


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
        if os.environ.get("CI"):
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
