"""``settle`` (sp18): the young generation's pass runs every ``_YOUNG_OBJECTS`` new objects
once an index is settled, a threshold set higher or collection turned off is left alone,
and a query (clean or misspelt, person or company, other scripts) makes no garbage cycle,
which is what lets the young pass wait."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from discreet.match import Matcher, Query, settle
from discreet.match.matcher import _YOUNG_OBJECTS
from discreet.model import Entity, Name


@pytest.fixture
def thresholds() -> Iterator[None]:
    """The collector's thresholds and frozen objects as they were, after the test."""
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


@pytest.mark.usefixtures("thresholds")
def test_settle_raises_the_young_threshold_only() -> None:
    gc.set_threshold(700, 10, 10)
    settle()
    assert gc.get_threshold() == (_YOUNG_OBJECTS, 10, 10)
    assert gc.get_freeze_count() > 0
    gc.set_threshold(700, 5, 7)
    settle()
    assert gc.get_threshold() == (_YOUNG_OBJECTS, 5, 7)  # the older ones kept
    gc.set_threshold(_YOUNG_OBJECTS * 3, 10, 10)
    settle()
    assert gc.get_threshold() == (_YOUNG_OBJECTS * 3, 10, 10)  # not lowered
    gc.set_threshold(0, 10, 10)
    settle()
    assert gc.get_threshold()[0] == 0  # automatic collection stays off


_LISTED = [
    ("p1", "Person", "Nikolai Platonovich Patrushev"), ("p2", "Person", "Hassan bin Ali"),
    ("p3", "Person", "Владимир Путин"), ("p4", "Person", "Maria de la Cruz"),
    ("o1", "Organization", "Northern Star Shipping LLC"),
    ("o2", "Organization", "Banco Nacional de Cuba"), ("o3", "Organization", "OOO Markus"),
]
_QUERIES = [
    Query("Nikolay Patrushev"), Query("Patrushev, Nikolai", schema="Person"),
    Query("Hasan bin Aly"), Query("Vladimir Putin"), Query("Maria de la Kruz"),
    Query("Northern Star Shiping", schema="Company"), Query("BNC", schema="Company"),
    Query("Marques", schema="Company"), Query("Quentin Abernathy-Wolfe"),
    Query("Zzyzx Qorvath", birth_date="1961-02-03", countries=("ru",)),
    Query("محمد حسن"), Query("王小明"), Query("Rmzn Kdyrv"), Query("Acme Trading GmbH"),
]


@pytest.mark.usefixtures("thresholds")
def test_a_query_makes_no_garbage_cycle() -> None:
    matcher = Matcher.from_entities([
        Entity(id_, schema, source="t", names=[Name(text)]) for id_, schema, text in _LISTED])
    for query in _QUERIES:  # warm: the caches made once
        matcher.match(query, threshold=0.0)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        results = [matcher.match(Query(q.name + suffix, schema=q.schema, birth_date=q.birth_date,
                                       countries=q.countries), threshold=0.0)
                   for q in _QUERIES for suffix in ("", "x", " Smith")]
        found = gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert any(results)  # the queries met names
    assert found == 0, [type(o).__name__ for o in garbage[:20]]
