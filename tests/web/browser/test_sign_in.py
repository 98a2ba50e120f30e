"""Signing in and the start page in a real Chromium: the session cookie's flags as the
browser keeps them, keyboard-only sign-in, redirects for strangers, the security headers,
axe-core on both pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from discreet.web.pages import Text, templates, text
from tests.api.helpers import LiveServer
from tests.web.browser.conftest import assert_accessible, assert_inert, screenshot
from tests.web.conftest import PASSWORD


def test_sign_in_keeps_a_secure_httponly_cookie_on_loopback(
        open_as: Callable[..., Any], server: LiveServer) -> None:
    page = open_as("ana")
    assert page.url == f"{server.url}/ui/"
    assert page.locator("h1").inner_text() == "Start"
    assert "ana" in page.locator(".who").inner_text()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "discreet_session"]
    # Chromium treats http://127.0.0.1 as a secure context: it keeps a Secure cookie there
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Lax")
    # no script of the page can read it
    assert "discreet_session" not in page.evaluate("document.cookie")
    # the lists in force, from the real files
    table = page.locator("table").inner_text()
    assert "us_ofac_sdn" in table and "un_sc_sanctions" in table
    assert_inert(page)
    screenshot(page, "start")


def test_text_keys_named_like_dict_methods_render_as_text() -> None:
    """The catalogue is a dict: a key such as ``keys`` or ``update`` must still read as
    the text in a template, never as the bound method; ``get`` stays usable."""
    made = Text(keys="K", update="U", items="I")
    shown = templates().from_string("{{ t.keys }} {{ t.update }} {{ t.items }} "
                                    "{{ t.get('none', 'G') }}").render(t=made)
    assert shown == "K U I G"
    catalogue = text()
    used = ["{{ t.%s.%s }}" % (area, key)  # noqa: UP031 (Jinja's braces)
            for area, words in catalogue.items() if isinstance(words, dict)
            for key in words if key in dir(dict)]
    rendered = templates().from_string(" | ".join(used)).render(t=catalogue)
    assert "method" not in rendered and "object at" not in rendered, rendered


def test_keyboard_only_sign_in(open_as: Callable[..., Any], server: LiveServer) -> None:
    """Tab from the top of the page reaches the name, the password and the button, in that
    order; Enter signs in."""
    page = open_as(None)
    page.goto("/ui/login")
    focused: list[str] = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || "
                                     "document.activeElement.tagName"))
        if focused[-1] == "name":
            break
    assert focused[-1] == "name", focused
    page.keyboard.type("rui")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/ui/")
    assert "rui" in page.locator(".who").inner_text()


def test_wrong_password_is_said_and_nobody_is_signed_in(open_as: Callable[..., Any]) -> None:
    page = open_as(None)
    page.goto("/ui/login")
    page.fill("#name", "aud")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    assert "Wrong user name or password" in page.locator("[role=alert]").inner_text()
    assert not [c for c in page.context.cookies() if c["name"] == "discreet_session"]
    screenshot(page, "sign-in")


def test_strangers_are_sent_to_sign_in_and_come_back(open_as: Callable[..., Any],
                                                     server: LiveServer) -> None:
    page = open_as(None)
    answer = page.goto("/ui/entities?q=x")
    assert page.url.startswith(f"{server.url}/ui/login?next=")
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    page.fill("#name", "aud")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ui/entities?q=x")


def test_sign_out_ends_the_session(open_as: Callable[..., Any], server: LiveServer) -> None:
    page = open_as("adm")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{server.url}/ui/login")
    page.goto("/ui/")
    assert page.url.startswith(f"{server.url}/ui/login")


def test_sign_in_and_start_pages_pass_axe(open_as: Callable[..., Any]) -> None:
    page = open_as(None, bypass_csp=True)
    page.goto("/ui/login")
    assert_accessible(page)
    page.fill("#name", "adm")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ui/")
    assert_accessible(page)
