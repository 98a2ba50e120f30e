"""Keys, scopes, rate limits, size limits and insecure settings."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from discreet.api import ApiSettings
from discreet.api.errors import RecursionGuard
from discreet.errors import ConfigError
from discreet.store import Store
from discreet.store.apikeys import list_keys, revoke_key
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client

PUTIN = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
SHAPE = {"status", "error", "detail", "fields"}


def test_every_endpoint_but_the_public_three_needs_a_key(small_store: tuple[str, Keys]
                                                          ) -> None:
    url, _ = small_store

    async def go() -> None:
        async with api_client(make_app(url)) as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            spec = await client.get("/openapi.json")
            page = await client.get("/")
            assert spec.status_code == 200 and "/match/{dataset}" in spec.json()["paths"]
            assert page.status_code == 200 and "/openapi.json" in page.text
            for public in (spec.text, page.text):  # they describe; they hold no list data
                assert "PUTIN" not in public and "ofac-1" not in public
            for method, path in [("GET", "/readyz"), ("GET", "/catalog"),
                                 ("GET", "/algorithms"), ("GET", "/search/default"),
                                 ("GET", "/entities/ofac-1"), ("POST", "/match/default"),
                                 ("POST", "/updatez"), ("GET", "/versions"),
                                 ("GET", "/reconcile/default"), ("GET", "/audit"),
                                 ("GET", "/reconcile/default/suggest/entity"),
                                 ("GET", "/entities/ofac-1/history"), ("GET", "/diff/x")]:
                r = await client.request(method, path, json=PUTIN)
                assert r.status_code == 401, path
                assert set(r.json()) == SHAPE and "WWW-Authenticate" in r.headers
            bad = await client.get("/catalog", headers={"Authorization": "ApiKey dk_x_y"})
            assert bad.status_code == 401 and "unknown" in bad.json()["detail"]
            odd = await client.get("/catalog", headers={"Authorization": "Basic abc"})
            assert odd.status_code == 401
    asyncio.run(go())


def test_apikey_and_bearer_both_accepted(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url)) as client:
            for scheme in ("ApiKey", "Bearer"):
                r = await client.get("/catalog",
                                     headers={"Authorization": f"{scheme} {keys.screen}"})
                assert r.status_code == 200
    asyncio.run(go())


def test_scopes(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            assert (await client.post("/match/default", json=PUTIN)).status_code == 200
            for method, path in [("POST", "/updatez"), ("GET", "/audit")]:
                r = await client.request(method, path)
                assert r.status_code == 403 and r.json()["error"] == "forbidden"
        async with api_client(make_app(url), keys.admin) as client:
            assert (await client.post("/match/default", json=PUTIN)).status_code == 200
            assert (await client.post("/updatez")).status_code == 202
    asyncio.run(go())


def test_revoked_key_is_refused(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    with Store.open(url) as store:
        slow = next(k for k in list_keys(store.db) if k.name == "slow")
        revoke_key(store.db, slow.id)
        assert slow.id not in [k.id for k in list_keys(store.db)]

    async def go() -> None:
        async with api_client(make_app(url), keys.slow) as client:
            assert (await client.get("/catalog")).status_code == 401
    asyncio.run(go())


def test_rate_limit_per_key(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url)) as client:
            slow = {"Authorization": f"ApiKey {keys.slow}"}
            codes = [(await client.get("/algorithms", headers=slow)).status_code
                     for _ in range(8)]
            assert codes[:5] == [200] * 5 and codes[-1] == 429
            r = await client.get("/algorithms", headers=slow)
            assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
            assert set(r.json()) == SHAPE
            other = {"Authorization": f"ApiKey {keys.screen}"}
            assert (await client.get("/algorithms", headers=other)).status_code == 200
    asyncio.run(go())


def test_body_size_limit(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        app = make_app(url, max_body_bytes=2000)
        async with api_client(app, keys.screen) as client:
            big = {"queries": {"a": {"schema": "Person",
                                     "properties": {"name": ["x" * 900] * 3}}}}
            r = await client.post("/match/default", content=json.dumps(big),
                                  headers={"content-type": "application/json"})
            assert r.status_code == 413 and set(r.json()) == SHAPE

            async def chunks() -> AsyncIterator[bytes]:
                for _ in range(10):
                    yield b" " * 500
            r = await client.post("/match/default", content=chunks(),
                                  headers={"content-type": "application/json"})
            assert r.status_code == 413
            assert (await client.post("/match/default", json=PUTIN)).status_code == 200
    asyncio.run(go())


def test_no_auth_only_on_loopback(small_store: tuple[str, Keys]) -> None:
    url, _ = small_store
    with pytest.raises(ConfigError, match="loopback"):
        ApiSettings(db=url, host="0.0.0.0", auth=False).check()
    with pytest.raises(ConfigError):
        ApiSettings(db=url, rate_limit=0).check()
    assert ApiSettings(db=url, host="::1", auth=False).check().auth is False

    async def go() -> None:
        async with api_client(make_app(url, auth=False)) as client:
            assert (await client.post("/match/default", json=PUTIN)).status_code == 200
    asyncio.run(go())


def test_a_recursion_error_anywhere_is_a_400(small_store: tuple[str, Keys]) -> None:
    """Input nested past what Python walks is bad input, in a route or around the app."""
    url, keys = small_store
    app = make_app(url)

    def nested(depth: int) -> int:
        return nested(depth + 1) + 1

    async def route() -> None:
        nested(0)

    def outer(inner: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == "/outer":
                nested(0)
            await inner(scope, receive, send)
        return middleware

    app.add_api_route("/inner", route)
    app.add_middleware(outer)  # outside the guard

    async def go() -> None:
        # raise_app_exceptions=False: as uvicorn does, answer first (the outermost error
        # handler re-raises after answering, for the server to log)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=transport, base_url="http://test",
                headers={"Authorization": f"ApiKey {keys.screen}"}) as client:
            for path in ("/inner", "/outer"):
                r = await client.get(path)
                assert r.status_code == 400 and set(r.json()) == SHAPE, path
                assert "nested too deeply" in r.json()["detail"]
            assert (await client.get("/healthz")).status_code == 200
    asyncio.run(go())


def test_recursion_guard_outside_the_routes() -> None:
    """What the middleware between the server and the routes raises is caught there too."""
    async def deep(scope: Scope, receive: Receive, send: Send) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    async def go() -> None:
        transport = httpx.ASGITransport(app=RecursionGuard(deep))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            r = await client.post("/match/default", json=PUTIN)
        assert r.status_code == 400 and set(r.json()) == SHAPE
    asyncio.run(go())
