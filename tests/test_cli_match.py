"""The screening commands as a person and a script use them: match, screen-file, compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

KEYS = {"id", "caption", "schema", "score", "datasets", "topics", "explanation"}

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


def test_match_takes_the_name_quoted_or_as_words(db: Path) -> None:
    """A new user types the name without quotes: the shell's words are the name, in order."""
    quoted = match_json(db, "Maria Ivanova", "--schema", "Person")
    assert quoted and quoted[0]["id"] == "t-maria"
    assert match_json(db, "Maria", "Ivanova", "--schema", "Person") == quoted
    assert match_json(db, "Acme", "Trading", "LLC")[0]["id"] == "t-acme"
    assert "Matches for 'Maria Ivanova'" in run(db, "match", "Maria", "Ivanova").stdout
    for blank in ([" "], ["", " "]):
        refused = run(db, "match", *blank, ok=False)
        assert refused.stderr.strip() == "error: NAME is blank: give the name to screen"
    assert "Missing argument" in run(db, "match", ok=False).stderr


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
    assert set(records[0]["matches"][0]) == KEYS  # labelled with topics, as match --json
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
    assert (summary["rows"], summary["rows_with_alerts"], summary["rejected"]) == (2, 2, 0)
    assert summary["alerts"] == sum(len(r["matches"]) for r in records)  # alerts, not rows


def test_screen_file_pipes(db: Path) -> None:
    proc = run(db, "screen-file", "-", stdin="\ufeffid,name\nz1,Maria Ivanova\n")
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["z1"]
    assert json.loads(proc.stdout)["matches"][0]["id"] == "t-maria"
    assert "-> standard output" in proc.stderr


def test_screen_file_from_standard_input_to_a_file(db: Path, tmp_path: Path) -> None:
    """Customers piped in, alerts to a file: the same lines as from a file, written with
    the run record rescreen reads, and no name cache of another run left beside them; CSV
    or Parquet alerts need the customers as a file (one-line refusal, nothing written)."""
    text = "id,name,birth_date\nz1,Maria Ivanova,\nz2,Ivan Petrov,15/03/1970\nz3,,\n"
    src = tmp_path / "customers.csv"
    src.write_text(text, encoding="utf-8")
    from_file = tmp_path / "from_file.jsonl"
    run(db, "screen-file", str(src), "-o", str(from_file), ok=False)  # z3: no name
    piped = tmp_path / "piped.jsonl"
    stale = tmp_path / "piped.jsonl.tokens"
    stale.write_text("left by another run\n", encoding="utf-8")
    proc = run(db, "screen-file", "-", "-o", str(piped), "--max-rejects", "1", stdin=text)
    assert piped.read_text() == from_file.read_text()
    assert [json.loads(x)["id"] for x in piped.read_text().splitlines()] == ["z1", "z2", "z3"]
    assert "line 4" in proc.stderr and f"-> {piped}" in proc.stderr
    assert json.loads((tmp_path / "piped.jsonl.run.json").read_text())["versions"] == {
        "tiny_list": 1}
    assert not stale.exists()
    for name in ("alerts.csv", "alerts.parquet"):
        refused = run(db, "screen-file", "-", "-o", str(tmp_path / name), stdin=text, ok=False)
        assert refused.returncode == 1 and refused.stderr.startswith("error:")
        assert "JSON lines only" in refused.stderr and len(refused.stderr.splitlines()) == 1
        assert not (tmp_path / name).exists()


def test_screen_file_refusals_leave_no_output(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,full name\n1,Ivan Petrov\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run(db, "screen-file", str(bad), "-o", str(out), ok=False)
    assert proc.stderr.startswith("error:") and "no name column" in proc.stderr
    proc = run(db, "screen-file", str(tmp_path / "missing.csv"), "-o", str(out), ok=False)
    assert "cannot read" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "store.db",
                                                          "store.db.index",  # the index
                                                          "tiny.ftm.json"]


