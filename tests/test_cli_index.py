"""``discreet index build`` and ``discreet index verify``: the persisted index of the active
lists built on demand, and every byte of it checked; a damaged file is named, and the next
screening rebuilds the index instead of using it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import OWN_FIXTURES
from tests.test_cli_match import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    run(path, "load", str(OWN_FIXTURES / "un" / "un_small.xml"))
    return path


def _folder(db: Path) -> Path:
    found = json.loads(run(db, "index", "build", "--json").stdout)
    folder = Path(found["folder"])
    assert folder.parent == db.with_name(db.name + ".index") and folder.is_dir()
    return folder


def test_verify_hashes_every_file_of_the_active_index(db: Path) -> None:
    folder = _folder(db)
    checked = json.loads(run(db, "index", "verify", "--json").stdout)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert checked == {"folder": str(folder), "files": len(manifest["files"]),
                       "bytes": sum(f["size"] for f in manifest["files"].values()),
                       "ok": True}


def test_a_damaged_file_is_named_and_the_next_screening_rebuilds(db: Path) -> None:
    folder = _folder(db)
    run(db, "match", "Northern Star Trading Company", "--json")  # opened: files stamped
    victim = max(folder.iterdir(), key=lambda p: p.stat().st_size if p.suffix != ".json"
                 else -1)
    facts = victim.stat()
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size, times put back
    victim.write_bytes(bytes(data))
    os.utime(victim, ns=(facts.st_atime_ns, facts.st_mtime_ns))
    refused = run(db, "index", "verify", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"error: {victim}: sha256 differs from the manifest's (damaged)"]
    found = json.loads(run(db, "match", "Northern Star Trading Company", "--json").stdout)
    assert found and found[0]["score"] >= 0.99, "screening answers, from a rebuilt index"
    again = json.loads(run(db, "index", "verify", "--json").stdout)
    assert again["ok"] and Path(again["folder"]) == folder
    assert victim.read_bytes() != bytes(data)  # the damaged file is gone


def test_without_an_index_verify_says_how_to_make_one(db: Path) -> None:
    for folder in db.with_name(db.name + ".index").iterdir():
        if folder.is_dir():
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
    refused = run(db, "index", "verify", ok=False)
    assert "no index of the active lists" in refused.stderr
    assert "discreet index build" in refused.stderr
