"""Classes of organisation names found with the name-pair benchmark and checked on the
held-out evaluation (issue 10): what the words of an organisation's name that are not its
own name say.

* The words that join an organisation's name (the, of, and, for, in; und, et, ve) were
  generic words, like the words that say what an organisation does: "State Organization
  of Building" and "State Organization for Buildings" left "of" and "for" each without a
  counterpart, a contradiction. They are now the name's particles, as de, la and y already
  were (``text/data/legal_forms.yml: function_words``, ``text/names.py: _kind``); in a
  person's name they stay what they were ("In" is a Korean family name).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD
from tests.match.scoring import both_scores, prepared


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


def test_a_persons_name_keeps_its_words() -> None:
    p = prepared("In Sook KIM", "person")
    assert p.kinds[p.tokens.index("in")] == "name"


@pytest.mark.parametrize(("query", "listed"), [
    ("NATIONAL COMPANY OF FERTILISER", "NATIONAL COMPANY FOR FERTILISERS"),
    ("Institute of Textile", "Institute for Textiles"),
    ("GENERAL COMPANY OF CEMENT", "GENERAL COMPANY FOR CEMENTS"),
    ("STATE ENTERPRISE OF SUGAR", "STATE ENTERPRISE FOR SUGARS"),
])
def test_names_differing_in_a_joining_word_alert(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") >= DEFAULT_THRESHOLD
    assert both_scores(listed, query, "org", "org") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("STATE ESTABLISHMENT OF HARBOURS", "STATE ESTABLISHMENT FOR FISHERIES"),
    ("Bank of Valmora", "Office of Foreign Trade"),
    ("The Company", "Company of Mines"),
    ("Institute of Textiles", "Institute for Mining"),
])
def test_organisations_agreeing_in_joining_words_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") < DEFAULT_THRESHOLD
    assert both_scores(listed, query, "org", "org") < DEFAULT_THRESHOLD
