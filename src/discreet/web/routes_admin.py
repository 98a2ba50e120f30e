"""The admin pages: users (add, roles, password, disable) and API keys (create, revoke).

Every change goes through the store as ``discreet users`` and ``discreet keys`` make it
(``store.users``, ``Store.create_key`` / ``revoke_key``), so it is checked by the same
rules and appended to the audit chain, by the signed-in admin. Every form posts with the
CSRF token and, done, redirects to the page with a message (post/redirect/get). A new API
key too: its secret travels to the page the browser is sent to in a short-lived cookie
(``HttpOnly``, ``Secure``, ``SameSite=Strict``, path ``/ui/admin``) sealed with AES-GCM
under a key derived from the admin's own session token, which the server does not keep:
only that browser, signed in as that session, can have it opened. The page shows it once
and deletes the cookie, so a reload neither shows it again nor makes a second key. Never
in an address; the store keeps only its hash.

Bad input (a short password, an unknown role, a duplicate name) shows the page again with
the store's own words and a 4xx status. Nobody can lock the administrators out: the last
active admin can be neither disabled nor stripped of the admin role.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any
from urllib.parse import urlencode

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from discreet.errors import ConfigError, NotFoundError
from discreet.store import Store
from discreet.store.apikeys import ROLES as KEY_ROLES
from discreet.store.apikeys import SCOPES
from discreet.store.users import MIN_PASSWORD, USER_ROLES, check_roles
from discreet.web.pages import lookup, render
from discreet.web.session import Changer, Forbidden, User, require_role, services_of

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)
AdminUser = Annotated[User, require_role("admin")]
DONE = ("user_added", "roles_set", "password_set", "user_disabled", "key_created",
        "key_revoked")
NEW_KEY_COOKIE = "discreet_new_key"
NEW_KEY_PATH = "/ui/admin"
NEW_KEY_SECONDS = 120  # the redirect follows at once; a cookie left unread dies soon
Name = Annotated[str, Form(max_length=200)]
Many = Annotated[list[str] | None, Form()]


class Refused(Exception):
    """A change the rules refuse; shown on the page with ``status``."""

    def __init__(self, status: int, message: str, form: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.form = form or {}


def _admin(user: User) -> None:
    if not user.has("admin"):
        raise Forbidden(lookup("admin.forbidden").format(
            name=user.name, roles=", ".join(sorted(user.roles)) or "-"))


def _page(request: Request, *, status: int = 200, error: str = "", done: str = "",
          subject: str = "", form: dict[str, Any] | None = None,
          created: dict[str, Any] | None = None) -> Response:
    with services_of(request).gate() as store:
        users = store.users.users()
        keys = store.list_keys(include_revoked=True)
    headers = {"Cache-Control": "no-store"}
    return render(request, "admin/index.html", {
        "users": users, "keys": keys, "roles": USER_ROLES, "key_roles": KEY_ROLES,
        "scopes": SCOPES, "min_password": MIN_PASSWORD, "error": error,
        "done": done if done in DONE else "", "subject": subject, "form": form or {},
        "created": created}, status=status, headers=headers)


def _back(done: str, subject: str) -> Response:
    return RedirectResponse(f"/ui/admin?{urlencode({'done': done, 'subject': subject})}",
                            status_code=303)


def _attempt(request: Request, action: Any, form: dict[str, Any] | None = None
             ) -> Response | None:
    """Run a change on the store; None when done, else the page with the refusal."""
    try:
        with services_of(request).gate() as store:
            action(store)
    except Refused as refused:
        return _page(request, status=refused.status, error=str(refused),
                     form={**(form or {}), **refused.form})
    except NotFoundError as missing:
        return _page(request, status=404, error=str(missing), form=form)
    except ConfigError as bad:
        return _page(request, status=400, error=str(bad), form=form)
    return None


def _visible(text: str, what: str) -> None:
    """Refuse a name holding a character nobody sees (a control, a right-to-left override,
    a zero-width space): ``adm\u200b`` would pass for ``adm`` in every list and record.
    A zero-width (non-)joiner between two letters of a script that uses it (Persian
    ``محمد\u200cرضا``) is part of the name and kept."""
    for place, char in enumerate(text, 1):
        if char in "\u200c\u200d" and 1 < place < len(text) and all(
                not near.isascii() and near.isalpha() for near in text[place - 2:place + 1:2]):
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
            raise Refused(400, lookup("admin.invisible").format(
                what=what, code=f"U+{ord(char):04X}", place=place))


def _active_admins(store: Store) -> list[str]:
    return [u.name for u in store.users.users(include_disabled=False) if "admin" in u.roles]


def _keep_an_admin(store: Store, name: str, roles_after: Iterable[str] | None) -> None:
    """Refuse a change that leaves no active admin (``roles_after`` None: disabling)."""
    admins = _active_admins(store)
    if name in admins and len(admins) == 1 and (
            roles_after is None or "admin" not in set(roles_after)):
        raise Refused(409, lookup("admin.last_admin").format(name=name))


def _seal_key(user: User) -> AESGCM:
    """The cipher of the new-key cookie: keyed by the session token, which only the
    admin's browser holds (the store keeps its hash), so the cookie opens only with it."""
    key = hmac.new(user.token.encode(), b"discreet-new-key", hashlib.sha256).digest()
    return AESGCM(key)


