"""Bulk screening of a whole customer base: every core, bounded memory, resumable, atomic.

Rows stream from the input (:mod:`~discreet.screen.readers`), go to forked workers in
batches (:mod:`~discreet.screen.parallel`), come back in input order and are appended to a
checkpointed partial output (:mod:`~discreet.screen.resume`). Interrupted, the same call
continues after the last recorded batch; finished, the output is renamed into place and, for
CSV or Parquet, converted from the JSON lines the run wrote.

A run writing JSON lines also leaves the customers' prepared names beside them
(``OUT.tokens``, :mod:`~discreet.screen.tokencache`), checkpointed with the output: the
workers return the names they prepared anyway, and ``discreet rescreen`` reads them to skip
the customers that cannot match what changed.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.match.matcher import settle
from discreet.match.prefilter import query_names
from discreet.screen import tokencache
from discreet.screen.parallel import ordered_map
from discreet.screen.readers import Record, read_records
from discreet.screen.resume import ResumableOutput, fingerprint
from discreet.screen.screen_file import InputRow, row_query, screen_record

if TYPE_CHECKING:
    from discreet.match import Matcher

__all__ = ["BulkOptions", "BulkSummary", "screen_bulk", "screen_records"]

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
MAX_REJECTS_KEPT = 1000
_MATCHER: Matcher | None = None  # set before the workers fork; each inherits it
_PROGRAMMES: dict[str, list[str]] = {}  # entity id -> programmes, for the summary


@dataclass(frozen=True, slots=True)
class BulkOptions:
    """How to read, screen and write: everything that shapes the output is in the fingerprint."""

    threshold: float | None = None
    limit: int = 5
    workers: int = 0  # 0: every core
    batch_size: int = 500
    mapping: tuple[tuple[str, str], ...] = ()
    input_format: str = "auto"
    output_format: str = "jsonl"
    keep: tuple[str, ...] = ()  # input columns copied into each output record
    date_order: str | None = None  # DMY, MDY or YMD: how to read 07/10/1952 (None: both ways)

    def shaping(self) -> dict[str, Any]:
        shape = {"threshold": self.threshold, "limit": self.limit, "mapping": self.mapping,
                 "input_format": self.input_format, "output_format": self.output_format,
                 "keep": self.keep}
        if self.date_order:
            shape["date_order"] = self.date_order
        return shape


@dataclass(slots=True)
class BulkSummary:
    """What a run did, for the closing report and ``--json``."""

    rows: int = 0
    screened: int = 0
    rows_with_alerts: int = 0
    alerts: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)
    unread_dates: int = 0  # rows screened without their birth date, which could not be read
    warnings: list[str] = field(default_factory=list)
    by_dataset: Counter[str] = field(default_factory=Counter)
    by_programme: Counter[str] = field(default_factory=Counter)
    resumed_at: int = 0
    seconds: float = 0.0
    output: str = ""

    def add(self, record: dict[str, Any], line: int | None = None) -> None:
        self.rows += 1
        if "error" in record:
            self.rejected += 1
            if len(self.rejects) < MAX_REJECTS_KEPT:
                where = f"line {line}" if line is not None else f"id {record['id']}"
                self.rejects.append(f"{where}: {record['error']}")
            return
        self.screened += 1
        if "warning" in record:
            self.unread_dates += 1
            if len(self.warnings) < MAX_REJECTS_KEPT:
                where = f"line {line}" if line is not None else f"id {record['id']}"
                self.warnings.append(f"{where}: {record['warning']}")
        self.rows_with_alerts += bool(record["matches"])
        self.alerts += len(record["matches"])
        for match in record["matches"]:
            self.by_dataset.update(match["datasets"])
            self.by_programme.update(_PROGRAMMES.get(match["id"]) or ["(none)"])

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "screened": self.screened,
                "rows_with_alerts": self.rows_with_alerts, "alerts": self.alerts,
                "rejected": self.rejected, "rejects": self.rejects,
                "unread_dates": self.unread_dates, "warnings": self.warnings,
                "by_dataset": dict(self.by_dataset.most_common()),
                "by_programme": dict(self.by_programme.most_common()),
                "resumed_at": self.resumed_at, "seconds": round(self.seconds, 2),
                "rows_per_second": round(self.rows / self.seconds, 1) if self.seconds else None,
                "output": self.output}


def _screen_one(matcher: Matcher, record: Record, options: BulkOptions) -> dict[str, Any]:
    """The output line of one input row: exactly screen-file's shape."""
    return screen_record(matcher, record, options.threshold, options.limit, options.keep,
                         options.date_order)


def _cache_row(matcher: Matcher, record: Record) -> str:
    """The row's line in the name-token cache: the names the matcher just prepared for it."""
    query = None if record.error else row_query(InputRow.from_mapping(record.values,
                                                                      record.line))
    return tokencache.encode_row(record.line,
                                 [] if query is None else query_names(matcher, query))


_Job = tuple[list[Record], BulkOptions, bool]  # rows, options, whether to cache their names
_Result = tuple[int, dict[str, Any], str]  # line, output record, cache line (or "")


