"""Optional OpenID Connect sign-in: authorization code flow with PKCE (authlib).

``GET /auth/oidc/login`` sends the person to the provider with a fresh ``state``, ``nonce``
and PKCE verifier, kept in a short-lived signed cookie (so any worker can finish the
flow). ``GET /auth/oidc/callback`` checks the state, exchanges the code (with the verifier
and the client secret), verifies the ID token (signature against the provider's JWKS,
issuer, audience, nonce, expiry) and answers a session token like ``/auth/login``. The
person's roles come from the configured claim on every sign-in; unknown roles are dropped
and a person with none is refused. They are the user ``oidc:<sub>``.

The browser pages (``discreet.web``) use the same flow through one redirect URL: their
sign-in (:func:`begin` with ``page_next``) marks its ``state`` with :data:`PAGE_STATE` and
keeps its flow in a cookie of its own; this callback hands such a return on to
:data:`PAGE_CALLBACK`, which finishes it with :func:`check_return` and :func:`sign_in`
(the functions this callback uses) and sets the pages' session cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from fastapi import APIRouter, Cookie, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from discreet.api.auth import SESSION_SECONDS, SessionOut
from discreet.api.errors import ERROR_RESPONSES, ApiError, ErrorOut
from discreet.api.services import Services
from discreet.api.settings import ApiSettings
from discreet.store.users import USER_ROLES, Session

__all__ = ["PAGE_CALLBACK", "PAGE_COOKIE", "PAGE_STATE", "SECRET_VAR", "OidcError", "Provider",
           "begin", "check_return", "roles_from", "router", "sign_in", "verify_id_token"]

SECRET_VAR = "DISCREET_OIDC_CLIENT_SECRET"
COOKIE = "discreet_oidc"
PAGE_COOKIE = "discreet_oidc_page"  # the flow of a sign-in started by the browser pages
PAGE_STATE = "page."  # their ``state`` starts so: the callback hands the return on to
PAGE_CALLBACK = "/ui/login/oidc/callback"  # (under PAGE_PATH, where their cookie is sent)
PAGE_PATH = "/ui/login/oidc"
START = "/auth/oidc/login"
FLOW_SECONDS = 600  # a person has ten minutes at the provider
ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")
_TIMEOUT = 10.0

router = APIRouter(tags=["people"])


class OidcError(ValueError):
    """The provider's answer or ID token is not to be trusted (or the flow is broken)."""


