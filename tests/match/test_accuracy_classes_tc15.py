"""Classes of misses found with the held-out evaluation in session 15 (issue 10, item 4):
a space typed one letter off next to a particle or a title (held-out+typo:space-shift).

* "Ab uSalah", "Haj iNika", "E LDIABLO": the space cut a particle or a title (Abu, Haji,
  El) and gave its last letter to the next word. The parser weighed the remains ("Ab",
  "Haj") as a name word of its own and the next word as another, so the scorer's
  regrouped pair, which finds the two words again, weighed them as the heavy name words
  they are written as: a name of two or three words lost what the particle's light weight
  spares it, below the threshold ("Haj iTorab" against Haji Torab Qasemzai 0.674, "Haji
  Torab" 0.732). A person's name (or a name screened without a schema) is now also read
  with the letter moved back (``text.particles.particle_rejoined``, one more reading in
  ``pairs.query_alternatives``), scored as any other reading: the best counts.
* Session 14's legal form at an organisation's edge behind a shifted space
  (``prepare.repair_forms`` with ``org``) replaced the name as written, so a name whose own
  letters read as such a shift ("Sberbank Ppf Djsc": "PPFD JSC") lost the reading it had.
  It is now a reading beside the name (``prepare.edge_reading``), for a query only: the
  lists' names are prepared as written.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.pairs import compare_names, query_alternatives
from discreet.match.prepare import edge_reading
from discreet.text.particles import particle_rejoined
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    both_scores,
    indexed_persons,
    prepared,
)

# -- a particle or a title a shifted space cut -----------------------------------------------


@pytest.mark.parametrize(("written", "read"), [
    ("Ab uSamir", "Abu Samir"),
    ("Haj iTorab", "Haji Torab"),
    ("E LCUERVO", "EL CUERVO"),
    ("Yahya Ab uZubayr", "Yahya Abu Zubayr"),
    ("Qar iRahmatullah NOORI", "Qari Rahmatullah NOORI"),  # a title
    ("Ma Rkovic, Be nYusuf", "Ma Rkovic, Ben Yusuf"),  # punctuation kept; no particle "mar"
])
def test_a_particle_is_read_back_whole(written: str, read: str) -> None:
    assert particle_rejoined(written) == read
    assert query_alternatives(written, "person") == [written, read]


@pytest.mark.parametrize("written", [
    "Ali Ibrahim",  # a name that is a particle and a letter: not read the other way
    "Abus Ufian",
    "Ab uLi",  # the word after would keep two letters only
    "Abu Samir",  # written whole already
    "Ab-uSamir",  # no space between the two words
    "Paulette de Normand",  # a particle as written: not "del Ormand"
    "Sheik Hassan",  # a title as written, not "Sheikh Assan"
    "Абу Самир",  # not in Latin letters
])
def test_other_names_are_not_read_so(written: str) -> None:
    assert particle_rejoined(written) is None


def test_initials_read_apart_are_no_particle() -> None:
    """"TD Uzair" is also read "T D Uzair" (initials apart), never "T DU zair": the
    particles are those of the name as written."""
    assert query_alternatives("TD Uzair", "person") == ["TD Uzair", "T D Uzair"]


def test_an_organisation_is_not_read_so() -> None:
    """"DE LTA SHIPPING": an organisation's words are no particles of a person's name."""
    assert query_alternatives("DE LTA SHIPPING", "org") == ["DE LTA SHIPPING"]


@pytest.mark.parametrize(("query", "listed", "before"), [
    ("Haj iTorab", "Haji Torab Qasemzai", 0.674),
    ("E LCUERVO", "EL CUERVO BLANCO", 0.584),
    # 0.752 before session 26: AL-QURASHI left out with its article is one word left out
    # (score._with_their_word)
    ("Yahya Ab uZubayr", "ABU ZUBAYR YAHYA AL-QURASHI", 0.772),
])
def test_the_name_read_back_scores_as_written_whole(query: str, listed: str,
                                                    before: float) -> None:
    read = particle_rejoined(query)
    assert read is not None
    whole = both_scores(read, listed, "person", "person")
    assert compare_names(query, listed, "Person") == whole >= DEFAULT_THRESHOLD
    assert both_scores(query, listed, "person", "person") == pytest.approx(before, abs=1e-3)


@pytest.mark.parametrize(("query", "listed"), [
    ("Ab uSamir HADDAD", "Abu Samira KHOURY"),  # another person of the same kunya
    ("Ab uSamir HADDAD", "Abu Samir KHOURY"),
    ("Haj iTorab", "Haji Tahir Qasemzai"),
    ("E LCUERVO", "EL CIERVO NEGRO"),
])
def test_other_names_stay_below(query: str, listed: str) -> None:
    assert compare_names(query, listed, "Person") < DEFAULT_THRESHOLD


_KIN = ("Torab", "Tahir", "Tariq", "Tayeb", "Timur", "Tawfiq")
_CLANS = ("Qasemzai", "Noorzai", "Ishaqzai", "Barakzai", "Alizai")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """Namesakes sharing the title and the clan names, and more people than a matcher
    compares every one of."""
    names = [f"Haji {k} {c}" for k in _KIN for c in _CLANS]
    names += [f"Abu {k} AL-{c.upper()}" for k in _KIN for c in _CLANS]
    return indexed_persons(names)


@pytest.mark.parametrize(("query", "listed"), [
    ("Haj iTimur Barakzai", "Haji Timur Barakzai"),
    ("Ab uTayeb AL-NOORZAI", "Abu Tayeb AL-NOORZAI"),
])
def test_the_matcher_finds_the_name_read_back(matcher: Matcher, query: str,
                                              listed: str) -> None:
    results = matcher.match(Query(query, schema="Person"), limit=3, threshold=0.0)
    assert results and results[0].entity.names[0].value == listed, [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= DEFAULT_THRESHOLD
    assert all(r.score < results[0].score for r in results[1:])
    read = particle_rejoined(query)
    assert read is not None
    assert_kernel_scores_as_python(prepared(read, "person"),
                                   [prepared(r.entity.names[0].value, "person")
                                    for r in results])


# -- a legal form at an organisation's edge: a reading beside the name ---------------------


def test_the_edge_form_is_another_reading() -> None:
    assert edge_reading("ZA OPRIMTEKH") == "zao primtekh"
    assert query_alternatives("ZA OPRIMTEKH", "org") == ["ZA OPRIMTEKH", "zao primtekh"]
    assert query_alternatives("ZA OPRIMTEKH", "person") == ["ZA OPRIMTEKH"]
    assert edge_reading("VOLGOBANK JSC") is None  # nothing to read back
    # the lists' names stay as written
    assert prepared("ZA OPRIMTEKH", "org").tokens != prepared("ZAO PRIMTEKH", "org").tokens


def test_a_name_that_reads_as_a_shift_keeps_its_own_reading() -> None:
    """"Volgobank Kpf Djsc" reads as "volgobank kpfd jsc", a form put back that is none:
    the name as written stays a reading of its own (it scores 0.764 against its listing,
    above the threshold whatever the other reading scores; the score is the better of
    the two)."""
    assert edge_reading("Volgobank Kpf Djsc") == "volgobank kpfd jsc"
    assert query_alternatives("Volgobank Kpf Djsc", "org")[0] == "Volgobank Kpf Djsc"
    written = both_scores("Volgobank Kpf Djsc", "VOLGOBANK KPF JSC", "org", "org")
    shifted = both_scores("volgobank kpfd jsc", "VOLGOBANK KPF JSC", "org", "org")
    assert written >= DEFAULT_THRESHOLD
    assert compare_names("Volgobank Kpf Djsc", "VOLGOBANK KPF JSC", "Organization") \
        == pytest.approx(max(written, shifted))
    assert compare_names("Volgobank Kpf Djsc", "VOLGATRANS KPF JSC", "Organization") \
        < DEFAULT_THRESHOLD


# -- two legal forms side by side at the edge, the space between them one letter off -------


@pytest.mark.parametrize(("query", "read"), [
    ("OAOJ SC VOLGONEFT", "oao jsc volgoneft"),  # "SC" is a form as written
    ("VOLGONEFT OAOJ SC", "volgoneft oao jsc"),
    ("ZA OCJSC KAMATRANS", "zao cjsc kamatrans"),  # the shift rule's CJSC: beside the name too
    ("OAO JSC VOLGONEFT", None),  # written right
    ("VOLGONEFT OAOJ SC TRADING", None),  # not at an edge
])
def test_two_forms_at_the_edge_are_read_back(query: str, read: str | None) -> None:
    assert edge_reading(query) == read


def test_two_forms_read_back_find_the_organisation() -> None:
    assert both_scores("OAOJ SC VOLGONEFT", "OJSC VOLGONEFT", "org", "org") < DEFAULT_THRESHOLD
    assert compare_names("OAOJ SC VOLGONEFT", "OJSC VOLGONEFT", "Organization") \
        >= DEFAULT_THRESHOLD
    assert compare_names("OAOJ SC VOLGONEFT", "OJSC VOLGOTRANS", "Organization") \
        < DEFAULT_THRESHOLD
