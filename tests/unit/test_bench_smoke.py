"""The benchmark harness runs end to end at tiny sizes and writes a complete RESULTS file.

Structure only: figures exist, have units and baselines where promised, targets are checked,
the Markdown has every section. Never a timing assertion (machines are shared and noisy).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # `bench` is a top-level folder, not part of the package

from bench import run as bench_run  # noqa: E402

TINY = bench_run.Plan(ingest_n=6, signatures_n=40, candidates_n=40, align_pairs=2,
                      analyze_sizes=(12, 24), analyze_budget_s=4.0, profile_n=6,
                      stream_sizes=(30, 60), stream_new=1, stream_budget_s=1.0, repeats=1,
                      quality_limit=6, quality_heldout=None, serve_n=12, serve_posts=1,
                      serve_budget_s=30.0)  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return bench_run.run(TINY, bench_run.STAGES, log=lambda m: None)


def test_every_stage_has_figures_with_units(results):
    titles = [s.title for s in results["sections"]]
    assert len(titles) == len(bench_run.STAGES)
    for sec in results["sections"]:
        assert sec.figures, sec.title
        for f in sec.figures:
            assert f.unit and f.name
            if f.ratio is not None:
                assert f.baseline is not None and f.baseline_name, f.name


def test_rate_figures_carry_a_same_process_baseline(results):
    by = {f.name: f for s in results["sections"] for f in s.figures}
    sig = by["signatures, raw text -> 128 values"]
    assert sig.value > 0 and sig.baseline > 0 and "datasketch" in sig.baseline_name
    assert sig.ratio == pytest.approx(sig.value / sig.baseline)
    html = by["HTML pages: read_sources + extract_article"]
    assert html.baseline_name.startswith("trafilatura.extract")
    assert 0.0 <= by["derivation-pair recall, all channels"].value <= 1.0


def test_targets_are_checked_and_summary_has_recalls(results):
    targets = [f for s in results["sections"] for f in s.figures if f.target]
    assert {"<= 200 ms median at 1M", "<= 1 KB/article beyond the text store"} <= {
        f.target for f in targets
    }
    assert all(f.met in (True, False) for f in targets if f.value is not None)
    for key in ("candidate_recall", "relation_recall", "stream_found"):
        assert key in results["summary"]


def test_markdown_has_all_sections_and_the_command(results, tmp_path):
    text = bench_run.render(results, "python -m bench.run --quick")
    assert "`python -m bench.run --quick`" in text
    for heading in ("## Targets", "## Recall at each stage", "## MinHash signatures",
                    "## End-to-end analyze", "## Streaming: one new article"):  # fmt: skip
        assert heading in text
    assert text.count("\n| figure | value |") == len(bench_run.STAGES)


def test_cli_rejects_bad_sizes_and_stages(capsys):
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--sizes", "ten"])
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--stages", "ingest,warp"])
    plan = bench_run.make_plan(bench_run.parse_args(["--quick", "--sizes", "100,200"]))
    assert plan.analyze_sizes == (100, 200) and plan.ingest_n == bench_run.QUICK.ingest_n
