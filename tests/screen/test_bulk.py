"""Bulk screening: every core, every row exactly once, resumable after kill -9, any format."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from discreet.match import Matcher
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.sources import open_list

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DRIVER = """
import sys
from pathlib import Path
from discreet.match import Matcher
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.sources import open_list
_, entities = open_list(Path(sys.argv[1]))
screen_bulk(Matcher.from_entities(entities), Path(sys.argv[2]), Path(sys.argv[3]),
            BulkOptions(threshold=0.7, workers=2, batch_size=200))
"""


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    _, entities = open_list(FIXTURES / "un" / "un_small.xml")
    return Matcher.from_entities(entities)


def write_customers(path: Path, matcher: Matcher, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    listed = [n.value for e in matcher.entities for n in e.names]
    given = ["Anna", "Pierre", "Li", "Olga", "Ahmed", "John", "Maria", "Kenji", "Sven", "Ali"]
    family = ["Schmidt", "Dubois", "Wang", "Ivanova", "Hassan", "Smith", "Rossi", "Sato"]
    lines = ["Customer No;Full Name;Segment"]
    for i in range(rows):
        name = rng.choice(listed) if rng.random() < 0.05 else (
            f"{rng.choice(given)} {rng.choice(family)}")
        lines.append(f"K{i};{'' if i % 997 == 5 else name};retail")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MAP = (("id", "Customer No"), ("name", "Full Name"))


def test_parallel_equals_single_process(tmp_path: Path, matcher: Matcher) -> None:
    source = tmp_path / "customers.csv"
    write_customers(source, matcher, 3000)
    one = screen_bulk(matcher, source, tmp_path / "one.jsonl",
                      BulkOptions(threshold=0.7, workers=1, mapping=MAP))
    two = screen_bulk(matcher, source, tmp_path / "two.jsonl",
                      BulkOptions(threshold=0.7, workers=2, batch_size=128, mapping=MAP,
                                  keep=("Segment",)))
    first = [json.loads(x) for x in (tmp_path / "one.jsonl").read_text().splitlines()]
    second = [json.loads(x) for x in (tmp_path / "two.jsonl").read_text().splitlines()]
    assert [r["id"] for r in first] == [f"K{i}" for i in range(3000)]
    assert [(r["id"], r["matches"]) for r in first] == [(r["id"], r["matches"]) for r in second]
    assert second[0]["input"] == {"Segment": "retail"}
    assert one.rows == 3000 and one.rejected == 4 and one.rows_with_alerts > 50
    assert one.to_dict()["by_dataset"] == {"un_sc_sanctions": one.alerts}
    assert sum(one.by_programme.values()) >= one.alerts
    assert two.to_dict()["rows_with_alerts"] == one.rows_with_alerts
    assert "line 7: the row has no name" in one.rejects


def test_csv_and_parquet_alert_tables(tmp_path: Path, matcher: Matcher) -> None:
    source = tmp_path / "customers.csv"
    write_customers(source, matcher, 500)
    summary = screen_bulk(matcher, source, tmp_path / "a.parquet",
                          BulkOptions(threshold=0.7, workers=1, mapping=MAP,
                                      output_format="parquet", keep=("Segment",)))
    table = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert sum(1 for r in table if r["rank"] >= 1) == summary.alerts
    assert sum(1 for r in table if r["error"]) == summary.rejected
    assert all(r["Segment"] == "retail" for r in table)
    screen_bulk(matcher, source, tmp_path / "a.csv",
                BulkOptions(threshold=0.7, workers=1, mapping=MAP, output_format="csv"))
    lines = (tmp_path / "a.csv").read_text().splitlines()
    assert lines[0].startswith("input_id,rank,entity_id")
    assert len(lines) - 1 == len(table)
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob("*.progress"))


def workers_exit(group: int, timeout: float = 15.0) -> bool:
    """Whether every process of the process group ``group`` is gone within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)  # leave nothing behind, then fail
    return False


def test_kill_9_then_rerun_equals_uninterrupted(tmp_path: Path, matcher: Matcher) -> None:
    source = tmp_path / "customers.csv"
    write_customers(source, matcher, 20_000, seed=11)
    (tmp_path / "c.csv").write_text(source.read_text().replace(";", ","))
    lists = FIXTURES / "un" / "un_small.xml"
    reference = tmp_path / "reference.jsonl"
    screen_bulk(matcher, tmp_path / "c.csv", reference,
                BulkOptions(threshold=0.7, workers=2, batch_size=200,
                            mapping=(("id", "Customer No"), ("name", "Full Name"))))
    target = tmp_path / "out.jsonl"
    command = [sys.executable, "-c", DRIVER.replace(
        "BulkOptions(threshold=0.7,", "BulkOptions(mapping=(('id', 'Customer No'), "
        "('name', 'Full Name')), threshold=0.7,"), str(lists), str(tmp_path / "c.csv"),
        str(target)]
    kills = 0
    for delay in (1.0, 1.5, 2.0, 2.5):
        # its own process group: the workers it forks can be found after it is killed
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)  # the parent only, as kill -9 of a run does
            kills += 1
        proc.wait(timeout=120)
        assert workers_exit(proc.pid), "workers outlived their killed parent"
        if target.exists():
            break
    assert kills >= 1
    if not target.exists():
        finished = subprocess.run(command, capture_output=True, timeout=600)
        assert finished.returncode == 0, finished.stderr
    assert target.read_text() == reference.read_text()
    # the name cache went through the same kills: it is the uninterrupted run's, to the byte
    assert (tmp_path / "out.jsonl.tokens").read_bytes() == (
        tmp_path / "reference.jsonl.tokens").read_bytes()
    assert not list(tmp_path.glob("*.partial"))
