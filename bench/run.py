"""``python -m bench.run``: every benchmark in one process, written to ``bench/RESULTS.md``.

Each figure comes with a baseline measured in the same run and the ratio between them (the
machines are shared; compare ratios between runs, not absolutes). Targets from the scaling
issue are checked and a missed one comes with a cProfile of where the time goes.

    python -m bench.run                       # full run (tens of minutes to hours)
    python -m bench.run --quick               # smoke run at tiny sizes, under 2 minutes
    python -m bench.run --sizes 10000,100000 --stream-sizes 100000,1000000
    python -m bench.run --stages quality      # the real dev sets only (also: python -m bench.devsets)

Not part of ``make test``: only ``tests/unit/test_bench_smoke.py`` runs ``--quick`` at tiny
sizes, and it checks the structure of the results, never a timing.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    bench_align,
    bench_analyze,
    bench_candidates,
    bench_ingest,
    bench_serve,
    bench_signatures,
    bench_stream,
    devsets,
)
from bench.bench_common import Figure, Section, calibration_seconds, fmt

STAGES = ("ingest", "signatures", "candidates", "align", "analyze", "stream", "serve", "quality")
DEFAULT_OUT = Path(__file__).resolve().parent / "RESULTS.md"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
BEGIN = "<!-- bench/RESULTS.md begins: written by python -m bench.run, do not edit -->"
END = "<!-- bench/RESULTS.md ends -->"


@dataclass(frozen=True, slots=True)
class Plan:
    """Sizes of one run."""

    ingest_n: int = 500
    signatures_n: int = 3000
    candidates_n: int = 2000
    align_pairs: int = 60
    analyze_sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    analyze_budget_s: float = 1800.0
    profile_n: int = 60  # relate-bound: ~1 s per article on the synthetic corpus
    # a 1M-article store takes longer to generate than the whole run; the per-query work is
    # capped, so latency is measured at three sizes and extrapolated (bench_stream.py)
    stream_sizes: tuple[int, ...] = (10_000, 25_000, 50_000)
    stream_new: int = 20
    stream_budget_s: float = 60.0
    repeats: int = 2
    # pairs / news items / articles per dev set (None: all; the four sets take ~15 s in all)
    quality_limit: int | None = None
    # held-out figures beside the in-sample ones: folds per dev set (None: in-sample only; the
    # first run builds the decisions' training rows, ~15 CPU-minutes, then cached)
    quality_heldout: int | None = 5
    # serve: articles stored, POSTs per loop (3 loops), seconds allowed for the load phase
    serve_n: int = 500
    serve_posts: int = 5
    serve_budget_s: float = 300.0


QUICK = Plan(ingest_n=20, signatures_n=200, candidates_n=150, align_pairs=6,
             analyze_sizes=(40, 80), analyze_budget_s=12.0, profile_n=20,
             stream_sizes=(200, 400), stream_new=2, stream_budget_s=6.0, repeats=1,
             quality_limit=20, quality_heldout=None, serve_n=40, serve_posts=2, serve_budget_s=60.0)  # fmt: skip


def _ints(text: str) -> tuple[int, ...]:
    try:
        out = tuple(int(x.replace("_", "")) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes like 10000,100000") from None
    if not out or min(out) < 10:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes of at least 10, like 10000")
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run under 2 min")
    ap.add_argument("--sizes", type=_ints, help="analyze sizes, e.g. 10000,100000")
    ap.add_argument("--stream-sizes", type=_ints, help="store sizes for streaming latency")
    ap.add_argument("--budget", type=float, help="seconds allowed per analyze size")
    ap.add_argument("--profile-n", type=int, help="articles in the analyze profile run")
    ap.add_argument("--stream-budget", type=float, help="seconds of streaming per store size")
    ap.add_argument("--stages", default=",".join(STAGES),
                    help=f"comma-separated subset of {','.join(STAGES)}")  # fmt: skip
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to write")
    args = ap.parse_args(argv)
    bad = set(args.stages.split(",")) - set(STAGES)
    if bad:
        ap.error(f"unknown stage(s) {sorted(bad)}; use some of {','.join(STAGES)}")
    return args


def make_plan(args: argparse.Namespace) -> Plan:
    base = QUICK if args.quick else Plan()
    changes = {}
    if args.sizes:
        changes["analyze_sizes"] = args.sizes
    if args.stream_sizes:
        changes["stream_sizes"] = args.stream_sizes
    if args.budget:
        changes["analyze_budget_s"] = args.budget
    if args.profile_n is not None:
        changes["profile_n"] = args.profile_n
    if args.stream_budget:
        changes["stream_budget_s"] = args.stream_budget
    return Plan(**{**asdict(base), **changes})


def run(plan: Plan, stages: tuple[str, ...], log=print) -> dict:
    """Run the chosen stages; the results as a dict (sections, summary, plan, machine)."""
    sections: list[Section] = []
    summary: dict = {}
    cal0 = calibration_seconds()
    for stage in stages:
        log(f"[bench] {stage} ...")
        t = time.perf_counter()
        sec, extra = _stage(stage, plan)
        sec.seconds = time.perf_counter() - t
        sections.append(sec)
        summary.update(extra)
        log(f"[bench] {stage} done in {sec.seconds:.0f} s")
    return {
        "plan": asdict(plan), "stages": list(stages), "sections": sections, "summary": summary,
        "calibration_ms": (cal0 * 1000, calibration_seconds() * 1000),
        "machine": f"{platform.node()} / {platform.processor() or platform.machine()} / "
                   f"Python {platform.python_version()}",
    }  # fmt: skip


def _stage(stage: str, p: Plan) -> tuple[Section, dict]:
    if stage == "ingest":
        return bench_ingest.run(p.ingest_n, p.repeats), {}
    if stage == "signatures":
        return bench_signatures.run(p.signatures_n, p.repeats), {}
    if stage == "candidates":
        return bench_candidates.run(p.candidates_n, p.repeats)
    if stage == "align":
        return bench_align.run(p.align_pairs, p.repeats), {}
    if stage == "analyze":
        return bench_analyze.run(list(p.analyze_sizes), p.analyze_budget_s, p.profile_n)
    if stage == "serve":
        return bench_serve.run(p.serve_n, p.serve_posts, p.serve_budget_s)
    if stage == "quality":
        return devsets.quality_section(
            limit=p.quality_limit, log=_stderr, heldout=p.quality_heldout
        ), {}
    return bench_stream.run(list(p.stream_sizes), p.stream_new, p.stream_budget_s)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------- Markdown
def render(results: dict, command: str) -> str:
    """RESULTS.md text."""
    lines = [
        "# newslineage benchmark results",
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({results['machine']}). Calibration workload: "
        + " / ".join(f"{x:.1f}" for x in results["calibration_ms"])
        + " ms (start / end of run; a busy machine shows higher numbers).",
        "",
        "Every figure has a baseline measured in the same process; **ratio** is ours / "
        "baseline for rates (higher is better) and baseline / ours for times and errors.",
        "",
        "## Targets",
        "",
        "| target | figure | value | met |",
        "|---|---|---|---|",
    ]
    for sec in results["sections"]:
        for f in sec.figures:
            if f.target:
                met = {True: "yes", False: "**NO**", None: "-"}[f.met]
                lines.append(f"| {f.target} | {f.name} | {fmt(f.value)} {f.unit} | {met} |")
    lines += ["", "## Recall at each stage", ""]
    lines += [f"- {k}: {_val(v)}" for k, v in results["summary"].items()]
    for sec in results["sections"]:
        lines += ["", f"## {sec.title}", "", f"({sec.seconds:.0f} s)", ""]
        lines += ["| figure | value | unit | baseline | baseline is | ratio | note |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        lines += [_row(f) for f in sec.figures]
        lines += ["", *sec.notes]
        for name, text in sec.profiles.items():
            lines += ["", f"**Profile: {name}**", "", "```", text, "```"]
    return "\n".join(lines).rstrip() + "\n"


def _val(v) -> str:
    return fmt(v) if isinstance(v, float) else str(v)


def _row(f: Figure) -> str:
    ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
    cells = [f.name, fmt(f.value), f.unit, fmt(f.baseline), f.baseline_name, ratio, f.note]
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def as_docs_section(results_md: str) -> str:
    """RESULTS.md as it appears in docs/performance.md: headings one level down, no title."""
    lines = results_md.splitlines()[1:]  # the "# newslineage benchmark results" title
    return "\n".join(("#" + ln if ln.startswith("#") else ln) for ln in lines).strip() + "\n"


def splice(docs: str, results_md: str) -> str:
    """``docs`` with the part between the bench markers replaced by ``results_md``.

    >>> splice(f"intro\\n{BEGIN}\\nold\\n{END}\\nrest", "# t\\n\\n## A\\nx\\n").split("\\n")[2:5]
    ['### A', 'x', '<!-- bench/RESULTS.md ends -->']
    """
    head, sep, rest = docs.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"docs/performance.md lacks the markers {BEGIN!r} and {END!r}")
    return f"{head}{BEGIN}\n{as_docs_section(results_md)}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    stages = tuple(s for s in STAGES if s in args.stages.split(","))
    results = run(plan, stages, log=lambda m: print(m, file=sys.stderr, flush=True))
    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = render(results, command.strip())
    args.out.write_text(text, encoding="utf-8")
    print(f"[bench] wrote {args.out}", file=sys.stderr)
    if args.out.resolve() == DEFAULT_OUT and stages == STAGES and not args.quick and DOCS.exists():
        DOCS.write_text(splice(DOCS.read_text(encoding="utf-8"), text), encoding="utf-8")
        print(f"[bench] copied the figures into {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
