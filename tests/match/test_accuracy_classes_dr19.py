"""A first letter left out of a four-letter word (issue 10, held-out+typo:dropped-letter).

"Bsi" for Absi, "Alu" for Nalu: the slip at a word's start (``similarity.start_slip``)
asks four letters of both words, and a letter left out after the first of a short word
(``similarity.dropped_letter``) the same first letter, so one letter left out of four scored
as a plain edit, 0.75, below fuzzy_knee, where look-alike names begin. It is now priced as
a letter left out elsewhere in a short word (``similarity.dropped_first``, kernel
``_similarity.pxi: _dropped_first``): 1 - dropped_edit / 4. The rest must be as written,
neither word a known given name (Ali / Mali, Ana / Dana: two names as often as a slip),
and not in a name written in an abjad (its words are skeletons).

Names are made up for the tests; every similarity and score is asserted on both paths,
Python and the compiled kernel.
"""

from __future__ import annotations

import pytest

from discreet.match import Query
from discreet.match.rules import RULES
from discreet.match.similarity import dropped_first
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    indexed_persons,
    prepared,
    token_similarities,
)

_PRICE = 1.0 - RULES.dropped_edit / 4  # 0.8125

# (typed, listed): the list word with its first letter left out
_LEFT_OUT = [("bzo", "abzo"), ("ulo", "tulo"), ("eki", "reki"), ("zuk", "azuk"),
             ("orn", "born")]  # (a whole edit before: test_accuracy_classes_dl15 held it so)


@pytest.mark.parametrize(("typed", "listed"), _LEFT_OUT)
def test_a_first_letter_left_out_of_four_costs_a_dropped_letter(typed: str,
                                                                   listed: str) -> None:
    for a, b in ((typed, listed), (listed, typed)):
        assert dropped_first(a, b) == (_PRICE, "fuzzy")
        kernel, python = token_similarities(a, b, False)
        assert kernel == python == (_PRICE, "fuzzy")


@pytest.mark.parametrize(("one", "other"), [
    ("ali", "mali"),  # ali is a known given name: another name as often as a slip
    ("ana", "dana"),
    ("ida", "rida"),  # rida is one
    ("abu", "kabi"),  # the rest not as written (a vowel otherwise)
    ("bzo", "bzor"),  # the same first letter: dropped_letter's
    ("bzo", "abzor"),  # two letters more
    ("amir", "samir"),  # four letters and five: start_slip's
    ("bz1", "abz1"),  # not letters only
])
def test_other_pairs_are_not_this_rule(one: str, other: str) -> None:
    assert dropped_first(one, other) is None
    kernel, python = token_similarities(one, other, False)
    assert kernel == python


def test_not_ascii() -> None:
    assert dropped_first("бзо", "абзо") is None


@pytest.mark.parametrize(("one", "other"), [("ali", "mali"), ("ana", "dana"), ("ida", "rida")])
def test_known_given_names_keep_the_plain_edit(one: str, other: str) -> None:
    kernel, python = token_similarities(one, other, False)
    assert kernel == python
    assert python[0] < _PRICE


def test_not_in_an_abjad() -> None:
    """A transliteration from an abjad writes skeletons: a letter more is no slip there."""
    kernel, python = token_similarities("bzo", "abzo", True)
    assert kernel == python
    assert python[0] < _PRICE


@pytest.mark.parametrize(("query", "listed", "cls", "least"), [
    ("Tarek al BZO", "Tarek al ABZO", "person", 0.8),  # 0.70 before
    ("Tarek BZO", "Tarek ABZO", "person", 0.8),  # 0.67
    ("Omar ZUK", "Omar AZUK", "person", 0.75),  # 0.61
    ("EKI TRADING", "REKI TRADING", "org", 0.7),  # 0.48
    ("ULO", "TULO", "org", 0.62),  # 0.35
])
def test_a_name_with_a_first_letter_left_out_rises(query: str, listed: str, cls: str,
                                                    least: float) -> None:
    assert both_scores(query, listed, cls, cls) >= least  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "listed", "most"), [
    ("Yessica Ali KHAN", "Mali KHAN", 0.55),  # ali: a given name, not a slip of Mali
    ("Ida HASSANAH", "Rida HASAN", 0.62),
    ("Omar ZUK", "Omar ZUKA", 0.62),  # a vowel at the end: another form (dropped_letter)
])
def test_clean_names_do_not_rise(query: str, listed: str, most: float) -> None:
    assert both_scores(query, listed, "person", "person") < most


def test_the_kernel_scores_names_of_first_letters_left_out_as_python() -> None:
    assert_kernel_scores_random_names(
        ("bzo", "abzo", "ulo", "tulo", "eki", "reki", "ali", "mali", "ana", "dana", "zuk",
         "azuk", "tarek", "omar", "trading", "al"), seed=1919, cls="person")


def test_the_matcher_finds_a_name_with_a_first_letter_left_out() -> None:
    """The index proposes the list name (a one-deletion neighbour of the typed word's key),
    the score bound keeps it and it ranks first."""
    listed = ["Tarek al ABZO", "Tarek al ABZAL", "Tariq al BAZO"]
    matcher = indexed_persons(listed)
    results = matcher.match(Query("Tarek al BZO", schema="Person"), threshold=0.5)
    assert results and results[0].entity.names[0].value == listed[0], [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= 0.8  # 0.70 as a plain edit
    q = prepared("Tarek al BZO", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for n in listed])