def _screen_batch(job: _Job) -> list[_Result]:
    """Worker side: screen one batch with the inherited matcher."""
    records, options, cache = job
    assert _MATCHER is not None, "the matcher is set before the workers start"
    return [(record.line, _screen_one(_MATCHER, record, options),
             _cache_row(_MATCHER, record) if cache else "") for record in records]


def _batches(records: Iterator[Record], options: BulkOptions, cache: bool) -> Iterator[_Job]:
    while batch := list(itertools.islice(records, options.batch_size)):
        yield batch, options, cache


def screen_records(matcher: Matcher, records: Iterable[Record], options: BulkOptions,
                   workers: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, output record) of each record, in order, on ``workers`` forked processes:
    the screening of :func:`screen_bulk` for rows chosen by the caller (re-screening)."""
    global _MATCHER
    _MATCHER = matcher
    settle()  # before the workers fork: the collector leaves the shared index alone
    for results in ordered_map(_screen_batch, _batches(iter(records), options, False),
                               workers=workers):
        yield from ((line, record) for line, record, _ in results)


def _replay(partial: Path, summary: BulkSummary) -> None:
    """Count the rows a resumed run already wrote, so the summary covers the whole file."""
    with partial.open(encoding="utf-8") as handle:
        for line in handle:
            summary.add(json.loads(line))


def screen_bulk(matcher: Matcher, input_path: Path, output_path: Path,
                options: BulkOptions,
                on_progress: Callable[[BulkSummary], None] | None = None, *,
                token_cache: Path | bool = True) -> BulkSummary:
    """Screen every row of ``input_path`` into ``output_path``; resumes an interrupted run.

    ``token_cache``: where to leave the customers' prepared names for re-screening; True:
    beside a JSON lines output (``OUT.tokens``, what ``discreet rescreen`` looks for).
    """
    if options.output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown output format {options.output_format!r}; "
                          f"formats: {', '.join(OUTPUT_FORMATS)}")
    global _MATCHER, _PROGRAMMES
    _MATCHER = matcher
    _PROGRAMMES = {e.id: list(e.programmes) for e in matcher.entities}
    settle()  # before the workers fork: the collector leaves the shared index alone
    started = time.monotonic()
    records = read_records(input_path, fmt=options.input_format, mapping=dict(options.mapping))
    first = next(records, None)  # reads the header: a bad file fails before any output exists
    records = itertools.chain([first] if first is not None else [], records)
    cache = _cache_target(output_path, options, token_cache)
    before = os.stat(input_path)
    sides = [tokencache.partial_path(cache)] if cache else []
    out = ResumableOutput(output_path, fingerprint(input_path, options.shaping()), sides)
    summary = BulkSummary(output=str(output_path))
    done = out.open()
    if done:
        summary.resumed_at = done
        _replay(out.partial, summary)
    if cache and not out.progress.side_bytes[0]:
        out.write_batch("", 0, [tokencache.header_line(input_path, options.input_format,
                                                       options.mapping)])
    remaining = itertools.islice(records, done, None)
    workers = options.workers or os.cpu_count() or 1
    for results in ordered_map(_screen_batch, _batches(remaining, options, bool(cache)),
                               workers=workers):
        text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n"
                       for _, r, _ in results)
        out.write_batch(text, len(results), ["".join(c for _, _, c in results)] if cache else [])
        for line, record, _ in results:
            summary.add(record, line)
        summary.seconds = time.monotonic() - started
        if on_progress is not None:
            on_progress(summary)
    _finish_cache(cache, input_path, before, summary.rows)
    if cache != tokencache.tokens_path(output_path):  # a cache of an earlier run is stale
        tokencache.tokens_path(output_path).unlink(missing_ok=True)
    _finish(out, options)
    summary.seconds = time.monotonic() - started
    return summary


def _cache_target(output: Path, options: BulkOptions, token_cache: Path | bool) -> Path | None:
    if token_cache is True:
        # re-screening reads the previous alerts as JSON lines: only those get a cache
        return tokencache.tokens_path(output) if options.output_format == "jsonl" else None
    return token_cache or None


def _finish_cache(cache: Path | None, input_path: Path, before: os.stat_result,
                  rows: int) -> None:
    """Seal the cache and put it in place, unless the input changed during the run."""
    if cache is None:
        return
    partial = tokencache.partial_path(cache)
    now = os.stat(input_path)
    if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        partial.unlink(missing_ok=True)
        cache.unlink(missing_ok=True)
        return
    tokencache.finish(partial, cache, rows)


def _finish(out: ResumableOutput, options: BulkOptions) -> None:
    """Put the output in place: JSON lines as written, or converted to CSV / Parquet alerts."""
    if options.output_format == "jsonl":
        out.finish()
        return
    from discreet.screen.writers import convert_alerts

    tmp = out.output.with_name(out.output.name + ".tmp")
    convert_alerts(out.partial, tmp, options.output_format, options.keep, _PROGRAMMES)
    os.replace(tmp, out.output)  # a kill before this line redoes the conversion on resume
    out.discard()