def seal_new_key(user: User, key_id: str, secret: str) -> str:
    """The cookie value carrying a new key's secret to the page shown after the POST."""
    nonce = os.urandom(12)
    data = json.dumps({"id": key_id, "secret": secret,
                       "until": time.time() + NEW_KEY_SECONDS}).encode()
    sealed = _seal_key(user).encrypt(nonce, data, user.name.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def open_new_key(user: User, value: str) -> tuple[str, str] | None:
    """(key id, secret) from the cookie, or None: not ours, another session's, damaged or
    too old."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
        data = json.loads(_seal_key(user).decrypt(raw[:12], raw[12:], user.name.encode()))
        if float(data["until"]) < time.time():
            return None
        return str(data["id"]), str(data["secret"])
    except (InvalidTag, ValueError, TypeError, KeyError, UnicodeError):
        return None


def _forget_new_key(answer: Response) -> Response:
    answer.delete_cookie(NEW_KEY_COOKIE, path=NEW_KEY_PATH, secure=True, httponly=True,
                         samesite="strict")
    return answer


@router.get("/admin")
def admin(request: Request, user: AdminUser,
          done: Annotated[str, Query(max_length=40)] = "",
          subject: Annotated[str, Query(max_length=200)] = "") -> Response:
    """Users and API keys, with the forms that change them; a key just created shown
    with its secret, once (the cookie that carried it is deleted by this answer)."""
    sealed = request.cookies.get(NEW_KEY_COOKIE)
    if not sealed:
        return _page(request, done=done, subject=subject)
    opened = open_new_key(user, sealed) if len(sealed) <= 1000 else None
    created = None
    if opened is not None:
        with services_of(request).gate() as store:
            found = [k for k in store.list_keys() if k.id == opened[0]]
        created = {**found[0].to_dict(), "secret": opened[1]} if found else None
    answer = _page(request, created=created, done="" if created else done, subject=subject)
    return _forget_new_key(answer)


@router.post("/admin/users")
def add_user(request: Request, user: Changer, name: Name = "",
             password: Annotated[str, Form(max_length=1024)] = "",
             password_again: Annotated[str, Form(max_length=1024)] = "",
             roles: Many = None) -> Response:
    """A new local user with roles and an initial password (``discreet users add``)."""
    _admin(user)
    form = {"name": name, "roles": roles or []}

    def add(store: Store) -> None:
        if password != password_again:
            raise Refused(400, lookup("admin.passwords_differ"))
        _visible(name, lookup("admin.name"))
        store.users.add(name, roles or [], password, by=user.name)

    return _attempt(request, add, form) or _back("user_added", " ".join(name.split()))


@router.post("/admin/users/roles")
def set_roles(request: Request, user: Changer, name: Name = "",
              roles: Many = None) -> Response:
    """Replace a user's roles (``discreet users set-roles``); effective at their next page."""
    _admin(user)

    def change(store: Store) -> None:
        found = store.users.user(name)
        if found.active:
            _keep_an_admin(store, found.name, check_roles(roles or []))
        store.users.set_roles(found.name, roles or [], by=user.name)

    refused = _attempt(request, change)
    if refused is not None:
        return refused
    if name == user.name and "admin" not in (roles or []):
        return RedirectResponse("/ui/", status_code=303)  # no longer an admin: leave
    return _back("roles_set", name)


@router.post("/admin/users/password")
def set_password(request: Request, user: Changer, name: Name = "",
                 password: Annotated[str, Form(max_length=1024)] = "") -> Response:
    """A new password for a user (``discreet users passwd``); their sessions end."""
    _admin(user)

    def change(store: Store) -> None:
        found = store.users.user(name)
        if found.origin != "local":
            raise Refused(400, lookup("admin.not_local").format(name=found.name))
        store.users.set_password(found.name, password, by=user.name)

    return _attempt(request, change) or _back("password_set", name)


@router.post("/admin/users/disable")
def disable_user(request: Request, user: Changer, name: Name = "") -> Response:
    """Disable a user (``discreet users disable``): no sign-in, sessions end now."""
    _admin(user)

    def disable(store: Store) -> None:
        found = store.users.user(name)
        _keep_an_admin(store, found.name, None)
        store.users.disable(found.name, by=user.name)

    return _attempt(request, disable) or _back("user_disabled", name)


@router.post("/admin/keys")
def create_key(request: Request, user: Changer, name: Name = "",
               scopes: Many = None,
               role: Annotated[str, Form(max_length=40)] = "",
               rate_limit: Annotated[str, Form(max_length=20)] = "") -> Response:
    """A new API key (``discreet keys create``); its secret is shown once, on the page
    this answer redirects to (see the module's docstring)."""
    _admin(user)
    form = {"key_name": name, "scopes": scopes or [], "role": role,
            "rate_limit": rate_limit}
    made: dict[str, Any] = {}

    def create(store: Store) -> None:
        label = " ".join(name.split())
        if not label:
            raise Refused(400, lookup("admin.key_name_missing"))
        _visible(label, lookup("admin.key_name"))
        limit = None
        if rate_limit.strip():
            try:
                limit = int(rate_limit.strip())
            except ValueError:
                raise Refused(400, lookup("admin.bad_rate")) from None
            if not 1 <= limit <= 1_000_000:
                raise Refused(400, lookup("admin.bad_rate"))
        record, secret = store.create_key(label, tuple(scopes or ()), limit, by=user.name,
                                          role=role or None)
        made.update(record.to_dict(), secret=secret)

    refused = _attempt(request, create, form)
    if refused is not None:
        return refused
    answer = _back("key_created", str(made["id"]))
    answer.set_cookie(NEW_KEY_COOKIE, seal_new_key(user, str(made["id"]), str(made["secret"])),
                      max_age=NEW_KEY_SECONDS, path=NEW_KEY_PATH, httponly=True, secure=True,
                      samesite="strict")
    return answer


@router.post("/admin/keys/revoke")
def revoke_key(request: Request, user: Changer,
               key_id: Annotated[str, Form(max_length=40)] = "") -> Response:
    """Revoke an API key (``discreet keys revoke``); servers refuse it within seconds."""
    _admin(user)
    refused = _attempt(request, lambda store: store.revoke_key(key_id, by=user.name))
    return refused or _back("key_revoked", key_id)
