"""Convert model records to table rows and back, identically for every backend.

Only datetimes differ between backends, so each function takes the backend's
``enc_ts``/``dec_ts`` pair. Tuples, Removals, sentences and evidence become JSON text.
Article fields added to the model later, without a column yet, travel in the ``extra``
JSON column, so a newer model never loses data in an older schema.

>>> a = Article(id="x", text="Hi.", credits=("AP",), sentences=((0, 3),))
>>> article_from_row(article_row(a, ts_to_text), ts_from_text) == a
True
"""

from __future__ import annotations

import dataclasses
import json
import struct
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from ..model import (
    AlignedPair,
    Alignment,
    Article,
    Finding,
    Relation,
    Removal,
    Skipped,
    Span,
    Story,
    TimelineEntry,
)

TsEncoder = Callable[[datetime | None], Any]
TsDecoder = Callable[[Any], datetime | None]

# the articles columns, in the order article_row writes and article_from_row reads them
ARTICLE_COLUMNS: tuple[str, ...] = (
    "id",
    "key",
    "content_hash",
    "text",
    "url",
    "outlet",
    "title",
    "published",
    "first_seen",
    "language",
    "credits",
    "links",
    "via",
    "author",
    "categories",
    "origin_file",
    "origin_item",
    "external_id",
    "raw_ref",
    "removed",
    "sentences",
    "extra",
)
_TS_FIELDS = frozenset({"published", "first_seen"})
_JSON_FIELDS = frozenset({"credits", "links", "categories", "removed", "sentences"})
_ARTICLE_FIELDS = {f.name: f for f in dataclasses.fields(Article)}
_EXTRA_FIELDS = tuple(name for name in _ARTICLE_FIELDS if name not in ARTICLE_COLUMNS)

RELATION_COLUMNS = (
    "source",
    "derived",
    "kind",
    "coverage",
    "verbatim_share",
    "source_coverage",
    "confidence",
    "evidence",
)
STORY_COLUMNS = ("id", "title", "articles", "original", "external_origin", "timeline")
FINDING_COLUMNS = (
    "kind",
    "article",
    "message",
    "severity",
    "source_article",
    "source_start",
    "source_end",
    "derived_start",
    "derived_end",
    "detail",
)


# --- datetimes -------------------------------------------------------------


def as_utc(dt: datetime | None) -> datetime | None:
    """Aware UTC datetime; a naive one is taken to be UTC already (never guessed local)."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def ts_to_text(dt: datetime | None) -> str | None:
    utc = as_utc(dt)
    return None if utc is None else utc.isoformat()


def ts_from_text(value: Any) -> datetime | None:
    return None if value is None else as_utc(datetime.fromisoformat(value))


def ts_native(dt: datetime | None) -> datetime | None:
    return as_utc(dt)


def ts_from_native(value: Any) -> datetime | None:
    return None if value is None else as_utc(value)


# --- JSON ------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    # evidence and detail are meant to be JSON-able; be forgiving with common near-misses
    if isinstance(value, datetime):
        return ts_to_text(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


# one encoder for every call: json.dumps with non-default options builds a new encoder each
# time, which was half the cost of encoding an article row (profiled)
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default
)


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON so equal records give equal text."""
    return _ENCODER.encode(value)


