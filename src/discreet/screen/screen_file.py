"""Screen a customer file: read CSV rows, match each against the lists, write JSON lines.

Everything streams: rows are read, matched and written one at a time, so a file of millions
of customers needs memory for the index and one row. Output goes to a temporary file beside
the target and is renamed over it at the end: a reader never sees half a result file.

>>> summary = screen_file(matcher, Path("customers.csv"), Path("alerts.jsonl"))
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from discreet.errors import ConfigError, NotFoundError
from discreet.model import SCHEMATA
from discreet.text.dates import normalize_date, parse_date

if TYPE_CHECKING:
    from discreet.match import Matcher, Query
    from discreet.screen.readers import Record
    from discreet.store import Store

__all__ = ["InputRow", "RowError", "Summary", "atomic_output", "date_warning",
           "load_matcher", "output_label", "parse_schema", "read_rows", "row_query",
           "screen_file", "screen_record", "screen_row", "screen_rows"]

REQUIRED = ("id", "name")
SCHEMA_BY_LOWER = {s.lower(): s for s in SCHEMATA}
NO_NAME = "the row has no name"


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be screened: its line in the input file, its id and why."""

    line: int
    id: str
    message: str

    def __str__(self) -> str:
        label = f" (id {self.id})" if self.id else ""
        return f"line {self.line}{label}: {self.message}"


@dataclass(frozen=True, slots=True)
class InputRow:
    """One customer to screen; ``error`` is set when the row cannot be screened as it is."""

    line: int
    id: str
    name: str
    schema: str | None = None
    birth_date: str | None = None
    countries: tuple[str, ...] = ()
    error: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, str | None], line: int = 0,
                     date_order: str | None = None) -> InputRow:
        """Build a row from CSV-style columns: id, name, schema, birth_date, country;
        ``date_order`` (DMY, MDY, YMD) settles a birth date like 07/10/1952 (else the
        matcher compares both readings, :mod:`discreet.text.dates`)."""
        ident = (data.get("id") or "").strip()
        name = " ".join((data.get("name") or "").split())
        schema, error = parse_schema(data.get("schema"))
        if not name:
            error = NO_NAME
        countries = tuple(c.strip() for c in (data.get("country") or "").replace("|", ";")
                          .split(";") if c.strip())
        return cls(line, ident, name, schema, normalize_date(data.get("birth_date"), date_order),
                   countries, error)


@dataclass(slots=True)
class Summary:
    """What a screening run did: rows read, rows with at least one alert, rows rejected
    (not screened, each reported with its line)."""

    rows: int = 0
    alerts: int = 0
    rejected: int = 0
    matches: int = 0
    output: str = ""
    unread_dates: int = 0  # rows screened without their birth date, which could not be read

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "screened": self.rows - self.rejected, "alerts": self.alerts,
                "rejected": self.rejected, "matches": self.matches,
                "unread_dates": self.unread_dates, "output": self.output}

    def __str__(self) -> str:
        dates = f", {self.unread_dates} birth dates unread" if self.unread_dates else ""
        return (f"{self.rows} rows: {self.rows - self.rejected} screened, {self.alerts} with "
                f"alerts ({self.matches} alerts), {self.rejected} rejected{dates} -> "
                f"{self.output}")


def parse_schema(value: str | None) -> tuple[str | None, str | None]:
    """A schema name in any case, or blank; returns (schema, error message)."""
    text = (value or "").strip()
    if not text:
        return None, None
    if text.lower() in SCHEMA_BY_LOWER:
        return SCHEMA_BY_LOWER[text.lower()], None
    return None, f"unknown schema {text!r}; expected one of {', '.join(SCHEMATA)}"


def load_matcher(store: Store) -> Matcher:
    """An index of every active version in the store; refuses an empty store."""
    from discreet.match import Matcher

    matcher = Matcher.from_store(store)
    if len(matcher) == 0:
        raise NotFoundError("no entities to screen against: load a list first "
                            "(discreet load FILE or discreet update)")
    return matcher


def read_rows(path: Path, date_order: str | None = None, *, fmt: str = "auto",
              mapping: Mapping[str, str] | None = None) -> Iterator[InputRow]:
    """Customers of a file (``-``: CSV on standard input) as rows to screen, read by
    :func:`~discreet.screen.readers.read_records` like every customer file: a record that
    cannot be read comes out as a row with its error (its id, if it can be made out)."""
    from discreet.screen.readers import read_records

    for record in read_records(path, fmt=fmt, mapping=mapping):
        row = InputRow.from_mapping(record.values, record.line, date_order)
        yield replace(row, error=record.error) if record.error else row


def row_query(row: InputRow) -> Query | None:
    """What :func:`screen_row` matches for a row; None for a row it does not screen.

    Re-screening builds the same query to bound what a row can score
    (:mod:`discreet.match.prefilter`), so both must come from here.
    """
    from discreet.match import Query

    if row.error or not row.name.strip():
        return None
    return Query(name=row.name, schema=row.schema, birth_date=row.birth_date,
                 countries=row.countries, id=row.id or None)


