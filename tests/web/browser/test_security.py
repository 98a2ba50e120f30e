"""Security as the browser sees it: strangers are sent to sign-in from every page, every
page carries the CSP, an analyst is refused the admin and audit pages, a form posted
without its CSRF token (or from another site) changes nothing; axe-core on the
role-restricted pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.api.helpers import LiveServer
from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD

# the main pages, each by the role that uses it
PAGES: dict[str, str] = {
    "/ui/": "adm", "/ui/screen": "ana", "/ui/screen/file": "ana", "/ui/alerts": "rui",
    "/ui/customers": "ana", "/ui/entities?q=putin": "aud", "/ui/lists": "aud",
    "/ui/lists/diff?source=us_ofac_sdn": "aud", "/ui/regimes": "aud",
    "/ui/regimes/dprk": "aud", "/ui/audit": "aud", "/ui/reports": "aud", "/ui/admin": "adm",
}


def test_every_page_sends_strangers_to_sign_in(open_as: Callable[..., Any],
                                               server: LiveServer) -> None:
    page = open_as(None)
    for url in PAGES:
        answer = page.goto(url)
        assert page.url.startswith(f"{server.url}/ui/login?next="), (url, page.url)
        assert answer.ok and page.locator("#password").is_visible()
        assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_every_page_carries_the_csp_and_passes_axe(
        open_as: Callable[..., Any], axe: Callable[[str, str], None]) -> None:
    pages: dict[str, Any] = {}
    for url, who in PAGES.items():
        if who not in pages:
            pages[who] = open_as(who)
        answer = pages[who].goto(url)
        assert answer.ok, (url, answer.status)
        headers = answer.headers
        assert headers["content-security-policy"].startswith("default-src 'none'"), url
        assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
        axe(who, url)
    pages["aud"].goto("/ui/audit")
    screenshot(pages["aud"], "audit")


def test_an_analyst_is_refused_the_admin_and_audit_pages(open_as: Callable[..., Any]) -> None:
    page = open_as("ana")
    nav = page.locator("header nav").inner_text()
    assert "Admin" not in nav and "Audit" not in nav
    for url in ("/ui/admin", "/ui/audit"):
        answer = page.goto(url)
        assert answer.status == 403, url
        assert "403" in page.locator("h1").inner_text()


def test_error_pages_pass_axe(axe: Callable[..., None]) -> None:
    """The refusal and not-found pages are pages too: same checks."""
    axe("ana", "/ui/admin", 403)
    axe("ana", "/ui/no-such-page", 404)
    axe("aud", "/ui/alerts/999999", 404)
    axe("aud", "/ui/lists/diff?source=us_ofac_sdn&from=9&to=1", 404)  # no version 9


def _add_user(page: Any, name: str, *, drop_token: bool) -> None:
    page.goto("/ui/admin")
    form = page.locator("#add-user-form")
    if drop_token:
        form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.fill("#new-name", name)
    page.check("#new-role-analyst")
    page.fill("#new-password", PASSWORD)
    page.fill("#new-password-again", PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_form_without_its_csrf_token_changes_nothing(open_as: Callable[..., Any],
                                                       server: LiveServer) -> None:
    """The admin's own browser posts the add-user form with the token removed: refused,
    and the user is not made; with the token the same form works."""
    page = open_as("adm")
    _add_user(page, "mallory", drop_token=True)
    assert "403" in page.locator("h1").inner_text()
    assert "expired" in page.locator("main").inner_text()
    page.goto("/ui/admin")
    assert "mallory" not in page.locator("#users").inner_text()
    _add_user(page, "newbie", drop_token=False)
    assert "newbie" in page.locator("#users").inner_text()
    newbie = open_as("newbie")
    assert "newbie (analyst)" in newbie.locator(".who").inner_text()


def test_another_site_cannot_post_with_the_session(open_as: Callable[..., Any],
                                                   server: LiveServer) -> None:
    """A page of another site (http://localhost:port is another site than 127.0.0.1)
    posts a form to the application: the SameSite cookie is not sent, nothing changes."""
    page = open_as("adm")
    other = server.url.replace("127.0.0.1", "localhost")
    page.goto(f"{other}/elsewhere")  # a page of the other site (no CSP of ours there)
    page.evaluate("""target => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = target + '/ui/customers/screen';
        document.body.append(form);
        form.submit();
    }""", server.url)
    page.wait_for_url(f"{server.url}/ui/login**")
    # the session cookie stayed home: the application saw a stranger, not the admin
    assert page.locator("#password").is_visible()
    page.goto(f"{server.url}/ui/")
    assert "adm" in page.locator(".who").inner_text()
