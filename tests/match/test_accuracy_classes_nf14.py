"""A person's initials written together (issue 10, name pairs): "JC Juncker", "G.W. Bush".

Normalisation reads a word of letters with dots as one word (an organisation's acronym),
and capitals written together are one word anyway: such a word paired with neither given
name and the names contradicted each other (0.28 for two initials written together where
the same initials written apart score 0.70). A name screened, unless an organisation's, is
also read with such a word as its letters apart (``text/initials.py``,
``match/pairs.py: query_alternatives``): each letter is an initial, paired with the given
name it begins as any initial is, by Python and by the kernel alike. A word of such capitals
where the family name stands ("Tony NG"), in a name written all in capitals, or that is a
title, stays as written; initials of other given names stay apart.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.pairs import compare_names, query_alternatives
from discreet.match.score import name_score
from discreet.model import Entity, Name
from discreet.text.initials import initials_apart
from discreet.text.names import NameClass
from tests.match.scoring import assert_kernel_scores_as_python, prepared

# (initials written together, the same written apart, the name listed)
_TOGETHER = [
    ("RK Vellander", "R. K. Vellander", "Rune Kristoffer Vellander"),
    ("T.J. Okonkwo", "T. J. Okonkwo", "Tobenna Jideofor Okonkwo"),
    ("MJ Harrowby", "M. J. Harrowby", "Mary Jane HARROWBY"),
    ("D.W. Castellanos", "D. W. Castellanos", "Diego Wenceslao Castellanos"),
    ("Lindqvist, PK", "Lindqvist, P. K.", "Pawel Konrad LINDQVIST"),
    ("Zarubin O.V.", "Zarubin O. V.", "Oleg Vadimovich ZARUBIN"),  # family name, initials
    ("KOSTAREV A.P.", "KOSTAREV A. P.", "KOSTAREV, Arkady Pavlovich"),
]

_LISTED = [("a", "Rune Kristoffer Vellander"), ("b", "Tobenna Jideofor Okonkwo"),
           ("c", "Mary Jane HARROWBY"), ("d", "Diego Wenceslao Castellanos"),
           ("e", "Pawel Konrad LINDQVIST"), ("g", "Rune Morten Vellander"),
           ("h", "Tobenna Okonkwo"), ("i", "Marta Beata Harrowby"), ("j", "Tony Ng"),
           ("k", "Kwame Asante Boateng")]


def _matcher() -> Matcher:
    return Matcher.from_entities([Entity(id=i, schema="Person", names=[Name(n)])
                                  for i, n in _LISTED])


@pytest.mark.parametrize(("together", "apart", "listed"), _TOGETHER)
@pytest.mark.parametrize("schema", ["Person", None])
def test_initials_written_together_score_as_written_apart(
        together: str, apart: str, listed: str, schema: str | None) -> None:
    """The same score as the initials written apart, an alert; the kernel scoring each
    reading of the query as Python does."""
    score = compare_names(together, listed, schema)
    assert score == compare_names(apart, listed, schema)
    assert score >= DEFAULT_THRESHOLD
    cls: NameClass = "person" if schema else "any"
    as_written = name_score(prepared(together, cls), prepared(listed, "person")).score
    assert as_written < DEFAULT_THRESHOLD  # one word against two given names
    readings = query_alternatives(together, cls)
    assert len(readings) == 2
    for text in readings:
        assert_kernel_scores_as_python(prepared(text, cls), [prepared(listed, "person")])


def test_three_initials_score_as_written_apart() -> None:
    """Three initials for three given names, dotted or not: what the three written apart
    score (three initials weigh less against three given names: below the threshold either
    way), far above the word as written."""
    listed = "Simon Lucas Matthias Fairweather"
    score = compare_names("S. L. M. Fairweather", listed, "Person")
    assert compare_names("S.L.M. Fairweather", listed, "Person") == score
    assert compare_names("SLM Fairweather", listed, "Person") == score
    as_written = name_score(prepared("SLM Fairweather", "person"),
                            prepared(listed, "person")).score
    assert score > as_written + 0.3


@pytest.mark.parametrize(("query", "expected"), [
    ("RK Vellander", "a"), ("T.J. Okonkwo", "b"), ("MJ Harrowby", "c"),
    ("D.W. Castellanos", "d"), ("Lindqvist, PK", "e")])
@pytest.mark.parametrize("schema", ["Person", None])
def test_the_matcher_finds_the_listed_name(query: str, expected: str,
                                           schema: str | None) -> None:
    """Through the index and the kernel: the listed name first, alerting; the person with
    other given names of the same family name below the threshold."""
    results = _matcher().match(Query(query, schema=schema), threshold=0.3)
    assert results[0].entity.id == expected
    assert results[0].score >= DEFAULT_THRESHOLD
    assert all(r.score < DEFAULT_THRESHOLD for r in results[1:])


@pytest.mark.parametrize(("query", "listed"), [
    ("RK Vellander", "Rune Morten Vellander"),  # the second initial is another name's
    ("JT Okonkwo", "Tobenna Okonkwo"),  # one given name the other does not have
    ("MJ Harrowby", "Marta Beata Harrowby"),  # the second initial is another name's
    ("MJ Harrowby", "Marta Jolanta Bexley"),  # another family name
    ("DW Castellanos", "Wenceslao Castellanos"),  # a given name the other does not have
    ("PK Lindqvist", "Kwame Asante Boateng"),
    ("Zarubin O.V.", "Oleg Petrovich Zarubin"),  # another patronymic
])
@pytest.mark.parametrize("schema", ["Person", None])
def test_initials_of_other_names_stay_apart(query: str, listed: str,
                                            schema: str | None) -> None:
    assert compare_names(query, listed, schema) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(("name", "apart"), [
    ("JC Vellander", "J C Vellander"),
    ("J.C. Vellander", "J C Vellander"),
    ("j.c. vellander", "j c vellander"),
    ("Vellander, JC", "Vellander, J C"),
    ("Anna B.K. Lund", "Anna B K Lund"),
    ("Tony NG", None),  # the family name
    ("NG, Tony", None),
    ("JC VELLANDER", None),  # all in capitals: a word of capitals may be a name
    ("Dr Vellander", None),
    ("DR Vellander", None),  # a title
    ("AK Vellander", None),  # a vowel: a name may be written so (Al, Ek)
    ("Vellander", None),
    ("Vellander J.C.", "Vellander J C"),  # a family name, then its initials
    ("VELLANDER J.C", "VELLANDER J C"),
    ("Anna Vellander B.A.", None),  # letters ending a whole name: a degree
    ("Rina Vellander, S.E.", None),
    ("Dumont Vellander S.A.S.", None),  # an organisation's: its dotted words are forms
    ("J.C. Vellander S.L.", None),
    ("JC Vellander Trading", None),
    ("Йон Веландер", None),
])
def test_which_words_are_initials(name: str, apart: str | None) -> None:
    assert initials_apart(name) == apart


def test_an_organisations_name_is_read_as_written() -> None:
    """An acronym in an organisation's name is one word: no other reading."""
    assert query_alternatives("JP Harrowby Holdings", "org") == ["JP Harrowby Holdings"]
    assert query_alternatives("J.P. Harrowby", "person") == ["J.P. Harrowby", "J P Harrowby"]
