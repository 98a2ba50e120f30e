"""The compliance workflow in a real Chromium: an analyst imports a 200-row customer book
(screened at once), decides an alert false positive, has their own approval refused, and
a reviewer approves it (four eyes). Customer and listed names that are markup stay text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.web.browser.conftest import (
    HOSTILE_NAMES,
    assert_inert,
    customer_file,
    screenshot,
)


def _import_book(page: Any) -> str:
    """Import the customer file through the customers page; the report's words."""
    page.goto("/ui/customers")
    page.set_input_files("#import-file", files=[{"name": "book.csv", "mimeType": "text/csv",
                                                 "buffer": customer_file()}])
    assert page.locator("#import-screen").is_checked()
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-report")
    return str(page.locator("#import-report").inner_text())


def _ensure_book(page: Any, open_as: Callable[..., Any]) -> None:
    """Import the book as the analyst unless an earlier test did (tests run alone too)."""
    page.goto("/ui/customers?q=C-HOSTILE")
    if page.locator("#customers tbody a", has_text="C-HOSTILE").count() == 0:
        _import_book(open_as("ana"))


def _open_alert_of(page: Any, ref: str) -> str:
    """Find the customer's alert in the queue by its reference and open it; its URL."""
    page.goto("/ui/alerts")
    page.fill("#f-customer", ref)
    page.locator("#alert-filters button[type=submit]").click()
    page.wait_for_url("**/ui/alerts?*")
    rows = page.locator("#alerts tbody tr")
    assert rows.count() >= 1, page.locator("main").inner_text()
    assert ref in rows.first.inner_text()
    rows.first.get_by_role("link", name="Alert", exact=False).first.click()
    page.wait_for_url("**/ui/alerts/*")
    return str(page.url)


def test_four_eyes_on_a_false_positive(open_as: Callable[..., Any],
                                       axe: Callable[[str, str], None]) -> None:
    ana = open_as("ana")
    report = _import_book(ana)
    facts = dict(zip(ana.locator("#import-report dt").all_inner_texts(),
                     ana.locator("#import-report dd").all_inner_texts(), strict=True))
    assert "200" in facts.values(), facts
    assert "opened" in report
    axe("ana", "/ui/customers")

    url = _open_alert_of(ana, "C-PUTIN-LAT")
    assert "PUTIN" in ana.locator("#side-by-side").inner_text()
    screenshot(ana, "alert")
    axe("ana", url)
    # the analyst decides: false positive, with a reason
    ana.check("#decision-false_positive")
    ana.fill("#decide-note", "Different person: the customer is a namesake born elsewhere.")
    ana.locator("#decide-form button[type=submit]").click()
    ana.wait_for_url("**?done=decided")
    assert "waiting for approval" in ana.locator("#alert-facts").inner_text()
    # their own approval is refused, with the library's words, and nothing changes
    ana.click("#approve-button")
    assert ana.locator("#flash").is_visible()
    refusal = ana.locator("#flash").inner_text()
    assert "ana" in refusal or "own" in refusal or "reviewer" in refusal, refusal
    ana.goto(url)
    assert "waiting for approval" in ana.locator("#alert-facts").inner_text()

    # a second person, a reviewer, approves it
    rui = open_as("rui")
    rui.goto(url)
    assert "ana" in rui.locator("#approve-form").inner_text()
    rui.fill("#approve-note", "Checked the birth date: agreed.")
    rui.click("#approve-button")
    rui.wait_for_url("**?done=approved")
    facts_now = rui.locator("#alert-facts").inner_text()
    assert "waiting for approval" not in facts_now and "false positive" in facts_now
    events = rui.locator("#events").inner_text()
    assert "ana" in events and "rui" in events
    axe("rui", "/ui/alerts")
    screenshot_queue(rui)


def screenshot_queue(page: Any) -> None:
    page.goto("/ui/alerts")
    screenshot(page, "alerts")


def test_hostile_customer_and_listed_names_stay_text_in_the_review_pages(
        open_as: Callable[..., Any], axe: Callable[[str, str], None]) -> None:
    """The hostile customer (planted in the book) matches the hostile entity: its alert
    shows both names side by side, as text."""
    page = open_as("adm")
    _ensure_book(page, open_as)
    url = _open_alert_of(page, "C-HOSTILE")
    side = page.locator("#side-by-side").inner_text()
    assert HOSTILE_NAMES[1] in side, side
    assert_inert(page)
    axe("adm", url)
    for url in ("/ui/alerts?customer=C-HOSTILE", "/ui/customers?q=C-HOSTILE"):
        axe("adm", url)  # the queue and the book name them too
    page.goto("/ui/customers/C-HOSTILE")
    assert HOSTILE_NAMES[1] in page.locator("main").inner_text()
    assert_inert(page)
    axe("adm", "/ui/customers/C-HOSTILE")


def _report(page: Any, ref: str, fmt: str) -> bytes:
    """Download a customer's evidence report through the reports page's form."""
    page.goto("/ui/reports")
    page.fill("#customer-ref", ref)
    page.select_option("#customer-format", fmt)
    try:
        with page.expect_download(timeout=90_000) as download:
            page.locator("#report-customer button[type=submit]").click()
    except Exception:
        raise AssertionError(page.url + "\n" + page.locator("body").inner_text()) from None
    assert download.value.suggested_filename.endswith(f".{fmt}")
    with open(download.value.path(), "rb") as handle:
        return handle.read()


def test_evidence_reports_download_and_keep_hostile_names_inert(
        open_as: Callable[..., Any]) -> None:
    """An auditor downloads a customer's evidence as PDF and as HTML; the HTML report of
    the hostile customer carries its names escaped (it is opened later, outside the
    application's CSP)."""
    page = open_as("aud", downloads=True)
    _ensure_book(page, open_as)
    assert _report(page, "C-PUTIN-LAT", "pdf").startswith(b"%PDF-")
    html = _report(page, "C-HOSTILE", "html").decode("utf-8")
    assert "C-HOSTILE" in html
    assert "<img" not in html and "<svg" not in html and "window.__pwned" in html
    # opened in the browser as a file, with no CSP at all, it runs nothing
    viewer = open_as(None)
    viewer.set_content(html)
    assert_inert(viewer)
