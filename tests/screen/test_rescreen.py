"""Delta re-screening: its new and gone alerts equal a full re-screen's, on both versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discreet.errors import ConfigError
from discreet.ingest import load_file
from discreet.screen.rescreen import parse_since
from discreet.store import Store

PEOPLE = [("IVAN", "PETROV"), ("OLGA", "SMIRNOVA"), ("AHMED", "AL-RASHID"), ("LI", "WEI"),
          ("HASSAN", "NASRALLAH"), ("JOHN", "MCALLISTER"), ("MARIA", "GONZALEZ"),
          ("KIM", "SONG CHOL"), ("YUSUF", "OZTURK"), ("PIERRE", "LEFEBVRE")]


def un_xml(people: list[tuple[int, str, str]], day: str) -> str:
    rows = "".join(
        f"<INDIVIDUAL><DATAID>{num}</DATAID><FIRST_NAME>{first}</FIRST_NAME>"
        f"<SECOND_NAME>{last}</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
        f"<LISTED_ON>2020-01-01</LISTED_ON></INDIVIDUAL>" for num, first, last in people)
    return (f'<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="{day}">'
            f"<INDIVIDUALS>{rows}</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>")


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db)}
    proc = subprocess.run([sys.executable, "-m", "discreet", *args], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def pairs(path: Path) -> set[tuple[str, str]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.update((record["id"], m["id"]) for m in record["matches"])
    return found


@pytest.fixture
def scenario(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store at version 1, the customers, and the version-2 file (1 added, 1 gone, 1 amended)."""
    v1 = [(i + 1, first, last) for i, (first, last) in enumerate(PEOPLE)]
    v2 = [p for p in v1 if p[0] != 2]  # SMIRNOVA delisted
    v2 = [(n, f, "MCALISTAIR") if n == 6 else (n, f, lname) for n, f, lname in v2]  # amended
    v2.append((11, "VIKTOR", "BOUT"))  # newly listed
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "consolidated.xml").write_text(un_xml(v1, "2026-01-01"))
    (tmp_path / "v2" / "consolidated.xml").write_text(un_xml(v2, "2026-01-02"))
    customers = tmp_path / "customers.csv"
    names = ["Ivan Petrov", "Olga Smirnova", "Olga Smirnowa", "John McAllister",
             "Jon Mcalistair", "Viktor Bout", "Victor But", "Anna Schmidt", "Li Wei"]
    customers.write_text("id,name\n" + "".join(
        f"c{i},{n}\n" for i, n in enumerate(names * 30)))
    db = tmp_path / "store.db"
    run(db, "load", str(tmp_path / "v1" / "consolidated.xml"))
    return db, customers, tmp_path / "v2" / "consolidated.xml"


def test_delta_equals_full_rescreen(tmp_path: Path, scenario: tuple[Path, Path, Path]) -> None:
    db, customers, v2 = scenario
    before = tmp_path / "alerts.jsonl"
    run(db, "screen-file", str(customers), "-o", str(before), "--limit", "20")
    run(db, "load", str(v2))
    full = tmp_path / "full.jsonl"
    run(db, "screen-file", str(customers), "-o", str(full), "--limit", "20")
    old_pairs, full_pairs = pairs(before), pairs(full)
    delta = tmp_path / "delta.jsonl"
    proc = run(db, "rescreen", str(customers), "--previous", str(before), "-o", str(delta),
               "--json", "--update")
    lines = [json.loads(x) for x in delta.read_text().splitlines()]
    new = {(x["id"], m["id"]) for x in lines for m in x["new"]}
    gone = {(x["id"], g["id"]) for x in lines for g in x["gone"]}
    assert new == full_pairs - old_pairs
    assert gone == old_pairs - full_pairs
    assert new and gone
    assert {g["reason"] for x in lines for g in x["gone"]} <= {"delisted", "no longer matches"}
    assert any(m[1] == "un-11" for m in new)
    summary = json.loads(proc.stderr.strip().splitlines()[-1])
    assert summary["since"] == {"un_sc_sanctions": 1} and summary["now"] == {
        "un_sc_sanctions": 2}
    assert pairs(before) == full_pairs  # --update brought the previous alerts up to date


def test_since_parsing() -> None:
    assert parse_since("us_ofac_sdn:3,un_sc_sanctions:5") == {"us_ofac_sdn": 3,
                                                                "un_sc_sanctions": 5}
    with pytest.raises(ConfigError, match="SOURCE:VERSION"):
        parse_since("us_ofac_sdn")


def test_unchanged_lists_give_an_empty_delta(tmp_path: Path,
                                             scenario: tuple[Path, Path, Path]) -> None:
    db, customers, _ = scenario
    before = tmp_path / "alerts.jsonl"
    run(db, "screen-file", str(customers), "-o", str(before))
    delta = tmp_path / "delta.jsonl"
    run(db, "rescreen", str(customers), "--previous", str(before), "-o", str(delta))
    assert delta.read_text() == ""
    with Store.open(db) as store:
        load_file(store, tmp_path / "v1" / "consolidated.xml")
        assert [v.version for v in store.versions()] == [1]
