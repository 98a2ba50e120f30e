"""The entity lookup (match/lookup.py): the id table, the /search words, the facets and the
relationships' keys, as arrays; the same answers as the dicts the API kept per worker, made
the same from stored JSON and from entities, and persisted (mapped) with the index.

Real stores and real files: the project's fixture lists of several formats plus a generated
list, and entities with repeated ids, identifiers, accents and relationships.
"""

from __future__ import annotations

import bisect
import random
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from discreet.match import Matcher
from discreet.match.lookup import FACETS, EntityLookup, build, lookup_of, name_key, words
from discreet.match.matcher import EntityRecords
from discreet.match.persist import ENV_DIR, ENV_MODE, load, open_matcher, save
from discreet.match.topics import entity_topics
from discreet.model import Entity, Identifier, Link, Name
from discreet.store import Store
from tests.api.helpers import load_entities, org, person
from tests.match.test_persist import _fill


@pytest.fixture(autouse=True)
def _own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DIR, raising=False)
    monkeypatch.delenv(ENV_MODE, raising=False)


def _odd_entities() -> list[Entity]:
    """Repeated ids, identifiers, accents, other scripts, relationships by id and name."""
    first = person("dup-1", "Jürgen MÜLLER-Lüdenscheidt", "src_a", "1960", "de")
    first.identifiers.append(Identifier("passport", "AB-12 345"))
    first.links.append(Link("Linked To", "HAMAS TRADING"))
    again = person("dup-1", "Jurgen Muller", "src_b", None, "at")  # the same id, another list
    hamas = org("org-1", "Hamas Trading", "src_a", "ps")
    hamas.links.append(Link("Owner", "dup-1", target_is_id=True))
    greek = person("gr-1", "Αλέξανδρος Παπαδόπουλος", "src_b", None, None)
    greek.names.append(Name("Alexandros PAPADOPOULOS", "alias"))
    return [e.finish() for e in (first, again, hamas, greek)]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the lists, made once (each test that writes gets a copy)."""
    path = tmp_path_factory.mktemp("lookup") / "store.db"
    with Store.open(path) as store:
        _fill(store, generated=1200)
        odd = _odd_entities()
        load_entities(store, "zz_odd", [odd[0], odd[2]])
        load_entities(store, "zz_odd_more", [odd[1], odd[3]])
        store.db.size_bytes()  # the write-ahead log checkpointed into the file
    return path


@pytest.fixture
def store(filled: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(filled, tmp_path / "store.db")
    with Store.open(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def entities(filled: Path) -> list[Entity]:
    with Store.open(filled) as store:
        return [e for v in store.active() for e in store.entities(v.source)]


class _Reference:
    """The per-worker dicts the API kept before (api/search.py's SearchIndex and by_id)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        postings: dict[str, set[int]] = {}
        for pos, entity in enumerate(entities):
            for name in entity.names:
                for word in words(name.value):
                    postings.setdefault(word, set()).add(pos)
            for ident in entity.identifiers:
                postings.setdefault(ident.value.casefold(), set()).add(pos)
        self.vocabulary = sorted(postings)
        self.postings = [frozenset(postings[w]) for w in self.vocabulary]
        self.by_id: dict[str, int] = {}
        for pos, entity in enumerate(entities):
            self.by_id.setdefault(entity.id, pos)
        self.size = len(entities)

    def find(self, text: str) -> list[int]:
        terms = list(dict.fromkeys(words(text)))[:12]
        if not terms:
            return list(range(self.size))
        counts: Counter[int] = Counter()
        for term in terms:
            found: set[int] = set()
            start = bisect.bisect_left(self.vocabulary, term)
            for i in range(start, min(start + 500, len(self.vocabulary))):
                if not self.vocabulary[i].startswith(term):
                    break
                found |= self.postings[i]
            counts.update(found)
        return sorted(p for p, n in counts.items() if n == len(terms))


def _texts(entities: Sequence[Entity], seed: int) -> Iterator[str]:
    """Queries: whole names, word prefixes of one to three words, identifiers, misses."""
    rng = random.Random(seed)
    yield from ("", "   ", "a", "v", "zzzzqx", "müller", "MULLER jur", "ab-12", "αλεξ",
                "hamas trad", "petrov ivan", "1", "-", "the of and")
    for _ in range(150):
        entity = rng.choice(entities)
        name = rng.choice(entity.names).value if entity.names else entity.id
        parts = words(name)
        if not parts:
            continue
        chosen = rng.sample(parts, min(len(parts), rng.randint(1, 3)))
        yield " ".join(w[:rng.randint(1, len(w))] for w in chosen)


def test_words_and_ids_answer_as_the_dicts_did(entities: list[Entity]) -> None:
    lookup = build(entities)
    reference = _Reference(entities)
    for text in _texts(entities, 3):
        assert lookup.find(text).tolist() == reference.find(text), text
    for entity in entities:
        assert lookup.position(entity.id) == reference.by_id[entity.id]
    assert lookup.positions_of("dup-1") == [p for p, e in enumerate(entities) if e.id == "dup-1"]
    assert len(lookup.positions_of("dup-1")) == 2
    assert lookup.position("nobody") is None and lookup.position("") is None


def _counts(entities: Iterable[Entity], facet: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for e in entities:
        if facet == "countries":
            found.update({c.lower() for c in (*e.countries, *e.nationalities, *e.citizenships)})
        elif facet == "schema":
            found[e.schema] += 1
        elif facet == "datasets":
            found.update([e.source] if e.source else [])
        else:
            found.update(entity_topics(e))
    return found


def test_facets_filter_and_count_as_the_entities_say(entities: list[Entity]) -> None:
    lookup = build(entities)
    for text in ("", "vlad", "petrov", "trading"):
        hits = lookup.find(text)
        chosen = [entities[p] for p in hits.tolist()]
        for facet in FACETS:
            counted = lookup.facets[facet].counts(hits, 1000)
            assert dict(counted) == _counts(chosen, facet), (text, facet)
            assert [n for _, n in counted] == sorted((n for _, n in counted), reverse=True)
        carries = lookup.facets["countries"].any_of(hits, {"ru", "kp"})
        assert carries.tolist() == [bool(_counts([e], "countries").keys() & {"ru", "kp"})
                                    for e in chosen]
        assert not lookup.facets["schema"].any_of(hits, {"NoSuchSchema"}).any()


def test_relationship_keys_name_who_states_what(entities: list[Entity]) -> None:
    lookup = build(entities)
    first = lookup.positions_of("dup-1")[0]
    hamas = lookup.position("org-1")
    assert hamas in lookup.keyed("i:dup-1")  # org-1 names dup-1 by id
    assert first in lookup.keyed("l:" + name_key("HAMAS TRADING"))  # dup-1 names it
    assert hamas in lookup.keyed("b:" + name_key("HAMAS, Trading!"))  # org-1 bears it
    assert lookup.keyed("i:nobody") == []


def test_stored_json_and_entities_make_the_same_lookup(filled: Path) -> None:
    with Store.open(filled) as store:
        built = Matcher.from_store(store)
    assert type(built.entities) is EntityRecords
    from_json = lookup_of(built)
    from_entities = build(list(built.entities))
    assert lookup_of(built) is from_json  # kept on the matcher
    for a, b in zip(_arrays(from_json), _arrays(from_entities), strict=True):
        assert np.array_equal(a, b)
    for table in ("id_table", "keys"):
        assert np.array_equal(getattr(from_json, table).hashes,
                              getattr(from_entities, table).hashes)
    for facet in FACETS:
        assert from_json.facets[facet].values == from_entities.facets[facet].values


def _arrays(lookup: EntityLookup) -> list[npt.NDArray[Any]]:
    return [*lookup.ids, *lookup.vocabulary, *lookup.postings, lookup.id_table.hashes,
            lookup.id_table.positions, lookup.keys.hashes, lookup.keys.positions]


def _mapped(lookup: EntityLookup) -> bool:
    """Every array of a page or more is mapped from a file (read-only)."""
    return all(isinstance(a.base, np.memmap) or not a.flags.writeable
               for a in _arrays(lookup) if a.nbytes >= 4096)


def test_persisted_with_the_index_and_mapped(store: Store, tmp_path: Path) -> None:
    opened = open_matcher(store)  # built, written, opened from the files
    again = open_matcher(store)
    lookup = lookup_of(opened)
    assert lookup is vars(opened)["entity_lookup"]  # carried: not made again
    assert _mapped(lookup) and lookup.postings[1].nbytes >= 4096
    entities = list(opened.entities)
    reference = _Reference(entities)
    for text in _texts(entities, 5):
        assert lookup.find(text).tolist() == reference.find(text)
    assert lookup_of(again).find("ivan").tolist() == reference.find("ivan")
    made = Matcher.from_entities(entities[:80])  # saved without one: made as it is written
    loaded = load(save(made, tmp_path / "own" / ("0" * 64)))
    assert lookup_of(loaded).find("").tolist() == list(range(80))


def test_ids_read_together_are_each_id_read_alone() -> None:
    """``ids_at`` (the ties of a query's results) reads what ``id_at`` reads, in the order
    asked, repeats and an id with a lone surrogate included."""
    ids = ["ofac-1", "un-6908555", "eu-13", "x-\ud800", "", "gb-hmt-1234"]
    data = [i.encode("utf-8", "surrogatepass") for i in ids]
    offsets = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    lookup = EntityLookup.__new__(EntityLookup)
    lookup.ids = (np.frombuffer(b"".join(data), np.uint8), offsets)
    asked = [5, 0, 3, 3, 4, 1, 2]
    assert lookup.ids_at(asked) == [lookup.id_at(p) for p in asked] == [ids[p] for p in asked]
    assert lookup.ids_at([]) == []
