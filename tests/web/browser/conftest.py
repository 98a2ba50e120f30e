"""A real browser on the real application: Debian's Chromium driven by Playwright.

One uvicorn server on loopback serves ``create_web_app`` over a SQLite store loaded with
the real published lists of ``../shared`` (two OFAC SDN versions, so there is a diff; UN;
UK OFSI, FCDO; EU), one hostile entity whose names are markup, and one person per role
(tests/web/conftest.py's ``PEOPLE``). One Chromium serves the whole session; each test
opens its own contexts (cookie jars), so people never share a session.

Chromium comes from Debian (``scripts/system-deps.sh``) through ``executable_path``:
no ``playwright install``, nothing fetched at run time. axe-core comes from npm, pinned
in ``tests/web/axe/package-lock.json``. Outside CI a machine without them skips with the
reason; in CI (``CI`` set) that is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from discreet.api import ApiSettings
from discreet.lists.load import load_file
from discreet.model import Entity, Name
from discreet.store import Store
from discreet.web import create_web_app
from tests.api.helpers import LiveServer, load_entities
from tests.conftest import ROOT, require_shared, skip_outside_ci
from tests.web.conftest import PASSWORD, PEOPLE

AXE = ROOT / "tests" / "web" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "ui"
LAPTOP = {"width": 1366, "height": 768}
# the lists the store holds: (file under ../shared/fixtures/lists, source or None)
LISTS: tuple[tuple[str, str | None], ...] = (
    ("ofac_sdn_csv/history_jackdwyer/sdn_2024-02-20.csv", "us_ofac_sdn"),
    ("ofac_sdn_csv/history_jackdwyer/sdn_2024-02-23.csv", "us_ofac_sdn"),
    ("un/un_consolidated_2026-02-27.xml", None),
    ("uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv", None),
    ("eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml", None),
    ("uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml", None),
)
# a listed entity whose names are markup: list files are untrusted input. Each variant
# sets a window flag if it ever runs; the word ZORBLAX lets screening find it.
HOSTILE_ID = "hostile-1"
HOSTILE_SOURCE = "zz_hostile"
HOSTILE_NAMES = (
    "Zorblax Quentin <script>window.__pwned = 'script'</script>",
    'Zorblax Quentin <img src="x" onerror="window.__pwned = \'img\'">',
    "Zorblax Quentin \"><svg onload=\"window.__pwned='svg'\">",
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str:
    """Debian's Chromium, or skip (fail in CI) with what to run."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        skip_outside_ci("needs Debian's chromium (bash scripts/system-deps.sh)")
    return found


def hostile_entity() -> Entity:
    entity = Entity(HOSTILE_ID, "Person", source=HOSTILE_SOURCE, authority="ZZ",
                    authority_id=HOSTILE_ID, names=[Name(n) for n in HOSTILE_NAMES])
    entity.nationalities.append("RU")
    return entity.finish()


@pytest.fixture(scope="session")
def browser_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store of the whole session: real lists, the hostile entity, one user per role."""
    shared = require_shared()
    url = str(tmp_path_factory.mktemp("browser") / "web.db")
    with Store.open(url) as store:
        for rel, source in LISTS:
            load_file(store, shared / rel, source=source)
        load_entities(store, HOSTILE_SOURCE, [hostile_entity()])
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
    return url


@pytest.fixture(scope="session")
def server(browser_db: str) -> Iterator[LiveServer]:
    """The application on 127.0.0.1, its index loaded."""
    app = create_web_app(replace(ApiSettings(db=browser_db, poll_seconds=0.5)))
    live = LiveServer(app)
    live.start()
    try:
        assert app.state.services.holder.wait_ready(180), "index did not load"
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (root in CI: no sandbox)."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True,
                                              chromium_sandbox=False,
                                              args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in_page(page: Any, base: str, name: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would (lands on the start page)."""
    page.goto(f"{base}/ui/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")


@pytest.fixture
def open_as(browser: Any, server: LiveServer) -> Iterator[Callable[..., Any]]:
    """``open_as(name)``: a page of a new context (laptop size) signed in as ``name``;
    ``open_as(name, bypass_csp=True)`` for the axe run only (axe is an injected script)."""
    contexts: list[Any] = []

    def make(name: str | None, *, bypass_csp: bool = False, downloads: bool = False) -> Any:
        context = browser.new_context(viewport=LAPTOP, base_url=server.url,
                                      bypass_csp=bypass_csp, accept_downloads=downloads)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms
        if name is not None:
            sign_in_page(page, server.url, name)
        return page

    yield make
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2 A/AA violations axe-core finds on the page."""
    if not AXE.exists():
        skip_outside_ci(f"needs axe-core at {AXE} (bash scripts/system-deps.sh)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Any) -> None:
    found = axe_violations(page)
    assert not found, f"{page.url}: " + json.dumps(found, indent=1, ensure_ascii=False)


def screenshot(page: Any, name: str) -> Path:
    """A laptop-size PNG of the page for docs/ui.md (what a person sees first)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def in_ci() -> bool:
    return bool(os.environ.get("CI"))
