"""Browser sessions: a cookie holding a store session token, CSRF tokens, role checks.

The cookie is ``HttpOnly`` (no script reads it), ``Secure`` and ``SameSite=Lax``; it holds
a session token of the user store (``store.users``), so signing out, disabling a user or
changing a password ends it in every worker at once. A session slides forward while used
(``IDLE_SECONDS``) up to ``MAX_SECONDS`` after sign-in. Every form that changes anything
carries a CSRF token derived from the session token (an attacker's page cannot read the
cookie, so cannot compute it); the sign-in form, before any session, uses a random token
in a cookie and the form (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from discreet.api.services import Services
from discreet.review import Actor
from discreet.store.users import SESSION_PREFIX

__all__ = [
    "COOKIE",
    "IDLE_SECONDS",
    "LOGIN_COOKIE",
    "MAX_SECONDS",
    "CsrfError",
    "Forbidden",
    "SignInRequired",
    "User",
    "check_csrf",
    "csrf_for",
    "current_user",
    "login_csrf",
    "require_role",
    "safe_next",
    "services_of",
    "set_session_cookie",
]

COOKIE = "discreet_session"
LOGIN_COOKIE = "discreet_login_csrf"
IDLE_SECONDS = 30 * 60
MAX_SECONDS = 10 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """No live session: the page answers with a redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__("sign in first")
        self.next_url = next_url


class Forbidden(Exception):
    """Signed in, but the role does not allow this page or action (403 page)."""


class CsrfError(Exception):
    """A form or request without the right CSRF token (403 page)."""


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in person as the pages see them."""

    name: str
    roles: frozenset[str]
    token: str

    @property
    def csrf(self) -> str:
        return csrf_for(self.token)

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.roles)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def csrf_for(token: str) -> str:
    """The CSRF token of a session: a keyed hash of its secret token."""
    return hmac.new(token.encode(), b"discreet-csrf", hashlib.sha256).hexdigest()


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def safe_next(value: str | None) -> str:
    """Where to go after sign-in: only a page of this application, never another site.

    The path must be ``/ui`` or below it, with no ``.``/``..`` segment (written or
    percent-encoded: browsers resolve both), no empty segment (``//``), no backslash
    (browsers read it as a slash) and no control character; anything else is ``/ui/``."""
    if not value or any(c in value for c in "\\") or any(
            ord(c) < 32 or ord(c) == 127 for c in value):
        return "/ui/"
    path = value.split("?", 1)[0].split("#", 1)[0]
    if path != "/ui" and not path.startswith("/ui/"):
        return "/ui/"
    parts = path.split("/")[1:]  # %2F is no separator to a browser; %2e is a dot
    if any(unquote(part) in (".", "..") for part in parts) or "" in parts[:-1]:
        return "/ui/"
    return value


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


async def current_user(request: Request) -> User:
    """The signed-in person (their session slid forward), or :class:`SignInRequired`."""
    token = request.cookies.get(COOKIE, "")
    if not token.startswith(SESSION_PREFIX) or len(token) > 200:
        raise SignInRequired(_here(request) if request.method == "GET" else "/ui/")
    services = services_of(request)

    def look() -> User | None:
        with services.gate() as store:
            live = store.users.extend_session(token, IDLE_SECONDS, MAX_SECONDS)
        if live is None:
            return None
        return User(live.user.name, frozenset(live.user.roles), token)

    user = await run_in_threadpool(look)
    if user is None:
        raise SignInRequired(_here(request) if request.method == "GET" else "/ui/")
    request.state.user = user
    return user


def require_role(*roles: str) -> object:
    """A dependency: the signed-in person, who must hold one of ``roles``."""

    async def check(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.has(*roles):
            raise Forbidden(f"this page needs the role {' or '.join(roles)}; "
                            f"{user.name} has {', '.join(sorted(user.roles)) or 'none'}")
        return user

    return Depends(check)


async def check_csrf(request: Request, user: Annotated[User, Depends(current_user)]
                     ) -> User:
    """A dependency for every request that changes something: the CSRF token must come
    in the form field ``csrf_token`` or the ``X-CSRF-Token`` header."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded",
                                    "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, user.csrf):
        raise CsrfError("the form has expired or did not come from this site: "
                        "reload the page and try again")
    return user


def login_csrf(request: Request) -> str:
    """The sign-in form's token: the cookie's if it has one, else a new one."""
    found = request.cookies.get(LOGIN_COOKIE, "")
    return found if 20 <= len(found) <= 100 else secrets.token_urlsafe(32)


def set_session_cookie(response: object, token: str) -> None:
    """Put a session token in the browser (see the module's docstring for the flags)."""
    from starlette.responses import Response

    assert isinstance(response, Response)
    response.set_cookie(COOKIE, token, max_age=MAX_SECONDS, path="/", httponly=True,
                        secure=True, samesite="lax")


def sign_in_url(next_url: str) -> str:
    return f"/ui/login?next={quote(safe_next(next_url), safe='/')}"


Viewer = Annotated[User, Depends(current_user)]
Changer = Annotated[User, Depends(check_csrf)]
