"""A letter left out of a spelling variant (issue 10, held-out+typo:dropped-letter).

A query typed from one romanisation of a name with a letter left out ("Svyatslav" for
Svyatoslav) met the list's other romanisation (Sviataslau) as two or three plain edits: the
east-Slavic key that reads the two spellings as one name was computed on the word with the
slip, and a letter left out of a group the key reads (ts, kh, a vowel between two letters it
writes once) changes what it reads, so the keys were more than one slip apart
(``slipped_variant``'s test) and the pair fell below ``RULES.fuzzy_knee``. Now one word with
one of its letters left out, where the two words differ, is compared by its east-Slavic key
too (``match/similarity.py: dropped_on_variant``, kernel ``_similarity.pxi:
_dropped_on_variant``, score bound ``_prune.pxi: _pairs``): the variant's similarity times
1 - 1 / the longer word's letters, as ``slipped_variant`` scores a slip on a variant.

Not the phonetic key: it folds vowels and y so freely that a word one consonant short of
another surname shares it (a clean Ukrainian surname rose over the 1% FPR threshold so
against another one a letter longer). Not the longer word's last letter (Sancho / Sanchez: another
ending), not words one edit apart (the other rules'), nor words under four letters, nor
names in an abjad.

Names are made up for the tests; scores are checked on the Python scorer and on the compiled
kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.rules import RULES
from discreet.match.similarity import dropped_on_variant, slipped_variant
from discreet.model import Entity, Name
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    prepared,
    token_similarities,
)

# (typed: a Russian spelling with a letter left out, listed: the Belarusian spelling)
_DROPPED_ON_VARIANT = [
    ("svyatslav", "sviataslau"),  # Svyatoslav, its o left out
    ("rostslav", "rastsislau"),  # Rostislav, its i left out (ts / s read differently)
    ("belosov", "belausau"),  # Belousov, its u left out
]


@pytest.mark.parametrize(("typed", "listed"), _DROPPED_ON_VARIANT)
def test_a_letter_left_out_of_a_spelling_variant_reads_as_the_variant_less_a_slip(
        typed: str, listed: str) -> None:
    expected = RULES.east_slavic_sim * (1.0 - 1.0 / max(len(typed), len(listed)))
    for a, b in ((typed, listed), (listed, typed)):
        assert dropped_on_variant(a, b) == pytest.approx((expected, "fuzzy"))
        kernel, python = token_similarities(a, b, False)
        assert kernel == python
        assert python[0] == pytest.approx(expected)
        # never above the variant without the slip
        assert python[0] < RULES.east_slavic_sim


@pytest.mark.parametrize(("typed", "listed"), [("svyatslav", "sviataslau"),
                                               ("rostslav", "rastsislau")])
def test_the_keys_of_the_words_as_written_are_more_than_one_slip_apart(
        typed: str, listed: str) -> None:
    """What the rule adds: the earlier rule on the keys did not see these."""
    assert slipped_variant(typed, listed) is None


@pytest.mark.parametrize(("query", "listed"), [
    ("Svyatslav KORNEV", "Sviataslau KORNEU"),
    ("Svyatslav BELOUSOV", "Sviataslau BELAUSAU"),
    ("Svyatslav Pavlovich KORNEV", "Sviataslau Paulavich KORNEU"),
])
def test_a_name_with_a_letter_left_out_of_a_variant_alerts(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("one", "other"), [
    ("shiyan", "sheyman"),  # the phonetic key (si-an) is no reading of a slip: two surnames
    ("paris", "pardis"),  # one edit: the other rules'
    ("kornev", "korneu"),  # the variant itself (east_slavic_sim, not less)
    ("zuev", "zueu"),
    ("lev", "leva"),  # under four letters
    ("korolv", "karaliou"),  # two letters left out, or more: another word
    ("sancho", "sanchez"),  # the last letter left out: another ending
    ("petrov", "petrovna"),
])
def test_other_pairs_are_no_letter_left_out_of_a_variant(one: str, other: str) -> None:
    assert dropped_on_variant(one, other) is None
    assert dropped_on_variant(other, one) is None
    kernel, python = token_similarities(one, other, False)
    assert kernel == python


def test_not_in_an_abjad() -> None:
    """A transliteration from an abjad writes no vowels: the rule is left to Latin names."""
    kernel, python = token_similarities("rostslav", "rastsislau", True)
    assert kernel == python
    assert python[0] < RULES.east_slavic_sim * (1.0 - 1.0 / len("rastsislau"))


def test_clean_names_a_consonant_apart_stay_below_the_threshold() -> None:
    """A surname one consonant short of another, its vowels written otherwise, is another
    surname (the phonetic key would have read it as a slip)."""
    assert both_scores("Viktoriya SHIYAN", "Viktor Vladimirovich SHEYMAN", "person",
                       "person") < 0.62
    assert both_scores("Paris", "PARDIS INVESTMENT COMPANY", "org", "org") < DEFAULT_THRESHOLD
    # a name one letter longer at its end has another ending (Sancho is not Sanchez)
    assert both_scores("Luis Sancho", "Luis Sanchez", "person", "person") < DEFAULT_THRESHOLD


def test_the_kernel_scores_names_of_letters_left_out_of_variants_as_python() -> None:
    assert_kernel_scores_random_names(
        ("svyatslav", "sviataslau", "svyatoslav", "rostslav", "rastsislau", "rostislav",
         "belosov", "belausau", "belousov", "kornev", "korneu", "shiyan", "sheyman",
         "vladslav", "uladzislau", "pavlovich", "paulavich"), seed=1616, cls="person")


def test_the_matcher_finds_a_letter_left_out_of_a_variant() -> None:
    """The index proposes the list name, the score bound keeps it and it ranks first."""
    listed = [("p-1", "Sviataslau Paulavich KORNEU"), ("p-2", "Stanislau Paulavich KORNEU"),
              ("p-3", "Sviataslau Paulavich KARNEYEU"), ("p-4", "Viachaslau KORNEU")]
    matcher = Matcher.from_entities(
        [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed])
    results = matcher.match(Query("Svyatslav Pavlovich KORNEV", schema="Person"),
                            threshold=0.5)
    assert results and results[0].entity.id == "p-1", [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= DEFAULT_THRESHOLD
    q = prepared("Svyatslav Pavlovich KORNEV", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for _, n in listed])
