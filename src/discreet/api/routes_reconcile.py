"""``/reconcile/{dataset}``: the W3C Reconciliation API 0.2 for OpenRefine.

``GET`` without ``queries`` returns the manifest; ``GET ?queries=`` or ``POST`` (form field
``queries``, or a JSON body ``{"queries": {...}}``) answers a batch; ``/suggest/*`` completes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from discreet.api.datasets import KNOWN, resolve_datasets
from discreet.api.deps import Ready, Screener, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.api.index import Generation
from discreet.api.jsonbounds import loads_bounded
from discreet.api.reconcile import (
    ReconQuery,
    check_batch_work,
    manifest,
    parse_queries,
    reconcile,
    suggest,
)
from discreet.api.routes_match import DatasetPath
from discreet.api.services import Services

__all__ = ["PUBLIC_URL_VAR", "public_base", "router"]

PUBLIC_URL_VAR = "DISCREET_PUBLIC_URL"

router = APIRouter(prefix="/reconcile", tags=["reconciliation"], responses=ERROR_RESPONSES)
Queries = Annotated[str | None, Query(max_length=20_000, description="A JSON reconciliation "
                                      "query batch (POST larger ones)")]
_FORM = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object", "properties": {"queries": {"type": "string"}},
        "required": ["queries"]}},
    "application/json": {"schema": {
        "type": "object", "properties": {"queries": {"type": "object"}},
        "required": ["queries"]}}}}}


def public_base(services: Services) -> str:
    """The configured public URL (resolved once by the app: ``public_url``, else
    DISCREET_PUBLIC_URL), or "".

    Never the request's Host header: a client must not choose the URLs others are given.
    """
    return services.settings.public_url


async def _answer(gen: Generation, services: Services, caller_id: str, dataset: str,
                  text: str) -> Response:
    """Parse and bound the batch here; screen it and encode the answer in the screening
    threads (as /match does), so the event loop stays free for /healthz and other requests."""
    batch = parse_queries(text, services.settings.max_batch)
    check_batch_work(batch, services.settings.max_work)
    sources = resolve_datasets(dataset, gen.sources)
    loop = asyncio.get_running_loop()
    data, results = await loop.run_in_executor(services.screening, _screen, gen, batch,
                                               sources, services.holder.make_way)
    if services.audit is not None:
        services.audit.record(caller_id, "reconcile", dataset, 200,
                              {"queries": {k: q.model_dump() for k, q in batch.items()}},
                              gen.version_map(), results)
    return Response(data, media_type="application/json")


def _screen(gen: Generation, batch: dict[str, ReconQuery], sources: frozenset[str],
            make_way: Callable[[float], None]) -> tuple[bytes, dict[str, Any]]:
    """The encoded answer and the audit's view of it (in a screening thread)."""
    result = reconcile(gen, batch, sources, make_way)
    data = json.dumps(result, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode()
    return data, {k: [[c["id"], c["score"]] for c in v["result"]] for k, v in result.items()}


@router.get("/{dataset}", response_model=dict[str, Any])
async def reconcile_get(dataset: DatasetPath, caller: Screener,
                        gen: Ready, services: ServicesDep, queries: Queries = None,
                        ) -> Response:
    """The service manifest, or (with ``queries``) the answer to a query batch."""
    resolve_datasets(dataset, gen.sources)
    if queries is None:
        title = KNOWN.get(dataset, (services.settings.title, ""))[0]
        return JSONResponse(manifest(public_base(services), dataset, title))
    return await _answer(gen, services, caller.key_id, dataset, queries)


async def _queries_text(request: Request) -> str:
    """The batch's JSON text from a JSON body ``{"queries": …}`` or the form field."""
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or raw.lstrip()[:1] == b"{":
        data = loads_bounded(raw, "body")
        if not isinstance(data, dict) or "queries" not in data:
            raise ApiError(400, "a JSON body must be an object with the key 'queries'",
                           fields=["queries"])
        return json.dumps(data["queries"])
    try:
        values = parse_qs(raw.decode("utf-8"), strict_parsing=False).get("queries")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"unreadable request body: {exc}", fields=["queries"]) from exc
    if not values:
        raise ApiError(400, "send the batch as the form field 'queries'", fields=["queries"])
    return values[0]


@router.post("/{dataset}", response_model=dict[str, Any], openapi_extra=_FORM)
async def reconcile_post(dataset: DatasetPath, request: Request, caller: Screener,
                         gen: Ready, services: ServicesDep) -> Response:
    """Answer a query batch sent as the form field ``queries`` (as OpenRefine does)."""
    text = await _queries_text(request)
    return await _answer(gen, services, caller.key_id, dataset, text)


@router.get("/{dataset}/suggest/{kind}", response_model=dict[str, Any])
def reconcile_suggest(dataset: DatasetPath,
                      kind: Annotated[str, Path(pattern="^(entity|type|property)$")],
                      caller: Screener, gen: Ready, services: ServicesDep,
                      prefix: Annotated[str, Query(max_length=200)] = "",
                      cursor: Annotated[int, Query(ge=0, le=10_000)] = 0) -> JSONResponse:
    """Auto-complete entities (by name), types (schemata) or properties."""
    sources = resolve_datasets(dataset, gen.sources)
    answer = suggest(gen, kind, prefix, sources, cursor)
    if services.audit is not None:
        services.audit.record(caller.key_id, "suggest", dataset, 200,
                              {"kind": kind, "prefix": prefix, "cursor": cursor},
                              gen.version_map() if kind == "entity" else {},
                              {"ids": [r["id"] for r in answer["result"]]})
    return JSONResponse(answer)
