"""A twelfth set of classes of misses found with the held-out evaluation (issue 10, item 4):
a name written without its vowels whose list spelling is another romanisation of it.

* The vowel-skeleton rule compares a word typed without vowels ("Srg") with the list word's
  consonants as written; when the list writes another romanisation of the name (Siarhei,
  the Belarusian Sergei: h for g, u for v, dz for d, ia for e) the consonants differ and the
  two stopped pairing. Both words are now also read through the key that folds spelling
  variants, the vowel-less word's phonetic key and the list word's east-Slavic key, and
  their vowel skeletons so folded compared (``match/similarity.py: folded_skeleton``,
  ``_folded_sim``): equal (one edit forgiven in five letters or more), three letters at
  least, a variant without its vowels (vowelless_sim x east_slavic_sim). Not when a name is
  written in an abjad: its vowel-less words are transliterations. The kernel mirrors it
  (``_similarity.pxi: _folded_pairs``), its score bound counts such words pairable
  (``_prune.pxi: _pairs``), and the index posts every list word under its folded skeleton,
  which a vowel-less query word looks up (``match/index.py: folded_keys``).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import math

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.index import NameIndex, folded_keys
from discreet.match.rules import RULES
from discreet.match.similarity import folded_skeleton, vowel_skeleton
from discreet.model import Entity, Name
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    both_scores,
    prepared,
    token_similarities,
)

_FOLDED = RULES.vowelless_sim * RULES.east_slavic_sim

# (a word typed without its vowels, the list's other romanisation of the word it was)
_WITHOUT_VOWELS = [
    ("srg", "siarhei"),  # Sergei; Belarusian h for g, ia for e
    ("glb", "hleb"),  # Gleb
    ("krlv", "karaliou"),  # Korolev; Belarusian u for v
    ("dmtr", "dzmitry"),  # Dmitry; Belarusian dz for d
    ("vshnvsk", "vishnieuski"),  # Vishnevsky: sh one letter, u for v
]


@pytest.mark.parametrize(("typed", "listed"), _WITHOUT_VOWELS)
def test_a_word_without_vowels_meets_a_variant(typed: str, listed: str) -> None:
    assert vowel_skeleton(typed) != vowel_skeleton(listed)  # as written, they differ
    assert folded_skeleton(typed) == folded_skeleton(listed)
    for a, b in ((typed, listed), (listed, typed)):
        python, kernel = token_similarities(a, b, False)
        assert kernel == python
        assert python[0] == pytest.approx(_FOLDED) and python[1] == "vowelless"


@pytest.mark.parametrize(("typed", "listed"), _WITHOUT_VOWELS)
def test_an_abjad_name_s_words_are_not_folded(typed: str, listed: str) -> None:
    """A name written in an abjad: its vowel-less words are transliterations, which the
    abjad skeletons compare; the folded rule stays out."""
    python, kernel = token_similarities(typed, listed, True)
    assert kernel == python
    assert not (python[0] == pytest.approx(_FOLDED) and python[1] == "vowelless")


@pytest.mark.parametrize(("one", "other"), [
    ("dm", "dzima"),  # a folded skeleton of two letters names too many words
    ("srg", "srh"),  # both without vowels: not a word against its vowels
    ("vgr", "vasilenko"),
    ("krlv", "kirill"),  # folded skeletons one edit apart in four letters
])
def test_other_words_are_not_folded_together(one: str, other: str) -> None:
    python, kernel = token_similarities(one, other, False)
    assert kernel == python
    assert python[0] < _FOLDED


@pytest.mark.parametrize(("query", "listed"), [
    ("Ivn Srgvch KRLV", "Ivan Siarheevich KARALIOU"),  # 0.24 before
    ("Ivn Srgvch SMNV", "Ivan Siarheevich SIMANAU"),
    ("Ann Glbvn PTRV", "Anna Hlebauna PIATROVA"),  # 0.34 before
])
def test_a_name_without_vowels_alerts_on_its_variant(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD
    assert both_scores(listed, query, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Ivn Srgvch KRLV", "Ivan Siarheevich KAVALIOU"),
    ("Ivn Srgvch SMNV", "Ivan Siarheevich SAMOILAU"),
    ("Ann Glbvn PTRV", "Anna Hlebauna PAULAVA"),
    ("Dmtr Ptrvch VSHNVSK", "Dzmitry Piatrovich VASILEUSKI"),
])
def test_other_names_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < DEFAULT_THRESHOLD


def test_list_words_are_posted_under_their_folded_skeleton() -> None:
    """A list word with vowels is posted under its folded skeleton and a query word without
    them looks it up; a list word without vowels (mostly an acronym) is posted under none.
    (Its phonetic key's reading is posted too, when it differs: vd16.)"""
    assert folded_keys("vishnieuski") == (("f:vsnvsk", "f:vsnsk"), ())
    assert folded_keys("vasileuski") == (("f:vslvsk", "f:vslsk"), ())
    assert folded_keys("petrov") == (("f:ptrv",), ())  # one reading: posted once
    assert folded_keys("vshnvsk") == ((), ("f:vsnvsk",))
    assert folded_keys("dm") == ((), ())


def test_the_matcher_finds_a_name_without_vowels_on_its_variant() -> None:
    """The index proposes the list name by its words' folded skeletons (no word of it meets
    the query's as written) and the score bound keeps it."""
    listed = [("by-1", "Siarhei KARALIOU"), ("by-2", "Siarhei KAVALIOU"),
              ("by-3", "Dzmitry VISHNIEUSKI"), ("ru-1", "Sergei KOVALEV")]
    matcher = Matcher.from_entities(
        [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed])
    results = matcher.match(Query("Srg KRLV", schema="Person"), threshold=0.5)
    assert [r.entity.id for r in results][:1] == ["by-1"]
    assert results[0].score >= 0.6
    q = prepared("Srg KRLV", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for _, n in listed])


def test_folded_keys_leave_an_unknown_word_s_weight_alone() -> None:
    """A query word no list name holds weighs as one key more than the words' keys: the
    folded skeletons, a second reading of words held already, are not counted (else every
    list word posted under one made a query's unknown word heavier, and a name sharing the
    query's other words fell below the candidates' floor)."""
    names = [prepared(n, "person") for n in ("Siarhei KARALIOU", "Dzmitry VISHNIEUSKI",
                                             "Ivan PETROV")]
    index = NameIndex(names)
    words = [key for key in index.key_ids if key[:2] not in ("f:", "J:", "S:")]
    assert len(words) < len(index.key_ids)  # folded keys are posted
    assert index.top == math.log(len(words) + 2)
