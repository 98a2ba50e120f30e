"""The audit trail page and the evidence reports: auditors and admins read the trail (an
analyst is refused), the search filters work and page, the chain's state is the
verifier's (a broken chain names its first bad record), downloads are what the CLI
writes, and the reports come in HTML, PDF and JSON. A hostile name stays inert."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from discreet.review import customer_input, screen_customers, upsert_customers
from discreet.screen.rows import load_matcher
from discreet.store import Store
from discreet.store.chain import Anchor, verify_export
from discreet.web import routes_audit
from tests.review.helpers import ANA, load_list
from tests.web.conftest import PASSWORD, PEOPLE, csrf_of, make_web_app, sign_in

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def book_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the review tests' list, a book of three customers (one named with a
    script tag) screened, a few events, and the people of every role (built once)."""
    url = str(tmp_path_factory.mktemp("audit") / "audit.db")
    with Store.open(url) as store:
        load_list(store, 1)
        items = [customer_input("K1", names=["Hamid Tavakkoli"]),
                 customer_input("K2", names=["Viktor Brunov"], birth_date="1961-04-12"),
                 customer_input("K3", names=[HOSTILE])]
        changes = upsert_customers(store, items, ANA)
        screen_customers(store, load_matcher(store), [c.ref for c in changes], ANA)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
        for n in range(70):  # enough records for more than one page
            store.append_audit("test.step", "robot" if n % 2 else "machine",
                               {"n": n, "note": "even" if n % 2 == 0 else "odd"})
        store.append_audit("test.hostile", HOSTILE, {"name": HOSTILE})
    return Path(url)


@pytest.fixture
def book_url(book_file: Path, tmp_path: Path) -> str:
    """A copy of the store of its own for each test (some write to it, one breaks it)."""
    url = tmp_path / "audit.db"
    shutil.copy(book_file, url)
    return str(url)


@pytest.fixture
def people(book_url: str) -> Iterator[Callable[[str], TestClient]]:
    app = make_web_app(book_url)
    clients: list[TestClient] = []
    with TestClient(app, base_url="https://testserver") as first:
        assert app.state.services.holder.wait_ready(60)

        def make(name: str) -> TestClient:
            client = first if not clients else TestClient(app, base_url="https://testserver")
            clients.append(client)
            assert sign_in(client, name).status_code == 303
            return client

        yield make


