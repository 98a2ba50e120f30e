"""An initial H whose vowel was dropped or moved behind the s (issue 10, held-out+typo misses).

The phonetic key reads a word beginning "hs" before a vowel as Wade-Giles s (Hsu, Hsieh:
Su, Sieh). An Arabic name's initial H with its vowel left out ("Hsan", "Hsam" for Hasan,
Hasam) or moved behind the s ("Hsaam" for Hasam, "Hsuamid" for Husamid) is then read as
another word (San, Sam): its key is two letters from the list word's, no one-deletion
neighbour reaches it, and the word's key being posted (Sam is a list word) keeps its
readings with two letters swapped back from being looked up. The index now also looks up
the neighbours of the word's key with its h kept (``match/index.py: h_kept_key``): one
deletion from the list word's key. Only proposals change; the scores are the scorer's.

Names are made up for the tests but Hasan, Hasam, Husein (the held-out aliases' words).
"""

from __future__ import annotations

import pytest

from discreet.match import Query
from discreet.match.index import _FUZZY, NameIndex, h_kept_key
from discreet.text.names import name_class
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import indexed_persons

# (typed, listed): the list word with the vowel after its H dropped or moved behind the s
_SLIPS = [
    ("hsaam", "hasam"),  # moved: a transposition
    ("hsam", "hasam"),  # dropped
    ("hsan", "hasan"),
    ("hsein", "husein"),
    ("hsairan", "hasiran"),
    ("hsuamid", "husamid"),
    ("hsomander", "hosmander"),
]


@pytest.mark.parametrize(("typed", "listed"), _SLIPS)
def test_the_key_reads_the_slip_as_another_word(typed: str, listed: str) -> None:
    """Why the rule is needed: the key drops the h, and is then more than one deletion
    from the list word's (no plain neighbour reaches it)."""
    own, wanted = phonetic_key(typed), phonetic_key(listed)
    assert not own.startswith("h")
    assert len(wanted) - len(own) >= 1
    assert own not in {wanted[:i] + wanted[i + 1:] for i in range(len(wanted))}


@pytest.mark.parametrize(("typed", "listed"), _SLIPS)
def test_the_key_with_its_h_kept_is_one_slip_from_the_list_words(
        typed: str, listed: str) -> None:
    held = h_kept_key(typed)
    assert held is not None and held.startswith("hs")
    wanted = phonetic_key(listed)
    near = {wanted[:i] + wanted[i + 1:] for i in range(len(wanted))}
    assert held in near or {held[:i] + held[i + 1:] for i in range(len(held))} & near


@pytest.mark.parametrize("word", [
    "hsu",  # shorter than a slip is read in
    "hsn",  # no vowel: an abjad's h-s (Hussein written hsyn), read as written already
    "hasan",  # no initial hs
    "shaam",
    "hs1am",  # not letters only
    "hsäm",  # not ASCII
])
def test_no_reading_for_other_words(word: str) -> None:
    assert h_kept_key(word) is None


def _index(names: list[str]) -> NameIndex:
    return indexed_persons(names).index  # the index proposes, as on the full lists


@pytest.mark.parametrize(("typed", "listed"), _SLIPS)
def test_the_index_proposes_the_list_word_in_every_path(typed: str, listed: str) -> None:
    index = _index([f"Ivo {listed.upper()}", "Sam SAMSON", "Ivo SAN", "Sein SEINER"])
    expanded = index._expand(typed)
    assert expanded[phonetic_key(listed)] == _FUZZY
    table = index.key_ids
    compiled = index._expand_ids(typed)
    assert [(table.key(k), v) for k, v in compiled.items()] == list(expanded.items())
    assert index._new_token(typed, False) == index._token_by_rule(typed, False)


def test_the_wade_giles_reading_is_kept() -> None:
    """Hsu and Hsieh still meet Su and Sieh by their own keys, at full credit."""
    index = _index(["Ivo SIEH", "Lin SU"])
    assert index._expand("hsieh")[phonetic_key("sieh")] == 1.0
    assert index._expand("hsu")[phonetic_key("su")] == 1.0


@pytest.mark.parametrize(("typed", "listed"), [("Hsaam", "Hasam"), ("Hsan", "Hasan Kurdawi")])
def test_a_query_finds_the_name_beside_the_namesakes_of_its_misreading(
        typed: str, listed: str) -> None:
    """Names with the word the slip reads as (Sam, San) are proposed, as before; the name
    with the word the slip was made of is proposed too (it shares no key with the word
    read as Wade-Giles s), and found (the scorer's own reading)."""
    decoys = [f"{typed[1:].capitalize()} {chr(65 + i)}DOROV" for i in range(10)]
    matcher = indexed_persons([*decoys, listed])
    q = matcher.prepare(typed, name_class("Person"))
    proposed = matcher.found(q)
    assert 10 in proposed and 0 in proposed
    found = matcher.match(Query(typed, schema="Person"), limit=20, threshold=0.0)
    assert "e10" in [r.entity.id for r in found]
