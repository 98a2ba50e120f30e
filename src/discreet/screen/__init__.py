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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discreet.screen.bulk import BulkOptions, screen_bulk, screen_file
    from discreet.screen.compare import (
        CompareSummary,
        compare_file,
        compare_pair,
        compare_rows,
    )
    from discreet.screen.readers import Record, read_records
    from discreet.screen.rows import (
        RowError,
        load_matcher,
        record_query,
        screen_record,
        screen_rows,
    )
    from discreet.screen.summary import RunSummary

# Each name's module, imported at first use: `discreet match` needs load_matcher alone, not
# the bulk pipeline's multiprocessing and concurrent.futures (PEP 562).
_HOMES = {"BulkOptions": "bulk", "screen_bulk": "bulk", "screen_file": "bulk",
          "CompareSummary": "compare", "compare_file": "compare", "compare_pair": "compare",
          "compare_rows": "compare", "Record": "readers", "read_records": "readers",
          "RowError": "rows", "load_matcher": "rows", "record_query": "rows",
          "screen_record": "rows", "screen_rows": "rows", "RunSummary": "summary"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"discreet.screen.{home}"), name)
    globals()[name] = value
    return value


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
