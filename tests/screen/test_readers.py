"""Customer files in every format people send, read row by row with positions and errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from discreet.errors import ConfigError, ParseError
from discreet.screen.readers import MAX_SPAN, parse_map, read_records
from discreet.text.dates import parse_date

MAP = parse_map("id=Customer No,name=Customer Name,birth_date=DOB,country=Country")


def test_parse_map_checks_fields() -> None:
    assert MAP == {"id": "Customer No", "name": "Customer Name", "birth_date": "DOB",
                   "country": "Country"}
    with pytest.raises(ConfigError, match="unknown field 'nme'"):
        parse_map("nme=Name")
    with pytest.raises(ConfigError, match="expected field=Column"):
        parse_map("name")


def test_csv_utf8_bom_with_mapping(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffCustomer No,Customer Name,DOB,Country,Segment\r\n"
                     "C1,Влади́мир Путин,1952-10-07,Russia,retail\r\n"
                     'C2,"Doe, John",,,corporate\r\n'.encode())
    rows = list(read_records(path, mapping=MAP))
    assert [(r.line, r.values) for r in rows] == [
        (2, {"id": "C1", "name": "Влади́мир Путин", "birth_date": "1952-10-07",
             "country": "Russia"}),
        (3, {"id": "C2", "name": "Doe, John"})]
    assert rows[0].raw["Segment"] == "retail"


def test_cp1252_semicolon_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("id;name\r\n1;Zoë O’Brien\r\n2;a;b\r\n\r\n3;Plain\r\n".encode("cp1252"))
    rows = list(read_records(path))
    assert rows[0].values == {"id": "1", "name": "Zoë O’Brien"}
    assert rows[1].line == 3 and (rows[1].error or "").startswith("3 values for 2 columns")
    assert (rows[2].line, rows[2].values["name"]) == (5, "Plain")


def test_tsv_and_multiline_quoted_field_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text('id\tname\n1\t"Multi\nLine"\n2\tNext\n', encoding="utf-8")
    rows = list(read_records(path))
    assert [(r.line, r.values["name"]) for r in rows] == [(2, "Multi Line"), (4, "Next")]


def test_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer No", "Customer Name", "DOB", "Country"])
    sheet.append([1001, "Kim Jong Un", date(1984, 1, 8), "KP"])
    sheet.append([None, None, None, None])
    sheet.append([1002, "Acme LLC", None, None])
    path = tmp_path / "c.xlsx"
    book.save(path)
    rows = list(read_records(path, mapping=MAP))
    assert [(r.line, r.values) for r in rows] == [
        (2, {"id": "1001", "name": "Kim Jong Un", "birth_date": "1984-01-08", "country": "KP"}),
        (4, {"id": "1002", "name": "Acme LLC"})]


def test_parquet(tmp_path: Path) -> None:
    table = pa.table({"Customer No": ["a", "b"], "Customer Name": ["One", "Two"],
                      "DOB": [None, "1970"], "Country": ["de", None]})
    path = tmp_path / "c.parquet"
    pq.write_table(table, path)
    rows = list(read_records(path, mapping=MAP))
    assert [r.values for r in rows] == [{"id": "a", "name": "One", "country": "de"},
                                        {"id": "b", "name": "Two", "birth_date": "1970"}]


def test_jsonl_with_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": 1, "name": "Ann"}) + "\n{broken\n[1]\n"
                    + json.dumps({"id": 2, "name": "Bob", "extra": None}) + "\n")
    rows = list(read_records(path))
    assert [(r.line, r.values.get("name"), bool(r.error)) for r in rows] == [
        (1, "Ann", False), (2, None, True), (3, None, True), (4, "Bob", False)]


def test_missing_mapped_column_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,name\n1,x\n")
    with pytest.raises(ParseError, match="Customer Name"):
        list(read_records(path, mapping={"name": "Customer Name"}))
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match="empty"):
        list(read_records(empty))
    fake = tmp_path / "f.xlsx"
    fake.write_bytes(b"PK not really a zip")
    with pytest.raises(ParseError, match="Excel"):
        list(read_records(fake))
    with pytest.raises(ConfigError, match="unknown input format"):
        read_records(path, fmt="xls")



@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_only_wanted_rows_are_read_in_full(tmp_path: Path, fmt: str) -> None:
    """Re-screening reads a few rows of a big file: the others come out bare (line only),
    but every row still comes out, at the same position, blank lines skipped as before."""
    path = tmp_path / f"c.{fmt}"
    if fmt == "csv":
        path.write_text('id,name\nc1,Anna\n\nc2,"Multi\nline"\nc3,Olga,extra\nc4,Li\n',
                        encoding="utf-8")
    else:
        path.write_text('{"id": "c1", "name": "Anna"}\n\n{broken\n[1]\n'
                        '{"id": "c4", "name": "Li"}\n', encoding="utf-8")
    every = list(read_records(path))
    wanted = {1, len(every) - 1}
    some = list(read_records(path, wanted=wanted))
    assert len(every) == 4 and [r.line for r in some] == [r.line for r in every]
    for position, (bare, full) in enumerate(zip(some, every, strict=True)):
        if position in wanted:
            assert bare == full
        else:
            assert (bare.values, bare.raw, bare.error) == ({}, {}, None)
    assert every[0].values["name"] == "Anna" and every[-1].values["name"] == "Li"


# --- a broken row never hides the rows after it ------------------------------------------

ROWS = [("k1", "Ramzan Kadyrov", "1976-10-05"), ("k2", "Viktor Bout", "13/01/1967"),
        ("k3", "Ali Khamenei", "1939"), ("k4", "Kim Yo Jong", "26 Sep 1987"),
        ("k5", "Min Aung Hlaing", "1956-07-03"), ("k6", "Igor Sechin", "07.09.1960"),
        ("k7", "Hassan Nasrallah", "31 Aug 1960")]


def _customers(broken_at: int, newline_at_end: bool = True) -> str:
    """The rows above, the one at ``broken_at`` with a quote that is never closed."""
    lines = ["id,name,birth_date"]
    for k, (ident, name, born) in enumerate(ROWS):
        lines.append(f'{ident},"{name},{born}' if k == broken_at else f"{ident},{name},{born}")
    return "\n".join(lines) + ("\n" if newline_at_end else "")


@pytest.mark.parametrize(("broken_at", "newline_at_end"),
                         [(0, True), (3, True), (5, True), (6, True), (6, False)])
def test_unclosed_quote_hides_no_row(tmp_path: Path, broken_at: int,
                                     newline_at_end: bool) -> None:
    path = tmp_path / "c.csv"
    path.write_text(_customers(broken_at, newline_at_end), encoding="utf-8")
    rows = list(read_records(path))
    assert [r.line for r in rows] == list(range(2, 2 + len(ROWS)))  # every physical line
    bad = rows[broken_at]
    assert bad.error is not None and "never closed" in bad.error
    assert bad.values == {"id": ROWS[broken_at][0]}  # the id labels the rejected row
    good = [r for k, r in enumerate(rows) if k != broken_at]
    assert all(r.error is None for r in good)
    assert [(r.values["name"], r.values["birth_date"]) for r in good] == [
        (n, b) for k, (_, n, b) in enumerate(ROWS) if k != broken_at]


def test_quote_closed_rows_later_is_still_broken(tmp_path: Path) -> None:
    """The unclosed quote meets a quoted value two rows down: the swallowed text would
    parse as one record, but it took in whole rows."""
    path = tmp_path / "c.csv"
    path.write_text('id,name,country\nq1,"Broken Name,ru\nq2,Plain Name,ir\n'
                    'q3,"Quoted Name",kp\nq4,After,sy\n', encoding="utf-8")
    rows = list(read_records(path))
    assert [(r.line, r.values.get("name"), bool(r.error)) for r in rows] == [
        (2, None, True), (3, "Plain Name", False), (4, "Quoted Name", False),
        (5, "After", False)]


def test_real_multiline_values_stay_one_record(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('id,name,address,country\nm1,Anna Berg,"Flat 2\nHigh Street, Leeds",gb\n'
                    'm2,"Line ""Quoted""\nSecond",,de\nm3,Last,,fr\n', encoding="utf-8")
    rows = list(read_records(path))
    assert [(r.line, r.values["id"], r.error) for r in rows] == [
        (2, "m1", None), (4, "m2", None), (6, "m3", None)]
    assert rows[0].raw["address"] == "Flat 2\nHigh Street, Leeds"
    assert rows[1].values["name"] == 'Line "Quoted" Second'


def test_quote_never_closed_in_a_long_file(tmp_path: Path) -> None:
    """A quote left open near the top of a big file: the lines after it are read on their
    own (the quoted value stops at MAX_SPAN lines), none is lost."""
    body = "".join(f"r{i},Name Number {i}\n" for i in range(MAX_SPAN * 3))
    path = tmp_path / "c.csv"
    path.write_text('id,name\nr-open,"Never closed\n' + body, encoding="utf-8")
    rows = list(read_records(path))
    assert len(rows) == MAX_SPAN * 3 + 1 and [bool(r.error) for r in rows].count(True) == 1
    assert rows[-1].values == {"id": f"r{MAX_SPAN * 3 - 1}",
                               "name": f"Name Number {MAX_SPAN * 3 - 1}"}


def test_extra_and_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,name,birth_date,country\n"
                    "e1,Assad, Bashar,1965-09-11,sy\n"  # an unquoted comma in the name
                    "e2,Trailing Empty,1970,de,,\n"  # empty extra values: harmless
                    "e3,Short Row\n", encoding="utf-8")  # missing values read as empty
    rows = list(read_records(path))
    assert rows[0].error is not None and "5 values for 4 columns" in rows[0].error
    assert "unquoted comma" in rows[0].error and "'sy'" in rows[0].error
    assert (rows[1].error, rows[1].values["country"]) == (None, "de")
    assert (rows[2].error, rows[2].values) == (None, {"id": "e3", "name": "Short Row"})


def test_stdin_is_read_like_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = _customers(2).encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    from_stdin = list(read_records(Path("-")))
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    assert from_stdin == list(read_records(path))
    with pytest.raises(ConfigError, match="standard input"):
        read_records(Path("-"), fmt="xlsx")


def test_xlsx_dates_serials_and_error_cells(tmp_path: Path) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer No", "Customer Name", "DOB", "Country"])
    sheet.append([1, "Ramzan Kadyrov", datetime(1976, 10, 5), "RU"])  # a date cell
    sheet.append([2, "Viktor Bout", 24485, "RU"])  # a serial left as a number
    sheet.append([3, "Ali Khamenei", "19/04/1939", "IR"])  # text as typed
    sheet.append([4, "#N/A", None, None])  # a formula that failed
    path = tmp_path / "c.xlsx"
    book.save(path)
    rows = list(read_records(path, mapping=MAP))
    assert [r.values.get("birth_date") for r in rows[:3]] == ["1976-10-05", "24485",
                                                              "19/04/1939"]
    assert [parse_date(r.values["birth_date"]).readings for r in rows[:3]] == [
        ("1976-10-05",), ("1967-01-13",), ("1939-04-19",)]
    assert rows[3].line == 5 and "Excel error #N/A" in (rows[3].error or "")


def test_parquet_rows_are_numbered(tmp_path: Path) -> None:
    table = pa.table({"name": ["One", None, "Three"], "dob": [date(1970, 1, 2), None, None]})
    path = tmp_path / "c.parquet"
    pq.write_table(table, path)
    rows = list(read_records(path, mapping={"birth_date": "dob"}))
    assert [(r.line, r.values) for r in rows] == [
        (1, {"name": "One", "birth_date": "1970-01-02"}), (2, {}), (3, {"name": "Three"})]


@pytest.mark.parametrize("middle", ["Rue X, 10, Paris", "Bât. A, 3e, porte 2, gauche"])
def test_narrow_file_multiline_address_with_commas_stays_one_record(
        tmp_path: Path, middle: str) -> None:
    """docs/screening.md: a real multi-line value stays one record, even when one of its
    lines holds as many commas as a row of a 3-column file."""
    path = tmp_path / "c.csv"
    path.write_text(f'id,name,address\na1,Anna Berg,"c/o Dupont\n{middle}\nFrance"\n'
                    "a2,Omar Haddad,\n", encoding="utf-8")
    rows = list(read_records(path))
    assert [(r.line, r.values["id"], r.error) for r in rows] == [(2, "a1", None),
                                                                 (5, "a2", None)]
    assert rows[0].raw["address"] == f"c/o Dupont\n{middle}\nFrance"
