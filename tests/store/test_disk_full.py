"""A full disk during a load: one clear line with the real cause, and the previous version kept.

SQLite rolls a transaction back by itself when it runs out of space; the store used to issue
a second ROLLBACK whose "cannot rollback - no transaction is active" hid "database or disk
is full" behind an "internal error". Two real ways to run out of space are tested: SQLite's
own ``PRAGMA max_page_count`` (everywhere), and a small tmpfs holding the store (as root).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.errors import StoreError
from discreet.lists.load import load_file
from discreet.store import Store
from tests.conftest import skip_outside_ci


def write_list(path: Path, count: int, pad: int = 0) -> Path:
    """An FtM file of ``count`` people; ``pad`` characters of notes make each one bigger."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({
                "id": f"p-{i}", "schema": "Person", "datasets": ["full_list"],
                "properties": {"name": [f"Person Number {i}"], "notes": [f"{i} " * pad]}},
            ) + "\n")
    return path


def run_load(db: Path, path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db)}
    env.pop("DISCREET_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "discreet", "load", "--source", "full_list",
                           str(path)], env=env, capture_output=True, text=True, timeout=300)


def test_page_limit_reached_mid_load_names_the_cause(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    small = write_list(tmp_path / "v1.json", 50)
    big = write_list(tmp_path / "v2.json", 4000, pad=20)
    with Store.open(db) as store:
        assert load_file(store, small, source="full_list").version == 1
        pages = store.db.query("PRAGMA page_count")[0][0]
        store.db.execute(f"PRAGMA max_page_count = {int(pages) + 20}")
        with pytest.raises(StoreError) as info:
            load_file(store, big, source="full_list")
        message = str(info.value)
        assert "v2.json" in message and "database or disk is full" in message
        assert "no transaction is active" not in message and "\n" not in message
        assert "previous version stays active" in message
        assert [(v.version, v.entities) for v in store.versions("full_list")] == [(1, 50)]
        assert len(list(store.entities("full_list"))) == 50
        store.db.execute("PRAGMA max_page_count = 1073741823")
        assert load_file(store, big, source="full_list").version == 2  # space again: loads
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 3 MiB tmpfs, mounted for the test (needs root; skipped where mounting is refused)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        skip_outside_ci("mounting a small tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="discreet-full-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        where.rmdir()
        skip_outside_ci(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)
        where.rmdir()


def test_disk_full_during_cli_load_is_one_line_and_keeps_the_version(
        small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "store.db"
    first = run_load(db, write_list(tmp_path / "v1.json", 50))
    assert first.returncode == 0, first.stderr
    done = run_load(db, write_list(tmp_path / "v2.json", 6000, pad=40))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    assert "v2.json" in lines[0] and "database or disk is full" in lines[0]
    for hidden in ("internal error", "no transaction is active", "Traceback"):
        assert hidden not in done.stderr
    # Read a copy on a disk with room: the full tmpfs cannot even hold a reader's index.
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in os.listdir(small_disk):  # the store's files (its index folder aside)
        if (small_disk / name).is_file():
            shutil.copyfile(small_disk / name, copy / name)
    with Store.open(copy / "store.db") as store:
        assert [(v.version, v.entities) for v in store.versions("full_list")] == [(1, 50)]
        assert len(list(store.entities("full_list"))) == 50


def test_unexpected_failure_names_file_and_cause(tmp_path: Path) -> None:
    """A read that fails below discreet (EIO from /proc/self/mem) still gives one line."""
    mem = Path("/proc/self/mem")
    if not mem.is_file():
        skip_outside_ci("needs Linux /proc")
    done = run_load(tmp_path / "store.db", mem)
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    assert "mem" in lines[0] and "Input/output error" in lines[0]
    assert "internal error" not in lines[0] and "Traceback" not in done.stderr
