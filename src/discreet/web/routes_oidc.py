"""Sign-in at the organisation's OpenID Connect provider, from the sign-in page.

The same flow as the API's ``/auth/oidc/login`` (:mod:`discreet.api.auth_oidc`: one
provider discovery, one PKCE code exchange, one ID token verification, one reading of the
roles), through the same redirect URL registered at the provider: the API's callback
hands a return whose ``state`` marks it as the pages' on to ``/ui/login/oidc/callback``,
which starts a page session (``IDLE_SECONDS``, sliding) and sets the pages' cookie.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from discreet.api.auth_oidc import (
    FLOW_SECONDS,
    PAGE_COOKIE,
    PAGE_PATH,
    begin,
    check_return,
    flow_cookie_secure,
    sign_in,
)
from discreet.web.session import IDLE_SECONDS, safe_next, services_of, set_session_cookie

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/login/oidc")
async def oidc_start(request: Request,
                     next: Annotated[str, Query(max_length=2000)] = "/ui/") -> Response:
    """Send the person to the provider; they come back to ``next`` (a page of ours)."""
    settings = services_of(request).settings
    url, flow = await run_in_threadpool(begin, settings, page_next=safe_next(next))
    answer = RedirectResponse(url, status_code=303)
    answer.set_cookie(PAGE_COOKIE, flow, max_age=FLOW_SECONDS, httponly=True, samesite="lax",
                      path=PAGE_PATH, secure=flow_cookie_secure(settings))
    return answer


@router.get("/login/oidc/callback")
async def oidc_return(request: Request,
                      state: Annotated[str, Query(max_length=500)] = "",
                      code: Annotated[str, Query(max_length=4000)] = "",
                      error: Annotated[str, Query(max_length=500)] = "",
                      cookie: Annotated[str | None, Cookie(alias=PAGE_COOKIE)] = None
                      ) -> Response:
    """Back from the provider (through the API's callback): a page session, then the
    page the person was going to. Refusals are error pages with the API's words."""
    services = services_of(request)
    flow = check_return(services.settings, cookie, state, code, error, start=PAGE_PATH)
    session = await run_in_threadpool(sign_in, services, flow, code, IDLE_SECONDS)
    assert session.token is not None
    answer = RedirectResponse(safe_next(str(flow.get("next") or "/ui/")), status_code=303)
    set_session_cookie(answer, session.token)
    answer.delete_cookie(PAGE_COOKIE, path=PAGE_PATH)
    return answer