def screen_record(matcher: Matcher, record: Record, threshold: float | None, limit: int,
                  keep: Sequence[str] = (), date_order: str | None = None) -> dict[str, Any]:
    """The output line of one record of a customer file (any reader, any format): a row
    the reader could not read is written with its error, never dropped."""
    row = InputRow.from_mapping(record.values, record.line, date_order)
    if record.error:
        out: dict[str, Any] = {"id": row.id, "matches": [], "error": record.error}
    else:
        out = screen_row(matcher, row, threshold, limit)
    out["id"] = out["id"] or str(record.line)
    if keep:
        out["input"] = {k: record.raw.get(k, "") for k in keep}
    return out


def screen_row(matcher: Matcher, row: InputRow, threshold: float | None,
               limit: int) -> dict[str, Any]:
    """One output record: ``{"id", "matches"}``, plus ``"error"`` for a row not screened
    and ``"warning"`` for a row screened without its birth date, which could not be read."""
    query = row_query(row)
    if query is None:
        return {"id": row.id, "matches": [], "error": row.error or NO_NAME}
    results = matcher.match(query, limit=limit, threshold=threshold)
    out: dict[str, Any] = {"id": row.id}
    warning = date_warning(row.birth_date)
    if warning:
        out["warning"] = warning
    out["matches"] = [r.to_dict() for r in results]
    return out


def date_warning(text: str | None) -> str | None:
    """What to tell about a birth date that cannot be read (it is no evidence), or None."""
    if not text:
        return None
    written = parse_date(text)
    if written.readings:
        return None
    return f"birth date {written.text!r} could not be read ({written.problem}); screened " \
        "without it"


def screen_rows(matcher: Matcher, rows: Iterable[InputRow | Mapping[str, str]],
                threshold: float | None = None, limit: int = 5) -> Iterator[dict[str, Any]]:
    """Screen rows lazily, in order: one output record per row, best matches first.

    ``threshold`` None uses the matcher's default; it only filters (0 returns the best
    ``limit`` entities of those compared, whatever their score). Rows may be
    :class:`InputRow` or CSV-style mappings.
    """
    check_options(threshold, limit)
    for number, row in enumerate(rows, start=1):
        item = row if isinstance(row, InputRow) else InputRow.from_mapping(row, number)
        yield screen_row(matcher, item, threshold, limit)


def check_options(threshold: float | None, limit: int) -> None:
    if threshold is not None and not 0 <= threshold <= 1:
        raise ConfigError(f"threshold must be between 0 and 1, not {threshold}")
    if limit < 1:
        raise ConfigError(f"limit must be at least 1, not {limit}")


@contextmanager
def atomic_output(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """Write text to a temporary file beside ``path``, renamed over it only on success.

    ``-`` writes to standard output instead (nothing to rename).
    """
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
    return "standard output" if str(path) == "-" else str(path)


def screen_file(matcher: Matcher, input_path: Path, output_path: Path,
                threshold: float | None = None, limit: int = 5,
                on_error: Callable[[RowError], None] | None = None, *, fmt: str = "auto",
                mapping: Mapping[str, str] | None = None, keep: Sequence[str] = (),
                date_order: str | None = None,
                on_warning: Callable[[RowError], None] | None = None) -> Summary:
    """Screen every row of a customer file (``-``: CSV on standard input) into a JSON lines
    file, one line per row, in order, in one process (the streaming path).

    The rows are read by :func:`~discreet.screen.readers.read_records`, as the bulk path
    reads them. Rows that cannot be screened (unreadable, no name, unknown schema) are
    written with ``"matches": []`` and an ``"error"``, counted as rejected and passed to
    ``on_error`` as they are met; the run goes on. A row screened without its birth date
    (which could not be read) is not rejected: it goes to ``on_warning``.
    """
    from discreet.screen.readers import read_records

    check_options(threshold, limit)
    summary = Summary(output=output_label(output_path))
    records = read_records(input_path, fmt=fmt, mapping=mapping)
    first = next(records, None)  # the header is read: a bad file fails before any output
    with atomic_output(output_path) as out:
        for record in itertools.chain([first] if first is not None else [], records):
            result = screen_record(matcher, record, threshold, limit, keep, date_order)
            out.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
            summary.rows += 1
            summary.matches += len(result["matches"])
            summary.alerts += bool(result["matches"])
            summary.rejected += "error" in result
            summary.unread_dates += "warning" in result
            label = str(record.values.get("id", ""))
            if "error" in result and on_error is not None:
                on_error(RowError(record.line, label, result["error"]))
            elif "warning" in result and on_warning is not None:
                on_warning(RowError(record.line, label, result["warning"]))
    return summary
