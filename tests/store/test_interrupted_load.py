"""A load killed with SIGKILL at any moment leaves the previous version active and the store whole.

The loads run in a child process (the real CLI) over a generated FtM file large enough to
take a few seconds; the child is killed at spread-out moments, including inside the write
transaction, and the store is checked after each kill.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from discreet.store import Store

ENTITIES = 40_000


def write_list(path: Path, variant: int) -> None:
    """An FtM file of ENTITIES people; each ``variant`` gives every entity another name."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(ENTITIES):
            name = f"Person {i} Variant {variant}"
            handle.write(json.dumps({
                "id": f"p-{i}", "schema": "Person", "datasets": ["big_list"],
                "properties": {"name": [name], "birthDate": [f"19{i % 90 + 10}"],
                               "nationality": ["ru"], "programId": ["TEST"]}}) + "\n")


def start_load(db: Path | str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DISCREET_DB": str(db)}
    return subprocess.Popen([sys.executable, "-m", "discreet", "load", "--source", "big_list",
                             str(path)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def check_consistent(db: Path | str, versions: list[int]) -> None:
    if isinstance(db, Path):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(db) as store:
        infos = store.versions("big_list")
        assert [v.version for v in infos] == versions
        assert sum(1 for _ in store.entities("big_list")) == infos[-1].entities == ENTITIES


def kill_inside_write(db: Path, path: Path) -> bool:
    """Kill the load as soon as its write transaction has put pages into the WAL."""
    wal = db.with_name(db.name + "-wal")
    with sqlite3.connect(db) as conn:  # start from an empty WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    baseline = wal.stat().st_size if wal.exists() else 0
    proc = start_load(db, path)
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size > baseline + 64 * 1024:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            return True
        time.sleep(0.002)
    return False


def load_first(db: Path | str, tmp_path: Path) -> tuple[Path, float]:
    """Load version 1; return the version-2 file and how long a full load took."""
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    write_list(first, 1)
    write_list(second, 2)
    started = time.monotonic()
    assert start_load(db, first).wait(timeout=300) == 0
    return second, time.monotonic() - started


def kill_at_moments(db: Path | str, second: Path, duration: float,
                    fractions: tuple[float, ...]) -> None:
    """Kill loads of version 2 at spread-out moments; each leaves version 1 or a whole 2."""
    for fraction in fractions:
        proc = start_load(db, second)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        with Store.open(db) as store:
            versions = [v.version for v in store.versions("big_list")]
        assert versions in ([1], [1, 2])
        check_consistent(db, versions)


def finish_second(db: Path | str, second: Path) -> None:
    assert start_load(db, second).wait(timeout=300) == 0
    check_consistent(db, [1, 2])
    with Store.open(db) as store:
        assert len(store.diff("big_list", 1, 2).changed) == ENTITIES


def test_kill_during_load_keeps_previous_version(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    second, duration = load_first(db, tmp_path)
    # Inside the write transaction: every entity changes, so its pages spill into the WAL
    # long before the commit; the kill must leave version 1 alone.
    assert kill_inside_write(db, second), "the load never wrote to the WAL"
    check_consistent(db, [1])
    kill_at_moments(db, second, duration, (0.2, 0.4, 0.6, 0.8))
    finish_second(db, second)


def test_kill_during_load_on_postgres(tmp_path: Path, pg_url: str) -> None:
    second, duration = load_first(pg_url, tmp_path)
    kill_at_moments(pg_url, second, duration, (0.3, 0.6, 0.9))
    finish_second(pg_url, second)
