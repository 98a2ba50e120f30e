"""Fixes from the API review: the JSON shape check is linear on hostile bodies, refusals
before authentication cannot flood the audit log, the audit queue never blocks the event
loop and never grows without bound, a locked store never turns good records into
placeholders, and a client that disconnects mid-body is not a 500.

Real stores (SQLite files), real writer threads, a real uvicorn server on loopback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from discreet.api.jsonbounds import MAX_DEPTH, shape_problem
from discreet.store import Store
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client, live_server

# Bodies the old string pattern took quadratic time on: a string that never closes,
# with an escape (or a stray backslash) repeated to the end.
HOSTILE: list[Callable[[int], bytes]] = [
    lambda n: b"[" * 33 + b'"' + b'\\"' * n,
    lambda n: b"[" * 33 + b'"' + b'\\"' * n + b"\\",
    lambda n: b"[" * 33 + b'\\"' * n,
    lambda n: b'"\\' * n,
    lambda n: b"{" * 40 + b'"k":"' + b"\\u" * n,
]


@pytest.mark.parametrize("make", HOSTILE)
def test_shape_check_is_linear_on_strings_that_never_close(make: Callable[[int], bytes]
                                                          ) -> None:
    """1 MB of a hostile body is judged in well under a second (it took minutes)."""
    body = make(500_000)[:1_000_000]
    started = time.monotonic()
    problem = shape_problem(body)
    took = time.monotonic() - started
    assert took < 1.0, f"{took:.2f} s for {len(body)} bytes"
    assert problem is None or "do not close" in problem or "deeper" in problem


def test_an_unclosed_string_hides_the_brackets_after_it() -> None:
    """A string that runs to the end holds the brackets after its opening quote, as the
    decoder would read them; brackets before it still count."""
    assert shape_problem(b"[" * (MAX_DEPTH + 1) + b'"' + b"]" * 40) is not None
    assert "do not close" in str(shape_problem(b'["' + b"[" * 40))  # not "deeper"
    assert shape_problem(b"[" * MAX_DEPTH + b'"x"' + b"]" * MAX_DEPTH) is None


def test_a_hostile_body_does_not_stall_healthz(small_store: tuple[str, Keys]) -> None:
    """Bodies just under the inline limit (checked on the event loop) and past it: each is
    answered 4xx at once, and /healthz keeps answering meanwhile."""
    url, keys = small_store
    waits: list[float] = []
    statuses: list[int] = []
    with live_server(make_app(url)) as server:
        stop = threading.Event()

        def hostile() -> None:
            with httpx.Client(base_url=server.url, timeout=60, headers={
                    "Authorization": f"ApiKey {keys.screen}",
                    "Content-Type": "application/json"}) as client:
                for size in (30_000, 60_000, 400_000) * 2:
                    body = HOSTILE[0](size // 2)
                    statuses.append(client.post("/match/default", content=body).status_code)
            stop.set()
        thread = threading.Thread(target=hostile)
        thread.start()
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                waits.append(time.monotonic() - started)
                time.sleep(0.02)
        thread.join()
    assert len(statuses) == 6 and all(400 <= s < 500 for s in statuses), statuses
    assert waits and max(waits) < 0.5, sorted(waits)[-5:]


# --- 2. refusals before authentication cannot flood the audit log ----------------------

FLOODS: list[tuple[str, str, dict[str, Any], int]] = [
    ("DELETE", "/match/default", {}, 405),
    ("GET", "/entities/a/b/c", {}, 404),  # a screening path: audited
    ("POST", "/match/default", {"content": b"[" * 40 + b"]" * 40,
                                "headers": {"Content-Type": "application/json"}}, 422),
    ("POST", "/match/default", {"content": b"x" * 2000,
                                "headers": {"Content-Type": "application/json"}}, 413),
]


def audit_rows(url: str) -> list[tuple[str, str, int, dict[str, Any]]]:
    with Store.open(url) as store:
        rows = store.db.query("SELECT key_id, endpoint, status, request FROM audit_log "
                              "WHERE kind = 'api'")  # the requests, not store events
    return [(str(r[0]), str(r[1]), int(str(r[2])), json.loads(str(r[3]))) for r in rows]


@pytest.mark.parametrize(("method", "path", "options", "status"), FLOODS)
def test_refusals_before_authentication_are_bounded_per_address_and_id(
        small_store: tuple[str, Keys], method: str, path: str, options: dict[str, Any],
        status: int) -> None:
    """Forty refusals with forged key ids (and forty with a real key's id and a wrong
    secret) leave at most --auth-failures + 1 records each, every refusal counted; a forged
    id is never written as a key id; the real key still works afterwards."""
    url, keys = small_store
    real_id = keys.screen.split("_")[1]

    async def go() -> None:
        async with api_client(make_app(url, auth_failures=3, max_body_bytes=1000),
                              None) as client:
            for i in range(40):
                forged = {"Authorization": f"ApiKey dk_forged{i}_{secrets.token_hex(8)}"}
                extra = {**options, "headers": {**options.get("headers", {}), **forged}}
                assert (await client.request(method, path, **extra)).status_code == status
            for _ in range(40):
                wrong = {"Authorization": f"ApiKey dk_{real_id}_{secrets.token_hex(8)}"}
                extra = {**options, "headers": {**options.get("headers", {}), **wrong}}
                assert (await client.request(method, path, **extra)).status_code == status
            ok = await client.get("/search/default", params={"q": "putin"},
                                  headers={"Authorization": f"ApiKey {keys.screen}"})
            assert ok.status_code == 200, ok.text
    asyncio.run(go())  # the app stops: the open minutes' counts are written
    rows = [r for r in audit_rows(url) if r[1] != "search"]
    assert {r[0] for r in rows} <= {"anonymous", real_id}, rows
    forged = [r for r in rows if r[0] == "anonymous"]
    mine = [r for r in rows if r[0] == real_id]
    assert len(forged) == 3 + 1 and len(mine) == 3 + 1, rows
    for group in (forged, mine):
        single = [r for r in group if r[1] != "auth"]
        counted = [r[3] for r in group if r[1] == "auth"]
        assert len(single) == 3 and all(r[2] == status for r in single)
        assert counted[0]["refused"] == 40 - 3 and counted[0]["statuses"] == {
            str(status): 37}
    assert all(r[3]["claimed_key_id"].startswith("forged") for r in forged if r[1] != "auth")


def test_a_rate_limited_key_writes_bounded_records(small_store: tuple[str, Keys]) -> None:
    """A key past its rate limit is answered 429 each time; at most --auth-failures + 1
    records a minute say so, with every 429 counted."""
    url, keys = small_store
    slow_id = keys.slow.split("_")[1]

    async def go() -> list[int]:
        async with api_client(make_app(url, auth_failures=3), keys.slow) as client:
            return [(await client.get("/search/default", params={"q": "kim"})).status_code
                    for _ in range(60)]
    statuses = asyncio.run(go())
    limited = statuses.count(429)
    assert limited >= 40, statuses
    rows = [r for r in audit_rows(url) if r[0] == slow_id and r[2] == 429]
    single = [r for r in rows if r[1] != "auth"]
    counted = [r[3] for r in rows if r[1] == "auth"]
    assert len(single) == 3 and len(counted) == 1, rows
    assert counted[0]["refused"] == limited - 3


# --- 7. a client that hangs up mid-body ----------------------------------------------

@pytest.mark.parametrize(("path", "kind"), [
    ("/reconcile/default", "application/x-www-form-urlencoded"),
    ("/reconcile/default", "application/json"),
    ("/match/default", "application/json"),
    ("/match/default", "application/octet-stream"),
])
def test_a_client_gone_mid_body_is_no_500_and_no_traceback(
        small_store: tuple[str, Keys], caplog: pytest.LogCaptureFixture, path: str,
        kind: str) -> None:
    url, keys = small_store
    with live_server(make_app(url)) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\n"
                         f"Authorization: ApiKey {keys.screen}\r\n"
                         "Content-Length: 5000\r\n\r\nqueries=%7B".encode())
            time.sleep(0.3)
        time.sleep(0.5)
        with httpx.Client(base_url=server.url, timeout=10) as client:
            assert client.get("/healthz").status_code == 200
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    statuses = [r[2] for r in audit_rows(url)]
    assert statuses and all(s < 500 for s in statuses), statuses
