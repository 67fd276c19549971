"""The JSON export contract (ARCHITECTURE.md, "JSON export") and the store exported in it as
JSON, JSON Lines or CSV.

It sits below ``report``, ``engines`` and ``web`` (it imports only the model, the store and
``outlets``), so the CLI export, the Spark engine's output and the REST API build their records
with the same functions and never disagree.

The contract's keys come first in each record, in the documented order; every other
field of the model record follows (fields may be added, never renamed). Ordering is
deterministic: articles in ingestion order, relations by (source, derived, kind),
stories by id, findings by (article, derived span, kind), outlets by name.

>>> import io
>>> from newslineage.store import open_store
>>> buf = io.StringIO()
>>> write_export(open_store(":memory:"), "jsonl", buf)
>>> buf.getvalue()
''
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, Literal, TextIO

from .errors import ConfigError
from .model import Article, Finding, OutletProfile, Relation, Story
from .outlets import profile_outlets
from .store.base import Store

# the contract's keys per table, in order (ARCHITECTURE.md, "JSON export")
CONTRACT: dict[str, tuple[str, ...]] = {
    "articles": (
        "id",
        "url",
        "outlet",
        "title",
        "published",
        "first_seen",
        "language",
        "credits",
        "links",
        "origin_file",
        "origin_item",
        "external_id",
        "text",
    ),
    "relations": (
        "source",
        "derived",
        "kind",
        "coverage",
        "verbatim_share",
        "confidence",
        "evidence",
    ),
    "stories": ("id", "title", "articles", "original", "external_origin"),
    "findings": (
        "article",
        "kind",
        "source_article",
        "source_span",
        "derived_span",
        "severity",
        "message",
    ),
    "outlets": ("outlet", "articles", "derived_share", "attribution_rate"),
}
TABLES: tuple[str, ...] = tuple(CONTRACT)
_MODELS: dict[str, type] = {
    "articles": Article,
    "relations": Relation,
    "stories": Story,
    "findings": Finding,
    "outlets": OutletProfile,
}
_RECORD_TYPE = {
    "articles": "article",
    "relations": "relation",
    "stories": "story",
    "findings": "finding",
    "outlets": "outlet",
}
_FAR = datetime.max.replace(tzinfo=UTC)


def columns(table: str) -> tuple[str, ...]:
    """The keys of one table's records: the contract's, then the model's other fields.

    >>> columns("outlets")[:4]
    ('outlet', 'articles', 'derived_share', 'attribution_rate')
    """
    contract = CONTRACT[table]
    rest = tuple(f.name for f in dataclasses.fields(_MODELS[table]) if f.name not in contract)
    extra = ("version_of",) if table == "articles" else ()
    return contract + rest + extra


def jsonable(value: Any) -> Any:
    """Model values as JSON values: ISO-8601 UTC datetimes, lists, dicts for records."""
    if isinstance(value, datetime):
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return utc.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def contract_record(table: str, obj: Any, **extra: Any) -> dict[str, Any]:
    out = {}
    for name in columns(table):
        out[name] = extra[name] if name in extra else jsonable(getattr(obj, name))
    return out


def previous_versions(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> the id of the version before it under the same key (as Store.versions)."""
    groups: dict[str, list[tuple[int, Article]]] = defaultdict(list)
    for pos, a in enumerate(articles):
        if a.key:
            groups[a.key].append((pos, a))
    previous: dict[str, str] = {}
    for group in groups.values():
        group.sort(key=lambda p: (p[1].first_seen or _FAR, p[0]))
        for (_, older), (_, newer) in pairwise(group):
            previous[newer.id] = older.id
    return previous


def _finding_order(f: Finding) -> tuple[Any, ...]:
    start = f.derived_span[0] if f.derived_span else -1
    return (f.article, start, f.kind, f.source_article or "", f.message)


def export_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The whole analysis as one JSON-able dict with the five contract keys.

    >>> from newslineage.store import open_store
    >>> sorted(export_document(open_store(":memory:")))
    ['articles', 'findings', 'outlets', 'relations', 'stories']
    """
    articles = list(store.iter_articles())
    relations = sorted(store.relations(), key=lambda r: (r.source, r.derived, r.kind))
    findings = sorted(store.findings(), key=_finding_order)
    stories = sorted(store.stories(), key=lambda s: s.id)
    outlets = sorted(profile_outlets(articles, relations, findings), key=lambda o: o.outlet)
    previous = previous_versions(articles)
    return {
        "articles": [
            contract_record("articles", a, version_of=previous.get(a.id)) for a in articles
        ],
        "relations": [contract_record("relations", r) for r in relations],
        "stories": [contract_record("stories", s) for s in stories],
        "findings": [contract_record("findings", f) for f in findings],
        "outlets": [contract_record("outlets", o) for o in outlets],
    }


def write_export(
    store: Store,
    fmt: Literal["json", "jsonl", "csv"],
    out: TextIO,
    table: str = "articles",
) -> None:
    """Write the export to ``out``: ``json`` (one object), ``jsonl`` (one record per line,
    each with a ``"type"``) or ``csv`` (the one ``table``; lists joined with ``" | "``)."""
    if fmt not in ("json", "jsonl", "csv"):
        raise ConfigError("--format", f"unknown export format {fmt!r}", "use json, jsonl or csv")
    if fmt == "csv" and table not in TABLES:
        raise ConfigError("--table", f"unknown table {table!r}", f"use one of {', '.join(TABLES)}")
    doc = export_document(store)
    if fmt == "json":
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "jsonl":
        _write_jsonl(doc, out)
    else:
        write_csv(table, doc[table], out)


def _write_jsonl(doc: dict[str, list[dict[str, Any]]], out: TextIO) -> None:
    for table in TABLES:
        kind = _RECORD_TYPE[table]
        for rec in doc[table]:
            out.write(json.dumps({"type": kind, **rec}, ensure_ascii=False))
            out.write("\n")


def _cell(name: str, value: Any) -> str:
    """One CSV cell: "" for null, spans as ``start:end``, flat lists joined with " | "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name.endswith("_span") and isinstance(value, list):
        return f"{value[0]}:{value[1]}"
    if isinstance(value, list) and not any(isinstance(v, list | dict) for v in value):
        return " | ".join("" if v is None else str(v) for v in value)
    if isinstance(value, list | dict):
        # nested records (removed, sentences, timeline, evidence) stay machine-readable
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_csv(table: str, records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write one table's records as CSV with a header row (also when there are none)."""
    cols = columns(table)
    writer = csv.writer(out)
    writer.writerow(cols)
    for rec in records:
        writer.writerow([_cell(c, rec.get(c)) for c in cols])
