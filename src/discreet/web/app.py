"""Mounting the pages on the API's app: routers, static files, headers, error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from discreet.api.app import create_app
from discreet.api.errors import ApiError
from discreet.api.services import Updater, default_updater
from discreet.api.settings import ApiSettings
from discreet.web import (
    errors,
    routes_admin,
    routes_audit,
    routes_entities,
    routes_home,
    routes_lists,
    routes_oidc,
    routes_regimes,
    routes_review,
    routes_screen,
)
from discreet.web.security import SecurityHeaders
from discreet.web.session import Viewer

__all__ = ["PAGE_ROUTERS", "app_from_env", "create_web_app", "mount"]

STATIC = Path(__file__).with_name("static")
# Each area of the application is one module with a ``router``; listed here once.
PAGE_ROUTERS = [routes_home, routes_oidc, routes_screen, routes_review, routes_entities,
                routes_lists, routes_regimes, routes_audit, routes_admin]


def mount(app: FastAPI) -> FastAPI:
    """Add the pages to an API app built by :func:`discreet.api.create_app`.

    ``/`` then leads people to the application; the list of API endpoints moves to
    ``/api``.
    """
    app.state.home = "/ui/"
    for module in PAGE_ROUTERS:
        app.include_router(module.router)
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")

    @app.get("/ui/{rest:path}", include_in_schema=False)
    def no_such_page(user: Viewer, rest: str) -> None:
        """Any other page: sign in first (nothing is told to strangers), then 404."""
        raise ApiError(404, f"no page /ui/{rest}")

    errors.install(app)
    app.add_middleware(SecurityHeaders)
    return app


def create_web_app(settings: ApiSettings | None = None, *, updater: Updater | None = None
                   ) -> FastAPI:
    """The API and the pages in one app (what ``discreet serve`` runs)."""
    return mount(create_app(settings, updater=updater))


def app_from_env() -> FastAPI:
    """The app for a uvicorn worker, from the settings ``discreet serve`` put in the env."""
    return create_web_app(ApiSettings.from_env(), updater=default_updater)
