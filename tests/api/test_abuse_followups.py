"""Follow-ups of the overload suite, against a real ``discreet serve`` on loopback.

Reconciliation batches under the same work budget as /match (and screened off the event
loop), failed-authentication floods (limited per client address and claimed key id, never
locking out another client, audited as one counted record a minute), and the bound on
request heads (431 past --max-header-bytes, so waiting connections hold little memory).
"""

from __future__ import annotations

import contextlib
import json
import random
import secrets
import signal
import socket
import time
from collections.abc import Iterator
from dataclasses import MISSING, fields, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from discreet.api.security import AuthFailures, client_address
from discreet.api.settings import ApiSettings, trusted_networks
from discreet.errors import ConfigError
from discreet.store import Store
from discreet.store.audit import AuditRecord
from tests.api.test_abuse_capacity import (
    MAX_WORK,
    SHAPE,
    Served,
    check_error,
    healthz_under_load,
    listed_names,
    query,
    serve,
    unseen_names,
)
from tests.api.test_cli_api import make_group

AUTH_FAILURES = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One worker over the small lists and 2,500 made-up persons; 5 failed logins a minute."""
    with serve(tmp_path_factory.mktemp("followups"), "--poll-every", "0.3",
               "--screen-threads", "2", "--auth-failures", str(AUTH_FAILURES),
               entities=2500) as served:
        yield served


def recon(name: str, limit: int | None = None, extra: list[str] | None = None
          ) -> dict[str, Any]:
    q: dict[str, Any] = {"query": name, "type": "Person"}
    if limit is not None:
        q["limit"] = limit
    if extra:
        q["properties"] = [{"pid": "name", "v": extra}]
    return q


def send_batch(client: httpx.Client, batch: dict[str, Any], how: str) -> httpx.Response:
    text = json.dumps(batch)
    if how == "form":
        return client.post("/reconcile/default", data={"queries": text})
    if how == "json":
        return client.post("/reconcile/default", json={"queries": batch})
    return client.get("/reconcile/default", params={"queries": text})


# --- 1. reconciliation under the work budget ------------------------------------------

def test_reconcile_batches_over_the_work_budget_are_refused_naming_the_bound(
        server: Served) -> None:
    """Queries x limit (x names) summed over a batch is bounded by --max-work, as /match
    is, whichever way the batch is sent; at the bound the batch is answered."""
    ten = [f"Name{i} Person{i}" for i in range(9)]
    cases = [
        ({f"q{i}": recon("Ali Hassan", 100) for i in range(100)}, 10_000, "limit 100"),
        ({f"q{i}": recon("Ali Hassan", 100) for i in range(21)}, 2_100, "limit 100"),
        ({f"q{i}": recon("Ali Hassan", 10, ten) for i in range(3)}, 300 * 1, None),
        ({f"q{i}": recon(f"A{i} B", 100, ten + ["x y"] * 3) for i in range(3)}, 3_000,
         "limit 100"),  # ten distinct names are screened, the rest not
        ({"a": recon("Ali Hassan", 100), **{f"q{i}": recon("Ali Hassan") for i in range(
            100)}}, None, None),  # over --max-batch: 413 of its own
        ({}, 0, None),  # an empty batch: an empty answer
        ({"a": {"type": "Person"}}, 5, None),  # no name: no candidates, counted as one
        ({"a": recon("Ali Hassan", 60, ten), "b": recon("Ali Hassan", 2)}, 602,
         None),  # 10 names x 60 + 1 x 2: allowed
        ({"a": recon("Ali Hassan", 100, ten), "b": recon("Ali Hassan", 100, ten),
          "c": recon("Ali Hassan", 0, ten)}, 2_050, "limits 5 to 100"),  # 0: the default 5
    ]
    with server.client() as client:
        for batch, work, shown in cases:
            for how in ("form", "json", "get"):
                answer = send_batch(client, batch, how)
                if work is None:
                    assert "queries in one request" in check_error(answer, 413)["detail"]
                elif work <= MAX_WORK:
                    assert answer.status_code == 200, (how, answer.text[:300])
                    assert set(answer.json()) == set(batch)
                else:
                    data = check_error(answer, 413)
                    assert f"{work:,} name-results" in data["detail"], (how, data)
                    assert "2,000 (--max-work)" in data["detail"]
                    assert shown is not None and shown in data["detail"], data
                    assert "queries" in data["fields"]
        # Exactly at the bound (20 queries x 10 names x limit 10): answered, and the
        # candidates are the listed persons.
        names = listed_names(200)
        at_bound = {f"q{i}": recon(names[i * 10], 10, names[i * 10 + 1:i * 10 + 10])
                    for i in range(20)}
        answer = send_batch(client, at_bound, "form")
        assert answer.status_code == 200, answer.text[:300]
        assert answer.json()["q0"]["result"][0]["id"] == "eu-1-0"
        # /match counts the same way: one rule, one message.
        over = client.post("/match/default?limit=100", json={"queries": {
            f"q{i}": query(["Ali Hassan"]) for i in range(21)}})
        data = check_error(over, 413)
        assert "2,100 name-results" in data["detail"] and "(--max-work)" in data["detail"]


def test_healthz_answers_while_heavy_reconcile_batches_run(server: Served) -> None:
    """Four clients send heavy but allowed batches (200 names, limit 10: the work budget)
    without pause: /healthz never waits behind them (the batches are screened in the
    screening threads). Each batch is new names: a batch sent again is light."""
    rng = random.Random(11)

    def heavy() -> dict[str, Any]:
        names = unseen_names(200, rng)
        return {f"q{i}": recon(names[i * 10], 10, names[i * 10 + 1:i * 10 + 10])
                for i in range(20)}
    statuses, sizes, waits = healthz_under_load(
        server, lambda client: send_batch(client, heavy(), "form"))
    print(f"{len(statuses)} batches, slowest {max(sizes):.2f} s; /healthz: {len(waits)} "
          f"answers, slowest {max(waits) * 1000:.0f} ms")
    assert statuses and set(statuses) == {200}
    # A /healthz queued behind the four batches in flight would wait about four batches'
    # time: the test proves something only if that is past its bound (screening got fast
    # enough for a fixed 0.2 s a batch to fail on a quiet machine).
    assert 4 * max(sizes) > 0.5, "the batches were not heavy: the test proves nothing"
    assert max(waits) < 0.5, (max(waits), sorted(waits)[-5:], max(sizes))


# --- 3. failed authentication floods ----------------------------------------------------

def from_address(served: Served, address: str, key: str | None = None) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x.y.z on loopback)."""
    headers = {"Authorization": f"ApiKey {key}"} if key else {}
    return httpx.Client(base_url=served.url, timeout=10, headers=headers,
                        transport=httpx.HTTPTransport(local_address=address))


