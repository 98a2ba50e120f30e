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
from discreet.screen.readers import parse_map, read_records

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
