"""The Spark engine: the local engine's algorithms over a corpus on a cluster.

The only package that imports pyspark. ``run_spark`` (batch.py) is the whole batch;
``spark_session`` builds a session with the settings the batch needs. See docs/spark.md.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from newslineage.errors import MissingExtraError


def spark_session(master: str | None = None, **conf: str) -> Any:
    """A SparkSession (the active one, or a new one on ``master``, e.g. ``"local[2]"``).

    Workers run this Python (``spark.pyspark.python``) unless the cluster says otherwise, and
    timestamps are read and written in UTC.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("newslineage batch --engine spark", "spark") from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("newslineage")
    if master:
        builder = builder.master(master)
    settings = {"spark.sql.session.timeZone": "UTC", **conf}
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


__all__ = ["spark_session"]
