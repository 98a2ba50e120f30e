"""GET /search, /entities, /catalog, /algorithms, /readyz and discreet's own endpoints."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from discreet.api import holder as holder_module
from discreet.api.index import Generation, build_generation
from discreet.store import ParsedList, Store
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client, load_entities, person


def test_search_filters_and_facets(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            data = (await client.get("/search/default", params={"q": "vlad"})).json()
            assert {r["id"] for r in data["results"]} == {"ofac-1", "un-2"}
            assert data["total"] == {"value": 2, "relation": "eq"}
            facets = {v["name"]: v["count"] for v in data["facets"]["datasets"]["values"]}
            assert facets == {"us_ofac_sdn": 1, "un_sc_sanctions": 1}
            only = (await client.get("/search/default",
                                     params={"q": "vlad", "countries": ["ru"]})).json()
            assert [r["id"] for r in only["results"]] == ["ofac-1"]
            orgs = (await client.get("/search/un_sc_sanctions",
                                     params={"schema": "Organization"})).json()
            assert [r["id"] for r in orgs["results"]] == ["un-3"]
            page = (await client.get("/search/default",
                                     params={"limit": 2, "offset": 2})).json()
            assert len(page["results"]) == 2 and page["total"]["value"] == 7
            assert page["offset"] == 2
    asyncio.run(go())


def test_entity_fetch_and_404(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            entity = (await client.get("/entities/un-1")).json()
            assert entity["caption"] == "KIM JONG UN" and entity["schema"] == "Person"
            assert entity["properties"]["birthDate"] == ["1984-01-08"]
            assert entity["first_seen"] and entity["last_seen"]
            missing = await client.get("/entities/nobody")
            assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    asyncio.run(go())


def test_seen_dates_are_the_lists_dates_not_load_times(sqlite_url: str) -> None:
    """first_seen / last_seen / last_change come from the versions' as-of dates: a list
    published in 2024 and loaded today was not first seen today."""
    with Store.open(sqlite_url) as store:
        for published, name in (("2024-05-02", "Ivan PETROV"), ("2024-05-03", "Ivan PETROVV")):
            entity = person("eu-1", name, "eu_fsf")
            records = {entity.id: (entity.content_hash(), entity.to_json())}
            store.write(ParsedList(source="eu_fsf", authority="EU", format="test",
                                   file_name=f"{published}.json", sha256=published * 2,
                                   published=published, records=records), force=True)

    async def go() -> None:
        async with api_client(make_app(sqlite_url, auth=False)) as client:
            entity = (await client.get("/entities/eu-1")).json()
            assert entity["first_seen"].startswith("2024-05-02")
            assert entity["last_change"].startswith("2024-05-03")
            assert entity["last_seen"].startswith("2024-05-03")
    asyncio.run(go())


def test_catalog_algorithms_ready(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            assert (await client.get("/readyz")).json() == {"status": "ok"}
            cat = (await client.get("/catalog")).json()
            by_name = {d["name"]: d for d in cat["datasets"]}
            assert by_name["us_ofac_sdn"]["load"] and by_name["us_ofac_sdn"]["entity_count"] == 4
            assert by_name["eu_fsf"]["load"] is False
            assert by_name["default"]["children"] == ["un_sc_sanctions", "us_ofac_sdn"]
            assert {"sanctions", "gb_hmt_sanctions", "gb_fcdo_sanctions"} <= set(by_name)
            algos = (await client.get("/algorithms")).json()
            assert algos["best"] == algos["default"] == "discreet-v1"
    asyncio.run(go())


def test_readyz_is_503_before_the_index(small_store: tuple[str, Keys],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url, keys = small_store
    release = threading.Event()

    def slow_build(store: Store, open_store: Callable[[], Store] | None = None) -> Generation:
        release.wait(30)
        return build_generation(store, open_store)
    monkeypatch.setattr(holder_module, "build_generation", slow_build)

    async def go() -> None:
        app = make_app(url)
        async with api_client(app, keys.screen, ready=False) as client:
            r = await client.get("/readyz")
            assert r.status_code == 503 and r.json()["error"] == "not_ready"
            assert r.headers["Retry-After"] == "5"
            r = await client.post("/match/default", json={"queries": {}})
            assert r.status_code == 503
            assert (await client.get("/healthz")).status_code == 200
            release.set()
            assert app.state.services.holder.wait_ready(30)
            assert (await client.get("/readyz")).status_code == 200
    asyncio.run(go())


def test_versions_diff_history_over_http(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    with Store.open(url) as store:
        load_entities(store, "un_sc_sanctions", [
            person("un-1", "KIM JONG UN", "un_sc_sanctions", "1984-01-08", "kp"),
            person("un-9", "NEW PERSON", "un_sc_sanctions")])

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            active = (await client.get("/versions")).json()
            assert {(v["source"], v["version"]) for v in active} == {
                ("us_ofac_sdn", 1), ("un_sc_sanctions", 2)}
            every = (await client.get("/versions", params={"all": "true"})).json()
            assert len(every) == 3
            diff = (await client.get("/diff/un_sc_sanctions")).json()
            assert diff["added"] == ["un-9"] and set(diff["removed"]) == {"un-2", "un-3"}
            hist = (await client.get("/entities/un-2/history")).json()
            assert [e["event"] for e in hist] == ["listed", "delisted"]
            gone = (await client.get("/entities/un-2")).json()
            assert gone["target"] is False
            assert (await client.get("/diff/nothing")).status_code == 404
    asyncio.run(go())
