"""``POST /match/{dataset}`` (yente's match-by-example) and ``GET /algorithms``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from discreet.api.datasets import resolve_datasets
from discreet.api.deps import Ready, Screener, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.api.index import Generation
from discreet.api.schemas import (
    AlgorithmOut,
    AlgorithmsOut,
    MatchRequestIn,
    MatchResponseOut,
)
from discreet.api.screening import (
    ALGORITHMS,
    BEST,
    DEFAULT_CUTOFF,
    Filters,
    check_algorithm,
    check_request_work,
    cutoff_for,
    no_pause,
    screen_entity,
    screened_names,
    topic_set,
)
from discreet.match import DEFAULT_THRESHOLD
from discreet.text.dates import normalize_date

__all__ = ["DATE_PATTERN", "DatasetPath", "Ids", "MatchParams", "router",
           "work_of"]

router = APIRouter(tags=["screening"], responses=ERROR_RESPONSES)
# Work (names x limit) screened on the event loop, when the cutoff is the default one (a
# low cutoff makes even one name slow): one or two names at the default limit.
INLINE_WORK = 10
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?$"
DatasetPath = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$",
                                  description="A source (us_ofac_sdn…) or collection")]
Ids = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=100)]


class MatchParams(BaseModel):
    """The query parameters of /match, as yente names them."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(5, ge=1, le=500, description="Most results per query")
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0, le=1,
                             description="Score at which a result is flagged as a match")
    cutoff: float | None = Field(None, ge=0, le=1,
                                 description="Results below this score are left out "
                                 "(default: 0.5, or the threshold if lower)")
    algorithm: str = Field("best", max_length=50)
    include_dataset: Ids = Field(default_factory=list)
    exclude_dataset: Ids = Field(default_factory=list)
    exclude_schema: Ids = Field(default_factory=list)
    exclude_entity_ids: Ids = Field(default_factory=list)
    topics: Ids = Field(default_factory=list,
                        description="Only entities carrying any of these topics (sanction, "
                        "role.pep, crime…; exact, as yente; an entity of an official list "
                        "states none and carries sanction)")
    changed_since: str | None = Field(None, pattern=DATE_PATTERN,
                                      description="Only entities changed since (ISO date)")
    date_order: Literal["DMY", "MDY", "YMD"] | None = Field(
        None, description="How to read a birth date like 07/10/1952 (default: both ways)")


def _filters(dataset: str, params: MatchParams, loaded: frozenset[str]) -> Filters:
    sources = resolve_datasets(dataset, loaded, params.include_dataset, params.exclude_dataset)
    return Filters(sources, frozenset(params.exclude_schema),
                   frozenset(params.exclude_entity_ids), params.changed_since,
                   topic_set(params.topics))


def work_of(body: MatchRequestIn, limit: int, max_work: int) -> int:
    """A request's work: each screened name of each query, times the results it may bring;
    413 over ``max_work`` (--max-work)."""
    return check_request_work(((screened_names(q.properties), limit)
                               for q in body.queries.values()), max_work,
                              ["query.limit", "queries"])


@router.post("/match/{dataset}", response_model=MatchResponseOut)
async def match(dataset: DatasetPath, body: MatchRequestIn,
                params: Annotated[MatchParams, Query()], caller: Screener, gen: Ready,
                services: ServicesDep) -> Response:
    """Match entities by example: each query's best candidates in the dataset, scored.

    Larger requests are screened, and their answers encoded, in the worker's few
    screening threads, off the event loop, so ``/healthz`` and small requests are answered
    while they run. A request's work (names x ``limit``, summed over its queries) is
    bounded by ``--max-work``; so is the number of results in the answer.
    """
    settings = services.settings
    if len(body.queries) > settings.max_batch:
        raise ApiError(413, f"{len(body.queries)} queries in one request; the limit is "
                            f"{settings.max_batch} (--max-batch)", fields=["queries"])
    work = work_of(body, params.limit, settings.max_work)
    check_algorithm(params.algorithm)
    filters = _filters(dataset, params, gen.sources)
    cutoff = cutoff_for(params.threshold, params.cutoff)
    # A small request takes a few ms: on the event loop, a thread hop would cost more than
    # it frees. Not while an index builds: then every request goes through the screening
    # threads, which make way for the build.
    if (work <= INLINE_WORK and cutoff >= DEFAULT_CUTOFF
            and not services.holder.building.is_set()):
        data, results = _answer(gen, body, params, filters, no_pause)
    else:
        loop = asyncio.get_running_loop()
        data, results = await loop.run_in_executor(services.screening, _answer, gen, body,
                                                   params, filters, services.holder.make_way)
    if services.audit is not None:
        services.audit.record(
            caller.key_id, "match", dataset, 200,
            {"queries": {k: q.model_dump(by_alias=True) for k, q in body.queries.items()},
             "params": params.model_dump(exclude_defaults=True)},
            gen.version_map(), results)
    return Response(data, media_type="application/json")


def _answer(gen: Generation, body: MatchRequestIn, params: MatchParams, filters: Filters,
            make_way: Callable[[float], None]) -> tuple[bytes, dict[str, Any]]:
    """The encoded answer and the audit's view of it (in a screening thread).

    After each query, ``make_way`` lets a running index build go first (holder.py)."""
    responses: dict[str, Any] = {}
    for key, q in body.queries.items():
        started = time.perf_counter()
        responses[key] = screen_entity(gen, q.schema_,
                                       _read_dates(q.properties, params.date_order), q.id,
                                       filters, limit=params.limit,
                                       threshold=params.threshold, cutoff=params.cutoff)
        make_way(time.perf_counter() - started)
    data = json.dumps({"responses": responses, "limit": params.limit}, ensure_ascii=False,
                      allow_nan=False, separators=(",", ":")).encode()
    return data, _audit_results(responses)


def _read_dates(props: dict[str, list[str]], order: str | None) -> dict[str, list[str]]:
    """With a date order, birth dates as the one ISO date the order settles (text/dates.py)."""
    if order is None or not props.get("birthDate"):
        return props
    return {**props, "birthDate": [normalize_date(v, order) or v for v in props["birthDate"]]}


def _audit_results(responses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {key: [[r["id"], r["score"], r["match"]] for r in entry["results"]]
            for key, entry in responses.items()}


@router.get("/algorithms", response_model=AlgorithmsOut)
def algorithms(caller: Screener) -> AlgorithmsOut:
    """The matching algorithms this server offers; ``best`` names the recommended one."""
    return AlgorithmsOut(
        algorithms=[AlgorithmOut(name=name, description=text, docs={})
                    for name, text in ALGORITHMS.items()],
        default=BEST, best=BEST)
