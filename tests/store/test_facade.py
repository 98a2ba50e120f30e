"""The Store facade's keys and audit-log methods: what the HTTP service uses instead of
reaching into ``store.db`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from discreet.errors import ConfigError, NotFoundError
from discreet.store import Store
from discreet.store.audit import AuditRecord, encode_audit, now_iso


def test_keys_through_the_facade(store_url: str) -> None:
    with Store.open(store_url) as store:
        record, secret = store.create_key("crm", ("screen", "admin"), rate_limit=60)
        other, _ = store.create_key("batch")
        assert {k.id for k in store.list_keys()} == {record.id, other.id}
        found = store.find_key(secret)
        assert found is not None and (found.id, found.scopes, found.rate_limit) == (
            record.id, ("screen", "admin"), 60)
        assert store.find_key(secret[:-1]) is None
        assert store.revoke_key(record.id).revoked_at is not None
        assert store.find_key(secret) is None
        assert [k.id for k in store.list_keys()] == [other.id]
        assert len(store.list_keys(include_revoked=True)) == 2
        with pytest.raises(NotFoundError):
            store.revoke_key("nope")
        with pytest.raises(ConfigError):
            store.create_key("x", ("root",))


def _record(i: int, at: str) -> AuditRecord:
    return AuditRecord(f"id{i}", at, "k1" if i % 2 else "k2", "match", "default", 200,
                       {"q": i}, {"un_sc_sanctions": 1}, {})


def test_audit_through_the_facade(store_url: str) -> None:
    with Store.open(store_url) as store:
        rows = [encode_audit(_record(i, f"2026-02-0{i}T00:00:00.000+00:00")) for i in (1, 2, 3)]
        store.write_audit_rows(rows)
        # A replayed record keeps the stored one; a new one beside it is written.
        replayed = encode_audit(AuditRecord("id1", "2026-02-09T00:00:00.000+00:00", "k9",
                                            "match", "default", 500, {}, {}, {}))
        store.write_audit_rows([replayed, encode_audit(_record(4, now_iso()))],
                               skip_existing=True)
        newest = store.read_audit()
        assert [r.id for r in newest] == ["id4", "id3", "id2", "id1"]
        assert newest[-1].status == 200 and newest[-1].key_id == "k1"
        assert [r.id for r in store.read_audit(key_id="k1")] == ["id3", "id1"]
        assert [r.id for r in store.read_audit(since="2026-02-02", limit=2)] == ["id4", "id3"]
        assert store.prune_audit("2026-02-03") == 2
        assert store.prune_audit("2026-02-03") == 0
        assert [r.id for r in store.read_audit()] == ["id4", "id3"]
