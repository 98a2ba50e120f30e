"""Evidence reports: a customer's, an alert's and a period's story in JSON, HTML and PDF,
with the list versions, decisions, approvals, reopenings and the audit chain's hashes;
and the "screened as of date D" check against the versions active on D."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from discreet.review import (
    SYSTEM,
    approve,
    customer_input,
    decide,
    screen_customers,
    screen_list_changes,
    upsert_customers,
)
from discreet.review.evidence import (
    alert_evidence,
    as_of_check,
    customer_evidence,
    period_evidence,
    render_html,
    render_pdf,
)
from discreet.screen.rows import load_matcher
from discreet.store import Store
from tests.review.helpers import ANA, RUI, entity_id, load_list
from tests.review.test_cli import run

CUSTOMERS = {"K1": ("Hamid Tavakkoli", ""), "K2": ("Evgenia Lutsenko", "1986-02-11"),
             "K3": ("Viktor Brunov", "1961-04-12"), "K4": ("Ana Lima", "")}


def _book(store: Store) -> dict[str, int]:
    """v1, a book, a screen, K1's alert cleared with four eyes, v2 amends R-003 and adds
    R-021 (K2), the continuous run reopens K1's alert. The alert ids by customer."""
    load_list(store, 1)
    items = [customer_input(ref, names=[name], birth_date=dob or None)
             for ref, (name, dob) in CUSTOMERS.items()]
    changes = upsert_customers(store, items, ANA)
    screen_customers(store, load_matcher(store), [c.ref for c in changes], ANA)
    [k1] = store.review.alerts(customer_ref="K1")
    decide(store, k1.id, "false_positive", ANA, note="other person: different father")
    approve(store, k1.id, RUI, note="agreed")
    load_list(store, 2)
    screen_list_changes(store, load_matcher(store), SYSTEM)
    return {a.customer_ref: a.id for a in store.review.alerts(limit=100)
            if a.entity_id in (entity_id("R-003"), entity_id("R-021"))}


def _chain(store: Store) -> dict[int, str]:
    return {r.seq: r.hash for r in store.audit_chain()}


