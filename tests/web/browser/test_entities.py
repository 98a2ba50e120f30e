"""Entities and lists in a real Chromium, on the real OFAC SDN files of 2024-02-20 and
2024-02-23 (553 designations between them): find an entity, open it and its history,
the list's versions and the diff between them, and follow the diff to an added entity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.web.browser.conftest import HOSTILE_NAMES, assert_inert, screenshot


def test_entity_page_and_its_history(open_as: Callable[..., Any],
                                     axe: Callable[[str, str], None]) -> None:
    page = open_as("aud")
    page.get_by_role("link", name="Entities", exact=True).click()
    page.fill("#entity-q", "vladimir putin")
    page.press("#entity-q", "Enter")
    page.wait_for_selector("#entity-results")
    axe("aud", page.url)
    page.locator("#entity-results a", has_text="PUTIN").first.click()
    page.wait_for_url("**/ui/entities/ofac-35096")
    assert "PUTIN" in page.locator("h1").inner_text()
    entity = page.locator("#entity").inner_text()
    assert "RUSSIA-EO14024" in entity and "1952" in entity
    screenshot(page, "entity")
    axe("aud", page.url)
    page.click("#history-link")
    page.wait_for_url("**/ui/entities/ofac-35096/history")
    events = page.locator("#history > li")
    assert events.count() >= 1
    assert "us_ofac_sdn" in events.first.inner_text()
    axe("aud", page.url)


def test_list_versions_and_their_diff(open_as: Callable[..., Any],
                                      axe: Callable[[str, str], None]) -> None:
    page = open_as("aud")
    page.get_by_role("link", name="Lists", exact=True).click()
    page.wait_for_selector("#lists")
    axe("aud", page.url)
    page.locator("#lists a", has_text="us_ofac_sdn").click()
    page.wait_for_selector("#versions")
    assert page.locator("#versions tbody tr").count() == 2
    axe("aud", page.url)
    page.get_by_role("link", name="Diff with version 1").click()
    page.wait_for_selector("#diff")
    assert "us_ofac_sdn: version 1 → version 2" in page.locator("h1").inner_text()
    counts = page.locator("#diff ul.counts").inner_text()
    assert all(part in counts for part in ("553 added", "0 removed", "8 changed")), counts
    added = page.locator("table.diff-added tbody tr")
    assert added.count() >= 1
    screenshot(page, "list-diff")
    axe("aud", page.url)
    # an added entity's history says it was listed in version 2
    added.first.locator("a").click()
    page.wait_for_url("**/ui/entities/*")
    page.click("#history-link")
    first_event = page.locator("#history > li").first.inner_text()
    assert "version 2" in first_event, first_event


def test_diff_form_picks_two_versions(open_as: Callable[..., Any]) -> None:
    page = open_as("ana")
    page.goto("/ui/lists/diff")
    page.select_option("#diff-source", "us_ofac_sdn")
    page.locator("#diff-form button[type=submit]").click()
    page.wait_for_url("**/ui/lists/diff?*")
    page.select_option("#diff-from", "1")
    page.select_option("#diff-to", "2")
    page.locator("#diff-form button[type=submit]").click()
    page.wait_for_selector("#diff")
    assert "553 added" in page.locator("#diff ul.counts").inner_text()


def test_hostile_listed_names_stay_text(open_as: Callable[..., Any],
                                        axe: Callable[[str, str], None]) -> None:
    """A list file's names that are markup show as the very characters, run nothing and
    create no element, in the search, the entity page and the screen results."""
    page = open_as("ana")
    for url in ("/ui/entities?q=zorblax", "/ui/entities/hostile-1",
                "/ui/entities/hostile-1/history", "/ui/screen?name=Zorblax+Quentin",
                "/ui/lists/zz_hostile"):
        answer = page.goto(url)
        assert answer.ok, url
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert_inert(page)
        axe("ana", url)  # the same page without the CSP: the escaping alone holds
    page.goto("/ui/entities/hostile-1")
    text = page.locator("#entity").inner_text()
    for name in HOSTILE_NAMES:
        assert name in text, name
    page.goto("/ui/screen?name=Zorblax+Quentin")
    assert HOSTILE_NAMES[0] in page.locator("#results").inner_text()
