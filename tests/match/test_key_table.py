"""The index's keys and their one-deletion neighbours as compiled tables over arrays
(``_keys.pxi``): the same answers as the dicts of strings they replace, for any strings
(prefixed keys, runs of a letter, non-Latin letters, lone surrogates), and shared as files
by a persisted index."""

from __future__ import annotations

import pickle
import random
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from discreet.match import Matcher, Query
from discreet.match._kernel import Neighbours, table_hashes, table_slots
from discreet.match.index import _deletes, _key_table, _neighbours
from discreet.match.persist import load, save
from discreet.model import Entity, Name

_LETTERS = "abcdeklmnorstz"
_OTHERS = "éßжщ中ع"  # two-, three-byte letters: a deletion is of a character, not a byte


def _random_keys(rng: random.Random, count: int) -> list[str]:
    """Distinct keys like the index's: short words over few letters (many share their
    deletions), runs of a letter, some with a prefix, some with non-Latin letters."""
    keys: dict[str, None] = {}
    while len(keys) < count:
        alphabet = _LETTERS + (_OTHERS if rng.random() < 0.2 else "")
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        if len(word) > 1 and rng.random() < 0.15:
            word = word[:2] + word[1] * rng.randint(1, 3) + word[2:]  # a run
        if rng.random() < 0.25:
            word = rng.choice("cavfij") + ":" + word
        keys[word] = None
    return list(keys)


def _dict_neighbours(keys: list[str]) -> dict[str, tuple[str, ...]]:
    """The neighbours as NameIndex kept them before: a dict from deletion to keys."""
    found: dict[str, list[str]] = {}
    for key in keys:
        if key[1:2] != ":":
            for d in _deletes(key):
                found.setdefault(d, []).append(key)
    return {k: tuple(v) for k, v in found.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_key_table_is_the_dict(seed: int) -> None:
    rng = random.Random(seed)
    keys = _random_keys(rng, 3000)
    table = _key_table(keys)
    assert len(table) == len(keys)
    assert list(table) == keys  # iterated in id order
    for i, key in enumerate(keys):
        assert table.find(key) == i and table[key] == i and table.get(key) == i
        assert key in table and table.key(i) == key
    absent = [k for k in _random_keys(random.Random(seed + 100), 3000) if k not in set(keys)]
    assert absent
    for key in absent:
        assert table.find(key) == -1 and key not in table and table.get(key, -7) == -7
        with pytest.raises(KeyError):
            table[key]
    assert 3 not in table and table.find(None) == -1


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_neighbours_are_the_dict(seed: int) -> None:
    rng = random.Random(seed)
    keys = _random_keys(rng, 3000)
    expected = _dict_neighbours(keys)
    near = _neighbours(_key_table(keys), keys)
    for probe, found in expected.items():
        assert near.get(probe, ()) == found
        assert probe in near
    # strings no deletion makes: none, including keys themselves and their deletions' own
    probes = {d for key in keys for d in _deletes(key)} | set(keys) | {
        d for key in list(expected)[:500] for d in _deletes(key)}
    for probe in probes - set(expected):
        assert near.get(probe, ()) == () and probe not in near
    assert near.get("zzzzzzzz", None) is None


def test_surrogates_kept() -> None:
    keys = ["ab\udc80cd", "abcd", "\udc81xyzw"]
    table = _key_table(keys)
    assert [table.find(k) for k in keys] == [0, 1, 2] and list(table) == keys
    near = _neighbours(table, keys)
    assert near.get("abcd") == ("ab\udc80cd",)
    assert near.get("xyzw") == ("\udc81xyzw",)


def test_a_shared_hash_is_confirmed() -> None:
    """Keys filed under a deletion's hash that do not make the deletion (what two
    deletions sharing a hash would bring) are not returned: each is confirmed."""
    keys = ["mart", "marta", "xmarta", "zonk", "amrta", "marto"]
    table = _key_table(keys)
    assert _neighbours(table, keys).get("mart") == ("marta", "marto")
    # one group holding every key, under the hash of "mart"
    group = table_hashes(np.frombuffer(b"mart", np.uint8), np.array([0, 4], np.int64))
    every = np.arange(len(keys), dtype=np.int32)
    forged = Neighbours(table, group, table_slots(group),
                        np.array([0, len(keys)], np.int64), every)
    assert forged.get("mart") == ("marta", "marto") and "mart" in forged
    assert forged.get("arta", ()) == () and "zonk" not in forged  # other hashes: no group


def test_empty_tables() -> None:
    table = _key_table([])
    near = _neighbours(table, [])
    assert len(table) == 0 and list(table) == [] and "a" not in table
    assert table.find("") == -1 and near.get("abc", ()) == () and "abc" not in near


def test_pickled_tables_answer_the_same() -> None:
    keys = _random_keys(random.Random(9), 500)
    table = _key_table(keys)
    near = _neighbours(table, keys)
    table2, near2 = pickle.loads(pickle.dumps((table, near)))
    assert near2.table is table2
    assert list(table2) == keys
    for probe in _dict_neighbours(keys):
        assert near2.get(probe) == near.get(probe)


def _entities(count: int) -> list[Entity]:
    rng = random.Random(13)
    first = ["Ivan", "Maria", "Olga", "Jean", "Wang", "Mohammed", "Anna", "Pavel", "Sergei"]
    last = ["Petrov", "Garcia", "Smirnova", "Dupont", "Hassan", "Kowalski", "Novak", "Ivanov",
            "Morales", "Fischer", "Rossi", "Lindqvist"]
    return [Entity(f"p{i}", "Person", source="t", names=[Name(
        f"{rng.choice(first)} {rng.choice(last)}{rng.choice(['', 'a', 'son', 'ov'])}")])
        for i in range(count)]


def test_persisted_keys_are_mapped_files(tmp_path: Path) -> None:
    """A persisted index's key table and neighbours are arrays mapped from its files (no
    dict of strings unpickled), and the opened index answers as the built one."""
    built = Matcher.from_entities(_entities(3000))
    opened = load(save(built, tmp_path / "index"))
    table, near = opened.index.key_ids, opened.index.neighbours
    arrays: list[npt.NDArray[Any]] = [table.blob, table.offsets, table.slots, near.hashes,
                                      near.slots, near.starts, near.keys_of]
    mapped = [a for a in arrays if a.nbytes >= 4096]
    assert mapped and all(not a.flags.owndata and not a.flags.writeable for a in mapped)
    assert list(table) == list(built.index.key_ids)
    for probe in ("petrv", "garca", "smrnv", "dpnt", "ivnv", "morls"):
        assert near.get(probe, ()) == built.index.neighbours.get(probe, ())
    for query in ("Ivan Petrof", "Maria Garsia", "Olga Smirnov", "Jean Dupond"):
        assert [r.entity.id for r in opened.match(Query(query))] == \
            [r.entity.id for r in built.match(Query(query))]
