"""Results of equal score are in one order whatever the threshold and the limit: by id, and
for one id listed by several sources (OFAC's SDN and consolidated lists carry the same
entity), by source. Before, two listings of one id kept the order the candidates were met
in, which depends on what the threshold pruned (issue 10, item 3)."""

from __future__ import annotations

import itertools

from discreet.match import Matcher, MatchResult, Query
from discreet.model import Entity, Name

GIVEN = ["Oskar", "Malin", "Tarik", "Ilse", "Bogdan", "Sanna", "Ruben", "Yelena"]
FAMILY = ["Varkonyi", "Hedqvist", "Orbeli", "Stanek", "Quaresma", "Tolvanen"]
SOURCES = ["zeta_list", "alpha_list", "mid_list"]  # added in this order, sorted otherwise


def _listing(eid: str, source: str, name: str) -> Entity:
    return Entity(eid, "Person", source=source, names=[Name(name)])


def _matcher() -> Matcher:
    entities = []
    for k, (given, family) in enumerate(itertools.product(GIVEN, FAMILY)):
        sources = SOURCES if k % 3 == 0 else SOURCES[:1]
        entities += [_listing(f"e-{k:02d}", source, f"{given} {family}") for source in sources]
    return Matcher.from_entities(entities)


def _key(result: MatchResult) -> tuple[float, str, str]:
    return -round(result.score, 9), result.entity.id, result.entity.source


def test_equal_scores_are_ordered_by_id_then_source() -> None:
    matcher = _matcher()
    for given, family in itertools.product(GIVEN[:4], FAMILY[:3]):
        for text in (f"{given} {family}", f"{given[:-1]} {family}", family):
            results = matcher.match(Query(text, schema="Person"), limit=20, threshold=0.0)
            assert len(results) >= 2, text
            assert [_key(r) for r in results] == sorted(_key(r) for r in results), text


def test_one_id_in_three_sources_keeps_its_order_at_every_threshold() -> None:
    matcher = _matcher()
    query = Query("Oskar Varkonyi", schema="Person")  # e-00: listed by all three sources
    everything = [(r.entity.id, r.entity.source, r.score)
                  for r in matcher.match(query, limit=20, threshold=0.0)]
    assert [s for i, s, _ in everything if i == "e-00"] == sorted(SOURCES)
    for threshold in (0.3, 0.5, 0.7, 0.9):
        for limit in (1, 2, 3, 5, 20):
            found = [(r.entity.id, r.entity.source, r.score)
                     for r in matcher.match(query, limit=limit, threshold=threshold)]
            assert found == [r for r in everything if r[2] >= threshold][:limit], (
                threshold, limit)
