"""Candidate queries spread over worker processes give exactly the serial candidates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newslineage.engines import local, pool
from newslineage.index.candidates import CandidateIndex

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not pool.can_fork(), reason="worker processes need fork")
def test_chunked_queries_equal_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.bench_common import fast_article
    from bench.generate import generate_corpus

    records, _ = generate_corpus(400, seed=9)
    articles = [fast_article(r) for r in records]
    index = CandidateIndex()
    index.add(articles)
    serial = index.candidates_for(articles)
    monkeypatch.setattr(local, "_QUERY_CHUNK", 70)  # 6 chunks: pairs across chunks merge
    monkeypatch.setattr(pool.os, "cpu_count", lambda: 2)
    parallel = local._candidates_for(index, articles)
    assert len(serial) > 300
    assert parallel == serial
