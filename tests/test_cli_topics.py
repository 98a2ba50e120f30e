"""``--topic`` on the screening commands: screen-file keeps the entities carrying a topic and
records it beside its alerts; rescreen follows the run's topics and refuses others; a blank
topic is refused in one line. The store holds the FtM export of tests/match/test_topics.py
(sanction, PEP, crime entities) loaded by the CLI like any list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.match.test_topics import write_ftm
from tests.test_cli_match import run

CUSTOMERS = "id,name\nc1,Ivan Petrov\nc2,Ivana Petrova\nc3,Petrov Star\nc4,Jose Gomez\n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    run(path, "load", "--source", "os_default", str(write_ftm(tmp_path / "os.ftm.json")))
    return path


def alerts(path: Path) -> dict[str, list[dict[str, Any]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r["matches"] for r in map(json.loads, lines)}


def test_screen_file_keeps_a_topic_and_records_it(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    every, pep = tmp_path / "every.jsonl", tmp_path / "pep.jsonl"
    run(db, "screen-file", str(src), "-o", str(every), "--threshold", "0.5", "--limit", "20")
    run(db, "screen-file", str(src), "-o", str(pep), "--threshold", "0.5", "--limit", "20",
        "--topic", "role.pep", "--topic", "crime")
    all_alerts, pep_alerts = alerts(every), alerts(pep)
    kept = {"role.pep", "crime"}
    for row, matches in pep_alerts.items():
        expected = [(m["id"], m["score"]) for m in all_alerts[row] if kept & set(m["topics"])]
        assert [(m["id"], m["score"]) for m in matches] == expected
    found = {m["id"] for ms in pep_alerts.values() for m in ms}
    assert "os-ivana" in found and "os-ivan" not in found  # a PEP kept, a sanction left out
    assert {m["id"] for ms in all_alerts.values() for m in ms} > found
    record = json.loads((tmp_path / "pep.jsonl.run.json").read_text(encoding="utf-8"))
    assert record["topics"] == ["role.pep", "crime"]


def test_rescreen_follows_the_runs_topics(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS + "c5,Olga Smirnova\nc6,Boris Kuznetsov\n", encoding="utf-8")
    out = tmp_path / "pep.jsonl"
    run(db, "screen-file", str(src), "-o", str(out), "--topic", "role.pep")
    # the next version lists a PEP and a sanctioned person, each one customer's name
    newer = write_ftm(tmp_path / "os2.ftm.json")
    added = [{"id": "os-olga", "schema": "Person", "datasets": ["os_default"],
              "properties": {"name": ["Olga Smirnova"], "topics": ["role.pep"]}},
             {"id": "os-boris", "schema": "Person", "datasets": ["os_default"],
              "properties": {"name": ["Boris Kuznetsov"], "topics": ["sanction"]}}]
    with newer.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(entity) + "\n" for entity in added)
    run(db, "load", "--source", "os_default", str(newer))
    delta = tmp_path / "delta.jsonl"
    done = run(db, "rescreen", str(src), "--previous", str(out), "-o", str(delta), "--json")
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    changes = {r["id"]: r for r in map(json.loads, delta.read_text().splitlines())}
    assert summary["new_alerts"] == 1 and set(changes) == {"c5"}  # the PEP, not Boris
    assert [m["id"] for m in changes["c5"]["new"]] == ["os-olga"]
    refused = run(db, "rescreen", str(src), "--previous", str(out), "-o", str(delta),
                  "--topic", "sanction", ok=False)
    assert refused.returncode == 1
    assert "--topic sanction differs from the topics of the previous run (role.pep" in \
        refused.stderr
    run(db, "rescreen", str(src), "--previous", str(out), "-o", str(delta),
        "--topic", "role.pep")  # the same topics: accepted


def test_a_blank_topic_is_one_line(db: Path, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    refused = run(db, "screen-file", str(src), "-o", str(tmp_path / "x.jsonl"),
                  "--topic", " ", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: --topic is blank: give a topic such as sanction or role.pep"]
