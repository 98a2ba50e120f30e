"""Concurrent loads of one source, by real processes, on SQLite and on PostgreSQL.

A load takes the source's lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock)
before it reads the active version, so loads of one source run one after the other and
each diffs and gates against what the other committed. The tests start real ``discreet
load`` processes at the same moment on a fresh store (so the migrations race too) and
check the outcome that any interleaving must give.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from discreet.store import Store

ENTITIES = 1000


def write_list(path: Path, ids: range | list[int], variant: int = 0) -> Path:
    """An FtM file of people with the given numbers; ``variant`` renames every one."""
    with path.open("w", encoding="utf-8") as handle:
        for i in ids:
            handle.write(json.dumps({
                "id": f"p-{i}", "schema": "Person", "datasets": ["race_list"],
                "properties": {"name": [f"Person {i} Variant {variant}"],
                               "birthDate": [f"19{i % 90 + 10}"]}}) + "\n")
    return path


def start(db: str, path: Path, source: str, *options: str) -> subprocess.Popen[str]:
    """A real ``discreet load`` process, started now; the gate is the 5% default."""
    env = {**os.environ, "DISCREET_DB": db}
    env.pop("DISCREET_CONFIG", None)
    return subprocess.Popen([sys.executable, "-m", "discreet", "load", "--json", "--source",
                             source, *options, str(path)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each process, waited for."""
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append((proc.returncode, stdout, stderr))
    return out


def assert_chain_consistent(store: Store, source: str) -> None:
    """Each version's added/removed/changed counts are its real diff to the one before."""
    infos = store.versions(source)
    assert [v.version for v in infos] == list(range(1, len(infos) + 1))
    for info in infos[1:]:
        diff = store.diff(source, info.version - 1, info.version)
        assert (info.added, info.removed, info.changed) == (
            len(diff.added), len(diff.removed), len(diff.changed)), info
        assert info.entities == sum(1 for _ in store.entities(source, info.version))


def test_same_file_loaded_at_once_makes_one_version(store_url: str, tmp_path: Path) -> None:
    path = write_list(tmp_path / "list.json", range(ENTITIES))
    results = finish([start(store_url, path, "race_list") for _ in range(4)])
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [r[2] for r in results]
    statuses = sorted(json.loads(out)["status"] for _, out, _ in results)
    assert statuses == ["new", "unchanged", "unchanged", "unchanged"]
    with Store.open(store_url) as store:
        [info] = store.versions("race_list")
        assert (info.version, info.entities) == (1, ENTITIES)


def test_concurrent_loads_diff_against_the_true_latest(store_url: str, tmp_path: Path) -> None:
    """Two different files at once: whichever commits second is diffed against the first."""
    older = write_list(tmp_path / "older.json", range(ENTITIES), variant=1)
    newer = write_list(tmp_path / "newer.json", range(300, ENTITIES + 300), variant=2)
    for round_no in range(2):
        source = f"race_{round_no}"
        results = finish([start(store_url, older, source), start(store_url, newer, source)])
        # Whichever went first is version 1; the second removes 300 of its 1000 ids (more
        # than the 5% gate), so it is refused against the true latest version.
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 1], [r[2] for r in results]
        [refusal] = [err for code, _, err in results if code == 1]
        assert "removes" in refusal and len(refusal.strip().splitlines()) == 1
        with Store.open(store_url) as store:
            [info] = store.versions(source)
            assert info.version == 1


def test_gate_is_computed_against_the_version_committed_meanwhile(store_url: str,
                                                                  tmp_path: Path) -> None:
    """v1, then at once: A (v1 plus 10% more) and B (exactly v1's content).

    B after A removes A's additions (9% of A): refused. B before A is unchanged. Either way
    A is the active version and there are two versions; a gate computed against the stale
    v1 would have let B in as a version 3 that silently drops A's additions.
    """
    base = write_list(tmp_path / "base.json", range(ENTITIES))
    grown = write_list(tmp_path / "grown.json", range(ENTITIES + ENTITIES // 10))
    same = write_list(tmp_path / "same.json", range(ENTITIES))
    for round_no in range(2):
        source = f"gate_{round_no}"
        [(code, _, err)] = finish([start(store_url, base, source)])
        assert code == 0, err
        results = finish([start(store_url, grown, source), start(store_url, same, source)])
        grown_code, same_code = results[0][0], results[1][0]
        assert grown_code == 0, results[0][2]
        assert same_code in (0, 1), results[1][2]
        if same_code == 0:
            assert json.loads(results[1][1])["status"] == "unchanged"
        else:
            assert "removes 100 of the 1100 entities" in results[1][2]
        with Store.open(store_url) as store:
            infos = store.versions(source)
            assert [(v.version, v.entities) for v in infos] == [(1, ENTITIES),
                                                               (2, ENTITIES * 11 // 10)]
            assert_chain_consistent(store, source)


def test_chained_loads_keep_counts_true(store_url: str, tmp_path: Path) -> None:
    """Three forced loads of different files at once: every version is a true diff."""
    files = [write_list(tmp_path / f"v{i}.json", range(i * 50, ENTITIES + i * 50), variant=i)
             for i in range(3)]
    results = finish([start(store_url, path, "chain", "--force") for path in files])
    assert all(code == 0 for code, _, _ in results), [r[2] for r in results]
    with Store.open(store_url) as store:
        assert len(store.versions("chain")) == 3
        assert_chain_consistent(store, "chain")
