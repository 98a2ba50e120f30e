"""The index's build (match/index.py): the postings as arrays, made a token at a time and
grouped in numpy, are what posting every name's keys one by one gives."""

from __future__ import annotations

import math

import numpy as np

from discreet.match.index import NameIndex
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import Rarity
from discreet.text.names import NameClass

NAMES: list[tuple[str, NameClass]] = [
    ("Vladimir Vladimirovich PUTIN", "person"),
    ("PUTIN, Vladimir", "person"),
    ("Putin Putin", "person"),  # one key met twice in a name: posted once
    ("Banco Nacional de Cuba", "org"),
    ("BANCO NACIONAL DE CUBA S.A.", "org"),
    ("Mr", "person"),  # a title alone is posted
    ("Dr. Ali Hassan al-Majid", "person"),
    ("علي حسن المجيد", "person"),
    ("Аляксандр Лукашэнка", "person"),
    ("Aliaksandr Lukashenka", "person"),
    ("Islamic Revolutionary Guard Corps", "org"),
    ("Rmzn Kdyrv", "person"),
    ("", "person"),
    ("Joint Stock Company Vneshtorgbank", "org"),
]


def _names() -> list[PreparedName]:
    rarity = Rarity({}, 0)
    return [prepare_name(text, cls, rarity) for text, cls in NAMES * 3]


def test_postings_are_every_names_keys_posted_in_order() -> None:
    names = _names()
    index = NameIndex(names)
    expected: dict[str, list[int]] = {}
    for pos, name in enumerate(names):
        for key in NameIndex._name_keys(name):
            slot = expected.setdefault(key, [])
            if not slot or slot[-1] != pos:
                slot.append(pos)
    assert list(index.key_ids) == list(expected)  # numbered in the order first met
    assert {key: list(index.postings[key]) for key in index.postings} == expected
    assert index._flat.dtype == np.int32
    assert index._sizes.tolist() == [len(v) for v in expected.values()]
    assert index._starts.tolist() == [0, *np.cumsum(index._sizes)[:-1].tolist()]
    total = len(names) + 1
    for key, posted in expected.items():  # idf: the same numbers as math.log gives
        assert index.idf[key] == math.log(total / (len(posted) + 0.5))


def test_masses_are_each_names_mass() -> None:
    names = _names()
    index = NameIndex(names)
    assert index.masses.tolist() == [index.mass(name) for name in names]
    assert index.skeleton_masses.tolist() == [index.mass(name, skeletons=True)
                                              for name in names]


def test_an_empty_index() -> None:
    index = NameIndex([])
    assert len(index.postings) == 0
    assert index.masses.shape == (0,)
    assert index.candidates(_names()[0]) == []
