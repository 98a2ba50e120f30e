"""FastAPI dependencies, as ``Annotated`` types the routes declare.

``Caller`` authenticates and rate-limits; ``Screener`` and ``Admin`` add a scope check;
``Ready`` is the current generation (503 until the first one is built). They are ``async``
so that FastAPI runs them on the event loop, not through the thread pool: each is quick.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from discreet.api.audit import note_caller, note_collapsed, note_counted, presented_key_id
from discreet.api.auth import session_principal
from discreet.api.errors import ApiError
from discreet.api.index import Generation
from discreet.api.security import Principal, client_address, parse_authorization
from discreet.api.services import Services

__all__ = ["Admin", "Caller", "Ready", "Screener", "ServicesDep"]


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_caller(request: Request, services: ServicesDep,
               authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
               ) -> Principal:
    """The authenticated, rate-limited caller.

    Failed authentications are limited per client address and claimed key id (see
    security.AuthFailures): a flood of bad keys is refused before any lookup, and is
    audited as one record a minute, without touching other key ids or addresses.
    """
    settings = services.settings
    client = client_address(request.client.host if request.client else None,
                            request.headers.get("x-forwarded-for"), services.trusted)
    if not settings.auth:
        caller = Principal("anonymous", frozenset({"screen", "admin"}), settings.rate_limit,
                           f"ip:{client}")
    else:
        failures = services.failures
        failures.sweep()
        claimed = presented_key_id(authorization)
        key_id = claimed if claimed is not None and claimed in services.keys.known_ids() \
            else "-"
        wait = failures.retry_after(client, key_id)
        if wait:
            if not failures.failed(client, key_id, 429):
                note_collapsed()
            else:
                note_counted()
            raise ApiError(429, f"too many failed authentications from {client}"
                                f"{'' if key_id == '-' else f' for key {key_id}'}: at most "
                                f"{failures.per_minute} a minute (--auth-failures)",
                           headers={"Retry-After": str(wait)})
        try:
            presented = parse_authorization(authorization)
            person = session_principal(services, presented)
            found = None if person is not None else services.keys.lookup(presented)
            if person is None and found is None:
                raise ApiError(401, "unknown or revoked API key, or an ended session",
                               headers={"WWW-Authenticate": 'ApiKey realm="discreet"'})
        except ApiError:
            if not failures.failed(client, key_id, 401):
                note_collapsed()
            else:
                note_counted()
            raise
        if person is not None:
            caller = person
        else:
            assert found is not None
            caller = Principal(found.id, frozenset(found.scopes),
                               found.rate_limit or settings.rate_limit, f"key:{found.id}",
                               f"key:{found.id}",
                               frozenset({found.role}) if found.role else frozenset())
    note_caller(caller.key_id)  # a refusal from here on is logged under this key
    services.limiter.check(caller.bucket, caller.rate_limit)
    return caller


Caller = Annotated[Principal, Depends(get_caller)]


async def get_screener(caller: Caller) -> Principal:
    caller.require("screen")
    return caller


async def get_admin(caller: Caller) -> Principal:
    caller.require("admin")
    return caller


Screener = Annotated[Principal, Depends(get_screener)]
Admin = Annotated[Principal, Depends(get_admin)]


async def get_ready(services: ServicesDep) -> Generation:
    generation = services.holder.current
    if generation is None:
        detail = services.holder.last_error or "the index is still loading"
        raise ApiError(503, detail, headers={"Retry-After": "5"})
    return generation


Ready = Annotated[Generation, Depends(get_ready)]
