"""Evidence over HTTP: the reports of ``discreet report`` (a customer, an alert, a period,
"screened as of date D") as JSON, HTML or PDF, and the state of continuous screening.

Read-only. Who may read: a caller with any review role (an auditor too) or a key with the
screening scope (machines that read the store read its evidence). The store is held while
the report is gathered; HTML and PDF are drawn after it is released. A missing customer
or alert is a 404, a malformed date or order a 400 (the app's handlers), never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from discreet.api.deps import Caller, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.api.security import Principal
from discreet.store import Store

__all__ = ["router"]

router = APIRouter(prefix="/review", tags=["evidence"], responses=ERROR_RESPONSES)
_READERS = frozenset({"analyst", "reviewer", "admin", "auditor"})
Format = Annotated[Literal["json", "html", "pdf"], Query(description="The report's format")]
# what a report route answers: JSON, or the report as an HTML or PDF document
REPORT: dict[int | str, dict[str, Any]] = {200: {
    "description": "The report as data (json) or as a document",
    "content": {"application/json": {"schema": {"type": "object"}},
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


async def get_reader(caller: Caller) -> Principal:
    """A caller that may read evidence: a review role, or the screening scope."""
    if caller.roles & _READERS:
        return caller
    caller.require("screen")
    return caller


Reader = Annotated[Principal, Depends(get_reader)]


async def _report(services: ServicesDep, gather: Callable[[Store], dict[str, Any]],
                  fmt: str) -> Response:
    def call() -> dict[str, Any]:
        with services.gate() as store:
            return gather(store)

    report = await run_in_threadpool(call)
    from discreet.review.evidence import render  # with the PDF library: at the first report

    drawn = await run_in_threadpool(render, report, fmt)
    headers: dict[str, str] = {}
    if fmt == "pdf":  # a document to keep; JSON and HTML are read where they arrive
        name = f"evidence-{report['report']}.pdf"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(drawn.body, media_type=drawn.media_type, headers=headers)


@router.get("/evidence/customers/{ref}", responses=REPORT, summary="A customer's evidence report")
async def customer_report(ref: Annotated[str, Path(min_length=1, max_length=200)],
                          caller: Reader, services: ServicesDep,
                          format: Format = "json") -> Response:
    """What was screened for the customer, when, against which list versions, its alerts,
    decisions, approvals, suppressions and reopenings, and the audit chain's hashes."""
    from discreet.review.evidence import customer_evidence

    return await _report(services, lambda store: customer_evidence(store, ref), format)


@router.get("/evidence/alerts/{alert_id}", responses=REPORT, summary="An alert's evidence report")
async def alert_report(alert_id: Annotated[int, Path(ge=1, le=2**62)], caller: Reader,
                       services: ServicesDep, format: Format = "json") -> Response:
    """Every run that raised the alert, its list versions and its case."""
    from discreet.review.evidence import alert_evidence

    return await _report(services, lambda store: alert_evidence(store, alert_id), format)


@router.get("/evidence/period", responses=REPORT, summary="The evidence report of a period")
async def period_report(since: Annotated[dt.date, Query()], until: Annotated[dt.date, Query()],
                        caller: Reader, services: ServicesDep,
                        format: Format = "json") -> Response:
    """Runs started from ``since`` to ``until`` (whole days), their list versions and
    counts, and the decisions made."""
    if since > until:
        raise ApiError(400, f"since ({since}) is after until ({until})", fields=["since"])
    from discreet.review.evidence import period_evidence

    return await _report(services, lambda store: period_evidence(
        store, since.isoformat(), until.isoformat()), format)


@router.get("/evidence/as-of", responses=REPORT, summary="Screened as of a date")
async def as_of_report(date: Annotated[dt.date, Query(description="The day (YYYY-MM-DD)")],
                       caller: Reader, services: ServicesDep,
                       customer: Annotated[str | None, Query(max_length=200)] = None,
                       name: Annotated[str | None, Query(max_length=500)] = None,
                       threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
                       format: Format = "json") -> Response:
    """A customer (as it stood on the date) or a name screened against the list versions
    active on the date; which versions, and the matches (none: not listed then)."""
    if (customer is None) == (name is None):
        raise ApiError(400, "give customer or name (one of them)", fields=["customer"])

    from discreet.review.evidence import as_of_check

    def gather(store: Store) -> dict[str, Any]:
        try:
            return as_of_check(store, date.isoformat(), ref=customer, name=name,
                               threshold=threshold)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from exc

    return await _report(services, gather, format)


@router.get("/continuous", summary="The last continuous-screening run")
async def continuous(caller: Reader, services: ServicesDep) -> JSONResponse:
    """The book's last list-change run (after ``update``, ``load``, the scheduler or
    ``POST /updatez``): when, against which versions, alerts opened, reopened, suppressed.
    ``run`` is null when none ran (no book, or no list change since it was imported)."""
    def call() -> dict[str, Any]:
        with services.gate() as store:
            runs = store.review.runs(limit=1, kind="lists")
            return {"customers": store.review.count_customers("active"),
                    "run": runs[0].to_dict() if runs else None}

    return JSONResponse(await run_in_threadpool(call))
