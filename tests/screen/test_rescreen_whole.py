"""The customers a re-screen screens against the whole index again (``_needs_whole``): only
their rows of the customer file are read, found at their lines of the previous run's file
(a line a row, in order), yet they are the very rows reading every row and choosing by id
gives: with rows not wanted, rows without an id or a name, an id twice, blank lines; and,
when the customer file is plainly no longer the one the previous run read (rows more or
fewer, or a wanted customer's line now another's row), every row is read.

Real customer files (CSV, JSON lines, Excel), previous runs written by the bulk screening.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from discreet.match import Matcher
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.readers import Record, read_records
from discreet.screen.rescreen import _wanted_rows
from discreet.screen.rows import record_id
from tests.api.helpers import person

OPTS = BulkOptions(workers=1, threshold=0.6)
# id, name: c2 twice, c5 without a name, one row without an id (labelled by its line)
ROWS = [("c0", "Ivan Petrov"), ("c1", "Olga Smirnova"), ("c2", "Anna Schmidt"),
        ("c3", "Kim Jong Un"), ("c4", "Li Wei"), ("c5", ""), ("", "Maria Gonzalez"),
        ("c2", "Ivan Petrovsky"), ("c8", "John Smith"), ("c9", "Hans Muller")]
Writer = Callable[[Path, list[tuple[str, str]]], Path]


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["id,name", *(f"{i},{n}" for i, n in rows[:4]), "", *(f"{i},{n}" for i, n in rows[4:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jsonl(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = [json.dumps({"id": i, "name": n}) for i, n in rows]
    path.write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, rows: list[tuple[str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [("id", "name"), *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _previous(customers: Path, tmp_path: Path) -> Path:
    matcher = Matcher.from_entities([person("e1", "Ivan Petrov", "test_x", "1961", "ru"),
                                     person("e2", "Anna Schmidt", "test_x")])
    previous = tmp_path / "alerts.jsonl"
    screen_bulk(matcher, customers, previous, OPTS)
    return previous


def _by_id(customers: Path, wanted: set[str]) -> list[Record]:
    return [r for r in read_records(customers) if record_id(r) in wanted]


@pytest.mark.parametrize(("suffix", "write"), [("csv", _csv), ("jsonl", _jsonl), ("xlsx", _xlsx)])
def test_the_wanted_rows_are_those_of_their_ids(tmp_path: Path, suffix: str, write: Writer
                                                ) -> None:
    customers = write(tmp_path / f"customers.{suffix}", ROWS)
    previous = _previous(customers, tmp_path)
    unnamed = next(record_id(r) for r in read_records(customers) if not r.values.get("id"))
    for wanted in ({"c2"}, {"c0", "c9"}, {"c5", unnamed}, {"c3", "nobody"}, set()):
        rows = _wanted_rows(customers, previous, OPTS, wanted)
        assert rows == _by_id(customers, wanted), wanted
    assert [r.values["name"] for r in _wanted_rows(customers, previous, OPTS, {"c2"})] == [
        "Anna Schmidt", "Ivan Petrovsky"]


@pytest.mark.parametrize("changed", [
    [("c7", "Omar Hassan"), *ROWS],  # a row before: every row one further
    ROWS[:-1],  # a row fewer
    [*ROWS, ("c2", "Anna Schmitt")],  # a row more, of a wanted customer
], ids=["shifted", "shorter", "longer"])
def test_another_customer_file_is_read_whole(tmp_path: Path,
                                             changed: list[tuple[str, str]]) -> None:
    previous = _previous(_csv(tmp_path / "before.csv", ROWS), tmp_path)
    customers = _csv(tmp_path / "after.csv", changed)
    for wanted in ({"c2"}, {"c0", "c9"}):
        assert _wanted_rows(customers, previous, OPTS, wanted) == _by_id(customers, wanted)


def test_previous_lines_written_otherwise_are_read_for_their_ids(tmp_path: Path) -> None:
    customers = _csv(tmp_path / "customers.csv", ROWS)
    previous = _previous(customers, tmp_path)
    records = [json.loads(line) for line in previous.read_text().splitlines()]
    previous.write_text("".join(json.dumps(dict(reversed(r.items()))) + "\n"
                                for r in records))  # "id" last
    assert _wanted_rows(customers, previous, OPTS, {"c2"}) == _by_id(customers, {"c2"})
    previous.write_text("".join(json.dumps({"matches": []}) + "\n" for _ in records))
    assert _wanted_rows(customers, previous, OPTS, {"c2"}) == _by_id(customers, {"c2"})
