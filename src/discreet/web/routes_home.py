"""Sign-in, sign-out and the start page.

Wrong passwords are slowed per (account, address) exactly as ``POST /auth/login`` slows
them (the same throttle object), so the page is no way around the API's limit; a browser
that signed in to the account before is counted apart, under its device cookie
(:mod:`discreet.web.devices`), so that nobody sharing its address can hold it up.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from discreet.api.auth import checking_password, login_throttle
from discreet.api.security import client_address
from discreet.web.devices import device_of, give_device
from discreet.web.pages import render
from discreet.web.session import (
    COOKIE,
    IDLE_SECONDS,
    LOGIN_COOKIE,
    Changer,
    Viewer,
    login_csrf,
    safe_next,
    services_of,
    set_session_cookie,
)

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)


def _login_page(request: Request, next_url: str, *, error: str = "", name: str = "",
                status: int = 200, headers: dict[str, str] | None = None) -> Response:
    token = login_csrf(request)
    settings = services_of(request).settings
    answer = render(request, "login.html",
                    {"next": safe_next(next_url), "error": error, "name": name,
                     "login_csrf": token, "oidc": bool(settings.oidc_issuer)},
                    status=status, headers=headers)
    answer.set_cookie(LOGIN_COOKIE, token, max_age=3600, path="/ui/login", httponly=True,
                      secure=True, samesite="strict")
    return answer


@router.get("/login")
def login_form(request: Request,
               next: Annotated[str, Query(max_length=2000)] = "/ui/") -> Response:
    return _login_page(request, next)


@router.post("/login")
async def login(request: Request,
                name: Annotated[str, Form(max_length=200)] = "",
                password: Annotated[str, Form(max_length=1024)] = "",
                csrf_token: Annotated[str, Form(max_length=200)] = "",
                next: Annotated[str, Form(max_length=2000)] = "/ui/") -> Response:
    t_cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not t_cookie or not csrf_token or not hmac.compare_digest(t_cookie, csrf_token):
        return _login_page(request, next, error="login.expired", name=name, status=403)
    if not name.strip() or not password:
        return _login_page(request, next, error="login.missing", name=name, status=400)
    services = services_of(request)
    throttle = login_throttle(request)
    client = client_address(request.client.host if request.client else None,
                            request.headers.get("x-forwarded-for"), services.trusted)
    device = device_of(request, services.settings.db, name)
    if device is not None:  # a browser that signed in here before: its own count
        client = f"device:{device}"
    wait = throttle.wait(name, client)
    if wait:
        return _login_page(request, next, error="login.throttled", name=name, status=429,
                           headers={"Retry-After": str(wait)})

    def check() -> str | None:
        with services.login_gate() as store:
            user = store.users.verify(name, password)
            if user is None:
                return None
            return store.users.start_session(user.name, IDLE_SECONDS).token

    token = await checking_password(request, check)
    if token is None:
        throttle.failed(name, client)
        return _login_page(request, next, error="login.wrong", name=name, status=401)
    throttle.succeeded(name, client)
    answer = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(answer, token)
    answer.delete_cookie(LOGIN_COOKIE, path="/ui/login")
    if device is None:
        give_device(answer, services.settings.db, name)
    return answer


@router.post("/logout")
async def logout(request: Request, user: Changer) -> Response:
    services = services_of(request)

    def end() -> None:
        with services.gate() as store:
            store.users.end_session(user.token)

    await run_in_threadpool(end)
    answer = RedirectResponse("/ui/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer


@router.get("/")
def home(request: Request, user: Viewer) -> Response:
    """The start page: what needs the person's attention, and the lists in force."""
    services = services_of(request)
    with services.gate() as store:
        versions = store.active()
        counts = store.review.count_alerts()
        mine = sum(1 for a in store.review.alerts(assignee=user.name, limit=1000)
                   if a.state in ("open", "in_review", "pending_approval"))
    return render(request, "home.html", {"versions": versions, "counts": counts,
                                            "mine": mine})