def test_customer_report_tells_the_whole_story(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        ids = _book(store)
        report = customer_evidence(store, "K1")
        assert report["report"] == "customer" and report["customer"]["ref"] == "K1"
        assert [r["kind"] for r in report["runs"]] == ["customer", "lists"]
        versions = {(v["source"], v["version"]): v for v in report["list_versions"]}
        assert set(versions) == {("review_test", 1), ("review_test", 2)}
        for v in versions.values():
            assert len(v["content_hash"]) == 64 and len(v["file_sha256"]) == 64
        assert versions[("review_test", 2)]["as_of"].startswith("2026-02-01")
        [story] = report["alerts"]
        assert story["alert"]["id"] == ids["K1"] and story["alert"]["state"] == "open"
        [decided] = story["decisions"]
        assert (decided["actor"], decided["details"]["decision"]) == ("ana", "false_positive")
        [approved] = story["approvals"]
        assert approved["actor"] == "rui" and approved["at"] >= decided["at"]
        [reopened] = story["reopenings"]
        assert reopened["details"]["why"] == "the listed entity changed since the decision"
        assert any(c["field"] == "names" for c in reopened["details"]["entity_changes"])
        assert [h["outcome"] for h in story["hits"]] == ["opened", "reopened"]
        audit = report["audit"]
        head = store.audit_anchor()
        assert (audit["head_seq"], audit["head_hash"], audit["verified"]) == (
            head.seq, head.hash, True)
        chain = _chain(store)
        events = {c["event"] for c in audit["records"]}
        assert {"review.customers", "review.run", "review.decided", "review.approved",
                "review.reopened"} <= events
        for cited in audit["records"]:  # each cited record is in the chain as cited
            assert chain[cited["seq"]] == cited["hash"]
        # nothing about other customers is cited
        assert all(c["details"].get("alert") in (None, ids["K1"]) for c in audit["records"])
        json.dumps(report)  # JSON all through


def test_alert_and_period_reports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        ids = _book(store)
        report = alert_evidence(store, ids["K2"])
        [story] = report["alerts"]
        assert story["alert"]["customer_ref"] == "K2"
        assert [r["kind"] for r in report["runs"]] == ["lists"]
        assert {(v["source"], v["version"]) for v in report["list_versions"]} >= {
            ("review_test", 2)}
        assert story["decisions"] == [] and story["reopenings"] == []
        period = period_evidence(store, "2000-01-01", "2999-12-31")
        assert [r["kind"] for r in period["runs"]] == ["customer", "lists"]
        assert period["totals"]["reopened"] == 1
        assert {c["event"] for c in period["audit"]["records"]} >= {
            "review.decided", "review.approved", "review.reopened"}
        assert period_evidence(store, "2000-01-01", "2000-12-31")["runs"] == []


def test_a_tampered_chain_shows_in_the_report(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        _book(store)
        assert customer_evidence(store, "K1")["audit"]["verified"]
        store.db.execute("UPDATE audit_log SET key_id = 'mallory' WHERE seq = 2")
        audit = customer_evidence(store, "K1")["audit"]
        assert not audit["verified"] and audit["bad_seq"] == 2
        assert "NOT verify" in render_html(customer_evidence(store, "K1"))


def test_html_and_pdf(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        _book(store)
        report = customer_evidence(store, "K1")
        html = render_html(report)
        assert report["audit"]["head_hash"] in html
        assert "Hamid" in html and "<script" not in html
        assert render_pdf(report).startswith(b"%PDF")
        # a name with markup is escaped
        upsert_customers(store, [customer_input("X<b>", names=["<script>x</script>"])], ANA)
        assert "<script>x" not in render_html(customer_evidence(store, "X<b>"))


def test_screened_as_of_a_date(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        _book(store)
        before = as_of_check(store, "2026-01-15", ref="K2")
        assert not before["listed"] and before["matches"] == []
        assert [(v["source"], v["version"]) for v in before["list_versions"]] == [
            ("review_test", 1)]
        after = as_of_check(store, "2026-02-15", ref="K2")
        assert after["listed"]
        assert [m["id"] for m in after["matches"]] == [entity_id("R-021")]
        assert [v["version"] for v in after["list_versions"]] == [2]
        # a name, and a date before any list: nothing was in force, nothing listed
        assert as_of_check(store, "2026-03-01", name="Evgenia Lutsenko")["listed"]
        empty = as_of_check(store, "2020-01-01", name="Evgenia Lutsenko")
        assert (empty["listed"], empty["list_versions"]) == (False, [])
        for bad in ("2026-13-01", "yesterday", ""):
            with pytest.raises(ValueError):
                as_of_check(store, bad, name="x")
        with pytest.raises(ValueError):
            as_of_check(store, "2026-01-01", name="   ")


def test_cli_report(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        ids = _book(store)
    shown = json.loads(run(db, "report", "customer", "K1").stdout)
    assert shown["customer"]["ref"] == "K1"
    run(db, "report", "alert", str(ids["K2"]), "--format", "html", "-o",
        str(tmp_path / "a.html"))
    assert "K2" in (tmp_path / "a.html").read_text(encoding="utf-8")
    run(db, "report", "period", "--since", "2000-01-01", "--until", "2999-01-01",
        "--format", "pdf", "-o", str(tmp_path / "p.pdf"))
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    as_of = json.loads(run(db, "report", "as-of", "2026-01-15", "--customer", "K2").stdout)
    assert as_of["listed"] is False
    run(db, "report", "customer", "K1", "--format", "pdf", ok=False)  # PDF needs -o
    run(db, "report", "as-of", "2026-01-15", ok=False)  # neither --customer nor --name
    run(db, "report", "as-of", "15/01/2026", "--name", "x", ok=False)
    run(db, "report", "period", "--since", "2026-02-01", "--until", "2026-01-01", ok=False)
    run(db, "report", "customer", "nobody", ok=False)


def test_evidence_over_http(tmp_path: Path) -> None:
    """On a real server: an auditor's key and a screening key read every report in each
    format; a revoked key and no key are refused; bad input is a 4xx, never a 500."""
    import httpx

    from tests.api.conftest import make_app
    from tests.api.helpers import live_server

    url = str(tmp_path / "api.db")
    with Store.open(url) as store:
        ids = _book(store)
        auditor = store.create_key("aud", ("screen",), role="auditor")[1]
        plain = store.create_key("plain", ("screen",))[1]
        old = store.create_key("old", ("screen",), role="auditor")
        store.revoke_key(old[0].id, by="test")
        head = store.audit_anchor()
    with live_server(make_app(url)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        for key in (auditor, plain):
            who = {"Authorization": f"ApiKey {key}"}
            got = client.get("/review/evidence/customers/K1", headers=who)
            assert got.status_code == 200, got.text
            body = got.json()
            assert body["customer"]["ref"] == "K1"
            assert body["audit"]["head_seq"] >= head.seq and body["audit"]["verified"]
            html = client.get(f"/review/evidence/alerts/{ids['K2']}", headers=who,
                              params={"format": "html"})
            assert html.status_code == 200 and "text/html" in html.headers["content-type"]
            pdf = client.get("/review/evidence/period", headers=who, params={
                "since": "2000-01-01", "until": "2999-01-01", "format": "pdf"})
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            as_of = client.get("/review/evidence/as-of", headers=who,
                               params={"date": "2026-01-15", "customer": "K2"}).json()
            assert as_of["listed"] is False
            status = client.get("/review/continuous", headers=who).json()
            assert status["customers"] == 4 and status["run"]["reopened"] == 1
        who = {"Authorization": f"ApiKey {auditor}"}
        for path, params, code in (
                ("/review/evidence/customers/nobody", {}, 404),
                ("/review/evidence/alerts/999999", {}, 404),
                ("/review/evidence/alerts/0", {}, 422),
                ("/review/evidence/period", {"since": "2026-02-01", "until": "2026-01-01"}, 400),
                ("/review/evidence/period", {"since": "x", "until": "2026-01-01"}, 422),
                ("/review/evidence/as-of", {"date": "2026-01-01"}, 400),
                ("/review/evidence/as-of", {"date": "2026-01-01", "name": " "}, 400),
                ("/review/evidence/customers/K1", {"format": "doc"}, 422)):
            answer = client.get(path, headers=who, params=params)
            assert answer.status_code == code, (path, params, answer.text)
        assert client.get("/review/evidence/customers/K1").status_code == 401
        assert client.get("/review/evidence/customers/K1", headers={
            "Authorization": f"ApiKey {old[1]}"}).status_code == 401
