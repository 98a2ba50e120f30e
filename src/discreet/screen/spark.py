"""Screening a Spark DataFrame: the same engine, the same alerts as ``discreet screen-file``.

The index is built once on the driver and shipped to the executors as a broadcast variable
(pickled once, cached by each executor's Python workers); each partition is then screened
row by row with :func:`discreet.screen.rows.screen_record`, the function
``screen-file`` uses, so one input gives the same alerts on a laptop and on a cluster.

>>> alerts = screen(customers, name_col="full_name", id_col="customer_id", store="discreet.db")
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.match.topics import wanted_topics
from discreet.screen.readers import Record
from discreet.screen.rows import load_matcher, screen_record
from discreet.store import Store
from discreet.text.dates import check_order

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from discreet.match import Matcher

__all__ = ["ALERT_COLUMNS", "alert_schema", "screen"]

ALERT_COLUMNS = ("input_id", "rank", "entity_id", "caption", "schema", "score", "datasets",
                 "topics", "explanation", "error")


def alert_schema(positions: bool = False) -> Any:
    """The alerts DataFrame's schema: one row per match (rank 1 = best), or per bad row;
    ``positions`` adds where each input row was (``file``, ``line``), so that a rejected
    row can be found in the customer file."""
    from pyspark.sql import types as T

    extra = [T.StructField("file", T.StringType(), True),
             T.StructField("line", T.LongType(), True)] if positions else []
    return T.StructType([
        T.StructField("input_id", T.StringType(), False),
        T.StructField("rank", T.IntegerType(), False),
        T.StructField("entity_id", T.StringType(), True),
        T.StructField("caption", T.StringType(), True),
        T.StructField("schema", T.StringType(), True),
        T.StructField("score", T.DoubleType(), True),
        T.StructField("datasets", T.ArrayType(T.StringType()), True),
        T.StructField("topics", T.ArrayType(T.StringType()), True),
        T.StructField("explanation", T.StringType(), True),
        T.StructField("error", T.StringType(), True),
        *extra,
    ])


def _alerts(record: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of the alerts DataFrame for one screened input row."""
    if record.get("error"):
        yield (record["id"], 0, None, None, None, None, None, None, None, record["error"])
        return
    for rank, match in enumerate(record["matches"], start=1):
        yield (record["id"], rank, match["id"], match["caption"], match["schema"],
               float(match["score"]), list(match["datasets"]), list(match.get("topics", ())),
               json.dumps(match["explanation"], ensure_ascii=False, sort_keys=True), None)


def screen(df: DataFrame, *, name_col: str = "name", id_col: str = "id",
           schema_col: str | None = None, birth_date_col: str | None = None,
           country_col: str | None = None, matcher: Matcher | None = None,
           store: str | Path | None = None, threshold: float | None = None,
           limit: int = 5, date_order: str | None = None, file_col: str | None = None,
           line_col: str | None = None, error_col: str | None = None,
           topics: Sequence[str] = ()) -> DataFrame:
    """Screen every row of ``df``; returns a DataFrame of alerts (see :func:`alert_schema`).

    Give a ``matcher`` already built, or a ``store`` (path or PostgreSQL URL) to build one
    from its active versions. Rows whose name is missing come back as one row with ``error``.
    Birth dates are read as ``screen-file`` reads them (:mod:`discreet.text.dates`: a date
    or timestamp column, or text in any common form); ``date_order`` (DMY, MDY, YMD)
    settles 07/10/1952, which is otherwise compared both ways.

    ``file_col`` and ``line_col`` name where each row was read: the alerts then carry
    ``file`` and ``line``. A row whose ``error_col`` is set (a reader could not read it) is
    not screened: it comes back as one row with that error. ``topics``: only entities
    carrying any of them (sanction, role.pep…: :mod:`discreet.match.topics`); each alert
    row lists the topics its entity carries.
    """
    order = check_order(date_order)
    wanted = wanted_topics(topics)
    if matcher is None:
        with Store.open(store) as opened:
            matcher = load_matcher(opened)
    columns = {"id": id_col, "name": name_col, "schema": schema_col,
               "birth_date": birth_date_col, "country": country_col, "_file": file_col,
               "_line": line_col, "_error": error_col}
    chosen = {field: col for field, col in columns.items() if col}
    missing = [col for col in chosen.values() if col not in df.columns]
    if missing:
        raise ValueError(f"column(s) {', '.join(missing)} not in the DataFrame "
                         f"(columns: {', '.join(df.columns)})")
    spark = df.sparkSession
    shipped = spark.sparkContext.broadcast(matcher)
    fields = list(chosen)
    positions = bool(file_col or line_col)

    def run(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        index = shipped.value
        for row in rows:
            data = {f: None if row[i] is None else str(row[i]) for i, f in enumerate(fields)}
            line = int(data["_line"] or 0) if line_col else 0
            where = (data.get("_file"), line or None) if positions else ()
            if data.get("_error"):
                record: dict[str, Any] = {"id": data.get("id") or "", "matches": [],
                                          "error": data["_error"]}
            else:
                values = {f: v for f, v in data.items() if v is not None}
                record = screen_record(index, Record(line, values), threshold, limit,
                                       date_order=order, topics=wanted)
            if line and not record["id"]:  # as screen-file labels a row without an id
                record["id"] = str(line)
            for alert in _alerts(record):
                yield (*alert, *where)

    selected = df.select(*[chosen[f] for f in fields])
    cores = spark.sparkContext.defaultParallelism
    if selected.rdd.getNumPartitions() < cores:  # a small file reads as one partition
        selected = selected.repartition(cores)
    return spark.createDataFrame(selected.rdd.mapPartitions(run), alert_schema(positions))
