"""A name cut by a field limit between the letters of ch, kh or ph (issue 10, truncated).

A query long enough to have been cut (``score.may_be_truncated``) looks up the list words
its last word begins (``NameIndex._cut_keys``): exact letters. When the list spells the
word otherwise (Khadanovich for a cut "KHODANOVIC") only the cut word's own keys and their
one-deletion neighbours can meet it, and a cut between the c and the h of -ich (or the k
and h of kh, the p and h of ph) changes the key's last sound: "khodanovic" is
``hodanovik``, two letters from Khadanovich's ``hadanovic``. The cut word no list word
writes is now also read with its h, by its keys and their neighbours, at a cut word's
credit. Only proposals change; the scores are the scorer's.

Names are made up for the tests.
"""

from __future__ import annotations

import pytest

from discreet.match import Query
from discreet.match.index import NameIndex
from discreet.match.score import may_be_truncated
from discreet.text.names import name_class
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import indexed_persons

# (the query, cut, and the list word spelled otherwise)
_CUT = [
    ("Mikhail Ivanovich BORTOSHEVIC", "BORTASHEVICH"),  # cut in -ich, o for a
    ("Sergei Pavlovich KOLYANOVIC", "KALYANOVICH"),  # o for a
    ("Anatoli Borisovich ZAVARUK", "ZAVORUKH"),  # cut in kh
    ("Konstantin Ivanovich RENDOLP", "RANDOLPH"),  # cut in ph
]


def _index(names: list[str]) -> NameIndex:
    return indexed_persons(names).index  # the index proposes, as on the full lists


@pytest.mark.parametrize(("query", "listed"), _CUT)
def test_the_cut_words_key_is_two_slips_from_the_list_words(query: str, listed: str) -> None:
    """Why the rule is needed: neither the cut word's key nor the list words it begins
    reach the list word spelled otherwise."""
    cut, wanted = query.split()[-1].lower(), phonetic_key(listed.lower())
    assert not listed.lower().startswith(cut)
    own = phonetic_key(cut)
    near = {wanted[:i] + wanted[i + 1:] for i in range(len(wanted))}
    assert own not in near and not near & {own[:i] + own[i + 1:] for i in range(len(own))}


@pytest.mark.parametrize(("query", "listed"), _CUT)
def test_the_cut_word_read_with_its_h_meets_the_list_word(query: str, listed: str) -> None:
    matcher = indexed_persons([f"Ivo {listed}"])
    q = matcher.prepare(query, name_class("Person"))
    assert may_be_truncated(q)
    keys = matcher.index._query_keys(q)
    assert phonetic_key(listed.lower()) in keys or "s:" + phonetic_key(listed.lower()) in keys \
        or any(key in keys for key in matcher.index._expand(listed.lower()))
    assert 0 in matcher.found(q)


@pytest.mark.parametrize(("query", "listed"), _CUT)
def test_a_whole_short_name_is_not_read_as_cut(query: str, listed: str) -> None:
    """A name too short to have been cut keeps its last word as written."""
    index = _index([f"Ivo {listed}"])
    short = query.split()[-1]
    matcher_q = indexed_persons([f"Ivo {listed}"]).prepare(short, name_class("Person"))
    assert not may_be_truncated(matcher_q)
    assert phonetic_key(listed.lower()) not in index._query_keys(matcher_q)


def test_a_cut_word_the_lists_write_is_not_read_again() -> None:
    """KOVAC is a list word: a name ending in it is read as written (its own keys and
    neighbours), not as Kovach, whose neighbour Kavach it would meet."""
    matcher = indexed_persons(["Ivo KOVAC", "Ivo KAVACH"])
    q = matcher.prepare("Mikhail Ivanovich Petrov KOVAC", name_class("Person"))
    assert may_be_truncated(q)
    assert phonetic_key("kavach") not in matcher.index._query_keys(q)


def test_the_name_is_found_among_namesakes_of_the_given_names() -> None:
    """Fifty names with the query's given name and patronymic fill the candidates' places;
    the one whose surname the cut word was is proposed and ranks first."""
    decoys = [f"Mikhail Ivanovich {chr(65 + i // 26)}{chr(65 + i % 26)}LOV" for i in range(50)]
    matcher = indexed_persons([*decoys, "Mikhail Ivanovich BORTASHEVICH"])
    found = matcher.match(Query("Mikhail Ivanovich BORTOSHEVIC", schema="Person"), limit=5,
                          threshold=0.0)
    assert [r.entity.id for r in found][:1] == ["e50"]
