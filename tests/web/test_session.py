"""Sign-in, the session cookie, CSRF, roles and the security headers of every page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from discreet.web.security import CSP
from discreet.web.session import COOKIE
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_pages_without_a_session_lead_to_sign_in(web_client: TestClient) -> None:
    for path in ("/ui/", "/ui/screen", "/ui/alerts", "/ui/admin", "/ui/audit",
                 "/ui/entities", "/ui/lists", "/ui/regimes", "/ui/nowhere?x=1"):
        answer = web_client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/ui/login?next=/ui"), path
    root = web_client.get("/", follow_redirects=False)
    assert root.status_code == 303 and root.headers["location"] == "/ui/"
    assert "/openapi.json" in web_client.get("/api").text  # the endpoint list moved here


def test_sign_in_sets_a_guarded_cookie_and_sign_out_ends_it(web_client: TestClient) -> None:
    answer = sign_in(web_client, "ana")
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/"
    cookie = next(v for k, v in answer.headers.multi_items()
                  if k == "set-cookie" and v.startswith(COOKIE))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax"} <= flags
    home = web_client.get("/ui/")
    assert home.status_code == 200 and "ana" in home.text
    # a POST without the token is refused, and leaves the session alive
    refused = web_client.post("/ui/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert web_client.get("/ui/").status_code == 200
    done = web_client.post("/ui/logout", data={"csrf_token": csrf_of(home.text)},
                           follow_redirects=False)
    assert done.status_code == 303
    assert web_client.get("/ui/", follow_redirects=False).status_code == 303


def test_a_stolen_form_token_of_another_session_is_refused(
        signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    rui = signed_in("rui")
    ana_token = csrf_of(ana.get("/ui/").text)
    assert rui.post("/ui/logout", data={"csrf_token": ana_token},
                    follow_redirects=False).status_code == 403


def test_wrong_passwords_are_slowed_and_said_plainly(web_client: TestClient) -> None:
    for _ in range(5):
        wrong = sign_in(web_client, "ana", "not the password")
        assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    held = sign_in(web_client, "ana", PASSWORD)  # even the right one waits now
    assert held.status_code == 429 and int(held.headers["retry-after"]) > 0
    assert sign_in(web_client, "rui").status_code == 303  # nobody else is held up


def test_sign_in_form_needs_its_own_token_and_next_stays_on_this_site(
        web_client: TestClient) -> None:
    web_client.get("/ui/login")
    forged = web_client.post("/ui/login", data={"name": "ana", "password": PASSWORD,
                                                "csrf_token": "x" * 40},
                             follow_redirects=False)
    assert forged.status_code == 403
    form = web_client.get("/ui/login?next=https://evil.example/")
    assert "evil.example" not in form.text
    answer = web_client.post("/ui/login", data={
        "name": "ana", "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "//evil.example/ui"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/"


def test_every_page_carries_the_security_headers(web_client: TestClient) -> None:
    for path in ("/ui/login", "/ui/static/app.css"):
        answer = web_client.get(path)
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert web_client.get("/ui/login").headers["cache-control"] == "no-store"
    # the API's answers are the API's (JSON, no page headers needed there)
    assert web_client.get("/healthz").json() == {"status": "ok"}


def test_an_error_page_has_the_api_words(signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    missing = ana.get("/ui/no/such/page")
    assert missing.status_code == 404 and "404" in missing.text
    assert "<html" in missing.text and missing.headers["content-type"].startswith("text/html")


def test_an_analyst_cannot_reach_admin_pages(signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    home = ana.get("/ui/")
    assert 'href="/ui/admin"' not in home.text and 'href="/ui/screen"' in home.text


def test_an_idle_session_ends_and_a_used_one_slides_up_to_its_limit(
        web_url: str, web_client: TestClient) -> None:
    from datetime import datetime, timedelta

    from discreet.store import Store
    from discreet.web.session import IDLE_SECONDS, MAX_SECONDS

    with Store.open(web_url) as store:
        idle = store.users.start_session("ana", -1)  # its idle time is over
        used = store.users.start_session("rui", 30)  # about to time out, but in use
        assert idle.token and used.token
        # sliding: extended to the idle time-out, never past the absolute limit
        slid = store.users.extend_session(used.token, IDLE_SECONDS, MAX_SECONDS)
        assert slid is not None
        left = datetime.fromisoformat(slid.expires_at) - datetime.now(
            datetime.fromisoformat(slid.expires_at).tzinfo)
        assert timedelta(seconds=IDLE_SECONDS - 60) < left <= timedelta(seconds=IDLE_SECONDS)
        capped = store.users.extend_session(used.token, IDLE_SECONDS, 10)
        assert capped is not None
        capped_left = datetime.fromisoformat(capped.expires_at) - datetime.now(
            datetime.fromisoformat(capped.expires_at).tzinfo)
        assert capped_left <= timedelta(seconds=10)
        assert store.users.extend_session(idle.token, IDLE_SECONDS, MAX_SECONDS) is None
        fresh = store.users.start_session("rui", 30)
        assert fresh.token
    web_client.cookies.set(COOKIE, idle.token, domain="testserver.local")
    answer = web_client.get("/ui/alerts", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/ui/login")
    web_client.cookies.clear()
    web_client.cookies.set(COOKIE, fresh.token, domain="testserver.local")
    assert web_client.get("/ui/", follow_redirects=False).status_code == 200
    with Store.open(web_url) as store:  # the page slid it to the idle time-out
        live = store.users.session(fresh.token)
        assert live is not None
        assert datetime.fromisoformat(live.expires_at) > datetime.now(
            datetime.fromisoformat(live.expires_at).tzinfo) + timedelta(seconds=IDLE_SECONDS - 120)


def test_an_error_written_below_the_pages_is_shown_as_a_page(web_url: str) -> None:
    """The body limit answers before any route: for a page, its 413 is still a page with
    the API's words (an upload sent without the page's script), and the API keeps JSON."""
    from tests.web.conftest import make_web_app

    app = make_web_app(web_url, max_body_bytes=64 * 1024)
    with TestClient(app, base_url="https://testserver") as client:
        big = {"file": ("book.csv", b"id,name\n" + b"1,x\n" * 40_000, "text/csv")}
        page = client.post("/ui/screen/file", files=big, follow_redirects=False)
        assert page.status_code == 413
        assert page.headers["content-type"].startswith("text/html")
        assert "65536 bytes" in page.text and "<html" in page.text
        assert page.headers["content-security-policy"] == CSP
        api = client.post("/match/default", content=b"{" + b" " * 70_000 + b"}",
                          headers={"content-type": "application/json"})
        assert api.status_code == 413 and api.json()["status"] == 413
        # a JSON answer a page's script reads stays JSON when it is no error
        assert client.get("/healthz").json() == {"status": "ok"}
