"""The audit hash chain on real stores (a SQLite file, a PostgreSQL database).

Each way of tampering (an edited, deleted, swapped or inserted record, a cut tail, a
rewritten tail, an edited segment summary) is done with plain SQL on the stored rows, as
someone with write access to the database would, and ``verify`` must name the first bad
record. Appenders in several processes and threads at once must give one chain with no
gap and no fork; pruning must leave what remains verifiable.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from discreet.store import Store
from discreet.store.audit import AuditRecord, write_audit
from discreet.store.chain import GENESIS, Anchor, record_hash
from discreet.store.db import open_database
from discreet.store.schema import MIGRATIONS
from tests.store.helpers import parsed_list, person


def api(i: int, at: str | None = None) -> AuditRecord:
    return AuditRecord(f"r{i:05d}", at or f"2026-01-01T00:00:{i % 60:02d}.000+00:00", "k1",
                       "match", "default", 200, {"q": {"name": [f"Name {i}"]}},
                       {"us_ofac_sdn": 3}, {"q": [["ofac-1", 0.9]]})


def filled(url: str, n: int = 10) -> Store:
    """A store with ``n`` records: API requests and events, alternately."""
    store = Store.open(url)
    for i in range(1, n + 1):
        if i % 2:
            write_audit(store.db, [api(i)])
        else:
            store.append_audit("review.decide", f"user{i}", {"alert": i, "decision": "fp"})
    return store


def fields(store: Store, seq: int) -> tuple[object, ...]:
    return store.db.query("SELECT id, at, kind, key_id, endpoint, dataset, status, request, "
                          "versions, results, prev_hash, hash FROM audit_log WHERE seq = ?",
                          (seq,))[0]


def test_an_untouched_chain_verifies_and_links_every_record(store_url: str) -> None:
    with filled(store_url) as store:
        records = list(store.audit_chain())
        assert [r.seq for r in records] == list(range(1, 11))
        assert records[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
        assert records[1].kind == "event" and records[1].actor == "user2"
        assert records[1].request == {"alert": 2, "decision": "fp"}
        verdict = store.verify_audit(store.audit_anchor())
        assert verdict.ok and verdict.checked == 10 and verdict.head == 10, verdict.line()
        assert store.audit_anchor().seq == 10


@pytest.mark.parametrize("column, value", [("request", '{"q":{"name":["Someone Else"]}}'),
                                           ("at", "2025-01-01T00:00:00.000+00:00"),
                                           ("status", 403), ("key_id", "k2"),
                                           ("kind", "event")])
def test_an_edited_record_is_named(store_url: str, column: str, value: object) -> None:
    with filled(store_url) as store:
        store.db.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = 5", (value,))
        verdict = store.verify_audit()
        assert not verdict.ok and verdict.bad_seq == 5 and "edited" in verdict.reason
        assert verdict.line().startswith("record 5: edited")


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(store_url: str) -> None:
    with filled(store_url) as store:
        row = list(fields(store, 4))
        row[7] = '{"alert":4,"decision":"true match"}'
        digest = record_hash(str(row[10]), 4, row[:10])
        store.db.execute("UPDATE audit_log SET request = ?, hash = ? WHERE seq = 4",
                         (row[7], digest))
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 4)
        assert "replaced: record 5 was chained to another" in verdict.reason


@pytest.mark.parametrize("gone", [[1], [6], [3, 4, 5]])
def test_a_deleted_record_is_named(store_url: str, gone: list[int]) -> None:
    with filled(store_url) as store:
        for seq in gone:
            store.db.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
        verdict = store.verify_audit()
        assert not verdict.ok and verdict.bad_seq == gone[0]
        assert "missing (deleted)" in verdict.reason


@pytest.mark.parametrize("a, b", [(3, 4), (2, 9)])
def test_two_swapped_records_are_named(store_url: str, a: int, b: int) -> None:
    with filled(store_url) as store:
        # Swap the positions (sequence numbers) of two records: the order is what changed.
        store.db.execute("UPDATE audit_log SET seq = -1 WHERE seq = ?", (a,))
        store.db.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", (a, b))
        store.db.execute("UPDATE audit_log SET seq = ? WHERE seq = -1", (b,))
        verdict = store.verify_audit()
        assert not verdict.ok and verdict.bad_seq == a, verdict.line()


def test_swapped_contents_with_their_own_hashes_recomputed_are_named(store_url: str) -> None:
    with filled(store_url) as store:
        three, four = fields(store, 3), fields(store, 4)
        for seq, row in ((3, four), (4, three)):  # each takes the other's content
            prev = str(fields(store, seq)[10])
            new = (f"x{seq}", *row[1:10])
            digest = record_hash(prev, seq, new)
            store.db.execute("UPDATE audit_log SET id = ?, at = ?, kind = ?, key_id = ?, "
                             "endpoint = ?, dataset = ?, status = ?, request = ?, "
                             "versions = ?, results = ?, hash = ? WHERE seq = ?",
                             (*new, digest, seq))
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 3), verdict.line()
        assert "replaced" in verdict.reason


def test_a_truncated_tail_is_named_by_the_head_and_by_an_anchor(store_url: str) -> None:
    with filled(store_url) as store:
        pin = store.audit_anchor()
        store.db.execute("DELETE FROM audit_log WHERE seq > 7")
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 8)
        assert "truncated tail" in verdict.reason
        # Whoever cut the tail also moved the head back: only the anchor knows.
        row = fields(store, 7)
        store.db.execute("UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", (row[11],))
        assert store.verify_audit().ok
        verdict = store.verify_audit(pin)
        assert (verdict.ok, verdict.bad_seq) == (False, 8)
        assert "the anchor says it reached 10" in verdict.reason


def test_a_rewritten_tail_is_caught_by_the_anchor(store_url: str) -> None:
    """Every hash recomputed from record 3 on: self-consistent, but not the anchored chain."""
    with filled(store_url) as store:
        pin = store.audit_anchor()
        prev = str(fields(store, 2)[11])
        for seq in range(3, 11):
            row = list(fields(store, seq))
            if seq == 3:
                row[3] = "someone-else"
            digest = record_hash(prev, seq, row[:10])
            store.db.execute("UPDATE audit_log SET key_id = ?, prev_hash = ?, hash = ? "
                             "WHERE seq = ?", (row[3], prev, digest, seq))
            prev = digest
        store.db.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (prev,))
        assert store.verify_audit().ok
        verdict = store.verify_audit(pin)
        assert (verdict.ok, verdict.bad_seq) == (False, 10) and "anchor" in verdict.reason
        # An anchor taken earlier, of a record inside the rewritten part, also catches it.
        older = Anchor(5, str(pin.hash))
        assert store.verify_audit(older).bad_seq == 5


def test_a_record_inserted_outside_the_chain_is_named(store_url: str) -> None:
    with filled(store_url) as store:
        store.db.execute("INSERT INTO audit_log (id, at, key_id, endpoint, dataset, status, "
                         "request, versions, results) VALUES ('forged', '2026-01-01', 'k', "
                         "'match', '', 200, '{}', '{}', '{}')")
        verdict = store.verify_audit()
        assert not verdict.ok and "forged" in verdict.reason and "outside" in verdict.reason


def test_a_record_chained_past_the_head_is_named(store_url: str) -> None:
    """A well-formed record 11 linked to 10, but written without the head: not appended."""
    with filled(store_url) as store:
        row = list(fields(store, 10))
        new = ("appended", *row[1:10])
        store.db.execute("INSERT INTO audit_log (seq, id, at, kind, key_id, endpoint, dataset, "
                         "status, request, versions, results, prev_hash, hash) VALUES "
                         "(11, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (*new, row[11], record_hash(str(row[11]), 11, new)))
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 11) and "outside" in verdict.reason


def test_store_events_are_chained(store_url: str) -> None:
    """List loads (new versions only), key creation and revocation join the chain."""
    with Store.open(store_url) as store:
        store.write(parsed_list([person(1, "Ann Example"), person(2, "Bob Example")],
                                published="2026-01-01"))
        store.write(parsed_list([person(1, "Ann Example"), person(2, "Bob Example")],
                                published="2026-01-02"))  # unchanged: no new version
        key, secret = store.create_key("crm", ("screen",), 60, by="admin@bank")
        store.revoke_key(key.id, by="admin@bank")
        store.revoke_key(key.id, by="admin@bank")  # already revoked: nothing happened
        events = [r for r in store.audit_chain() if r.kind == "event"]
        assert [e.endpoint for e in events] == ["list.load", "key.create", "key.revoke"]
        load = events[0].request
        assert (load["source"], load["version"], load["as_of"]) == ("test_list", 1,
                                                                     "2026-01-01")
        assert len(load["content_hash"]) == 64 and load["entities"] == 2
        assert events[1].actor == "admin@bank" and events[1].request["scopes"] == ["screen"]
        assert secret not in str(events[1].to_dict())
        assert events[2].request["key_id"] == key.id
        assert store.read_audit() == []  # the API's view: requests only
        assert store.verify_audit().ok


def test_same_as_decisions_are_chained_in_their_transaction(store_url: str) -> None:
    """An analyst's decision on a same-as link is a chain event (who, pair, status, note);
    a refused decision leaves neither a decision nor an event."""
    from discreet.errors import ConfigError, NotFoundError
    from discreet.store import SameAs

    with Store.open(store_url) as store:
        store.replace_proposed_links([SameAs("ofac-1", "un-1", "identifier", 0.99, ("x",)),
                                      SameAs("eu-2", "gb-3", "name", 0.8, ("y",))])
        store.decide_link("un-1", "ofac-1", "rejected", by=" Ana  Lyst ", note="other  man")
        store.decide_link("eu-2", "gb-3", "confirmed", by="bo@bank")
        with pytest.raises(NotFoundError):
            store.decide_link("eu-9", "un-9", "confirmed", by="bo@bank")
        with pytest.raises(ConfigError):
            store.decide_link("eu-2", "gb-3", "maybe", by="bo@bank")
        events = [r for r in store.audit_chain() if r.kind == "event"]
        assert [(e.endpoint, e.actor, e.request) for e in events] == [
            ("link.decide", "Ana Lyst", {"a": "ofac-1", "b": "un-1", "status": "rejected",
                                         "note": "other man"}),
            ("link.decide", "bo@bank", {"a": "eu-2", "b": "gb-3", "status": "confirmed",
                                        "note": None})]
        assert len(store.link_decisions()) == 2
        assert store.verify_audit().ok


def test_an_event_joins_the_transaction_it_is_appended_in(store_url: str) -> None:
    """An append inside a caller's transaction commits or rolls back with it."""
    with Store.open(store_url) as store:
        store.append_audit("user.create", "admin", {"user": "ann"})
        with pytest.raises(RuntimeError), store.db.transaction():
            store.append_audit("user.create", "admin", {"user": "bob"})
            raise RuntimeError("the caller's change failed")
        with store.db.transaction():
            store.append_audit("role.grant", "admin", {"user": "ann", "role": "reviewer"})
        names = [(r.seq, r.endpoint) for r in store.audit_chain()]
        assert names == [(1, "user.create"), (2, "role.grant")]
        assert store.verify_audit().ok


