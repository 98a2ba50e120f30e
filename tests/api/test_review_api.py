"""The review workflow through HTTP on a real uvicorn server: each role's rules and four eyes.

Users of each role sign in with a password (and machines use keys with a role); the rules
are the library's, so the API must refuse what the library refuses, with the right status:
approving one's own decision 403, an auditor deciding 403, a revoked key 401, a stale
alert version 409. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx

from discreet.store import Store
from tests.api.conftest import make_app, small_lists
from tests.api.helpers import live_server

PASSWORD = "correct horse battery"


def _setup(url: str) -> dict[str, str]:
    """Users of each role, an admin key without a role, and keys acting in a role."""
    with Store.open(url) as store:
        small_lists(store)
        store.users.add("ana", ["analyst"], PASSWORD, by="test")
        store.users.add("alex", ["analyst", "reviewer"], PASSWORD, by="test")
        store.users.add("rui", ["reviewer"], PASSWORD, by="test")
        store.users.add("ada", ["admin"], PASSWORD, by="test")
        store.users.add("aud", ["auditor"], PASSWORD, by="test")
        keys = {"bot": store.create_key("bot", ("screen",), role="analyst")[1],
                "plain": store.create_key("plain", ("screen",))[1],
                "old": store.create_key("old", ("screen",), role="analyst")[1]}
        old = next(k for k in store.list_keys() if k.name == "old")
        store.revoke_key(old.id, by="test")
    return keys


def _login(client: httpx.Client, name: str) -> dict[str, str]:
    answer = client.post("/auth/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _pending_alert(client: httpx.Client, who: dict[str, str]) -> dict[str, object]:
    """A customer named like a listed person, screened on creation: its open alert."""
    answer = client.post("/review/customers", headers=who, json={"customers": [
        {"ref": "C-1", "names": ["Vladimir Vladimirovich Putin"], "schema": "Person",
         "birth_date": "1952-10-07"},
        {"ref": "C-2", "names": ["Jane Smith"], "schema": "Person"}]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["run"]["opened"] >= 1, answer.json()
    alerts = client.get("/review/alerts", headers=who, params={"customer": "C-1"}).json()
    found: list[dict[str, object]] = [a for a in alerts["alerts"] if a["entity_id"] == "ofac-1"]
    assert found, alerts
    return found[0]


def test_roles_and_four_eyes_through_the_api(store_url: str) -> None:
    keys = _setup(store_url)
    with live_server(make_app(store_url)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        ana, alex, rui = _login(client, "ana"), _login(client, "alex"), _login(client, "rui")
        aud, ada = _login(client, "aud"), _login(client, "ada")
        assert client.get("/review/me", headers=alex).json()["roles"] == ["analyst",
                                                                         "reviewer"]
        alert = _pending_alert(client, ana)
        aid, version = alert["id"], alert["version"]

        # the auditor reads everything but changes nothing
        assert client.get(f"/review/alerts/{aid}", headers=aud).status_code == 200
        refused = client.post(f"/review/alerts/{aid}/decide", headers=aud,
                              json={"decision": "false_positive", "version": version})
        assert refused.status_code == 403 and "auditor" in refused.json()["detail"]
        assert client.post(f"/review/alerts/{aid}/comments", headers=aud,
                           json={"text": "x"}).status_code == 403
        assert client.post("/review/customers", headers=aud, json={"customers": [
            {"ref": "C-9", "names": ["Someone Else"]}]}).status_code == 403

        # a revoked key is not let in; a key without a role may not act on the book
        assert client.get("/review/alerts", headers={
            "Authorization": f"ApiKey {keys['old']}"}).status_code == 401
        plain = client.get("/review/alerts", headers={"Authorization": f"ApiKey {keys['plain']}"})
        assert plain.status_code == 403 and "role" in plain.json()["detail"]

        # alex (analyst and reviewer) decides; a stale version is refused with 409
        stale = client.post(f"/review/alerts/{aid}/assign", headers=alex,
                            json={"assignee": "alex", "version": version})
        assert stale.status_code == 200
        conflict = client.post(f"/review/alerts/{aid}/decide", headers=alex,
                               json={"decision": "false_positive", "version": version})
        assert conflict.status_code == 409, conflict.text
        shown = client.get(f"/review/alerts/{aid}", headers=alex)
        etag = shown.headers["ETag"]
        decided = client.post(f"/review/alerts/{aid}/decide", headers={**alex, "If-Match": etag},
                              json={"decision": "false_positive", "note": "other person"})
        assert decided.status_code == 200, decided.text
        assert decided.json()["state"] == "pending_approval"
        assert decided.json()["decided_by"] == "alex"
        version = decided.json()["version"]

        # the decider cannot approve their own decision, even holding the reviewer role
        own = client.post(f"/review/alerts/{aid}/approve", headers=alex,
                          json={"version": version})
        assert own.status_code == 403 and "own decision" in own.json()["detail"]
        # an analyst (a person or a key acting as one) is no approver
        for who in (ana, {"Authorization": f"ApiKey {keys['bot']}"}, aud):
            assert client.post(f"/review/alerts/{aid}/approve", headers=who,
                               json={"version": version}).status_code == 403
        # a reviewer who did not decide approves
        approved = client.post(f"/review/alerts/{aid}/approve", headers=rui,
                               json={"version": version})
        assert approved.status_code == 200, approved.text
        assert approved.json()["state"] == "decided"
        assert approved.json()["approval"] == "approved"
        closed = client.post(f"/review/alerts/{aid}/close", headers=ada,
                             json={"version": approved.json()["version"]})
        assert closed.status_code == 200 and closed.json()["state"] == "closed"
        story = client.get(f"/review/alerts/{aid}", headers=aud).json()
        kinds = [e["kind"] for e in story["events"]]
        assert "decided" in kinds and "approved" in kinds and "closed" in kinds

    with Store.open(store_url) as store:
        trail = {(str(e), str(a)) for e, a in store.db.query(
            "SELECT endpoint, key_id FROM audit_log WHERE kind = 'event'")}
    for expected in (("review.decided", "alex"), ("review.approved", "rui"),
                     ("user.add", "test"), ("user.signin", "aud"), ("key.revoke", "test")):
        assert expected in trail


def test_bad_requests_are_clear_never_500(tmp_path: Path) -> None:
    url = str(tmp_path / "r.db")
    keys = _setup(url)
    bot = {"Authorization": f"ApiKey {keys['bot']}"}
    with live_server(make_app(url)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        ana = _login(client, "ana")
        alert = _pending_alert(client, ana)
        aid = alert["id"]
        cases: list[tuple[str, str, dict[str, object] | None, int]] = [
            ("get", "/review/alerts/999999", None, 404),
            ("get", "/review/customers/NOPE", None, 404),
            ("get", "/review/runs/424242", None, 404),
            ("post", f"/review/alerts/{aid}/decide", {"decision": "maybe"}, 400),
            ("post", f"/review/alerts/{aid}/decide", {"decision": 3}, 422),
            ("post", f"/review/alerts/{aid}/comments", {"text": "   "}, 400),
            ("post", f"/review/alerts/{aid}/close", {}, 400),
            ("post", f"/review/alerts/{aid}/approve", {}, 403),
            ("post", "/review/customers", {"customers": [{"ref": " ", "names": ["x"]}]}, 400),
            ("post", "/review/customers", {"customers": []}, 422),
            ("get", "/review/alerts?state=bogus", None, 422),
            ("get", "/review/alerts?limit=0", None, 422),
        ]
        for method, path, body, status in cases:
            answer = client.request(method, path, headers=bot, json=body)
            assert answer.status_code == status, (path, body, answer.text)
            assert answer.json()["detail"], answer.text
        for fmt, garbage in (("xlsx", b"PK\x03\x04 not a zip"), ("parquet", b"\x00\xff"),
                             ("csv", b"\x00\xff no name column"), ("tsv", b"{}")):
            answer = client.post("/review/customers/import", headers=bot,
                                 params={"format": fmt}, content=garbage)
            assert answer.status_code == 400, (fmt, answer.text)
        assert client.post("/review/customers/import", headers=bot,
                           content=b"").status_code == 400
        for path in ("/review/alerts/99999999999999999999999", "/review/runs/-1",
                     "/review/customers?offset=68514968715714953216"):
            assert client.get(path, headers=bot).status_code == 422, path
        # a reviewer's rejection returns the decision to review, undone
        rui = _login(client, "rui")
        pending = client.post(f"/review/alerts/{aid}/decide", headers=bot,
                              json={"decision": "true_match"})
        assert pending.status_code == 200 and pending.json()["decided_by"].startswith("key:")
        rejected = client.post(f"/review/alerts/{aid}/approve", headers=rui,
                               json={"approved": False, "note": "look again",
                                     "version": pending.json()["version"]})
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["state"] == "in_review"
        assert rejected.json()["decision"] is None
        assert rejected.json()["approval"] == "rejected"
        bad_etag = client.post(f"/review/alerts/{aid}/assign",
                               headers={**bot, "If-Match": "yesterday"}, json={"assignee": "x"})
        assert bad_etag.status_code == 400

        # import a CSV file, list with paging, attach and read back a file, start a run
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "name", "birth_date", "segment"])
        for i in range(5):
            writer.writerow([f"F-{i}", f"Person Number{i}", "1980-01-01", "retail"])
        writer.writerow(["F-5", "KIM JONG UN", "1984-01-08", "private"])
        imported = client.post("/review/customers/import", headers=bot,
                               content=buffer.getvalue().encode())
        assert imported.status_code == 200, imported.text
        assert imported.json()["created"] == 6
        again = client.post("/review/customers/import", headers=bot,
                            content=buffer.getvalue().encode()).json()
        assert again["unchanged"] == 6 and again["created"] == 0
        page = client.get("/review/customers", headers=bot,
                          params={"limit": 3, "offset": 2}).json()
        assert page["total"] == 8 and len(page["customers"]) == 3
        assert page["customers"][0]["ref"] == "F-0"
        run = client.post("/review/runs", headers=bot, json={"segment": {"segment": "private"}})
        assert run.status_code == 200, run.text
        assert run.json()["screened"] == 1 and run.json()["opened"] >= 1
        runs = client.get("/review/runs", headers=bot).json()["runs"]
        assert runs[0]["id"] == run.json()["id"]
        attached = client.post(f"/review/alerts/{aid}/attachments", headers={
            **bot, "Content-Type": "text/plain"}, params={"name": "note.txt"},
            content=b"passport checked")
        assert attached.status_code == 200, attached.text
        got = client.get(f"/review/alerts/{aid}/attachments/{attached.json()['id']}",
                         headers=bot)
        assert got.content == b"passport checked"
        closed = client.post("/review/customers/close", headers=bot, json={"refs": ["F-0"]})
        assert closed.json()["changes"][0]["outcome"] == "closed"
        assert client.get("/review/customers/F-0", headers=bot).json()["status"] == "closed"
        schema = client.get("/openapi.json").json()
        assert "/review/alerts/{alert_id}/approve" in schema["paths"]
        assert "/auth/login" in schema["paths"]
