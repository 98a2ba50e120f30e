"""Regime analytics over HTTP, on a real uvicorn server on loopback, over our own small dated
lists (tests/fixtures/regimes) on SQLite and PostgreSQL: the figures the library gives, read
with a screening key; bad input is a 4xx, never a 500."""

from __future__ import annotations

import httpx
import pytest

from discreet.store import Store
from discreet.store.apikeys import create_key
from discreet.store.regimes import forget_facts
from tests.api.conftest import make_app
from tests.api.helpers import live_server
from tests.regimes.test_analytics import link, load_small


@pytest.fixture
def served(store_url: str) -> tuple[str, str, str]:
    """(store url, screening key, admin key) over the small lists, linked."""
    forget_facts()  # each backend reads the records' facts itself
    with Store.open(store_url) as store:
        load_small(store)
        link(store)
        screen = create_key(store.db, "screen", ("screen",))[1]
        admin = create_key(store.db, "admin", ("admin",))[1]
    return store_url, screen, admin


def test_regime_routes(served: tuple[str, str, str]) -> None:
    url, screen, admin = served
    with live_server(make_app(url)) as server, httpx.Client(
            base_url=server.url, headers={"Authorization": f"ApiKey {screen}"},
            timeout=120) as client:
        listed = {r["id"]: r for r in client.get("/regimes").json()}
        assert listed["russia-ukraine"]["active"] == {"OFAC": 4, "UK": 5}
        assert listed["isil-al-qaida"]["authorities"] == ["AU", "EU", "UK", "UN"]
        sizes = client.get("/regimes/russia-ukraine/size").json()
        assert {s["source"]: [p["count"] for p in s["points"]] for s in sizes} == {
            "gb_hmt_sanctions": [2, 4, 5], "us_ofac_sdn": [4, 4, 4]}
        flows = client.get("/regimes/isil-al-qaida/flows",
                           params={"by": "year", "since": "2021-01-01"}).json()
        assert {(f["period"], f["basis"], f["designations"], f["delistings"])
                for f in flows} == {("2021", "stated", 1, 0), ("2021", "inferred", 0, 1),
                                    ("2022", "inferred", 1, 1)}
        matrix = client.get("/regimes/russia-ukraine/alignment",
                            params={"at": "2023-12-31"}).json()
        cells = {(c["a"], c["b"]): (c["also_by_b"], c["not_by_b"]) for c in matrix["cells"]}
        assert cells == {("OFAC", "UK"): (3, ["ofac-204"]),
                         ("UK", "OFAC"): (3, ["gb-hmt-7003", "gb-hmt-7005"])}
        relisted = client.get("/regimes/russia-ukraine/relisted").json()
        assert [(r["entity_id"], r["caption"]) for r in relisted] == \
            [("ofac-204", "Pavel SIDOROV")]
        params = {"since": "2022-07-01", "until": "2023-12-31"}
        data = client.get("/regimes/russia-ukraine/report", params=params).json()
        assert {c["source"]: c["net"] for c in data["changes"]} == \
            {"gb_hmt_sanctions": 1, "us_ofac_sdn": 0}
        assert [e["entity_id"] for e in data["delistings"]] == ["ofac-205", "ofac-203"]
        md = client.get("/regimes/russia-ukraine/report", params={**params, "format": "md"})
        assert md.headers["content-type"].startswith("text/markdown")
        assert "| UK | gb_hmt_sanctions | 4 (v2 as of 2022-06-01) |" in md.text
        page = client.get("/regimes/russia-ukraine/report",
                          params={**params, "format": "html"})
        assert page.headers["content-type"].startswith("text/html") and "<svg" in page.text
        pdf = client.get("/regimes/isil-al-qaida/report", params={**params, "format": "pdf"})
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        # bad input: 4xx with the usual error shape, never a 500
        for path, query, status in [
                ("/regimes/atlantis/size", {}, 404),
                ("/regimes/Russia Ukraine/size", {}, 422),
                ("/regimes/russia-ukraine/flows", {"by": "week"}, 422),
                ("/regimes/russia-ukraine/flows", {"since": "2023-02-30"}, 422),
                ("/regimes/russia-ukraine/flows",
                 {"since": "2023-01-01", "until": "2022-01-01"}, 400),
                ("/regimes/russia-ukraine/alignment", {"at": "yesterday"}, 422),
                ("/regimes/russia-ukraine/report", {}, 422),
                ("/regimes/russia-ukraine/report",
                 {"since": "2024-01-01", "until": "2023-01-01"}, 400),
                ("/regimes/russia-ukraine/report", {"since": "2024-01-01", "format": "doc"},
                 422),
                ("/regimes/russia-ukraine/report", {"since": "7838-08-16"}, 400),
                ("/regimes/" + "x" * 101 + "/size", {}, 422)]:
            answer = client.get(path, params=query)
            assert answer.status_code == status, (path, query, answer.text)
            assert set(answer.json()) >= {"status", "error", "detail"}
        # a screening key reads them, an admin key too (it holds every scope); no key does not
        assert client.get("/regimes", headers={"Authorization": f"ApiKey {admin}"}
                          ).status_code == 200
        assert httpx.get(f"{server.url}/regimes", timeout=30).status_code == 401