def test_a_duplicate_id_fails_the_whole_append_and_a_replay_skips_it(store_url: str) -> None:
    with Store.open(store_url) as store:
        write_audit(store.db, [api(1), api(2)])
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            write_audit(store.db, [api(3), api(2)])
        from discreet.store.audit import encode_audit

        store.write_audit_rows([encode_audit(api(2)), encode_audit(api(3)),
                                encode_audit(api(3))], skip_existing=True)
        assert [r.id for r in store.audit_chain()] == ["r00001", "r00002", "r00003"]
        assert store.verify_audit().ok


APPENDER = """
import sys, threading
from discreet.store import Store
from discreet.store.audit import AuditRecord, write_audit
url, tag = sys.argv[1], sys.argv[2]
def work(t):
    with Store.open(url) as store:
        for i in range(25):
            if i % 2:
                store.append_audit("test.event", f"{tag}-{t}", {"i": i})
            else:
                write_audit(store.db, [AuditRecord(f"{tag}-{t}-{i}-{j}", "2026-01-01", "k",
                            "match", "", 200, {}, {}, {}) for j in range(3)])
threads = [threading.Thread(target=work, args=(t,)) for t in range(3)]
for th in threads: th.start()
for th in threads: th.join()
"""


def test_concurrent_appenders_give_one_unforked_chain(store_url: str) -> None:
    """Four processes of three threads each, each with its own connection, append at once
    (on a fresh store, so the migrations race too)."""
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, store_url, f"p{n}"],
                              stderr=subprocess.PIPE, text=True) for n in range(4)]
    errors: list[BaseException] = []

    def here() -> None:
        try:
            with Store.open(store_url) as store:
                for i in range(20):
                    store.append_audit("test.event", "main", {"i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)

    local = threading.Thread(target=here)
    local.start()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    local.join()
    assert not errors
    per_thread = 12 + 13 * 3  # 12 events and 13 batches of 3 API records
    with Store.open(store_url) as store:
        records = list(store.audit_chain())
        assert len(records) == 4 * 3 * per_thread + 20
        assert [r.seq for r in records] == list(range(1, len(records) + 1))
        assert len({r.prev_hash for r in records}) == len(records)  # no two share a parent
        verdict = store.verify_audit(store.audit_anchor())
        assert verdict.ok and verdict.checked == len(records), verdict.line()


def test_prune_removes_whole_segments_and_the_rest_still_verifies(store_url: str) -> None:
    with Store.open(store_url) as store:
        days = [1, 2, 3, 2, 5, 6, 7, 8]  # record 4 is older than record 3: it waits for it
        write_audit(store.db, [api(i, f"2026-01-0{d}T00:00:00.000+00:00")
                               for i, d in enumerate(days, 1)])
        pin = store.audit_anchor()
        second = Anchor(2, str(fields(store, 2)[11]))
        assert store.prune_audit("2026-01-03") == 2  # records 1-2; 3 is kept, so 4 too
        assert store.prune_audit("2026-01-03") == 0
        assert [r.seq for r in store.audit_chain()][:3] == [3, 4, 5]
        verdict = store.verify_audit(pin)
        assert verdict.ok and verdict.pruned == 2, verdict.line()
        assert store.prune_audit("2026-01-06") == 3  # records 3-5
        # The prune events (records 9 and 10) are stamped now: they stay.
        assert [r.seq for r in store.audit_chain()] == [6, 7, 8, 9, 10]
        verdict = store.verify_audit(pin)
        assert verdict.ok and verdict.pruned == 5 and verdict.checked == 5, verdict.line()
        assert "inside a pruned segment" in store.verify_audit(Anchor(4, pin.hash)).line()
        assert store.verify_audit(second).ok  # a segment's end keeps its hash
        assert store.verify_audit(Anchor(2, pin.hash)).bad_seq == 2
        # The summary of a segment is itself chained and recorded: an edit is named.
        store.db.execute("UPDATE audit_segment SET last_hash = ? WHERE first_seq = 3",
                         ("f" * 64,))
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 3) and "segment" in verdict.reason


def test_prune_then_deleting_a_kept_record_is_still_named(store_url: str) -> None:
    with Store.open(store_url) as store:
        write_audit(store.db, [api(i, f"2026-01-0{i}T00:00:00.000+00:00")
                               for i in range(1, 8)])
        store.prune_audit("2026-01-04")
        store.db.execute("DELETE FROM audit_log WHERE seq = 4")
        verdict = store.verify_audit()
        assert (verdict.ok, verdict.bad_seq) == (False, 4) and "missing" in verdict.reason


def test_rows_from_before_the_chain_are_sealed_in_time_order(tmp_path: Path) -> None:
    """A store at migration 0005 with audit rows: 0006 adds the chain, the first append
    (or ``audit seal``) chains the old rows in (time, id) order, then the new one."""
    path = tmp_path / "old.db"
    db = open_database(path)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, sql in MIGRATIONS[:5]:
        assert isinstance(sql, str)  # the first migrations are SQL scripts
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (name,))
    for i, day in ((1, 3), (2, 1), (3, 2)):
        db.execute("INSERT INTO audit_log (id, at, key_id, endpoint, dataset, status, request, "
                   "versions, results) VALUES (?, ?, 'k', 'match', '', 200, '{}', '{}', '{}')",
                   (f"old{i}", f"2025-06-0{day}"))
    db.close()
    with Store.open(path) as store:
        verdict = store.verify_audit()
        assert verdict.ok and "not sealed" in verdict.line()
        store.append_audit("test.event", "me", {})
        assert [r.id for r in store.audit_chain()][:3] == ["old2", "old3", "old1"]
        verdict = store.verify_audit()
        assert verdict.ok and verdict.checked == 4, verdict.line()
