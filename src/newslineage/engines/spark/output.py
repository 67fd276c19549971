"""Parquet tables of the model records: one column per field, typed from the dataclass.

Column order follows the JSON contract (``contract.columns``); strings, numbers and
booleans keep their types, datetimes are ISO-8601 UTC strings (as in the JSON export), lists
of strings are ``array<string>`` and anything nested (evidence, spans, timelines, removals)
is a JSON string, so every table reads back with any Parquet reader.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from pyspark import RDD
from pyspark.sql import SparkSession
from pyspark.sql import types as T

from newslineage.contract import columns, jsonable
from newslineage.model import Article, Finding, Relation, Skipped, Story

MODELS: dict[str, type] = {
    "articles": Article,
    "relations": Relation,
    "stories": Story,
    "findings": Finding,
    "skipped": Skipped,
}
_SCALARS = {
    "str": T.StringType(),
    "int": T.LongType(),
    "float": T.DoubleType(),
    "bool": T.BooleanType(),
    "datetime": T.StringType(),
}


def _spark_type(annotation: str) -> T.DataType:
    base = annotation.replace(" | None", "").strip()
    if base in _SCALARS:
        return _SCALARS[base]
    if base == "tuple[str, ...]":
        return T.ArrayType(T.StringType())
    return T.StringType()  # nested: stored as JSON text


def _names(table: str) -> list[str]:
    model_fields = [f.name for f in dataclasses.fields(MODELS[table])]
    if table not in ("articles", "relations", "stories", "findings"):
        return model_fields
    return [c for c in columns(table) if c in model_fields]


def schema(table: str) -> T.StructType:
    """The Parquet schema of one table."""
    types = {f.name: str(f.type) for f in dataclasses.fields(MODELS[table])}
    return T.StructType([T.StructField(n, _spark_type(types[n]), True) for n in _names(table)])


def row(table: str, obj: Any) -> tuple[Any, ...]:
    """One record as a tuple matching :func:`schema`."""
    out = []
    for name, field in zip(_names(table), schema(table).fields, strict=True):
        v = jsonable(getattr(obj, name))
        if isinstance(field.dataType, T.StringType) and isinstance(v, list | dict):
            v = json.dumps(v, ensure_ascii=False, sort_keys=True)
        out.append(v)
    return tuple(out)


def write_table(
    spark: SparkSession, table: str, records: RDD[Any] | Iterable[Any], path: str
) -> None:
    """Write ``records`` (an RDD or a local iterable of model records) as Parquet at ``path``."""
    rows = (
        records.map(lambda r: row(table, r))
        if isinstance(records, RDD)
        else [row(table, r) for r in records]
    )
    spark.createDataFrame(rows, schema(table)).write.mode("overwrite").parquet(path)
