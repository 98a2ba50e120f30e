"""A matcher built from a store decodes only the entities a query returns (issue 16): what a
query stating only a name (and a schema) compares of a candidate, its schema, is a byte an
entity in the index; ties at the last place of the results are broken by id among the tied
only, the very order a sort of every candidate by (score, id) gives.

A real SQLite store; the entities' JSON decoded only when read (``EntityRecords``), whose
kept decodings and numbers of the items read once say which entities a query read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.match import Matcher, Query
from discreet.match.lookup import lookup_of
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
    """The ids of the entities read (decoded again here, not read: nothing is kept)."""
    records = matcher.entities
    assert isinstance(records, EntityRecords)
    read = set(records._decoded) | records._once.keys() | records._before.keys()
    return {records._decode(i).id for i in read}


def _forget(matcher: Matcher) -> None:
    """Nothing read so far."""
    records = matcher.entities
    assert isinstance(records, EntityRecords)
    records._decoded.clear()
    records._once.clear()
    records._before.clear()


def test_only_the_results_and_their_ties_are_decoded(matcher: Matcher) -> None:
    results = matcher.match(Query("Maria Garcia", schema="Person"), limit=2)
    # the two smallest ids of the five tied at the top; every other candidate scored
    # (the near names, the vessel lowered by its schema) is not decoded
    assert [r.entity.id for r in results] == ["test_decode-00", "test_decode-01"]
    assert _decoded(matcher) == {f"test_decode-{n:02d}" for n in range(EXACT)}


def test_ties_past_the_limit_are_told_by_the_carried_ids(matcher: Matcher) -> None:
    """An index that carries its entities' ids (its lookup: a persisted index does) breaks
    the ties at the last place by them: the same results, and only those decoded."""
    query = Query("Maria Garcia", schema="Person")
    lookup_of(matcher)  # read from the stored JSON: decodes nothing
    assert _decoded(matcher) == set()
    for limit in (1, 2, 4):
        _forget(matcher)
        results = matcher.match(query, limit=limit)
        assert [r.entity.id for r in results] == [f"test_decode-{n:02d}" for n in range(limit)]
        assert _decoded(matcher) == {r.entity.id for r in results}


def test_ties_told_by_carried_ids_are_ordered_as_decoded_ones() -> None:
    """Ties by id, then by source (one id listed by two sources), and a clean entity scoring
    lower than them: every head of the results is the one decoding each tied entity gives."""
    tied = [person(f"tie-{n}", "Anna Kowalska", source)
            for n in (3, 1, 2) for source in ("zz_list", "aa_list")]
    listed = [*tied, person("tie-0", "Anna Kowalsky", "aa_list"),
              person("clean-1", "Pedro Almeida", "aa_list")]
    plain = Matcher.from_entities(listed)
    carrying = Matcher.from_entities(listed)
    lookup_of(carrying)
    query = Query("Anna Kowalska", schema="Person")
    everyone = [(r.entity.id, r.entity.source, r.score)
                for r in plain.match(query, limit=20, threshold=0.5)]
    assert [e[:2] for e in everyone[:2]] == [("tie-1", "aa_list"), ("tie-1", "zz_list")]
    assert everyone[-1][0] == "tie-0" and "clean-1" not in {e[0] for e in everyone}
    for limit in range(1, len(everyone) + 1):
        for found in (plain, carrying):
            got = [(r.entity.id, r.entity.source, r.score)
                   for r in found.match(query, limit=limit, threshold=0.5)]
            assert got == everyone[:limit]


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


@pytest.mark.parametrize("count", [0, 1, 4])
def test_records_read_whole_give_each_entity_s_json_in_turn(count: int) -> None:
    """``data()`` reads every record in order, the same dicts as ``json.loads`` of each
    (none when there are none), from records made and from the same arrays mapped."""
    from discreet.match.matcher import _RecordsWriter

    texts = [json.dumps({"id": f"x-{n}", "schema": "Person", "countries": ["fr"] * n,
                         "names": [{"value": f"Ann Lee {n}"}]}) for n in range(count)]
    writer = _RecordsWriter()
    for text in texts:
        writer.append(text)
    records = writer.done()
    again = EntityRecords(records._blob.copy(), records._offsets.copy())
    want = [json.loads(t) for t in texts]
    assert list(records.data()) == list(again.data()) == want
    assert list(records) == [Entity.from_dict(data) for data in want]


@pytest.mark.parametrize("count", [0, 1, 5])
def test_records_as_rows_read_back_as_the_same_entities(count: int) -> None:
    """What a persisted index keeps of a store's entities (``EntityRows``, their rows
    marshalled) reads back, from the arrays made and from copies of them, the very
    entities the records (the store's JSON) give: the same fields, the same JSON; a lone
    surrogate (JSON that only json reads) too; each read an entity of its own."""
    from discreet.match.matcher import EntityRows, _RecordsWriter

    def canonical(entity: Entity) -> str:  # (a lone surrogate: the wire form, not UTF-8)
        return json.dumps(entity.to_dict(), sort_keys=True)

    texts = ['{"id":"x-s","schema":"Person","names":[{"value":"Ann \\ud800 Lee"}]}']
    texts += [json.dumps({"id": f"x-{n}", "schema": ("Person", "Vessel")[n % 2],
                          "countries": ["fr"] * n, "birth_dates": [{"start": f"19{n}0"}],
                          "names": [{"value": f"Ann Lee {n}", "kind": "alias",
                                     "parts": [["firstName", "Ann"]]}],
                          "links": [{"relation": "owner", "target": "x-s"}] * (n % 2),
                          "properties": {"imoNumber": [str(n)]}}) for n in range(count)]
    writer = _RecordsWriter()
    for text in texts:
        writer.append(text)
    records = writer.done()
    rows = EntityRows.of_records(records)
    again = EntityRows(rows._blob.copy(), rows._offsets.copy(), rows.words)
    want = [Entity.from_dict(json.loads(t)) for t in texts]
    assert list(rows) == list(again) == list(records) == want
    assert len(rows) == len(texts)
    assert [canonical(e) for e in rows] == [canonical(e) for e in want]
    assert rows[0] is not rows[0]  # read once, not kept; read again, kept
    assert rows[0] is rows[0] and again[0] is not rows[0]  # kept decoded; each its own
