"""The public library: what the CLI, the web app and your own code call.

>>> from newslineage import api
>>> store = api.open_store(":memory:")          # doctest: +SKIP
>>> result = api.add(["examples/"], store)      # doctest: +SKIP
>>> result.ingested                               # doctest: +SKIP
11
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any, TextIO

from .errors import ConfigError, InputError
from .extract import extract_article
from .ingest import IngestOptions, read_sources
from .ingest.repair import repair_document
from .model import Article, Document, Relation, Skipped, Story
from .store import open_store
from .store.base import Store
from .store.writer import IngestWriter

__all__ = [
    "AddResult",
    "BatchResult",
    "InputError",
    "add",
    "add_documents",
    "analyze",
    "evaluate_store",
    "export",
    "find_article",
    "lineage_of",
    "open_store",
    "outlets",
    "report",
    "run_batch",
]

Progress = Callable[[str, int], None]  # (what, how many more) -> None


@dataclass(slots=True)
class AddResult:
    """What one ``add`` did: counts per outcome and every skipped input with its reason."""

    new: int = 0
    versions: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[Skipped] = field(default_factory=list)  # benign: "not modified" etc.
    article_ids: list[str] = field(default_factory=list)

    @property
    def ingested(self) -> int:
        """Articles stored by this call (new articles and new versions)."""
        return self.new + self.versions

    @property
    def seen(self) -> int:
        return self.new + self.versions + self.unchanged


def add(
    sources: Sequence[str],
    store: Store,
    *,
    allow_private: bool = False,
    outlet: str | None = None,
    max_bytes: int = 50_000_000,
    stdin: Any = None,
    progress: Progress | None = None,
) -> AddResult:
    """Read every source (files, dirs, globs, URLs, ``-``), extract and store its articles.

    Bad inputs are collected in ``result.skipped`` (also logged in the store); they never stop
    the batch. Articles are committed in small batches (``store.writer``), so an interrupted
    run keeps everything committed so far and a re-run completes the batch.
    """
    with IngestWriter(store) as writer:
        options = IngestOptions(
            allow_private=allow_private, max_bytes=max_bytes, meta=writer, stdin=stdin
        )
        items = read_sources(sources, options)
        return add_documents(items, store, outlet=outlet, progress=progress, writer=writer)


def add_documents(
    items: Iterable[Document | Skipped],
    store: Store,
    *,
    outlet: str | None = None,
    progress: Progress | None = None,
    first_seen: datetime | None = None,
    writer: IngestWriter | None = None,
) -> AddResult:
    """Extract and store already-read documents (what ``add`` does after reading).

    ``first_seen`` fixes the ingestion time (a batch engine uses one time for a whole run);
    by default each article gets the moment it is extracted. Writes go through ``writer``
    (default: a new :class:`IngestWriter`, flushed before returning).
    """
    if writer is None:
        with IngestWriter(store) as own:
            return add_documents(
                items, store, outlet=outlet, progress=progress, first_seen=first_seen, writer=own
            )
    result = AddResult()
    for item in items:
        if progress:
            progress("items", 1)
        if isinstance(item, Document):  # callers other than read_sources: web, batch engines
            item, notice = repair_document(item)
            if notice is not None:
                result.notices.append(notice)
                _count(result, writer.skip(notice))
        outcome = (
            item
            if isinstance(item, Skipped)
            else extract_article(
                item, first_seen=first_seen or datetime.now(UTC), default_outlet=outlet
            )
        )
        if isinstance(outcome, Skipped):
            (result.skipped if outcome.error else result.notices).append(outcome)
            _count(result, writer.skip(outcome))
        else:
            _count(result, writer.add(outcome, item.raw if isinstance(item, Document) else None))
    _count(result, writer.flush())
    return result


_COUNTERS = {"new": "new", "version": "versions", "unchanged": "unchanged"}


def _count(result: AddResult, stored: list[tuple[str, str]]) -> None:
    for status, article_id in stored:
        counter = _COUNTERS[status]
        setattr(result, counter, getattr(result, counter) + 1)
        result.article_ids.append(article_id)


def analyze(
    store: Store,
    *,
    progress: Progress | None = None,
    full: bool = False,
    model: str | Path | None = None,
    wait: float | None = None,
    semantic: bool | None = None,
) -> Any:
    """Match the articles not yet analysed against everything stored; update lineage.

    All of it is written in one transaction, so an interrupted run changes nothing and the
    rerun does it all. ``wait``: seconds to wait while another analysis of this store runs
    (default ``engines.lease.LEASE_WAIT_S``), then a ``StoreError`` names it.

    ``model``: a local model directory whose second opinion reviews the findings
    (``docs/models.md``; needs the ``[models]`` extra). Loaded first, so a bad path fails fast.
    ``semantic``: run the semantic layer (default: on, unless ``NEWSLINEAGE_SEMANTIC=0``).
    """
    from .align.memo import AlignmentMemo
    from .engines.findings import plan_findings, snapshot
    from .engines.lease import analysis_lease, still_held
    from .engines.local import plan_analysis, write_plan
    from .semantic.params import SemanticParams, semantic_enabled

    opinion = None
    if model is not None:
        from .models import load_model

        opinion = load_model(model)
    # one analysis at a time per store (engines/lease.py), and everything it decides is
    # written in one transaction: a run killed anywhere leaves the store as it was, with its
    # articles still queued, so a plain rerun does the whole analysis (docs/guarantees.md)
    params = SemanticParams(enabled=semantic_enabled(semantic))
    with analysis_lease(store, wait=wait) as lease:
        before = None if full else snapshot(store)
        memo = AlignmentMemo()  # relate's alignments, read again by the drift step
        plan = plan_analysis(store, progress=progress, full=full, memo=memo, semantic=params)
        if not plan.analysed:
            return plan.summary
        found = plan_findings(store, plan.relations, plan.stories, before, opinion, memo)
        with store.transaction():
            still_held(store, lease)
            write_plan(store, plan)
            if found is not None:
                store.replace_findings(*found)
            store.put_alignments(memo.complete())  # the views read these, not align again
    return plan.summary


def find_article(store: Store, ref: str) -> Article:
    """The article named by an id (or id prefix), URL or input file name."""
    found = store.find_articles(ref)
    if not found:
        raise InputError(
            ref,
            "no stored article has this id, URL or file name",
            "run `newslineage list` to see the stored articles",
        )
    if len({a.id for a in found}) > 1:
        ids = ", ".join(a.id for a in found[:5])
        raise InputError(
            ref, f"matches {len(found)} articles ({ids})", "give more characters of the id"
        )
    return found[0]


@dataclass(frozen=True, slots=True)
class Lineage:
    """One article's place in the lineage: its sources, its copies and its story."""

    article: Article
    sources: tuple[Relation, ...]
    derived: tuple[Relation, ...]
    story: Story | None