@dataclass(frozen=True, slots=True)
class Provider:
    """What discovery says about the provider."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str

    @classmethod
    def discover(cls, issuer: str) -> Provider:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            data = httpx.get(url, timeout=_TIMEOUT).raise_for_status().json()
            found = cls(str(data["issuer"]), str(data["authorization_endpoint"]),
                        str(data["token_endpoint"]), str(data["jwks_uri"]))
        except (httpx.HTTPError, KeyError, ValueError, TypeError) as exc:
            raise OidcError(f"OpenID discovery at {url} failed: {exc}") from exc
        if found.issuer.rstrip("/") != issuer.rstrip("/"):
            raise OidcError(f"the provider at {url} says its issuer is {found.issuer!r}, "
                            f"not {issuer!r}")
        return found

    def jwks(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = httpx.get(self.jwks_uri, timeout=_TIMEOUT
                                             ).raise_for_status().json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"the provider's keys at {self.jwks_uri}: {exc}") from exc
        return data


def verify_id_token(id_token: str, jwks: dict[str, Any], *, issuer: str, client_id: str,
                    nonce: str, now: int | None = None) -> dict[str, Any]:
    """The ID token's claims once its signature (by a key of ``jwks``), issuer, audience,
    nonce and expiry hold; :class:`OidcError` saying which failed otherwise."""
    from joserfc import jwt  # with the cryptography library: at the first sign-in
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks),  # type: ignore[arg-type]
                           algorithms=list(ALGORITHMS))
        registry = jwt.JWTClaimsRegistry(
            now=now, leeway=30, iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            nonce={"essential": True, "value": nonce}, exp={"essential": True},
            sub={"essential": True})
        registry.validate(token.claims)
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcError(f"ID token refused: {exc}") from exc
    claims = dict(token.claims)
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise OidcError("ID token refused: several audiences and azp is not this client")
    return claims


def roles_from(claims: dict[str, Any], claim: str) -> tuple[str, ...]:
    """Known roles in the claim (a list, or a space- or comma-separated string)."""
    value = claims.get(claim)
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    return tuple(dict.fromkeys(str(r).strip().lower() for r in items
                               if str(r).strip().lower() in USER_ROLES))


def _secret(settings: ApiSettings) -> str:
    return settings.oidc_client_secret or os.environ.get(SECRET_VAR, "")


def _sign(settings: ApiSettings, payload: bytes) -> str:
    key = hashlib.sha256(b"discreet-oidc-flow\0" + _secret(settings).encode()).digest()
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(payload).decode() + "." + \
        base64.urlsafe_b64encode(mac).decode()


def _unsign(settings: ApiSettings, value: str, start: str = START) -> dict[str, Any]:
    body, _, mac = value.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body.encode())
        expected = _sign(settings, payload).partition(".")[2]
        if not hmac.compare_digest(expected, mac):
            raise ValueError("bad signature")
        data: dict[str, Any] = json.loads(payload)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        until = float(data.get("until", 0))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ApiError(400, "the sign-in cookie is not ours or is damaged: start again at "
                            f"{start}") from exc
    if until < time.time():
        raise ApiError(400, f"the sign-in took too long: start again at {start}")
    return data


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _configured(settings: ApiSettings) -> tuple[str, str]:
    if not settings.oidc_issuer:
        raise ApiError(404, "OpenID Connect sign-in is not configured (--oidc-issuer)")
    redirect = settings.oidc_redirect_url or (
        f"{settings.public_url}/auth/oidc/callback" if settings.public_url else "")
    if not redirect:
        raise ApiError(404, "OpenID Connect sign-in needs --oidc-redirect-url or --public-url")
    return settings.oidc_issuer, redirect


def begin(settings: ApiSettings, *, page_next: str | None = None) -> tuple[str, str]:
    """Start a sign-in: the provider's URL to send the person to, and the signed flow
    (state, nonce, PKCE verifier, deadline) to keep in a cookie until they come back.
    ``page_next`` (a page's path) marks a sign-in of the browser pages, which go there
    after it. Blocking (provider discovery); :class:`ApiError` 404/502 when it cannot."""
    issuer, redirect = _configured(settings)
    try:
        provider = Provider.discover(issuer)
    except OidcError as exc:
        raise ApiError(502, str(exc)) from exc
    state = (PAGE_STATE if page_next is not None else "") + generate_token(32)
    nonce, verifier = generate_token(32), generate_token(64)
    query = urlencode({"response_type": "code", "client_id": settings.oidc_client_id,
                       "redirect_uri": redirect, "scope": "openid profile",
                       "state": state, "nonce": nonce,
                       "code_challenge": create_s256_code_challenge(verifier),
                       "code_challenge_method": "S256"})
    flow: dict[str, Any] = {"state": state, "nonce": nonce, "verifier": verifier,
                            "until": time.time() + FLOW_SECONDS}
    if page_next is not None:
        flow["next"] = page_next
    return (f"{provider.authorization_endpoint}?{query}",
            _sign(settings, json.dumps(flow).encode()))


def flow_cookie_secure(settings: ApiSettings) -> bool:
    """The flow cookie is ``Secure`` when the provider sends people back over https."""
    return _configured(settings)[1].startswith("https://")


@router.get("/auth/oidc/login", status_code=302,
            responses={**ERROR_RESPONSES, 502: {"model": ErrorOut,
                                                "description": "the provider did not answer"}},
            summary="Sign in at the OpenID Connect provider (a redirect)")
async def oidc_login(request: Request) -> RedirectResponse:
    settings = _services(request).settings
    url, flow = await run_in_threadpool(begin, settings)
    answer = RedirectResponse(url, status_code=302)
    answer.set_cookie(COOKIE, flow, max_age=FLOW_SECONDS, httponly=True,
                      samesite="lax", path="/auth/oidc", secure=flow_cookie_secure(settings))
    return answer


def check_return(settings: ApiSettings, cookie: str | None, state: str, code: str,
                 error: str, *, start: str = START) -> dict[str, Any]:
    """The flow of the sign-in the person comes back from, once the return is this
    sign-in's (the state of its cookie) and holds a code; :class:`ApiError` otherwise."""
    _configured(settings)
    if error:
        raise ApiError(401, f"the provider refused the sign-in: {error}")
    if not cookie:
        raise ApiError(400, f"no sign-in in progress: start at {start}")
    flow = _unsign(settings, cookie, start)
    if not state or not hmac.compare_digest(str(flow.get("state", "")), state):
        raise ApiError(400, "the state does not match this sign-in (start again)")
    if not code:
        raise ApiError(400, "the provider sent no code")
    return flow


def sign_in(services: Services, flow: dict[str, Any], code: str, seconds: int) -> Session:
    """Finish a sign-in: exchange the code (with the flow's PKCE verifier), verify the ID
    token, take the roles from its claim and start a session of ``seconds`` for the user
    ``oidc:<sub>``. Blocking; :class:`ApiError` 401 (not to be trusted) or 403 (no role)."""
    settings = services.settings
    issuer, redirect = _configured(settings)
    try:
        provider = Provider.discover(issuer)
        tokens = httpx.post(provider.token_endpoint, timeout=_TIMEOUT, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
            "code_verifier": flow["verifier"]},
            auth=(settings.oidc_client_id, _secret(settings)))
        if tokens.status_code != 200:
            raise OidcError(f"the token exchange failed ({tokens.status_code}): "
                            f"{tokens.text[:300]}")
        id_token = str(tokens.json().get("id_token") or "")
        if not id_token:
            raise OidcError("the provider sent no ID token")
        claims = verify_id_token(id_token, provider.jwks(), issuer=provider.issuer,
                                 client_id=settings.oidc_client_id,
                                 nonce=str(flow["nonce"]))
    except (OidcError, httpx.HTTPError, ValueError, KeyError) as exc:
        raise ApiError(401, str(exc)) from exc
    roles = roles_from(claims, settings.oidc_role_claim)
    if not roles:
        raise ApiError(403, f"the provider gives {claims['sub']!r} no discreet role "
                            f"(claim {settings.oidc_role_claim!r})")
    with services.gate() as store:
        user = store.users.external(f"oidc:{claims['sub']}", roles)
        session = store.users.start_session(user.name, seconds)
    assert session.token is not None
    return session


@router.get("/auth/oidc/callback", response_model=SessionOut, responses={
    **ERROR_RESPONSES, 303: {"description": "a sign-in the browser pages started: handed on "
                                            f"to {PAGE_CALLBACK} with the same query"}},
            summary="Where the provider sends the person back: a session token")
async def oidc_callback(request: Request,
                        state: Annotated[str, Query(max_length=500)] = "",
                        code: Annotated[str, Query(max_length=4000)] = "",
                        error: Annotated[str, Query(max_length=500)] = "",
                        cookie: Annotated[str | None, Cookie(alias=COOKIE)] = None
                        ) -> Response:
    services = _services(request)
    settings = services.settings
    _configured(settings)
    if state.startswith(PAGE_STATE):  # the pages' own sign-in: their cookie is there
        return RedirectResponse(f"{PAGE_CALLBACK}?{request.url.query}", status_code=303)
    flow = check_return(settings, cookie, state, code, error)
    session = await run_in_threadpool(sign_in, services, flow, code, SESSION_SECONDS)
    assert session.token is not None
    return JSONResponse(SessionOut(token=session.token, expires_at=session.expires_at,
                                   user=session.user.to_dict()).model_dump(mode="json"))