def _rows(html: str) -> list[list[str]]:
    found = re.search(r'<table id="audit-trail">(.*?)</table>', html, re.S)
    assert found
    body = found.group(1).split("<tbody>", 1)[1]
    return [[unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_trail_is_for_auditors_and_admins(
        people: Callable[[str], TestClient]) -> None:
    ana = people("ana")
    for path in ("/ui/audit", "/ui/audit/anchor.json", "/ui/audit/export.jsonl"):
        refused = ana.get(path)
        assert refused.status_code == 403, path
        assert "auditor or admin" in refused.text
    assert 'href="/ui/audit"' not in ana.get("/ui/").text
    assert ana.post("/ui/audit/verify", data={"csrf_token": csrf_of(ana.get("/ui/").text)},
                    follow_redirects=False).status_code == 403
    for name in ("aud", "adm"):
        page = people(name).get("/ui/audit")
        assert page.status_code == 200 and 'id="audit-trail"' in page.text


def test_search_filters_and_pages(people: Callable[[str], TestClient]) -> None:
    aud = people("aud")
    page = aud.get("/ui/audit")
    rows = _rows(page.text)
    assert len(rows) == routes_audit.PAGE
    seqs = [int(r[0]) for r in rows]
    assert seqs == sorted(seqs, reverse=True)  # newest first
    assert "test.hostile" in [r[4] for r in rows[:3]]  # then the sign-ins
    # the next page continues where this one stopped, with no record twice
    link = re.search(r'id="older" href="([^"]+)"', page.text)
    assert link is not None
    older = unescape(link.group(1))
    second = [int(r[0]) for r in _rows(aud.get(older).text)]
    assert second and max(second) == min(seqs) - 1
    # by actor (exactly), event, kind and text; together
    robot = _rows(aud.get("/ui/audit", params={"actor": "robot"}).text)
    assert len(robot) == 35 and {r[3] for r in robot} == {"robot"}
    events = _rows(aud.get("/ui/audit", params={"event": "review."}).text)
    assert events and all(r[4].startswith("review.") for r in events)
    assert {r[2] for r in events} == {"event"}
    assert _rows(aud.get("/ui/audit", params={"kind": "api"}).text) == [["No record matches."]]
    odd = _rows(aud.get("/ui/audit", params={"text": "ODD", "actor": "robot"}).text)
    assert len(odd) == 35
    assert _rows(aud.get("/ui/audit", params={"text": "ODD", "actor": "machine"}).text) == \
        [["No record matches."]]
    literal = _rows(aud.get("/ui/audit", params={"text": "%"}).text)  # not a wildcard
    assert literal == [["No record matches."]]
    # by time: nothing before today, everything from today
    today = rows[0][1][:10]
    assert _rows(aud.get("/ui/audit", params={"until": "2000-01-01"}).text) == \
        [["No record matches."]]
    assert len(_rows(aud.get("/ui/audit", params={"since": today, "until": today,
                                                  "actor": "robot"}).text)) == 35
    # empty fields of a sent form mean no filter
    assert len(_rows(aud.get("/ui/audit", params={
        "since": "", "until": "", "actor": "", "kind": "", "event": "", "text": ""}).text)) \
        == routes_audit.PAGE


def test_bad_search_input_is_a_4xx_page(people: Callable[[str], TestClient]) -> None:
    aud = people("aud")
    for params, status in [({"since": "2024-02-30"}, 422), ({"until": "yesterday"}, 422),
                           ({"since": "2024-02-01", "until": "2024-01-01"}, 400),
                           ({"kind": "other"}, 422), ({"before": "0"}, 422),
                           ({"text": "x" * 201}, 422)]:
        answer = aud.get("/ui/audit", params=params)
        assert answer.status_code == status, (params, answer.text[:300])
        assert 'class="error"' in answer.text


def test_chain_state_downloads_and_a_broken_chain(people: Callable[[str], TestClient],
                                                   book_url: str) -> None:
    aud = people("aud")
    page = aud.get("/ui/audit")
    assert 'class="ok"' in page.text and "The chain verifies" in page.text
    anchor = aud.get("/ui/audit/anchor.json")
    assert "attachment" in anchor.headers["content-disposition"]
    head = json.loads(anchor.text)
    exported = aud.get("/ui/audit/export.jsonl")
    assert "attachment" in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert len(lines) == head["seq"]
    verdict = verify_export(lines, Anchor.from_dict(head))
    assert verdict.ok, verdict.line()
    # "verify now" is a form with the token; it records the verdict in the chain
    done = aud.post("/ui/audit/verify", data={"csrf_token": csrf_of(page.text)},
                    follow_redirects=False)
    assert done.status_code == 303
    assert aud.post("/ui/audit/verify", data={}).status_code == 403  # no token
    recorded = _rows(aud.get("/ui/audit", params={"event": "audit.verify"}).text)
    assert len(recorded) == 1 and recorded[0][3] == "aud" and '"ok": true' in recorded[0][6]
    # a record edited behind the chain's back: the page names it
    with Store.open(book_url) as store:
        store.db.execute("UPDATE audit_log SET key_id = 'mallory' WHERE seq = 5")
    broken = aud.get("/ui/audit")
    assert 'class="error"' in broken.text
    assert re.search(r'id="bad-seq">5<', broken.text), broken.text[:2000]


def test_a_long_chain_shows_its_last_recorded_verification(
        people: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes_audit, "LIVE_VERIFY", 10)
    aud = people("aud")
    page = aud.get("/ui/audit")
    assert "No verification of this long chain is recorded among its last" in page.text
    aud.post("/ui/audit/verify", data={"csrf_token": csrf_of(page.text)})
    again = aud.get("/ui/audit").text
    assert "Last verified at" in again and "by aud" in again and 'class="ok"' in again


def test_hostile_names_stay_inert(people: Callable[[str], TestClient]) -> None:
    aud = people("aud")
    page = aud.get("/ui/audit", params={"text": "script"})
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    html = aud.get("/ui/reports/customer", params={"ref": "K3", "format": "html"})
    assert html.status_code == 200 and HOSTILE not in html.text
    assert "&lt;script&gt;" in html.text


def test_reports_download_in_three_formats(people: Callable[[str], TestClient],
                                           book_url: str) -> None:
    rui = people("rui")
    page = rui.get("/ui/reports")
    assert page.status_code == 200 and 'id="report-customer"' in page.text
    with Store.open(book_url) as store:
        [alert] = store.review.alerts(customer_ref="K1")
    today = rui.get("/ui/audit/anchor.json")  # a reviewer is no auditor
    assert today.status_code == 403
    for path, params in [("/ui/reports/customer", {"ref": "K1"}),
                         ("/ui/reports/alert", {"alert": str(alert.id)}),
                         ("/ui/reports/period", {"since": "2020-01-01", "until": "2099-12-31"}),
                         ("/ui/reports/as-of", {"date": "2099-01-01",
                                                "name": "Hamid Tavakkoli"})]:
        answers = {fmt: rui.get(path, params={**params, "format": fmt})
                   for fmt in ("json", "html", "pdf")}
        for fmt, answer in answers.items():
            assert answer.status_code == 200, (path, fmt, answer.text[:300])
            assert "attachment" in answer.headers["content-disposition"]
            assert answer.headers["content-disposition"].endswith(f'.{fmt}"')
        data = answers["json"].json()
        assert data["report"] in ("customer", "alert", "period", "as_of")
        assert answers["html"].headers["content-type"].startswith("text/html")
        assert "<html" in answers["html"].text.lower()
        assert answers["pdf"].content.startswith(b"%PDF-")
        if data["report"] == "customer":
            assert data["subject"] == {"customer": "K1"} and data["alerts"]
        if data["report"] == "as_of":
            assert data["listed"] is True


def test_bad_report_input_is_a_clear_4xx_page(people: Callable[[str], TestClient]) -> None:
    ana = people("ana")  # an analyst reads evidence, as in the API
    for path, params, status in [
            ("/ui/reports/customer", {"ref": "NOPE"}, 404),
            ("/ui/reports/customer", {"ref": " "}, 422),
            ("/ui/reports/customer", {"ref": "K1", "format": "doc"}, 422),
            ("/ui/reports/alert", {"alert": "0"}, 422),
            ("/ui/reports/alert", {"alert": "999999"}, 404),
            ("/ui/reports/period", {"since": "2024-02-01", "until": "2024-01-01"}, 400),
            ("/ui/reports/period", {"since": "", "until": "2024-01-01"}, 422),
            ("/ui/reports/as-of", {"date": "2024-01-01"}, 400),
            ("/ui/reports/as-of", {"date": "2024-01-01", "name": "x", "customer": "K1"}, 400),
            ("/ui/reports/as-of", {"date": "", "name": "x"}, 422),
            ("/ui/reports/as-of", {"date": "2024-01-01", "name": "x", "threshold": "nan"},
             422),
            ("/ui/reports/as-of", {"date": "2024-01-01", "name": "x", "threshold": "2"}, 422)]:
        answer = ana.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html")
        assert 'class="error"' in answer.text


def test_the_store_search_behind_the_page_on_both_backends(store_url: str) -> None:
    """``Store.audit_search`` on SQLite and PostgreSQL: filters, literal text (a ``%`` or
    ``_`` is no wildcard), any script, and keyset pages newest first."""
    with Store.open(store_url) as store:
        for n in range(12):
            store.append_audit("test.step", "robot" if n % 2 else "machine",
                               {"n": n, "note": f"Владимир_{n}%" if n == 7 else "plain"})
        found = store.audit_search(event="test.", limit=5)
        assert [r.request["n"] for r in found] == [11, 10, 9, 8, 7]
        rest = store.audit_search(event="test.", before=found[-1].seq, limit=50)
        assert [r.request["n"] for r in rest] == [6, 5, 4, 3, 2, 1, 0]
        assert [r.request["n"] for r in store.audit_search(text="Владимир_7%")] == [7]
        assert store.audit_search(text="Владимир_%8") == []
        assert [r.request["n"] for r in store.audit_search(text="ROBOT", limit=1)] == [11]
        assert store.audit_search(text="_", event="test.", actor="machine") == []
        assert len(store.audit_search(actor="robot", kind="event")) == 6
        assert store.audit_search(kind="api") == []
        assert [r.request["n"] for r in store.audit_search(
            event="test.", after=found[0].seq - 2)] == [11, 10]
