"""Scoring name pairs from a CSV file: columns kept, score and verdict, bad pairs reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.match import DEFAULT_THRESHOLD, compare_names
from discreet.screen import RowError, compare_file, compare_rows


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_compare_file_scores_and_keeps_columns(tmp_path: Path) -> None:
    src = tmp_path / "pairs.csv"
    src.write_bytes(b"\xef\xbb\xbfname1,name2,schema,ticket\n"
                    b"Ivan Petrov,Ivan Petrov,Person,T1\n"
                    b"Acme Trading LLC,Zebulon Quackenbush,Company,T2\n"
                    b",Ivan Petrov,Person,T3\n"
                    b"Ivan Petrov,Ivan Petrof,,T4\n")
    out = tmp_path / "scored.csv"
    errors: list[RowError] = []
    summary = compare_file(src, out, on_error=errors.append)
    rows = read(out)
    assert list(rows[0]) == ["name1", "name2", "schema", "ticket", "score", "match"]
    assert [r["ticket"] for r in rows] == ["T1", "T2", "T3", "T4"]
    assert rows[0]["match"] == "true" and float(rows[0]["score"]) >= DEFAULT_THRESHOLD
    assert rows[1]["match"] == "false" and float(rows[1]["score"]) < DEFAULT_THRESHOLD
    assert (rows[2]["score"], rows[2]["match"]) == ("", "")
    expected = compare_names("Ivan Petrov", "Ivan Petrof", None)
    assert float(rows[3]["score"]) == pytest.approx(expected, abs=1e-4)
    assert rows[3]["match"] == ("true" if expected >= DEFAULT_THRESHOLD else "false")
    assert errors == [RowError(4, "", "the pair needs both name1 and name2")]
    assert (summary.pairs, summary.errors, summary.threshold) == (4, 1, DEFAULT_THRESHOLD)
    assert summary.matches == sum(r["match"] == "true" for r in rows)


def test_compare_rows_uses_the_schema() -> None:
    rows = list(compare_rows([{"name1": "Sea Star", "name2": "Sea Star", "schema": "vessel"},
                              {"name1": "a", "name2": "b", "schema": "Boat"}]))
    assert rows[0]["match"] == "true"
    assert rows[1]["score"] == ""


def test_header_only_and_missing_columns(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("name1,name2,schema\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert compare_file(empty, out).pairs == 0
    assert out.read_text(encoding="utf-8").splitlines() == ["name1,name2,schema,score,match"]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\nx,y\n", encoding="utf-8")
    with pytest.raises(ParseError, match="name1, name2"):
        compare_file(wrong, tmp_path / "never.csv")
    assert not (tmp_path / "never.csv").exists()
