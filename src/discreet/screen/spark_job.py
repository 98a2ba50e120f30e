"""``discreet spark-screen``: read a customer table, screen it with Spark, write the alerts.

Runs the same locally (``local[*]``) and under ``spark-submit`` on YARN, Kubernetes or
Databricks: the session is whatever ``SparkSession.builder.getOrCreate()`` finds.

Customer files (CSV/TSV, JSON lines, Parquet, Excel) are read by the reader of
``screen-file`` (:func:`discreet.screen.readers.read_records`), not by Spark's: Spark's CSV
reader lets an unbalanced quote swallow the rows after it without a word. Each file is read
whole by one task (the reader must see a file from its first line to know where a quoted
value ends), then its rows are spread over every core for screening. Every row is either
screened or reported with its file and line; ORC tables are read by Spark.
"""

from __future__ import annotations

import functools
import glob
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from discreet.errors import ConfigError, DiscreetError, ParseError
from discreet.screen.spark import screen
from discreet.screen.summary import RunSummary

__all__ = ["SparkJob", "run_job"]

READERS = {"csv": "csv", "tsv": "tsv", "json": "jsonl", "jsonl": "jsonl",
           "parquet": "parquet", "xlsx": "xlsx", "orc": "orc"}
SHOWN_REJECTS = 100  # rejected rows brought back to the driver to be reported
WHOLE_FILE = 0  # the line of a parsed row that stands for a file that cannot be read at all
ROW_COLUMNS = ("file", "line", "id", "name", "schema", "birth_date", "country", "error")


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
    topics: tuple[str, ...] = ()  # only entities carrying one of these (empty: every one)


def _format(path: str, given: str) -> str:
    """The reader for the input: as given, else from the extension (Parquet by default)."""
    fmt = given.lower()
    if fmt == "auto":
        suffix = Path(urlparse(path).path.rstrip("/")).suffix.lower().lstrip(".")
        fmt = {"ndjson": "json", "pq": "parquet", "txt": "csv", "tab": "tsv"}.get(
            suffix, suffix or "parquet")
    if fmt not in READERS:
        raise ConfigError(f"unknown input format {fmt!r}; formats: "
                          f"{', '.join(sorted(READERS))}")
    return READERS[fmt]


def _session(master: str | None) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("discreet-screen")
    if master:
        builder = builder.master(master)
        if master.startswith("local"):  # the executors run this very Python, with discreet
            # PySpark takes the workers' Python from the environment (else python3 on PATH,
            # which may lack discreet), the JVM from the setting: give both
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.pyspark.python", sys.executable)
    return builder.getOrCreate()


def _columns(job: SparkJob) -> dict[str, str]:
    """Discreet field -> the input's column, for every field the job names."""
    columns = {"name": job.name_col, "id": job.id_col, "schema": job.schema_col,
               "birth_date": job.birth_date_col, "country": job.country_col}
    return {key: col for key, col in columns.items() if col}


def _mapping(job: SparkJob) -> dict[str, str]:
    """The reader's column mapping; a field left at its own name is found as screen-file
    finds it (any case; ``id`` may be absent: rows are then labelled by line)."""
    return {key: col for key, col in _columns(job).items() if col != key}


def _is_local(path: str) -> bool:
    scheme = urlparse(path).scheme
    return scheme in ("", "file") or (len(scheme) == 1 and sys.platform == "win32")


def _local_files(path: str) -> list[str]:
    """A local input's files: the file itself, a directory's data files (as Spark lists
    them: names starting with ``_`` or ``.``, and empty files, left out), or the files a
    glob pattern (``/data/customers-*.csv``) matches."""
    root = Path(urlparse(path).path if path.startswith("file:") else path)
    if root.is_file():
        return [str(root)]
    if any(c in str(root) for c in "*?["):
        matched = [p for p in sorted(Path(m) for m in glob.glob(str(root), recursive=True))
                   if p.is_file() and not p.name.startswith(("_", "."))
                   and p.stat().st_size > 0]
        if not matched:
            raise ParseError("cannot read the input: no file matches", file=path)
        return [str(p) for p in matched]
    if not root.is_dir():
        raise ParseError("cannot read the input: no such file or directory", file=path)
    files = [p for p in sorted(root.rglob("*")) if p.is_file()
             and not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts)
             and p.stat().st_size > 0]
    if not files:
        raise ParseError("the directory holds no data file", file=path)
    return [str(p) for p in files]


def _rows(label: str, source: Path, fmt: str,
          mapping: Mapping[str, str]) -> Iterator[tuple[Any, ...]]:
    """The rows of one customer file as the reader of ``screen-file`` reads them: one tuple
    per row (:data:`ROW_COLUMNS`), an unreadable row with its error; a file that cannot be
    read at all gives one row at line :data:`WHOLE_FILE` saying why."""
    from discreet.screen.readers import read_records

    try:
        for record in read_records(source, fmt=fmt, mapping=mapping):
            values = record.values
            yield (label, record.line, values.get("id", ""), values.get("name", ""),
                   values.get("schema", ""), values.get("birth_date", ""),
                   values.get("country", ""), record.error)
    except DiscreetError as exc:
        yield (label, WHOLE_FILE, "", "", "", "", "", str(exc))
    except Exception as exc:  # e.g. a Parquet file damaged after its header (pyarrow's)
        yield (label, WHOLE_FILE, "", "", "", "", "",
               f"{label}: cannot be read to the end: {type(exc).__name__}: {exc}")


