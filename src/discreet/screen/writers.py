"""Where screening output goes: a file written atomically (or standard output), and
alerts as CSV or Parquet, one row per match, converted from a run's JSON lines.

JSON lines (one line per input row, matches nested) is what a run writes and checkpoints;
compliance teams often want a flat alert table instead. Rows without alerts are left out of
the table; rejected rows appear with their error so that nothing is silently dropped.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from discreet.errors import ConfigError
from discreet.screen.rows import ProgrammesOf, alert_listings
from discreet.text.csvtext import spreadsheet_safe

__all__ = ["ALERT_FIELDS", "alert_rows", "atomic_output", "convert_alerts", "output_label"]

ALERT_FIELDS = ("input_id", "rank", "entity_id", "caption", "schema", "score",
                "datasets", "listings", "programmes", "topics", "explanation", "error")
BATCH = 10_000


@contextmanager
def atomic_output(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """Write text to a temporary file beside ``path``, renamed over it only on success, so
    a reader never sees half a file. ``-`` writes to standard output (nothing to rename)."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".tmp")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from exc
    mask = os.umask(0o022)
    os.umask(mask)
    try:
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes the file private; give it the usual mode
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise ConfigError(f"cannot write {path}: {exc.strerror}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_label(path: Path) -> str:
    """How a summary names the output: the path, or "standard output" for ``-``."""
    return "standard output" if str(path) == "-" else str(path)


def alert_rows(partial: Path, keep: tuple[str, ...],
               programmes: ProgrammesOf) -> Iterator[dict[str, Any]]:
    """Flat alert rows (``keep`` columns first) from a run's JSON lines: one per alert,
    that is one per party, whose ``datasets``, ``listings`` (listing ids, the alerted one
    first) and ``programmes`` are those of every listing of it."""
    with partial.open(encoding="utf-8") as handle:
        for text in handle:
            record = json.loads(text)
            base = {k: (record.get("input") or {}).get(k, "") for k in keep}
            base["input_id"] = record["id"]
            if "error" in record:
                yield {**base, "rank": 0, "error": record["error"]}
            for rank, match in enumerate(record["matches"], start=1):
                explanation = match.get("explanation")
                listed = alert_listings(match)
                yield {**base, "rank": rank, "entity_id": match["id"],
                       "caption": match["caption"], "schema": match["schema"],
                       "score": match["score"], "datasets": ";".join(match["datasets"]),
                       "listings": ";".join(listed),
                       "programmes": ";".join(dict.fromkeys(
                           p for eid in listed for p in programmes.get(eid, []))),
                       "topics": ";".join(match.get("topics", ())),
                       "explanation": json.dumps(explanation, ensure_ascii=False),
                       "error": None}


def _write_csv(rows: Iterator[dict[str, Any]], dest: Path, columns: list[str]) -> None:
    with dest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def _write_parquet(rows: Iterator[dict[str, Any]], dest: Path, columns: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"rank": pa.int32(), "score": pa.float64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    with pq.ParquetWriter(dest, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def convert_alerts(partial: Path, dest: Path, fmt: str, keep: tuple[str, ...] = (),
                   programmes: ProgrammesOf | None = None) -> None:
    """Write the alert table of a run's JSON lines to ``dest`` as ``csv`` or ``parquet``."""
    columns = [*keep, *ALERT_FIELDS]
    rows = alert_rows(partial, keep, programmes if programmes is not None else {})
    if fmt == "csv":
        _write_csv(rows, dest, columns)
    else:
        _write_parquet(rows, dest, columns)
