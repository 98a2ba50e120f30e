"""The generation's parts at scale (issue 16): /search, the id table and the seen dates read
the index's lookup arrays, never every entity, and answer exactly as the per-worker dicts
they replace did; the FtM cache is bounded.

Real stores and the real app: the small lists plus generated ones (two versions, so the
seen dates differ), the references recomputed from the decoded entities in the test.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discreet.api import index as index_module
from discreet.api.index import Generation, build_generation, read_seen
from discreet.match.lookup import words
from discreet.match.persist import ENV_DIR, ENV_MODE
from discreet.match.topics import entity_topics
from discreet.model import Entity
from discreet.sources.opensanctions.ftm import ftm_id
from discreet.store import Store
from tests.api.conftest import make_app, small_lists
from tests.api.helpers import api_client, load_entities
from tests.match.test_persist import _generated


@pytest.fixture(autouse=True)
def _own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DIR, raising=False)
    monkeypatch.delenv(ENV_MODE, raising=False)


@pytest.fixture
def url(tmp_path: Path) -> str:
    path = str(tmp_path / "lookup.db")
    with Store.open(path) as store:
        small_lists(store)
        load_entities(store, "test_generated", _generated(900, 11, "test_generated"))
        later = _generated(1000, 11, "test_generated")  # 100 more, the rest unchanged
        load_entities(store, "test_generated", later)
        load_entities(store, "test_other", _generated(300, 5, "test_other"))
    return path


@pytest.fixture
def generation(url: str) -> Iterator[Generation]:
    with Store.open(url) as store:
        yield build_generation(store, lambda: Store.open(url))


def _countries(e: Entity) -> set[str]:
    return {c.lower() for c in (*e.countries, *e.nationalities, *e.citizenships)}


def _reference(gen: Generation, params: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The ids and facet counts the old /search gave (every entity decoded, filtered one
    by one, facets counted with a Counter)."""
    entities = list(gen.entities)
    terms = list(dict.fromkeys(words(params.get("q", ""))))[:12]
    found = []
    for e in entities:
        names = [w for n in e.names for w in words(n.value)]
        names += [i.value.casefold() for i in e.identifiers]
        if not all(any(w.startswith(t) for w in names) for t in terms):
            continue
        if params.get("countries") and not _countries(e) & {params["countries"]}:
            continue
        if params.get("schema") and e.schema != params["schema"] and not (
                params["schema"] == "LegalEntity" and e.schema != "Person"):
            continue
        if params.get("topics") and params["topics"] not in entity_topics(e):
            continue
        found.append(e)
    facets = {"countries": Counter(c for e in found for c in _countries(e)),
              "datasets": Counter(e.source for e in found)}
    return [ftm_id(e.id) for e in found], facets


def test_search_answers_as_the_entities_say(url: str) -> None:
    rng = random.Random(3)
    with Store.open(url) as store:
        gen = build_generation(store)
    names = [n.value for e in gen.entities for n in e.names]
    queries: list[dict[str, Any]] = [{}, {"q": "vlad"}, {"q": "petrov", "countries": "ru"},
                                      {"q": "ivan", "schema": "LegalEntity"},
                                      {"schema": "Person", "topics": "sanction"},
                                      {"q": "trading bank"}, {"q": "zzzq"}]
    queries += [{"q": " ".join(w[:rng.randint(1, len(w))] for w in words(rng.choice(names))[:2])}
                for _ in range(25)]

    async def go() -> None:
        async with api_client(make_app(url, auth=False)) as client:
            for params in queries:
                expected, facets = _reference(gen, params)
                got = (await client.get("/search/default", params={
                    **params, "limit": 500, "facets": ["countries", "datasets"]})).json()
                assert [r["id"] for r in got["results"]] == expected[:500], params
                assert got["total"]["value"] == len(expected)
                counted = {v["name"]: v["count"] for v in got["facets"]["datasets"]["values"]}
                assert sum(counted.values()) == len(expected)
                assert counted == dict(facets["datasets"])
                countries = {v["name"]: v["count"] for v in got["facets"]["countries"]["values"]}
                assert countries == dict(facets["countries"].most_common(30)) or (
                    len(facets["countries"]) > 30)
    asyncio.run(go())


def test_seen_dates_and_ids_without_decoding_every_entity(generation: Generation,
                                                          url: str) -> None:
    generation.warm()
    with Store.open(url) as store:
        expected = read_seen(store, generation.versions)
    entities = generation.matcher.entities
    decoded = getattr(entities, "_decoded", {})
    assert len(decoded) < 50  # warm made the id table and dates, not a million objects
    first: dict[str, int] = {}
    for position in range(len(entities)):
        first.setdefault(generation.lookup.id_at(position), position)
    for eid, position in first.items():
        assert generation.seen.get(eid) == expected[eid]
        assert generation.seen.at(position) == expected[eid]
    later = [eid for eid in first if eid.startswith("test_generated-9")
             and len(eid) == len("test_generated-900")]
    assert later and all(generation.seen[e][0] == expected[e][0] for e in later)
    assert generation.by_id["un-1"].id == "un-1" and "un-1" in generation.by_id
    assert generation.by_id.get("nobody") is None and "nobody" not in generation.by_id
    with pytest.raises(KeyError):
        _ = generation.seen["nobody"]


def test_ftm_cache_is_bounded(generation: Generation,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FTM_KEPT", 20)
    for position in range(100):
        entity = generation.entities[position]
        assert generation.ftm(entity)["id"]
    assert len(generation._ftm) == 20


def test_changed_since_filters_by_the_last_change(url: str) -> None:
    with Store.open(url) as store:
        gen = build_generation(store)
    dates = sorted({gen.seen.at(p)[2] for p in range(len(gen.entities))  # type: ignore[index]
                    if gen.seen.at(p) is not None})
    assert dates

    async def go() -> None:
        async with api_client(make_app(url, auth=False)) as client:
            for since in (dates[0][:10], dates[-1][:10], "2999-01-01"):
                got = (await client.get("/search/default", params={
                    "changed_since": since, "limit": 500})).json()
                expected = [ftm_id(e.id) for p, e in enumerate(gen.entities)
                            if gen.seen.at(p) is not None
                            and gen.seen.at(p)[2] >= since]  # type: ignore[index]
                assert [r["id"] for r in got["results"]] == expected[:500]
                assert got["total"]["value"] == len(expected)
    asyncio.run(go())


def test_an_index_built_in_memory_makes_its_lookup_at_first_use(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MODE, "memory")
    with Store.open(url) as store:
        gen = build_generation(store)
    assert "entity_lookup" not in vars(gen.matcher)  # nothing written, nothing carried
    assert gen.by_id["ofac-1"].id == "ofac-1"
    assert "entity_lookup" in vars(gen.matcher)
    found = gen.search_index.find("vladimir putin")  # word prefixes: PUTINOV too
    assert sorted(gen.entities[p].id for p in found.tolist()) == ["ofac-1", "un-2"]
    assert gen.search_index.find("vladimirovich").tolist() == [gen.lookup.position("ofac-1")]

    async def go() -> None:
        async with api_client(make_app(url, auth=False)) as client:
            got = (await client.get("/search/default", params={"q": "putin"})).json()
            assert sorted(r["id"] for r in got["results"]) == ["ofac-1", "un-2"]
            entity = (await client.get("/entities/un-1")).json()
            assert entity["caption"] == "KIM JONG UN" and entity["first_seen"]
    asyncio.run(go())
