"""A crash loses no acknowledged audit record: the journal, its framing, and recovery.

Real processes throughout: ``discreet serve`` on loopback over a real SQLite file or
PostgreSQL database, killed with SIGKILL right after its last answer; ``discreet audit
recover`` as a subprocess (two at once, for the lock); the journal's files on disk.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from discreet.api.audit import AuditWriter
from discreet.api.audit_journal import (
    Journal,
    Mark,
    claim,
    frame,
    journal_dir,
    parse_frame,
    scan_journal,
)
from discreet.api.settings import ApiSettings
from discreet.cli import cli as main_cli
from discreet.errors import ConfigError
from discreet.store import Store
from discreet.store.apikeys import create_key
from discreet.store.audit import AuditRecord, encode_audit
from tests.api.conftest import make_app, small_lists
from tests.api.helpers import api_client
from tests.api.test_workers import free_port

BODIES: list[dict[str, Any]] = [
    {"r": {"id": "a", "request": {"name": "Putin\ud800", "nul": "a\x00b"}}},
    {"r": {"id": "b", "results": {"x": [["ofac-1", 0.93, True]]}, "text": "Ελληνικά 中文 ﬁ"}},
    {"done": [3, 4096]},
    {"r": {"id": "c", "deep": [[[[{"k": "\n\r\t\"\\"}]]]]}, "again": True},
    {"r": {"id": "d", "big": "x" * 200_000}},
]


def rec(i: int) -> AuditRecord:
    return AuditRecord(f"j{i:06d}", f"2026-12-03T10:00:00.{i % 1000:03d}+00:00", "k1",
                       "match", "default", 200, {"queries": {"a": {"name": [f"N {i}"]}}},
                       {"us_ofac_sdn": 1}, {"a": [["ofac-1", 0.9, True]]})


def api_count(url: str) -> tuple[int, int]:
    """(records, distinct ids) of the API's records in the store."""
    with Store.open(url) as store:
        rows = store.db.query("SELECT COUNT(*), COUNT(DISTINCT id) FROM audit_log "
                              "WHERE kind = 'api'")
    return int(rows[0][0]), int(rows[0][1])


def cli(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discreet", "--db", db, *args],
                          capture_output=True, text=True, timeout=120, check=False)


# --- framing -------------------------------------------------------------------------


