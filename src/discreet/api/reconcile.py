"""The W3C Entity Reconciliation API 0.2 (what OpenRefine speaks), without HTTP.

Manifest, query batches and suggest answers; :mod:`discreet.api.routes_reconcile` serves
them. Scores are 0-100, as OpenRefine shows them; ``match`` marks a sole candidate at or
above the alert threshold, which OpenRefine may accept automatically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from discreet.api.convert import QUERY_PROPS, QUERY_SCHEMATA
from discreet.api.errors import ApiError
from discreet.api.index import Generation
from discreet.api.jsonbounds import loads_bounded
from discreet.api.screening import (
    DEFAULT_CUTOFF,
    Filters,
    check_request_work,
    no_pause,
    rank,
    screened_names,
)
from discreet.match import DEFAULT_THRESHOLD, MatchResult

__all__ = ["DEFAULT_LIMIT", "ReconQuery", "check_batch_work", "manifest", "parse_queries",
           "reconcile", "suggest"]

DEFAULT_LIMIT = 5  # candidates per query when the query gives no limit (or 0)

PropertyValue = str | int | float | bool | dict[str, Any]


class ReconProperty(BaseModel):
    pid: Annotated[str, Field(max_length=100)]
    v: PropertyValue | list[PropertyValue]


class ReconQuery(BaseModel):
    """One reconciliation query: a name, optional type(s), limit and property values."""

    model_config = ConfigDict(extra="forbid")

    query: Annotated[str, Field(max_length=1000)] | None = None
    type: str | list[str] | None = None
    limit: Annotated[int, Field(ge=0, le=100)] | None = None
    properties: list[ReconProperty] = Field(default_factory=list, max_length=50)
    type_strict: Literal["any", "should", "all"] | None = None


_BATCH = TypeAdapter(dict[Annotated[str, Field(max_length=200)], ReconQuery])


def parse_queries(text: str, max_batch: int) -> dict[str, ReconQuery]:
    """A query batch from its JSON text; 400 when it is not one, 413 when too large.

    The JSON is bounded in depth, and lone surrogates are replaced (see jsonbounds).
    """
    data = loads_bounded(text, "queries")
    try:
        batch = _BATCH.validate_python(data)
    except (ValueError, ValidationError) as exc:
        raise ApiError(400, f"'queries' is not a reconciliation query batch: "
                            f"{str(exc).splitlines()[0]}", fields=["queries"]) from exc
    if len(batch) > max_batch:
        raise ApiError(413, f"{len(batch)} queries in one request; the limit is {max_batch}",
                       fields=["queries"])
    return batch


def manifest(base: str, dataset: str, title: str) -> dict[str, Any]:
    """The service manifest OpenRefine reads when the service is added.

    ``base`` is the configured public URL (``public_url``), never the request's Host
    header; unset (empty), the URLs are paths on this server and suggest services are
    given relative to the service itself, as the specification allows.
    """
    path = f"/reconcile/{dataset}"
    types = [{"id": s, "name": s} for s in ("Person", "Organization", "Company",
                                            "LegalEntity", "Vessel", "Airplane")]
    suggest: dict[str, dict[str, str]] = {}
    for kind in ("entity", "type", "property"):
        suggest[kind] = {"service_path": f"/suggest/{kind}"}
        if base:
            suggest[kind]["service_url"] = f"{base}{path}"
    return {
        "versions": ["0.2"],
        "name": f"{title} ({dataset})",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": f"{base}/schemata/",
        "defaultTypes": types,
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "suggest": suggest,
    }


def _props(query: ReconQuery) -> tuple[str, dict[str, list[str]]]:
    types = [query.type] if isinstance(query.type, str) else list(query.type or [])
    schema = next((t for t in types if t in QUERY_SCHEMATA), "LegalEntity")
    props: dict[str, list[str]] = {"name": [query.query]} if query.query else {}
    for prop in query.properties:
        values = prop.v if isinstance(prop.v, list) else [prop.v]
        text = [str(v.get("id", "")) if isinstance(v, dict) else str(v) for v in values]
        props.setdefault(prop.pid, []).extend(t for t in text if t)
    return schema, props


def _candidate(r: MatchResult, sole: bool) -> dict[str, Any]:
    e = r.entity
    return {"id": e.id, "name": e.caption, "score": round(r.score * 100, 2),
            "match": sole and r.score >= DEFAULT_THRESHOLD,
            "type": [{"id": e.schema, "name": e.schema}],
            "description": ", ".join(dict.fromkeys(
                [e.schema, e.source, *(a.entity.source for a in r.also)])),
            "features": [{"id": "name_score", "value": round(r.explanation.name_score, 4)}]}


def check_batch_work(batch: dict[str, ReconQuery], max_work: int) -> int:
    """A batch's work (screened names x limit, summed over its queries), as /match counts
    it; 413 over ``max_work`` (--max-work), naming the figure and the bound."""
    return check_request_work(
        ((screened_names(_props(q)[1]), q.limit or DEFAULT_LIMIT) for q in batch.values()),
        max_work, ["queries", "queries.limit"])


def reconcile(gen: Generation, batch: dict[str, ReconQuery], sources: frozenset[str],
              make_way: Callable[[float], None] = no_pause) -> dict[str, Any]:
    """Answer a query batch, keeping the client's keys.

    After each query, ``make_way`` lets a running index build go first (holder.py)."""
    out: dict[str, Any] = {}
    filters = Filters(sources)
    for key, query in batch.items():
        started = time.perf_counter()
        schema, props = _props(query)
        limit = query.limit or DEFAULT_LIMIT
        try:
            found = rank(gen, schema, props, None, filters, limit=limit,
                         cutoff=DEFAULT_CUTOFF)
        except ApiError:  # no name to screen: no candidates, not a failed batch
            found = []
        strong = [r for r in found if r.score >= DEFAULT_THRESHOLD]
        out[key] = {"result": [_candidate(r, len(strong) == 1) for r in found]}
        make_way(time.perf_counter() - started)
    return out


def suggest(gen: Generation, kind: str, prefix: str, sources: frozenset[str],
            cursor: int) -> dict[str, Any]:
    """Suggestions for what has been typed so far: entities, types or properties."""
    low = prefix.casefold()
    if kind == "type":
        return {"result": [{"id": s, "name": s} for s in sorted(QUERY_SCHEMATA)
                           if s.casefold().startswith(low)]}
    if kind == "property":
        return {"result": [{"id": p, "name": p} for p in QUERY_PROPS
                           if p.casefold().startswith(low)]}
    hits = gen.search_index.find(prefix, sources)
    page = [gen.entities[p] for p in hits[cursor:cursor + 10].tolist()]
    return {"result": [{"id": e.id, "name": e.caption, "description": e.source,
                        "notable": [{"id": e.schema, "name": e.schema}]} for e in page]}
