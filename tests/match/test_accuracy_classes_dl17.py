"""A consonant left out of a spelling variant (issue 10, held-out+typo:dropped-letter).

A query typed from one spelling of a name with one of its consonants left out ("Barham" for
Barsham) met the list's other spelling (Barshem), whose vowels are written otherwise, as two
plain edits: the keys and the consonant rule, which read the two spellings as one name,
each see one consonant more on one side, and the edit similarity of a short word with two
edits falls far below fuzzy_knee. Now two words with the same first letter whose consonants
are the same once one consonant (not the first or last letter) is put back, one vowel
written otherwise, score the consonant rule's value less a slip
(``match/similarity.py: dropped_consonant``, kernel ``_similarity.pxi: _dropped_consonant``,
score bound ``_prune.pxi: _pairs``).

Not two-consonant skeletons (Sara / Sahar: two consonants are shared by too many names), not
a consonant at the word's end (another ending), not another first letter (Omar / Umair), not
two vowels written otherwise (Shuchenka / Shevchenko: another name one consonant off), not a
letter typed for another, nor names in an abjad.

"Hj" is read as the title it abbreviates (Haji), as Malay and Indonesian names write it.

Names are made up for the tests; scores are checked on the Python scorer and on the compiled
kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import Query
from discreet.match.rules import RULES
from discreet.match.similarity import dropped_consonant
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    indexed_persons,
    prepared,
    token_similarities,
)

# (typed: a spelling with one consonant left out, listed: another spelling of the name)
_LEFT_OUT = [
    ("barham", "barshem"),  # Barsham, its s left out; the list writes e for a
    ("tamuri", "talmori"),  # Talmuri, its l left out; the list writes o for u
    ("morad", "morzed"),  # Morzad, its z left out
]


def _expected(typed: str, listed: str, written: str) -> float:
    """The consonant rule's value of ``typed`` against ``written`` (``listed`` with the
    consonant left out, one vowel apart), less a slip of the longer word's letters."""
    fuzzy = 1.0 - 1.0 / max(len(typed), len(written))
    return ((RULES.consonant_base + RULES.consonant_scale * fuzzy)
            * (1.0 - 1.0 / max(len(typed), len(listed))))


@pytest.mark.parametrize(("typed", "listed", "written"), [
    ("barham", "barshem", "barhem"),
    ("tamuri", "talmori", "tamori"),
    ("morad", "morzed", "mored"),
])
def test_a_consonant_left_out_of_a_variant_reads_as_the_variant_less_a_slip(
        typed: str, listed: str, written: str) -> None:
    expected = _expected(typed, listed, written)
    for a, b in ((typed, listed), (listed, typed)):
        assert dropped_consonant(a, b) == pytest.approx((expected, "fuzzy"))
        kernel, python = token_similarities(a, b, False)
        assert kernel == python
        assert python[0] == pytest.approx(expected)
        # never above the variant without the slip
        assert python[0] < RULES.consonant_base + RULES.consonant_scale


@pytest.mark.parametrize(("typed", "listed"), _LEFT_OUT)
def test_the_rule_lifts_the_pair_over_its_edits(typed: str, listed: str) -> None:
    """What the rule adds: two plain edits scored lower."""
    kernel, python = token_similarities(typed, listed, False)
    assert kernel == python
    assert python[0] > 1.0 - 2.0 / max(len(typed), len(listed))


@pytest.mark.parametrize(("one", "other"), [
    ("sara", "sahar"),  # a skeleton of two consonants: shared by too many names
    ("jorga", "jorgen"),  # the consonant at the end: another ending
    ("omar", "umair"),  # another first letter
    ("shuchenka", "shevchenko"),  # two vowels written otherwise: another name
    ("khaeer", "khalir"),  # ee for i: two edits besides the consonant
    ("bergen", "bargel"),  # a letter typed for another, not left out
    ("marin", "marvin"),  # one letter left out, the vowels as written: the edit rules'
    ("barham", "barsheman"),  # lengths three apart
    ("brk", "barak"),  # no vowels: the vowel rules'
])
def test_other_pairs_are_no_consonant_left_out_of_a_variant(one: str, other: str) -> None:
    assert dropped_consonant(one, other) is None
    assert dropped_consonant(other, one) is None
    kernel, python = token_similarities(one, other, False)
    assert kernel == python


def test_not_in_an_abjad() -> None:
    """A transliteration from an abjad writes no vowels: the rule is left to Latin names."""
    kernel, python = token_similarities("barham", "barshem", True)
    assert kernel == python
    assert python[0] < _expected("barham", "barshem", "barhem")


@pytest.mark.parametrize(("query", "listed"), [
    ("Walid BARHAM", "Walid BARSHEM"),
    ("Omid TAMURI", "Omid TALMORI"),
])
def test_a_name_with_a_consonant_left_out_of_a_variant_rises(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= 0.65


@pytest.mark.parametrize(("query", "listed"), [
    ("Luis SARA", "Luis SAHAR"),
    ("Ivo JORGA", "Ivo JORGEN"),
    ("Ivo OMAR", "Ivo UMAIR"),
    ("Tomas BERGEN", "Tomas BARGEL"),
])
def test_clean_names_stay_below_the_threshold(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < 0.5


def test_the_kernel_scores_names_of_consonants_left_out_as_python() -> None:
    assert_kernel_scores_random_names(
        ("barham", "barshem", "barsham", "tamuri", "talmori", "khaeer", "khalir", "morad",
         "morzed", "sara", "sahar", "jorga", "jorgen", "walid", "omid", "shuchenka",
         "shevchenko"), seed=1717,
        cls="person")


def test_the_matcher_finds_a_consonant_left_out_of_a_variant() -> None:
    """The index proposes the list name, the score bound keeps it and it ranks first."""
    listed = ["Omid Reza TALMORI", "Omid Reza TALBOTI", "Omar Reza TALMORI"]
    matcher = indexed_persons(listed)
    results = matcher.match(Query("Omid Reza TAMURI", schema="Person"), threshold=0.5)
    assert results and results[0].entity.names[0].value == listed[0], [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= 0.8  # 0.72 as two plain edits
    q = prepared("Omid Reza TAMURI", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for n in listed])


def test_hj_is_read_as_the_title_it_abbreviates() -> None:
    """"Hj." writes Haji before Malay and Indonesian names: a title, weighing as little as
    Haji does, so a name with it is the name without it."""
    q = prepared("Hj. Farid Osmanto", "person")
    assert q.kinds[q.tokens.index("hj")] == "title"
    assert both_scores("Hj. Farid OSMANTO", "Haji Farid OSMANTO", "person", "person") \
        >= both_scores("Farid OSMANTO", "Haji Farid OSMANTO", "person", "person")
    # a title the list leaves out costs next to nothing (as a name word it cost a third)
    assert both_scores("Hj. Farid OSMANTO", "Farid OSMANTO", "person", "person") >= 0.95


def test_the_matcher_finds_a_name_behind_hj() -> None:
    """A rare query word the list name cannot share held the list name out of the index's
    candidates; read as a title, it asks nothing of them."""
    listed = ["Haji Farid OSMANTO", "Farida OSMAN"]
    matcher = indexed_persons(listed)
    results = matcher.match(Query("Hj Farid OSMANTO", schema="Person"), threshold=0.5)
    assert results and results[0].entity.names[0].value == listed[0]
    assert results[0].score >= 0.95  # 0.93 with Hj a name word the list leaves out
