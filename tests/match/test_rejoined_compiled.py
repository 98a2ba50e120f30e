"""A query word's rejoined keys credited in compiled code (``Neighbours.rejoined``, ak20)
give what the rule in Python gives (``rejoined_keys``, each probe's neighbours credited
by ``Neighbours.credit``): the same keys, credits and order, for list words with a letter
left out, doubled or added, random words, and words the compiled call leaves to Python."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from discreet.match import index as index_module
from discreet.match.index import NameIndex, rejoined_keys
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import prepared

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LISTED = [
    ("Ahmad Qabalan", "person"), ("Republic of Belize", "organization"),
    ("Aleksei Kirillov", "person"), ("Theodore Roosevelt", "person"),
    ("Mohammed Abdullaev", "person"), ("Youssef Boutaleb", "person"),
    ("Eugeniusz Wieczorek", "person"), ("Guillaume Baillieu", "person"),
]
_SHARE = index_module._FUZZY
_LEAST = index_module._VARIANT_LETTERS


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex([prepared(text, cls) for text, cls in _LISTED])  # type: ignore[arg-type]


def _by_rule(index: NameIndex, word: str, found: dict[int, float]) -> dict[int, float]:
    out = dict(found)
    for probe in rejoined_keys(word):
        index.neighbours.credit(probe, out, _SHARE)
    return out


def _compiled(index: NameIndex, word: str, found: dict[int, float]) -> dict[int, float] | None:
    out = dict(found)
    return out if index.neighbours.rejoined(word, _LEAST, out, _SHARE) else None


def _words(index: NameIndex, count: int, seed: int) -> Iterator[str]:
    """The lists' words with a letter left out, doubled or added, and random words."""
    rng = random.Random(seed)
    words = list(index.words)
    for _ in range(count):
        word = rng.choice(words)
        i = rng.randrange(len(word))
        shape = rng.randrange(5)
        if shape == 1:
            word = word[:i] + word[i + 1:]
        elif shape == 2:
            word = word[:i + 1] + word[i:]
        elif shape == 3:
            word = word[:i] + rng.choice("aeiouy") + word[i:]
        elif shape == 4:
            word = "".join(rng.choice("aeiouybnlrz") for _ in range(rng.randint(1, 12)))
        yield word


def test_rejoined_credits_equal_the_rule(index: NameIndex) -> None:
    credited = 0
    for word in _words(index, 3000, 20):
        for found in ({}, {0: 1.0}):
            fast = _compiled(index, word, found)
            assert fast is not None, word
            slow = _by_rule(index, word, found)
            assert list(fast.items()) == list(slow.items()), word
            credited += len(fast) > len(found)
    assert credited > 50  # the rule credits keys often: the comparison is not of empties


@pytest.mark.parametrize(("word", "listed"), [
    ("qaalan", "qabalan"),  # a letter left out between two vowels
    ("beize", "belize"),
])
def test_a_letter_left_out_between_folded_letters_finds_the_word(
        index: NameIndex, word: str, listed: str) -> None:
    found = _compiled(index, word, {})
    assert found is not None
    own = index.key_ids.find(phonetic_key(listed))
    assert own >= 0 and found.get(own) == _SHARE


@pytest.mark.parametrize("word", ["qabalan", "breeze", "moonlight", "ab"])
def test_a_word_without_such_a_slip_gains_nothing(index: NameIndex, word: str) -> None:
    assert _compiled(index, word, {}) == {} == _by_rule(index, word, {})


@pytest.mark.parametrize("word", ["Qaalan", "qaalän", "qaa-lan", ""])
def test_other_words_are_left_to_the_rule(index: NameIndex, word: str) -> None:
    assert index.neighbours.rejoined(word, _LEAST, {}, _SHARE) is None
