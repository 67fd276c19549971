"""Golden: examples/ through the CLI (`newslineage run`, then `newslineage eval`), scored
against examples/truth.json: relations, directions and stories must be reproduced exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newslineage import api
from newslineage.contract import export_document
from newslineage.evaluate import evaluate


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("newslineage")
    cmd = [str(exe), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_examples_reproduce_the_truth_exactly(examples_dir: Path, tmp_path: Path) -> None:
    store = api.open_store(tmp_path / "e.db")
    api.add([str(examples_dir / "corpus")], store)
    api.analyze(store)
    truth = json.loads((examples_dir / "truth.json").read_text(encoding="utf-8"))
    report = evaluate(truth, export_document(store))
    print("\n" + report.render_table())
    kinds = {r["kind"] for r in truth["relations"]}
    for kind in kinds:
        got = report.by_kind[kind]
        assert (got.precision, got.recall) == (1.0, 1.0), (kind, got)
    assert report.derivation.precision == 1.0 and report.derivation.recall == 1.0
    assert report.direction_accuracy == 1.0
    assert report.bcubed.f1 == 1.0
    assert report.original_accuracy == 1.0


def test_examples_through_the_cli(examples_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    run = _cli("run", str(examples_dir / "corpus"), "--db", db)
    assert run.returncode == 0, run.stderr
    out = _cli("eval", str(examples_dir / "truth.json"), "--db", db)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("derivation (any kind)"))
    assert line.split()[3:6] == ["1.000", "1.000", "1.000"], line
