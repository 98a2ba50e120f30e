"""Sign-in for people: a name and password give a bearer token with an expiry.

Guessing is slowed per (account, client address): after ``FREE_TRIES`` wrong passwords
that pair waits 30, 60, 120… seconds (at most ``MAX_WAIT``) before it may try again. Only that
pair: the same account from another address, and other accounts from the same address,
are never held up, so nobody can lock another person out by guessing at their name.
A session token (``ds_…``) is sent like a key: ``Authorization: Bearer <token>``.

Checking a password costs a deliberately slow hash, so sign-ins must not take the server
from everyone else: at most :data:`LOGIN_SLOTS` are checked at once per worker, on a
store connection of their own (``Services.login_gate``); the others wait on the event
loop, holding no thread, and past :data:`LOGIN_QUEUE` waiting the answer is 503 with
``Retry-After`` (:func:`checking_password`).
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from discreet.api.errors import ERROR_RESPONSES, ApiError
from discreet.api.security import Principal, client_address, parse_authorization
from discreet.api.services import Services
from discreet.store.users import SESSION_PREFIX, User

__all__ = ["FREE_TRIES", "LOGIN_QUEUE", "LOGIN_SLOTS", "MAX_WAIT", "SESSION_SECONDS",
           "LoginThrottle", "checking_password", "login_throttle", "router", "scopes_of",
           "session_principal"]

FREE_TRIES = 5
FIRST_WAIT = 30.0  # seconds after the free tries; doubled at each further failure
MAX_WAIT = 900.0  # seconds
FORGET_AFTER = 3600.0  # a pair quiet this long starts afresh
SESSION_SECONDS = 8 * 3600
_TABLE = 10_000
LOGIN_SLOTS = 2  # passwords checked at once per worker
LOGIN_QUEUE = 200  # sign-ins waiting for a slot, past which the answer is 503
T = TypeVar("T")

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
                self._evict(now)

    def _evict(self, now: float) -> None:
        """Make room: forget the oldest pair that is not being held back, so that a flood
        of wrong passwords for made-up names cannot push a held pair out of the table (and
        so give its guesser fresh tries); only a table of held pairs loses its oldest."""
        for pair, (count, last) in self._pairs.items():
            if count < self.free or now - last > FORGET_AFTER:
                del self._pairs[pair]
                return
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


class _Slots:
    """The sign-in slots of one app on one event loop (asyncio's semaphore belongs to the
    loop that waits on it; a server worker has one loop)."""

    def __init__(self) -> None:
        self.free = asyncio.Semaphore(LOGIN_SLOTS)
        self.waiting = 0


async def checking_password(request: Request, check: Callable[[], T]) -> T:
    """Run ``check`` (which verifies a password on ``Services.login_gate``) in one of the
    app's few sign-in slots; 503 with Retry-After when too many sign-ins wait already."""
    state = request.app.state
    every: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Slots] | None = getattr(
        state, "login_slots", None)
    if every is None:
        every = state.login_slots = weakref.WeakKeyDictionary()
    slots = every.setdefault(asyncio.get_running_loop(), _Slots())
    if slots.waiting >= LOGIN_QUEUE:
        raise ApiError(503, f"{slots.waiting} sign-ins are waiting to be checked: try again "
                            "in a few seconds", headers={"Retry-After": "5"})
    slots.waiting += 1
    try:
        await slots.free.acquire()
    finally:
        slots.waiting -= 1
    try:
        return await run_in_threadpool(check)
    finally:
        slots.free.release()


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
        with services.login_gate() as store:
            user = store.users.verify(body.name, body.password)
            return None if user is None else store.users.start_session(user.name,
                                                                        SESSION_SECONDS)

    session = await checking_password(request, check)
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
