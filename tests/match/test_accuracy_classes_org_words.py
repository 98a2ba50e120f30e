"""Classes of organisation names found with the name-pair benchmark and checked on the
held-out evaluation (issue 10): what the words of an organisation's name that are not its
own name say.

* The words that join an organisation's name (the, of, and, for, in; und, et, ve) were
  generic words, like the words that say what an organisation does: "State Organization
  of Building" and "State Organization for Buildings" left "of" and "for" each without a
  counterpart, a contradiction. They are now the name's particles, as de, la and y already
  were (``text/data/legal_forms.yml: function_words``, ``text/names.py: _kind``); in a
  person's name they stay what they were ("In" is a Korean family name).
* Two organisations whose names agree on one word of substance and leave a different generic
  word on each side ("BAE Systems" / "BAE Industries": what each says it does) scored 0.70
  whatever the words, at the threshold: a generic word left over costs less than a name
  word. When one word of substance at most agrees, those generic words are what tells the
  two apart, and each now costs what a name word costs in the contradiction
  (``match/score.py: _contradiction``, the kernel's ``_score.pxi: _name_score``). Where two
  words of substance or more agree, the generic words are the same organisation described
  two ways and keep their cost ("Foreign Trade Association" / "Foreign Trade Enterprise").

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD
from discreet.match.rules import UNMATCHED_WEIGHTS
from discreet.match.score import name_score
from tests.match.scoring import assert_kernel_scores_as_python, both_scores, prepared


@pytest.mark.parametrize(("name", "word"), [
    ("National Office of Mineral Resources", "of"),
    ("Committee for Harbour Safety", "for"),
    ("The Halvorsen Foundry", "the"),
    ("Kestrel Rope and Cable Works", "and"),
    ("Bureau Francais et Belge", "et"),
])
def test_an_organisations_joining_words_are_particles(name: str, word: str) -> None:
    p = prepared(name, "org")
    assert p.kinds[p.tokens.index(word)] == "particle"
    # in a person's name the word is what it was: "In" is a family name
    person = prepared(f"{word.capitalize()} Sook KIM", "person")
    assert person.kinds[0] == "name"


# (query, list name, another organisation's name sharing the joining words)
@pytest.mark.parametrize(("query", "listed", "other"), [
    ("NATIONAL COMPANY OF FERTILISER", "NATIONAL COMPANY FOR FERTILISERS",
     "NATIONAL COMPANY FOR TEXTILES"),
    ("Institute of Textile", "Institute for Textiles", "Institute for Mining"),
    ("GENERAL COMPANY OF CEMENT", "GENERAL COMPANY FOR CEMENTS", "GENERAL COMPANY FOR SUGAR"),
    ("STATE ENTERPRISE OF SUGAR", "STATE ENTERPRISE FOR SUGARS",
     "STATE ENTERPRISE FOR HARBOURS"),
])
def test_names_differing_in_a_joining_word_alert(query: str, listed: str, other: str) -> None:
    assert both_scores(query, listed, "org", "org") >= DEFAULT_THRESHOLD
    assert both_scores(listed, query, "org", "org") >= DEFAULT_THRESHOLD
    # the joining words carry nothing: another organisation stays apart
    assert both_scores(query, other, "org", "org") < DEFAULT_THRESHOLD
    assert both_scores(other, query, "org", "org") < DEFAULT_THRESHOLD


# (query, list name): one word of substance agrees, a different generic word on each side;
# and a word of substance both add
_HOUSE = [
    ("Korvex Systems Inc", "Korvex Industries Inc", "Steel"),
    ("Talmor Logistics LLC", "Talmor Consulting LLC", "Marine"),
    ("Zentra Shipping Ltd", "Zentra Trading Ltd", "Baltic"),
    ("Quellon Technologies Ltd", "Quellon Investments Ltd", "Orbital"),
]


def _with(name: str, word: str) -> str:
    """The name with ``word`` after its first word ("Korvex Steel Systems Inc")."""
    first, rest = name.split(" ", 1)
    return f"{first} {word} {rest}"


@pytest.mark.parametrize(("query", "listed", "word"), _HOUSE)
def test_one_word_and_different_generic_words_stay_apart(query: str, listed: str,
                                                         word: str) -> None:
    assert both_scores(query, listed, "org", "org") < DEFAULT_THRESHOLD
    assert both_scores(listed, query, "org", "org") < DEFAULT_THRESHOLD
    # two words of substance agree: the generic words describe one organisation two ways
    assert both_scores(_with(query, word), _with(listed, word), "org", "org") \
        >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed", "word"), _HOUSE)
def test_a_generic_word_left_on_each_side_costs_as_a_name(query: str, listed: str,
                                                          word: str) -> None:
    q, name = prepared(query, "org"), prepared(listed, "org")
    assert name_score(q, name).contradiction == UNMATCHED_WEIGHTS["name"]
    # against a name word in its place, the generic word keeps its own cost
    other = prepared(listed.replace(listed.split()[1], word), "org")
    assert name_score(q, other).contradiction == UNMATCHED_WEIGHTS["generic"]
    # on one side only it is an omission, not a contradiction
    alone = prepared(" ".join(w for w in listed.split() if w != listed.split()[1]), "org")
    assert name_score(q, alone).contradiction == 0.0
    assert both_scores(query, alone.original, "org", "org") >= DEFAULT_THRESHOLD
    assert_kernel_scores_as_python(q, [name, other, alone])
