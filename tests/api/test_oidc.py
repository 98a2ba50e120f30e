"""OpenID Connect sign-in against a real provider (npm ``oidc-provider``) on loopback.

The provider is run by node from tests/oidc (installed by ``npm ci`` from the project's
own package-lock, scripts/system-deps.sh); the test walks the whole flow with httpx as a
browser would (login form, consent, redirect back), and the service exchanges the code and
verifies the ID token. No mocks. Bad issuer, audience, nonce, expiry and signature are
refused by the verifier, given a real ID token from the same provider.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import pytest
from fastapi import FastAPI
from joserfc.jwk import RSAKey

from discreet.api.auth_oidc import COOKIE, SECRET_VAR, OidcError, verify_id_token
from discreet.store import Store
from tests.api.conftest import make_app, small_lists
from tests.oidc_service import CLIENT_SECRET, need_provider, provider_and_service


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(service URL, issuer): the provider and the service, each on a free loopback port."""
    need_provider()
    url = str(tmp_path / "o.db")
    with Store.open(url) as store:
        small_lists(store)
        store.users.add("ana", ["analyst"], "a local password!", by="t")
    monkeypatch.setenv(SECRET_VAR, CLIENT_SECRET)

    def app_for(issuer: str, callback: str) -> FastAPI:
        return make_app(url, oidc_issuer=issuer, oidc_client_id="discreet",
                        oidc_role_claim="discreet_roles", oidc_redirect_url=callback)

    with provider_and_service(app_for) as served:
        yield served


def _walk(client: httpx.Client, start: str, login: str, stop_at: str) -> str:
    """Follow redirects and submit the provider's forms (login, then consent) as a browser
    would, until a redirect to ``stop_at``; returns that URL."""
    url, method, data = start, "GET", None  # type: str, str, dict[str, str] | None
    for _ in range(20):
        answer = client.request(method, url, data=data)
        if answer.is_redirect:
            url, method, data = urljoin(url, answer.headers["location"]), "GET", None
            if url.startswith(stop_at):
                return url
            continue
        assert answer.status_code == 200, answer.text[:500]
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', answer.text, re.S)
        assert form, answer.text[:500]
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                                 form.group(2)))
        if "login" in form.group(2) and fields.get("prompt") == "login":
            fields.update({"login": login, "password": "any"})
        url, method, data = urljoin(url, unescape(form.group(1))), "POST", fields
    raise AssertionError("the flow did not come back")


def test_sign_in_through_a_real_provider(service: tuple[str, str]) -> None:
    base, _issuer = service
    with httpx.Client(timeout=30) as client:
        back = _walk(client, f"{base}/auth/oidc/login", "ana", f"{base}/auth/oidc/callback")
        signed = client.get(back)
        assert signed.status_code == 200, signed.text
        token = {"Authorization": f"Bearer {signed.json()['token']}"}
        me = client.get(f"{base}/review/me", headers=token).json()
        assert me == {"name": "oidc:ana", "roles": ["analyst"], "scopes": ["screen"]}
        # the code is spent: the same redirect again is refused, not a second session
        assert client.get(back).status_code == 401
        # a state that is not this sign-in's is refused
        forged = back.replace("state=", "state=x")
        assert client.get(forged).status_code == 400

    with httpx.Client(timeout=30) as client:  # unknown roles dropped, known ones kept
        back = _walk(client, f"{base}/auth/oidc/login", "rui", f"{base}/auth/oidc/callback")
        me = client.get(f"{base}/review/me", headers={
            "Authorization": f"Bearer {client.get(back).json()['token']}"}).json()
        assert me["name"] == "oidc:rui" and me["roles"] == ["reviewer"]

    with httpx.Client(timeout=30) as client:  # a person with no role is refused
        back = _walk(client, f"{base}/auth/oidc/login", "nobody", f"{base}/auth/oidc/callback")
        refused = client.get(back)
        assert refused.status_code == 403 and "no discreet role" in refused.json()["detail"]

    with httpx.Client(timeout=30) as client:  # no cookie, a damaged cookie
        assert client.get(f"{base}/auth/oidc/callback?state=a&code=b").status_code == 400
        client.cookies.set(COOKIE, "garbage.value", domain="127.0.0.1")
        assert client.get(f"{base}/auth/oidc/callback?state=a&code=b").status_code == 400


def test_bad_id_tokens_are_refused(service: tuple[str, str]) -> None:
    base, issuer = service
    with httpx.Client(timeout=30) as client:
        back = _walk(client, f"{base}/auth/oidc/login", "ana", f"{base}/auth/oidc/callback")
        cookie = client.cookies.get(COOKIE)
        assert cookie
        flow = json.loads(base64.urlsafe_b64decode(cookie.split(".")[0]))
        code = parse_qs(urlparse(back).query)["code"][0]
        meta = client.get(f"{issuer}/.well-known/openid-configuration").json()
        tokens = client.post(meta["token_endpoint"], auth=("discreet", CLIENT_SECRET), data={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": f"{base}/auth/oidc/callback", "code_verifier": flow["verifier"]})
        assert tokens.status_code == 200, tokens.text
        id_token = tokens.json()["id_token"]
        jwks = client.get(meta["jwks_uri"]).json()
    good = {"issuer": issuer, "client_id": "discreet", "nonce": flow["nonce"]}
    claims = verify_id_token(id_token, jwks, **good)
    assert claims["sub"] == "ana" and claims["discreet_roles"] == ["analyst"]
    for change, why in (({"issuer": "http://127.0.0.1:1"}, "iss"),
                        ({"client_id": "someone-else"}, "aud"),
                        ({"nonce": "another-nonce"}, "nonce")):
        with pytest.raises(OidcError, match=why):
            verify_id_token(id_token, jwks, **{**good, **change})
    with pytest.raises(OidcError, match="exp"):
        verify_id_token(id_token, jwks, **good, now=int(claims["exp"]) + 3600)
    head, body, signature = id_token.split(".")
    flipped = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    with pytest.raises(OidcError):
        verify_id_token(f"{head}.{body}.{flipped}", jwks, **good)
    stranger = RSAKey.generate_key(2048, parameters={"kid": jwks["keys"][0].get("kid")})
    with pytest.raises(OidcError):
        verify_id_token(id_token, {"keys": [stranger.as_dict(private=False)]}, **good)
    with pytest.raises(OidcError):
        verify_id_token("not.a.token", jwks, **good)
