"""``GET /search/{dataset}`` (text search with filters and facets) and ``GET /entities/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from discreet.api.convert import entity_out
from discreet.api.datasets import resolve_datasets
from discreet.api.deps import Ready, Screener, ServicesDep
from discreet.api.errors import ERROR_RESPONSES
from discreet.api.index import Generation
from discreet.api.listings import add_listings
from discreet.api.routes_match import DATE_PATTERN, DatasetPath, Ids
from discreet.api.schemas import EntityDetailOut, SearchResponseOut
from discreet.api.screening import topic_set, with_topics
from discreet.api.search import FACETS
from discreet.api.services import Services
from discreet.match.lookup import Positions
from discreet.sources.opensanctions.ftm import entity_to_ftm

__all__ = ["SearchParams", "router"]

router = APIRouter(tags=["search"], responses=ERROR_RESPONSES)
_LABELS = {"countries": "Countries", "schema": "Types", "datasets": "Data sources",
           "topics": "Topics"}


class SearchParams(BaseModel):
    """The query parameters of /search, as yente names them."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field("", max_length=1000, description="Words that must start words of a name")
    limit: int = Field(10, ge=0, le=500)
    offset: int = Field(0, ge=0, le=10_000)
    schema_: str | None = Field(None, alias="schema", max_length=100)
    countries: Ids = Field(default_factory=list)
    topics: Ids = Field(default_factory=list,
                        description="Only entities carrying any of these topics (exact)")
    include_dataset: Ids = Field(default_factory=list)
    exclude_dataset: Ids = Field(default_factory=list)
    exclude_schema: Ids = Field(default_factory=list)
    changed_since: str | None = Field(None, pattern=DATE_PATTERN)
    facets: Ids = Field(default_factory=lambda: ["countries", "topics", "datasets"])


def _hits(gen: Generation, p: SearchParams, sources: frozenset[str]) -> Positions:
    """The positions of the entities /search returns, ascending: the words' hits, then the
    filters, each over the hits' facet arrays (no entity decoded)."""
    index = gen.search_index
    found = index.find(p.q, sources)
    if p.exclude_schema and len(found):
        found = found[~index.carries(found, "schema", p.exclude_schema)]
    if p.schema_ == "LegalEntity" and len(found):  # any schema but a person's
        found = found[~index.carries(found, "schema", ("Person",))]
    elif p.schema_ and len(found):
        found = found[index.carries(found, "schema", (p.schema_,))]
    if p.countries and len(found):
        found = found[index.carries(found, "countries", {c.lower() for c in p.countries})]
    topics = topic_set(p.topics)  # any of them, as /match reads them (match/topics.py)
    if topics and len(found):
        found = found[index.carries(found, "topics", topics)]
    if p.changed_since and len(found):
        found = found[gen.seen.changed_since(found, p.changed_since)]
    return found


def _facets(gen: Generation, found: Positions, names: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if name not in FACETS:
            continue
        out[name] = {"label": _LABELS[name],
                     "values": [{"name": v, "label": v, "count": n}
                                for v, n in gen.search_index.counts(found, name, 30)]}
    return out


@router.get("/search/{dataset}", response_model=SearchResponseOut)
def search(dataset: DatasetPath, params: Annotated[SearchParams, Query()], caller: Screener,
           gen: Ready, services: ServicesDep) -> JSONResponse:
    """Find entities whose names hold every word of ``q``; filter and count facets (over
    every hit); only the page returned is decoded."""
    sources = resolve_datasets(dataset, gen.sources, params.include_dataset,
                               params.exclude_dataset)
    found = _hits(gen, params, sources)
    page = found[params.offset:params.offset + params.limit].tolist()
    entities = [gen.entities[p] for p in page]
    results = [entity_out(e, gen.seen.at(p), with_topics(gen.ftm(e), e))
               for p, e in zip(page, entities, strict=True)]
    if services.audit is not None:
        services.audit.record(caller.key_id, "search", dataset, 200,
                              {"params": params.model_dump(exclude_defaults=True,
                                                           by_alias=True)},
                              gen.version_map(),
                              {"total": len(found), "ids": [e.id for e in entities]})
    return JSONResponse({"results": results, "facets": _facets(gen, found, params.facets),
                         "total": {"value": len(found), "relation": "eq"},
                         "limit": params.limit, "offset": params.offset})


def _audit_entity(services: Services, key_id: str, entity_id: str, gen: Generation,
                  listed: bool) -> None:
    if services.audit is not None:
        services.audit.record(key_id, "entities", "", 200, {"id": entity_id},
                              gen.version_map(), {"ids": [entity_id], "target": listed})


@router.get("/entities/{entity_id}", response_model=EntityDetailOut)
def fetch_entity(entity_id: Annotated[str, Path(max_length=200)], caller: Screener,
                 gen: Ready, services: ServicesDep) -> JSONResponse:
    """One entity as its source's active version states it (or as last listed), with the
    other authorities' listings of the same party (``listings``: ids, authorities, and the
    links' basis, confidence and status) and every same-as link of it (``same_as``)."""
    found = gen.by_id.get(entity_id)
    if found is not None:
        _audit_entity(services, caller.key_id, entity_id, gen, True)
        data = entity_out(found, gen.seen.get(entity_id), with_topics(gen.ftm(found), found))
        add_listings(data, entity_id, gen.parties, gen.graph)
        return JSONResponse(data)
    with services.gate() as store:
        old = store.entity(entity_id)  # NotFoundError -> 404 (logged by the middleware)
    _audit_entity(services, caller.key_id, entity_id, gen, False)
    data = entity_out(old, None, with_topics(entity_to_ftm(old), old))
    data["target"] = False
    add_listings(data, entity_id, None, gen.graph)  # no longer listed: its links only
    return JSONResponse(data)
