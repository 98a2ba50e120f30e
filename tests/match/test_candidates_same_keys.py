"""Keys that post the same names are walked once by the candidates' kernel.

A word's forms often find the same names (its key and its sound's, when no other word
sounds like it): their postings are equal, and, of a size, they are taken one after the
other. The kernel walks them once, each name adding their gains in turn (the same sums as
key by key); no bound is refreshed between them. These tests make such keys, rare ones
(summed while the names are collected) and common ones (longer than ``_LARGE``: followed by
a galloping search once the collecting has stopped), with other keys between and around
them, and check the result against every posting of every key summed.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from discreet.match import Matcher
from discreet.match._kernel import Postings, posting_twins
from discreet.match.index import _LARGE, NameIndex
from discreet.match.prepare import PreparedName, prepare_name
from discreet.model import Entity, Name
from tests.match.ranking import summed_keys
from tests.match.test_candidates_bounded import GIVEN, exhaustive

# words no other word of these lists sounds like (their keys post the same names) and
# words that share sounds (their keys differ)
RARE = ["zhukovsky", "brezhnev"]
COMMON = ["okonkwo", "fitzgerald"]
OTHERS = ["smith", "smyth", "petrov", "petrova", "hussein", "husein"]


def _entities() -> list[Entity]:
    out = []
    count = 0
    for word, many in [(RARE[0], 30), (RARE[1], 40), (COMMON[0], 2 * _LARGE),
                       (COMMON[1], 3 * _LARGE)]:
        for i in range(many):
            other = OTHERS[(i * 7 + len(word)) % len(OTHERS)]
            given = GIVEN[(i * 5 + count) % len(GIVEN)]
            text = f"{given} {word}" if i % 3 else f"{given} {word} {other}"
            out.append(Entity(f"e{count}", "Person", source="t", names=[Name(text)]))
            count += 1
    for i in range(600):  # names the keys of the other words find
        words = [GIVEN[i % len(GIVEN)], OTHERS[i % len(OTHERS)], OTHERS[(i // 6) % 6]]
        out.append(Entity(f"o{i}", "Person", source="t", names=[Name(" ".join(words))]))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities(_entities())


def _runs_of_same_keys(index: NameIndex, name: PreparedName) -> list[int]:
    """The sizes of the keys (in the order summed) that post the same names as the key
    before them."""
    keys = summed_keys(index, name)
    return [len(index.postings[key]) for (prev, *_), (key, *_) in pairwise(keys)
            if index.postings[prev] == index.postings[key]]


@pytest.mark.parametrize("text", [
    "Zhukovsky Brezhnev", "Anna Zhukovsky", "Okonkwo Fitzgerald", "Boris Okonkwo Smith",
    "Zhukovsky Okonkwo", "Kira Brezhnev Fitzgerald Husein", "Fitzgerald"])
def test_keys_posting_the_same_names_sum_as_key_by_key(matcher: Matcher, text: str) -> None:
    index = matcher.index
    q = prepare_name(text, "person", matcher.rarity)
    same = _runs_of_same_keys(index, q)
    assert same  # (the case under test: keys of the query post the same names)
    for limit in (1, 3, 10, 40, 400):
        for kind in (None, "person"):
            assert index.candidates(q, limit, kind=kind) == exhaustive(
                index, q, limit, kind=kind), (text, limit, kind)


def test_common_keys_posting_the_same_names_are_followed(matcher: Matcher) -> None:
    """Keys longer than ``_LARGE`` that post the same names, taken once the collecting
    stopped (a rare word's names bound them): the names still kept add every one's gain."""
    index = matcher.index
    q = prepare_name("Brezhnev Okonkwo", "person", matcher.rarity)
    assert any(size > _LARGE for size in _runs_of_same_keys(index, q))
    for limit in (1, 5, 40):
        assert index.candidates(q, limit) == exhaustive(index, q, limit)


def test_each_key_s_twin_is_the_first_key_posting_the_same_names(matcher: Matcher) -> None:
    """The twins the index tells once, at its build (and a persisted index keeps in a file
    of its own): each key's is the first key (by number) whose postings are its own."""
    index = matcher.index
    first: dict[tuple[int, ...], int] = {}
    want = [first.setdefault(tuple(index._flat[s:s + n].tolist()), k)
            for k, (s, n) in enumerate(zip(index._starts.tolist(), index._sizes.tolist(),
                                           strict=True))]
    assert index._twins.dtype == np.int32 and index._twins.tolist() == want
    assert sum(1 for k, twin in enumerate(want) if twin != k) > 10  # (some keys have one)
    assert posting_twins(index._flat, index._starts, index._sizes).tolist() == want
    empty = np.zeros(0, np.int64)
    assert posting_twins(np.zeros(0, np.int32), empty, empty).tolist() == []


def test_postings_refuse_twins_of_another_index(matcher: Matcher) -> None:
    """Twins given for another number of keys (another index's) are refused, not read."""
    index = matcher.index
    args = (index._flat, index._starts, index._sizes, index._key_weights(),
            index._acronym_keys, index.masses, index.skeleton_masses, index.inits,
            index.firsts)
    with pytest.raises(ValueError, match="twins"):
        Postings(*args, twins=index._twins[:-1])
    told_here = Postings(*args)  # (none given: told as the postings are compiled)
    given = Postings(*args, twins=index._twins)
    compiled = index._compiled()
    try:
        for text in ("Kira Brezhnev Fitzgerald Husein", "Brezhnev Okonkwo", "Anna Zhukovsky"):
            q = prepare_name(text, "person", matcher.rarity)
            index._postings = told_here
            mine = index.candidates(q, 40)
            index._postings = given
            assert index.candidates(q, 40) == mine == exhaustive(index, q, 40)
    finally:
        index._postings = compiled
