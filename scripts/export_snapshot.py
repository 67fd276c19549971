"""Write the JSON export of examples/, the seeds and a generated corpus, for before/after checks.

``python scripts/export_snapshot.py OUT_DIR [--corpus-3k FILE]`` ingests each corpus into a fresh
SQLite store, analyses it and writes ``OUT_DIR/<name>.json``. Ingestion times (``first_seen``)
differ between runs by nature, so they are replaced by a fixed marker; everything else is the
export as a user gets it. ``scripts/check-same-exports.sh REF`` runs this at REF and at the work
tree and fails if any byte differs: a refactoring step must leave these files identical.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def snapshot(sources: list[str], out: Path) -> None:
    """Ingest ``sources`` into a new store, analyse it and write its normalised JSON export."""
    from newslineage import api

    with tempfile.TemporaryDirectory() as tmp:
        store = api.open_store(str(Path(tmp) / "snap.db"))
        api.add(sources, store)
        api.analyze(store)
        buf = io.StringIO()
        api.export(store, "json", buf)
        store.close()
    data = json.loads(buf.getvalue())
    seen = {art["first_seen"] for art in data.get("articles", [])}
    text = json.dumps(_mask(data, seen), ensure_ascii=False, indent=1, sort_keys=True)
    out.write_text(re.sub(r"\s+\n", "\n", text) + "\n", encoding="utf-8")


def _mask(value: object, seen: set[str]) -> object:
    """``value`` with every ingestion time (a timeline falls back to it) replaced by a marker."""
    if isinstance(value, dict):
        return {k: _mask(v, seen) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, seen) for v in value]
    return "<ingest time>" if isinstance(value, str) and value in seen else value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--corpus-3k", type=Path, help="a generated corpus.jsonl (3,000 articles)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    snapshot([str(ROOT / "examples" / "corpus")], args.out / "examples.json")
    if SEEDS.is_dir():
        snapshot([str(SEEDS)], args.out / "seeds.json")
    if args.corpus_3k:
        snapshot([str(args.corpus_3k)], args.out / "generated-3k.json")
    for f in sorted(args.out.glob("*.json")):
        print(f"{f.name}: {f.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