def _tuples(value: Any) -> Any:
    """JSON arrays back to (nested) tuples."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


# --- articles --------------------------------------------------------------


def _encode_extra(article: Article) -> str:
    out: dict[str, Any] = {}
    for name in _EXTRA_FIELDS:
        value = getattr(article, name)
        out[name] = {"$datetime": ts_to_text(value)} if isinstance(value, datetime) else value
    return dumps(out)


def _decode_extra(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in json.loads(text or "{}").items():
        if name not in _ARTICLE_FIELDS:
            continue  # a field the model no longer has
        if isinstance(value, dict) and "$datetime" in value:
            value = ts_from_text(value["$datetime"])
        out[name] = _tuples(value)
    return out


def article_row(article: Article, enc_ts: TsEncoder) -> tuple[Any, ...]:
    """The articles row (in ``ARTICLE_COLUMNS`` order) for one article."""
    values: list[Any] = []
    for col in ARTICLE_COLUMNS:
        if col == "extra":
            values.append(_encode_extra(article))
        elif col == "removed":
            values.append(dumps([[r.text, r.reason, r.offset] for r in article.removed]))
        elif col in _JSON_FIELDS:
            values.append(dumps(getattr(article, col)))
        elif col in _TS_FIELDS:
            values.append(enc_ts(getattr(article, col)))
        else:
            values.append(getattr(article, col))
    return tuple(values)


def article_from_row(row: Sequence[Any], dec_ts: TsDecoder) -> Article:
    """Rebuild an Article from a row read in ``ARTICLE_COLUMNS`` order."""
    kwargs: dict[str, Any] = {}
    for col, value in zip(ARTICLE_COLUMNS, row, strict=True):
        if col == "extra":
            kwargs.update(_decode_extra(value))
        elif col == "removed":
            kwargs[col] = tuple(Removal(t, r, o) for t, r, o in json.loads(value))
        elif col in _JSON_FIELDS:
            kwargs[col] = _tuples(json.loads(value))
        elif col in _TS_FIELDS:
            kwargs[col] = dec_ts(value)
        else:
            kwargs[col] = value
    return Article(**{k: v for k, v in kwargs.items() if k in _ARTICLE_FIELDS})


# --- analysis records ------------------------------------------------------


def relation_row(rel: Relation) -> tuple[Any, ...]:
    return (
        rel.source,
        rel.derived,
        rel.kind,
        float(rel.coverage),
        float(rel.verbatim_share),
        float(rel.source_coverage),
        float(rel.confidence),
        dumps(rel.evidence),
    )


def relation_from_row(row: Sequence[Any]) -> Relation:
    source, derived, kind, cov, verb, src_cov, conf, evidence = row
    return Relation(
        source=source,
        derived=derived,
        kind=kind,
        coverage=cov,
        verbatim_share=verb,
        confidence=conf,
        evidence=json.loads(evidence),
        source_coverage=src_cov,
    )


def story_row(story: Story) -> tuple[Any, ...]:
    timeline = [
        {"article": e.article, "time": ts_to_text(e.time), "outlet": e.outlet, "role": e.role}
        for e in story.timeline
    ]
    return (
        story.id,
        story.title,
        dumps(list(story.articles)),
        story.original,
        story.external_origin,
        dumps(timeline),
    )


def story_from_row(row: Sequence[Any]) -> Story:
    sid, title, articles, original, external_origin, timeline = row
    entries = tuple(
        TimelineEntry(e["article"], ts_from_text(e["time"]), e["outlet"], e["role"])
        for e in json.loads(timeline)
    )
    return Story(sid, title, tuple(json.loads(articles)), original, external_origin, entries)


def finding_row(f: Finding) -> tuple[Any, ...]:
    src = f.source_span or (None, None)
    der = f.derived_span or (None, None)
    return (
        f.kind,
        f.article,
        f.message,
        f.severity,
        f.source_article,
        src[0],
        src[1],
        der[0],
        der[1],
        dumps(f.detail),
    )


def finding_from_row(row: Sequence[Any]) -> Finding:
    kind, article, message, severity, source_article, s0, s1, d0, d1, detail = row
    return Finding(
        kind=kind,
        article=article,
        message=message,
        severity=severity,
        source_article=source_article,
        source_span=None if s0 is None else (s0, s1),
        derived_span=None if d0 is None else (d0, d1),
        detail=json.loads(detail),
    )


def skipped_row(s: Skipped, enc_ts: TsEncoder, now: datetime) -> tuple[Any, ...]:
    return (enc_ts(now), s.input, s.reason, s.item, s.line, int(s.error))


def skipped_from_row(row: Sequence[Any]) -> Skipped:
    _time, input_, reason, item, line, error = row
    return Skipped(input=input_, reason=reason, item=item, line=line, error=bool(error))


# an aligned pair: source start, end, derived start, end, similarity, verbatim (25 bytes);
# a verbatim passage: source start, end, derived start, end (16 bytes)
_PAIR = struct.Struct("<iiiid?")
_PASSAGE = struct.Struct("<iiii")
ALIGNMENT_COLUMNS = ("source", "derived", "ordered", "pairs", "passages")


def alignment_row(al: Alignment) -> tuple[Any, ...]:
    """An alignment as a row: its pairs and passages packed in two small byte strings.

    >>> from newslineage.model import Alignment
    >>> al = Alignment("s", "d", (AlignedPair(Span("s", 0, 4), Span("d", 2, 6), 0.5),))
    >>> alignment_from_row(alignment_row(al)) == al
    True
    """
    pairs = b"".join(
        _PAIR.pack(
            p.source.start, p.source.end, p.derived.start, p.derived.end, p.similarity, p.verbatim
        )
        for p in al.pairs
    )
    passages = b"".join(_PASSAGE.pack(s.start, s.end, d.start, d.end) for s, d in al.passages)
    return (al.source_id, al.derived_id, int(al.ordered), pairs, passages)


def alignment_from_row(row: Sequence[Any]) -> Alignment:
    source, derived, ordered, pairs, passages = row
    return Alignment(
        source_id=source,
        derived_id=derived,
        pairs=tuple(
            AlignedPair(Span(source, s0, s1), Span(derived, d0, d1), sim, verb)
            for s0, s1, d0, d1, sim, verb in _PAIR.iter_unpack(bytes(pairs))
        ),
        passages=tuple(
            (Span(source, s0, s1), Span(derived, d0, d1))
            for s0, s1, d0, d1 in _PASSAGE.iter_unpack(bytes(passages))
        ),
        ordered=bool(ordered),
    )
