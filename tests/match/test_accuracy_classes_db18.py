"""A letter typed three times in a row (session 18, issue 10, held-out+typo:doubled-letter):
a key held a moment too long on a letter the name already writes twice ("Abdelllah" for
Abdellah, "Mohammmad" for Mohammad).

A letter written twice is the letter once in every language the lists use, but is also
how many names are spelled (Hasan / Hassan), so a word that differs from another only by
a run of a letter keeps ``RULES.doubled_sim`` (0.95). No spelling of a name writes a letter
three times in a row, so a word that is another once each run of three or more is written
twice is the same word (``similarity.typed_thrice``, ``RULES.initial_twice_sim``, the
number of the other slip no spelling makes: a word's first consonant typed twice). Two
words that differ otherwise keep the doubled-letter rule's cost (Mohammmed / Mohamed: a
letter typed twice more than the spelling writes), and a roman numeral's letters are two
numbers (XIII / XII), not a slip.

Names are made up for the tests, never the benchmark's cases; similarities and scores are
checked on the Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Query
from discreet.match.rules import RULES
from discreet.match.similarity import initial_twice, typed_thrice
from tests.match.scoring import (
    assert_kernel_scores_random_names,
    both_scores,
    indexed_persons,
    token_similarities,
)


@pytest.mark.parametrize(("a", "b"), [("zabelllin", "zabellin"), ("korrrado", "korrado"),
                                      ("mattteucci", "matteucci"), ("nuzzzari", "nuzzari"),
                                      ("pelletttier", "pellettier"), ("bossss", "boss")])
def test_a_letter_typed_three_times_is_the_word(a: str, b: str) -> None:
    """A run of three (or more) where the other word writes two is a slip: the word."""
    assert typed_thrice(a, b) and typed_thrice(b, a)
    compiled, python = token_similarities(a, b, 0)
    assert compiled == python == (RULES.initial_twice_sim, "phonetic")


def test_a_first_letter_written_twice_typed_three_times() -> None:
    """A word that begins with a letter twice (Llosa) typed with it three times: not the
    first-consonant rule (the word writes that letter twice already), but this one."""
    assert not initial_twice("lllosa", "llosa") and typed_thrice("lllosa", "llosa")
    compiled, python = token_similarities("lllosa", "llosa", 0)
    assert compiled == python == (RULES.initial_twice_sim, "phonetic")


@pytest.mark.parametrize(("a", "b"), [
    ("zabelllin", "zabelin"),  # two letters more than the spelling: a doubled letter still
    ("korado", "korrado"),  # a letter written twice is a spelling (Hasan / Hassan)
    ("xiii", "xii"),  # two roman numerals
    ("mcccx", "mccx"),
])
def test_other_runs_keep_the_doubled_letter_cost(a: str, b: str) -> None:
    """Not three letters against two: the doubled-letter rule's number, as before."""
    assert not typed_thrice(a, b)
    compiled, python = token_similarities(a, b, 0)
    assert compiled == python == (RULES.doubled_sim, "phonetic")


@pytest.mark.parametrize(("a", "b"), [("zabelllin", "zabellin"), ("korrrado", "korrado")])
def test_not_in_an_abjad_skeleton(a: str, b: str) -> None:
    """In a name written in an abjad, letters of a skeleton a vowel kept apart are no slip:
    the doubled-letter rule's number, as every run there."""
    compiled, python = token_similarities(a, b, 1)
    assert compiled == python == (RULES.doubled_sim, "phonetic")


def test_the_name_scores_as_the_name() -> None:
    """A person's name with a letter typed three times scores as the name itself, and
    alerts; the kernel agrees."""
    listed = "Korrado ZABELLIN"
    assert both_scores("Korrrado ZABELLIN", listed, "person", "person") == \
        both_scores(listed, listed, "person", "person")
    matcher = indexed_persons([listed])
    found = matcher.match(Query("Korrado ZABELLLIN", schema="Person"), limit=1)
    assert found and found[0].entity.caption == listed
    assert found[0].score >= DEFAULT_THRESHOLD


def test_a_clean_name_does_not_rise() -> None:
    """Another name with the same run (Zabelin, one l: another spelling) keeps the doubled
    letter's cost against a run of three, and a different name does not rise."""
    listed = "Korrado ZABELLIN"
    assert both_scores("Korrado ZABELLLIN", listed, "person", "person") > \
        both_scores("Korrado ZABELIN", listed, "person", "person")
    assert both_scores("Korrrado ZABELIN", "Korrado ZABELIN", "person", "person") > \
        both_scores("Korrrado ZABELLLIN", "Korrado ZABELIN", "person", "person")
    assert both_scores("Kurt MELLLER", listed, "person", "person") < DEFAULT_THRESHOLD


def test_kernel_scores_names_with_runs_as_python() -> None:
    """Names of words with runs of two, three and four letters: the kernel's scores,
    alignments and bounds are Python's."""
    assert_kernel_scores_random_names(("zabellin", "zabelllin", "zabelin", "korrrado",
                                       "korrado", "xiii", "xii", "bossss", "boss", "hasan",
                                       "hasssan"), seed=18, cls="person")
