"""Screening a customer file: every core, bounded memory, rows in input order, atomic.

The one pipeline of ``screen-file`` and of the library's :func:`screen_file`. Rows stream
from the input (:mod:`~discreet.screen.readers`), go to forked workers in batches
(:mod:`~discreet.parallel`), are screened by :func:`~discreet.screen.rows.screen_record`
and come back in input order.

* A file to a file is **resumable**: the results are appended to a checkpointed partial
  output (:mod:`~discreet.screen.resume`). Interrupted, the same call continues after the
  last recorded batch; finished, the output is renamed into place and, for CSV or Parquet,
  converted from the JSON lines the run wrote. A run writing JSON lines also leaves the
  customers' prepared names beside them (``OUT.tokens``, :mod:`~discreet.screen.tokencache`),
  checkpointed with the output: the workers return the names they prepared anyway, and
  ``discreet rescreen`` reads them to skip the customers that cannot match what changed.
* ``-`` on either side (standard input or output) is **streamed**: a pipe cannot be
  resumed, so there is no checkpoint and no name cache; the JSON lines go to standard
  output batch by batch, or to a file written atomically.

Both give the same lines for the same rows, and the same :class:`RunSummary`.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.match.matcher import LOOKUP_ATTRIBUTE, settle
from discreet.match.prefilter import query_names
from discreet.match.topics import wanted_topics
from discreet.parallel import ordered_map
from discreet.screen import tokencache
from discreet.screen.readers import Record, read_records
from discreet.screen.resume import ResumableOutput, fingerprint
from discreet.screen.rows import ProgrammesOf, check_options, record_query, screen_record
from discreet.screen.summary import RunSummary
from discreet.screen.writers import atomic_output, output_label

if TYPE_CHECKING:
    from discreet.match import Matcher
    from discreet.model import Entity

__all__ = ["BulkOptions", "check_run", "entity_by_id", "is_stream", "programmes_of",
           "screen_bulk", "screen_file", "screen_records"]

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
_MATCHER: Matcher | None = None  # set before the workers fork; each inherits it
_PROGRAMMES: ProgrammesOf = {}  # entity id -> programmes, for the summary



def programmes_of(matcher: Matcher) -> ProgrammesOf:
    """Entity id -> programmes, for the summary and the alert table: every entity's at once,
    or, for an index that carries its id table (a persisted one), an entity's when an alert
    names it (reading them all decodes every entity: ~16 s at 1M)."""
    if LOOKUP_ATTRIBUTE in matcher.__dict__:
        return _AlertedProgrammes(matcher)
    listed = matcher.entities if matcher.parties is None else itertools.chain(
        matcher.entities, *matcher.parties.members.values())  # a party's listings too
    return {e.id: list(e.programmes) for e in listed}


def entity_by_id(matcher: Matcher) -> Callable[[str], Entity | None]:
    """Entity id -> the last of the index's entities with it, as a map of them all by id
    keeps it. An index that carries its id table (a persisted one) finds it there and
    decodes only that entity (decoding them all costs ~16 s at 1M); any other is mapped."""
    if LOOKUP_ATTRIBUTE not in matcher.__dict__:
        return {e.id: e for e in matcher.entities}.get

    def last(entity_id: str) -> Entity | None:
        positions = matcher.positions_of([entity_id])
        return matcher.entities[positions[-1]] if positions else None
    return last


class _AlertedProgrammes:
    """:func:`programmes_of`'s map read on demand: a party's listings first (as the whole
    map has them), then the last entity with the id. Only ``get``: iterating it would
    decode every entity, which is what it exists to avoid."""

    def __init__(self, matcher: Matcher) -> None:
        self._entity = entity_by_id(matcher)
        members = itertools.chain(*matcher.parties.members.values()) \
            if matcher.parties is not None else ()
        self._read = {e.id: list(e.programmes) for e in members}

    def get(self, entity_id: str, default: list[str], /) -> list[str]:
        """The programmes of ``entity_id``'s listing, or ``default`` for an id not listed."""
        found = self._read.get(entity_id)
        if found is None:
            entity = self._entity(entity_id)
            if entity is None:
                return default
            found = self._read[entity_id] = list(entity.programmes)
        return found


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
    topics: tuple[str, ...] = ()  # only entities carrying any of these (empty: every entity)

    def shaping(self) -> dict[str, Any]:
        shape = {"threshold": self.threshold, "limit": self.limit, "mapping": self.mapping,
                 "input_format": self.input_format, "output_format": self.output_format,
                 "keep": self.keep}
        if self.date_order:
            shape["date_order"] = self.date_order
        if self.topics:
            shape["topics"] = tuple(sorted(self.topics))
        return shape


def _screen_one(matcher: Matcher, record: Record, options: BulkOptions) -> dict[str, Any]:
    """The output line of one input row, as every screening path writes it."""
    return screen_record(matcher, record, options.threshold, options.limit, options.keep,
                         options.date_order, options.topics)


def _cache_row(matcher: Matcher, record: Record) -> str:
    """The row's line in the name-token cache: the names the matcher just prepared for it."""
    query, _ = record_query(record)
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


def _replay(partial: Path, summary: RunSummary) -> None:
    """Count the rows a resumed run already wrote, so the summary covers the whole file."""
    with partial.open(encoding="utf-8") as handle:
        for line in handle:
            summary.add(json.loads(line), programmes=_PROGRAMMES)


def is_stream(input_path: Path, output_path: Path) -> bool:
    """Standard input or output (``-``) on either side: a run that cannot be resumed."""
    return "-" in (str(input_path), str(output_path))


