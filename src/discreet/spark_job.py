"""``discreet spark-screen``: read a customer table with Spark, screen it, write the alerts.

Runs the same locally (``local[*]``) and under ``spark-submit`` on YARN, Kubernetes or
Databricks: the session is whatever ``SparkSession.builder.getOrCreate()`` finds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discreet.spark import screen

__all__ = ["SparkJob", "run_job"]

READERS = {"csv", "parquet", "json", "orc"}


@dataclass(frozen=True, slots=True)
class SparkJob:
    """Where the customers are, which columns mean what, where the alerts go."""

    input: str
    output: str
    store: str
    input_format: str = "auto"
    output_format: str = "parquet"
    name_col: str = "name"
    id_col: str = "id"
    schema_col: str | None = None
    birth_date_col: str | None = None
    country_col: str | None = None
    threshold: float | None = None
    limit: int = 5
    master: str | None = None
    date_order: str | None = None  # DMY, MDY or YMD: how to read 07/10/1952 (None: both)


def _format(path: str, given: str) -> str:
    if given != "auto":
        return given
    suffix = Path(path.rstrip("/")).suffix.lower().lstrip(".")
    return {"jsonl": "json", "ndjson": "json", "pq": "parquet"}.get(suffix, suffix or "parquet")


def _session(master: str | None) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("discreet-screen")
    if master:
        builder = builder.master(master)
        if master.startswith("local"):  # the executors run this very Python, with discreet
            builder = builder.config("spark.pyspark.python", sys.executable)
    return builder.getOrCreate()


def run_job(job: SparkJob) -> int:
    """Screen the input table; returns the number of alert rows written."""
    fmt = _format(job.input, job.input_format)
    if fmt not in READERS:
        raise ValueError(f"unknown input format {fmt!r}; formats: {', '.join(sorted(READERS))}")
    spark = _session(job.master)
    reader = spark.read
    if fmt == "csv":  # RFC 4180 quoting, as every other CSV discreet reads
        reader = reader.option("header", "true").option("escape", '"').option("multiLine", "true")
    customers = reader.format(fmt).load(job.input)
    alerts = screen(customers, name_col=job.name_col, id_col=job.id_col,
                    schema_col=job.schema_col, birth_date_col=job.birth_date_col,
                    country_col=job.country_col, store=job.store, threshold=job.threshold,
                    limit=job.limit, date_order=job.date_order).cache()
    writer = alerts.write.mode("overwrite")
    if job.output_format == "csv":
        alerts.drop("datasets").write.mode("overwrite").option("header", "true").csv(job.output)
    else:
        writer.format(job.output_format).save(job.output)
    return int(alerts.count())