def lineage_of(store: Store, article_id: str) -> Lineage:
    """The relations into and out of one article, and its story."""
    article = find_article(store, article_id)
    rels = store.relations()
    story = next((s for s in store.stories() if article.id in s.articles), None)
    return Lineage(
        article=article,
        sources=tuple(r for r in rels if r.derived == article.id),
        derived=tuple(r for r in rels if r.source == article.id),
        story=story,
    )


def evaluate_store(store: Store, truth_path: str | Path) -> Any:
    """Score the analysed store against a ground-truth file (see ``examples/truth.json``)."""
    from .contract import export_document
    from .evaluate import evaluate

    path = Path(truth_path)
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            str(path), "file not found", "give the path of a truth JSON file"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            str(path), f"not valid JSON ({exc})", "see examples/truth.json for the format"
        ) from None
    if not isinstance(truth, dict) or "articles" not in truth:
        raise InputError(
            str(path),
            "not a truth file (no 'articles' list)",
            "see examples/truth.json for the format",
        )
    return evaluate(truth, export_document(store))


def outlets(store: Store) -> list[Any]:
    """One :class:`~newslineage.model.OutletProfile` per outlet, from the analysed store."""
    from .outlets import profile_outlets

    return profile_outlets(list(store.iter_articles()), store.relations(), store.findings())


def report(store: Store, out_dir: str | Path) -> Path:
    """Write the static HTML report (stories, lineage graphs, articles, outlets); return index.html."""
    from .report.html import write_report

    return write_report(store, Path(out_dir))


def export(store: Store, fmt: str, out: TextIO, table: str = "articles") -> None:
    """Write the store in the JSON contract (``json``/``jsonl``) or one ``csv`` table."""
    from .contract import write_export

    write_export(store, fmt, out, table=table)  # type: ignore[arg-type]


# ---------------------------------------------------------------- one batch, either engine

