"""``topics`` on /match and /search: a view of the one index, as yente reads the parameter
(any of the topics, compared exactly, any string accepted), and every result labelled with
the topics it carries (FtM ``topics``), so a client tells a PEP from a sanction.

The store holds an FtM export mixing sanction, role.pep and crime entities (read by the real
parser, tests/match/test_topics.py), the UN fixture (an official list: no topics stated,
so ``sanction``) and a firm's own watchlist (no topic).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from discreet.cli import cli
from discreet.errors import ConfigError
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import make_app
from tests.api.helpers import api_client, load_entities
from tests.match.test_topics import mixed_entities

IVAN = {"schema": "Person", "properties": {"name": ["Ivan Petrov"]}}


def _store(tmp_path: Path) -> tuple[str, str]:
    url = str(tmp_path / "topics.db")
    entities = mixed_entities(tmp_path)
    with Store.open(url) as store:
        for source in sorted({e.source for e in entities}):
            load_entities(store, source, [e for e in entities if e.source == source])
        key = create_key(store.db, "screen", ("screen",))[1]
    return url, key


async def _match(client: httpx.AsyncClient, body: Any = None,
                 **params: Any) -> tuple[int, Any]:
    r = await client.post("/match/default", json=body or {"queries": {"q": IVAN}},
                          params={"cutoff": 0.5, "limit": 20, **params})
    return r.status_code, r.json()


def _found(data: Any) -> dict[str, tuple[float, list[str]]]:
    return {r["id"]: (r["score"], r["properties"].get("topics", []))
            for r in data["responses"]["q"]["results"]}


def test_match_filters_by_topic_with_the_same_scores(tmp_path: Path) -> None:
    url, key = _store(tmp_path)

    async def go() -> None:
        async with api_client(make_app(url), key) as client:
            status, data = await _match(client)
            assert status == 200
            whole = _found(data)
            assert {"os-ivan", "os-ivana", "os-both", "os-plain"} <= set(whole)
            # every result says what it carries: the label of a PEP, of a sanction
            assert whole["os-ivana"][1] == ["role.pep"]
            assert whole["os-ivan"][1] == ["sanction"]
            assert whole["os-both"][1] == ["role.pep", "sanction"]
            assert whole["os-plain"][1] == []  # the publisher stated no topic
            for topics in (["sanction"], ["role.pep"], ["role.pep", "crime"]):
                status, data = await _match(client, topics=topics)
                seen = _found(data)
                assert status == 200 and seen, topics
                assert all(set(t) & set(topics) for _, t in seen.values()), (topics, seen)
                for eid, (score, _) in seen.items():
                    assert score == whole[eid][0]  # one index, one rarity table
                assert {e for e, (_, t) in whole.items() if set(t) & set(topics)} <= set(seen)
            _, pep = await _match(client, topics=["role.pep"])
            assert "os-ivan" not in _found(pep) and "os-former" not in _found(pep)
    asyncio.run(go())


def test_official_lists_carry_sanction(tmp_path: Path) -> None:
    url, key = _store(tmp_path)
    un = {"schema": "Person", "properties": {"name": ["ABDUL RAHMAN YASIN"]}}

    async def go() -> None:
        async with api_client(make_app(url), key) as client:
            _, data = await _match(client, {"queries": {"q": un}}, topics=["sanction"])
            top = data["responses"]["q"]["results"][0]
            assert top["properties"]["topics"] == ["sanction"]
            _, none = await _match(client, {"queries": {"q": un}}, topics=["role.pep"])
            assert all(r["id"] != top["id"] for r in none["responses"]["q"]["results"])
    asyncio.run(go())


def test_unknown_blank_and_bad_topics(tmp_path: Path) -> None:
    """Any topic string is accepted, as yente accepts it: one nobody carries gives no
    results, not an error; blanks are no topic; values over the limits are a 422."""
    url, key = _store(tmp_path)

    async def go() -> None:
        async with api_client(make_app(url), key) as client:
            status, data = await _match(client, topics=["no.such.topic"])
            assert status == 200 and data["responses"]["q"]["results"] == []
            status, data = await _match(client, topics=["ROLE.PEP"])  # exact, as yente
            assert status == 200 and data["responses"]["q"]["results"] == []
            _, whole = await _match(client)
            status, blank = await _match(client, topics=[" "])
            assert status == 200 and _found(blank) == _found(whole)
            for bad in (["x" * 201], [f"t{i}" for i in range(101)]):
                status, data = await _match(client, topics=bad)
                assert status == 422 and data["fields"], data
                r = await client.get("/search/default", params={"q": "ivan", "topics": bad})
                assert r.status_code == 422
            status, data = await _match(client, topics=["sanction\x01", "é" * 50])
            assert status in (200, 400, 422), data  # never a 500
            if status == 200:
                assert data["responses"]["q"]["results"] == []
    asyncio.run(go())


def test_search_filters_labels_and_counts_topics(tmp_path: Path) -> None:
    url, key = _store(tmp_path)

    async def go() -> None:
        async with api_client(make_app(url), key) as client:
            every = (await client.get("/search/default", params={"q": "petrov"})).json()
            ids = {r["id"] for r in every["results"]}
            assert {"os-ivan", "os-ivana", "os-both", "os-bank", "os-listed"} <= ids
            facet = {v["name"]: v["count"] for v in every["facets"]["topics"]["values"]}
            assert facet["sanction"] == 3  # os-ivan, os-both, os-listed (a Sanction)
            assert facet["role.pep"] == 2 and facet["sanction.linked"] == 1
            pep = (await client.get("/search/default",
                                    params={"q": "petrov", "topics": ["role.pep"]})).json()
            assert {r["id"] for r in pep["results"]} == {"os-ivana", "os-both"}
            assert all("role.pep" in r["properties"]["topics"] for r in pep["results"])
            none = (await client.get("/search/default",
                                     params={"q": "petrov", "topics": ["nobody"]})).json()
            assert none["results"] == [] and none["total"]["value"] == 0
            one = (await client.get("/entities/os-plain")).json()
            assert "topics" not in one["properties"]
            listed = (await client.get("/entities/os-listed")).json()
            assert listed["properties"]["topics"] == ["sanction"]
    asyncio.run(go())


def test_cli_match_topic(tmp_path: Path) -> None:
    """``discreet match NAME --topic T`` (repeatable): the same view, each result with its
    topics in --json; a blank topic is refused (a ConfigError: one line, exit status 1)."""
    url, _ = _store(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli, ["--db", url, "match", "Ivan Petrov", "--limit", "20",
                                   "--threshold", "0.5", "--json", *args])

    whole = {r["id"]: r for r in json.loads(run().output)}
    pep = {r["id"]: r for r in json.loads(run("--topic", "role.pep").output)}
    both = {r["id"]: r for r in json.loads(run("--topic", "role.pep", "--topic",
                                                "sanction").output)}
    assert set(pep) == {e for e, r in whole.items() if "role.pep" in r["topics"]}
    assert {"os-ivana", "os-both"} <= set(pep) and "os-ivan" not in pep
    assert {"os-ivan", "os-ivana", "os-both"} <= set(both) and "os-plain" not in both
    assert all(pep[e]["score"] == whole[e]["score"] for e in pep)
    assert json.loads(run("--topic", "nobody").output) == []
    blank = run("--topic", " ")  # a ConfigError: `main` prints it as one line, exit 1
    assert isinstance(blank.exception, ConfigError) and "--topic is blank" in str(
        blank.exception)
