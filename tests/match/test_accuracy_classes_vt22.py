"""Classes of misses of the held-out evaluation's vowels-dropped typos (issue 10, item 4),
twenty-second session.

An organisation's name written wholly without vowels with ONE word of three letters or
more of its own and another word of its own, a two-letter word or a letter alone ("PY PRTV"
for PAYA PARTO, "G KHT"), was not read as written without vowels
(``prepare.written_without_vowels`` asked two words of three letters or more): its long
word was compared as a Latin word typed without vowels, which must meet the list word's own
letters, so a consonant romanised otherwise (sh / ch, gh / q, kh / h) met nothing. Such an
organisation's name (of the class "org", or with a legal form of its own:
``prepare.read_without_vowels``) is now read as one written without vowels (compared as an
abjad's transliteration is), when its two words are written apart: letters in twos and
threes joined by a hyphen are a code (an aircraft's registration mark, "EP-MNQ"), and a word
the lists write so themselves (JSC, LTD, Mr) is no word of its own ("JSC SMN" stays an
acronym and its form). A person's name so short is left as it was: it is as often a
Vietnamese, Chinese or Korean name ("V Tn Trn", "Kh Hng"), whose skeletons so read met
listed namesakes (measured on clean names with their vowels dropped).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.prepare import read_without_vowels, written_without_vowels
from discreet.model import Entity, Name
from discreet.text.names import NameClass
from tests.match.scoring import assert_kernel_scores_random_names, both_scores, prepared


@pytest.mark.parametrize(("name", "org", "bare"), [
    ("PY PRTV", True, True),  # a two-letter word beside the long one
    ("G KHT", True, True),  # a letter alone beside it
    ("PY PRTV", False, False),  # a person's (or no class's) name so short: as before
    ("V Tn Trn", False, False),
    ("Hmd SHKR", False, True),  # two long words: as before, whoever's
    ("EP-MNQ", True, False),  # a registration mark: letters in twos and threes, joined
    ("EPP-DG", True, False),
    ("JSC SMN", True, False),  # the other word is a legal form the lists write so
    ("Mr HMD", True, False),  # ... a title
    ("DSM", True, False),  # one word: an acronym as often
    ("GL RD", True, False),  # no word of three letters
    ("PY PRTVA", True, False),  # a vowel written: a name with vowels
])
def test_a_short_name_written_without_vowels(name: str, org: bool, bare: bool) -> None:
    assert written_without_vowels(name, org) is bare


@pytest.mark.parametrize(("name", "cls", "bare"), [
    ("PY SHMS", "org", True),
    ("PY SHMS LLC", "any", True),  # no class, but a legal form of its own
    ("PY SHMS", "any", False),
    ("L SHKR", "person", False),
])
def test_a_query_is_read_without_vowels_as_an_organisation_s(name: str, cls: NameClass,
                                                              bare: bool) -> None:
    assert read_without_vowels(prepared(name, cls)) is bare


@pytest.mark.parametrize(("query", "listed", "cls"), [
    ("PY SHMS", "PAYA CHAMS", "org"),  # sh / ch
    ("ZR GHNM", "ZAR QANEM", "org"),  # gh / q
    ("G SHMS", "GEO CHAMS", "org"),  # a letter alone beside the long word
    ("PY SHMS LTD", "PAYA CHAMS LIMITED", "org"),
    ("PY SHMS LLC", "PAYA CHAMS LLC", "any"),
])
def test_a_short_organisation_s_name_without_vowels_meets_its_romanisation(
        query: str, listed: str, cls: NameClass) -> None:
    assert both_scores(query, listed, cls, cls) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed", "cls"), [
    ("PY SHMS", "PAYA SHAMAL", "org"),  # another consonant: another name
    ("PY SHMS", "POLY CHEMS", "org"),  # the short word is another one
    ("ZR GHNM", "ZAR GHANDI", "org"),
    ("L SHKR", "Li CHAKER", "person"),  # a person's short name: its words as typed
    ("V Tn Trn", "Vo Tan TRUNG", "person"),
])
def test_a_short_name_without_vowels_does_not_meet_another(
        query: str, listed: str, cls: NameClass) -> None:
    assert both_scores(query, listed, cls, cls) < 0.5


def test_the_matcher_finds_short_organisation_s_names_written_without_vowels() -> None:
    names = [("PAYA CHAMS", "Company"), ("ZAR QANEM", "Company"), ("PAYA SHAMAL", "Company"),
             ("ZAR GHANDI", "Company"), ("Li CHAKER", "Person")]
    matcher = Matcher.from_entities(
        Entity(id=f"e{k}", schema=schema, names=[Name(name)])
        for k, (name, schema) in enumerate(names))
    for query, schema, expected in (("PY SHMS", "Company", ["e0"]),
                                    ("ZR GHNM", "Company", ["e1"]),
                                    ("L SHKR", "Person", [])):
        results = matcher.match(Query(query, schema=schema))
        assert [r.entity.id for r in results] == expected, query


@pytest.mark.parametrize("cls", ["org", "person", "any"])
def test_kernel_scores_short_names_written_without_vowels_as_python(cls: NameClass) -> None:
    words = ("py", "prtv", "g", "kht", "shms", "paya", "chams", "zr", "ghnm", "qanem", "llc",
             "l", "shkr", "chaker", "ltd", "ep-mnq")
    assert_kernel_scores_random_names(words, 22, cls)