ENGINES = ("local", "spark")


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one batch did and where it wrote its results."""

    engine: str
    articles: int
    candidates: int
    relations: int
    stories: int
    findings: int
    seconds: float
    export_path: Path | None
    tables: dict[str, str] = field(default_factory=dict)  # Parquet table -> path (spark)
    skipped: tuple[Skipped, ...] = ()

    def __str__(self) -> str:
        errors = sum(s.error for s in self.skipped)
        where = self.export_path or next(iter(self.tables.values()), "")
        return (
            f"{self.engine}: {self.articles} article(s), {self.candidates} candidate pair(s), "
            f"{self.relations} relation(s), {self.stories} stor"
            f"{'y' if self.stories == 1 else 'ies'}, {self.findings} finding(s), "
            f"{errors} input(s) skipped, in {self.seconds:.1f} s -> {where}"
        )


def run_batch(
    inputs: Sequence[str],
    out_dir: str | Path,
    engine: str = "local",
    *,
    first_seen: datetime | None = None,
    master: str | None = None,
    spark: Any = None,
    max_bytes: int = 50_000_000,
) -> BatchResult:
    """Analyse ``inputs`` with ``engine`` and write the results to ``out_dir``.

    Both engines read the inputs with the ingest package, extract with ``extract_article``
    (every article gets the batch's ``first_seen``, default: now), find candidates, relate,
    choose, cluster and export the JSON contract to ``OUT/export.json``; the Spark engine
    also writes Parquet tables (``OUT/articles.parquet`` ...). Same inputs, same
    ``first_seen``: same ``export.json``. ``master`` (e.g. ``local[4]``, ``yarn``) or an
    existing ``spark`` session choose where the Spark engine runs.

    >>> from datetime import UTC, datetime
    >>> r = run_batch(["examples/corpus"], "out", first_seen=datetime(2025, 3, 1, tzinfo=UTC))  # doctest: +SKIP
    >>> r.export_path.name  # doctest: +SKIP
    'export.json'
    """
    if engine not in ENGINES:
        raise ConfigError("--engine", f"unknown engine {engine!r}", "use local or spark")
    if not inputs:
        raise InputError("batch", "no inputs given", "name files, folders or Parquet paths")
    when = first_seen or datetime.now(UTC)
    started = perf_counter()
    if engine == "local":
        return _run_local(list(inputs), Path(out_dir), when, max_bytes, started)
    return _run_spark(list(inputs), str(out_dir), when, master, spark, max_bytes, started)


def _run_local(
    inputs: list[str], out: Path, when: datetime, max_bytes: int, started: float
) -> BatchResult:
    from .contract import write_export

    parquet = [s for s in inputs if s.rstrip("/").lower().endswith(".parquet")]
    if parquet:
        raise InputError(parquet[0], "Parquet is read by the Spark engine only",
                         "add --engine spark, or give JSONL instead")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newslineage-") as tmp:
        store = open_store(Path(tmp) / "batch.db")
        try:
            skipped = _ingest_batch(inputs, store, when, max_bytes)
            summary = analyze(store)  # stores the drift findings too
            export_path = out / "export.json"
            with export_path.open("w", encoding="utf-8") as fh:
                write_export(store, "json", fh)
            counts = (store.count_articles(), len(store.relations()), len(store.stories()),
                      len(store.findings()))  # fmt: skip
        finally:
            store.close()
    return BatchResult("local", counts[0], summary.candidates, counts[1], counts[2], counts[3],
                       perf_counter() - started, export_path, {}, tuple(skipped))  # fmt: skip


def _ingest_batch(
    inputs: Sequence[str], store: Store, when: datetime, max_bytes: int
) -> list[Skipped]:
    """Read, extract and store every input with one ``first_seen``; the skipped items."""
    items = read_sources(inputs, IngestOptions(max_bytes=max_bytes, meta=store))
    result = add_documents(items, store, first_seen=when)
    return [*result.skipped, *result.notices]


def _run_spark(
    inputs: list[str],
    out: str,
    when: datetime,
    master: str | None,
    spark: Any,
    max_bytes: int,
    started: float,
) -> BatchResult:
    from .engines.spark import spark_session

    session = spark or spark_session(master)
    from .engines.spark.batch import run_spark

    if "://" not in out or out.startswith("file://"):
        Path(out.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
    got = run_spark(session, inputs, out, first_seen=when, max_bytes=max_bytes,
                    write_json="://" not in out or out.startswith("file://"))  # fmt: skip
    return BatchResult("spark", got.articles, got.candidates, len(got.relations),
                       len(got.stories), len(got.findings), perf_counter() - started,
                       got.export_path, got.tables, tuple(got.skipped))  # fmt: skip
