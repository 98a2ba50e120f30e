"""An Arabic diphthong written ai or au in the query, ei or ou in the list (issue 10).

The phonetic key folds the ei, ey and ou of one romanisation to i and u (Suleiman,
Suleyman: ``suliman``; Shoukat: ``sukat``) and keeps the ai, ay and au another writes
for the same diphthong (Sulaiman, Sulayman: ``sulaiman``; Shaukat: ``saukat``). A list
word written ei is then one deletion from a query word written ai: found when the query's
key is no list key (its deletions are looked up), not when another list name writes the
query's spelling (a known key's deletions are not: "Ma'alin Sullayman" missed Ma'alim
Suleiman in the held-out test). The other way round the list word's key is the query
key's neighbour, always looked up. The index now also looks up the query key with the
a of such a diphthong left out (``match/index.py: diphthong_keys``), at a neighbour's
credit. Only proposals change; the scores are the scorer's.

Names are made up for the tests but the common words Sulaiman, Suleiman, Shaukat, Zain.
"""

from __future__ import annotations

import pytest

from discreet.match.index import _FUZZY, NameIndex, diphthong_keys
from discreet.text.names import name_class
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import indexed_persons

# (query word written ai/ay/au, list word written ei/ey/ou)
_PAIRS = [
    ("sulaiman", "suleiman"),
    ("sullayman", "suleyman"),
    ("shaukat", "shoukat"),
    ("zain", "zein"),
    ("dairabek", "deirabek"),
    ("haidarov", "heidarov"),
]


@pytest.mark.parametrize(("typed", "listed"), _PAIRS)
def test_the_list_words_key_is_a_deletion_of_the_query_words(typed: str, listed: str) -> None:
    wanted = phonetic_key(listed)
    assert wanted in diphthong_keys(phonetic_key(typed))


@pytest.mark.parametrize("key", [
    phonetic_key("ayaz"),  # the y of a-yaz is a consonant: before a vowel
    phonetic_key("mayar"),
    phonetic_key("ayman"),  # a first ai is the name's own (Iman is another name)
    phonetic_key("kai"),  # too short: a slip there reaches too many words
    phonetic_key("petrov"),  # no ai or au
    phonetic_key("sulaimani")[:3],
])
def test_no_diphthong_read_elsewhere(key: str) -> None:
    assert diphthong_keys(key) == ()


def _index(names: list[str]) -> NameIndex:
    return indexed_persons(names).index  # the index proposes, as on the full lists


@pytest.mark.parametrize(("typed", "listed"), _PAIRS)
def test_a_query_word_the_lists_write_finds_the_other_spelling(
        typed: str, listed: str) -> None:
    """The query's spelling is a list word too (its key is posted): the list word written
    ei or ou is proposed, in the rule and in the compiled reading alike."""
    index = _index([f"Ivo {listed.upper()}", f"{typed.capitalize()} KAPRANOV"])
    assert index._known(typed)
    expanded = index._expand(typed)
    assert expanded[phonetic_key(typed)] == 1.0
    assert expanded[phonetic_key(listed)] == _FUZZY
    table = index.key_ids
    compiled = index._expand_ids(typed)
    assert [(table.key(k), v) for k, v in compiled.items()] == list(expanded.items())
    assert index._new_token(typed, False) == index._token_by_rule(typed, False)


def test_the_name_is_proposed_for_a_two_word_query() -> None:
    """ "Ma'alin Sullayman" (a doubled l, a held-out spelling): the list's Ma'alim
    Suleiman shares its surname's key now, as well as the given name's neighbour."""
    names = ["Ma'alim Suleiman", "Sulaiman KAPRANOV"]
    matcher = indexed_persons(names)
    q = matcher.prepare("Ma'alin Sullayman", name_class("Person"))
    assert phonetic_key("suleiman") in matcher.index._query_keys(q)
    assert 0 in matcher.found(q)
