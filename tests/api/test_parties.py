"""The API with same-as links: /match gives one result per party (yente's ``referents`` and
``datasets`` name the other listings; discreet's ``party`` and ``listings`` give each with
its own score), /entities/{id} shows the other listings with the links joining them, and an
analyst's decision on a link brings a new index generation.

Real stores (SQLite; PostgreSQL for the rebuild), the app in process and on a real uvicorn
server on loopback.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from discreet.api.schemas import EntityDetailOut, MatchResponseOut
from discreet.api.services import refresh_links_after
from discreet.model import Identifier
from discreet.store import SameAs, Store
from discreet.store.apikeys import create_key
from tests.api.conftest import make_app
from tests.api.helpers import api_client, live_server, load_entities, person

PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}
PARTY = {"ofac-1", "eu-1", "gb-1"}


def _lists(url: str, linked: bool = True) -> str:
    """Putin listed by OFAC, the EU and the UK (linked: ofac-1 = eu-1 = gb-1); a Putinov
    listed by the UN; a key to screen with."""
    with Store.open(url) as store:
        load_entities(store, "us_ofac_sdn", [
            person("ofac-1", "Vladimir Vladimirovich PUTIN", "us_ofac_sdn", "1952-10-07", "ru"),
            person("ofac-2", "Viktor Fedorovych YANUKOVYCH", "us_ofac_sdn", "1950", "ua")])
        load_entities(store, "eu_fsf", [
            person("eu-1", "Vladimir Vladimirovich Putin", "eu_fsf", "1952-10-07", "ru"),
            person("eu-2", "Sergei Viktorovich LAVROV", "eu_fsf", "1950", "ru")])
        load_entities(store, "gb_fcdo_sanctions", [
            person("gb-1", "Vladimir PUTIN", "gb_fcdo_sanctions", "1952", "ru")])
        load_entities(store, "un_sc_sanctions", [
            person("un-2", "Vladimir PUTINOV", "un_sc_sanctions", "1960", "by")])
        if linked:
            store.replace_proposed_links([
                SameAs("ofac-1", "eu-1", "identifier", 0.99, ("passport 123 on both",)),
                SameAs("eu-1", "gb-1", "name", 0.9, ("same name, birth date, nationality",))])
        return create_key(store.db, "screen", ("screen",))[1]


def _match(client: httpx.AsyncClient, dataset: str, body: dict[str, Any],
           **params: Any) -> Any:
    async def go() -> Any:
        r = await client.post(f"/match/{dataset}", json={"queries": {"q": body}},
                              params=params)
        assert r.status_code == 200, r.text
        MatchResponseOut.model_validate(r.json())
        return r.json()["responses"]["q"]["results"]
    return go()


def test_match_gives_one_result_per_party(sqlite_url: str) -> None:
    key = _lists(sqlite_url)

    async def go() -> None:
        async with api_client(make_app(sqlite_url), key) as client:
            results = await _match(client, "default", PUTIN, cutoff=0.3, limit=10)
            ids = [r["id"] for r in results]
            assert len(PARTY & set(ids)) == 1 and "un-2" in ids
            [top] = [r for r in results if r["id"] in PARTY]
            assert top is results[0] and top["match"] is True
            assert set(top["referents"]) == PARTY - {top["id"]}
            assert top["datasets"][0] == {"ofac-1": "us_ofac_sdn", "eu-1": "eu_fsf",
                                          "gb-1": "gb_fcdo_sanctions"}[top["id"]]
            assert set(top["datasets"]) == {"us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions"}
            assert top["party"] == "eu-1"
            listings = top["listings"]
            assert listings[0]["id"] == top["id"]
            assert {x["id"] for x in listings} == PARTY
            assert {x["authority"] for x in listings} == {"US", "EU", "GB"}
            assert all(x["score"] is not None and x["score"] <= top["score"] for x in listings)
            putinov = results[ids.index("un-2")]
            assert putinov["referents"] == [] and "party" not in putinov
            assert putinov["datasets"] == ["un_sc_sanctions"]
            # the limit counts parties: the party, then the next one
            two = await _match(client, "default", PUTIN, cutoff=0.3, limit=2)
            assert [r["id"] for r in two] == [top["id"], "un-2"]
            # a query's several names merge per party
            both = await _match(client, "default", {"schema": "Person", "properties": {
                "name": ["Vladimir Putin"], "alias": ["Wladimir Putin", "Putin"]}},
                cutoff=0.3, limit=10)
            assert len([r for r in both if r["id"] in PARTY]) == 1
            # excluding one listing excludes its party
            excluded = await _match(client, "default", PUTIN, cutoff=0.3, limit=10,
                                    exclude_entity_ids=["gb-1"])
            assert not PARTY & {r["id"] for r in excluded}
    asyncio.run(go())


def test_a_view_shows_its_own_listing_and_names_the_others(sqlite_url: str) -> None:
    key = _lists(sqlite_url)

    async def go() -> None:
        async with api_client(make_app(sqlite_url), key) as client:
            for dataset, own in (("eu_fsf", "eu-1"), ("gb_fcdo_sanctions", "gb-1")):
                results = await _match(client, dataset, PUTIN, cutoff=0.3, limit=10)
                assert {r["datasets"][0] for r in results} == {dataset}
                [top] = results
                assert top["id"] == own and set(top["referents"]) == PARTY - {own}
                scores = {x["id"]: x["score"] for x in top["listings"]}
                assert scores[own] == top["score"]
                assert all(scores[x] is None for x in PARTY - {own})  # outside the view
    asyncio.run(go())


def test_entity_shows_its_other_listings_and_links(sqlite_url: str) -> None:
    key = _lists(sqlite_url)

    async def go() -> None:
        async with api_client(make_app(sqlite_url), key) as client:
            data = (await client.get("/entities/gb-1")).json()
            EntityDetailOut.model_validate(data)
            assert data["id"] == "gb-1" and data["party"] == "eu-1"
            assert set(data["referents"]) == {"ofac-1", "eu-1"}
            assert data["datasets"][0] == "gb_fcdo_sanctions" and len(data["datasets"]) == 3
            listings = {x["id"]: x for x in data["listings"]}
            assert data["listings"][0]["id"] == "gb-1" and listings["gb-1"]["same_as"] == []
            assert listings["ofac-1"]["authority"] == "US"
            assert listings["ofac-1"]["dataset"] == "us_ofac_sdn"
            direct = listings["eu-1"]["same_as"]
            assert [(s["a"], s["b"], s["basis"], s["confidence"], s["status"])
                    for s in direct] == [("eu-1", "gb-1", "name", 0.9, "proposed")]
            # ofac-1 is joined through eu-1: both links of the chain are shown
            chain = listings["ofac-1"]["same_as"]
            assert [(s["a"], s["b"]) for s in chain] == [("eu-1", "gb-1"), ("eu-1", "ofac-1")]
            assert chain[1]["evidence"] == ["passport 123 on both"]
            assert [(s["a"], s["b"]) for s in data["same_as"]] == [("eu-1", "gb-1")]
            lone = (await client.get("/entities/un-2")).json()
            EntityDetailOut.model_validate(lone)
            assert lone["party"] is None and lone["listings"] == [] and lone["same_as"] == []
            assert lone["referents"] == []
    asyncio.run(go())


def test_without_links_match_results_are_unchanged(tmp_path: Any) -> None:
    plain, linked = str(tmp_path / "plain.db"), str(tmp_path / "linked.db")
    keys = {plain: _lists(plain, linked=False), linked: _lists(linked)}

    async def go(url: str) -> Any:
        async with api_client(make_app(url), keys[url]) as client:
            return await _match(client, "default", PUTIN, cutoff=0.3, limit=10)

    before, after = asyncio.run(go(plain)), asyncio.run(go(linked))
    assert all("party" not in r and "listings" not in r and r["referents"] == []
               for r in before)
    assert len(before) == len(after) + 2  # the party's three listings are one result
    def others(results: Any) -> list[dict[str, Any]]:  # the load times of two stores differ
        return [{k: v for k, v in r.items() if k not in {"first_seen", "last_seen",
                                                        "last_change"}}
                for r in results if r["id"] not in PARTY]

    assert others(before) == others(after) and others(before)


def _wait_for(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the index was not rebuilt"
        time.sleep(0.1)


def test_a_decision_on_a_link_rebuilds_the_index(store_url: str) -> None:
    """On a real server: an analyst rejects a link (through the store, as the CLI does), and
    within a poll the answers change; confirming it back joins the party again."""
    key = _lists(store_url)
    app = make_app(store_url)
    with live_server(app) as server, httpx.Client(
            base_url=server.url, headers={"Authorization": f"ApiKey {key}"}) as client:
        holder = app.state.services.holder
        first = holder.current

        def groups() -> set[frozenset[str]]:
            r = client.post("/match/default", json={"queries": {"q": PUTIN}},
                            params={"cutoff": 0.3, "limit": 10})
            assert r.status_code == 200
            return {frozenset({x["id"], *x["referents"]})
                    for x in r.json()["responses"]["q"]["results"]}

        assert frozenset(PARTY) in groups()
        with Store.open(store_url) as store:
            store.decide_link("gb-1", "eu-1", "rejected", by="analyst", note="not him")
        _wait_for(lambda: holder.current is not first)
        assert {frozenset({"ofac-1", "eu-1"}), frozenset({"gb-1"})} <= groups()
        gb = client.get("/entities/gb-1").json()
        assert gb["party"] is None and gb["listings"] == []
        assert [(s["b"], s["status"], s["decided_by"], s["note"]) for s in gb["same_as"]] == \
            [("gb-1", "rejected", "analyst", "not him")]
        second = holder.current
        with Store.open(store_url) as store:
            store.decide_link("gb-1", "eu-1", "confirmed", by="analyst")
        _wait_for(lambda: holder.current is not second)
        assert frozenset(PARTY) in groups()
        status = client.get("/entities/ofac-1").json()["listings"]
        chain = next(x for x in status if x["id"] == "gb-1")["same_as"]
        assert [s["status"] for s in chain] == ["proposed", "confirmed"]
        # nothing changed: no rebuild
        third = holder.current
        time.sleep(1.0)
        assert holder.current is third


def test_the_links_stamp_follows_every_change(store_url: str) -> None:
    """What the index's poll reads instead of every link: it moves with each decision and
    each recomputation that stores other links, and only then."""
    with Store.open(store_url) as store:
        seen = [store.links_stamp()]
        assert store.links_stamp() == seen[0]
        store.replace_proposed_links([SameAs("a-1", "b-1", "name", 0.9, ("x",))])
        seen.append(store.links_stamp())
        store.replace_proposed_links([SameAs("a-1", "b-1", "name", 0.8, ("x",))])
        seen.append(store.links_stamp())
        store.replace_proposed_links([SameAs("a-1", "b-2", "name", 0.8, ("x",))])
        seen.append(store.links_stamp())
        store.replace_proposed_links([SameAs("a-1", "b-2", "name", 0.8, ("x", "y"))])
        seen.append(store.links_stamp())
        store.decide_link("a-1", "b-2", "rejected", by="analyst")
        seen.append(store.links_stamp())
        store.decide_link("a-1", "b-2", "rejected", by="analyst", note="again")
        seen.append(store.links_stamp())
        assert store.links_stamp() == seen[-1]
    assert len(set(seen)) == len(seen)


def test_links_are_recomputed_after_an_update_and_served(sqlite_url: str) -> None:
    """What the serve updater does after loading a new version: refresh_links finds the
    listings one passport joins, and the running index collapses them."""
    with Store.open(sqlite_url) as store:
        key = create_key(store.db, "screen", ("screen",))[1]
        for eid, name, source in (("ofac-7", "Ivan Sergeyevich PETROV", "us_ofac_sdn"),
                                  ("eu-7", "PETROV, Ivan Sergeevich", "eu_fsf")):
            entity = person(eid, name, source, "1961-02-03", "ru")
            entity.identifiers.append(Identifier("passport", "72 0123 4567", "ru"))
            load_entities(store, source, [entity.finish()])
    app = make_app(sqlite_url)
    body = {"schema": "Person", "properties": {"name": ["Ivan Petrov"]}}

    async def go() -> None:
        async with api_client(app, key) as client:
            holder = app.state.services.holder
            before = await _match(client, "default", body, cutoff=0.3)
            assert {r["id"] for r in before} == {"ofac-7", "eu-7"}
            first = holder.current
            with Store.open(sqlite_url) as store:
                assert refresh_links_after(store) is True
                assert [(s.a, s.b, s.basis) for s in store.links()] == [
                    ("eu-7", "ofac-7", "identifier")]
            deadline = time.monotonic() + 30
            while holder.current is first:
                assert time.monotonic() < deadline, "the index was not rebuilt"
                await asyncio.sleep(0.1)
            after = await _match(client, "default", body, cutoff=0.3)
            assert len(after) == 1 and {after[0]["id"], *after[0]["referents"]} == {
                "ofac-7", "eu-7"}
    asyncio.run(go())
