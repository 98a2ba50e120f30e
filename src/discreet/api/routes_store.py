"""discreet's own: list versions, diffs, entity histories and the audit log over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from discreet.api.deps import Admin, Screener, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError

__all__ = ["router"]

router = APIRouter(tags=["versions"], responses=ERROR_RESPONSES)
Source = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")]
Version = Annotated[int | None, Query(ge=-1000, le=1_000_000)]


@router.get("/versions", response_model=list[dict[str, Any]])
def versions(caller: Screener, services: ServicesDep,
             source: Annotated[str | None, Query(max_length=100)] = None,
             all_versions: Annotated[bool, Query(alias="all")] = False) -> JSONResponse:
    """Versions of every source (the active ones, or ``all=true`` for every one)."""
    with services.gate() as store:
        rows = store.versions(source) if all_versions or source else store.active()
    return JSONResponse([v.to_dict() for v in rows])


@router.get("/diff/{source}", response_model=dict[str, Any])
def diff(source: Source, caller: Screener, services: ServicesDep,
         from_version: Annotated[int | None, Query(alias="from", ge=-1000, le=10**6)] = None,
         to_version: Annotated[int | None, Query(alias="to", ge=-1000, le=10**6)] = None,
         ) -> JSONResponse:
    """What was added, removed and changed between two versions (default: the last two)."""
    with services.gate() as store:
        result = store.diff(source, from_version, to_version)
    data = result.to_dict()
    data["captions"] = result.captions
    return JSONResponse(data)


@router.get("/entities/{entity_id}/history", response_model=list[dict[str, Any]])
def history(entity_id: Annotated[str, Path(max_length=200)], caller: Screener,
            services: ServicesDep) -> JSONResponse:
    """When an entity was listed, each change, and when it was delisted."""
    with services.gate() as store:
        events = store.history(entity_id)
    return JSONResponse([e.to_dict() for e in events])


@router.get("/audit", response_model=list[dict[str, Any]])
def audit(caller: Admin, services: ServicesDep,
          since: Annotated[str | None, Query(max_length=40)] = None,
          key_id: Annotated[str | None, Query(max_length=40)] = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JSONResponse:
    """Screening requests as logged (admin scope), newest first."""
    with services.gate() as store:
        records = store.read_audit(since=since, key_id=key_id, limit=limit)
    return JSONResponse([r.to_dict() for r in records])


@router.get("/audit/stats", response_model=dict[str, int])
def audit_stats(caller: Admin, services: ServicesDep) -> JSONResponse:
    """The audit writer's counts in the worker that answers (admin scope).

    ``dropped`` counts records lost for good and should stay 0; ``placeholders`` counts
    records the store refused, kept as a placeholder row; ``spilled`` and ``replayed`` count
    records that waited in the audit journal only (the queue was full); ``journal_*`` count
    the journal's lines, syncs, bytes, errors, records taken over from dead workers, and
    unreadable lines skipped;
    ``backlog`` is what waits. Each worker process counts on its own.
    """
    if services.audit is None:
        raise ApiError(404, "the audit log is off (--no-audit)")
    return JSONResponse(services.audit.stats())
