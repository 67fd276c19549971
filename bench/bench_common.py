"""Shared pieces of the benchmarks: figures, timers, peak memory, profiles, corpus helpers.

Machines are shared and noisy, so every figure is paired with a baseline measured in the same
process, right next to it, and the ratio is what to compare between runs. Timers take the best
of a few repeats (the least disturbed run), interleaving ours and the baseline.
"""

from __future__ import annotations

import cProfile
import difflib
import io
import pstats
import resource
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations

from newslineage.model import Article
from newslineage.text.sentences import split_sentences


@dataclass(slots=True)
class Figure:
    """One measured number, its baseline from the same process, and the target it answers."""

    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    # value / baseline for rates (higher is better), baseline / value for times
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass(slots=True)
class Section:
    """The figures of one stage, plus profiles and notes to print under its table."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)


def rate_figure(name: str, n: int, secs: float, base_secs: float, base_name: str,
                unit: str = "docs/s", **kw) -> Figure:  # fmt: skip
    """A throughput figure: ``n`` items in ``secs`` vs the same items in ``base_secs``."""
    value = n / max(secs, 1e-9)
    base = n / max(base_secs, 1e-9)
    return Figure(name, value, unit, base, base_name, value / base, **kw)


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Shortest wall time of ``repeats`` runs of ``fn`` and the last result."""
    best, out = float("inf"), None
    for _ in range(max(repeats, 1)):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux: ``VmHWM`` of this process image. ``ru_maxrss`` is not used there because it
    survives ``exec``, so a spawned child would report its parent's peak.
    """
    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


_CAL_A = " ".join(f"word{i % 97} other{i % 13} thing{i % 31}" for i in range(400)).split()
_CAL_B = _CAL_A[::-1][:600] + _CAL_A[:300]


def calibration_seconds(repeats: int = 3) -> float:
    """Time of a fixed pure-Python workload (difflib over two 1,200-word lists).

    Figures with no natural baseline are also given in these units, so a run on a busy
    machine can be compared with one on an idle machine.
    """
    secs, _ = best_of(lambda: difflib.SequenceMatcher(None, _CAL_A, _CAL_B).ratio(), repeats)
    return secs


def profile_top(fn: Callable[[], object], top: int = 15) -> tuple[str, object]:
    """Run ``fn`` under cProfile; the top functions by cumulative and by own time."""
    prof = cProfile.Profile()
    out = prof.runcall(fn)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    # keep the table, drop pstats' preamble of file names
    start = text.find("   ncalls")
    return (text[start:] if start >= 0 else text).rstrip(), out


# ----------------------------------------------------------------- corpus helpers
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def fast_article(r: dict, prefix: str = "") -> Article:
    """An Article straight from a generated record (no HTML/boilerplate extraction).

    Used where extraction would dominate set-up time (100k+ stores); the record's text is
    already clean, and sentences come from the same splitter extraction uses.
    """
    text = r["text"]
    rid = prefix + r["id"]
    return Article(
        id=rid, text=text, url=r["url"] + prefix, outlet=r["outlet"], title=r["title"],
        published=datetime.fromisoformat(r["published"]), first_seen=NOW,
        language=r.get("language"), external_id=rid,
        sentences=tuple(split_sentences(text, r.get("language"))), key=r["url"] + prefix,
    )  # fmt: skip


def indexed_corpus(n: int, seed: int) -> tuple[list[Article], dict[str, Article], object]:
    """A generated corpus of ``n`` articles (ids hashed as the store hashes them), by id, and a
    ``CandidateIndex`` holding it: the setup of the one-process benches of a stage."""
    from dataclasses import replace
    from hashlib import sha1

    from bench.generate import generate_corpus
    from newslineage.index.candidates import CandidateIndex

    records, _ = generate_corpus(n, seed=seed)
    articles = [
        replace(a, id=sha1(a.id.encode()).hexdigest()[:16]) for a in map(fast_article, records)
    ]
    index = CandidateIndex()
    index.add(articles)
    return articles, {a.id: a for a in articles}, index


def run_sized(measure: Callable[[int, int], object], doc: str | None, n: int = 3000) -> None:
    """The command line of a bench whose ``measure(n, seed)`` prints one result."""
    import argparse

    ap = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    ap.add_argument("--n", type=int, default=n, help="generated articles")
    ap.add_argument("--seed", type=int, default=23)
    args = ap.parse_args()
    print(measure(args.n, args.seed))


def truth_derivations(truth: dict, prefix: str = "") -> dict[frozenset[str], str]:
    """Unordered truth derivation pairs -> kind."""
    return {
        frozenset((prefix + r["source"], prefix + r["derived"])): r["kind"]
        for r in truth["relations"]
    }


def truth_same_story(truth: dict, prefix: str = "") -> set[frozenset[str]]:
    """Unordered pairs of articles in one truth story that are not a derivation pair."""
    derived = set(truth_derivations(truth, prefix))
    out = set()
    for s in truth["stories"]:
        for a, b in combinations(s["articles"], 2):
            pair = frozenset((prefix + a, prefix + b))
            if pair not in derived:
                out.add(pair)
    return out


def recall(found: Iterable[frozenset[str]], wanted: Iterable[frozenset[str]]) -> float | None:
    wanted = set(wanted)
    if not wanted:
        return None
    return len(wanted & set(found)) / len(wanted)


def fmt(x: float | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits, thousands separated; '-' for None."""
    if x is None:
        return "-"
    if x == 0 or abs(x) >= 10 ** (digits - 1):
        return f"{x:,.0f}"
    return f"{x:,.{max(digits - 1 - int(_floor_log10(abs(x))), 0)}f}"


def _floor_log10(x: float) -> int:
    import math

    return math.floor(math.log10(x))
