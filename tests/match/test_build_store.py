"""An index built from a store (Matcher.from_store): the entities read as the store keeps
them (their JSON, a page at a time, decoded only when read) and the names parsed and tabled
partly in a second process, yet the very index Matcher.from_entities makes of the same
entities: the same names, owners, kinds, tables, parties and answers.

Real stores (SQLite files) holding the own fixture lists and a generated list, real forked
processes (the build's threshold for them lowered so a small store uses them too).
"""

from __future__ import annotations

import json
import os
import pickle
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from discreet.lists.load import load_file
from discreet.match import Matcher, MatchResult, Query
from discreet.match import matcher as matcher_module
from discreet.match.matcher import EntityRecords
from discreet.match.parties import Parties
from discreet.model import Entity, Name
from discreet.store import SameAs, Store
from discreet.store.queries import entity_data_at
from tests.api.helpers import load_entities, org, person
from tests.match.conftest import Forks

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LISTS = (("ofac_xml/sdn_sample.xml", None), ("un/un_small.xml", None),
         ("eu_fsf/eu_small.xml", None), ("ftm/entities.ftm.json", "test_ftm"))
FIRST = ("Ivan", "Olga", "Ahmed", "Ali", "Kim", "Wei", "Maria", "Jose", "Hans", "Иван")
LAST = ("Petrov", "Al-Rashid", "Khan", "Park", "Chen", "Garcia", "Muller", "Karimi/Karimy")


def _generated(count: int) -> list[Entity]:
    rng = random.Random(11)
    out = []
    for number in range(count):
        eid = f"test_generated-{number}"
        if number % 3:
            entity = person(eid, f"{rng.choice(FIRST)} {rng.choice(LAST)}", "test_generated",
                            rng.choice([None, "1961"]), rng.choice([None, "ru", "ir"]))
            if rng.random() < 0.4:
                entity.names.append(Name(f"{rng.choice(LAST)}, {rng.choice(FIRST)}", "alias"))
            if rng.random() < 0.2:
                entity.topics.append(rng.choice(["sanction", "role.pep"]))
        else:
            entity = org(eid, f"{rng.choice(LAST)} Trading LLC", "test_generated")
        out.append(entity.finish())
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("build") / "store.db"
    with Store.open(path) as store:
        for rel, source in LISTS:
            load_file(store, FIXTURES / rel, source=source)
        load_entities(store, "test_generated", _generated(1500))
        store.replace_proposed_links([SameAs("test_generated-1", "test_generated-4", "name",
                                             0.9, ("test",))])
    return path


@pytest.fixture
def store(filled: Path) -> Iterator[Store]:
    with Store.open(filled) as opened:
        yield opened


def _entities(store: Store) -> list[Entity]:
    return [e for v in store.active() for e in store.entities(v.source)]


def _answers(matcher: Matcher, count: int = 150) -> list[list[tuple[Any, ...]]]:
    rng = random.Random(3)
    names = sorted({n.value for e in matcher.entities for n in e.names})
    out = []
    for _ in range(count):
        text = rng.choice(names)
        if len(text) > 5 and rng.random() < 0.5:
            at = rng.randrange(1, len(text) - 1)
            text = text[:at] + text[at + 1:]
        query = Query(text, schema=rng.choice([None, "Person", "Organization"]))
        results: list[MatchResult] = matcher.match(query, limit=5, threshold=0.5)
        out.append([(r.entity.to_json(), r.score, r.party, r.explanation.to_text())
                    for r in results])
    return out


def _same_index(built: Matcher, expected: Matcher) -> None:
    assert [e.to_json() for e in built.entities] == [e.to_json() for e in expected.entities]
    assert built.names == expected.names
    assert built.owners == expected.owners
    assert built.kinds == expected.kinds
    assert built.rarity == expected.rarity
    assert built.source_names == expected.source_names
    assert built.topic_names == expected.topic_names
    assert built._name_source.tolist() == expected._name_source.tolist()
    assert built._topic_ids.tolist() == expected._topic_ids.tolist()
    assert built.reader.__getstate__() == expected.reader.__getstate__()
    assert built.tables.arrays.keys() == expected.tables.arrays.keys()
    for key, array in built.tables.arrays.items():
        assert np.array_equal(array, expected.tables.arrays[key]), key
    assert built.index.idf == expected.index.idf
    assert (built.parties is None) == (expected.parties is None)
    if built.parties is not None and expected.parties is not None:
        assert built.parties.party_of == expected.parties.party_of
    assert _answers(built) == _answers(expected)


def test_from_store_is_from_entities_of_the_active_versions(store: Store) -> None:
    built = Matcher.from_store(store)
    expected = Matcher.from_entities(_entities(store))
    expected.parties = Parties.from_store(store, expected.entities)
    assert isinstance(built.entities, EntityRecords)
    assert built.parties is not None  # the link joins two listings into one party
    _same_index(built, expected)


def test_parts_built_in_another_process_are_the_same(
        store: Store, monkeypatch: pytest.MonkeyPatch, forks: Forks) -> None:
    serial = Matcher.from_store(store)
    assert forks.count == 0
    monkeypatch.setattr(matcher_module, "FORK_MIN", 100)
    if not matcher_module._may_fork(len(serial.names), 0):
        pytest.skip("one core, or threads running: the build does not fork here")
    apart = Matcher.from_store(store)
    assert forks.count == 2  # the second half's parse, and the name tables
    _same_index(apart, serial)
    assert apart.tables.names is apart.names


def test_a_failed_child_is_done_here(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that dies (killed short of memory, say) leaves its part to this process."""
    def dies() -> list[int]:
        raise SystemExit(3)

    assert matcher_module._Apart(lambda: [1, 2]).result() == [1, 2]
    done = matcher_module._Apart(dies)
    monkeypatch.setattr(done, "_work", lambda: [4])
    assert done.result() == [4]


def test_an_abandoned_child_is_ended() -> None:
    """This process failed meanwhile: the child is ended and reaped, not left waiting."""
    done = matcher_module._Apart(lambda: threading.Event().wait(600))
    pid = done._pid
    done.abandon()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped already


def test_entity_records_read_as_a_list(store: Store) -> None:
    entities = _entities(store)
    built = Matcher.from_store(store).entities
    assert isinstance(built, EntityRecords)
    assert len(built) == len(entities)
    assert built[0] == entities[0] and built[-1] == entities[-1]
    assert built[2:5] == entities[2:5]
    assert list(built) == entities
    with pytest.raises(IndexError):
        built[len(entities)]
    again = pickle.loads(pickle.dumps(built))
    assert isinstance(again, EntityRecords) and list(again) == entities


def test_an_empty_store_builds_an_empty_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as empty:
        matcher = Matcher.from_store(empty)
    assert len(matcher) == 0 and matcher.names == []
    assert matcher.match(Query("Ivan Petrov")) == []


def test_entity_data_pages_are_the_entities_in_order(store: Store) -> None:
    for version in store.active():
        expected = [e.to_json() for e in store.entities(version.source)]
        for page in (1, 7, 20_000):
            found = [Entity.from_dict(json.loads(text)).to_json()
                     for text in entity_data_at(store.db, version.source, version.version,
                                                page)]
            assert found == expected
        assert [Entity.from_dict(json.loads(t)).to_json()
                for t in store.entity_data(version.source)] == expected
