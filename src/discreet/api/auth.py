"""Sign-in for people: a name and password give a bearer token with an expiry.

Guessing is slowed per (account, client address): after ``FREE_TRIES`` wrong passwords
that pair waits 30, 60, 120… seconds (at most ``MAX_WAIT``) before it may try again. Only that
pair: the same account from another address, and other accounts from the same address,
are never held up, so nobody can lock another person out by guessing at their name.
A session token (``ds_…``) is sent like a key: ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.api.security import Principal, client_address, parse_authorization
from discreet.api.services import Services
from discreet.store.users import SESSION_PREFIX, User

__all__ = ["FREE_TRIES", "MAX_WAIT", "SESSION_SECONDS", "LoginThrottle", "login_throttle",
           "router", "scopes_of", "session_principal"]

FREE_TRIES = 5
FIRST_WAIT = 30.0  # seconds after the free tries; doubled at each further failure
MAX_WAIT = 900.0  # seconds
FORGET_AFTER = 3600.0  # a pair quiet this long starts afresh
SESSION_SECONDS = 8 * 3600
_TABLE = 10_000

router = APIRouter(tags=["people"])


def scopes_of(roles: frozenset[str]) -> frozenset[str]:
    """API scopes a user's roles carry: admins administer, analysts and reviewers screen,
    auditors only read the review book."""
    scopes = {"screen"} if roles & {"analyst", "reviewer", "admin"} else set()
    return frozenset(scopes | ({"admin"} if "admin" in roles else set()))


def _principal(user: User, rate_limit: int) -> Principal:
    roles = frozenset(user.roles)
    return Principal(f"user:{user.name}", scopes_of(roles), rate_limit, f"user:{user.name}",
                     user.name, roles)


def session_principal(services: Services, token: str) -> Principal | None:
    """The caller of a live session token, or None (not a session token, or not live)."""
    if not token.startswith(SESSION_PREFIX):
        return None
    with services.gate() as store:
        found = store.users.session(token)
    return None if found is None else _principal(found.user, services.settings.rate_limit)


class LoginThrottle:
    """Wrong passwords per (account, address), with a doubling wait past the free tries."""

    def __init__(self, free: int = FREE_TRIES, max_wait: float = MAX_WAIT) -> None:
        self.free = free
        self.max_wait = max_wait
        self._pairs: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, account: str, client: str) -> int:
        """Seconds the pair must still wait (0: it may try now)."""
        with self._lock:
            found = self._pairs.get((account.casefold(), client))
        if found is None or found[0] < self.free:
            return 0
        delay = min(self.max_wait, FIRST_WAIT * 2.0 ** (found[0] - self.free))
        left = found[1] + delay - time.monotonic()
        return max(1, int(left + 0.999)) if left > 0 else 0

    def failed(self, account: str, client: str) -> None:
        now = time.monotonic()
        pair = (account.casefold(), client)
        with self._lock:
            count, last = self._pairs.pop(pair, (0, now))
            if now - last > FORGET_AFTER:
                count = 0
            self._pairs[pair] = (count + 1, now)
            while len(self._pairs) > _TABLE:
                self._pairs.popitem(last=False)

    def succeeded(self, account: str, client: str) -> None:
        with self._lock:
            self._pairs.pop((account.casefold(), client), None)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def login_throttle(request: Request) -> LoginThrottle:
    """The app's one throttle of wrong passwords (the API's and the pages' sign-in share it)."""
    state = request.app.state
    if not hasattr(state, "login_throttle"):
        state.login_throttle = LoginThrottle()
    found: LoginThrottle = state.login_throttle
    return found


class LoginIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'")
    expires_at: str
    user: dict[str, Any]


@router.post("/auth/login", response_model=SessionOut, responses=ERROR_RESPONSES,
             summary="Sign in with a name and password; a bearer token with an expiry")
async def login(body: LoginIn, request: Request) -> SessionOut:
    """Wrong passwords are slowed per account and client address (429, Retry-After)."""
    services = _services(request)
    throttle = login_throttle(request)
    client = client_address(request.client.host if request.client else None,
                            request.headers.get("x-forwarded-for"), services.trusted)
    wait = throttle.wait(body.name, client)
    if wait:
        raise ApiError(429, f"too many wrong passwords for {body.name!r} from {client}: "
                            f"try again in {wait} s", headers={"Retry-After": str(wait)})

    def check() -> Any:
        with services.gate() as store:
            user = store.users.verify(body.name, body.password)
            return None if user is None else store.users.start_session(user.name,
                                                                        SESSION_SECONDS)

    session = await run_in_threadpool(check)
    if session is None:
        throttle.failed(body.name, client)
        raise ApiError(401, "wrong name or password, or the user is disabled")
    throttle.succeeded(body.name, client)
    return SessionOut(token=session.token, expires_at=session.expires_at,
                      user=session.user.to_dict())


@router.post("/auth/logout", status_code=204, responses=ERROR_RESPONSES,
             summary="End the session of the bearer token sent")
async def logout(request: Request,
                 authorization: Annotated[str | None, Header(include_in_schema=False)] = None
                 ) -> None:
    token = parse_authorization(authorization)
    services = _services(request)

    def end() -> bool:
        with services.gate() as store:
            return store.users.end_session(token)

    if not token.startswith(SESSION_PREFIX) or not await run_in_threadpool(end):
        raise ApiError(401, "no live session for this token")
