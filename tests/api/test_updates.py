"""New list versions reach a running server without a restart and without a failed request."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from discreet.api import ApiSettings, create_app
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import Keys, make_app, small_lists
from tests.api.helpers import api_client, live_server, load_entities, org, person

ALPHA = {"schema": "Person", "properties": {"name": ["Alpha Onesimus Uno"]}}
BETA = {"schema": "Person", "properties": {"name": ["Beta Twoson Dos"]}}


def version_with(store: Store, name: str) -> None:
    """A new us_ofac_sdn version: the small list plus one person called ``name``."""
    load_entities(store, "us_ofac_sdn", [
        person("ofac-1", "Vladimir Vladimirovich PUTIN", "us_ofac_sdn", "1952-10-07", "ru"),
        org("ofac-2", "BANCO NACIONAL DE CUBA", "us_ofac_sdn", "cu"),
        person("ofac-77", name, "us_ofac_sdn")])


def found(answer: dict[str, Any], key: str) -> bool:
    return any(r["id"] == "ofac-77" for r in answer["responses"][key]["results"])


def test_new_version_is_picked_up_by_polling(store_url: str) -> None:
    with Store.open(store_url) as store:
        small_lists(store)
        key = create_key(store.db, "k", ("screen",))[1]

    async def go() -> None:
        async with api_client(make_app(store_url), key) as client:
            body = {"queries": {"a": ALPHA}}
            first = (await client.post("/match/default", json=body)).json()
            assert not found(first, "a")
            with Store.open(store_url) as writer:  # as `discreet load` would, elsewhere
                version_with(writer, "Alpha Onesimus Uno")
            for _ in range(100):
                answer = (await client.post("/match/default", json=body)).json()
                if found(answer, "a"):
                    break
                await asyncio.sleep(0.1)
            assert found(answer, "a")
            versions = (await client.get("/catalog")).json()
            sdn = next(d for d in versions["datasets"] if d["name"] == "us_ofac_sdn")
            assert sdn["version"] == "2" and sdn["entity_count"] == 3
    asyncio.run(go())


def test_updatez_runs_the_updater_and_reloads(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    calls: list[int] = []

    def updater(store: Store) -> None:
        calls.append(1)
        version_with(store, "Beta Twoson Dos")
    app = create_app(ApiSettings(db=url, poll_seconds=600), updater=updater)

    async def go() -> None:
        async with api_client(app, keys.admin) as client:
            r = await client.post("/updatez", params={"fetch": "true"})
            assert r.status_code == 202 and r.json() == {"status": "accepted"}
            for _ in range(100):
                answer = (await client.post("/match/default",
                                            json={"queries": {"b": BETA}})).json()
                if found(answer, "b"):
                    break
                await asyncio.sleep(0.1)
            assert found(answer, "b") and calls == [1]
    asyncio.run(go())


def _hammer(url: str, key: str, stop: threading.Event, out: list[Any]) -> None:
    body = {"queries": {"a": ALPHA, "b": BETA}}
    with httpx.Client(base_url=url, headers={"Authorization": f"ApiKey {key}"},
                      timeout=30) as client:
        while not stop.is_set():
            r = client.post("/match/us_ofac_sdn", json=body)
            out.append((r.status_code, r.json() if r.status_code == 200 else r.text))


def test_no_failed_or_mixed_answer_during_updates(small_store: tuple[str, Keys]) -> None:
    """Versions alternate between one holding Alpha and one holding Beta while 8 clients
    screen both names in one request: every answer is 200 and has exactly one of them."""
    url, _ = small_store
    with Store.open(url) as store:
        version_with(store, "Alpha Onesimus Uno")
        key = create_key(store.db, "load", ("screen",), rate_limit=10**7)[1]
    app = create_app(ApiSettings(db=url, poll_seconds=0.05))
    results: list[Any] = []
    stop = threading.Event()
    with live_server(app) as server:
        threads = [threading.Thread(target=_hammer, args=(server.url, key, stop,
                                                          results)) for _ in range(8)]
        for t in threads:
            t.start()
        with Store.open(url) as store:
            for i in range(6):
                time.sleep(0.4)
                version_with(store, "Beta Twoson Dos" if i % 2 == 0 else "Alpha Onesimus Uno")
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        swaps = app.state.services.holder.swaps
    assert swaps >= 4, "the index should have been rebuilt for most versions"
    assert results and [r for r in results if r[0] != 200] == []
    mixed = [a for _, a in results if found(a, "a") == found(a, "b")]
    assert mixed == []
    assert any(found(a, "a") for _, a in results) and any(found(a, "b") for _, a in results)


@pytest.mark.postgres
def test_two_workers_share_one_postgres_store(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        small_lists(store)
        key = create_key(store.db, "k", ("screen",))[1]
    apps = [make_app(pg_url), make_app(pg_url)]

    async def go() -> None:
        async with api_client(apps[0], key) as one, api_client(apps[1], key) as two:
            with Store.open(pg_url) as writer:
                version_with(writer, "Alpha Onesimus Uno")
            for client in (one, two):
                for _ in range(100):
                    answer = (await client.post("/match/default",
                                                json={"queries": {"a": ALPHA}})).json()
                    if found(answer, "a"):
                        break
                    await asyncio.sleep(0.1)
                assert found(answer, "a")
    asyncio.run(go())
