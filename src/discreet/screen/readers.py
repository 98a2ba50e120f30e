"""Customer files as people actually send them: CSV/TSV in any common encoding, Excel,
Parquet and JSON lines, streamed record by record with their line (or row) numbers.

A reader yields :class:`Record` objects: the row's position and its columns renamed to
discreet's fields through a column mapping (``name=Customer Name,birth_date=DOB``). A row
that cannot be read (bad encoding, broken quoting, a JSON syntax error) comes out as a
record with ``error`` set, never as an exception: one bad row must not stop a nightly run.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections import deque
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from discreet.errors import ConfigError, ParseError
from discreet.text.csvtext import decode_line, rowlike_lines

__all__ = ["FIELDS", "CsvLine", "CsvRow", "Record", "check_fit", "csv_header", "csv_rows",
           "csv_table", "decoded_lines",
           "detect_format", "parse_map", "read_records"]

FIELDS = ("id", "name", "schema", "birth_date", "country", "id_number", "gender")
FORMATS = ("csv", "tsv", "xlsx", "parquet", "jsonl")
BATCH_ROWS = 4096
MAX_SPAN = 100  # lines one quoted value may span before it is taken for an unclosed quote


@dataclass(slots=True)
class Record:
    """One input row: where it was, its values by discreet field, the untouched columns."""

    line: int
    values: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def parse_map(text: str | None) -> dict[str, str]:
    """``name=Customer Name,birth_date=DOB`` -> {field: column}; unknown fields are errors."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        key = key.strip().lower()
        if not sep or not column.strip():
            raise ConfigError(f"--map: expected field=Column, got {part.strip()!r}")
        if key not in FIELDS:
            raise ConfigError(f"--map: unknown field {key!r}; fields: {', '.join(FIELDS)}")
        mapping[key] = column.strip()
    return mapping


def detect_format(path: Path) -> str:
    """The input format from the file name, then from the first bytes."""
    suffix = path.suffix.lower().lstrip(".")
    by_suffix = {"csv": "csv", "txt": "csv", "tsv": "tsv", "tab": "tsv", "xlsx": "xlsx",
                 "parquet": "parquet", "pq": "parquet", "jsonl": "jsonl", "ndjson": "jsonl",
                 "json": "jsonl"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "jsonl" if head.lstrip().startswith(b"{") else "csv"


def _rename(raw: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, str]:
    """Discreet's fields from the row: mapped columns first, then same-named columns."""
    lower = {str(k).strip().lower(): k for k in raw}
    values: dict[str, str] = {}
    for name in FIELDS:
        column = mapping.get(name)
        key = column if column is not None else lower.get(name)
        if key is not None and raw.get(key) not in (None, ""):
            values[name] = " ".join(str(raw[key]).split())
    return values


def _check_columns(columns: Iterable[str], mapping: Mapping[str, str], file: str) -> None:
    """Every mapped column exists, and a name column is known (mapped or called "name")."""
    present = [c for c in columns if c]
    missing = [f"{k}={v}" for k, v in mapping.items() if v not in present]
    if missing:
        raise ParseError(f"mapped column(s) not in the header: {', '.join(missing)}; "
                         f"columns are: {', '.join(present)}", file=file, line=1)
    if "name" not in mapping and "name" not in {c.strip().lower() for c in present}:
        raise ParseError("no name column: call it name or map it with --map "
                         f"name=COLUMN (columns are: {', '.join(present)})", file=file, line=1)


def _byte_lines(path: Path) -> Iterator[bytes]:
    """The file's lines as bytes; ``-`` is standard input."""
    if str(path) == "-":
        yield from sys.stdin.buffer
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}", file=str(path)) from exc
    with handle:
        yield from handle


def decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each physical line, decoded one by one: UTF-8 (BOM dropped)
    where valid, else Windows-1252 (what spreadsheets on Windows write)."""
    for number, raw in enumerate(_byte_lines(path), 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        yield number, decode_line(raw)


def _sniff_delimiter(header: str, default: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else default


def _swallowed(span: list[tuple[int, str]], cells: list[str], delimiter: str,
               width: int) -> bool:
    """A value quoted over several lines that is really an unbalanced quote: the record has
    too many values, is malformed when read strictly, or took in lines that are rows."""
    if len([c for c in cells[width:] if c.strip()]):
        return True
    try:
        next(csv.reader(["".join(text for _, text in span)], delimiter=delimiter,
                        strict=True), None)
    except csv.Error:
        return True
    return rowlike_lines((text for _, text in span[1:]), delimiter, width)


_UNCLOSED = ('a quote (") opened on this line is never closed; the lines after it are read '
             "on their own")


class CsvRow(NamedTuple):
    """A record of CSV text (``values``), or a physical line that cannot be read (``error``
    says why; ``text`` is the line, for a caller that wants to show what it held)."""

    line: int
    values: list[str] | None
    error: str | None = None
    text: str = ""


def csv_rows(lines: Iterable[tuple[int, str]], delimiter: str, width: int
             ) -> Iterator[CsvRow]:
    """Each record of CSV text (with its first line), or each physical line that cannot
    be read.

    A quoted value may span lines (an address with line breaks). But an unbalanced quote
    swallows every line up to the next quote and hides those rows: when a value spanning
    lines takes in what looks like whole rows, or the file (or :data:`MAX_SPAN` lines) ends
    inside it, its first line is reported and the lines after it are read again one by one.
    So every physical line is either in a record or reported.
    """
    source = iter(lines)
    pending: deque[tuple[int, str]] = deque()
    span: list[tuple[int, str]] = []
    ended = [False]  # the feed ran dry in the middle of a record

    def feed() -> Iterator[str]:
        while len(span) < MAX_SPAN:
            item = pending.popleft() if pending else next(source, None)
            if item is None:
                break
            span.append(item)
            yield item[1]
        ended[0] = True

    while True:
        reader = csv.reader(feed(), delimiter=delimiter)
        while True:
            span.clear()
            ended[0] = False
            try:
                cells = next(reader)
            except StopIteration:
                if not span:
                    return
                cause = _UNCLOSED
            except csv.Error as exc:
                cause = f"unreadable CSV: {exc}"
            else:
                if not ended[0] and (len(span) == 1
                                     or not _swallowed(span, cells, delimiter, width)):
                    yield CsvRow(span[0][0], cells)
                    continue
                cause = _UNCLOSED
            yield CsvRow(span[0][0], None, cause, span[0][1])
            pending.extendleft(reversed(span[1:]))
            break


def csv_header(first: str, default: str) -> tuple[str, list[str]]:
    """The delimiter of a CSV header line (the most frequent of comma, semicolon, tab and
    bar; ``default`` if none) and its column names."""
    delimiter = _sniff_delimiter(first, default)
    return delimiter, [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]


def check_fit(cells: list[str], header: list[str], delimiter: str) -> str | None:
    """Why a row's values do not fit the header, or None: missing values at the end read as
    empty; more values than columns (an unquoted delimiter inside a value?) cannot be
    placed and the row is rejected."""
    extra = [c for c in cells[len(header):] if c.strip()]
    if not extra:
        return None
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(delimiter, delimiter)
    return (f"{len(header) + len(extra)} values for {len(header)} columns (an unquoted "
            f"{shown} inside a value?); extra: {', '.join(repr(c) for c in extra[:3])}")


class CsvLine(NamedTuple):
    """A non-blank record of a CSV file with a header: its first line, its values by
    position and why it cannot be used (None when it can). ``readable`` is False for a
    physical line that could not be read: ``cells`` are then what its text seems to hold
    (split at the delimiter), enough to label or echo the line, never to screen it."""

    line: int
    cells: list[str]
    error: str | None
    readable: bool = True


def csv_table(path: Path, default_delimiter: str = ",", file: str | None = None
              ) -> tuple[list[str], Iterator[CsvLine]]:
    """The header (names stripped) and each non-blank record of a CSV file with a header
    (``-``: standard input): the one CSV reading behind customer files and name-pair
    files. An empty file is refused; the delimiter is sniffed from the header."""
    label = file if file is not None else path.name
    lines = decoded_lines(path)
    _, first = next(lines, (1, ""))
    if not first.strip():
        raise ParseError("the file is empty", file=label)
    delimiter, header = csv_header(first, default_delimiter)

    def rows() -> Iterator[CsvLine]:
        for line, cells, cause, text in csv_rows(lines, delimiter, len(header)):
            if cells is None:
                guess = [c.strip(' "') for c in text.rstrip("\r\n").split(delimiter)]
                yield CsvLine(line, guess, cause, readable=False)
            elif any(cell.strip() for cell in cells):
                yield CsvLine(line, cells, check_fit(cells, header, delimiter))

    return header, rows()


def _read_csv(path: Path, mapping: Mapping[str, str], delimiter: str,
              wanted: Container[int] | None = None) -> Iterator[Record]:
    header, rows = csv_table(path, delimiter)
    _check_columns(header, mapping, path.name)
    for ordinal, row in enumerate(rows):
        if wanted is not None and ordinal not in wanted:
            yield Record(row.line)
            continue
        raw = dict(zip(header, row.cells, strict=False))
        if not row.readable:  # not screened; its id, if it can be made out, labels the error
            ident = _rename(raw, mapping).get("id")
            yield Record(row.line, {"id": ident} if ident else {}, {}, row.error)
            continue
        yield Record(row.line, _rename(raw, mapping), raw, row.error)


def _read_jsonl(path: Path, mapping: Mapping[str, str],
                wanted: Container[int] | None = None) -> Iterator[Record]:
    ordinal = -1
    for number, raw in enumerate(_byte_lines(path), 1):
        if not raw.strip():
            continue
        ordinal += 1
        if wanted is not None and ordinal not in wanted:
            yield Record(number)
            continue
        try:
            data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield Record(number, error=f"not a JSON object: {exc}")
            continue
        except RecursionError:  # a line of 100,000 "[": this row, not the whole file
            yield Record(number, error="not a JSON object: nested too deeply to be read")
            continue
        if not isinstance(data, dict):
            yield Record(number, error="not a JSON object")
            continue
        raw_values = {str(k): "" if v is None else str(v) for k, v in data.items()}
        yield Record(number, _rename(raw_values, mapping), raw_values)


def _read_xlsx(path: Path, mapping: Mapping[str, str]) -> Iterator[Record]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ParseError(f"not a readable Excel workbook: {exc}", file=path.name) from exc
    try:
        sheet = book.worksheets[0]
        # the sheet's own <dimension> may claim 16,384 columns by 1,048,576 rows for a
        # handful of cells: read-only openpyxl would pad every row to it (hours of
        # empty cells from a 2 KB file); only the cells the sheet holds are read
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        _check_columns(header, mapping, path.name)
        for number, row in enumerate(rows, 2):
            if row is None or all(v in (None, "") for v in row):
                continue
            raw = {h: _cell(v) for h, v in zip(header, row, strict=False) if h}
            values = _rename(raw, mapping)
            yield Record(number, values, raw, _excel_error(values))
    finally:
        book.close()


EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})


def _excel_error(values: Mapping[str, str]) -> str | None:
    """A name (or id) cell holding an Excel error instead of a value: the row is rejected
    (a date or country cell in error is only no evidence)."""
    for name in ("name", "id"):
        if values.get(name) in EXCEL_ERRORS:
            return f"the {name} cell holds the Excel error {values[name]}"
    return None


def _cell(value: Any) -> str:
    """Excel cells as text; dates as ISO, whole floats without ``.0``."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_parquet(path: Path, mapping: Mapping[str, str]) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's ArrowInvalid and OSError alike
        raise ParseError(f"not a readable Parquet file: {exc}", file=path.name) from exc
    _check_columns(parquet.schema_arrow.names, mapping, path.name)
    number = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            raw = {str(k): _cell(v) for k, v in row.items()}
            yield Record(number, _rename(raw, mapping), raw)