def bad_key(key_id: str | None = None) -> str:
    return f"dk_{key_id or secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


def test_a_flood_of_bad_keys_is_limited_and_locks_nobody_else_out(server: Served) -> None:
    """Past --auth-failures a minute, one address's bad keys get 429 with Retry-After;
    guessing key ids, spoofing X-Forwarded-For or sending no key at all does not escape
    the limit; a good key from the same address, and any key from another, still works."""
    good_id = server.key.split("_")[1]
    with from_address(server, "127.0.0.5") as flood:
        shapes = [{"Authorization": f"ApiKey {bad_key()}"}, {"Authorization": "Bearer x"},
                  {}, {"Authorization": f"ApiKey {bad_key()}",
                       "X-Forwarded-For": f"10.0.0.{secrets.randbelow(200)}"}]
        statuses = [flood.get("/search/default?q=putin", headers=shapes[i % 4]).status_code
                    for i in range(40)]
        assert statuses[:AUTH_FAILURES] == [401] * AUTH_FAILURES, statuses
        assert set(statuses[AUTH_FAILURES:]) == {429}, statuses
        refused = flood.get("/search/default?q=putin",
                            headers={"Authorization": f"ApiKey {bad_key()}"})
        data = check_error(refused, 429)
        assert "--auth-failures" in data["detail"] and "127.0.0.5" in data["detail"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        # The good key, from the same address, is another key id: served.
        ok = flood.get("/search/default?q=putin",
                       headers={"Authorization": f"ApiKey {server.key}"})
        assert ok.status_code == 200, ok.text[:300]
        # Wrong secrets for the good key's id lock that id from this address only...
        guesses = [flood.get("/healthz").status_code] + [
            flood.get("/search/default?q=putin", headers={
                "Authorization": f"ApiKey {bad_key(good_id)}"}).status_code
            for _ in range(AUTH_FAILURES + 3)]
        assert guesses[1:AUTH_FAILURES + 1] == [401] * AUTH_FAILURES
        assert set(guesses[AUTH_FAILURES + 1:]) == {429}
    # ... while the same key from the other address (and /healthz from anywhere) is served.
    with from_address(server, "127.0.0.1", server.key) as other:
        for _ in range(3):
            assert other.get("/search/default?q=putin").status_code == 200
        answer = other.post("/match/default", json={"queries": {"a": query(
            ["Vladimir Putin"])}})
        assert answer.status_code == 200
    with from_address(server, "127.0.0.6") as third:
        # A stranger's first bad key is a plain 401: the flood's lock is not theirs.
        assert third.get("/search/default?q=putin", headers={
            "Authorization": f"ApiKey {bad_key()}"}).status_code == 401


def test_refusals_past_the_limit_are_one_counted_audit_record(tmp_path: Path) -> None:
    """A flood from one address leaves --auth-failures records of its own plus one record
    counting the rest (written when the minute ends or the server stops): bounded, and
    nothing hidden. With --trusted-proxy, X-Forwarded-For names the client."""
    with serve(tmp_path, "--auth-failures", "3", "--trusted-proxy", "127.0.0.1",
               "--public-url", "https://screening.example.com/") as served:
        with served.client() as client:  # --public-url reaches the manifest
            manifest = client.get("/reconcile/default").json()
            assert manifest["identifierSpace"] == "https://screening.example.com/entities/"
        with from_address(served, "127.0.0.1") as client:
            for _ in range(50):
                client.get("/search/default?q=x", headers={
                    "Authorization": f"ApiKey {bad_key()}", "X-Forwarded-For": "10.9.9.9"})
            # Behind the trusted proxy, another client (another forwarded address) is
            # another bucket; a forwarded chain is read from the right.
            other = client.get("/search/default?q=x", headers={
                "Authorization": f"ApiKey {bad_key()}",
                "X-Forwarded-For": "10.9.9.9, 10.1.1.1"})
            assert other.status_code == 401
            locked = client.get("/search/default?q=x", headers={
                "Authorization": f"ApiKey {bad_key()}", "X-Forwarded-For": "10.9.9.9"})
            assert locked.status_code == 429 and "10.9.9.9" in locked.json()["detail"]
        served.proc.send_signal(signal.SIGINT)  # the open minute is written at shutdown
        served.proc.wait(timeout=30)
        with Store.open(served.db) as store:
            rows = store.db.query("SELECT endpoint, status, request FROM audit_log "
                                  "WHERE kind = 'api' ORDER BY at")  # not store events
    single = [r for r in rows if r[0] == "search"]
    counted = [json.loads(str(r[2])) for r in rows if r[0] == "auth"]
    assert len(single) == 3 + 1, rows  # three from 10.9.9.9 and one from 10.1.1.1
    assert [c["client"] for c in counted] == ["10.9.9.9"], counted
    assert counted[0]["refused"] == 50 - 3 + 1 and counted[0]["statuses"] == {"429": 48}
    assert len(rows) == 5 + 1  # and the manifest's own record


def test_auth_failure_table_is_bounded_and_windows_roll() -> None:
    """The tracking table never holds more than its capacity; a pushed-out or ended
    minute writes its count; a new minute starts with a clean slate."""
    written: list[AuditRecord] = []
    failures = AuthFailures(2, written.append, capacity=100, window=0.3)
    for i in range(1000):
        for _ in range(4):  # two within the budget, two past it
            failures.failed(f"10.0.{i // 250}.{i % 250}", "-", 401)
        assert len(failures) <= 100
    assert len(written) == 900 and all(r.request["refused"] == 2 for r in written)
    assert failures.retry_after("10.0.3.249", "-") > 0
    assert failures.retry_after("10.0.3.249", "abcd1234") == 0  # another key id
    time.sleep(0.35)
    failures.sweep()
    assert len(failures) == 0 and len(written) == 1000
    assert failures.retry_after("10.0.3.249", "-") == 0
    assert failures.failed("10.0.3.249", "-", 401)  # audited on its own again


def test_serve_options_come_from_the_settings_table(tmp_path: Path) -> None:
    """Every setting with a flag is an option of `discreet serve` with the same default,
    and a value out of range is refused by the option and by check() alike."""
    group = make_group()
    help_text = CliRunner().invoke(group, ["serve", "--help"], terminal_width=200).output
    for f in fields(ApiSettings):
        spec = f.metadata.get("flag")
        if spec is None:
            continue
        assert spec.flag in help_text, spec.flag
        if spec.low is not None and not isinstance(f.default, bool):
            low = spec.low - (1 if isinstance(f.default, int) else 0.01)
            bad = CliRunner().invoke(group, ["--db", str(tmp_path / "s.db"), "serve",
                                             spec.flag, str(low)])
            assert bad.exit_code == 2 and spec.flag in bad.output, (spec.flag, bad.output)
            assert f.default is not MISSING, f.name  # a setting with a flag has a default
            with pytest.raises(ConfigError, match=spec.flag):
                replace(ApiSettings(), **{f.name: type(f.default)(low)}).check()
    for value in ("ftp://x", "https://x?y=1", "screening.example"):
        refused = CliRunner().invoke(group, ["--db", str(tmp_path / "s.db"), "serve",
                                             "--public-url", value])
        assert refused.exit_code != 0 and "public_url" in str(refused.exception), value
    refused = CliRunner().invoke(group, ["--db", str(tmp_path / "s.db"), "serve",
                                         "--trusted-proxy", "10.0.0.1,proxy.local"])
    assert refused.exit_code != 0 and "proxy.local" in str(refused.exception)


def test_client_address_believes_only_trusted_proxies() -> None:
    trusted = trusted_networks("127.0.0.1, 10.0.0.0/8")
    assert client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9"
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"
    assert client_address("127.0.0.1", "1.2.3.4", trusted) == "1.2.3.4"
    assert client_address("127.0.0.1", "5.6.7.8, 1.2.3.4, 10.1.1.1", trusted) == "1.2.3.4"
    assert client_address("127.0.0.1", "10.1.1.1", trusted) == "10.1.1.1"
    assert client_address("127.0.0.1", "1.2.3.4, garbage", trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", None, trusted) == "127.0.0.1"
    assert client_address(None, "1.2.3.4", trusted) == "unknown"


# --- 4. request heads ----------------------------------------------------------------------

def raw(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` on a new connection; what the server answered before closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and answer.count(b"}") >= 1:
                    head, _, body = answer.partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")]
                    if length and len(body) >= length[0]:
                        break
        except (ConnectionResetError, TimeoutError):
            pass
    return answer


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_request_heads_over_the_limit_get_431_and_hold_little(server: Served) -> None:
    """Heads over --max-header-bytes (64 KiB) are answered 431 in the API's error shape,
    in one piece or trickled; heads under it, a long GET batch and a large body sent with
    its headers are served; 150 connections pushing 1 MiB heads leave memory flat."""
    key = server.key.encode()
    auth = b"Authorization: ApiKey " + key + b"\r\n"
    for pad in (70_000, 300_000, 2_000_000):
        answer = raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                     b"p" * pad + b"\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431"), answer[:200]
        data = json.loads(body)
        assert set(data) == SHAPE and "65,536 bytes (--max-header-bytes)" in data["detail"]
    many = b"".join(b"X-Many-%d: %s\r\n" % (i, b"v" * 40) for i in range(2000))
    assert raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many +
               b"\r\n").startswith(b"HTTP/1.1 431")
    # Trickled in 8 KiB pieces: cut as soon as the head passes the bound.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ")
        answer = b""
        for _ in range(20):
            try:
                sock.sendall(b"p" * 8192)
            except (BrokenPipeError, ConnectionResetError):
                break
            sock.settimeout(0.1)
            try:
                answer += sock.recv(65536)
            except TimeoutError:
                continue
            if answer:
                break
        assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    # Under the bound: served.
    ok = raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 60_000 +
             b"\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200"), ok[:200]
    with server.client() as client:
        batch = {f"q{i}": {"query": f"Name{i} Person{i}"} for i in range(100)}
        text = json.dumps(batch)
        assert len(text) < 20_000  # the longest GET batch validation allows
        long_get = client.get("/reconcile/default", params={"queries": text})
        assert long_get.status_code == 200 and set(long_get.json()) == set(batch)
        # A body far over the head limit, arriving with its headers: not a head.
        names = [f"Name{i} Person{i}" for i in range(10)]
        big = {"queries": {"a": query(names)}, "pad": "x" * 300_000}
        assert client.post("/match/default", json=big).status_code == 200
    body = json.dumps({"queries": {"a": query(["Vladimir Putin"])}}).encode()
    served = raw(server.port, b"POST /match/default HTTP/1.1\r\nHost: x\r\n" + auth +
                 b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
                 + body)
    assert served.startswith(b"HTTP/1.1 200"), served[:200]
    # 150 connections each trying to park a 1 MiB head: all cut at 64 KiB.
    before = rss_kib(server.proc.pid)
    socks = [socket.create_connection(("127.0.0.1", server.port), timeout=10)
             for _ in range(150)]
    cut = 0
    try:
        for sock in socks:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ")
        for _ in range(16):
            for sock in socks:
                with contextlib.suppress(OSError):  # closed by the server, or full
                    sock.sendall(b"p" * 65536)
        grown = rss_kib(server.proc.pid) - before
        for sock in socks:
            sock.settimeout(5)
            try:
                first = sock.recv(200)
                cut += first.startswith(b"HTTP/1.1 431") or first == b""  # 431, or closed
            except ConnectionResetError:
                cut += 1  # reset after the 431 was sent: closed all the same
            except TimeoutError:
                pass  # still open after 5 s: not cut, and the count below fails
    finally:
        for sock in socks:
            sock.close()
    assert cut == 150
    # Under the old 1 MiB limit these heads alone were 150 MiB; now at most 150 x 64 KiB.
    assert grown < 40 * 1024, f"the server grew by {grown} KiB"
    with server.client(5) as client:
        assert client.get("/readyz").status_code == 200
