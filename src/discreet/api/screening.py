"""Screening one query entity against a generation, with yente's filters and cut-offs.

No HTTP here: the routes parse, call :func:`screen_entity`, and shape the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from discreet.api.convert import QUERY_PROPS, query_from_ftm, result_out
from discreet.api.errors import ApiError
from discreet.api.index import Generation
from discreet.match import DEFAULT_THRESHOLD, MatchResult, Query
from discreet.match.parties import merge_results
from discreet.match.topics import entity_topics
from discreet.model import Entity

__all__ = ["ALGORITHMS", "BEST", "DEFAULT_CUTOFF", "MAX_NAMES", "Filters", "check_algorithm",
           "check_request_work", "check_work", "cutoff_for", "no_pause", "rank",
           "screen_entity", "screened_names", "topic_set", "with_topics"]

BEST = "discreet-v1"
ALGORITHMS: dict[str, str] = {
    BEST: "discreet's name matcher: token alignment across scripts and spellings, rarity "
          "weights, legal forms, with birth date, country, gender, identifier and schema "
          "evidence. One calibrated score in [0, 1].",
}


NAME_PROPS = tuple(p for p, kind in QUERY_PROPS.items() if kind == "name")
DEFAULT_CUTOFF = 0.5  # results below this score are left out, unless the threshold is lower
MAX_NAMES = 10  # names of one query entity that are screened (convert.query_from_ftm)


def screened_names(props: dict[str, list[str]]) -> int:
    """How many names of a query's properties are screened (at least 1: a nameless query
    is refused, or answered with no candidates, which costs as little)."""
    names = {v.strip() for prop in NAME_PROPS for v in props.get(prop, ())
             if v and v.strip()}
    return max(1, min(MAX_NAMES, len(names)))


def check_work(work: int, max_work: int, how: str, fields: list[str]) -> None:
    """The one work budget of every screening request (``--max-work``): 413 beyond it.

    ``work`` is the name-results a request asks for (screened names x limit, summed over
    its queries): what one request may make a worker compute and hold. ``how`` says where
    the figure comes from, for the client to see what to lower.
    """
    if work > max_work:
        raise ApiError(413, f"this request asks for {work:,} name-results ({how}); the most "
                            f"one request may ask is {max_work:,} (--max-work): lower the "
                            "limit or split the queries", fields=fields)


def check_request_work(queries: Iterable[tuple[int, int]], max_work: int,
                       fields: list[str]) -> int:
    """A request's work from each query's (screened names, limit): their products summed;
    413 over ``max_work`` (see :func:`check_work`), naming the names, queries and limits."""
    names = work = count = 0
    limits: set[int] = set()
    for found, limit in queries:
        names += found
        work += found * limit
        count += 1
        limits.add(limit)
    if work > max_work:
        shown = (f"limit {min(limits)}" if len(limits) == 1
                 else f"limits {min(limits)} to {max(limits)}")
        check_work(work, max_work, f"{names} names across {count} queries x {shown}", fields)
    return work


def no_pause(spent: float) -> None:
    """Nothing to make way for: on the event loop nothing may sleep (the index build gets
    its turn at the GIL anyway), and in-process callers have no build to wait for."""


def check_algorithm(name: str) -> str:
    """The algorithm a name stands for (``best`` is the recommended one); 400 if unknown."""
    if name == "best":
        return BEST
    if name not in ALGORITHMS:
        raise ApiError(400, f"unknown algorithm {name!r}; use 'best' or one of "
                            f"{', '.join(ALGORITHMS)}", fields=["algorithm"])
    return name


@dataclass(frozen=True, slots=True)
class Filters:
    """Which results a request accepts, besides the datasets. ``topics``: only entities
    carrying at least one of them (match/topics.py: compared exactly, as yente does; empty:
    every entity), a view of the one index like the datasets."""

    sources: frozenset[str]
    exclude_schema: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = frozenset()
    changed_since: str | None = None
    topics: frozenset[str] = frozenset()

    @property
    def narrowing(self) -> bool:
        return bool(self.exclude_schema or self.exclude_ids or self.changed_since)

    def accepts(self, gen: Generation, result: MatchResult) -> bool:
        """Whether a result passes the filters; an excluded id excludes its whole party
        (the same party must not come back through another authority's listing)."""
        entity = result.entity
        if entity.schema in self.exclude_schema or entity.id in self.exclude_ids:
            return False
        if self.exclude_ids and any(a.entity.id in self.exclude_ids for a in result.also):
            return False
        if self.changed_since:
            seen = gen.seen.get(entity.id)
            return seen is not None and seen[2] >= self.changed_since
        return True


def topic_set(values: Iterable[str]) -> frozenset[str]:
    """The topics a request names (``topics=``), blanks left out: any string is accepted,
    as yente accepts it; one no entity carries selects nothing."""
    return frozenset(v.strip() for v in values if v.strip())


def _best(results: Sequence[MatchResult]) -> list[MatchResult]:
    """Merge the results of a query's several names: each party (each entity of none)
    once, at its best score (match/parties.py)."""
    return merge_results(results)


def cutoff_for(threshold: float | None, cutoff: float | None) -> float:
    """The lowest score a /match result is returned with: the request's ``cutoff``, else
    :data:`DEFAULT_CUTOFF` or the threshold, whichever is lower."""
    if cutoff is not None:
        return cutoff
    return min(DEFAULT_CUTOFF, DEFAULT_THRESHOLD if threshold is None else threshold)


def rank(gen: Generation, schema: str, props: dict[str, list[str]], qid: str | None,
         filters: Filters, *, limit: int, cutoff: float) -> list[MatchResult]:
    """The best ``limit`` results at or above ``cutoff`` for one FtM query entity."""
    queries = query_from_ftm(schema, props, qid)
    found: list[MatchResult] = []
    fetch = limit * 4 + 20 if filters.narrowing else limit
    for query in queries:
        found.extend(r for r in _match(gen, query, filters, fetch, cutoff)
                     if filters.accepts(gen, r))
    return _best(found)[:limit]


def _match(gen: Generation, query: Query, filters: Filters, limit: int,
           cutoff: float) -> list[MatchResult]:
    """The generation's results in the view of the datasets and topics asked for."""
    if not filters.topics:
        return gen.match(query, filters.sources, limit, cutoff)
    if not filters.sources:
        return []
    return gen.matcher.match(query, limit=limit, threshold=cutoff, sources=filters.sources,
                             topics=filters.topics)


def with_topics(data: dict[str, Any], entity: Entity) -> dict[str, Any]:
    """An entity's FtM JSON with the topics it carries as the topic filter reads them
    (match/topics.py), so a client labels a sanction, a PEP or a crime result as /match
    and /search select it. The properties are copied, never changed in place (the FtM
    JSON is cached per generation)."""
    props = {k: v for k, v in data.get("properties", {}).items() if k != "topics"}
    topics = entity_topics(entity)
    if topics:
        props["topics"] = list(topics)
    return {**data, "properties": props}


def screen_entity(gen: Generation, schema: str, props: dict[str, list[str]],
                  qid: str | None, filters: Filters, *, limit: int,
                  threshold: float | None, cutoff: float | None) -> dict[str, Any]:
    """One entry of a /match answer: results (best first), total and the query echoed."""
    ranked = rank(gen, schema, props, qid, filters, limit=limit,
                  cutoff=cutoff_for(threshold, cutoff))
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    results = [result_out(r, gen.seen.get(r.entity.id),
                          with_topics(gen.ftm(r.entity), r.entity), threshold)
               for r in ranked]
    echo: dict[str, Any] = {"id": qid, "schema": schema, "properties": props}
    return {"status": 200, "results": results,
            "total": {"value": len(results), "relation": "eq"}, "query": echo}
