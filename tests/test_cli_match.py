"""The screening commands as a person and a script use them: match, screen-file, compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

KEYS = {"id", "caption", "schema", "score", "datasets", "explanation"}

ENTITIES = [
    {"id": "t-ivan", "schema": "Person", "properties": {
        "name": ["Ivan Petrov"], "alias": ["Иван Петров"], "birthDate": ["1970-03-15"],
        "nationality": ["ru"], "passportNumber": ["7201234567"]}},
    {"id": "t-maria", "schema": "Person", "properties": {"name": ["Maria Ivanova"]}},
    {"id": "t-acme", "schema": "Company", "properties": {"name": ["Acme Trading LLC"],
                                                         "country": ["ae"]}},
    {"id": "t-star", "schema": "Vessel", "properties": {"name": ["Sea Star"]}},
]


def run(db: Path, *args: str, ok: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db), "COLUMNS": "200"}
    env.pop("DISCREET_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "discreet", *args], capture_output=True,
                          text=True, env=env, timeout=300, input=stdin, encoding="utf-8")
    assert (proc.returncode == 0) == ok, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store holding the four entities above, loaded by the CLI like any list."""
    src = tmp_path / "tiny.ftm.json"
    src.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ENTITIES),
                   encoding="utf-8")
    path = tmp_path / "store.db"
    run(path, "load", "--source", "tiny_list", str(src))
    return path


def match_json(db: Path, *args: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(run(db, "match", *args, "--json").stdout)
    return result


def test_match_json_shape_and_best_first(db: Path) -> None:
    results = match_json(db, "Ivan Petrov", "--schema", "person", "--birth-date",
                         "1970-03-15", "--country", "ru", "--id-number", "7201234567")
    assert results[0]["id"] == "t-ivan"
    assert set(results[0]) == KEYS
    assert results[0]["caption"] == "Ivan Petrov"
    assert results[0]["datasets"] == ["tiny_list"]
    assert 0 < results[0]["score"] <= 1
    assert all(r["schema"] == "Person" for r in results)


def test_match_threshold_zero_and_limit(db: Path) -> None:
    assert match_json(db, "Petrov Trading") == []
    weak = match_json(db, "Petrov Trading", "--threshold", "0")
    assert weak[0]["id"] == "t-ivan" and weak[0]["score"] < 0.7
    assert [r["id"] for r in match_json(db, "Иван Петров", "--limit", "1")] == ["t-ivan"]


def test_match_threshold_zero_fills_the_limit(db: Path) -> None:
    """Threshold 0 returns the best --limit entities whatever their score (4 are listed)."""
    results = match_json(db, "Zebulon Quackenbush", "--threshold", "0", "--limit", "3")
    scores = [r["score"] for r in results]
    assert len({r["id"] for r in results}) == 3
    assert scores == sorted(scores, reverse=True)


def test_match_table_and_errors(db: Path, tmp_path: Path) -> None:
    table = run(db, "match", "Acme Trading").stdout
    assert "t-acme" in table and "Acme Trading LLC" in table and "tiny_list" in table
    assert "No match" in run(db, "match", "Zebulon Quackenbush").stdout
    assert "threshold" in run(db, "match", "x", "--threshold", "2", ok=False).stderr
    empty = run(tmp_path / "empty.db", "match", "Ivan Petrov", ok=False)
    assert empty.stderr.startswith("error:") and "load a list first" in empty.stderr


def test_screen_file_lines_in_order_with_bad_rows(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_bytes(b"\xef\xbb\xbfid,name,schema,birth_date,country,branch\n"
                    b"c1,Ivan Petrov,Person,1970-03-15,ru,north\n"
                    b"c2,,Person,,,south\n"
                    b"c3,ACME TRADING LLC,Company,,ae,east\n"
                    b"c4,Zebulon Quackenbush,,,,west\n")
    out = tmp_path / "alerts.jsonl"
    refused = run(db, "screen-file", str(src), "--output", str(out), ok=False)
    assert refused.returncode == 3 and "1 row(s) rejected" in refused.stderr
    proc = run(db, "screen-file", str(src), "--output", str(out), "--max-rejects", "1")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4"]
    assert [m["id"] for m in records[0]["matches"]][:1] == ["t-ivan"]
    assert set(records[0]["matches"][0]) == KEYS
    assert records[1] == {"id": "c2", "matches": [], "error": "the row has no name"}
    assert records[2]["matches"][0]["id"] == "t-acme"
    assert records[3] == {"id": "c4", "matches": []}
    assert "line 3" in proc.stderr and "no name" in proc.stderr
    assert "4 rows: 3 screened, 2 with alerts" in proc.stderr and "1 rejected" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if "alerts" in p.name) == [
        "alerts.jsonl", "alerts.jsonl.run.json", "alerts.jsonl.tokens"]
    assert json.loads((tmp_path / "alerts.jsonl.run.json").read_text())["versions"] == {
        "tiny_list": 1}


def test_screen_file_threshold_zero_and_json_summary(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("id,name\na,Petrov Trading\nb,Maria Ivanova\n", encoding="utf-8")
    plain = run(db, "screen-file", str(src), "--json")
    assert [json.loads(line)["matches"] != [] for line in plain.stdout.splitlines()] == [
        False, True]
    proc = run(db, "screen-file", str(src), "--threshold", "0", "--limit", "2", "--json")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert records[0]["matches"][0]["id"] == "t-ivan"
    assert records[0]["matches"][0]["score"] < 0.7
    assert records[1]["matches"][0]["id"] == "t-maria"
    for record in records:
        scores = [m["score"] for m in record["matches"]]
        assert 1 <= len(scores) <= 2 and scores == sorted(scores, reverse=True)
    summary = json.loads(proc.stderr.strip().splitlines()[-1])
    assert (summary["rows"], summary["alerts"], summary["errors"]) == (2, 2, 0)


def test_screen_file_pipes(db: Path) -> None:
    proc = run(db, "screen-file", "-", stdin="\ufeffid,name\nz1,Maria Ivanova\n")
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["z1"]
    assert json.loads(proc.stdout)["matches"][0]["id"] == "t-maria"
    assert "-> standard output" in proc.stderr


def test_screen_file_refusals_leave_no_output(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,full name\n1,Ivan Petrov\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run(db, "screen-file", str(bad), "-o", str(out), ok=False)
    assert proc.stderr.startswith("error:") and "no name column" in proc.stderr
    proc = run(db, "screen-file", str(tmp_path / "missing.csv"), "-o", str(out), ok=False)
    assert "cannot read" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "store.db",
                                                          "tiny.ftm.json"]


def test_compare_pairs(db: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,schema\nIvan Petrov,Ivan Petrov,Person\n"
                     "Acme Trading LLC,Zebulon Quackenbush,Company\n,x,\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    proc = run(db, "compare", "--pairs", str(pairs), "--output", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name1,name2,schema,score,match"
    assert lines[1].startswith("Ivan Petrov,Ivan Petrov,Person,") and lines[1].endswith(",true")
    assert lines[2].endswith(",false")
    assert lines[3] == ",x,,,"
    assert "line 4" in proc.stderr and "3 pairs compared" in proc.stderr