def test_frames_read_back_exactly_and_every_damaged_frame_is_refused() -> None:
    for body in BODIES:
        line = frame(body)
        assert line.endswith(b"\n") and line.count(b"\n") == 1 and line.isascii()
        assert parse_frame(line) == json.loads(json.dumps(body))
        # Cut short anywhere (a crash in the middle of a write): never read as a record.
        for cut in {1, 2, 3, 10, len(line) // 2, len(line) - 2, len(line) - 1}:
            assert parse_frame(line[:cut]) is None, cut
        # Any one byte changed (a bad sector, a stray write): refused by length or CRC.
        for at in range(0, len(line) - 1, max(1, len(line) // 97)):
            damaged = bytearray(line)
            damaged[at] = (damaged[at] + 1) % 128 or 1
            if bytes(damaged) != line:
                assert parse_frame(bytes(damaged)) is None, at
    text = b'{"r":{}}'
    for wrong in (b"", b"\n", b"not a journal line\n", b'{"r": {}}\n',
                  b"J1 8 %08x %s" % (zlib.crc32(text), text),  # no end of line
                  b"J1 9 %08x %s\n" % (zlib.crc32(text), text),  # wrong length
                  b"J1 3 %08x [1]\n" % zlib.crc32(b"[1]"),  # a frame, but not an object
                  b"J1 8 %08x %s\n" % (zlib.crc32(text) ^ 1, text)):
        assert parse_frame(wrong) is None, wrong
    assert parse_frame(b"J1 8 %08x %s\n" % (zlib.crc32(text), text)) == {"r": {}}


def test_a_scan_honours_checkpoints_and_names_torn_and_corrupt_lines(tmp_path: Path) -> None:
    name = "audit-123-456"
    one = tmp_path / f"{name}.000001.jnl"
    two = tmp_path / f"{name}.000002.jnl"
    first = frame({"r": rec(1).to_dict()}) + frame({"r": rec(2).to_dict()})
    one.write_bytes(first + frame({"done": [1, len(first)]})
                    + b"J1 garbage\n" + frame({"r": rec(3).to_dict()}))
    torn = frame({"r": rec(5).to_dict()})[:-7]
    two.write_bytes(frame({"r": rec(4).to_dict(), "again": True}) + torn)
    (tmp_path / "audit-123-4567.000001.jnl").write_bytes(frame({"r": rec(9).to_dict()}))
    scan = scan_journal(tmp_path, name)
    assert scan.committed == 2
    assert [(r["id"], again) for r, again in scan.records] == [("j000003", False),
                                                               ("j000004", True)]
    assert [(p.path, p.torn) for p in scan.problems] == [(one, False), (two, True)]
    corrupt, tail = scan.problems
    assert corrupt.offset == len(first) + len(frame({"done": [1, len(first)]}))
    assert tail.offset == len(frame({"r": rec(4).to_dict(), "again": True}))
    assert tail.size == len(torn)
    assert tail.line() == (f"audit journal {two} offset {tail.offset}: a torn last line "
                           f"(cut short by a crash) of {len(torn)} bytes skipped")


def test_fsync_policies_and_group_commit(tmp_path: Path) -> None:
    """``always`` syncs each record, ``none`` never; ``batch`` makes the caller wait for a
    sync that covers its record, and concurrent appenders share syncs."""
    always = Journal(tmp_path / "always", "always")
    always.open()
    marks = [always.append({"r": {"id": str(i)}}) for i in range(20)]
    assert always.syncs == 20 and all(m.ticket == 0 for m in marks)
    always.close(remove=True)
    none = Journal(tmp_path / "none", "none")
    none.open()
    assert none.append({"r": {"id": "x"}}).ticket == 0 and none.syncs == 0
    none.close(remove=True)
    assert not (tmp_path / "none").exists()  # made by it, so removed with it

    batch = Journal(tmp_path / "batch", "batch", interval_ms=5)
    batch.open()
    waited: list[bool] = []

    def appender(n: int) -> None:
        for i in range(100):
            mark = batch.append({"r": {"id": f"{n}-{i}"}})
            waited.append(batch.wait(mark.ticket, timeout=10))

    threads = [threading.Thread(target=appender, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waited) == 800 and all(waited)
    assert batch.appends == 800 and 0 < batch.syncs < 800  # syncs were shared

    async def answer() -> None:  # the event loop waits for the sync, without blocking
        mark = batch.append({"r": {"id": "async"}})
        assert mark.ticket > 0
        await asyncio.wait_for(batch.synced(mark.ticket), timeout=10)
    asyncio.run(answer())
    assert batch.wait(batch.append({"r": {"id": "last"}}).ticket)
    batch.close(remove=False)
    scan = scan_journal(tmp_path / "batch", batch.name)
    assert len(scan.records) == 802 and not scan.problems


def test_segments_rotate_and_committed_ones_are_deleted(tmp_path: Path) -> None:
    """With small segments and a small queue, records are read back across segments in
    order, and the journal shrinks to (at most) its last segment once all is stored."""
    url = str(tmp_path / "audit.db")
    journal = tmp_path / "journal"
    writer = AuditWriter(lambda: Store.open(url), 365, capacity=30, journal=journal,
                         segment_bytes=4096)
    writer.start()
    with writer._cond:  # the writer cannot drain while the records arrive
        for i in range(400):
            writer.put(rec(i))
    segments = len(list(journal.glob("*.jnl")))
    assert segments >= 20
    deadline = time.monotonic() + 30
    while writer.backlog and time.monotonic() < deadline:
        time.sleep(0.05)
    assert writer.backlog == 0
    time.sleep(0.2)
    stats = writer.stats()
    assert stats["journaled"] > 400 and stats["spilled"] >= 370
    assert len(list(journal.glob("*.jnl"))) <= 2 and stats["journal_bytes"] <= 2 * 4096 + 512
    writer.stop()
    assert not journal.exists()
    with Store.open(url) as store:
        ids = [str(r[0]) for r in store.db.query("SELECT id FROM audit_log ORDER BY seq")]
        assert ids == [f"j{i:06d}" for i in range(400)]
        assert store.verify_audit().ok


def test_a_live_journal_is_never_claimed(tmp_path: Path) -> None:
    live = Journal(tmp_path, "batch")
    live.open()
    live.append({"r": rec(1).to_dict()})
    assert claim(tmp_path, live.name) is None  # its lock is held by this process
    live.close(remove=False)
    held = claim(tmp_path, live.name)  # released: now it is a dead process's journal
    assert held is not None and claim(tmp_path, live.name) is None
    held.finish(remove=True)
    assert not list(tmp_path.iterdir())
    fresh = claim(tmp_path, live.name)  # a fresh, empty lock: nothing to read
    assert fresh is not None and not scan_journal(tmp_path, live.name).records
    fresh.finish(remove=True)


def test_serve_refuses_an_unknown_fsync_policy(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--audit-fsync"):
        ApiSettings(audit_fsync="sometimes").check()
    done = CliRunner().invoke(main_cli, ["--db", str(tmp_path / "s.db"), "serve",
                                         "--audit-fsync", "sometimes"])
    assert done.exit_code == 2 and "--audit-fsync" in done.output
    assert journal_dir(str(tmp_path / "s.db")) == tmp_path / ".s.db.audit-journal"
    assert journal_dir("x.db", " /var/j ") == Path("/var/j")


# --- recovery from dead journals -------------------------------------------------------


def dead_journal(directory: Path, count: int, *, segment_bytes: int = 1 << 20,
                 torn: bool = False, stored: int = 0, first: int = 0
                 ) -> tuple[str, list[Mark]]:
    """A journal as a process that died leaves it: ``count`` records, the first ``stored``
    of them checkpointed, optionally a torn last line; its lock released."""
    journal = Journal(directory, "none", segment_bytes=segment_bytes)
    journal.open()
    marks = [journal.append({"r": rec(i).to_dict()}) for i in range(first, first + count)]
    if stored:
        journal.checkpoint(marks[stored - 1])
    journal.close(remove=False)
    if torn:
        last = sorted(directory.glob(f"{journal.name}.*.jnl"))[-1]
        with last.open("ab") as handle:
            handle.write(frame({"r": rec(first + count).to_dict()})[:-20])
    return journal.name, marks


def test_recover_replays_a_torn_journal_minus_its_torn_line(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    directory = tmp_path / "journal"
    with Store.open(db) as store:  # the first 5 were stored before the crash
        store.write_audit_rows([encode_audit(rec(i)) for i in range(5)])
    name, _ = dead_journal(directory, 50, torn=True, stored=3)
    segment = directory / f"{name}.000001.jnl"
    size = segment.stat().st_size
    done = cli("audit", "recover", "--journal-dir", str(directory), db=db)
    assert done.returncode == 0, done.stderr
    torn_at = [line for line in done.stderr.splitlines() if "torn last line" in line]
    assert len(torn_at) == 1
    assert torn_at[0].startswith(f"audit journal {segment} offset ")
    offset = int(torn_at[0].split(" offset ")[1].split(":")[0])
    assert 0 < offset < size
    assert f"{name}: 45 records chained, 2 already stored, 3 committed before the crash" \
        in done.stdout
    assert api_count(db) == (50, 50)  # j000050, the torn one, is not there
    assert not list(directory.iterdir())
    with Store.open(db) as store:
        assert store.verify_audit().ok
    again = CliRunner().invoke(main_cli, ["--db", db, "audit", "recover", "--journal-dir",
                                          str(directory), "--json"])
    assert json.loads(again.stdout)["journals"] == [] and api_count(db) == (50, 50)


def test_two_recoverers_at_once_chain_each_record_once(store_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "journal"
    # Two dead journals sharing 500 ids (a crash while one was being taken over).
    names = [dead_journal(directory, 1500, segment_bytes=64 << 10, first=first)[0]
             for first in (0, 1000)]
    with Store.open(store_url):
        pass
    args = [sys.executable, "-m", "discreet", "--db", store_url, "audit", "recover",
            "--journal-dir", str(directory), "--json"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    reports = [r for out, _ in outputs for r in json.loads(out)["journals"]]
    replays = [r for r in reports if not r["live"] and r["read"]]
    assert sorted(r["name"] for r in replays) == sorted(names)  # each journal replayed once
    assert all(r["read"] == 1500 for r in replays)
    assert api_count(store_url) == (2500, 2500)
    with Store.open(store_url) as store:
        assert store.verify_audit().ok
    assert not list(directory.iterdir())


# --- a real server killed with SIGKILL ---------------------------------------------------


def prepare(db: str) -> str:
    """The small lists and a key (screen and admin) in a fresh store; the key."""
    with Store.open(db) as store:
        small_lists(store)
        return create_key(store.db, "ops", ("screen", "admin"), rate_limit=10**6)[1]


@contextmanager
def server(db: str, key: str, journal: Path, **options: str) -> Iterator[str]:
    """``discreet serve`` in its own process group (so one SIGKILL kills it whole)."""
    port = free_port()
    flags = [f for k, v in options.items() for f in (f"--{k.replace('_', '-')}", v)]
    log = journal.parent / "serve.log"
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "discreet", "--db", db, "serve",
                                 "--port", str(port), "--audit-journal-dir", str(journal),
                                 *flags], start_new_session=True, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{url}/readyz", timeout=5, headers={
                        "Authorization": f"ApiKey {key}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def screen(url: str, key: str, count: int, threads: int = 4) -> list[int]:
    """``count`` screening requests from ``threads`` clients; their status codes."""
    statuses: list[int] = []

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60,
                          headers={"Authorization": f"ApiKey {key}"}) as http:
            for i in range(n, count, threads):
                body = {"queries": {"q": {"schema": "Person",
                                          "properties": {"name": [f"Vladimir Putin {i}"]}}}}
                statuses.append(http.post("/match/default", json=body).status_code)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


@contextmanager
def audit_held(db: str) -> Iterator[None]:
    """Hold the audit chain's head (the lock every append takes) so the server's writer
    cannot store anything: every record answered is then only in the journal."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as pg:
            pg.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
            yield
            pg.rollback()
        return
    conn = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def kill_after_answers(db: str, key: str, journal: Path, count: int) -> None:
    """Screen ``count`` times while the store cannot take a record, SIGKILL the server
    right after the last answer, and check that none of those records was stored."""
    before = api_count(db)[0]
    with audit_held(db), server(db, key, journal) as url:  # killed, then released
        statuses = screen(url, key, count)
        assert statuses == [200] * count
    assert api_count(db)[0] == before  # all in the journal, none in the store
    assert len(list(journal.glob("audit-*.lock"))) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_killed_server_loses_no_answered_request(backend: str, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    """SIGKILL right after the last answer: `discreet audit recover` puts every answered
    request in the chain exactly once, and the chain verifies."""
    db = (str(tmp_path / "store.db") if backend == "sqlite"
          else str(request.getfixturevalue("pg_url")))
    journal = tmp_path / "journal"
    kill_after_answers(db, prepare(db), journal, 60)
    done = cli("audit", "recover", "--journal-dir", str(journal), db=db)
    assert done.returncode == 0, done.stderr
    assert "60 records chained" in done.stdout and "torn last line" not in done.stderr, done
    assert api_count(db) == (60, 60)
    verified = cli("audit", "verify", db=db)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not list(journal.iterdir())


def test_a_restarted_server_takes_over_the_dead_journal(tmp_path: Path) -> None:
    """Without `audit recover`: the next server start replays the journal itself."""
    db = str(tmp_path / "store.db")
    journal = tmp_path / "journal"
    key = prepare(db)
    kill_after_answers(db, key, journal, 40)
    with server(db, key, journal) as url:
        deadline = time.monotonic() + 30
        while api_count(db)[0] < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert screen(url, key, 10, threads=2) == [200] * 10
        stats = httpx.get(f"{url}/audit/stats", timeout=5,
                          headers={"Authorization": f"ApiKey {key}"}).json()
        assert (stats["journal_recovered"], stats["journal_torn"]) == (40, 0), stats
        assert stats["journaled"] >= 10 and stats["journal_syncs"] >= 1, stats
    # The second server was killed too: its own 10 records are in its journal, and the
    # first journal is gone (taken over), so recovery adds exactly those 10.
    assert api_count(db)[0] >= 40
    done = cli("audit", "recover", "--journal-dir", str(journal), db=db)
    assert done.returncode == 0, done.stderr
    assert api_count(db) == (50, 50)
    with Store.open(db) as store:
        assert store.verify_audit().ok


def test_an_answer_waits_for_the_sync_that_holds_its_record(tmp_path: Path) -> None:
    """With syncs at most every 400 ms, each answer (a route's record, a refusal and a 404
    the middleware records) still leaves only once its record's line is synced."""
    db = str(tmp_path / "store.db")
    key = prepare(db)
    app = make_app(db, audit_journal_dir=str(tmp_path / "journal"), audit_fsync_ms=400.0)
    checked: list[str] = []

    def synced_through(journal: Journal, endpoint: str, status: int) -> None:
        lines = b"".join(p.read_bytes() for p in sorted(journal.directory.glob("*.jnl")))
        bodies = [parse_frame(line + b"\n") for line in lines.split(b"\n")[:-1]]
        where = max(i for i, body in enumerate(bodies, 1) if body and "r" in body
                    and (body["r"]["endpoint"], body["r"]["status"]) == (endpoint, status))
        assert journal._synced >= where, (endpoint, journal._synced, where)
        checked.append(endpoint)

    async def go() -> None:
        async with api_client(app, key) as client:
            journal = app.state.services.audit.journal
            assert journal is not None and journal.policy == "batch"
            for _ in range(2):  # the second of each comes while the last sync is recent
                body = {"queries": {"q": {"schema": "Person",
                                          "properties": {"name": ["Vladimir Putin"]}}}}
                assert (await client.post("/match/default", json=body)).status_code == 200
                synced_through(journal, "match", 200)
                assert (await client.get("/entities/nope")).status_code == 404
                synced_through(journal, "entities", 404)
                refused = await client.get("/catalog", headers={
                    "Authorization": "ApiKey dk_feedbeef_wrong"})
                assert refused.status_code == 401
                synced_through(journal, "catalog", 401)
    asyncio.run(go())
    assert len(checked) == 6


def test_spill_files_of_older_versions_are_replayed(tmp_path: Path) -> None:
    """A spill file an older server left beside the store (plain JSON lines) is replayed by
    `audit recover` with the default journal directory: none lost, none twice."""
    db = str(tmp_path / "store.db")
    with Store.open(db) as store:
        store.write_audit_rows([encode_audit(rec(1))])
    spill = tmp_path / ".store.db.audit-spill.4242.jsonl"
    spill.write_text("".join(json.dumps(rec(i).to_dict()) + "\n" for i in range(3))
                     + '{"id": "j0000', encoding="utf-8")
    done = CliRunner().invoke(main_cli, ["--db", db, "audit", "recover"])
    assert done.exit_code == 0, done.output
    assert f"audit journal {spill} offset " in done.output and "torn last line" in done.output
    assert "2 records chained, 1 already stored" in done.output
    assert api_count(db) == (3, 3) and not spill.exists()


def test_a_default_journal_directory_goes_with_its_last_journal(tmp_path: Path) -> None:
    """Two workers share the default directory: it stays while either journal lives and
    goes with the last one; a directory the operator named stays, empty."""
    shared = journal_dir(str(tmp_path / "s.db"))
    first, second = Journal(shared, "batch"), Journal(shared, "batch")
    first.open()
    second.open()
    first.close(remove=True)
    assert sorted(p.name for p in shared.iterdir()) == [f"{second.name}.000001.jnl",
                                                        f"{second.name}.lock"]
    second.close(remove=True)
    assert not shared.exists()
    named = tmp_path / "operator"
    named.mkdir()
    mine = Journal(named, "none")
    mine.open()
    mine.close(remove=True)
    assert named.is_dir() and not list(named.iterdir())
