"""The entity and lists pages: search, one entity, its history, versions and diffs.

The store holds the small lists, then a second version of the OFAC list (entities
changed, one removed, one added whose name is a script tag), a source whose ids hold
``/``, ``:``, ``%`` and ``/history``, a same-as link and a source whose diff needs two
pages, all before the app starts. The pages only read, so one app serves the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from discreet.model import Address, Identifier, Link, Name
from discreet.store import SameAs, Store
from discreet.web.routes_entities import entity_href
from tests.api.conftest import small_lists
from tests.api.helpers import load_entities, org, person
from tests.web.conftest import PASSWORD, PEOPLE, make_web_app, sign_in

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ODD_IDS = ("cust:1/a", "a/history", "50%off x", "deep/er/still:1")


def _inert(html: str) -> None:
    """The hostile name is on the page, escaped, and never as markup."""
    assert ESCAPED in html
    assert HOSTILE not in html and "<script>alert" not in html


def _fill(url: str) -> None:
    """The small lists and their people, a second OFAC version, odd ids, a same-as link
    and a source with a large diff."""
    putin = person("ofac-1", "Vladimir Vladimirovich PUTIN", "us_ofac_sdn", "1952-10-07", "ru")
    putin.names.append(Name("Владимир Путин", "alias", script="Cyrillic"))
    putin.names.append(Name("PUTIN, Vladimir", "weak"))
    putin.programmes.append("UKRAINE-EO13660")
    putin.identifiers.append(Identifier("passport", "P-123 456", "ru"))
    putin.addresses.append(Address("Kremlin, Moscow", city="Moscow", country="ru"))
    rosneft = org("ofac-3", "ROSNEFT OIL COMPANY", "us_ofac_sdn", "ru", schema="Company")
    rosneft.links.append(Link("Linked To", "ofac-1", True))
    rosneft.links.append(Link("Owned By", "Some Holding Named Only", False))
    rosneft.links.append(Link("Associated With", "viktor fedorovych YANUKOVYCH", False))
    rosneft.links.append(Link("Linked To", "Twin Name", False))  # two bear it: stays a name
    with Store.open(url) as store:
        small_lists(store)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
        load_entities(store, "us_ofac_sdn", [
            putin, rosneft,
            person("ofac-4", "Viktor Fedorovych YANUKOVYCH", "us_ofac_sdn", "1950-07-09",
                   "ua"),
            person("ofac-9", HOSTILE, "us_ofac_sdn", "1970", "ru"),
        ])  # ofac-2 removed, ofac-1 and ofac-3 changed, ofac-9 added
        load_entities(store, "xx_odd_ids", [
            *(person(eid, f"Odd Person {n}", "xx_odd_ids") for n, eid in enumerate(ODD_IDS)),
            person("twin-1", "Twin Name", "xx_odd_ids"),
            person("twin-2", "TWIN NAME", "xx_odd_ids")])
        store.replace_proposed_links([SameAs("ofac-1", "un-2", "name", 0.96,
                                             ("names agree", "birth years close"))])
        load_entities(store, "xx_big", [person("big-0", "Person Number 0", "xx_big")])
        load_entities(store, "xx_big", [person(f"big-{n}", f"Person Number {n}", "xx_big")
                                        for n in range(160)])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI]]:
    """One store and one app for the whole file: the pages here only read."""
    url = str(tmp_path_factory.mktemp("entities") / "web.db")
    _fill(url)
    app = make_web_app(url)
    with TestClient(app, base_url="https://testserver"):
        assert app.state.services.holder.wait_ready(60), "index did not load"
        yield url, app


@pytest.fixture(scope="module")
def signed_in(site: tuple[str, FastAPI]) -> Iterator[Callable[[str], TestClient]]:
    """``signed_in(name)``: a client holding ``name``'s session, one per person."""
    clients: dict[str, TestClient] = {}

    def make(name: str) -> TestClient:
        if name not in clients:
            client = TestClient(site[1], base_url="https://testserver")
            assert sign_in(client, name).status_code == 303
            clients[name] = client
        return clients[name]

    yield make


@pytest.fixture(scope="module")
def two_versions(site: tuple[str, FastAPI]) -> str:
    return site[0]