def read_records(path: Path, *, fmt: str = "auto", mapping: Mapping[str, str] | None = None,
                 wanted: Container[int] | None = None) -> Iterator[Record]:
    """Stream the rows of a customer file as records (memory stays bounded).

    ``wanted``: the positions (0, 1, … in the order records come out) of the rows needed;
    CSV, TSV and JSON lines rows not wanted come out as bare records (line only, columns
    not read), which is what makes re-screening a few rows of a million cheap.
    """
    stdin = str(path) == "-"
    if not stdin and not path.is_file():
        raise ParseError("cannot read the file: no such file", file=str(path))
    kind = ("csv" if stdin else detect_format(path)) if fmt == "auto" else fmt
    if kind not in FORMATS:
        raise ConfigError(f"unknown input format {fmt!r}; formats: auto, {', '.join(FORMATS)}")
    if stdin and kind not in ("csv", "tsv", "jsonl"):
        raise ConfigError(f"standard input can be CSV, TSV or JSON lines, not {kind}")
    columns = dict(mapping or {})
    if kind in ("csv", "tsv"):
        return _read_csv(path, columns, "\t" if kind == "tsv" else ",", wanted)
    if kind == "xlsx":
        return _read_xlsx(path, columns)
    if kind == "parquet":
        return _read_parquet(path, columns)
    return _read_jsonl(path, columns, wanted)
