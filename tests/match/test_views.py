"""Datasets as views of one index: a view restricts what a query is compared with, never how.

``Matcher.match(query, sources=...)`` must (1) return only entities of those sources, (2)
give each of them exactly the score the whole index gives it, (3) find at least every entity
of those sources the whole index finds, and (4) still only filter by the threshold. Checked
on the project's own fixtures, as a small index (every name compared) and with the index's
candidates (the path a large index takes), on generated queries.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest

from discreet.match import Matcher, Query
from discreet.model import Entity
from discreet.sources import open_list
from tests.conftest import OWN_FIXTURES

LISTS = ("un/un_small.xml", "uk_fcdo/uk_small.xml", "ofsi_csv/conlist_2022_layout.csv",
         "eu_fsf/eu_small.xml", "ofac_xml/sdn_sample.xml", "ftm/entities.ftm.json")
LIMIT = 10_000


def _entities() -> list[Entity]:
    out: list[Entity] = []
    for rel in LISTS:
        meta, parsed = open_list(OWN_FIXTURES / rel)
        for entity in parsed:
            entity.source = entity.source or meta.dataset
            out.append(entity)
    return out


@pytest.fixture(scope="module", params=["every name", "candidates"])
def matcher(request: pytest.FixtureRequest) -> Matcher:
    built = Matcher.from_entities(_entities())
    assert len(built.source_names) >= 4  # the test means something only with several
    built.scan = request.param == "every name"
    return built


def _queries(matcher: Matcher, count: int, seed: int) -> Iterator[Query]:
    rng = random.Random(seed)
    names = [n.value for e in matcher.entities for n in e.names]
    for _ in range(count):
        words = rng.choice(names).split()
        if len(words) > 1 and rng.random() < 0.3:
            rng.shuffle(words)
        text = " ".join(words)
        if len(text) > 4 and rng.random() < 0.6:  # one letter changed
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice("aeiouxkr") + text[i + 1:]
        yield Query(text, schema=rng.choice([None, "Person", "Organization"]))


def _subsets(sources: list[str]) -> list[frozenset[str]]:
    singles = [frozenset({s}) for s in sources]
    pairs = [frozenset(p) for p in itertools.combinations(sources, 2)]
    return singles + pairs[:4]


def test_views_score_as_the_whole_index_and_find_what_it_finds(matcher: Matcher) -> None:
    subsets = _subsets(matcher.source_names)
    checked = 0
    for query in _queries(matcher, 150, seed=11):
        whole = {r.entity.id: r.score for r in matcher.match(query, limit=LIMIT, threshold=0.3)}
        source_of = {e.id: e.source for e in matcher.entities}
        for subset in subsets:
            seen = {r.entity.id: r.score
                    for r in matcher.match(query, limit=LIMIT, threshold=0.3, sources=subset)}
            assert all(source_of[eid] in subset for eid in seen), (query, subset)
            for eid, score in seen.items():
                if eid in whole:
                    assert score == whole[eid], (query, eid)
                    checked += 1
            missing = {eid for eid in whole if source_of[eid] in subset} - set(seen)
            assert not missing, (query, subset, missing)
    assert checked > 200  # the views did find things to compare


def test_the_threshold_only_filters_a_view(matcher: Matcher) -> None:
    subsets = _subsets(matcher.source_names)
    for number, query in enumerate(_queries(matcher, 80, seed=12)):
        subset = subsets[number % len(subsets)]
        everything = matcher.match(query, limit=LIMIT, threshold=0.0, sources=subset)
        for cut in (0.5, 0.7, 0.85):
            at = matcher.match(query, limit=LIMIT, threshold=cut, sources=subset)
            assert [(r.entity.id, r.score) for r in at] == \
                [(r.entity.id, r.score) for r in everything if r.score >= cut], (query, cut)


def test_every_source_or_none_is_the_whole_index(matcher: Matcher) -> None:
    query = Query("Saddam Hussein al-Tikriti")
    whole = matcher.match(query, limit=20, threshold=0.3)
    assert whole == matcher.match(query, limit=20, threshold=0.3,
                                  sources=set(matcher.source_names) | {"not_loaded"})
    assert matcher.view(None) is None and matcher.view(matcher.source_names) is None
    assert matcher.match(query, limit=20, threshold=0.3, sources={"not_loaded"}) == []
