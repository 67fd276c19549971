"""The held-out dev-set harness (``bench/heldout.py``, ``python -m bench.devsets --heldout K``).

A held-out figure is only worth quoting if (1) a fold holds whole groups, so nothing of a test
item was fitted on, (2) the refitted decisions really reach the pipeline, and (3) the folds'
results are pooled without mixing ids. Each is checked here on small made-up inputs; one test
runs FRANK end to end on a few articles of ``../shared/devdata`` (skipped with a notice when the
dev sets are absent, failing under CI, like ``tests/golden/test_devsets.py``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is a top-level folder, not part of the package
    sys.path.insert(0, str(ROOT))

from bench import devsets  # noqa: E402
from bench import heldout as ho  # noqa: E402

from newslineage.drift import support_model  # noqa: E402
from newslineage.semantic import decide  # noqa: E402
from newslineage.semantic.features import FEATURES  # noqa: E402
from newslineage.semantic.story import STORY_FEATURES  # noqa: E402


def test_folds_are_balanced_deterministic_and_hold_whole_groups() -> None:
    groups = [f"g{i}" for i in range(23)]
    folds = ho.assign_folds(groups, 5)
    assert set(folds) == set(groups)
    sizes = [list(folds.values()).count(f) for f in range(5)]
    assert max(sizes) - min(sizes) <= 1
    assert ho.assign_folds(reversed(groups), 5) == folds  # order of listing does not matter
    items = {f"gen-{g}-{m}": g for g in groups for m in ("paraphrase", "open_ended")}
    by_item = ho.fold_of_items(items, ho.Grouping(items.get, items.get, items.get), 5)
    assert all(by_item[i] == folds[g] for i, g in items.items())


def test_each_set_groups_its_records_items_and_rows() -> None:
    counter = ho.grouping("counter-dev", Path("unused"))
    assert counter.record("0001") == counter.record("0001p") == counter.row("0001") == "0001"
    llm = ho.grouping("llmfake-dev", Path("unused"))
    assert llm.record("src-gossipcop-12") == "gossipcop-12"
    assert llm.item("gen-gossipcop-12-open_ended") == llm.row("gossipcop-12") == "gossipcop-12"
    frank = ho.grouping("frank-valid", Path("unused"))
    assert frank.record("art-c7ed") == frank.item("sum-c7ed-bart") == frank.row("c7ed") == "c7ed"


def test_semeval_documents_in_several_pairs_share_one_group(tmp_path: Path) -> None:
    folder = tmp_path / "semeval2022-dev"
    folder.mkdir()
    pairs = [("1", "2"), ("2", "3"), ("4", "5")]
    folder.joinpath("pairs.jsonl").write_text(
        "".join(json.dumps({"pair_id": f"{a}_{b}", "id1": a, "id2": b}) + "\n" for a, b in pairs)
    )
    g = ho.grouping("semeval2022-dev", tmp_path)
    assert g.item("1_2") == g.item("2_3") == g.record("3") == "1"
    assert g.item("4_5") == g.record("5") == "4"


def _write_decision(folder: Path, name: str, classes: list[str]) -> None:
    feats = list(decide.decision(name).features)
    folder.joinpath(f"{name}.json").write_text(json.dumps({
        "classes": classes, "features": feats, "mean": [0.0] * len(feats),
        "scale": [1.0] * len(feats), "weights": [[0.0] * len(classes)] * (len(feats) + 1)}))  # fmt: skip


def test_the_decisions_folder_overrides_the_shipped_files(tmp_path: Path) -> None:
    shipped = decide.decision("kind").classes
    _write_decision(tmp_path, "kind", ["only"])
    assert os.environ.get(ho.DECISIONS_ENV) is None
    with ho.decisions_folder(tmp_path):
        assert decide.decision("kind").classes == ("only",)
        assert decide.kind_of([0.0] * len(FEATURES))[0] == "only"
        # a file the folder does not hold falls back to the shipped one
        assert decide.decision_file("same_story") == decide.HERE / "same_story.json"
    assert decide.decision("kind").classes == shipped  # the cache keys on the file read
    assert ho.DECISIONS_ENV not in os.environ


def test_the_decisions_folder_overrides_the_support_model(tmp_path: Path) -> None:
    blob = json.loads(support_model.MODEL_FILE.read_text(encoding="utf-8")) | {"threshold": 0.0}
    tmp_path.joinpath("support_model.json").write_text(json.dumps(blob))
    shipped = support_model.load_model().threshold
    with ho.decisions_folder(tmp_path):
        assert support_model.load_model().threshold == 0.0
    assert support_model.load_model().threshold == shipped


def test_refitting_drops_exactly_the_folds_rows_and_writes_only_its_decisions(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(3)

    def row(corpus: str, task: str, item: str, label: str) -> dict:
        names = STORY_FEATURES if task == "same_story" else FEATURES
        return {"corpus": corpus, "task": task, "label": label, "item": item,
                "features": {f: float(rng.random()) for f in names}}  # fmt: skip

    rows = [row("llmfake", "kind", f"n{i}", ["derived", "none"][i % 2]) for i in range(10)]
    rows += [
        row("synthetic", "kind", f"n{i}", ["derived", "partial", "none"][i % 3]) for i in range(9)
    ]
    rows += [
        row("synthetic", "same_story", f"n{i}", ["same", "different"][i % 2]) for i in range(6)
    ]
    training = ho.SemanticTraining(rows, "llmfake", str)
    note = training.write({"n1", "n2", "n3"}, tmp_path)
    assert note == "kind, kind_lexical refitted without 3 llmfake rows"  # synthetic n1-n3 stay
    saved = json.loads(tmp_path.joinpath("kind.json").read_text())
    assert "'llmfake': 7" in saved["note"] and "'synthetic': 9" in saved["note"]
    # LLMFake labels never reach the same-story decision: the shipped one stays in force
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kind.json", "kind_lexical.json"]
    with pytest.raises(ValueError, match="no counter rows"):
        ho.SemanticTraining(rows, "counter", str)


def test_a_fold_is_refitted_on_the_corpora_of_the_shipped_recipe() -> None:
    # the shipped files' notes name the corpora they were fitted on; a fold uses the same
    assert "semeval" in ho.corpora_for("semeval")
    assert (
        {"counter", "llmfake"} <= set(ho.corpora_for("counter")) == set(ho.corpora_for("llmfake"))
    )
    assert "semeval" not in ho.corpora_for("counter")


def test_merged_folds_keep_their_ids_apart() -> None:
    def part(n: int) -> devsets.Analysed:
        rel = {"source": "a1", "derived": "a2", "kind": "copy", "confidence": 0.9}
        return devsets.Analysed(
            ids={f"x{n}": "a1", f"y{n}": "a2"},  # both folds' stores named their articles alike
            relations={frozenset(("a1", "a2")): [rel]},
            story_of={"a1": 0, "a2": 0},
            findings={"a2": [{"kind": "name_changed"}]},
        )

    merged = ho.merge_analysed([part(0), part(1)])
    assert merged.relation("x0", "y0")["kind"] == merged.relation("x1", "y1")["kind"] == "copy"
    assert merged.relation("x0", "y1") is None
    assert merged.same_story("x1", "y1") and not merged.same_story("x0", "y1")
    assert merged.relation("x1", "y1")["source"] == merged.ids["x1"]
    assert len(merged.findings_on("y0")) == len(merged.findings_on("y1")) == 1


def test_whole_stores_hold_every_record_and_read_only_the_folds(monkeypatch) -> None:
    records = [{"id": i, "text": i} for i in ("a1", "a2", "b1", "b2")]
    group = ho.Grouping(*(lambda r: r[0],) * 3)  # "a1" -> group "a"
    stores, held = [], []

    class Training:
        def write(self, groups: set[str], folder: Path) -> str:
            held.append(groups)
            return "refitted"

    def analyse_records(recs: list[dict]) -> devsets.Analysed:
        stores.append({r["id"] for r in recs})
        n = len(stores)  # each run names its articles and stories its own way
        return devsets.Analysed(
            ids={r["id"]: f"{r['id']}@{n}" for r in recs}, relations={},
            story_of={f"{r['id']}@{n}": (0 if n == 1 else 1) for r in recs}, findings={},
        )  # fmt: skip

    monkeypatch.setattr(devsets, "analyse_records", analyse_records)
    found = ho.heldout_analyser(2, group, Training(), log=lambda m: None, whole=True)(records)
    assert stores == [{"a1", "a2", "b1", "b2"}] * 2
    assert sorted(map(sorted, held)) == [["a"], ["b"]]
    assert set(found.ids) == {"a1", "a2", "b1", "b2"}
    fold = {x: found.ids[x].split("/")[0] for x in found.ids}  # each record read from one run
    assert fold["a1"] == fold["a2"] != fold["b1"] == fold["b2"]
    assert found.same_story("a1", "a2") and not found.same_story("a1", "b1")


def test_a_held_out_baseline_cut_never_sees_its_folds_labels() -> None:
    ids = ["a", "b", "c", "d"]
    seen = []

    def pick(train: list[str]) -> dict[str, float]:
        seen.append(set(train))
        return {"t": float(len(train))}

    folds = {"a": 0, "b": 0, "c": 1, "d": 1}
    preds, cuts = devsets._cross_cut(ids, folds, pick, lambda i, t: f"{i}@{t['t']:.0f}")
    assert seen == [{"c", "d"}, {"a", "b"}]
    assert preds == {"a": "a@2", "b": "b@2", "c": "c@2", "d": "d@2"} and cuts == {"t": 2.0}
    preds, cuts = devsets._cross_cut(ids, None, pick, lambda i, t: "x")
    assert seen[-1] == set(ids) and cuts == {"t": 4.0}


def test_frank_held_out_through_the_real_pipeline() -> None:
    missing = devsets.devdata_missing(devsets.DEVDATA)
    if missing:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing}; CI must measure the dev sets, not skip them")
        pytest.skip(f"NOTICE: {missing}")
    (o,) = devsets.run_sets(names=["frank-valid"], limit=6, log=lambda m: None, heldout=2)
    assert o.heldout and o.baseline_heldout and o.folds == 2
    assert set(o.heldout.predictions) == set(o.ours.predictions) == set(o.baseline_heldout.gold)
    assert o.heldout.gold == o.ours.gold
    assert o.heldout.figures["balanced_accuracy"] is not None
    assert "HELD" in devsets.render_table([o])
