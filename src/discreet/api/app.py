"""The application factory: ``create_app(settings)`` builds the FastAPI app; nothing at import.

The lifespan opens the store, starts the index and audit threads, and stops them at
shutdown. ``app_from_env`` is the factory uvicorn's workers call (``discreet serve``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI

from discreet.api import (
    auth,
    auth_oidc,
    routes_evidence,
    routes_match,
    routes_reconcile,
    routes_regimes,
    routes_review,
    routes_search,
    routes_store,
    routes_system,
)
from discreet.api.audit import AuditRequests
from discreet.api.errors import RecursionGuard, install_handlers
from discreet.api.jsonbounds import JsonGuard
from discreet.api.limits import BodyLimit
from discreet.api.methods import HeadAsGet
from discreet.api.multipart import WholeMultipart
from discreet.api.routes_reconcile import PUBLIC_URL_VAR
from discreet.api.services import Services, Updater, default_updater
from discreet.api.settings import ApiSettings, check_public_url

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("discreet.api")

DESCRIPTION = """Sanctions screening on your own machine, speaking yente's API (so yente
clients work unchanged) and the W3C Reconciliation API 0.2 (OpenRefine).

Send `Authorization: ApiKey <key>` (or `Bearer <key>`) with every request but `/healthz`,
`/` and `/openapi.json`. JSON bodies may be sent without a `Content-Type` header.
Errors always have the shape `{"status", "error", "detail", "fields"}`."""


def create_app(settings: ApiSettings | None = None, *, updater: Updater | None = None
               ) -> FastAPI:
    """A ready-to-serve app; the store is opened when the app starts, not here."""
    checked = _check_public_url((settings or ApiSettings()).check())
    services = Services(checked, updater)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not checked.auth:
            log.warning("serving WITHOUT API keys (--no-auth): anyone who can reach "
                        "%s may screen and trigger updates", checked.host)
        services.start()
        try:
            yield
        finally:
            services.stop()

    app = FastAPI(title=checked.title, version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = services
    install_handlers(app)
    for module in (routes_system, routes_match, routes_search, routes_store,
                   routes_reconcile, routes_regimes, auth, auth_oidc,
                   routes_review, routes_evidence):
        app.include_router(module.router)
    # Outermost last: the audit sees every answer (a 413 too), the body limit bounds what
    # JsonGuard reads, and JsonGuard bounds the JSON before any route decodes it. The
    # recursion guard answers 400 to a RecursionError from any of them. HEAD is GET
    # without the body, everywhere; a multipart form cut short is a 400.
    app.add_middleware(JsonGuard)
    app.add_middleware(WholeMultipart)
    app.add_middleware(BodyLimit, max_bytes=checked.max_body_bytes)
    app.add_middleware(AuditRequests, writer=services.audit, auth=checked.auth,
                       failures=services.failures, known_ids=services.keys.known_ids,
                       trusted=services.trusted)
    app.add_middleware(RecursionGuard)
    app.add_middleware(HeadAsGet)
    return app


def _check_public_url(settings: ApiSettings) -> ApiSettings:
    """The settings with ``public_url`` resolved once (the option, else
    $DISCREET_PUBLIC_URL) and checked: empty or an absolute http(s) URL without query or
    fragment, kept without its trailing slash."""
    url = check_public_url((settings.public_url or os.environ.get(PUBLIC_URL_VAR, "")).strip())
    return replace(settings, public_url=url.rstrip("/"))


def app_from_env() -> FastAPI:
    """The app for a uvicorn worker, from the settings ``discreet serve`` put in the env."""
    return create_app(ApiSettings.from_env(), updater=default_updater)
