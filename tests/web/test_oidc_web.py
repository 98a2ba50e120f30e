"""OpenID Connect sign-in from the browser pages, against the real provider the API's test
runs (npm ``oidc-provider`` in tests/oidc) and a real uvicorn server on loopback: one
redirect URL (the API's callback) serves the JSON flow and the pages' flow, and the pages'
flow ends with the pages' session cookie and the page the person was going to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi import FastAPI

from discreet.api.auth_oidc import PAGE_COOKIE, PAGE_STATE, SECRET_VAR
from discreet.store import Store
from discreet.web.session import COOKIE, IDLE_SECONDS
from tests.api.conftest import small_lists
from tests.api.test_oidc import _walk
from tests.oidc_service import CLIENT_SECRET, need_provider, provider_and_service
from tests.web.conftest import make_web_app


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(service URL, store URL): the provider and the pages, each on a loopback port."""
    need_provider()
    url = str(tmp_path / "o.db")
    with Store.open(url) as store:
        small_lists(store)
    monkeypatch.setenv(SECRET_VAR, CLIENT_SECRET)

    def app_for(issuer: str, callback: str) -> FastAPI:
        return make_web_app(url, oidc_issuer=issuer, oidc_client_id="discreet",
                            oidc_role_claim="discreet_roles", oidc_redirect_url=callback)

    with provider_and_service(app_for) as (base, _issuer):
        yield base, url


def _session_cookie(answer: httpx.Response) -> tuple[str, set[str]]:
    """The pages' session token the answer sets, and the cookie's flags."""
    for key, value in answer.headers.multi_items():
        if key == "set-cookie" and value.startswith(COOKIE + "="):
            parts = [p.strip() for p in value.split(";")]
            return parts[0].split("=", 1)[1], {p.lower() for p in parts[1:]}
    raise AssertionError(f"no session cookie in {answer.headers}")


def test_the_pages_sign_in_at_the_provider(served: tuple[str, str]) -> None:
    base, url = served
    with httpx.Client(timeout=30) as client:
        # the sign-in page offers it, keeping where the person was going
        form = client.get(f"{base}/ui/login", params={"next": "/ui/regimes"})
        assert 'href="/ui/login/oidc?next=%2Fui%2Fregimes"' in form.text
        start = client.get(f"{base}/ui/login/oidc", params={"next": "/ui/regimes"})
        assert start.status_code == 303
        assert parse_qs(urlparse(start.headers["location"]).query)["state"][0].startswith(
            PAGE_STATE)
        back = _walk(client, f"{base}/ui/login/oidc?next=/ui/regimes", "ana",
                     f"{base}/auth/oidc/callback")
        # the one redirect URL hands the pages' return on to the pages' callback
        handed = client.get(back)
        assert handed.status_code == 303
        assert handed.headers["location"].startswith("/ui/login/oidc/callback?")
        done = client.get(f"{base}{handed.headers['location']}")
        assert done.status_code == 303 and done.headers["location"] == "/ui/regimes"
        token, flags = _session_cookie(done)
        assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
        assert client.cookies.get(PAGE_COOKIE) is None  # the flow's cookie is gone
        # the cookie is a page session of the person oidc:ana, with their role
        page = httpx.get(f"{base}/ui/", headers={"Cookie": f"{COOKIE}={token}"}, timeout=30)
        assert page.status_code == 200 and "oidc:ana" in page.text and "analyst" in page.text
        with Store.open(url) as store:
            live = store.users.extend_session(token, IDLE_SECONDS, IDLE_SECONDS)
            assert live is not None and live.user.name == "oidc:ana"
        # the code is spent: the same return again is refused, as a page
        again = client.get(f"{base}{handed.headers['location']}")
        assert again.status_code in (400, 401)
        assert again.headers["content-type"].startswith("text/html")


def test_the_json_flow_still_answers_a_token(served: tuple[str, str]) -> None:
    base, _url = served
    with httpx.Client(timeout=30) as client:
        back = _walk(client, f"{base}/auth/oidc/login", "rui", f"{base}/auth/oidc/callback")
        assert not parse_qs(urlparse(back).query)["state"][0].startswith(PAGE_STATE)
        signed = client.get(back)
        assert signed.status_code == 200 and signed.json()["user"]["name"] == "oidc:rui"


def test_refusals_are_pages_with_the_api_words(served: tuple[str, str]) -> None:
    base, _url = served
    with httpx.Client(timeout=30) as client:  # a person with no role
        back = _walk(client, f"{base}/ui/login/oidc", "nobody", f"{base}/auth/oidc/callback")
        refused = client.get(back, follow_redirects=True)
        assert refused.status_code == 403 and "no discreet role" in refused.text
        assert refused.headers["content-type"].startswith("text/html")
        assert COOKIE not in refused.headers.get("set-cookie", "")
    with httpx.Client(timeout=30) as client:  # a return that is not this browser's
        back = _walk(client, f"{base}/ui/login/oidc", "ana", f"{base}/auth/oidc/callback")
        forged = back.replace(f"state={PAGE_STATE}", f"state={PAGE_STATE}x")
        answer = client.get(forged, follow_redirects=True)
        assert answer.status_code == 400 and "state does not match" in answer.text
    with httpx.Client(timeout=30) as client:  # no sign-in in progress, a damaged cookie
        lost = client.get(f"{base}/ui/login/oidc/callback?state={PAGE_STATE}a&code=b")
        assert lost.status_code == 400 and "/ui/login/oidc" in lost.text
        client.cookies.set(PAGE_COOKIE, "garbage.value", domain="127.0.0.1",
                           path="/ui/login/oidc")
        damaged = client.get(f"{base}/ui/login/oidc/callback?state={PAGE_STATE}a&code=b")
        assert damaged.status_code == 400 and "damaged" in damaged.text
        denied = client.get(f"{base}/auth/oidc/callback",
                            params={"state": PAGE_STATE + "a", "error": "access_denied"},
                            follow_redirects=True)
        assert denied.status_code == 401 and "access_denied" in denied.text
    with httpx.Client(timeout=30) as client:  # next never leads to another site
        back = _walk(client, f"{base}/ui/login/oidc?next=https://evil.example/",
                     "ana", f"{base}/auth/oidc/callback")
        handed = client.get(back)
        done = client.get(f"{base}{handed.headers['location']}")
        assert done.status_code == 303 and done.headers["location"] == "/ui/"


def test_without_a_provider_the_page_says_so(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    url = str(tmp_path / "none.db")
    with Store.open(url) as store:
        small_lists(store)
    with TestClient(make_web_app(url), base_url="https://testserver") as client:
        answer = client.get("/ui/login/oidc")
        assert answer.status_code == 404 and "not configured" in answer.text
        assert answer.headers["content-type"].startswith("text/html")
