"""Screening in a real Chromium: one name in Cyrillic against the real lists, with the
word alignment drawn; a 200-row customer file uploaded, screened in the background (the
progress page polls under the strict CSP) and its alerts downloaded."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from tests.web.browser.conftest import PLANTED, customer_file, screenshot


def test_screen_a_cyrillic_name_shows_putin_with_the_aligned_words(
        open_as: Callable[..., Any], axe: Callable[[str, str], None]) -> None:
    page = open_as("ana")
    page.get_by_role("link", name="Screen", exact=True).click()
    page.fill("#screen-form #name", "Владимир Путин")
    page.press("#screen-form #name", "Enter")
    page.wait_for_selector("#results")
    first = page.locator("#results article.hit").first
    assert "PUTIN" in first.locator("h3").inner_text()
    assert "Alert" in first.locator(".hit-score").inner_text()
    rows = [[cell.strip() for cell in row.split("\t")]
            for row in first.locator("table.align tbody tr").all_inner_texts()]
    words = {(row[0].split()[0], row[2]) for row in rows}
    assert {("Владимир", "Vladimir"), ("Путин", "PUTIN")} <= words, rows
    assert all("another script" in row[1] for row in rows), rows
    assert "RUSSIA-EO14024" in first.locator("dl.facts").inner_text()
    sources = first.locator("table.sources tbody").inner_text()
    assert "us_ofac_sdn" in sources and "35096" in sources
    first.evaluate("hit => hit.scrollIntoView()")  # the picture shows the alignment
    screenshot(page, "screen")
    # the listed entity's page is one click away
    first.locator("h3 a").click()
    page.wait_for_url("**/ui/entities/**")
    assert "PUTIN" in page.locator("h1").inner_text()
    axe("ana", "/ui/screen?" + urlencode({"name": "Владимир Путин"}))


def test_a_name_that_matches_nothing_says_so(open_as: Callable[..., Any]) -> None:
    page = open_as("rui")
    page.goto("/ui/screen")
    page.fill("#screen-form #name", "Qwxyzzy Plonkt")
    page.press("#screen-form #name", "Enter")
    page.wait_for_selector("#results")
    assert page.locator("#results article.hit").count() == 0
    assert "No listed entity" in page.locator("#results").inner_text()


def test_upload_a_customer_file_and_download_its_alerts(
        open_as: Callable[..., Any], axe: Callable[[str, str], None]) -> None:
    body = customer_file()
    assert body.count(b"\n") == 201
    page = open_as("ana", downloads=True)
    page.goto("/ui/screen/file")
    axe("ana", "/ui/screen/file")
    page.set_input_files("#file", files=[{"name": "customers.csv", "mimeType": "text/csv",
                                          "buffer": body}])
    page.click("#file-form button[type=submit]")
    page.wait_for_url("**/ui/screen/file/*")
    # the page polls the job (static/app.js) and reloads itself when it is done
    page.wait_for_selector("#job-results", timeout=120_000)
    figure = {key: int(page.locator(f"#count-{key} .figure").inner_text().replace(",", ""))
              for key in ("rows", "screened", "rows_with_alerts", "alerts", "rejected")}
    assert (figure["rows"], figure["screened"], figure["rejected"]) == (200, 200, 0), figure
    with page.expect_download() as download:
        page.click("#download-alerts")
    path = download.value.path()
    assert download.value.suggested_filename == "customers-alerts.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        alerts = list(csv.DictReader(handle))
    alerted = {row["input_id"] for row in alerts}
    assert {ref for ref, *_ in PLANTED} <= alerted, alerted
    assert len(alerts) == figure["alerts"] and len(alerted) == figure["rows_with_alerts"]
    by_ref = {row["input_id"]: row for row in alerts if row["rank"] == "1"}
    assert "PUTIN" in by_ref["C-PUTIN-LAT"]["caption"]
    assert "PUTIN" in by_ref["C-PUTIN-CYR"]["caption"]
    assert by_ref["C-HOSTILE"]["entity_id"] == "hostile-1"
    screenshot(page, "screen-file")
    axe("ana", page.url)
