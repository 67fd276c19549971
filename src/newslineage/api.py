"""The public library: what the CLI, the web app and your own code call.

>>> from newslineage import api
>>> store = api.open_store(":memory:")          # doctest: +SKIP
>>> result = api.add(["examples/"], store)      # doctest: +SKIP
>>> result.ingested                               # doctest: +SKIP
11
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .extract import extract_article
from .ingest import IngestOptions, read_sources
from .ingest.repair import repair_document
from .model import Article, Document, Relation, Skipped, Story
from .store import open_store
from .store.base import Store
from .store.writer import IngestWriter

__all__ = [
    "AddResult",
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
) -> Any:
    """Match the articles not yet analysed against everything stored; update lineage.

    ``model``: a local model directory whose second opinion reviews the findings
    (``docs/models.md``; needs the ``[models]`` extra). Loaded first, so a bad path fails fast.
    """
    from .align.memo import AlignmentMemo
    from .engines.findings import snapshot, update_findings
    from .engines.local import analyze_store

    opinion = None
    if model is not None:
        from .models import load_model

        opinion = load_model(model)
    before = None if full else snapshot(store)
    memo = AlignmentMemo()  # relate's alignments, read again by the drift step
    summary = analyze_store(store, progress=progress, full=full, memo=memo)
    update_findings(store, before, opinion=opinion, memo=memo)
    return summary


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
    from .evaluate import evaluate
    from .report.export import export_document

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
    from .report.export import write_export

    write_export(store, fmt, out, table=table)  # type: ignore[arg-type]
