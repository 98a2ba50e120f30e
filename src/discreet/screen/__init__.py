"""Screening many names at once: customer files against the lists, name pairs for review.

>>> matcher = load_matcher(store)
>>> summary = screen_file(matcher, Path("customers.csv"), Path("alerts.jsonl"))
>>> compare_file(Path("pairs.csv"), Path("scored.csv"))

Customer files (CSV/TSV, Excel, Parquet, JSON lines) are read by one reader,
:func:`read_records`, into one row type, :class:`Record`, and each row is screened by one
function, :func:`screen_record`, whatever the path: ``screen-file`` to a file or a pipe
(one pipeline, :mod:`discreet.screen.bulk`), re-screening and Spark alike. A row the reader
cannot read is reported by line, never skipped. Every run is counted by one
:class:`RunSummary`. Output is written atomically. The matching itself is
:mod:`discreet.match`'s.
"""

from __future__ import annotations

from discreet.screen.bulk import BulkOptions, screen_bulk, screen_file
from discreet.screen.compare import CompareSummary, compare_file, compare_pair, compare_rows
from discreet.screen.readers import Record, read_records
from discreet.screen.rows import (
    RowError,
    load_matcher,
    record_query,
    screen_record,
    screen_rows,
)
from discreet.screen.summary import RunSummary

__all__ = [
    "BulkOptions",
    "CompareSummary",
    "Record",
    "RowError",
    "RunSummary",
    "compare_file",
    "compare_pair",
    "compare_rows",
    "load_matcher",
    "read_records",
    "record_query",
    "screen_bulk",
    "screen_file",
    "screen_record",
    "screen_rows",
]
