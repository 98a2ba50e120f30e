"""The command line as a person and a script use it: exit codes, JSON shapes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lists.test_load import S3_ERROR, UN_MINI


def run(db: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db), "COLUMNS": "200"}
    env.pop("DISCREET_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "discreet", *args], capture_output=True,
                          text=True, env=env, timeout=300)
    assert (proc.returncode == 0) == ok, proc.stderr + proc.stdout
    return proc


@pytest.fixture
def un_files(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "un1" / "consolidated.xml"
    first.parent.mkdir()
    first.write_text(UN_MINI)
    second = tmp_path / "un2" / "consolidated.xml"
    second.parent.mkdir()
    changed = UN_MINI.replace("2026-01-02", "2026-01-09").replace("JOHN", "JON")
    second.write_text(changed.replace("</INDIVIDUALS>", """<INDIVIDUAL><DATAID>102</DATAID>
<FIRST_NAME>NEW</FIRST_NAME><SECOND_NAME>PERSON</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
<LISTED_ON>2026-01-08</LISTED_ON></INDIVIDUAL></INDIVIDUALS>"""))
    return first, second


def test_load_json_shape_and_unchanged(tmp_path: Path, un_files: tuple[Path, Path]) -> None:
    db = tmp_path / "s.db"
    out = json.loads(run(db, "load", "--json", str(un_files[0])).stdout)
    assert {k: out[k] for k in ("source", "version", "status", "entities")} == {
        "source": "un_sc_sanctions", "version": 1, "status": "new", "entities": 2}
    again = json.loads(run(db, "load", "--json", str(un_files[0])).stdout)
    assert (again["version"], again["status"]) == (1, "unchanged")


def test_sources_diff_history_timeline_json(tmp_path: Path,
                                            un_files: tuple[Path, Path]) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(un_files[0]))
    run(db, "load", str(un_files[1]))
    sources = json.loads(run(db, "sources", "--json").stdout)
    assert [(s["source"], s["version"], s["active"], s["entities"]) for s in sources] == [
        ("un_sc_sanctions", 2, True, 3)]
    assert set(sources[0]) == {"source", "version", "active", "entities", "published",
                               "as_of", "as_of_basis", "loaded_at", "sha256"}
    assert sources[0]["published"] == "2026-01-09"
    every = json.loads(run(db, "sources", "--all", "--json").stdout)
    assert [s["active"] for s in every] == [False, True]
    diff = json.loads(run(db, "diff", "un_sc_sanctions", "--from", "1", "--to", "2",
                          "--json").stdout)
    assert diff["added"] == ["un-102"] and diff["removed"] == []
    assert [c["id"] for c in diff["changed"]] == ["un-101"]
    assert "names" in diff["changed"][0]["fields"]
    history = json.loads(run(db, "history", "un-101", "--json").stdout)
    assert [h["event"] for h in history] == ["listed", "changed"]
    timeline = json.loads(run(db, "timeline", "--by", "year", "--json").stdout)
    assert {(t["period"], t["programme"]): t["designations"] for t in timeline} == {
        ("2001", "Al-Qaida"): 1, ("2016", "DPRK"): 1, ("2026", "DPRK"): 1}
    entity = json.loads(run(db, "entity", "un-102", "--json").stdout)
    assert entity["schema"] == "Person" and entity["programmes"] == ["DPRK"]


def test_tables_for_people(tmp_path: Path, un_files: tuple[Path, Path]) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(un_files[0]))
    run(db, "load", str(un_files[1]))
    assert "un_sc_sanctions" in run(db, "sources").stdout
    text = run(db, "diff", "un_sc_sanctions").stdout
    assert "1 added, 0 removed, 1 changed" in text and "NEW PERSON" in text
    assert "JON DOE" in run(db, "entity", "un-101").stdout


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    bad = tmp_path / "sdn.xml"
    bad.write_text(S3_ERROR)
    proc = run(db, "load", str(bad), ok=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "NoSuchKey" in proc.stderr
    missing = run(db, "diff", "nothing", ok=False)
    assert "no source named 'nothing'" in missing.stderr
    assert "Traceback" not in run(db, "entity", "x-1", ok=False).stderr


def test_export_ftm(tmp_path: Path, un_files: tuple[Path, Path]) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(un_files[0]))
    out = tmp_path / "out.json"
    run(db, "export", "--format", "ftm", "-o", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    listed = [r for r in rows if r["schema"] != "Sanction"]
    assert sorted(r["id"] for r in listed) == ["un-100", "un-101"]
    assert all(r["schema"] == "Person" and r["properties"]["name"] for r in listed)
    assert sorted(r["properties"]["entity"][0] for r in rows if r["schema"] == "Sanction") == [
        "un-100", "un-101"]  # FtM keeps the listing on a Sanction entity


def test_spark_screen_shares_date_order_and_max_rejects_with_screen_file() -> None:
    """spark-screen takes the same --date-order and --max-rejects as screen-file (one
    definition), so their help and choices cannot drift apart."""
    from click.testing import CliRunner

    from discreet.cli.match import screen_file
    from discreet.cli.spark import spark_screen

    def options(command: object) -> dict[str, tuple[object, ...]]:
        params = getattr(command, "params", [])
        return {p.name: (p.help, getattr(p.type, "choices", None), p.default)
                for p in params if p.name in ("date_order", "max_rejects")}

    assert options(spark_screen) == options(screen_file)
    assert len(options(spark_screen)) == 2
    shown = CliRunner().invoke(spark_screen, ["--help"]).output
    assert "--date-order [dmy|mdy|ymd]" in shown and "--max-rejects" in shown
