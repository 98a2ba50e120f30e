"""The regime dashboard in a real Chromium on the real lists: every regime with its
authorities, the charts (SVG images the CSP allows, drawn and sized), their numbers as a
table and CSV, and the drill-down to the entities of one list on one day."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from tests.web.browser.conftest import screenshot


def test_regime_dashboard_and_drill_down(open_as: Callable[..., Any],
                                         axe: Callable[[str, str], None]) -> None:
    page = open_as("aud")
    page.get_by_role("link", name="Regimes", exact=True).click()
    page.wait_for_selector("#regime-list")
    rows = page.locator("#regime-list tbody tr")
    dprk = rows.filter(has_text="DPRK (North Korea)")
    assert "UN" in dprk.inner_text() and "OFAC" in dprk.inner_text()
    # choose DPRK's charts from the table
    dprk.locator("th a").click()
    page.wait_for_url("**/ui/regimes?regime=*")
    assert "DPRK" in page.locator("#charts-title").inner_text()
    for chart in ("#size-chart", "#flows-chart"):
        drawn = page.locator(chart).evaluate(
            "img => img.complete && img.naturalWidth > 100 && img.naturalHeight > 50")
        assert drawn, f"{chart} was not drawn (blocked or broken)"
    sizes = page.locator("#size-table tbody tr")
    assert sizes.count() >= 3  # OFAC, UK, UN at least
    assert "un_sc_sanctions" in page.locator("#size-table").inner_text()
    # the numbers as CSV, as the page offers them
    answer = page.request.get(page.locator("a", has_text="CSV").first.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(answer.text())))
    assert len(table) >= 4, table
    page.locator("#charts").scroll_into_view_if_needed()
    screenshot(page, "regimes")
    axe("aud", page.url)

    # drill down: the entities the UN list had in the regime on a day of the table
    un_row = sizes.filter(has_text="un_sc_sanctions").first
    un_row.locator("a").click()
    page.wait_for_url("**/ui/regimes/*?*")
    entities = page.locator("#regime-entities tbody tr")
    assert entities.count() >= 1
    assert "un_sc_sanctions" in entities.first.inner_text()
    axe("aud", page.url)
    entities.first.locator("a").first.click()
    page.wait_for_url("**/ui/entities/*")
    assert "DPRK" in page.locator("#entity").inner_text()
