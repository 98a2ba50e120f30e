"""Fixtures of the web tests: a small store with one user per role, and the app over it.

``signed_in(name)`` gives a TestClient (https, so the Secure cookie is sent back) whose
browser-like cookie jar holds that person's session, and ``csrf_of(page)`` reads the CSRF
token a page's forms carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from discreet.api import ApiSettings
from discreet.store import Store
from discreet.web import create_web_app
from tests.api.conftest import small_lists

PASSWORD = "a long enough secret"
# name -> roles: one person per role, and a second reviewer for four eyes
PEOPLE: dict[str, tuple[str, ...]] = {
    "ana": ("analyst",), "rui": ("reviewer",), "rita": ("reviewer",),
    "adm": ("admin",), "aud": ("auditor",),
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token the page's forms carry."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def make_web_app(url: str, **overrides: Any) -> FastAPI:
    return create_web_app(replace(ApiSettings(db=url, poll_seconds=0.2), **overrides))


@pytest.fixture
def web_url(tmp_path: Path) -> str:
    """A SQLite store with the small lists and the people above."""
    url = str(tmp_path / "web.db")
    with Store.open(url) as store:
        small_lists(store)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
    return url


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Sign in through the form, as a browser would: the answer to the POST."""
    form = client.get("/ui/login")
    return client.post("/ui/login", data={"name": name, "password": password,
                                          "csrf_token": csrf_of(form.text), "next": "/ui/"},
                       follow_redirects=False)


@pytest.fixture
def web_client(web_url: str) -> Iterator[TestClient]:
    """A browser-like client of the app (not signed in), the index loaded."""
    app = make_web_app(web_url)
    with TestClient(app, base_url="https://testserver") as client:
        assert app.state.services.holder.wait_ready(60), "index did not load"
        yield client


@pytest.fixture
def signed_in(web_url: str) -> Iterator[Callable[[str], TestClient]]:
    """``signed_in(name)``: a client holding ``name``'s session (one client per person)."""
    app = make_web_app(web_url)
    clients: list[TestClient] = []
    with TestClient(app, base_url="https://testserver") as first:
        assert app.state.services.holder.wait_ready(60), "index did not load"

        def make(name: str) -> TestClient:
            client = first if not clients else TestClient(app, base_url="https://testserver")
            clients.append(client)
            answer = sign_in(client, name)
            assert answer.status_code == 303, answer.text
            return client

        yield make
