"""One result per party: entities joined by same-as links are one result naming every
listing (match/parties.py), on every path that yields results.

Built from real stores (SQLite and PostgreSQL) whose links are written with the store's own
methods; the party-wise ranking is also checked against a reference computed from the
entity results, on the project's own fixtures with generated parties, in both the
every-name and the candidates paths.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator

import pytest

from discreet.match import Matcher, MatchResult, Query
from discreet.match.parties import Parties, merge_results
from discreet.model import Entity, Name
from discreet.store import SameAs, Store
from tests.api.helpers import load_entities, person

PETROV = Query("Ivan Sergeyevich Petrov", schema="Person")


def _link(a: str, b: str, basis: str = "identifier", confidence: float = 0.99) -> SameAs:
    return SameAs(a, b, basis, confidence, (f"passport 1234 on {a} and {b}",))


def _lists(store: Store) -> None:
    """One person (Ivan Sergeyevich Petrov) listed by OFAC, the UN and the EU; a
    namesake listed by the UK only; and others."""
    load_entities(store, "us_ofac_sdn", [
        person("ofac-1", "Ivan Sergeyevich PETROV", "us_ofac_sdn", "1961-02-03", "ru"),
        person("ofac-2", "Boris Nikolayevich GRYZLOV", "us_ofac_sdn", "1950", "ru"),
        person("ofac-3", "Ivan PETROV", "us_ofac_sdn", "1975", "by"),
    ])
    load_entities(store, "un_sc_sanctions", [
        person("un-7", "PETROV Ivan Sergeevich", "un_sc_sanctions", "1961", "ru"),
        person("un-8", "KIM JONG UN", "un_sc_sanctions", "1984", "kp"),
    ])
    load_entities(store, "eu_fsf", [
        person("eu-3", "Ivan Sergejewitsch Petrow", "eu_fsf", "1961-02-03", "ru"),
        person("eu-4", "Mikhail Vladimirovich MISHUSTIN", "eu_fsf", "1966", "ru"),
    ])
    load_entities(store, "gb_fcdo_sanctions", [
        person("gb-1", "Ivan Sergeyevich PETROVSKY", "gb_fcdo_sanctions", "1990", "ua"),
    ])


@pytest.fixture
def linked(store_url: str) -> Iterator[Store]:
    """The lists above with ofac-1 = un-7 = eu-3 (a chain of two links)."""
    with Store.open(store_url) as store:
        _lists(store)
        store.replace_proposed_links([_link("ofac-1", "un-7"), _link("eu-3", "un-7", "name", 0.9)])
        yield store


def _ids(results: list[MatchResult]) -> list[str]:
    return [r.entity.id for r in results]


def _listed(result: MatchResult) -> set[str]:
    return {result.entity.id, *(a.entity.id for a in result.also)}


def test_one_person_listed_by_three_authorities_is_one_result(linked: Store) -> None:
    matcher = Matcher.from_store(linked)
    entities = matcher.match(PETROV, limit=10, threshold=0.5, collapse=False)
    assert {"ofac-1", "un-7", "eu-3"} <= set(_ids(entities))  # three entity results
    results = matcher.match(PETROV, limit=10, threshold=0.5)
    party = [r for r in results if r.party is not None]
    assert len(party) == 1
    [top] = party
    assert _listed(top) == {"ofac-1", "un-7", "eu-3"} and top.party == "eu-3"
    assert not {"ofac-1", "un-7", "eu-3"} & {r.entity.id for r in results if r is not top}
    # the result is the best-scoring listing, the others carry their own scores
    scores = {r.entity.id: r.score for r in entities}
    assert top.score == max(scores[e] for e in ("ofac-1", "un-7", "eu-3"))
    assert {a.entity.id: a.score for a in top.also} == {
        e: scores[e] for e in ("ofac-1", "un-7", "eu-3") if e != top.entity.id}
    assert [a.score for a in top.also] == sorted((a.score or 0 for a in top.also), reverse=True)
    # every other result is as the entity-wise matcher gives it
    rest = [(r.entity.id, r.score) for r in entities if r.entity.id not in _listed(top)]
    assert [(r.entity.id, r.score) for r in results if r is not top] == rest
    data = top.to_dict()
    assert data["party"] == "eu-3"
    assert set(data["datasets"]) == {"us_ofac_sdn", "un_sc_sanctions", "eu_fsf"}
    assert data["datasets"][0] == top.entity.source
    assert data["listings"][0]["id"] == top.entity.id
    assert {x["authority"] for x in data["listings"]} == {"US", "UN", "EU"}


def test_a_rejected_link_splits_the_party(linked: Store) -> None:
    linked.decide_link("un-7", "ofac-1", "rejected", by="analyst", note="another Petrov")
    results = Matcher.from_store(linked).match(PETROV, limit=10, threshold=0.5)
    groups = {frozenset(_listed(r)) for r in results if r.entity.id in {"ofac-1", "un-7", "eu-3"}}
    assert groups == {frozenset({"ofac-1"}), frozenset({"un-7", "eu-3"})}
    ofac = next(r for r in results if r.entity.id == "ofac-1")
    assert ofac.party is None and ofac.also == () and "listings" not in ofac.to_dict()


def test_confirmed_links_join_and_links_to_unlisted_entities_do_nothing(linked: Store) -> None:
    linked.decide_link("un-7", "ofac-1", "confirmed", by="analyst")
    linked.replace_proposed_links([_link("gb-1", "ofac-404")])  # ofac-404 is not listed
    results = Matcher.from_store(linked).match(PETROV, limit=10, threshold=0.5)
    # the confirmed link stays; eu-3's undecided proposal went with the recomputation
    assert {frozenset(_listed(r)) for r in results} >= {frozenset({"ofac-1", "un-7"}),
                                                        frozenset({"eu-3"})}
    gb = [r for r in results if r.entity.id == "gb-1"]
    assert all(r.party is None and r.also == () for r in gb)


def test_a_partial_group_names_the_listings_that_did_not_score(linked: Store) -> None:
    """A listing whose name the query does not match is named, without a score."""
    linked.replace_proposed_links([_link("ofac-1", "un-7"), _link("eu-3", "un-7"),
                                   _link("eu-4", "ofac-1")])
    [top] = [r for r in Matcher.from_store(linked).match(PETROV, limit=10, threshold=0.5)
             if r.party is not None]
    also = {a.entity.id: a.score for a in top.also}
    assert set(also) | {top.entity.id} == {"ofac-1", "un-7", "eu-3", "eu-4"}
    assert also["eu-4"] is None  # Mishustin does not score against Petrov
    assert all(score is not None for eid, score in also.items() if eid != "eu-4")
    assert [a.entity.id for a in top.also][-1] == "eu-4"  # unscored listings come last
    listing = next(x for x in top.to_dict()["listings"] if x["id"] == "eu-4")
    assert listing["score"] is None and listing["source"] == "eu_fsf"


def test_a_view_shows_only_its_own_listings_as_results(linked: Store) -> None:
    matcher = Matcher.from_store(linked)
    for source, own in (("un_sc_sanctions", "un-7"), ("eu_fsf", "eu-3")):
        results = matcher.match(PETROV, limit=10, threshold=0.5, sources={source})
        assert all(r.entity.source == source for r in results)
        [top] = [r for r in results if r.party is not None]
        assert top.entity.id == own
        # the other listings are named, not scored: they lie outside the view
        assert {a.entity.id: a.score for a in top.also} == {
            e: None for e in ("ofac-1", "un-7", "eu-3") if e != own}
    both = matcher.match(PETROV, limit=10, threshold=0.5, sources={"eu_fsf", "un_sc_sanctions"})
    [top] = [r for r in both if r.party is not None]
    scored = {a.entity.id for a in top.also if a.score is not None}
    assert scored == {"un-7", "eu-3"} - {top.entity.id}


def test_a_restricted_index_names_the_listings_it_does_not_hold(linked: Store) -> None:
    matcher = Matcher.from_store(linked)
    sub = matcher.restricted({"un-7", "gb-1"})
    results = sub.match(PETROV, limit=10, threshold=0.5)
    top = next(r for r in results if r.entity.id == "un-7")
    assert {a.entity.id: a.score for a in top.also} == {"ofac-1": None, "eu-3": None}
    assert top.score == next(r.score for r in matcher.match(PETROV, limit=10, threshold=0.5,
                                                             collapse=False)
                             if r.entity.id == "un-7")


def test_without_links_results_are_unchanged(store_url: str) -> None:
    with Store.open(store_url) as store:
        _lists(store)
        matcher = Matcher.from_store(store)
        assert matcher.parties is None
        entities = [e for v in store.active() for e in store.entities(v.source)]
    plain = Matcher.from_entities(entities)
    for query in (PETROV, Query("Ivan Petrov"), Query("Kim Jong Un"), Query("Gryzlov")):
        for limit in (1, 3, 10):
            got = matcher.match(query, limit=limit, threshold=0.3)
            assert [r.to_dict() for r in got] == \
                [r.to_dict() for r in plain.match(query, limit=limit, threshold=0.3)]
            assert all(r.party is None and "listings" not in r.to_dict() for r in got)


def test_the_matcher_pickles_with_its_parties(linked: Store) -> None:
    matcher = Matcher.from_store(linked)
    again = pickle.loads(pickle.dumps(matcher))
    assert again.parties == matcher.parties
    assert [r.to_dict() for r in again.match(PETROV, limit=5, threshold=0.3)] == \
        [r.to_dict() for r in matcher.match(PETROV, limit=5, threshold=0.3)]
    # the listings are the index's own entities (equal: an index built from a store keeps
    # its entities as the store's records, decoded when read, Matcher.from_store)
    assert all(any(e == x for x in again.entities)
               for listed in again.parties.members.values() for e in listed)


# -- the limit counts parties: against a reference, on generated lists -------------------

EVERYTHING = 10_000
SOURCES = ("us_ofac_sdn", "un_sc_sanctions", "eu_fsf", "gb_fcdo_sanctions", "ca_sema")
FIRST = ("Ivan", "Sergei", "Olga", "Anna", "Mikhail", "Dmitri", "Elena", "Viktor", "Oleg",
         "Yuri", "Pavel", "Irina", "Andrei", "Natalia", "Boris", "Igor")
LAST = ("Petrov", "Ivanov", "Sidorov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov",
        "Lebedev", "Kozlov", "Novikov", "Morozov", "Pavlov", "Orlov", "Titov", "Belov",
        "Petrovsky", "Ivanenko", "Sidorenko", "Volkova")
WORDS = ("Trading", "Shipping", "Energy", "Bank", "Holding", "Invest", "Oil", "Steel")


def _generated_entities(seed: int) -> list[Entity]:
    """Persons and organisations with names drawn from small pools, so that many are
    alike, spread over five sources."""
    rng = random.Random(seed)
    out: list[Entity] = []
    for number in range(700):
        source = SOURCES[number % len(SOURCES)]
        if number % 4:
            name = f"{rng.choice(FIRST)} {rng.choice(FIRST)}ovich {rng.choice(LAST)}"
            if rng.random() < 0.3:
                name = " ".join(reversed(name.split()))
            out.append(person(f"{source}-{number}", name, source))
        else:
            name = f"{rng.choice(LAST)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
            out.append(Entity(f"{source}-{number}", "Company", source=source,
                              authority=source.split("_")[0].upper(),
                              authority_id=str(number), names=[Name(name)]).finish())
    return out


def _random_parties(entities: list[Entity], seed: int) -> dict[str, str]:
    """Entity id -> party id for random groups of two to five entities of different sources
    with the same last word (whether they are one party does not matter to how results are
    counted): linked listings then crowd the first results."""
    rng = random.Random(seed)
    by_word: dict[str, list[Entity]] = {}
    for e in entities:
        by_word.setdefault(e.caption.split()[-1], []).append(e)
    party_of: dict[str, str] = {}
    for group in by_word.values():
        rng.shuffle(group)
        while len(group) > 1:
            size = rng.randint(2, 5)
            members, group = group[:size], group[size:]
            members = list({e.source: e for e in members}.values())
            if len(members) > 1 and rng.random() < 0.7:
                party = min(e.id for e in members)
                party_of.update((e.id, party) for e in members)
    return party_of


def _reference(matcher: Matcher, query: Query, limit: int, threshold: float,
               sources: frozenset[str] | None) -> list[tuple[str, float, frozenset[str]]]:
    """The first ``limit`` parties, from every entity result: each party at its first
    (best) listing, ranked as its best listing ranks."""
    assert matcher.parties is not None
    out: list[tuple[str, float, frozenset[str]]] = []
    seen: set[str] = set()
    for r in matcher.match(query, limit=EVERYTHING, threshold=threshold, sources=sources,
                           collapse=False):
        party = matcher.parties.party(r.entity.id) or r.entity.id
        if party not in seen:
            seen.add(party)
            listed = {e.id for e in matcher.parties.members.get(party, ())} | {r.entity.id}
            out.append((r.entity.id, r.score, frozenset(listed)))
    return out[:limit]


@pytest.fixture(scope="module", params=["every name", "candidates"])
def party_matcher(request: pytest.FixtureRequest) -> Matcher:
    entities = _generated_entities(seed=4)
    built = Matcher.from_entities(entities)
    built.scan = request.param == "every name"
    built.parties = Parties.build(_random_parties(entities, seed=5), entities)
    assert built.parties is not None and len(built.parties.members) > 60
    return built


def _queries(matcher: Matcher, count: int, seed: int) -> Iterator[Query]:
    rng = random.Random(seed)
    names = [n.value for e in matcher.entities for n in e.names]
    for _ in range(count):
        words = rng.choice(names).split()
        if len(words) > 1 and rng.random() < 0.5:
            words = rng.sample(words, len(words) - 1)
        yield Query(" ".join(words), schema=rng.choice([None, "Person", "Organization"]))


def test_the_limit_counts_parties(party_matcher: Matcher) -> None:
    sources = party_matcher.source_names
    collapsed = 0
    for number, query in enumerate(_queries(party_matcher, 120, seed=8)):
        view = None if number % 3 else frozenset(sources[number % len(sources):][:2])
        threshold = (0.0, 0.4, 0.7)[number % 3]
        for limit in (1, 2, 5):
            got = party_matcher.match(query, limit=limit, threshold=threshold, sources=view)
            want = _reference(party_matcher, query, limit, threshold, view)
            assert [(r.entity.id, r.score, frozenset(_listed(r))) for r in got] == want, \
                (query, limit, threshold, view)
            assert all(view is None or r.entity.source in view for r in got)
            collapsed += sum(len(r.also) > 0 for r in got)
    assert collapsed > 100  # parties did crowd the first results


def test_merging_several_names_keeps_one_result_per_party(linked: Store) -> None:
    """The results of a query's several names (the API screens each name) merge by party,
    each listing at its best score."""
    matcher = Matcher.from_store(linked)
    first = matcher.match(Query("Ivan Sergeyevich Petrov"), limit=5, threshold=0.3)
    second = matcher.match(Query("Petrow Ivan"), limit=5, threshold=0.3)
    merged = merge_results([*first, *second])
    assert len({r.party for r in merged if r.party}) == sum(1 for r in merged if r.party)
    assert len({r.entity.id for r in merged}) == len(merged)
    ids = [i for r in merged for i in _listed(r)]
    assert len(ids) == len(set(ids))
    best: dict[str, float] = {}
    for r in [*first, *second]:
        for eid, score in [(r.entity.id, r.score), *((a.entity.id, a.score) for a in r.also)]:
            if score is not None:
                best[eid] = max(score, best.get(eid, score))
    for r in merged:
        assert r.score == best[r.entity.id]
        assert all(a.score == best.get(a.entity.id) for a in r.also)
        assert all(a.score is None or a.score <= r.score for a in r.also)
    assert [r.score for r in merged] == sorted((r.score for r in merged), reverse=True)
