"""Progress of a long run: a bar with rows/s and ETA on a terminal, quiet JSON lines otherwise.

On a terminal people want to see movement; in a scheduler's log, a line every few seconds
that a machine can parse (``{"rows": …, "rows_per_s": …}``) is what is useful.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from discreet.screen.summary import RunSummary

__all__ = ["ProgressReporter", "count_rows"]


def count_rows(path: Path, fmt: str) -> int | None:
    """Rows in the input when cheap to know (CSV lines, Parquet metadata), else None."""
    try:
        if fmt in ("csv", "tsv", "jsonl"):
            with path.open("rb") as handle:
                lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
            return max(lines - (0 if fmt == "jsonl" else 1), 0)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
    except OSError:
        return None
    return None


class ProgressReporter:
    """Callable given to :func:`screen_bulk`; a context manager around the run."""

    def __init__(self, total: int | None, *, stream: IO[str] | None = None,
                 interactive: bool | None = None, every: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.total, self.every, self.last = total, every, 0.0
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> ProgressReporter:
        if self.interactive:
            self.bar = Progress(TextColumn("screening"), BarColumn(),
                                TextColumn("{task.completed:,} rows"),
                                TextColumn("{task.fields[rate]} rows/s"),
                                TimeRemainingColumn(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("rows", total=self.total, rate="-")
        return self

    def __call__(self, summary: RunSummary) -> None:
        rate = summary.rows / summary.seconds if summary.seconds else 0.0
        if self.bar is not None:
            self.bar.update(self.task, completed=summary.rows, rate=f"{rate:,.0f}")
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.stream.write(json.dumps({"rows": summary.rows, "total": self.total,
                                          "rows_per_s": round(rate, 1)}) + "\n")
            self.stream.flush()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None
                 ) -> None:
        if self.bar is not None:
            self.bar.stop()
