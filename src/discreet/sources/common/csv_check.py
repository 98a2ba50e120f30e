"""CSV reading that refuses damaged files: cut short, rows merged by a stray quote, huge fields.

Python's csv reader is lenient where a list must not be: a quote left open at the end of a
truncated file silently becomes one last long field, and an unbalanced quote in the middle
swallows the following rows into one field. :func:`records` reads records with their line
numbers and turns each of these into one :class:`~discreet.errors.ParseError` line.

Truncation is judged on the last record, never on the lack of a final line ending alone:
real published files (OFAC copies of 2019, OFSI 2014) end without one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from discreet.errors import ParseError
from discreet.sources.common.guard import MAX_FIELD_CHARS, one_line
from discreet.text.csvtext import rowlike_lines

__all__ = ["Record", "check_width", "ends_cleanly", "records", "swallowed_rows"]


@dataclass(slots=True)
class Record:
    """One CSV record, the line it starts on, and whether it is the file's last one."""

    line: int
    fields: list[str]
    raw_end: str  # the record's last physical line as read (line ending included if any)
    last: bool = False


class _Lines:
    """Iterates lines for csv.reader and remembers the ones the current record used."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._it = iter(lines)
        self.used: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.used.append(line)
        return line


def _csv_error(exc: csv.Error, file: str, line: int) -> ParseError:
    text = str(exc)
    if "field larger than field limit" in text:
        return ParseError(f"a field is longer than {MAX_FIELD_CHARS:,} characters: not a real "
                          "list value (damaged or hostile file, or a quote left open)",
                          file=file, line=line)
    if "NUL" in text or "\\x00" in text:
        return ParseError("NUL bytes: not a text CSV", file=file, line=line)
    return ParseError(f"not valid CSV ({one_line(text, 80)})", file=file, line=line)


def records(lines: Iterable[str], file: str, delimiter: str = ",",
            skip_blank: bool = True, warnings: list[str] | None = None) -> Iterator[Record]:
    """Each record with its first line number; the last one is flagged and checked.

    A record that ends inside a quoted field at the end of the file is refused as truncated.
    A last record without a line break is read, and said in ``warnings`` (if given): the
    file may have been cut right after a complete-looking value.
    The caller checks the column count (it knows the width) with :func:`check_width`.
    """
    source = _Lines(lines)
    reader = csv.reader(source, delimiter=delimiter)
    pending: Record | None = None
    pending_lines: list[str] = []
    consumed = 0
    while True:
        source.used = []
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(exc, file, consumed + 1) from exc
        start, consumed = consumed + 1, reader.line_num
        if any(len(value) > MAX_FIELD_CHARS for value in fields):  # whatever csv's limit is
            raise _csv_error(csv.Error("field larger than field limit"), file, start)
        if skip_blank and (not fields or (len(fields) == 1 and not fields[0].strip())):
            continue
        if pending is not None:
            yield pending
        pending_lines = source.used
        pending = Record(start, fields, source.used[-1] if source.used else "")
    if pending is not None:
        pending.last = True
        _check_open_quote(pending, pending_lines, file, delimiter)
        if warnings is not None and not ends_cleanly(pending):
            warnings.append(f"{file}: the file ends without a line break; if it was cut off, "
                            f"the last row (line {pending.line}) may be incomplete")
        yield pending


def _check_open_quote(record: Record, used: list[str], file: str, delimiter: str) -> None:
    """Refuse a last record whose text ends inside a quoted field.

    The lenient reader closes such a field silently at the end of the file: either the file
    was cut inside the field, or a stray quote swallowed every row after it.
    """
    try:
        list(csv.reader(["".join(used)], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return  # a bare quote inside a field: legal in the lenient reading
        if ends_cleanly(record):
            raise ParseError("a quoted field opened here is never closed: an unbalanced "
                             "quote swallowed the rows after it (or the file is truncated)",
                             file=file, line=record.line) from exc
        raise ParseError("the file ends inside a quoted field: it is truncated",
                         file=file, line=record.line) from exc


def check_width(record: Record, width: int, file: str, *, delimiter: str = ",") -> None:
    """Refuse a record with the wrong number of columns, or one that swallowed other rows.

    A short last record is a truncated file and is said so.
    """
    found = len(record.fields)
    if found != width:
        if record.last and found < width:
            raise ParseError(f"expected {width} columns, found {found} in the last record: "
                             "the file is truncated", file=file, line=record.line, field="row")
        raise ParseError(f"expected {width} columns, found {found}: a stray quote or "
                         "delimiter?", file=file, line=record.line, field="row")
    swallowed_rows(record, width, file, delimiter)


def swallowed_rows(record: Record, width: int, file: str, delimiter: str = ",") -> None:
    """Refuse a field whose embedded lines look like whole rows (an unbalanced quote above).

    The rule is :func:`discreet.text.csvtext.rowlike_lines`, shared with customer-file reading.
    """
    for index, value in enumerate(record.fields):
        if ("\n" in value or "\r" in value) and rowlike_lines(
                value.splitlines()[1:], delimiter, width):
            raise ParseError("a field holds lines that look like rows of their own: an "
                             "unbalanced quote merged rows", file=file, line=record.line,
                             field=f"column {index + 1}")


def ends_cleanly(record: Record) -> bool:
    """True when the record's last physical line ends in a line break."""
    return record.raw_end.endswith(("\n", "\r"))
