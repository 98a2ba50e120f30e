"""The audit writer loses nothing: bad text, unwritable records, a full queue, a store outage.

Real stores (SQLite, and PostgreSQL where the store_url fixture gives it), a real writer
thread; records are counted in the table afterwards.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from discreet.api.audit import AuditWriter, presented_key_id
from discreet.api.audit_journal import frame
from discreet.store import Store
from discreet.store.apikeys import list_keys
from discreet.store.audit import AuditRecord, read_audit, write_audit
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client


def rec(i: int, **change: Any) -> AuditRecord:
    fields: dict[str, Any] = {
        "id": f"r{i:05d}", "at": f"2026-12-03T10:00:00.{i % 1000:03d}+00:00",
        "key_id": "k1", "endpoint": "match", "dataset": "default", "status": 200,
        "request": {"queries": {"a": {"name": [f"Name {i}"]}}},
        "versions": {"us_ofac_sdn": 1}, "results": {"a": [["ofac-1", 0.9, True]]}}
    fields.update(change)
    return AuditRecord(**fields)


def count(url: str) -> int:
    with Store.open(url) as store:
        return int(str(store.db.query("SELECT COUNT(*) FROM audit_log")[0][0]))


def writer_for(url: str, **options: Any) -> AuditWriter:
    return AuditWriter(lambda: Store.open(url), 365, **options)


def test_text_no_store_can_hold_is_replaced_not_fatal(store_url: str) -> None:
    """The reported case: one lone surrogate failed a batch of 13 (NUL does on PostgreSQL)."""
    batch = [rec(i) for i in range(11)]
    batch.append(rec(11, request={"queries": {"q0": {"query": "Putin\ud800", "\udfff": 1}}},
                     key_id="k\ud800"))
    batch.append(rec(12, dataset="def\x00ault", request={"name": "a\x00b"},
                     results={"x\ud83d": [["id", 1]]}))
    with Store.open(store_url) as store:
        write_audit(store.db, batch)
        rows = {r.id: r for r in read_audit(store.db, limit=100)}
    assert len(rows) == 13
    assert rows["r00011"].request["queries"]["q0"]["query"] == "Putin\ufffd"
    assert rows["r00011"].key_id == "k\ufffd"
    assert "\ufffd" in rows["r00011"].request["queries"]["q0"]
    assert rows["r00012"].dataset == "default" and rows["r00012"].request == {"name": "a\x00b"}
    assert rows["r00012"].results == {"x\ufffd": [["id", 1]]}


class Unprintable:
    """A value no JSON encoder (nor repr) can turn into text."""

    def __repr__(self) -> str:
        raise RuntimeError("no text for this value")


def test_a_failed_batch_is_written_one_by_one_with_placeholders(store_url: str) -> None:
    url = store_url
    with Store.open(url) as store:
        write_audit(store.db, [rec(99_999)])
    writer = writer_for(url)
    for i in range(60):
        writer.put(rec(i))
    writer.put(rec(70, request={"bad": Unprintable()}))  # cannot be encoded at all
    writer.put(rec(99_999, key_id="dup"))  # the store refuses its id (already there)
    writer.start()
    writer.stop()
    assert (writer.written, writer.placeholders, writer.dropped) == (60, 2, 0)
    assert writer.failed_batches >= 1
    assert count(url) == 1 + 60 + 2
    with Store.open(url) as store:
        rows = store.db.query("SELECT key_id, status, request FROM audit_log "
                              "WHERE request LIKE ? ORDER BY key_id", ("%unwritable%",))
    assert [(r[0], r[1]) for r in rows] == [("dup", 200), ("k1", 200)]
    reasons = [json.loads(str(r[2])) for r in rows]
    assert "no text for this value" in reasons[1]["unwritable"]
    assert reasons[1]["record"] == "r00070" and reasons[0]["record"] == "r99999"


def test_a_full_queue_never_waits_and_keeps_records_in_the_journal(tmp_path: Path) -> None:
    """Past ``capacity`` records wait in the journal only (put() runs on the event loop:
    it must never wait for the store), and are read back and written from there."""
    url = str(tmp_path / "audit.db")
    writer = writer_for(url, capacity=50, journal=tmp_path / "journal")
    writer.start()
    with writer._cond:  # hold the writer thread off: the queue cannot drain meanwhile
        started = time.monotonic()
        for i in range(560):
            writer.put(rec(i))
        took = time.monotonic() - started
        assert len(writer._pending) <= 50 and writer.spilled >= 510
    assert writer.waited == 0 and took < 5, took  # journaled, never waiting for room
    writer.stop()
    assert (writer.written, writer.dropped, writer.replayed) == (560, 0, writer.spilled)
    assert count(url) == 560
    assert not (tmp_path / "journal").exists()  # all stored: the journal is gone
    with Store.open(url) as store:  # in the order they were put
        order = [r[0] for r in store.db.query("SELECT id FROM audit_log ORDER BY seq")]
    assert order == [f"r{i:05d}" for i in range(560)]

    # Without a journal a full queue waits for the writer (back-pressure): none dropped.
    bare = writer_for(str(tmp_path / "bare.db"), capacity=50)
    bare.start()
    with bare._cond:  # the writer thread cannot drain until put() waits and lets it
        for i in range(60):
            bare.put(rec(i))
    assert bare.waited >= 1 and bare.dropped == 0
    bare.stop()
    bare.put(rec(99))  # after stop: written directly, not lost
    assert (bare.written, bare.direct, bare.dropped) == (61, 1, 0)
    assert count(str(tmp_path / "bare.db")) == 61


def test_records_survive_an_outage_and_a_restart_on_disk(tmp_path: Path) -> None:
    """The store is down and the server stops: every record stays in the journal, and the
    next writer (taking it over, with a dead process's journal) writes each exactly once."""
    url = str(tmp_path / "audit.db")
    with Store.open(url) as store:
        write_audit(store.db, [rec(7000)])
    journal = tmp_path / "journal"
    down = AuditWriter(lambda: Store.open(str(tmp_path)), 365, capacity=20, journal=journal)
    down.start()
    for i in range(80):
        down.put(rec(i))
    time.sleep(0.5)
    down.stop()
    assert (down.written, down.dropped) == (0, 0)
    kept = list(journal.glob("audit-*.jnl"))
    assert len(kept) == 1
    # A dead process's journal: a record already stored, a new one, and a line cut short.
    dead = journal / "audit-999999999-1.000001.jnl"
    dead.write_bytes(frame({"r": rec(7000).to_dict()}) + frame({"r": rec(7001).to_dict()})
                     + frame({"r": rec(7002).to_dict()})[:40])
    up = writer_for(url, journal=journal)
    up.start()
    deadline = time.monotonic() + 15
    while up.backlog and time.monotonic() < deadline:
        time.sleep(0.1)
    up.stop()
    assert not dead.exists() and not kept[0].exists() and up.dropped == 0
    assert (up.recovered, up.torn) == (82, 1)
    assert count(url) == 1 + 80 + 1  # r07000 once: a replayed record is never doubled
    with Store.open(url) as store:
        ids = {r.id for r in read_audit(store.db, limit=1000)}
    assert {f"r{i:05d}" for i in range(80)} | {"r07000", "r07001"} == ids
    assert not list(journal.iterdir())


def test_a_failing_store_keeps_good_records_whole(tmp_path: Path) -> None:
    """An error of the store (here: its table gone for a while) is no record's fault: the
    batch is retried whole, never replaced by placeholders."""
    url = str(tmp_path / "audit.db")
    with Store.open(url) as store:
        store.db.execute("ALTER TABLE audit_log RENAME TO audit_away")
    writer = writer_for(url, journal=tmp_path / "journal")
    writer.start()
    for i in range(40):
        writer.put(rec(i))
    deadline = time.monotonic() + 10
    while writer.failed_batches < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert writer.failed_batches >= 2 and writer.written == 0
    with Store.open(url) as store:
        store.db.execute("ALTER TABLE audit_away RENAME TO audit_log")
    deadline = time.monotonic() + 15
    while writer.written < 40 and time.monotonic() < deadline:
        time.sleep(0.1)
    writer.stop()
    assert (writer.written, writer.placeholders, writer.dropped) == (40, 0, 0)
    assert count(url) == 40


def test_a_store_outage_keeps_the_records_and_retries(tmp_path: Path) -> None:
    url = str(tmp_path / "audit.db")
    with Store.open(url):
        pass
    where = [str(tmp_path)]  # a directory, not a database: the store cannot be opened
    writer = AuditWriter(lambda: Store.open(where[0]), 365)
    writer.start()
    for i in range(30):
        writer.put(rec(i))
    time.sleep(1.0)
    assert writer.written == 0 and writer.dropped == 0  # kept, not lost nor written
    where[0] = url  # the store is back
    deadline = time.monotonic() + 15
    while writer.written < 30 and time.monotonic() < deadline:
        time.sleep(0.1)
    writer.stop()
    assert (writer.written, writer.dropped) == (30, 0) and count(url) == 30


def test_presented_key_ids() -> None:
    assert presented_key_id("ApiKey dk_ab12cd34_secret") == "ab12cd34"
    assert presented_key_id("Bearer dk_ab12cd34_") == "ab12cd34"
    for header in (None, "", "ApiKey", "ApiKey nope", "ApiKey dk__x", "ApiKey dk_a\ud800_x",
                   "Basic dk_" + "a" * 40 + "_x"):
        assert presented_key_id(header) is None, header


def test_search_entities_suggest_and_refusals_are_logged(small_store: tuple[str, Keys]
                                                          ) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            assert (await client.get("/search/default", params={"q": "putin"})).is_success
            assert (await client.get("/entities/ofac-1")).is_success
            assert (await client.get("/entities/nope")).status_code == 404
            suggest = await client.get("/reconcile/default/suggest/entity",
                                       params={"prefix": "kim"})
            assert suggest.is_success
            assert (await client.get("/audit")).status_code == 403
            assert (await client.get("/catalog")).is_success  # not screening: not logged
            assert (await client.get("/catalog", headers={
                "Authorization": "ApiKey dk_feedbeef_wrong"})).status_code == 401
            assert (await client.get("/healthz", headers={"Authorization": ""})).is_success
    asyncio.run(go())
    with Store.open(url) as store:
        screen_id = next(k.id for k in list_keys(store.db) if k.name == "screen")
        rows = sorted(read_audit(store.db, limit=100), key=lambda r: r.endpoint)
    got = [(r.key_id, r.endpoint, r.status) for r in rows]
    assert sorted(got) == sorted([
        (screen_id, "search", 200), (screen_id, "entities", 200),
        (screen_id, "entities", 404), (screen_id, "suggest", 200),
        (screen_id, "audit", 403), ("anonymous", "catalog", 401)])
    by = {(r.endpoint, r.status): r for r in rows}
    assert sorted(by["search", 200].results["ids"]) == ["ofac-1", "un-2"]
    assert by["search", 200].request == {"params": {"q": "putin"}}
    assert by["suggest", 200].results == {"ids": ["un-1"]}
    assert by["entities", 404].request["path"] == "/entities/nope"
    # No key has the id feedbeef: it is noted as claimed, never written as a key id.
    assert by["catalog", 401].request["key"] == "unknown"
    assert by["catalog", 401].request["claimed_key_id"] == "feedbeef"
    assert "unknown" in by["catalog", 401].request["detail"]
    assert by["audit", 403].request["key"] == "verified"


def test_an_unwritable_journal_directory_means_back_pressure_not_a_crash(tmp_path: Path
                                                                         ) -> None:
    url = str(tmp_path / "audit.db")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    writer = writer_for(url, capacity=10, journal=blocker / "sub" / "journal")
    writer.start()
    with writer._cond:
        for i in range(30):
            writer.put(rec(i))
    writer.stop()
    assert (writer.written, writer.dropped) == (30, 0) and writer.waited >= 1
    assert count(url) == 30
