"""A query's keys read in compiled code give what the rules in Python give (sq17): two
adjacent words written as one (``KeyTable.joined`` against ``NameIndex._joined_by_rule``),
the readings of a space moved one letter (``KeyTable.shifted`` against
``NameIndex._shifted_by_rule``), a word the lists write (``KeyTable.known`` against
``NameIndex._known``), one word's credits merged into the name's (``raise_credits``), and
a whole query's keys (``NameIndex._query_ids``) with the rules in Python in their place."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from discreet.match import index as index_module
from discreet.match._kernel import KeyTable, raise_credits
from discreet.match.index import NameIndex, nickname_keys
from discreet.match.prepare import PreparedName
from discreet.text.given_names import full_forms
from tests.match.scoring import prepared

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LISTED = [
    ("Nikolai Patrushev", "person"), ("Vladimir Kirillov", "person"),
    ("Hafez Makhlouf", "person"), ("Qasem Soleimani", "person"),
    ("Pierre Vitelhomme", "person"), ("Aliaksandr Barsukou", "person"),
    ("Ramzan Kadyrov", "person"), ("Theodore Roosevelt Brackenbury", "person"),
    ("Northern Star Shipping", "organization"), ("Royal Room Dress Company", "organization"),
    ("Malik Noorzai", "person"), ("Sviatlana Zakharau", "person"),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex([prepared(text, cls) for text, cls in _LISTED])  # type: ignore[arg-type]


def _words(index: NameIndex, count: int, seed: int) -> Iterator[tuple[str, str]]:
    """Pairs of words: the lists' own, with a letter dropped, added or doubled, a letter
    moved across the space, random letters; a few uppercase or not ASCII (the rule's)."""
    rng = random.Random(seed)
    words = list(index.words)
    for _ in range(count):
        a, b = rng.choice(words), rng.choice(words)
        for side in range(2):
            word = (a, b)[side]
            shape = rng.randrange(6)
            i = rng.randrange(len(word))
            if shape == 1:
                word = word[:i] + word[i + 1:]
            elif shape == 2:
                word = word[:i] + rng.choice(_LETTERS) + word[i:]
            elif shape == 3:
                word = word[:i + 1] + word[i:]
            elif shape == 4:
                word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 9)))
            a, b = (word, b) if side == 0 else (a, word)
        if rng.random() < 0.3 and len(a) > 1:
            a, b = a[:-1], a[-1] + b
        elif rng.random() < 0.3 and len(b) > 1:
            a, b = a + b[0], b[1:]
        if rng.random() < 0.03:
            a = a.upper()
        if rng.random() < 0.03:
            b += "é"
        if a and b:
            yield a, b


def test_joined_keys_equal_the_rule(index: NameIndex) -> None:
    compiled = met = 0
    # and every list word split in two, as written and with a letter typed twice
    splits = [(w[:i], w[i:] + extra) for w in index.words for i in range(1, len(w))
              for extra in ("", w[-1])]
    for a, b in [*_words(index, 6000, 17), *splits]:
        fast: dict[int, float] = {9999: 0.5}
        slow: dict[int, float] = {9999: 0.5}
        index._joined_keys(a, b, 1.75, fast)
        index._joined_by_rule(a, b, 1.75, slow)
        assert list(fast.items()) == list(slow.items()), (a, b)
        compiled += index.key_ids.joined(a, b) is not None
        met += len(slow) > 1
    assert compiled > 5000 and met > 200  # the compiled path ran, and found keys


@pytest.mark.parametrize(("a", "b", "found"), [
    ("patr", "ushev", True),  # the list's word, its space elsewhere
    ("vitel", "hoomme", True),  # a letter typed twice: its key written once
    ("malikn", "oorzai", True),  # "j:" the two words written together
    ("ramzan", "kadyrov", True),  # two words of one name: their pair is posted
    ("ocean", "breeze", False),
])
def test_joined_keys_of_named_pairs(index: NameIndex, a: str, b: str, found: bool) -> None:
    keys: dict[int, float] = {}
    index._joined_keys(a, b, 2.0, keys)
    assert bool(keys) is found
    slow: dict[int, float] = {}
    index._joined_by_rule(a, b, 2.0, slow)
    assert keys == slow


def test_joined_keys_of_other_words_are_the_rules(index: NameIndex) -> None:
    for a, b in (("Patr", "ushev"), ("pätr", "ushev"), ("patr", "ush-ev"), ("1a", "b")):
        assert index.key_ids.joined(a, b) is None


