"""Screening many names at once: customer files against the lists, name pairs for review.

>>> matcher = load_matcher(store)
>>> summary = screen_file(matcher, Path("customers.csv"), Path("alerts.jsonl"))
>>> compare_file(Path("pairs.csv"), Path("scored.csv"))

Customer files (CSV/TSV, Excel, Parquet, JSON lines) are read by one reader,
:mod:`discreet.screen.readers`, whichever the output and in re-screening alike; a row it
cannot read is reported by line, never skipped. Both stream row by row and write their
output atomically. The matching itself is :mod:`discreet.match`'s.
"""

from __future__ import annotations

from discreet.screen.compare import CompareSummary, compare_file, compare_pair, compare_rows
from discreet.screen.screen_file import (
    InputRow,
    RowError,
    Summary,
    load_matcher,
    read_rows,
    screen_file,
    screen_row,
    screen_rows,
)

__all__ = [
    "CompareSummary",
    "InputRow",
    "RowError",
    "Summary",
    "compare_file",
    "compare_pair",
    "compare_rows",
    "load_matcher",
    "read_rows",
    "screen_file",
    "screen_row",
    "screen_rows",
]
