"""A query word's second reading (its bridge key, "f:": the folded skeleton a word without
vowels looks up) is not counted for a list name the word's near keys met: the same vowel
left out, read twice.

A list word met by both (YinLi, by the near key "inli" of "Ynl" and by the folded "inl")
was counted twice and outranked the name the query is, written without vowels as the query
is (with two letters swapped: "Yln"), whose words no bridge key meets. Made-up names; the
compiled collector is checked against the plain sum (``tests.match.ranking``) on a dense
index with words written without vowels, where long postings are galloped.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher
from discreet.match.index import _AGREE, _KINDRED, _LARGE, _UNSHARED, RATIO, NameIndex
from discreet.match.prepare import PreparedName, prepare_name
from discreet.model import Entity, Name
from tests.match.scoring import filler_names
from tests.match.test_candidates_bounded import FIRST, LAST, _entities, exhaustive


def _matcher(names: list[str]) -> Matcher:
    found = Matcher.from_entities([Entity(f"e{i}", "Person", source="t", names=[Name(n)])
                                   for i, n in enumerate([*names, *filler_names()])])
    assert not found.scan
    return found


def _plain(index: NameIndex, name: PreparedName, limit: int) -> list[int]:
    """The candidates with every key summed into every name it posts (no marks): how a
    bridge key counted before."""
    asked = index._asking(name)
    assert asked is not None
    ids, shares, mass, tail, inits, firsts, _ = asked
    return index._compiled().candidates(ids, shares, mass, RATIO, _LARGE, limit, name.abjad,
                                        tail, _UNSHARED, _AGREE, inits, firsts, None,
                                        _KINDRED)


def _originals(matcher: Matcher, positions: list[int]) -> list[str]:
    return [matcher.names[p].original for p in positions]


def _keys(index: NameIndex, name: PreparedName) -> dict[str, int]:
    asked = index._asking(name)
    assert asked is not None
    marks = asked[6]
    assert marks is not None
    return {index.key_ids.key(k): mark for k, mark in zip(asked[0], marks, strict=True)}


def test_marks_tell_a_words_near_keys_and_its_bridge_key() -> None:
    matcher = _matcher(["Kasil Yanlut", "Yinlat"])
    q = prepare_name("Ksl Ynlt", "person", matcher.rarity)
    marks = _keys(matcher.index, q)
    assert marks["f:ksl"] == 1 << 8 and marks["f:inlt"] == 2 << 8  # each word's bridge
    assert marks["inlat"] == 2  # a near key: Yinlat's phonetic key, a vowel more
    # the word's own readings (consonants, vowel skeleton) are other evidence: unmarked
    assert marks["c:ksl"] == marks["v:ynlt"] == marks["c:nlt"] == 0


def test_a_query_without_bridge_keys_has_no_marks() -> None:
    matcher = _matcher(["Kasil Yanlut", "Yinlat"])
    for text in ["Kasil Yanlut", "Yinlat", "Kara Bolak"]:
        asked = matcher.index._asking(prepare_name(text, "person", matcher.rarity))
        assert asked is not None and asked[6] is None, text


@pytest.mark.parametrize(("query", "listed", "other"), [
    ("Ksl Ynlt", "Ksl Yltn", "Yinlat"),
    ("Hsn Ynl", "Hsn Yln", "Yinli"),
])
def test_a_word_met_by_a_near_key_is_not_credited_again(query: str, listed: str,
                                                        other: str) -> None:
    """The listed name (written without vowels, two letters of one word swapped) comes
    before the one-word name a query word meets by a near key and its folded skeleton;
    counted twice (the plain sum), the one-word name came first."""
    matcher = _matcher([listed, other])
    q = prepare_name(query, "person", matcher.rarity)
    assert _originals(matcher, matcher.index.candidates(q, 2)) == [listed, other]
    assert _originals(matcher, _plain(matcher.index, q, 2)) == [other, listed]
    assert matcher.index.candidates(q, 40) == exhaustive(matcher.index, q, 40)


@pytest.mark.parametrize(("query", "listed"), [
    ("Rustam Khdrv", "Rustam Hudarov"),  # kh for h: only the folded skeleton meets it
    ("Ab Mrzl", "Abu Marzaleh"),
    ("Ksl Ynlt", "Kasil Yanlut"),  # met by the vowel skeletons too (not a near key)
])
def test_a_name_only_the_bridge_key_meets_keeps_its_credit(query: str, listed: str) -> None:
    matcher = _matcher([listed])
    q = prepare_name(query, "person", matcher.rarity)
    found = matcher.index.candidates(q, 40)
    assert found == _plain(matcher.index, q, 40)
    assert _originals(matcher, found)[:1] == [listed]


def _stripped(word: str) -> str:
    return word[0] + "".join(c for c in word[1:] if c not in "aeiou")


@pytest.fixture(scope="module")
def dense() -> Matcher:
    return Matcher.from_entities(_entities())


WORDS = [*FIRST, *LAST]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.booleans()), min_size=1, max_size=4),
       st.sampled_from([1, 5, 40, 400]))
def test_words_without_vowels_are_summed_as_documented(dense: Matcher,
                                                       words: list[tuple[str, bool]],
                                                       limit: int) -> None:
    text = " ".join(_stripped(word) if bare else word for word, bare in words)
    q = prepare_name(text, "person", dense.rarity)
    assert dense.index.candidates(q, limit) == exhaustive(dense.index, q, limit)


def test_the_dense_index_gallops_bridge_keys(dense: Matcher) -> None:
    """Queries of the dense index whose bridge keys are marked and whose keys post more
    than _LARGE names (the bound and the galloping search run on marked keys)."""
    marked = 0
    for first in FIRST:
        for last in LAST:
            q = prepare_name(f"{_stripped(first)} {_stripped(last)}", "person", dense.rarity)
            asked = dense.index._asking(q)
            if asked is None or asked[6] is None:
                continue
            marked += 1
            assert dense.index.candidates(q, 5) == exhaustive(dense.index, q, 5), q.original
    assert marked >= 50
