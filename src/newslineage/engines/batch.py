"""``run_batch``: analyse a set of inputs in one go, on this machine or on Spark.

Both engines read the inputs with the ingest package, extract with ``extract_article`` (every
article of a batch gets the batch's ``first_seen``), find candidates, relate, choose, cluster
and export the JSON contract to ``OUT/export.json``; the Spark engine also writes Parquet
tables (``OUT/articles.parquet`` ...). Same inputs, same ``first_seen``: same ``export.json``.

>>> from datetime import UTC, datetime
>>> r = run_batch(["examples/corpus"], "out", first_seen=datetime(2025, 3, 1, tzinfo=UTC))  # doctest: +SKIP
>>> r.export_path.name  # doctest: +SKIP
'export.json'
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from newslineage.errors import ConfigError, InputError
from newslineage.ingest import IngestOptions, read_sources
from newslineage.model import Skipped
from newslineage.store import open_store
from newslineage.store.base import Store

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

    ``first_seen`` (default: now) is stamped on every article; ``master`` (e.g. ``local[4]``,
    ``yarn``) or an existing ``spark`` session choose where the Spark engine runs.
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
    from newslineage.api import analyze
    from newslineage.contract import write_export

    parquet = [s for s in inputs if s.rstrip("/").lower().endswith(".parquet")]
    if parquet:
        raise InputError(parquet[0], "Parquet is read by the Spark engine only",
                         "add --engine spark, or give JSONL instead")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newslineage-") as tmp:
        store = open_store(Path(tmp) / "batch.db")
        try:
            skipped = ingest(inputs, store, when, max_bytes)
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


def ingest(inputs: Sequence[str], store: Store, when: datetime, max_bytes: int) -> list[Skipped]:
    """Read, extract and store every input with one ``first_seen``; the skipped items."""
    from newslineage.api import add_documents

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
    from newslineage.engines.spark import spark_session

    session = spark or spark_session(master)
    from newslineage.engines.spark.batch import run_spark

    if "://" not in out or out.startswith("file://"):
        Path(out.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
    got = run_spark(session, inputs, out, first_seen=when, max_bytes=max_bytes,
                    write_json="://" not in out or out.startswith("file://"))  # fmt: skip
    return BatchResult("spark", got.articles, got.candidates, len(got.relations),
                       len(got.stories), len(got.findings), perf_counter() - started,
                       got.export_path, got.tables, tuple(got.skipped))  # fmt: skip
