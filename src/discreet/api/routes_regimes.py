"""Regime analytics over HTTP: size over time, flows, alignment, relistings, the report.

Read-only, for keys with the screening scope, like the other store routes. The store is
held only while the figures are read; charts and documents are drawn after it is released.
Bad input (an unknown regime, a malformed date, ``since`` after ``until``) is a 4xx.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from discreet.api.deps import Screener, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.regimes.analytics import (
    regime_alignment,
    regime_flows,
    regime_relistings,
    regime_sizes,
    regime_summaries,
)
from discreet.regimes.report import build_report, render

__all__ = ["router"]

router = APIRouter(tags=["regimes"], responses=ERROR_RESPONSES)
RegimeId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Day = Annotated[dt.date | None, Query()]
MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
         "pdf": "application/pdf"}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _check_order(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise ApiError(400, f"since ({since}) is after until ({until})", fields=["since"])


@router.get("/regimes", response_model=list[dict[str, Any]])
def regimes(caller: Screener, services: ServicesDep) -> JSONResponse:
    """Every regime of the catalogue, its authorities and its listings now per authority."""
    with services.gate() as store:
        rows = regime_summaries(store)
    return JSONResponse(rows)


@router.get("/regimes/{regime}/size", response_model=list[dict[str, Any]])
def size(regime: RegimeId, caller: Screener, services: ServicesDep) -> JSONResponse:
    """The regime's listings in each version of each list (a step series per list)."""
    with services.gate() as store:
        series = regime_sizes(store, regime)
    return JSONResponse([s.to_dict() for s in series])


@router.get("/regimes/{regime}/flows", response_model=list[dict[str, Any]])
def flows(regime: RegimeId, caller: Screener, services: ServicesDep,
          by: Literal["month", "year"] = "month", since: Day = None,
          until: Day = None) -> JSONResponse:
    """Designations and delistings per period and list, with how their dates are known."""
    _check_order(since, until)
    with services.gate() as store:
        rows = regime_flows(store, regime, by=by, since=_iso(since), until=_iso(until))
    return JSONResponse([r.to_dict() for r in rows])


@router.get("/regimes/{regime}/alignment", response_model=dict[str, Any])
def alignment(regime: RegimeId, caller: Screener, services: ServicesDep,
              at: Day = None) -> JSONResponse:
    """Of the parties A lists in the regime on ``at`` (default today), how many B lists."""
    with services.gate() as store:
        found = regime_alignment(store, regime, _iso(at))
    return JSONResponse(found.to_dict())


@router.get("/regimes/{regime}/relisted", response_model=list[dict[str, Any]])
def relisted(regime: RegimeId, caller: Screener, services: ServicesDep) -> JSONResponse:
    """Entities delisted from the regime and later relisted in the same list."""
    with services.gate() as store:
        found = regime_relistings(store, regime)
    return JSONResponse([r.to_dict() for r in found])


@router.get("/regimes/{regime}/report", response_model=dict[str, Any], responses={
    200: {"description": "The report as data (json) or as a document",
          "content": {"text/markdown": {"schema": {"type": "string"}},
                      "text/html": {"schema": {"type": "string"}},
                      "application/pdf": {"schema": {"type": "string",
                                                     "format": "binary"}}}}})
def report(regime: RegimeId, caller: Screener, services: ServicesDep,
           since: Annotated[dt.date, Query()], until: Day = None,
           format: Literal["json", "md", "html", "pdf"] = "json") -> Response:
    """Has the regime been eased since ``since``? As data (json) or a document (md without
    chart files, html with inline charts, pdf)."""
    until = until or dt.date.today()
    _check_order(since, until)
    with services.gate() as store:
        found = build_report(store, regime, since.isoformat(), until.isoformat())
    if format == "json":
        return JSONResponse(found.to_dict())
    return Response(render(found, format), media_type=MEDIA[format])
