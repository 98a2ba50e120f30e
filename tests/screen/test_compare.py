"""Scoring name pairs from a CSV file: columns kept, score and verdict, bad pairs reported."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
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
    assert (summary.pairs, summary.rejected, summary.threshold) == (4, 1, DEFAULT_THRESHOLD)
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


def pairs_file(tmp_path: Path, body: bytes, name: str = "pairs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_unclosed_quote_hides_no_pair(tmp_path: Path) -> None:
    """Eight pairs, an unbalanced quote on line 5: that line is reported, every pair after
    it is still scored (a quote-aware reader would have swallowed them)."""
    body = (b"name1,name2,ticket\n"
            b"Ivan Petrov,Ivan Petrov,T1\n"
            b"Anna Schmidt,Anna Schmitt,T2\n"
            b"Li Wang,Wang Li,T3\n"
            b'"Olga Ivanova,Olga Ivanova,T4\n'
            b"Bashar al-Assad,Bashar al Assad,T5\n"
            b"John Smith,Jon Smith,T6\n"
            b'Kenji Sato,"Sato, Kenji",T7\n'
            b"Maria Rossi,Maria Rossi,T8\n")
    out = tmp_path / "scored.csv"
    errors: list[RowError] = []
    summary = compare_file(pairs_file(tmp_path, body), out, on_error=errors.append)
    rows = read(out)
    assert [r["ticket"] for r in rows] == [f"T{i}" for i in range(1, 9)]
    assert [e.line for e in errors] == [5] and "never closed" in errors[0].message
    assert rows[3]["score"] == "" and rows[3]["name1"] == "Olga Ivanova"
    assert rows[4]["match"] == "true" and rows[6]["score"] != ""
    assert (summary.pairs, summary.rejected, summary.to_dict()["scored"]) == (8, 1, 7)


def test_extra_values_are_rejected_not_guessed(tmp_path: Path) -> None:
    body = (b"name1,name2,schema\n"
            b"Ivan Petrov,Ivan Petrov,Person\n"
            b"Acme, Inc,Acme Inc,Company\n"
            b"Sea Star,Sea Star,Vessel\n")
    out = tmp_path / "scored.csv"
    errors: list[RowError] = []
    summary = compare_file(pairs_file(tmp_path, body), out, on_error=errors.append)
    rows = read(out)
    assert len(rows) == 3 and rows[1]["score"] == "" and rows[2]["match"] == "true"
    assert [e.line for e in errors] == [3] and "4 values for 3 columns" in errors[0].message
    assert summary.rejected == 1


def test_semicolons_and_windows_1252(tmp_path: Path) -> None:
    """A spreadsheet export: semicolons, Windows-1252 accents, CRLF; read as screen-file
    reads it, the accented name scores as in UTF-8."""
    body = "name1;name2\r\nJosé Müller;Jose Muller\r\nRenée Faure;Renee Faure\r\n"
    out = tmp_path / "scored.csv"
    summary = compare_file(pairs_file(tmp_path, body.encode("cp1252")), out)
    rows = read(out)
    assert [r["name1"] for r in rows] == ["José Müller", "Renée Faure"]
    assert float(rows[0]["score"]) == pytest.approx(
        compare_names("José Müller", "Jose Muller", None), abs=1e-4)
    assert summary.rejected == 0


def compare_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(tmp_path / "unused.db")}
    return subprocess.run([sys.executable, "-m", "discreet", "compare", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_exits_3_unless_max_rejects(tmp_path: Path) -> None:
    body = (b"name1,name2\nIvan Petrov,Ivan Petrov\n"
            b'"Broken,Quote\nLi Wang,Wang Li\n,Nobody\n')
    src = pairs_file(tmp_path, body)
    out = tmp_path / "scored.csv"
    proc = compare_cli(tmp_path, "--pairs", str(src), "-o", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "line 3: a quote" in proc.stderr and "line 5" in proc.stderr
    assert "2 rejected" in proc.stderr and "--max-rejects 2" in proc.stderr
    assert len(read(out)) == 4  # written all the same, rejected pairs unscored
    proc = compare_cli(tmp_path, "--pairs", str(src), "-o", str(out), "--max-rejects", "2",
                       "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stderr.splitlines()[-1])["rejected"] == 2
    proc = compare_cli(tmp_path, "--pairs", str(src), "-o", str(out), "--max-rejects", "1")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
