"""Health, readiness, updates, the catalog and the docs page."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from discreet.api.datasets import catalog as build_catalog
from discreet.api.deps import Admin, Caller, Ready, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, error_response
from discreet.api.schemas import CatalogOut, StatusOut

__all__ = ["router"]

router = APIRouter(tags=["system"], responses=ERROR_RESPONSES)


@router.get("/healthz", response_model=StatusOut)
async def healthz() -> StatusOut:
    """Liveness: the process answers (no key needed).

    On the event loop itself: a hop to a worker thread would make the answer wait for the
    GIL twice more while screening threads hold it."""
    return StatusOut(status="ok")


@router.get("/readyz", response_model=StatusOut)
def readyz(caller: Caller, services: ServicesDep) -> Any:
    """Readiness: 503 until the first index of the lists is loaded."""
    if services.holder.current is None:
        detail = services.holder.last_error or "the index is still loading"
        return error_response(503, detail, headers={"Retry-After": "5"})
    return StatusOut(status="ok")


@router.post("/updatez", response_model=StatusOut, status_code=202)
def updatez(caller: Admin, services: ServicesDep,
            fetch: Annotated[bool, Query(description="Download the official lists first")]
            = False) -> StatusOut:
    """Pick up new list versions now (and, with ``fetch``, download them first).

    The new index is built in the background; requests keep being answered meanwhile.
    """
    started = services.update(fetch)
    return StatusOut(status="accepted" if started else "already running")


@router.get("/catalog", response_model=CatalogOut)
def catalog(caller: Caller, gen: Ready) -> JSONResponse:
    """Datasets: one per source (OpenSanctions names) and the collections."""
    active = {v.source: (v.version, v.entities, v.loaded_at) for v in gen.versions}
    return JSONResponse(build_catalog(active))


@router.get("/openapi.json", include_in_schema=False)
def openapi_spec(request: Request) -> JSONResponse:
    """The OpenAPI description: public, like ``/`` and ``/healthz``.

    It describes the endpoints and holds no data (no lists, no keys, no requests), as a
    published API description would; every endpoint it lists still needs a key.
    """
    return JSONResponse(request.app.openapi())


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def root_page(request: Request) -> Response:
    """The endpoint list, or (when an app with pages set ``state.home``) a way there."""
    home = getattr(request.app.state, "home", None)
    if home:
        return RedirectResponse(str(home), status_code=303)
    return index_page(request)


@router.get("/api", response_class=HTMLResponse, include_in_schema=False)
def index_page(request: Request) -> HTMLResponse:
    """A self-contained page listing the endpoints (public, no scripts from elsewhere)."""
    spec = request.app.openapi()
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>"
                        f"{html.escape(path)}</code></td><td>"
                        f"{html.escape(str(op.get('summary', '')))}</td></tr>")
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(spec['info']['title'])}</title></head><body>"
            f"<h1>{html.escape(spec['info']['title'])} screening API</h1>"
            "<p>yente-compatible. Send <code>Authorization: ApiKey &lt;key&gt;</code>. "
            "Machine-readable description: <a href='/openapi.json'>/openapi.json</a>.</p>"
            f"<table>{''.join(rows)}</table></body></html>")
    return HTMLResponse(body)