def test_compare_pairs(db: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,schema\nIvan Petrov,Ivan Petrov,Person\n"
                     "Acme Trading LLC,Zebulon Quackenbush,Company\n,x,\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    proc = run(db, "compare", "--pairs", str(pairs), "--output", str(out), "--max-rejects", "1")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name1,name2,schema,score,match"
    assert lines[1].startswith("Ivan Petrov,Ivan Petrov,Person,") and lines[1].endswith(",true")
    assert lines[2].endswith(",false")
    assert lines[3] == ",x,,,"
    assert "line 4" in proc.stderr and "3 pairs compared" in proc.stderr


def _features(match: dict[str, Any]) -> dict[str, str]:
    return {f["feature"]: f["detail"] for f in match["explanation"]["features"]}


def test_match_reads_birth_dates_as_written(db: Path) -> None:
    """Ivan Petrov is listed born 1970-03-15: the day written another way agrees; the order
    is a choice among readings, and a reading that is no date does not count."""
    ordered = match_json(db, "Ivan Petrov", "--birth-date", "03/15/1970", "--date-order", "dmy")
    assert list(_features(ordered[0])) == ["dob_exact"]
    assert _features(ordered[0])["dob_exact"] == "born 1970-03-15, as listed"  # as read
    bad = match_json(db, "Ivan Petrov", "--birth-date", "1970-15-03")
    assert "could not be read" in _features(bad[0])["dob_unreadable"]
    assert bad[0]["score"] == ordered[0]["score"] == 1.0  # no evidence: not a mismatch
    assert "--date-order" in run(db, "match", "x", "--date-order", "DDMMYY", ok=False).stderr


FORMS = ["1970-03-15", "15/03/1970", "03/15/1970", "15.03.1970", "15 Mar 1970",
         "March 15, 1970", "15 mars 1970", "15 марта 1970", "15. März 1970", "25642",
         "1970", "03/1970"]


def test_screen_file_reads_birth_dates_in_every_form(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    rows = [*FORMS, "1970-03-16", "16/03/1970", "1970-13-15", "next tuesday", "1981-07-02"]
    src.write_text("id,name,birth_date\n" + "".join(
        f'd{k},Ivan Petrov,"{born}"\n' for k, born in enumerate(rows)), encoding="utf-8")
    out = tmp_path / "a.jsonl"
    proc = run(db, "screen-file", str(src), "-o", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = [list(_features(r["matches"][0])) if r["matches"] else [] for r in records]
    assert kinds == [["dob_exact"]] * 10 + [["dob_year"]] * 2 + [["dob_near"]] * 2 + [
        ["dob_unreadable"]] * 2 + [["dob_mismatch"]]
    # a date that cannot be read is screened without it, and said so (rows, summary)
    assert "no month 13" in records[14]["warning"] and "warning" not in records[13]
    assert "line 16: birth date '1970-13-15' could not be read" in proc.stderr
    assert "line 17: birth date 'next tuesday'" in proc.stderr
    assert "0 rejected, 2 birth dates unread" in proc.stderr


CUSTOMERS = ("id,name,birth_date,country\n"
             "b1,Maria Ivanova,1981-04-02,ru\n"
             "b2,Acme Trading LLC,,ae\n"
             "b3,Zebulon Quackenbush,1990,us\n"
             'b4,"Ivan Petrov,15/03/1970,ru\n'  # line 5: a quote never closed
             "b5,Ivan Petrov,15 Mar 1970,ru\n"
             "b6,Sea Star,,\n"
             "b7,Petrov, Ivan,1970,ru\n"  # line 8: an unquoted comma, one value too many
             "b8,Maria Ivanova,02.04.1981,ru\n")


def test_broken_rows_are_reported_and_fail_the_run_on_both_paths(db: Path,
                                                                 tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    out = tmp_path / "alerts.jsonl"
    to_file = run(db, "screen-file", str(src), "-o", str(out), ok=False)
    to_pipe = run(db, "screen-file", str(src), ok=False)
    for proc in (to_file, to_pipe):
        assert proc.returncode == 3
        assert "8 rows: 6 screened" in proc.stderr and "2 rejected" in proc.stderr
        assert "line 5" in proc.stderr and "never closed" in proc.stderr
        assert "line 8" in proc.stderr and "5 values for 4 columns" in proc.stderr
    assert out.read_text(encoding="utf-8") == to_pipe.stdout  # one reader, one result
    records = [json.loads(line) for line in to_pipe.stdout.splitlines()]
    assert [r["id"] for r in records] == [f"b{k}" for k in range(1, 9)]
    assert [bool(r.get("error")) for r in records] == [False] * 3 + [True] + [False] * 2 + [
        True, False]
    assert records[4]["matches"][0]["id"] == "t-ivan"  # the row after the broken one
    assert records[5]["matches"][0]["id"] == "t-star"
    tolerated = run(db, "screen-file", str(src), "-o", str(out), "--max-rejects", "2",
                    "--json")
    summary = json.loads(tolerated.stderr.strip().splitlines()[-1])
    assert (summary["rows"], summary["screened"], summary["rejected"]) == (8, 6, 2)
    assert summary["rejects"][0].startswith("line 5:")


def _alert_records(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(row id, rank, entity id, score, error) per alert or rejected row: what a CSV alert
    table holds of a JSON lines run."""
    out: list[tuple[Any, ...]] = []
    for record in records:
        if "error" in record:
            out.append((record["id"], 0, "", "", record["error"]))
        out.extend((record["id"], rank, m["id"], m["score"], "")
                   for rank, m in enumerate(record["matches"], start=1))
    return out


def test_screen_file_to_standard_output_or_a_file_gives_the_same_alerts(
        db: Path, tmp_path: Path) -> None:
    """One pipeline: the same customer file screened to standard output, to a JSON lines
    file and to a CSV alert table gives the same alerts (rows, ids, scores) and the same
    rejected rows; the --json summary has the same keys and counts, and the closing line
    the same words, whichever the output."""
    import csv

    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    common = ["--threshold", "0", "--limit", "3", "--max-rejects", "2", "--json"]
    piped = run(db, "screen-file", str(src), *common)
    to_file = run(db, "screen-file", str(src), "-o", str(tmp_path / "a.jsonl"), *common)
    table = run(db, "screen-file", str(src), "-o", str(tmp_path / "a.csv"), *common)
    printed = [json.loads(line) for line in piped.stdout.splitlines()]
    written = [json.loads(line) for line in
               (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert printed == written and len(written) == 8
    with (tmp_path / "a.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(r["input_id"], int(r["rank"]), r["entity_id"],
                 float(r["score"]) if r["score"] else "", r["error"])
                for r in csv.DictReader(handle)]
    assert rows == _alert_records(written)
    summaries = [json.loads(p.stderr.strip().splitlines()[-1]) for p in (piped, to_file, table)]
    assert [list(s) for s in summaries[1:]] == [list(summaries[0])] * 2
    fixed = ("rows", "screened", "rows_with_alerts", "alerts", "rejected", "rejects",
             "unread_dates", "by_dataset")
    assert [{k: s[k] for k in fixed} for s in summaries[1:]] == [
        {k: summaries[0][k] for k in fixed}] * 2
    assert (summaries[0]["rows_with_alerts"], summaries[0]["alerts"]) == (6, 18)
    assert summaries[0]["output"] == "standard output"
    plain = run(db, "screen-file", str(src), "--max-rejects", "2").stderr
    assert "8 rows: 6 screened, " in plain and "2 rejected" in plain
    assert "alerts by list: tiny_list" in plain and "-> standard output" in plain
