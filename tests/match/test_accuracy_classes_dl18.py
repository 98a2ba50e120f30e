"""A letter left out where the phonetic key then folds two letters (issue 10, dropped letters).

A consonant left out between two vowels ("Qaalan" for Qabalan, "Beize" for Belize) or
between two same letters ("Miqdd" for Miqdad) brings together two letters the phonetic key
writes as one (aa, ei, oo, dd): the query word's key is then two deletions from the list
word's, so none of the one-deletion neighbours the index looks up proposed the list name,
though the scorer reads the pair as one slip (0.8 for a two-word name). The index now also
looks up the neighbours of the word's key read in two parts at such a place
(``match/index.py: rejoined_keys``), which keep both letters: one deletion from the list
word's key. Only proposals change; the scores are the scorer's.

Names are made up for the tests.
"""

from __future__ import annotations

import pytest

from discreet.match import Matcher, Query
from discreet.match.index import _FUZZY, NameIndex, rejoined_keys
from discreet.model import Entity, Name
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import filler_names

# (typed: the list word with a letter left out, listed)
_FOLDED = [
    ("zaalov", "zabalov"),  # a b left out between two a's
    ("peizar", "pelizar"),  # an l left out: e and i meet
    ("mirddov", "mirdadov"),  # an a left out between two d's
    ("veroush", "verodush"),  # a d left out: o and u meet
]


@pytest.mark.parametrize(("typed", "listed"), _FOLDED)
def test_the_key_of_the_word_left_a_letter_short_is_two_deletions_away(
        typed: str, listed: str) -> None:
    """Why the rule is needed: the key folds two letters besides losing one."""
    assert len(phonetic_key(listed)) - len(phonetic_key(typed)) == 2


@pytest.mark.parametrize(("typed", "listed"), _FOLDED)
def test_a_rejoined_key_is_one_deletion_of_the_list_words_key(
        typed: str, listed: str) -> None:
    key = phonetic_key(listed)
    deletions = {key[:i] + key[i + 1:] for i in range(len(key))}
    assert deletions & set(rejoined_keys(typed))


@pytest.mark.parametrize("word", [
    "zalov",  # no two letters meet that the key folds
    "maria",  # i and a: the key writes both
    "ahmed",
    "saa",  # too short: a slip there reaches too many words
    "kaal1",  # not letters only
    "müüller",  # not ASCII
])
def test_no_rejoined_key_where_nothing_is_folded_or_the_word_is_short(word: str) -> None:
    assert rejoined_keys(word) == ()


def _index(names: list[str]) -> NameIndex:
    return _matcher(names).index


def _matcher(names: list[str]) -> Matcher:
    found = Matcher.from_entities([Entity(f"e{i}", "Person", source="test", names=[Name(n)])
                                   for i, n in enumerate([*names, *filler_names()])])
    assert not found.scan  # the index proposes, as on the full lists
    return found


@pytest.mark.parametrize(("typed", "listed"), _FOLDED)
def test_the_index_proposes_the_list_word_in_both_paths(typed: str, listed: str) -> None:
    index = _index([f"Ivo {listed.upper()}"])
    expanded = index._expand(typed)
    assert expanded[phonetic_key(listed)] == _FUZZY
    compiled = index._expand_ids(typed)
    table = index.key_ids
    assert [(table.key(k), v) for k, v in compiled.items()] == list(expanded.items())


@pytest.mark.parametrize(("typed", "listed"), _FOLDED)
def test_a_one_word_query_finds_the_name_through_the_index(typed: str, listed: str) -> None:
    matcher = _matcher([listed.capitalize()])
    found = matcher.match(Query(typed.capitalize(), schema="Person"), limit=5, threshold=0.0)
    assert [r.entity.id for r in found][:1] == ["e0"]


def test_a_word_two_letters_off_is_not_proposed() -> None:
    """A real second letter off (not a fold) stays the edit rules': Zalov is no slip of
    Zabalov, and its key reaches no deletion of it."""
    index = _index(["Ivo ZABALOV"])
    assert phonetic_key("zabalov") not in index._expand("zalov")
    assert phonetic_key("zabalov") not in index._expand("zaolov")


@pytest.mark.parametrize(("typed", "listed"), [
    ("dania", "danica"),  # i and a: the key keeps both
    ("maroa", "marota"),  # o and a
])
def test_a_letter_left_out_between_vowels_the_key_keeps_needs_no_rejoined_key(
        typed: str, listed: str) -> None:
    """The pairs the rule leaves out: the key writes both letters, so the word's key is one
    deletion from the list word's already and the plain neighbours propose it."""
    assert rejoined_keys(typed) == ()
    index = _index([f"Ivo {listed.upper()}"])
    assert index._expand(typed)[phonetic_key(listed)] == _FUZZY
