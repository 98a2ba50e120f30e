"""In a dense index the 40 candidates kept hold the name that scores (issue 16, issue 10).

A large index has hundreds of names sharing a query's common word, all sharing the same
part of the query's evidence: the cap of 40 used to keep the earliest of them, and a list
name that scores (J. Higgins for Jessica Higgins, Gomez Harbour SA for Gomez S.A.) was a
silent miss. Here every listed name shares the query's word equally, and the one that
scores comes last (ties go to the earlier position): it must be among the candidates, and
alert through the matcher. Each class is tried with several names.
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.matcher import CANDIDATES
from discreet.model import Entity, Name

GIVEN = ["Adam", "Brian", "Carl", "Dennis", "Edward", "Frank", "George", "Henry", "Isaac",
         "Kevin", "Louis", "Martin", "Nathan", "Oscar", "Peter", "Quentin", "Robert", "Simon",
         "Thomas", "Victor", "Walter", "Xavier", "Yusuf", "Zachary", "Alice", "Beatrice",
         "Clara", "Diana", "Eva", "Flora", "Greta", "Helena", "Irene", "Karen", "Laura",
         "Monica", "Nadia", "Olivia", "Paula", "Rita", "Sonia", "Tina", "Ursula", "Vera",
         "Wanda", "Yvonne", "Zoe", "Agnes"]
FILLER = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Juniper",
          "Larch", "Maple", "Oak", "Pine", "Rowan", "Spruce", "Teak", "Walnut", "Yew"]


def _people(family: str) -> list[Entity]:
    """Every given name with ``family`` (the given names all as common): the names share
    the query's family name equally, and more of them than the candidates kept."""
    return [Entity(f"{family}-{i}", "Person", source="t", names=[Name(f"{given} {family}")])
            for i, given in enumerate(GIVEN)]


def _filler() -> list[Entity]:
    """Names without the families tested: an index past the every-name scan, with the given
    names and the organisations' word (Harbour) alike common."""
    return [Entity(f"f{i}-{j}", "Person", source="t",
                   names=[Name(f"{given} {FILLER[j]}")])
            for i, given in enumerate(GIVEN) for j in range(len(FILLER))] + [
        Entity(f"g{j}", "Organization", source="t", names=[Name(f"{tree} Harbour Ltd")])
        for j, tree in enumerate(FILLER)]


FAMILIES = ["Higgins", "Okonkwo", "Lindqvist"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = _filler()
    for family in FAMILIES:
        entities += _people(family)
    for family in FAMILIES:  # the ones that score, last: ties go to the earlier position
        entities += [Entity(f"{family}-initial", "Person", source="t",
                            names=[Name(f"J. {family}")]),
                     Entity(f"{family}-given", "Person", source="t",
                            names=[Name(f"Jolanta {family}")]),
                     Entity(f"{family}-org", "Organization", source="t",
                            names=[Name(f"{family} Harbour SA")])]
    # Jolanta as common as the other given names
    entities += [Entity(f"jolanta-{j}", "Person", source="t",
                        names=[Name(f"Jolanta {FILLER[j]}")]) for j in range(len(FILLER))]
    return Matcher.from_entities(entities)


def _candidates(matcher: Matcher, text: str, schema: str) -> set[str]:
    q = matcher.prepare(text, "org" if schema == "Company" else "person")
    return {matcher.entities[int(matcher.owners[p])].id
            for p in matcher.index.candidates(q, CANDIDATES)}


def test_the_index_is_past_the_scan_and_dense(matcher: Matcher) -> None:
    assert len(matcher.names) > 1000 and not matcher.scan
    for family in FAMILIES:
        q = matcher.prepare(f"Jessica {family}", "person")
        assert len(matcher.index.candidates(q, 10 ** 6)) > CANDIDATES


@pytest.mark.parametrize("family", FAMILIES)
def test_an_initial_in_the_list_for_a_given_name_asked(matcher: Matcher, family: str) -> None:
    assert f"{family}-initial" in _candidates(matcher, f"Jessica {family}", "Person")


@pytest.mark.parametrize("family", FAMILIES)
def test_a_given_name_in_the_list_for_an_initial_asked(matcher: Matcher, family: str) -> None:
    assert f"{family}-given" in _candidates(matcher, f"J. {family}", "Person")


@pytest.mark.parametrize("family", FAMILIES)
def test_an_organisation_for_an_organisation(matcher: Matcher, family: str) -> None:
    assert f"{family}-org" in _candidates(matcher, f"{family} S.A.", "Company")
    found = matcher.match(Query(f"{family} S.A.", schema="Company"))
    assert f"{family}-org" in {r.entity.id for r in found
                               if r.score >= DEFAULT_THRESHOLD}
