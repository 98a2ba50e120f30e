"""The regime pages over our own small dated lists (tests/fixtures/regimes: UN, OFAC and
OFSI versions from 2020 to 2023, linked), plus a later OFAC version naming a hostile
``<script>`` entity: the dashboard, its charts (SVG under the CSP, no script), the numbers
as a table and as CSV (the same numbers), and the drill-down to the entities."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from collections.abc import Callable, Iterator
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from discreet.lists.load import load_file
from discreet.store import Store
from discreet.store.regimes import forget_facts
from discreet.web.routes_regimes import year_before
from discreet.web.security import CSP
from tests.regimes.test_analytics import SMALL, link, load_small
from tests.web.conftest import PASSWORD, PEOPLE, make_web_app, sign_in

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def regime_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The app over a store with three lists, their histories and a fourth OFAC version
    (2024) that designates a hostile name under RUSSIA-EO14024 (built once: the pages
    only read it)."""
    forget_facts()
    tmp_path = tmp_path_factory.mktemp("regimes")
    url = str(tmp_path / "regimes.db")
    later = tmp_path / "ofac_2024-02-01"
    later.mkdir()
    shutil.copy(SMALL / "ofac_2023-06-01" / "sdn.csv", later / "sdn.csv")
    with (later / "sdn.csv").open("a", encoding="utf-8") as out:
        out.write('299,"' + HOSTILE + '","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- '
                  ',-0- ,-0- ,-0- ,-0- \n')
    with Store.open(url) as store:
        load_small(store)
        load_file(store, later / "sdn.csv", force=True, published="2024-02-01")
        link(store)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
    app = make_web_app(url)
    with TestClient(app, base_url="https://testserver"):
        assert app.state.services.holder.wait_ready(60), "index did not load"
        yield app


@pytest.fixture
def regime_client(regime_app: FastAPI) -> Callable[[str], TestClient]:
    """``client(name)``: a browser of its own, signed in as ``name``."""

    def make(name: str) -> TestClient:
        client = TestClient(regime_app, base_url="https://testserver")
        assert sign_in(client, name).status_code == 303
        return client

    return make


