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

import csv
import io
import json
import random
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
# customers planted in the generated file: (reference, name, birth date, country)
PLANTED = (
    ("C-PUTIN-LAT", "Vladimir Putin", "1952-10-07", "RU"),
    ("C-PUTIN-CYR", "Владимир Путин", "", "RU"),
    ("C-ACADEMY", "Second Academy of Natural Sciences", "", "KP"),
    ("C-HOSTILE", HOSTILE_NAMES[1], "", ""),  # a customer name is untrusted too
)
SYLLABLES = ("bra", "cle", "dov", "fen", "gar", "hul", "jix", "kem", "lon", "mup", "nor",
             "pes", "quor", "rilt", "sab", "tev", "uln", "vas", "wim", "yor", "zed")


def customer_file(rows: int = 200, seed: int = 15) -> bytes:
    """A CSV of ``rows`` customers: invented names around the planted ones, in a fixed
    pseudo-random order (two invented words each, birth dates, countries)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "birth_date", "country"])
    planted = dict(zip(rng.sample(range(rows), len(PLANTED)), PLANTED, strict=True))
    for line in range(rows):
        if line in planted:
            writer.writerow(planted[line])
            continue
        name = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)).title()
                        for _ in range(2))
        born = f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}"
        writer.writerow([f"C{line:04d}", name, born, rng.choice(["FR", "DE", "PT", "JP"])])
    return out.getvalue().encode()


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


@pytest.fixture(scope="session")
def axe(browser: Any, server: LiveServer) -> Iterator[Callable[..., None]]:
    """``axe(name, url, status=200)``: open ``url`` as ``name`` in a context that lets the injected
    axe-core run (``bypass_csp``; used for nothing else) and assert no serious or critical
    WCAG 2 A/AA violation. One such context per person for the session."""
    contexts: dict[str, Any] = {}

    def check(name: str, url: str, status: int = 200) -> None:
        if name not in contexts:
            context = browser.new_context(viewport=LAPTOP, base_url=server.url,
                                          bypass_csp=True)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            sign_in_page(page, server.url, name)
            contexts[name] = page
        page = contexts[name]
        answer = page.goto(url)
        assert answer is not None and answer.status == status, (url, answer and answer.status)
        assert_inert(page)
        assert_rendered(page)
        assert_accessible(page)

    yield check
    for page in contexts.values():
        page.context.close()


def assert_inert(page: Any) -> None:
    """No markup from the data ran or became an element: the hostile names' flag is unset,
    no image or SVG they carry exists, and every script is one of /ui/static.

    Run both under the CSP and in the axe context without it, so the escaping alone is
    tested as well as the CSP behind it."""
    assert page.evaluate("typeof window.__pwned") == "undefined", page.url
    assert page.locator('img[src="x"], svg[onload], [onerror], [onload]').count() == 0
    sources = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
    assert all("/ui/static/" in s for s in sources), (page.url, sources)


# what a template shows when it renders a Python object instead of a text
_LEAKS = ("<built-in method", "<bound method", "<function ", " object at 0x", "Undefined")


def assert_rendered(page: Any) -> None:
    """The page shows words, not Python objects (e.g. a text key named like a dict method)."""
    shown = page.locator("body").inner_text()
    leaked = [leak for leak in _LEAKS if leak in shown]
    assert not leaked, f"{page.url} shows {leaked}"


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

