"""Shared fixtures. The seeds are third-party text: read from ../shared/seeds, never copied."""

from __future__ import annotations

import os
from pathlib import Path

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