def _table(html: str, table_id: str) -> list[list[str]]:
    """The cells of a table's body rows, as text."""
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert found, table_id
    body = found.group(1).split("<tbody>", 1)[1]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_dashboard_lists_regimes_and_charts_the_chosen_one(
        regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    page = ana.get("/ui/regimes", params={"regime": "russia-ukraine"})
    assert page.status_code == 200, page.text
    html = page.text
    assert 'id="regimes"' in html and html.count("<h1") == 1
    summary = {row[0].split(" ✓")[0]: row for row in _table(html, "regime-list")}
    russia = next(row for name, row in summary.items() if "Russia" in name)
    assert russia[2] == "OFAC 5, UK 5" and russia[3] == "10"
    # the size chart's numbers: one row per version of each list, counted by hand
    size = _table(html, "size-table")
    counts = {(r[1], r[2]): int(r[4]) for r in size}
    assert counts == {("gb_hmt_sanctions", "2021-06-01"): 2,
                      ("gb_hmt_sanctions", "2022-06-01"): 4,
                      ("gb_hmt_sanctions", "2023-06-01"): 5,
                      ("us_ofac_sdn", "2021-01-10"): 4, ("us_ofac_sdn", "2022-03-01"): 4,
                      ("us_ofac_sdn", "2023-06-01"): 4, ("us_ofac_sdn", "2024-02-01"): 5}
    # the CSV holds the same numbers as the table
    sized = ana.get("/ui/regimes/russia-ukraine/size.csv")
    assert sized.headers["content-type"].startswith("text/csv")
    assert "attachment" in sized.headers["content-disposition"]
    rows = _csv(sized.text)
    assert rows[0] == ["authority", "source", "date", "version", "count", "basis"]
    assert [r[:6] for r in size] == rows[1:]
    flows = _table(html, "flows-table")
    flows_csv = _csv(ana.get("/ui/regimes/russia-ukraine/flows.csv",
                             params={"by": "year"}).text)
    assert [r[:6] for r in flows] == flows_csv[1:] and len(flows) >= 3
    assert any(r[2] == "us_ofac_sdn" and r[0] == "2024" and r[4] == "1" for r in flows)
    # the alignment on a day, as a table and CSV
    aligned = ana.get("/ui/regimes", params={"regime": "russia-ukraine", "at": "2023-12-31"})
    matrix = _table(aligned.text, "alignment-table")
    assert [r[:3] for r in matrix] == [["OFAC", "UK", "4"], ["UK", "OFAC", "5"]]
    assert matrix[0][3].startswith("3") and matrix[1][3].startswith("3")
    align_csv = _csv(ana.get("/ui/regimes/russia-ukraine/alignment.csv",
                             params={"at": "2023-12-31"}).text)
    assert align_csv[1:] == [["OFAC", "UK", "4", "3", "0", "1"],
                             ["UK", "OFAC", "5", "3", "1", "2"]]
    # every chart the page shows is served, as SVG with the CSP, holding no script
    sources = re.findall(r'<img[^>]*src="(/ui/regimes/[^"]+\.svg[^"]*)"[^>]*alt="([^"]+)"',
                         html)
    assert len(sources) == 4  # size, flows of all lists, flows of each of the two lists
    for src, alt in sources:
        chart = ana.get(unescape(src))
        assert chart.status_code == 200, src
        assert chart.headers["content-type"] == "image/svg+xml"
        assert chart.headers["content-security-policy"] == CSP
        assert "<script" not in chart.text.lower() and " on" not in re.sub(
            r"<(title|desc|text)[^>]*>.*?</\1>", "", chart.text, flags=re.S).lower().replace(
            "\n", " ").split("<svg", 1)[1].split(">", 1)[0]
        assert chart.text.lstrip().startswith(("<?xml", "<svg")) and "<title" in chart.text
        assert alt.strip()


def test_charts_are_told_apart_without_colour(
        regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    svg = ana.get("/ui/regimes/russia-ukraine/size.svg").text
    # each list's line has its own dash and marker, and its name written beside it
    assert 'id="label-1"' in svg and 'id="label-2"' in svg
    assert "UK (gb_hmt_sanctions)" in svg and "OFAC (us_ofac_sdn)" in svg
    flows = ana.get("/ui/regimes/isil-al-qaida/flows.svg", params={"by": "year"}).text
    assert "designations (up)" in flows and "delistings (down)" in flows


def test_drill_down_shows_entities_per_list_and_changes_in_a_period(
        regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    page = ana.get("/ui/regimes/russia-ukraine", params={"at": "2023-12-31"})
    assert page.status_code == 200 and 'id="regime"' in page.text
    entities = _table(page.text, "regime-entities")
    assert {(r[1], r[2]) for r in entities} >= {("gb_hmt_sanctions", "gb-hmt-7001"),
                                                ("us_ofac_sdn", "ofac-201")}
    assert len(entities) == 9  # 4 OFAC and 5 UK on that day
    assert 'href="/ui/entities/ofac-201"' in page.text
    # a point of the chart (a version date of one list) leads to its entities then
    dash = ana.get("/ui/regimes", params={"regime": "russia-ukraine"}).text
    link_to = unescape(re.findall(r'href="(/ui/regimes/russia-ukraine\?at=2021-06-01[^"]*)"',
                                  dash)[0])
    point = _table(ana.get(link_to).text, "regime-entities")
    assert len(point) == 2 and {r[1] for r in point} == {"gb_hmt_sanctions"}
    # a bar (a period of one list) leads to its changes
    bar = unescape(re.findall(
        r'href="(/ui/regimes/russia-ukraine\?since=2024-01-01&amp;until=2024-12-31[^"]*)"',
        dash)[0])
    changes = _table(ana.get(bar).text, "regime-changes")
    assert [(r[1], r[3]) for r in changes] == [("+ designation", "ofac-299")]
    only_out = ana.get("/ui/regimes/russia-ukraine", params={
        "since": "2020-01-01", "until": "2024-12-31", "kind": "delisting"})
    assert all("delisting" in r[1] for r in _table(only_out.text, "regime-changes"))


def test_hostile_names_stay_inert(regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    page = ana.get("/ui/regimes/russia-ukraine", params={"since": "2024-01-01",
                                                        "until": "2024-12-31"})
    assert HOSTILE not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert HOSTILE not in ana.get("/ui/regimes/russia-ukraine?at=2024-03-01").text


def test_bad_input_is_a_clear_4xx_page(regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    for path, params, status in [
            ("/ui/regimes/atlantis", {}, 404),
            ("/ui/regimes", {"regime": "atlantis"}, 404),
            ("/ui/regimes/Russia Ukraine", {}, 422),
            ("/ui/regimes/russia-ukraine", {"since": "2023-02-30"}, 422),
            ("/ui/regimes/russia-ukraine", {"since": "2024-01-01", "until": "2023-01-01"},
             400),
            ("/ui/regimes/russia-ukraine", {"source": "no_such_list"}, 404),
            ("/ui/regimes/russia-ukraine", {"offset": "-1"}, 422),
            ("/ui/regimes", {"by": "week"}, 422),
            ("/ui/regimes/russia-ukraine/flows.svg", {"since": "x"}, 422),
            ("/ui/regimes/russia-ukraine/size.csv", {"at": "2023-13-01"}, 422),
            ("/ui/regimes/russia-ukraine/nothing.csv", {}, 422),
            ("/ui/regimes/atlantis/size.svg", {}, 404)]:
        answer = ana.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html")
        assert 'class="error"' in answer.text


def test_pages_need_a_session(regime_client: Callable[[str], TestClient]) -> None:
    client = regime_client("aud")  # an auditor reads them too
    assert client.get("/ui/regimes").status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/ui/regimes").text)
    assert token is not None
    client.post("/ui/logout", data={"csrf_token": token.group(1)})
    for path in ("/ui/regimes", "/ui/regimes/russia-ukraine",
                 "/ui/regimes/russia-ukraine/size.svg", "/ui/regimes/russia-ukraine/size.csv"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "/ui/login" in answer.headers["location"]


def test_empty_date_fields_of_a_sent_form_mean_no_date(
        regime_client: Callable[[str], TestClient]) -> None:
    ana = regime_client("ana")
    form = {"regime": "russia-ukraine", "by": "month", "since": "", "until": "", "at": ""}
    assert ana.get("/ui/regimes", params=form).status_code == 200
    drill = {"at": "", "since": "", "until": "", "source": "", "kind": ""}
    assert ana.get("/ui/regimes/russia-ukraine", params=drill).status_code == 200


def test_a_new_version_is_seen_at_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The pages keep what they read of a regime until the store's versions change: a
    version loaded while they run (of any date) shows on the next request."""
    forget_facts()
    url = str(tmp_path_factory.mktemp("fresh") / "fresh.db")
    with Store.open(url) as store:
        load_small(store, ofac=False)
        store.users.add("ana", ["analyst"], PASSWORD, by="setup")
    app = make_web_app(url)
    with TestClient(app, base_url="https://testserver") as ana:
        assert sign_in(ana, "ana").status_code == 303

        def sizes() -> dict[tuple[str, str], str]:
            page = ana.get("/ui/regimes", params={"regime": "russia-ukraine"}).text
            return {(r[1], r[2]): r[4] for r in _table(page, "size-table")}

        assert sizes() == {("gb_hmt_sanctions", "2021-06-01"): "2",
                           ("gb_hmt_sanctions", "2022-06-01"): "4",
                           ("gb_hmt_sanctions", "2023-06-01"): "5"}
        before = ana.get("/ui/regimes/russia-ukraine/size.svg").text
        with Store.open(url) as store:  # an old version: the active ones stay as they are
            load_file(store, SMALL / "ofac_2021-01-10" / "sdn.csv", force=True,
                      published="2021-01-10")
        assert sizes()[("us_ofac_sdn", "2021-01-10")] == "4"
        assert ana.get("/ui/regimes/russia-ukraine/size.svg").text != before
        drill = ana.get("/ui/regimes/russia-ukraine", params={"at": "2021-03-01"}).text
        assert {r[1] for r in _table(drill, "regime-entities")} == {"us_ofac_sdn"}


def test_long_tables_page_with_named_pagers(regime_client: Callable[[str], TestClient],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from discreet.web import routes_regimes

    monkeypatch.setattr(routes_regimes, "PAGE", 4)
    ana = regime_client("ana")
    first = ana.get("/ui/regimes/russia-ukraine", params={"at": "2023-12-31",
                                                          "since": "2020-01-01"}).text
    assert len(_table(first, "regime-entities")) == 4
    labels = re.findall(r'<nav class="pager" aria-label="([^"]+)"', first)
    assert len(labels) == 2 and len(set(labels)) == 2
    nxt = unescape(re.findall(r'href="(/ui/regimes/russia-ukraine\?[^"]*offset=4[^"]*)"',
                              first)[0])
    second = _table(ana.get(nxt).text, "regime-entities")
    assert len(second) == 4 and not {r[2] for r in second} & {
        r[2] for r in _table(first, "regime-entities")}


@pytest.mark.parametrize(("day", "before"), [
    (dt.date(2028, 2, 29), dt.date(2027, 2, 28)),  # a leap day: no 29 February a year back
    (dt.date(2029, 3, 1), dt.date(2028, 3, 1)),
    (dt.date(2027, 2, 28), dt.date(2026, 2, 28)),
    (dt.date(2029, 2, 28), dt.date(2028, 2, 28)),  # into a leap year: the same day
])
def test_the_default_period_starts_a_year_back_on_every_day(day: dt.date,
                                                            before: dt.date) -> None:
    assert year_before(day) == before
