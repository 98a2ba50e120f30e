"""store.apikeys and store.audit on SQLite and PostgreSQL, and audit records over HTTP."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from discreet.errors import ConfigError, NotFoundError
from discreet.store import Store
from discreet.store.apikeys import create_key, find_key, hash_key, list_keys, revoke_key
from discreet.store.audit import AuditRecord, prune_audit, read_audit, write_audit
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client


def test_keys_are_stored_hashed(store_url: str) -> None:
    with Store.open(store_url) as store:
        record, secret = create_key(store.db, "crm", ("screen", "admin"), rate_limit=60)
        assert secret.startswith(f"dk_{record.id}_") and len(secret) > 40
        stored = store.db.query("SELECT key_hash FROM api_key")
        assert stored == [(hash_key(secret),)] and secret not in str(stored)
        found = find_key(store.db, secret)
        assert found is not None and found.scopes == ("screen", "admin")
        assert found.rate_limit == 60 and find_key(store.db, secret + "x") is None
        revoked = revoke_key(store.db, record.id)
        assert revoked.revoked_at is not None and not revoked.active
        assert find_key(store.db, secret) is None
        assert list_keys(store.db) == [] and len(list_keys(store.db, include_revoked=True)) == 1
        with pytest.raises(NotFoundError):
            revoke_key(store.db, "nope")
        with pytest.raises(ConfigError):
            create_key(store.db, "x", ("root",))


def test_audit_write_read_prune(store_url: str) -> None:
    with Store.open(store_url) as store:
        records = [AuditRecord(f"id{i}", f"2026-01-0{i}T00:00:00.000+00:00", "k1", "match",
                               "default", 200, {"q": i}, {"us_ofac_sdn": 3},
                               {"a": [["ofac-1", 0.9]]}) for i in range(1, 5)]
        write_audit(store.db, records)
        newest = read_audit(store.db, limit=2)
        assert [r.id for r in newest] == ["id4", "id3"]
        assert newest[0].versions == {"us_ofac_sdn": 3} and newest[0].request == {"q": 4}
        assert len(read_audit(store.db, since="2026-01-03")) == 2
        assert prune_audit(store.db, "2026-01-03") == 2
        assert [r.id for r in read_audit(store.db)] == ["id4", "id3"]


def test_screening_requests_are_audited(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    body = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}

    async def go() -> list[dict[str, Any]]:
        app = make_app(url)
        async with api_client(app, keys.screen) as client:
            assert (await client.post("/match/us_ofac_sdn", json=body)).status_code == 200
        async with api_client(make_app(url), keys.admin) as client:
            for _ in range(50):
                rows: list[dict[str, Any]] = (await client.get("/audit")).json()
                if rows:
                    return rows
                time.sleep(0.1)
        return []
    rows = asyncio.run(go())
    assert len(rows) == 1
    row = rows[0]
    assert row["endpoint"] == "match" and row["dataset"] == "us_ofac_sdn"
    assert row["versions"] == {"us_ofac_sdn": 1, "un_sc_sanctions": 1}
    assert row["results"] == {"a": [["ofac-1", pytest.approx(0.9, abs=0.1), True]]}
    assert row["request"]["queries"]["a"]["properties"]["name"] == ["Vladimir Putin"]
    with Store.open(url) as store:
        screen_id = next(k.id for k in list_keys(store.db) if k.name == "screen")
    assert row["key_id"] == screen_id


def test_audit_can_be_off(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    body = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}}

    async def go() -> None:
        async with api_client(make_app(url, audit=False), keys.screen) as client:
            assert (await client.post("/match/default", json=body)).status_code == 200
    asyncio.run(go())
    with Store.open(url) as store:
        assert read_audit(store.db) == []