def test_entity_page_shows_everything_the_list_states(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/entities/ofac-1")
    assert page.status_code == 200
    html = page.text
    assert 'id="entity"' in html and "Vladimir Vladimirovich PUTIN" in html
    assert "Владимир Путин" in html and "Cyrillic" in html and "original script" in html
    assert "weak alias" in html and "primary name" in html
    assert "P-123 456" in html and "Kremlin, Moscow" in html and "1952-10-07" in html
    # the programme with its regime and legal basis from the catalogue
    assert "UKRAINE-EO13660" in html and "Executive Order 13660" in html
    assert "Russia" in html  # the regime's name
    # ROSNEFT names PUTIN: the relationship shows on both pages
    assert 'href="/ui/entities/ofac-3"' in html and "ROSNEFT OIL COMPANY" in html
    rosneft = ana.get("/ui/entities/ofac-3").text
    assert 'href="/ui/entities/ofac-1"' in rosneft and "Some Holding Named Only" in rosneft
    # a relationship stated by name is resolved when one listed entity bears the name
    assert 'href="/ui/entities/ofac-4"' in rosneft and "Twin Name" in rosneft
    assert "twin-1" not in rosneft and "twin-2" not in rosneft
    assert 'href="/ui/entities/ofac-3"' in ana.get("/ui/entities/ofac-4").text
    # the same party on the UN list, with the link's basis and evidence
    assert 'href="/ui/entities/un-2"' in html and "Vladimir PUTINOV" in html
    assert "names agree" in html and "0.96" in html
    assert 'href="/ui/entities/ofac-1"' in ana.get("/ui/entities/un-2").text
    assert 'href="/ui/entities/ofac-1/history"' in html


def test_a_delisted_entity_opens_as_last_listed(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("aud").get("/ui/entities/ofac-2")
    assert page.status_code == 200
    assert "BANCO NACIONAL DE CUBA" in page.text and "no longer listed" in page.text


def test_history_lists_listing_changes_with_old_and_new_values_and_delisting(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/entities/ofac-1/history")
    assert page.status_code == 200
    history = page.text[page.text.index('id="history"'):]
    assert history.index("listed") < history.index("changed")
    # the new names and programme are marked as added on the new side
    assert "Владимир Путин" in history and "UKRAINE-EO13660" in history
    assert re.search(r'class="came">.*?added.*?UKRAINE-EO13660', history, re.S)
    assert "/ui/lists/diff?source=us_ofac_sdn&amp;to=2" in history
    assert '<a href="/ui/lists/us_ofac_sdn">version 1</a>' in history  # no diff before it
    gone = ana.get("/ui/entities/ofac-2/history").text
    assert "delisted" in gone[gone.index('id="history"'):]


def test_ids_with_slashes_colons_and_percent_signs(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    for n, eid in enumerate(ODD_IDS):
        href = entity_href(eid)
        assert "/" not in href[len("/ui/entities/"):]  # every slash of the id is quoted
        page = ana.get(href)
        assert page.status_code == 200, eid
        assert f"Odd Person {n}" in page.text and 'id="entity"' in page.text
        history = ana.get(href + "/history")
        assert history.status_code == 200 and 'id="history"' in history.text, eid
        assert f"Odd Person {n}" in history.text
    # typed by hand, unquoted, the id still opens
    assert "Odd Person 3" in ana.get("/ui/entities/deep/er/still:1").text
    # the entity "a/history" is not the history of an entity "a"
    assert 'id="entity"' in ana.get("/ui/entities/a%2Fhistory").text
    missing = ana.get("/ui/entities/a/history")
    assert missing.status_code == 404 and "no entity &#39;a&#39; in any" in missing.text
    # an exact id finds the entity in the search
    found = ana.get("/ui/entities", params={"q": "cust:1/a"})
    assert entity_href("cust:1/a") in found.text


def test_search_pages_and_filters(two_versions: str,
                                  signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/entities", params={"q": "vladimir"})
    assert page.status_code == 200
    assert 'id="entity-search"' in page.text and 'id="entity-results"' in page.text
    assert "/ui/entities/ofac-1" in page.text and "/ui/entities/un-2" in page.text
    only_un = ana.get("/ui/entities", params={"q": "vladimir", "source": "un_sc_sanctions"})
    assert "/ui/entities/un-2" in only_un.text and "/ui/entities/ofac-1" not in only_un.text
    nothing = ana.get("/ui/entities", params={"q": "zzzzqqq"})
    assert "No listed entity" in nothing.text
    gone = ana.get("/ui/entities", params={"q": "ofac-2"})  # delisted, found by its id
    assert 'id="entity-gone"' in gone.text and "BANCO NACIONAL DE CUBA" in gone.text
    assert ana.get("/ui/entities", params={"offset": -1}).status_code == 422


def test_lists_and_versions(two_versions: str,
                            signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/lists")
    assert page.status_code == 200 and 'id="lists"' in page.text
    assert 'href="/ui/lists/us_ofac_sdn"' in page.text and "un_sc_sanctions" in page.text
    with Store.open(two_versions) as store:
        versions = store.versions("us_ofac_sdn")
    source = ana.get("/ui/lists/us_ofac_sdn").text
    for version in versions:
        assert version.sha256 in source  # the content hash of each version
    assert source.count("✓ active") == 1
    assert "/ui/lists/diff?source=us_ofac_sdn&amp;from=1&amp;to=2" in source
    assert 'id="diff-form"' in source
    missing = ana.get("/ui/lists/no_such_list")
    assert missing.status_code == 404 and "no_such_list" in missing.text


def test_diff_shows_added_removed_and_changed_with_old_and_new_values(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/lists/diff", params={"source": "us_ofac_sdn", "from": 1, "to": 2})
    assert page.status_code == 200
    diff = page.text[page.text.index('id="diff"'):]
    assert "1 added" in diff and "1 removed" in diff and "2 changed" in diff
    assert "BANCO NACIONAL DE CUBA" in diff  # removed
    assert "ROSNEFT OIL COMPANY" in diff and "Linked To" in diff  # changed: its links
    assert "Владимир Путин" in diff and "P-123 456" in diff
    _inert(diff)  # the added entity's hostile name
    # the default is the active version against the one before it
    default = ana.get("/ui/lists/diff", params={"source": "us_ofac_sdn"})
    assert "version 1 → version 2" in default.text
    # the reverse direction swaps added and removed
    back = ana.get("/ui/lists/diff", params={"source": "us_ofac_sdn", "from": 2, "to": 1})
    assert "1 added" in back.text and "BANCO NACIONAL DE CUBA" in back.text
    form = ana.get("/ui/lists/diff")
    assert form.status_code == 200 and 'id="diff-form"' in form.text


def test_bad_diff_requests_are_clear_4xx_pages(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    wrong = ana.get("/ui/lists/diff", params={"source": "us_ofac_sdn", "from": 7})
    assert wrong.status_code == 404 and "has no version 7" in wrong.text
    assert 'id="diff-form"' in wrong.text  # the form stays to try again
    word = ana.get("/ui/lists/diff", params={"source": "us_ofac_sdn", "to": "latest"})
    assert word.status_code == 422 and "latest is not a version number" in word.text
    unknown = ana.get("/ui/lists/diff", params={"source": "nope"})
    assert unknown.status_code == 404 and "no source named nope" in unknown.text
    huge = ana.get("/ui/lists/diff", params={"source": "x" * 500})
    assert huge.status_code == 422


def test_a_large_diff_is_paged(signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    first = ana.get("/ui/lists/diff", params={"source": "xx_big"})
    assert "159 added" in first.text and "Rows 1 to 100 of 159" in first.text
    assert first.text.count("Person Number") == 100
    nxt = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert nxt is not None
    second = ana.get(nxt.group(1).replace("&amp;", "&"))
    assert "Rows 101 to 159 of 159" in second.text
    assert second.text.count("Person Number") == 59
    assert 'rel="next"' not in second.text


def test_a_hostile_name_is_inert_on_every_page(
        two_versions: str, signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    for path in ("/ui/entities/ofac-9", "/ui/entities/ofac-9/history",
                 "/ui/entities?q=alert", "/ui/lists/diff?source=us_ofac_sdn"):
        page = ana.get(path)
        assert page.status_code == 200, path
        _inert(page.text)


def test_unknown_entities_are_404_pages(two_versions: str,
                                        signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    for path in ("/ui/entities/nobody-here", "/ui/entities/nobody-here/history",
                 "/ui/entities/" + "x" * 300, "/ui/entities/%3Cscript%3E"):
        page = ana.get(path)
        assert page.status_code == 404, path
        assert "<h1>404" in page.text and "<script>" not in page.text.split("<main")[1]


def test_the_same_pages_on_postgresql(pg_url: str) -> None:
    """Entity, history (an id with a slash) and diff read the same from PostgreSQL."""
    _fill(pg_url)
    app = make_web_app(pg_url)
    with TestClient(app, base_url="https://testserver") as client:
        assert app.state.services.holder.wait_ready(60), "index did not load"
        assert sign_in(client, "aud").status_code == 303
        page = client.get("/ui/entities/ofac-1")
        assert page.status_code == 200 and "UKRAINE-EO13660" in page.text
        assert 'href="/ui/entities/un-2"' in page.text
        history = client.get(entity_href("cust:1/a") + "/history")
        assert history.status_code == 200 and "Odd Person 0" in history.text
        diff = client.get("/ui/lists/diff", params={"source": "us_ofac_sdn"})
        assert "1 added" in diff.text and "1 removed" in diff.text and "2 changed" in diff.text
        _inert(diff.text)
