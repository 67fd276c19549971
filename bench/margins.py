"""Labelled rows for the margin cuts (``newslineage.semantic.margin``): real pipeline runs with
the cuts off, each candidate pair the semantic decision saw with its margin, what the decision
made of it (``SemanticRun.trace``) and its gold.

Corpora: the synthetic generator's (3,000 articles, seed 23, as ``bench.run --stages analyze``;
gold from its truth), LLMFake (source -> paraphrase/rewrite derived, -> open-ended same story),
FRANK (article -> summary derived) and COUNTER (agency story -> newspaper story derived when
wholly or partly derived, same story when not: its partly derived stories reword more than
the other corpora's derivations); in the dev sets, siblings of one source are one story,
different items different stories. Derivations carry their features (``feats``). Each row
carries the groups of its two articles (LLMFake news item, FRANK article, COUNTER agency
story, as ``bench.heldout``), so a held-out run can refit without a fold::

    PYTHONPATH=src:. python -m bench.margins --out /tmp/margin_rows.jsonl
    python -m newslineage.semantic.margin /tmp/margin_rows.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import devsets
from bench.heldout import decisions_folder, grouping

#: corpus name -> (dev set whose grouping names the rows' items, or None)
CORPORA = {
    "synthetic": None,
    "llmfake": "llmfake-dev",
    "frank": "frank-valid",
    "counter": "counter-dev",
}
SYNTHETIC_N, SYNTHETIC_SEED = 3000, 23


def traced(records: list[dict]) -> tuple[devsets.Analysed, list[dict]]:
    """Analyse ``records`` with the margin cuts off; the export and every traced pair (ids are
    the records' own)."""
    from newslineage.engines import semantic as engine
    from newslineage.semantic.margin import MarginCuts, save_cuts

    trace: list[dict] = []
    init = engine.SemanticRun.__init__

    def tracing(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.trace = trace

    engine.SemanticRun.__init__ = tracing  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory(prefix="nl-margins-") as tmp:
            save_cuts(MarginCuts(-9.0, -9.0), Path(tmp) / "margin.json", "cuts off")
            with decisions_folder(Path(tmp)):
                found = devsets.analyse_records(records)
    finally:
        engine.SemanticRun.__init__ = init  # type: ignore[method-assign]
    back = {v: k for k, v in found.ids.items()}
    rows = [t | {"a": back[t["a"]], "b": back[t["b"]]} for t in trace
            if t["a"] in back and t["b"] in back]  # fmt: skip
    return found, rows


def synthetic_rows() -> list[dict]:
    from bench.generate import generate_corpus

    records, truth = generate_corpus(SYNTHETIC_N, seed=SYNTHETIC_SEED)
    derived = {frozenset((r["source"], r["derived"])) for r in truth["relations"]}
    story = {a: i for i, s in enumerate(truth["stories"]) for a in s["articles"]}
    _, rows = traced(records)
    for r in rows:
        pair = frozenset((r["a"], r["b"]))
        same = story.get(r["a"]) == story.get(r["b"])
        r["gold"] = "derived" if pair in derived else "same" if same else "different"
        r["item"], r["item2"] = str(story.get(r["a"])), str(story.get(r["b"]))
    return rows


def devset_rows(name: str, root: Path, limit: int | None) -> list[dict]:
    """LLMFake, FRANK or COUNTER records as ``bench.devsets`` builds them, traced and labelled."""
    records: dict[str, dict] = {}
    derived: set[frozenset[str]] = set()
    if name == "llmfake-dev":
        for r in devsets._llmfake_data(root, limit):
            src, gen = devsets._llm_ids(r)
            records[src] = {"id": src, "text": r["source_text"], "published": devsets.SOURCE_DAY}
            records[gen] = {"id": gen, "text": r["generated_text"],
                            "published": devsets.DERIVED_DAY}  # fmt: skip
            if r["method"] != "open_ended":
                derived.add(frozenset((src, gen)))
    elif name == "counter-dev":
        docs, labels = devsets._counter_data(root, limit)
        records = {d["id"]: d for d in docs}
        derived = {frozenset((k, k + "p")) for k, v in labels.items() if v != "ND"}
    else:
        for r in devsets._frank_data(root, limit):
            art, summ = devsets._frank_ids(r)
            records[art] = {"id": art, "text": r["article"], "published": devsets.SOURCE_DAY}
            records[summ] = {"id": summ, "text": r["summary"], "published": devsets.DERIVED_DAY}
            derived.add(frozenset((art, summ)))
    group = grouping(name, root).record
    _, rows = traced(list(records.values()))
    for r in rows:
        r["item"], r["item2"] = group(r["a"]), group(r["b"])
        same = r["item"] == r["item2"]
        derived_pair = frozenset((r["a"], r["b"])) in derived
        r["gold"] = "derived" if derived_pair else "same" if same else "different"
    return rows


def all_rows(corpora: list[str], root: Path, limit: int | None, log: Callable = print) -> list:
    out = []
    for corpus in corpora:
        log(f"[margins] {corpus} ...")
        dev = CORPORA[corpus]
        rows = synthetic_rows() if dev is None else devset_rows(dev, root, limit)
        out += [r | {"corpus": corpus} for r in rows]
        log(f"[margins] {corpus}: {len(rows)} traced pairs")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="JSONL file of the rows")
    ap.add_argument("--corpora", default=",".join(CORPORA))
    ap.add_argument("--limit", type=int, default=None, help="items per dev set (quick check)")
    args = ap.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    rows = all_rows(args.corpora.split(","), devsets.DEVDATA, args.limit, log)
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