def test_shifted_readings_equal_the_rule(index: NameIndex) -> None:
    read = 0
    for a, b in _words(index, 6000, 18):
        found = index.key_ids.shifted(a, b, index_module._SHIFTED_LETTERS,
                                      index_module._SLAVIC_LETTERS)
        rule = index._shifted_by_rule(a, b)
        if found is None:  # not lowercase ASCII letters: the rule reads it
            assert not (a.isascii() and a.isalpha() and a.islower()
                        and b.isascii() and b.isalpha() and b.islower())
        else:
            assert found == rule, (a, b)
        read += bool(rule)
    assert read > 50


@pytest.mark.parametrize(("a", "b", "readings"), [
    ("hafe", "zmakhlouf", [("hafez", "makhlouf")]),
    ("qasems", "oleimani", [("qasem", "soleimani")]),
    ("kirillo", "vladimir", []),  # both words the lists write: no reading
    ("ocean", "breeze", []),  # neither reading is two listed words
    ("haf", "ezmakhlouf", []),  # a word so read of two letters
])
def test_shifted_readings_of_named_pairs(index: NameIndex, a: str, b: str,
                                         readings: list[tuple[str, str]]) -> None:
    assert index.key_ids.shifted(a, b, 3, 4) == readings == index._shifted_by_rule(a, b)


def test_known_words_equal_the_rule(index: NameIndex) -> None:
    for a, b in _words(index, 3000, 19):
        for word in (a, b, a + b):
            found = index.key_ids.known(word, index_module._SLAVIC_LETTERS)
            if found is not None:
                assert found == index._known(word), word
    assert index.key_ids.known("aleksandr", 4)  # by its east-Slavic key (Aliaksandr)
    assert not index.key_ids.known("breeze", 4)


def test_a_word_read_shorter_than_a_letter_is_refused() -> None:
    table = NameIndex([prepared("Hafez Makhlouf", "person")]).key_ids
    assert isinstance(table, KeyTable)
    with pytest.raises(ValueError):
        table.shifted("hafe", "zmakhlouf", 0, 4)


def _merged_by_rule(keys: dict[int, float], found: dict[int, float], weight: float) -> None:
    for key, share in found.items():
        value = share * weight
        old = keys.get(key)
        if old is None or value > old:
            keys[key] = value


def test_credits_merge_as_the_rule() -> None:
    rng = random.Random(20)
    for _ in range(2000):
        start = {rng.randrange(40): rng.choice((0.5, 0.7, 0.9, 1.0, 1.7))
                 for _ in range(rng.choice((0, 5)))}  # (none: the first word's keys)
        found = {rng.randrange(40): rng.choice((0.63, 0.7, 0.9, 1.0))
                 for _ in range(rng.randrange(8))}
        weight = rng.choice((0.2, 1.0, 1.35, 0.7))
        fast, slow = dict(start), dict(start)
        raise_credits(fast, found, weight)
        _merged_by_rule(slow, found, weight)
        assert list(fast.items()) == list(slow.items())
    keys = {1: 0.9}
    raise_credits(keys, {1: 0.5, 2: 1.0}, 1.0)  # a lower credit leaves the key's
    assert keys == {1: 0.9, 2: 1.0}


class _ByRule:
    """An index's key table whose compiled readings of word pairs are declined (None), so
    the index reads every pair by its rules in Python."""

    def __init__(self, table: KeyTable) -> None:
        self.table = table

    def joined(self, a: str, b: str) -> None:
        return None

    def shifted(self, a: str, b: str, least: int, slavic: int) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)


@pytest.mark.parametrize("query", [
    "Nikolai Patr Ushev", "Hafe zMakhlouf", "QasemS Oleimani", "Kirillov Ladimir",
    "Pierre Vitel Hoomme", "Malikn Oorzai", "Aliaksandr Barsukov", "Royal RoomDress",
    "Northern Star Shippin", "Ocean Breeze Trading", "Ramzan Kadyrov Ahmatovich",
])
def test_query_keys_equal_the_rules(index: NameIndex, query: str) -> None:
    cls = "organization" if query.endswith(("Trading", "Shippin", "RoomDress")) else "person"
    name: PreparedName = prepared(query, cls)  # type: ignore[arg-type]
    fast = index._query_ids(name)
    table = index.key_ids
    try:
        index.key_ids = _ByRule(table)  # type: ignore[assignment]
        slow = index._query_ids_by_rule(name)  # (the compiled query_pairs reads no pair)
    finally:
        index.key_ids = table
    assert list(fast.items()) == list(slow.items())


def test_a_word_no_given_name_has_no_nickname_keys() -> None:
    for word in ("ted", "sasha", "bill", "patrushev", "zzyzx", "makhlouf"):
        assert (nickname_keys(word) == ()) is (full_forms(word) == ()), word
    assert nickname_keys("ted")  # Theodore, Edward...
    assert nickname_keys("zzyzx") == ()
