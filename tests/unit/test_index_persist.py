"""The candidate index saved between ``analyze`` runs (engines/index_cache.py), on real SQLite."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from newslineage import api
from newslineage.engines.index_cache import STAMP_KEY, index_path, load_index
from newslineage.engines.local import analyze_store
from newslineage.index.candidates import CandidateIndex
from newslineage.model import DERIVATION_KINDS, Article
from newslineage.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"
FIRST = ["nws_portvale_wire.txt", "meridianherald_portvale_fire.html", "reports.jsonl",
         "portvale_council_ferry.md"]  # fmt: skip
LATER = ["quickreads24_feed.xml", "dailyglobebrief_portvale_fire.html",
         "northernwire_atom.xml", "portvale_fire_scraped.txt"]  # fmt: skip


def _relations(store) -> set[tuple[str, str, str]]:
    return {(r.source, r.derived, r.kind) for r in store.relations()}


def _add(store, names: list[str]) -> None:
    for name in names:  # one by one: the store order is the same in every test
        api.add([str(EXAMPLES / name)], store)


@pytest.fixture(scope="module")
def full_analysis(tmp_path_factory) -> set[tuple[str, str, str]]:
    store = open_store(str(tmp_path_factory.mktemp("full") / "full.db"))
    _add(store, FIRST + LATER)
    analyze_store(store)
    assert [p.name for p in index_path(store).parent.iterdir() if p.suffix == ".tmp"] == []
    got = _relations(store)
    store.close()
    return got


@pytest.fixture(scope="module")
def rebuilt_analysis(tmp_path_factory) -> set[tuple[str, str, str]]:
    """Two analyze runs that each build the index from every stored article (no saved index):
    what analyze did before the index was kept."""
    store = open_store(str(tmp_path_factory.mktemp("rebuilt") / "rebuilt.db"))
    _add(store, FIRST)
    analyze_store(store)
    index_path(store).unlink()
    _add(store, LATER)
    analyze_store(store)
    got = _relations(store)
    store.close()
    return got


def _derivations(relations: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {r for r in relations if r[2] in DERIVATION_KINDS}


def test_incremental_analyze_finds_what_one_full_analyze_finds(
    tmp_path, full_analysis, rebuilt_analysis
) -> None:
    store = open_store(str(tmp_path / "inc.db"))
    _add(store, FIRST)
    analyze_store(store)
    path = index_path(store)
    assert path == tmp_path / "inc.db.index.npz" and path.exists()
    first = CandidateIndex.load(path)
    assert first.stamp == store.get_meta(STAMP_KEY)
    _add(store, LATER)
    assert len(load_index(store, list(store.iter_articles()))) == len(first)  # reused
    analyze_store(store)
    assert len(CandidateIndex.load(path)) == store.count_articles()
    got = _relations(store)
    # the derivations are exactly those of one analyze over everything, and so are its
    # same-story links; a kept index adds a few more same-story links, because an article's
    # stored story terms were ranked by the IDF of the corpus it was added to (so is the
    # rebuilt run: both differ from the one-run analysis only in same-story links)
    assert _derivations(got) == _derivations(full_analysis) and len(_derivations(got)) >= 5
    assert full_analysis <= got and {r[2] for r in got - full_analysis} <= {"same_story"}
    assert full_analysis <= rebuilt_analysis and _derivations(rebuilt_analysis) == _derivations(got)
    store.close()


def test_restart_reuses_the_saved_index(tmp_path, caplog) -> None:
    db = tmp_path / "r.db"
    store = open_store(str(db))
    _add(store, FIRST)
    analyze_store(store)
    store.close()
    store = open_store(str(db))  # a new process would open it the same way
    with caplog.at_level(logging.WARNING, "newslineage"):
        index = load_index(store, list(store.iter_articles()))
    assert len(index) == store.count_articles() and not caplog.records
    store.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other_store", "old_format"])
def test_damaged_or_foreign_index_is_rebuilt_with_a_notice(
    tmp_path, caplog, rebuilt_analysis, damage
) -> None:
    store = open_store(str(tmp_path / "d.db"))
    _add(store, FIRST)
    analyze_store(store)
    path = index_path(store)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not an index at all")
    elif damage == "old_format":  # what a format-2 file says of itself (uint32 signatures,
        # a doc per sentence, ids in the meta): read as this format it would be garbage
        with np.load(path) as z:
            data = {k: z[k] for k in z.files}
        meta = json.loads(data["meta"].tobytes())
        meta["version"] = 2
        data["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
        with path.open("wb") as fh:
            np.savez(fh, **data)
    else:  # an index of other articles, stamped for this store
        other = CandidateIndex()
        other.add([Article("elsewhere", "A story about something else entirely, told once.")])
        other.save(path, store.get_meta(STAMP_KEY) or "")
    with caplog.at_level(logging.WARNING, "newslineage"):
        index = load_index(store, list(store.iter_articles()))
    assert len(index) == 0 and "rebuilding the candidate index" in caplog.text
    _add(store, LATER)
    analyze_store(store)
    assert _relations(store) == rebuilt_analysis
    assert len(CandidateIndex.load(path)) == store.count_articles()
    store.close()


def test_stale_index_after_store_replaced_is_rebuilt(tmp_path, caplog) -> None:
    db = tmp_path / "s.db"
    store = open_store(str(db))
    _add(store, FIRST)
    analyze_store(store)
    store.close()
    saved = index_path(open_store(str(db)))
    db.unlink()  # the store is replaced by another one; its old index stays behind
    store = open_store(str(db))
    _add(store, LATER)
    with caplog.at_level(logging.WARNING, "newslineage"):
        index = load_index(store, list(store.iter_articles()))
    assert saved.exists() and len(index) == 0 and "another store" in caplog.text
    store.close()


def test_in_memory_store_saves_nothing() -> None:
    store = open_store(":memory:")
    assert index_path(store) is None
    store.close()
