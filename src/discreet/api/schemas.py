"""Wire models of the yente-compatible endpoints: what comes in, and what goes out.

Inputs reject what cannot be screened (422); outputs document the responses (OpenAPI) and
are what the tests validate answers against.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "AlgorithmOut", "AlgorithmsOut", "CatalogOut", "DatasetOut", "EntityDetailOut",
    "EntityOut", "EntityQueryIn", "FeatureOut", "ListingOut", "MatchRequestIn",
    "MatchResponseOut", "QueryMatchesOut", "SameAsOut", "ScoredEntityOut",
    "SearchFacetItemOut", "SearchFacetOut", "SearchResponseOut", "StatusOut", "TotalOut",
]

Value = Annotated[str, StringConstraints(max_length=1000)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EntityQueryIn(BaseModel):
    """One query entity, as FtM: a schema and property values (lists of strings)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    id: Annotated[str, StringConstraints(max_length=200)] | None = None
    schema_: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        alias="schema")
    properties: dict[Key, Annotated[list[Value], Field(max_length=50)]] = Field(
        default_factory=dict)


class MatchRequestIn(BaseModel):
    """The /match body: queries keyed by the client's own keys, kept in the answer."""

    model_config = ConfigDict(extra="ignore")

    queries: dict[Key, EntityQueryIn]
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)


class TotalOut(BaseModel):
    value: int
    relation: Literal["eq", "gte"]


class FeatureOut(BaseModel):
    """One piece of evidence behind a score (yente's ``explanations`` entry)."""

    score: float
    weight: float | None = None
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None


class SameAsOut(BaseModel):
    """A same-as link: a judged claim that two listings (``a``, ``b``) are one party."""

    a: str
    b: str
    basis: Literal["identifier", "name"]
    confidence: float = Field(ge=0, le=1)
    evidence: list[str]
    status: Literal["proposed", "confirmed", "rejected"]
    decided_by: str | None
    decided_at: str | None
    note: str | None


class ListingOut(BaseModel):
    """One authority's listing of a party: in match results with its own ``score`` (null
    when it did not score); on /entities/{id} with the links (``same_as``) joining it to
    the entity asked for."""

    id: str
    caption: str
    dataset: str
    authority: str
    authority_id: str
    score: float | None = None
    same_as: list[SameAsOut] | None = None


class EntityOut(BaseModel):
    """A listed entity as FtM JSON, with yente's metadata; for a party listed by several
    authorities, ``referents`` and ``datasets`` name the other listings, and ``party`` and
    ``listings`` are discreet's."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    party: str | None = None
    listings: list[ListingOut] | None = None


class EntityDetailOut(EntityOut):
    """/entities/{id}: the entity, its party's every listing (this one first) and every
    same-as link of it, whatever its status."""

    same_as: list[SameAsOut] = Field(default_factory=list)


class ScoredEntityOut(EntityOut):
    """A match result: the entity, its score, ``match`` (score >= threshold) and why."""

    score: float
    match: bool
    explanations: dict[str, FeatureOut]
    explanation: dict[str, Any] = Field(description="discreet's full explanation")


class QueryMatchesOut(BaseModel):
    status: int
    results: list[ScoredEntityOut]
    total: TotalOut
    query: dict[str, Any]


class MatchResponseOut(BaseModel):
    responses: dict[str, QueryMatchesOut]
    limit: int


class SearchFacetItemOut(BaseModel):
    name: str
    label: str
    count: int


class SearchFacetOut(BaseModel):
    label: str
    values: list[SearchFacetItemOut]


class SearchResponseOut(BaseModel):
    results: list[EntityOut]
    facets: dict[str, SearchFacetOut]
    total: TotalOut
    limit: int
    offset: int


class StatusOut(BaseModel):
    status: str


class AlgorithmOut(BaseModel):
    name: str
    description: str
    docs: dict[str, Any]


class AlgorithmsOut(BaseModel):
    algorithms: list[AlgorithmOut]
    default: str
    best: str


class DatasetOut(BaseModel):
    name: str
    title: str
    load: bool
    entity_count: int | None
    version: str | None
    updated_at: str | None
    children: list[str]
    index_current: bool
    index_version: str | None
    publisher: dict[str, Any] | None = None


class CatalogOut(BaseModel):
    datasets: list[DatasetOut]
    current: list[str]
    outdated: list[str]
    index_stale: bool