def _read_local(path: str, *, fmt: str, mapping: Mapping[str, str]
                ) -> Iterator[tuple[Any, ...]]:
    """An executor reads a file it can open (local disk, or a share every node mounts)."""
    yield from _rows(path, Path(path), fmt, mapping)


def _read_shipped(item: tuple[str, bytes], *, fmt: str, mapping: Mapping[str, str]
                  ) -> Iterator[tuple[Any, ...]]:
    """An executor reads a file Spark handed over as bytes (HDFS, S3, DBFS…): written to
    its local disk under the same name, then read like a local file."""
    url, content = item
    if not content:
        return
    with tempfile.TemporaryDirectory(prefix="discreet-") as tmp:
        local = Path(tmp) / (Path(urlparse(url).path).name or "input")
        local.write_bytes(content)
        yield from _rows(url, local, fmt, mapping)


def _customers(spark: Any, job: SparkJob, fmt: str, files: list[str] | None) -> Any:
    """The customers as a DataFrame of :data:`ROW_COLUMNS`, every row with its position;
    ``files``: the input's files when the executors can open them, else None."""
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField(c, T.LongType() if c == "line" else T.StringType())
                           for c in ROW_COLUMNS])
    if fmt == "orc":
        return _orc_customers(spark, job, schema)
    context = spark.sparkContext
    mapping = _mapping(job)
    if files is not None:
        rows = context.parallelize(files, len(files)).flatMap(
            functools.partial(_read_local, fmt=fmt, mapping=mapping))
    else:
        rows = context.binaryFiles(job.input).flatMap(
            functools.partial(_read_shipped, fmt=fmt, mapping=mapping))
    return spark.createDataFrame(rows, schema)


def _orc_customers(spark: Any, job: SparkJob, schema: Any) -> Any:
    """ORC is read by Spark (typed columns: no row can be misread); rows are numbered in
    the order Spark reads them."""
    table = spark.read.orc(job.input)
    mapping = {key: col for key, col in _columns(job).items()
               if col != key or col in table.columns or key == "name"}
    missing = [col for col in mapping.values() if col not in table.columns]
    if missing:
        raise ParseError(f"column(s) {', '.join(missing)} not in the table (columns: "
                         f"{', '.join(table.columns)})", file=job.input)
    fields = list(mapping)
    picked = table.select(*[mapping[f] for f in fields])
    label = job.input

    def row(pair: tuple[Any, int]) -> tuple[Any, ...]:
        values = {f: "" if v is None else " ".join(str(v).split())
                  for f, v in zip(fields, pair[0], strict=True)}
        return (label, pair[1] + 1, *(values.get(c, "") for c in ROW_COLUMNS[2:7]), None)

    return spark.createDataFrame(picked.rdd.zipWithIndex().map(row), schema)


def run_job(job: SparkJob) -> RunSummary:
    """Screen the input; write the alerts (with each row's file and line); return what was
    done, counted as screen-file counts (alerts by list and by programme are not counted:
    ``by_dataset`` and ``by_programme`` stay empty). A file that cannot be read at all
    stops the job before anything is written."""
    from pyspark.sql import functions as F

    started = time.monotonic()
    fmt = _format(job.input, job.input_format)
    local = _is_local(job.input) and fmt != "orc"
    files = _local_files(job.input) if local else None  # a missing input fails at once
    spark = _session(job.master)
    customers = _customers(spark, job, fmt, files).persist()
    try:
        tally: Any = customers.agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum((F.col("line") == WHOLE_FILE).cast("long")).alias("broken")).first()
        if tally["broken"]:
            broken = customers.filter(F.col("line") == WHOLE_FILE).limit(5).collect()
            raise ParseError("; ".join(str(r["error"]) for r in broken)
                             + " (nothing was screened)")
        alerts = screen(customers, name_col="name", id_col="id", schema_col="schema",
                        birth_date_col="birth_date", country_col="country", store=job.store,
                        threshold=job.threshold, limit=job.limit, date_order=job.date_order,
                        file_col="file", line_col="line", error_col="error",
                        topics=job.topics).cache()
        if job.output_format == "csv":  # no list in a CSV cell: joined with ";" there
            alerts.withColumn("datasets", F.concat_ws(";", "datasets")) \
                .withColumn("topics", F.concat_ws(";", "topics")) \
                .write.mode("overwrite").option("header", "true").csv(job.output)
        else:
            alerts.write.mode("overwrite").format(job.output_format).save(job.output)
        counts: Any = alerts.groupBy().agg(
            F.sum((F.col("rank") == 0).cast("long")).alias("rejected"),
            F.sum((F.col("rank") == 1).cast("long")).alias("with_alerts"),
            F.sum((F.col("rank") >= 1).cast("long")).alias("alerts")).first()
        rejects = alerts.filter(F.col("rank") == 0).orderBy("file", "line") \
            .limit(SHOWN_REJECTS).collect()
        rows, rejected = int(tally["rows"]), int(counts["rejected"] or 0)
        summary = RunSummary(rows=rows, screened=rows - rejected, rejected=rejected,
                             rows_with_alerts=int(counts["with_alerts"] or 0),
                             alerts=int(counts["alerts"] or 0), output=job.output,
                             rejects=[_reject_text(r) for r in rejects])
        alerts.unpersist()
        summary.seconds = time.monotonic() - started
        return summary
    finally:
        customers.unpersist()


def _reject_text(row: Any) -> str:
    """One rejected row as screen-file reports it: file, line, id, why."""
    ident = f" (id {row['input_id']})" if row["input_id"] != str(row["line"]) else ""
    return f"{row['file']}: line {row['line']}{ident}: {row['error']}"