def check_run(input_path: Path, output_path: Path, options: BulkOptions) -> None:
    """Refuse options that cannot run, before the input is read (or the index built)."""
    if options.output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown output format {options.output_format!r}; "
                          f"formats: {', '.join(OUTPUT_FORMATS)}")
    check_options(options.threshold, options.limit)
    if options.output_format == "jsonl":
        return
    if str(output_path) == "-":  # an alert table is converted from a whole run's lines
        raise ConfigError(f"standard output takes JSON lines only, not "
                          f"{options.output_format}; write CSV or Parquet alerts to a file "
                          "(-o FILE)")
    if str(input_path) == "-":
        raise ConfigError(f"{output_path}: reading standard input, screen-file writes JSON "
                          "lines only; give the customers as a file for CSV or Parquet alerts")


def _json_lines(results: Sequence[_Result]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for _, r, _ in results)


def screen_bulk(matcher: Matcher, input_path: Path, output_path: Path,
                options: BulkOptions,
                on_progress: Callable[[RunSummary], None] | None = None, *,
                token_cache: Path | bool = True) -> RunSummary:
    """Screen every row of ``input_path`` into ``output_path``, in input order; a file to a
    file resumes an interrupted run, ``-`` on either side streams (module docstring).

    ``token_cache``: where to leave the customers' prepared names for re-screening; True:
    beside a JSON lines output (``OUT.tokens``, what ``discreet rescreen`` looks for).
    """
    check_run(input_path, output_path, options)
    global _MATCHER, _PROGRAMMES
    _MATCHER = matcher
    _PROGRAMMES = programmes_of(matcher)
    settle()  # before the workers fork: the collector leaves the shared index alone
    started = time.monotonic()
    records = read_records(input_path, fmt=options.input_format, mapping=dict(options.mapping))
    first = next(records, None)  # reads the header: a bad file fails before any output exists
    records = itertools.chain([first] if first is not None else [], records)
    summary = RunSummary(output=output_label(output_path))
    workers = options.workers or os.cpu_count() or 1

    def batches_done(results: Sequence[_Result]) -> None:
        for line, record, _ in results:
            summary.add(record, line, _PROGRAMMES)
        summary.seconds = time.monotonic() - started
        if on_progress is not None:
            on_progress(summary)

    if is_stream(input_path, output_path):
        with atomic_output(output_path) as out:
            for results in ordered_map(_screen_batch, _batches(records, options, False),
                                       workers=workers):
                out.write(_json_lines(results))
                out.flush()  # a reader at the other end of a pipe gets each batch at once
                batches_done(results)
        if str(output_path) != "-":  # a name cache an earlier run left is not of these alerts
            tokencache.tokens_path(output_path).unlink(missing_ok=True)
    else:
        _resumable(records, input_path, output_path, options, workers, token_cache,
                   summary, batches_done)
    summary.seconds = time.monotonic() - started
    return summary


def _resumable(records: Iterator[Record], input_path: Path, output_path: Path,
               options: BulkOptions, workers: int, token_cache: Path | bool,
               summary: RunSummary, batches_done: Callable[[Sequence[_Result]], None]) -> None:
    """A file to a file: checkpointed batches, resumed after the last one recorded."""
    cache = _cache_target(output_path, options, token_cache)
    before = os.stat(input_path)
    sides = [tokencache.partial_path(cache)] if cache else []
    out = ResumableOutput(output_path, fingerprint(input_path, options.shaping()), sides)
    done = out.open()
    if done:
        summary.resumed_at = done
        _replay(out.partial, summary)
    if cache and not out.progress.side_bytes[0]:
        out.write_batch("", 0, [tokencache.header_line(input_path, options.input_format,
                                                       options.mapping)])
    remaining = itertools.islice(records, done, None)
    for results in ordered_map(_screen_batch, _batches(remaining, options, bool(cache)),
                               workers=workers):
        out.write_batch(_json_lines(results), len(results),
                        ["".join(c for _, _, c in results)] if cache else [])
        batches_done(results)
    _finish_cache(cache, input_path, before, summary.rows)
    if cache != tokencache.tokens_path(output_path):  # a cache of an earlier run is stale
        tokencache.tokens_path(output_path).unlink(missing_ok=True)
    _finish(out, options)


def screen_file(matcher: Matcher, input_path: Path, output_path: Path,
                threshold: float | None = None, limit: int = 5, *, workers: int = 0,
                input_format: str = "auto", output_format: str = "jsonl",
                mapping: dict[str, str] | None = None, keep: Sequence[str] = (),
                date_order: str | None = None, topics: Sequence[str] = (),
                on_progress: Callable[[RunSummary], None] | None = None) -> RunSummary:
    """Screen every row of a customer file (``-``: standard input) into ``output_path``
    (``-``: standard output): :func:`screen_bulk` with its options as keywords.

    Rows that cannot be screened (unreadable, no name, unknown schema) are written with
    ``"matches": []`` and an ``"error"``, counted as rejected and listed by line in the
    summary's ``rejects``; the run goes on. A row screened without its birth date (which
    could not be read) is not rejected: it is in ``warnings``. ``topics``: only entities
    carrying any of them (:mod:`discreet.match.topics`: sanction, role.pep…).
    """
    options = BulkOptions(threshold=threshold, limit=limit, workers=workers,
                          mapping=tuple((mapping or {}).items()), input_format=input_format,
                          output_format=output_format, keep=tuple(keep),
                          date_order=date_order, topics=wanted_topics(topics))
    return screen_bulk(matcher, input_path, output_path, options, on_progress)


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
