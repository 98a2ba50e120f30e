"""The candidates know what a query names: a person's query ranks the persons sharing its
words before the organisations and vessels sharing them as much (a common word, AL, ABU, a
common surname, would otherwise let the bodies take the capped places), an organisation's
the bodies; a name of the other kind that shares more keeps its place. The matcher asks with
the query's kind (its schema, or what its name reads as)."""

from __future__ import annotations

import itertools

import pytest

from discreet.match import Matcher
from discreet.match.query import Query
from discreet.model import Entity, Name
from discreet.text.names import name_class

# made-up words: the second words of names that share a first one
_SYLLABLES = ("ka", "lo", "mi", "ten", "vu", "ro", "sa", "bel", "dur", "pim")
WORDS = ["".join(parts).capitalize() for parts in itertools.product(_SYLLABLES, repeat=3)]
SHARED = ("Zarif", "Quenby", "Oltrada")  # a word many persons and bodies share


def _entities() -> list[Entity]:
    """For each shared word: 30 organisations, 10 vessels and 30 persons of two words, the
    bodies first (ties go to the earlier position), an organisation named by the word alone;
    then persons of unrelated names, so that the index is large enough to be asked."""
    out: list[Entity] = []
    words = iter(WORDS)
    for shared in SHARED:
        out += [Entity(f"o-{shared}-{i}", "Organization", source="t",
                       names=[Name(f"{shared.upper()} {next(words).upper()}")])
                for i in range(30)]
        out += [Entity(f"v-{shared}-{i}", "Vessel", source="t",
                       names=[Name(f"{shared.upper()} {next(words).upper()}")])
                for i in range(10)]
        out += [Entity(f"p-{shared}-{i}", "Person", source="t",
                       names=[Name(f"{shared} {next(words).upper()}")]) for i in range(30)]
        out.append(Entity(f"alone-{shared}", "Organization", source="t",
                          names=[Name(shared.upper())]))
    for i, (a, b) in enumerate(itertools.pairwise(list(words)[:900])):
        out.append(Entity(f"f{i}", "Person", source="t", names=[Name(f"{a} {b.upper()}")]))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    built = Matcher.from_entities(_entities())
    assert not built.scan  # candidates asked of the index, not every name compared
    return built


def _kinds(matcher: Matcher, found: list[int]) -> list[str]:
    return [matcher.entities[int(matcher.owners[p])].id.split("-")[0] for p in found]


@pytest.mark.parametrize("shared", SHARED)
def test_a_persons_query_ranks_the_persons_first(matcher: Matcher, shared: str) -> None:
    q = matcher.prepare(f"{shared}", name_class("Person"))
    plain = _kinds(matcher, matcher.index.candidates(q, 20))
    assert plain[0] == "alone"  # the name that is the query's word, whatever the kind
    assert set(plain[1:]) <= {"o", "v"}  # as many words shared: the earlier positions
    kinded = _kinds(matcher, matcher.index.candidates(q, 20, kind="person"))
    assert kinded[0] == "alone"  # shares more: keeps its place
    assert kinded[1:] == ["p"] * 19


@pytest.mark.parametrize("shared", SHARED)
def test_a_bodys_query_ranks_the_bodies_first(matcher: Matcher, shared: str) -> None:
    q = matcher.prepare(f"{shared}", name_class(None))
    for kind in ("organisation", "vessel", "body"):
        kinded = _kinds(matcher, matcher.index.candidates(q, 41, kind=kind))
        assert kinded[0] == "alone"
        assert set(kinded[1:]) == {"o", "v"}
    # an organisation's name (its schema's class) is one without being told so, as before
    org = matcher.prepare(f"{shared}", name_class("Organization"))
    assert matcher.index.candidates(org, 41) == matcher.index.candidates(
        org, 41, kind="organisation")


def test_the_kind_asked(matcher: Matcher) -> None:
    assert matcher.query_kind(Query("Zarif Kalomi", schema="Person")) == "person"
    assert matcher.query_kind(Query("Zarif Kalomi", schema="Organization")) is None
    assert matcher.query_kind(Query("Zarif Trading LLC")) in ("organisation", "body")


def test_the_matcher_asks_with_the_querys_kind(matcher: Matcher) -> None:
    """A person's query of a shared word compares the persons bearing it, not the bodies
    placed before them; the bound the prefilter takes (best_name_score) compares them all."""
    for shared in SHARED:
        query = Query(shared, schema="Person")
        q = matcher.prepare(shared, name_class("Person"))
        found = matcher.found(q, kind=matcher.query_kind(query))
        assert found == matcher.index.candidates(q, 40, kind="person")
        assert _kinds(matcher, list(found))[1:] == ["p"] * 30 + ["o"] * 9
        persons = {r.entity.id for r in matcher.match(query, limit=40, threshold=0.3)}
        assert {f"p-{shared}-{i}" for i in range(30)} <= persons


@pytest.mark.parametrize(("text", "schema"), [
    ("Zarif", "Organization"), ("Quenby Kalomi LLC", None), ("Oltrada Kaloten", "Company")])
def test_the_bound_of_an_organisations_name_compares_every_kinds_candidates(
        matcher: Matcher, text: str, schema: str | None) -> None:
    """The prefilter's bound asks an organisation's name (by its class or a legal form)
    without a kind and as a person's only (without a kind it asks as an organisation's):
    the names it compares are still those of every kind."""
    q = matcher.prepare(text, name_class(schema))
    assert q.org or q.legal
    assert matcher.index.candidates(q, 40) == matcher.index.candidates(
        q, 40, kind="organisation")
    every = list(dict.fromkeys(itertools.chain.from_iterable(
        matcher.found(q, kind=kind) for kind in (None, "person", "organisation"))))
    scores = matcher.scores(q, every)
    assert matcher.best_name_score(q) == max(
        scores.score(k) + matcher.lowering[p] for k, p in enumerate(every))
