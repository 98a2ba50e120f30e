"""A matcher built from a store decodes only the entities a query returns (issue 16): what a
query stating only a name (and a schema) compares of a candidate, its schema, is a byte an
entity in the index; ties at the last place of the results are broken by id among the tied
only, the very order a sort of every candidate by (score, id) gives.

A real SQLite store; the entities' JSON decoded only when read (``EntityRecords``), whose
kept decodings say which entities a query read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.match import Matcher, Query
from discreet.match.matcher import EntityRecords
from discreet.model import Entity
from discreet.store import Store
from tests.api.helpers import load_entities, org, person

EXACT = 5  # entities named exactly as the query (tied)
NEAR = ("Maria Garcias", "Mariah Garcia", "Maria Garzia", "Marie Garcia")


def _entities() -> list[Entity]:
    out = [person(f"test_decode-{n:02d}", "Maria Garcia", "test_decode") for n in range(EXACT)]
    out += [person(f"test_decode-near-{n:02d}", NEAR[n % len(NEAR)], "test_decode")
            for n in range(12)]
    out += [org(f"test_decode-org-{n:02d}", f"Garcia {word} LLC", "test_decode")
            for n, word in enumerate(("Trading", "Shipping", "Holding"))]
    out += [org("test_decode-vessel", "Maria Garcia", "test_decode", schema="Vessel")]
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decode") / "store.db"
    with Store.open(path) as store:
        load_entities(store, "test_decode", _entities())
    return path


@pytest.fixture
def matcher(filled: Path) -> Iterator[Matcher]:
    with Store.open(filled) as store:
        yield Matcher.from_store(store)


def _decoded(matcher: Matcher) -> set[str]:
    records = matcher.entities
    assert isinstance(records, EntityRecords)
    return {records[i].id for i in list(records._decoded)}


def test_only_the_results_and_their_ties_are_decoded(matcher: Matcher) -> None:
    results = matcher.match(Query("Maria Garcia", schema="Person"), limit=2)
    # the two smallest ids of the five tied at the top; every other candidate scored
    # (the near names, the vessel lowered by its schema) is not decoded
    assert [r.entity.id for r in results] == ["test_decode-00", "test_decode-01"]
    assert _decoded(matcher) == {f"test_decode-{n:02d}" for n in range(EXACT)}


def test_a_short_list_is_the_head_of_the_long_one(matcher: Matcher) -> None:
    query = Query("Maria Garcia")
    everyone = [(r.entity.id, r.score) for r in matcher.match(query, limit=100, threshold=0.5)]
    assert len(everyone) > EXACT + 1
    for limit in range(1, len(everyone) + 1):
        found = [(r.entity.id, r.score) for r in matcher.match(query, limit=limit,
                                                                threshold=0.5)]
        assert found == everyone[:limit]


def test_the_schema_byte_is_the_entitys_schema(matcher: Matcher) -> None:
    schemata = [matcher.schema_names[code] for code in matcher._schemata.tolist()]
    assert schemata == [e.schema for e in matcher.entities]
    assert set(matcher.schema_names) == {"Person", "Organization", "Vessel"}


def test_features_match_the_decoded_entitys(matcher: Matcher) -> None:
    """Name-only queries read the schema byte, others the entity: the same evidence as a
    matcher of the entities themselves (Matcher.from_entities)."""
    plain = Matcher.from_entities(list(matcher.entities))
    for query in (Query("Maria Garcia", schema="Person"), Query("Maria Garcia"),
                  Query("Maria Garcia", schema="Vessel"), Query("Garcia Trading LLC"),
                  Query("Maria Garcia", birth_date="1961", countries=("ru",))):
        got = [(r.entity.id, r.score, r.explanation.features)
               for r in matcher.match(query, limit=20, threshold=0.3)]
        want = [(r.entity.id, r.score, r.explanation.features)
                for r in plain.match(query, limit=20, threshold=0.3)]
        assert got == want
        assert got


def test_stored_json_orjson_refuses_reads_as_json_reads_it() -> None:
    """Records orjson refuses (a lone surrogate escaped, NaN) are read by json: the same
    entity ``Entity.from_dict(json.loads(...))`` makes; the others by orjson, the same too."""
    from discreet.match.matcher import _RecordsWriter

    texts = ['{"id":"x-1","schema":"Person","names":[{"value":"Ann \\ud800 Lee"}]}',
             '{"id":"x-2","schema":"Person","properties":{"score":[NaN]}}',
             '{"id":"x-3","schema":"Vessel","names":[{"kind":"alias","value":"Mar\u00eda",'
             '"parts":[["name","Mar\u00eda"]]}],"countries":["pa"]}']
    writer = _RecordsWriter()
    for text in texts:
        writer.append(text)
    records = writer.done()
    assert [records[i] for i in range(3)] == [Entity.from_dict(json.loads(t)) for t in texts]
    assert next(iter(records.data()))["names"][0]["value"] == "Ann \ud800 Lee"
