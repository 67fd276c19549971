"""Read inputs on a Spark cluster into ``(order, Document | Skipped)`` records.

- Parquet (a ``.parquet`` file or folder, any Hadoop path): ``spark.read.parquet``; each row
  (columns as the JSONL fields: id, url, outlet, title, text or html, published, language,
  author) goes through the JSONL record parser, so it becomes the same Document a JSONL line
  with those fields would.
- Everything else (JSONL, JSON, WARC, feeds, HTML, text, gzip): ``binaryFiles`` and the
  ingest package's ``read_bytes``, the function the local engine's ``read_sources`` calls.

Local paths are expanded on the driver with the ingest package's ``expand_path`` (recursive,
sorted, hidden and folder-documentation files skipped), so both engines read the same files
in the same order; ``hdfs://``, ``s3a://`` and other Hadoop paths are listed with Hadoop's
FileSystem (recursive, sorted by path). ``order`` sorts records in ingestion order.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from pyspark import RDD
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from newslineage.ingest import IngestOptions, read_bytes
from newslineage.ingest.files import expand_path, parse_jsonl
from newslineage.model import Document, Skipped

Order = tuple[int, str, int]  # (file position, sub-file path for Parquet folders, item)
Item = tuple[Order, Document | Skipped]
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input to read: ``uri`` as Spark reads it, ``origin`` as messages and ids name it."""

    position: int
    uri: str
    origin: str
    parquet: bool


def _is_remote(source: str) -> bool:
    m = _SCHEME.match(source)
    return m is not None and m.group(1).lower() != "file"


def _is_parquet(path: str) -> bool:
    return path.rstrip("/").lower().endswith(".parquet")


def list_inputs(
    spark: SparkSession, sources: Sequence[str]
) -> tuple[list[InputFile], list[Skipped]]:
    """The files (or Parquet datasets) the sources name, in reading order, and the skips."""
    files: list[InputFile] = []
    skipped: list[Skipped] = []
    for source in sources:
        if _is_parquet(source):
            files.append(InputFile(len(files), source, source, parquet=True))
        elif _is_remote(source):
            for uri in _hadoop_files(spark, source):
                files.append(InputFile(len(files), uri, uri, _is_parquet(uri)))
        else:
            for found in expand_path(source.removeprefix("file://")):
                if isinstance(found, Skipped):
                    skipped.append(found)
                    continue
                uri = "file://" + os.path.abspath(found)
                files.append(InputFile(len(files), uri, str(found), _is_parquet(str(found))))
    return files, skipped


def _hadoop_files(spark: SparkSession, source: str) -> list[str]:
    """Every non-hidden file under a Hadoop path or glob, sorted (via the JVM's FileSystem)."""
    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
    path = jvm.org.apache.hadoop.fs.Path(source)
    fs = path.getFileSystem(conf)
    out: list[str] = []
    for status in fs.globStatus(path) or []:
        if status.isFile():
            out.append(status.getPath().toString())
            continue
        it = fs.listFiles(status.getPath(), True)
        while it.hasNext():
            p = it.next().getPath()
            if not any(part.startswith((".", "_")) for part in p.toUri().getPath().split("/")):
                out.append(p.toString())
    return sorted(out)


def _local_key(uri: str) -> str:
    """``file:/a/b``, ``file:///a/b`` and ``/a/b`` name one file: compare them as ``/a/b``."""
    return os.path.normpath(re.sub(r"^file:/+", "/", uri)) if uri.startswith("file:") else uri


def read_documents(
    spark: SparkSession, files: Sequence[InputFile], max_bytes: int = 50_000_000
) -> RDD[Item]:
    """Every Document (or Skipped) of ``files`` with its ingestion order."""
    sc = spark.sparkContext
    parts: list[RDD[Item]] = []
    raw = [f for f in files if not f.parquet]
    if raw:
        by_key = {_local_key(f.uri): f for f in raw}
        blobs = sc.binaryFiles(",".join(f.uri for f in raw))
        parts.append(blobs.flatMap(lambda kv: _read_blob(by_key, kv[0], kv[1], max_bytes)))
    for f in files:
        if f.parquet:
            parts.append(_read_parquet(spark, f))
    if not parts:
        return sc.emptyRDD()
    return sc.union(parts) if len(parts) > 1 else parts[0]


def _read_blob(by_key: dict[str, InputFile], uri: str, data: bytes, cap: int) -> Iterator[Item]:
    f = by_key.get(_local_key(uri))
    position, origin = (f.position, f.origin) if f else (len(by_key), _local_key(uri))
    if len(data) > cap:
        yield (
            (position, "", 0),
            Skipped(
                origin,
                f"{len(data):,} bytes is over the size cap of {cap:,} bytes; "
                "raise --max-bytes to read it",
            ),
        )
        return
    for i, item in enumerate(_guarded(origin, data, cap)):
        yield (position, "", i), item


def _guarded(origin: str, data: bytes, cap: int) -> Iterator[Document | Skipped]:
    """``read_bytes`` with the local reader's last line of defence: one bad file never stops
    the job."""
    try:
        yield from read_bytes(data, origin, IngestOptions(max_bytes=cap))
    except Exception as exc:  # a parser bug in one file must not fail the whole Spark job
        yield Skipped(origin, f"could not be read ({type(exc).__name__}: {exc}); "
                      "this is a bug in newslineage, please report it with the file")  # fmt: skip


def _read_parquet(spark: SparkSession, f: InputFile) -> RDD[Item]:
    df = spark.read.parquet(f.uri)
    df = df.withColumn("_file", F.input_file_name()).withColumn(
        "_seq", F.monotonically_increasing_id()
    )
    # position of a row inside its file: partitions of one file keep the file's row order
    df = df.withColumn(
        "_item", F.row_number().over(Window.partitionBy("_file").orderBy("_seq")) - 1
    )
    position = f.position
    return df.rdd.map(lambda r: _parquet_item(position, r.asDict(recursive=True)))


def _parquet_item(position: int, row: dict[str, Any]) -> Item:
    file, item = row.pop("_file"), row.pop("_item")
    row.pop("_seq", None)
    record = {k: _json_value(v) for k, v in row.items() if v is not None}
    line = json.dumps(record, ensure_ascii=False).encode("utf-8")
    origin = _local_key(file) if file.startswith("file:") else file
    got = next(iter(parse_jsonl(line, origin)))
    if isinstance(got, Skipped):
        got = replace(got, item=item, line=None)
    else:
        got = replace(got, origin_item=item)
    return (position, file, item), got


def _json_value(v: Any) -> Any:
    """Parquet values as the JSON values a JSONL record would hold (timestamps in UTC)."""
    if isinstance(v, datetime):
        # pyspark hands timestamps over as naive local times; astimezone reads them so
        return v.astimezone(UTC).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bytes | bytearray):
        return v.decode("utf-8", "replace")
    return v
