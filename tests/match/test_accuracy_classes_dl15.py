"""A letter left out of a short word (issue 10, held-out+typo:dropped-letter): "Oma" for Omar.

One edit in a word of four letters scored 0.75, below ``RULES.fuzzy_knee`` where look-alike
names begin, so a name with one letter dropped from such a word lost as much as a
different name would ("Teodor KEM" / Teodor KEMP 0.675). A letter left out after a word's
first (``match/similarity.py: dropped_letter``) now counts ``RULES.dropped_edit`` of an
edit where the whole edit falls below the knee (words of four letters and three): a slip
that types no letter for another spells another name less often than a changed letter.
Not a vowel, y or s left out at the end (Dan / Dana: another form of the name), not the
first letter (``start_slip``'s, for words of four letters or more), not in an abjad's
transliteration (its words are skeletons); the kernel mirrors it and its score bound counts
such words pairable whatever the cut (``_prune.pxi: _pairs``).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest
from rapidfuzz.distance import OSA

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.rules import RULES
from discreet.match.similarity import dropped_letter, initial_twice
from discreet.model import Entity, Name
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    prepared,
    token_similarities,
)

# (a word with one letter left out, the word as listed)
_DROPPED = [
    ("bog", "borg"),  # inside
    ("zur", "zaur"),  # a vowel inside
    ("kem", "kemp"),  # a consonant at the end
    ("tol", "tolk"),
    ("kit", "kirt"),
]


@pytest.mark.parametrize(("typed", "listed"), _DROPPED)
def test_a_letter_left_out_of_a_short_word_costs_less_than_an_edit(
        typed: str, listed: str) -> None:
    expected = 1.0 - RULES.dropped_edit / len(listed)
    for a, b in ((typed, listed), (listed, typed)):
        kernel, python = token_similarities(a, b, False)
        assert kernel == python
        assert dropped_letter(a, b) == pytest.approx((expected, "fuzzy"))
        assert python == pytest.approx((expected, "fuzzy"))
        # above the knee, where a whole edit left it (what it scored before)
        assert python[0] > RULES.fuzzy_knee > OSA.normalized_similarity(a, b)


@pytest.mark.parametrize(("query", "listed"), [
    ("Teodor KEM", "Teodor KEMP"),
    ("Rauf TOL", "Rauf TOLK"),
    ("Zur BELTRANOV", "Zaur BELTRANOV"),
    ("Bog TAVANI", "Borg TAVANI"),
    ("Kit ORLANDO", "Kirt ORLANDO"),
])
def test_a_name_with_a_letter_left_out_of_a_short_word_alerts(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("one", "other"), [
    ("dan", "dana"),  # a vowel left out at the end: another form of the name
    ("jan", "jany"),  # y at the end
    ("kal", "kals"),  # s at the end
    ("kolt", "kolbt"),  # five letters: one edit is above the knee already
    ("k3m", "k3mp"),  # not letters only
])
def test_other_words_keep_a_whole_edit(one: str, other: str) -> None:
    assert dropped_letter(one, other) is None
    assert dropped_letter(other, one) is None
    kernel, python = token_similarities(one, other, False)
    assert kernel == python
    assert python == pytest.approx((1.0 - 1.0 / len(other), "fuzzy"))


@pytest.mark.parametrize(("one", "other"), [("al", "ali"), ("kem", "kemps"), ("ab", "abc")])
def test_words_too_short_or_too_far_apart_are_no_letter_left_out(one: str, other: str) -> None:
    assert dropped_letter(one, other) is None
    assert dropped_letter(other, one) is None


def test_no_letter_left_out_of_an_abjads_skeleton() -> None:
    """A transliteration from an abjad writes no vowels: its words are skeletons, where
    one letter more or less is another name (nwr / nmwr)."""
    kernel, python = token_similarities("nwr", "nmwr", True)
    assert kernel == python
    assert python == pytest.approx((1.0 - 1.0 / 4, "fuzzy"))


def test_clean_names_one_letter_apart_stay_below_the_threshold() -> None:
    assert both_scores("Dan KOWALEWSKI", "Dana KOWALEWSKI", "person",
                       "person") < DEFAULT_THRESHOLD
    assert both_scores("Paris", "PARDIS INVESTMENT COMPANY", "org", "org") < DEFAULT_THRESHOLD


def test_the_kernel_scores_names_of_dropped_letters_as_python() -> None:
    assert_kernel_scores_random_names(
        ("borg", "bog", "zaur", "zur", "kemp", "kem", "tolk", "tol", "dana", "dan", "kirt",
         "kit", "omar", "oma", "haji", "hji", "born", "barn"), seed=1515, cls="person")


def test_the_matcher_finds_a_letter_left_out_of_a_short_word() -> None:
    """The index proposes the list name, the score bound keeps it and it ranks above the
    names a letter typed for another makes."""
    listed = [("p-1", "Selim Borg TAVANI"), ("p-2", "Selim Berg TAVANI"),
              ("p-3", "Selim Bork TAVANI"), ("p-4", "Selim TAVANI"), ("p-5", "Salim Borg TAVAN")]
    matcher = Matcher.from_entities(
        [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed])
    results = matcher.match(Query("Selim Bog TAVANI", schema="Person"), threshold=0.5)
    assert results and results[0].entity.id == "p-1", [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= DEFAULT_THRESHOLD
    q = prepared("Selim Bog TAVANI", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for _, n in listed])


# -- doubled-letter: the consonant a word begins with written twice --------------------------

@pytest.mark.parametrize(("typed", "listed"), [
    ("zzelimir", "zelimir"), ("kkarvelo", "karvelo"), ("yyandor", "yandor"), ("ttolk", "tolk"),
    ("bbelqis", "belqis")])
def test_a_first_consonant_written_twice_is_the_word(typed: str, listed: str) -> None:
    """No language the lists use begins a word with a consonant written twice: the slip
    erases nothing of the word (a letter written twice elsewhere is a spelling too, 0.95)."""
    for a, b in ((typed, listed), (listed, typed)):
        kernel, python = token_similarities(a, b, False)
        assert kernel == python
        assert initial_twice(a, b)
        assert python == (RULES.initial_twice_sim, "phonetic")
        assert python[0] > RULES.doubled_sim


@pytest.mark.parametrize(("one", "other"), [
    ("aarvik", "arvik"),  # a vowel written twice: a long vowel some languages write so
    ("ooster", "oster"),
    ("kallume", "kalume"),  # written twice elsewhere: a spelling as often
    ("zz", "z"),  # an initial
    ("mme", "me"),  # three letters: an acronym as often (M.M.E.)
    ("mmkoi", "mkoi"),  # no vowel after the letter: an acronym as often
    ("kkarvela", "karvelo"),  # another letter differs
    ("bkarvelo", "karvelo"),  # another letter before the word
])
def test_other_letters_written_twice_keep_their_similarity(one: str, other: str) -> None:
    assert not initial_twice(one, other)
    assert not initial_twice(other, one)
    kernel, python = token_similarities(one, other, False)
    assert kernel == python
    assert python[0] < RULES.initial_twice_sim


@pytest.mark.parametrize(("query", "listed"), [
    ("Zzelimir KOVANTSEV", "Zelimir Antonovich KOVANTSEV"),
    ("Abu Kkasimir", "KASIMIR, Abu"),
])
def test_a_name_with_a_first_consonant_written_twice_scores_as_written_once(
        query: str, listed: str) -> None:
    once = query.replace("Zz", "Z").replace("Kk", "K")
    assert both_scores(query, listed, "person", "person") == both_scores(
        once, listed, "person", "person")


def test_the_kernel_scores_names_of_first_letters_written_twice_as_python() -> None:
    assert_kernel_scores_random_names(
        ("zelimir", "zzelimir", "karvelo", "kkarvelo", "aarvik", "arvik", "kalume",
         "kallume", "llosa", "losa"), seed=1516, cls="person")


def test_no_first_letter_written_twice_in_an_abjads_skeleton() -> None:
    """An abjad's skeleton writes two letters a vowel kept apart as two (lyl, Layla): a
    doubled first letter there is a letter written twice as anywhere (doubled_sim)."""
    kernel, python = token_similarities("llm", "lm", True)
    assert kernel == python
    assert python == (RULES.doubled_sim, "phonetic")
