"""The alignment memo: relate's alignments, read again by the drift step, change nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newslineage import api
from newslineage.align import align_articles
from newslineage.align.memo import AlignmentMemo, pack_pairs, unpack_pairs
from newslineage.engines.findings import update_findings
from newslineage.engines.local import analyze_store
from newslineage.model import Article

ROOT = Path(__file__).resolve().parents[2]


def _finding_rows(store) -> list[tuple]:
    return sorted(
        (f.article, f.kind, f.derived_span, f.source_article, f.message) for f in store.findings()
    )


def test_pairs_round_trip(seeds_dir: Path) -> None:
    text = {f.name[:3]: f.read_text(encoding="utf-8") for f in seeds_dir.glob("00[01]_*.txt")}
    a, b = Article("000", text["000"]), Article("001", text["001"])
    al = align_articles(a, b)
    assert al.pairs  # the machine-translated copy aligns to its original
    assert unpack_pairs(a.id, b.id, pack_pairs(al)) == al.pairs
    memo = AlignmentMemo()
    memo.put(al)
    got = memo.get(a.id, b.id)
    assert got is not None and got.pairs == al.pairs and got.ordered == al.ordered
    assert memo.get(b.id, a.id) is None  # directed: the reverse pair was never put
    memo.retain([])
    assert len(memo) == 0


def test_drift_with_memo_equals_drift_without(tmp_path: Path) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.generate import generate_corpus

    records, _ = generate_corpus(240, seed=5, drift=True)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rows = []
    for name, memo in (("plain", None), ("memo", AlignmentMemo())):
        store = api.open_store(str(tmp_path / f"{name}.db"))
        api.add([str(corpus)], store)
        analyze_store(store, memo=memo)
        if memo is not None:
            derivations = [r for r in store.relations() if r.kind != "same_story"]
            assert derivations and len(memo) >= 0.9 * len(derivations)
        update_findings(store, memo=memo)
        rows.append(_finding_rows(store))
    assert rows[0] and rows[0] == rows[1]
