"""A letter left out of a spelling variant that a key reads (issue 10, item 4:
held-out+typo:dropped-letter).

A query typed from one spelling of a name with a letter left out ("Taeem", Taheem without
its h) met the list's other spelling (Tahim) as two or three plain edits: the letter left out
breaks the rule that read the two spellings as one name (the phonetic key reads ee as i no
longer once the h between is gone; a word without its first letter shares none of its keys),
and the edit similarity of a word of five or six letters with two edits falls far below
fuzzy_knee (0.48 to 0.67: the word lost its pairing, or cost a look-alike name's steep loss).
Now a word with one of the other word's letters put back before one of its own that reads as
the other by its phonetic key, by g for j, or with a letter written twice in one of the two
scores that rule's similarity less a letter left out (``match/similarity.py:
dropped_read_back``, kernel ``_similarity.pxi: _dropped_read_back``, score bound
``_prune.pxi: _pairs``).

Not words one edit apart (the edit rules'), not a letter put back after the last (another
ending), not the east-Slavic key nor the consonant rule with a letter put back (they fold
words far apart: Thanh / Chang, Bento / Bueno), not two letters left out, nor names in an
abjad.

Names are made up for the tests; scores are checked on the Python scorer and on the compiled
kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import Query
from discreet.match.rules import RULES
from discreet.match.similarity import dropped_read_back
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    indexed_persons,
    prepared,
    token_similarities,
)

# (typed: one spelling with a letter left out, listed: another spelling, the reading)
_READ_BACK = [
    ("taeem", "tahim", "taheem"),  # ee read i by the key once the h is back
    ("saeer", "samir", "sameer"),
    ("faeed", "farid", "fareed"),
    ("ajiba", "ragiba", "rajiba"),  # its first letter left out, then g for j
    ("ayar", "tayyar", "tayar"),  # its first letter left out, then a letter written twice
]


def _expected(reading: str, listed: str) -> float:
    """A key's similarity (phonetic_sim and doubled_sim are both 0.95) less a letter left
    out of the longer word."""
    return RULES.phonetic_sim * (1.0 - RULES.dropped_edit / max(len(reading), len(listed)))


@pytest.mark.parametrize(("typed", "listed", "reading"), _READ_BACK)
def test_a_letter_left_out_of_a_variant_reads_as_the_variant_less_a_slip(
        typed: str, listed: str, reading: str) -> None:
    expected = _expected(reading, listed)
    for a, b in ((typed, listed), (listed, typed)):
        assert dropped_read_back(a, b) == pytest.approx((expected, "fuzzy"))
        kernel, python = token_similarities(a, b, False)
        assert kernel == python
        assert python[0] == pytest.approx(expected)
        # never above the variant without the slip
        assert python[0] < RULES.phonetic_sim


@pytest.mark.parametrize(("typed", "listed", "reading"), _READ_BACK)
def test_the_rule_lifts_the_pair_over_its_edits(typed: str, listed: str, reading: str) -> None:
    """What the rule adds: the pair as plain edits scored below fuzzy_knee."""
    kernel, python = token_similarities(typed, listed, False)
    assert kernel == python
    assert python[0] > RULES.fuzzy_knee
    assert 1.0 - 2.0 / max(len(typed), len(listed)) < RULES.fuzzy_knee


@pytest.mark.parametrize(("one", "other"), [
    ("sales", "saleh"),  # one edit apart: a letter replaced, the edit rules'
    ("rajiba", "ajiba"),  # one letter left out, as written: dropped_letter's
    ("thanh", "chang"),  # the east-Slavic key folds tchanh and chang alike: not read so
    ("bento", "bueno"),  # the consonant rule with a consonant back frees the vowels
    ("raeed", "rashid"),  # two letters left out
    ("kari", "kareem"),  # the letter back after the last: another ending
    ("tae", "tahim"),  # lengths three apart
])
def test_other_pairs_are_no_letter_left_out_of_a_variant(one: str, other: str) -> None:
    assert dropped_read_back(one, other) is None
    assert dropped_read_back(other, one) is None
    kernel, python = token_similarities(one, other, False)
    assert kernel == python


def test_not_in_an_abjad() -> None:
    """A transliteration from an abjad writes no vowels: the rule is left to Latin names."""
    kernel, python = token_similarities("taeem", "tahim", True)
    assert kernel == python
    assert python[0] < _expected("taheem", "tahim")


@pytest.mark.parametrize(("query", "listed"), [
    ("Walid TAEEM", "Walid TAHIM"),
    ("Omid SAEER", "Omid SAMIR"),
    ("Karim AJIBA", "Karim RAGIBA"),
])
def test_a_name_with_a_letter_left_out_of_a_variant_rises(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= 0.75


@pytest.mark.parametrize(("query", "listed"), [
    ("Ivo THANH", "Ivo CHANG"),
    ("Ivo BENTO", "Ivo BUENO"),
    ("Tomas RAEED", "Tomas RASHID"),
])
def test_clean_names_stay_below_the_threshold(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < 0.7


def test_the_kernel_scores_names_of_letters_left_out_of_variants_as_python() -> None:
    assert_kernel_scores_random_names(
        ("taeem", "tahim", "taheem", "saeer", "samir", "faeed", "farid", "ajiba", "ragiba",
         "rajiba", "ayar", "tayyar", "tayar", "sales", "saleh", "thanh", "chang", "walid",
         "omid", "bento", "bueno"), seed=2222,
        cls="person")


def test_the_matcher_finds_a_letter_left_out_of_a_variant() -> None:
    """The index proposes the list name, the score bound keeps it and it ranks first."""
    listed = ["Omid Reza TAHIM", "Omid Reza TAMIM", "Omar Reza TAHIM"]
    matcher = indexed_persons(listed)
    results = matcher.match(Query("Omid Reza TAEEM", schema="Person"), threshold=0.5)
    assert results and results[0].entity.names[0].value == listed[0], [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= 0.85
    q = prepared("Omid Reza TAEEM", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for n in listed])
