"""Twenty-third-session classes found reading the name-pair benchmark's errors.

* "Ben" opening a person's name is the short form of Benjamin (Ben Harlow), not the
  naming particle "son of" it is inside a name (Mohamed ben Salah): nothing stands before
  it to be the son of. The name table lists it among Benjamin's short forms, and the query's
  first word pairs with a full form by the nickname rule (``given_names.opening_given``);
  a name written family name first ("BEN SALAH Mohamed") and a particle inside a name are
  left alone, and the word pairs with no other given name.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query, explain_pair
from discreet.model import Entity, Name
from discreet.text.given_names import opening_given
from discreet.text.names import NameClass
from tests.match.scoring import both_scores, prepared


@pytest.mark.parametrize(("query", "listed"), [
    ("Ben Harlow", "Benjamin Harlow"),
    ("Ben Okonkwo", "Benjamin Chidi Okonkwo"),
    ("Ben Varga", "Binyamin Varga"),
    ("Ben Lindqvist", "LINDQVIST, Benjamin"),
])
@pytest.mark.parametrize("kind", ["person", "any"])
def test_ben_opening_a_name_is_benjamin(query: str, listed: str, kind: NameClass) -> None:
    assert both_scores(query, listed, kind, kind) >= DEFAULT_THRESHOLD


def test_the_explanation_calls_it_a_nickname() -> None:
    found = explain_pair("Ben Harlow", "Benjamin Harlow", "Person")
    assert [t.method for t in found.tokens if t.listed == "benjamin"] == ["nickname"]


@pytest.mark.parametrize(("query", "listed"), [
    ("Ben Harlow", "Benjamin Carter"),  # another family name
    ("Ben Harlow", "Bernard Harlow"),  # another given name: Ben is not Bernard's here
    ("Ben Harlow", "Harlow Benjamin"),  # Benjamin the family name
    ("BEN SALAH Mohamed", "Benjamin Salah"),  # written family name first: the particle
])
def test_ben_pairs_with_benjamin_only_as_a_given_name(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Ben Salah", "Mohamed Ben Salah"),
    ("Bin Rashed", "Khalid bin Rashed"),
    ("Mohamed ben Salah", "Mohamed bin Salah"),
])
def test_the_particle_inside_or_against_a_lineage_is_unchanged(query: str, listed: str) -> None:
    """Against names without a Benjamin the rule changes nothing: the particle still pairs
    with bin / ben as the same particle."""
    q, name = prepared(query, "person"), prepared(listed, "person")
    assert "bin" in q.tokens and "bin" in name.tokens
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("text", "opens"), [
    ("Ben Harlow", True), ("Ben David Harlow", True), ("BEN SALAH Mohamed", False),
    ("BEN ALI, Farid", False), ("Bin Rashed", False), ("Abu Hamza", False),
    ("Mohamed ben Salah", False), ("Ben", False),
])
def test_opening_given_reads_where_the_name_opens(text: str, opens: bool) -> None:
    q = prepared(text, "person")
    assert opening_given(q.kinds, q.sources, text) is opens


def test_the_matcher_finds_benjamin_among_lineages() -> None:
    """The whole path (index, the kernel's bound, the pair left to Python), among list names
    that hold the particle itself (Khalid bin Harlow) and other given names."""
    names = ["Khalid bin Harlow", "Omar ben Harlow", "Benedict Harlow", "Bernard Harlow",
             "Bilal Harlow", "Benjamin Harlow"]
    entities = [Entity(f"e{i}", "Person", source="test", names=[Name(n)])
                for i, n in enumerate(names)]
    matcher = Matcher.from_entities(entities)
    for schema in ("Person", None):
        found = matcher.match(Query("Ben Harlow", schema=schema), limit=6)
        assert found and found[0].entity.id == f"e{len(names) - 1}"
        assert found[0].score >= DEFAULT_THRESHOLD
        # other given names do not alert (the lineages keep what the particle gave them)
        assert all(r.score < DEFAULT_THRESHOLD for r in found
                   if r.entity.id in ("e2", "e3", "e4"))
