"""Overload and slow clients against a real ``discreet serve`` on loopback.

Slowloris (connections that never finish their headers or body), a connection flood past
the cap, work beyond the per-request budget, ``/healthz`` while heavy requests run, and how
soon a new list version is served while clients hammer the server. Each server is the real
command (uvicorn, the guarded h11 protocol), with short deadlines so that every test ends
in seconds.
"""

from __future__ import annotations

import json
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from discreet.api.settings import ApiSettings
from discreet.model import Entity
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import small_lists
from tests.api.helpers import load_entities, person
from tests.api.test_updates import found, version_with

SHAPE = {"status", "error", "detail", "fields"}
HEADER_TIMEOUT = 2.0
BODY_TIMEOUT = 2.0
MAX_CONNECTIONS = 150
MAX_WORK = 2000
STALE_BOUND = ApiSettings().poll_seconds + 20.0  # seconds: see docs/api.md, "Updates"
SYLLABLES = ("ka", "lo", "mi", "ran", "tes", "vor", "del", "pa", "su", "gen", "hal", "ri",
             "bo", "zan", "ek", "mur", "tal", "nes", "ov", "ich")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def crowd(count: int, seed: int, source: str = "eu_fsf") -> list[Entity]:
    """``count`` listed persons with made-up three-word names (a list the size of a real one
    makes screening with threshold 0 heavy, which is what these tests need)."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
    return [person(f"eu-{seed}-{i}", f"{word()} {word()} {word()}", source)
            for i in range(count)]


def listed_names(count: int) -> list[str]:
    """The names of the first ``count`` made-up persons the servers hold."""
    return [e.names[0].value for e in crowd(count, 1)]


def unseen_names(count: int, rng: random.Random) -> list[str]:
    """``count`` names no request sent before: three listed names joined, each with one
    letter doubled. The matcher keeps what it learnt of each word it met, so a batch sent
    again costs a fraction of its first time: a heavy request must be new every time."""
    listed = listed_names(600)

    def doubled(name: str) -> str:
        at = rng.randrange(1, len(name) - 1)
        return name[:at] + name[at] + name[at:]
    return [" ".join(doubled(rng.choice(listed)) for _ in range(3)) for _ in range(count)]


@dataclass
class Served:
    url: str
    port: int
    db: str
    key: str
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout,
                            headers={"Authorization": f"ApiKey {self.key}"})


def low_files_limit() -> None:
    """In the server's process before it starts: a soft open-files limit of 512."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(512, hard), hard))


def files_limits(pid: int) -> tuple[str, str]:
    """(soft, hard) open-files limits of a running process."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            soft, hard = line.split()[3:5]
            return soft, hard
    raise AssertionError("no open-files limit in /proc")


@contextmanager
def serve(tmp: Path, *options: str, entities: int = 0, workers: int = 1
          ) -> Iterator[Served]:
    """``python -m discreet serve`` over a fresh store: the small lists, ``entities`` made-up
    persons beside them, and one key without a practical rate limit."""
    db = str(tmp / "capacity.db")
    with Store.open(db) as store:
        small_lists(store)
        if entities:
            load_entities(store, "eu_fsf", crowd(entities, 1))
        key = create_key(store.db, "load", ("screen",), rate_limit=10**7)[1]
    port = free_port()
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            # Started with a low soft limit on open files, which the server must raise.
            [sys.executable, "-m", "discreet", "--db", db, "serve", "--port", str(port),
             "--header-timeout", str(HEADER_TIMEOUT), "--body-timeout", str(BODY_TIMEOUT),
             "--max-connections", str(MAX_CONNECTIONS), "--max-work", str(MAX_WORK),
             "--workers", str(workers), *options], stdout=out, stderr=subprocess.STDOUT,
            cwd=tmp, preexec_fn=low_files_limit)
    served = Served(f"http://127.0.0.1:{port}", port, db, key, proc, log)
    try:
        # Each new connection may reach any worker: ready once a run of them says so.
        deadline, streak = time.monotonic() + 90, 0
        while streak < 10 * workers:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not become ready"
            try:
                with served.client(5) as client:
                    ok = client.get("/readyz").status_code == 200
            except httpx.TransportError:
                ok = False
            streak = streak + 1 if ok else 0
            if not ok:
                time.sleep(0.2)
        yield served
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One worker over the small lists and 2,500 made-up persons."""
    with serve(tmp_path_factory.mktemp("capacity"), "--poll-every", "0.3",
               "--screen-threads", "2", entities=2500) as served:
        yield served


def closed_by_server(sock: socket.socket, within: float) -> bytes | None:
    """What the server sent before closing ``sock`` (None: still open after ``within``)."""
    sock.settimeout(within)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        return data
    except TimeoutError:
        return None
    return data


def check_error(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    data: dict[str, Any] = answer.json()
    assert set(data) == SHAPE and data["status"] == status and data["detail"], data
    return data


def query(names: list[str]) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": names}}


def test_half_open_connections_are_closed_and_real_clients_still_served(
        server: Served) -> None:
    """300 connections that send nothing or half a request, twice the cap: the oldest are
    pushed out at once, the rest closed at the header deadline (408 for a started request),
    and a real request is answered promptly throughout."""
    silent: list[socket.socket] = []
    partial: list[socket.socket] = []
    try:
        for i in range(300):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            if i % 3 == 0:
                sock.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Le")
                partial.append(sock)
            else:
                silent.append(sock)
        opened = time.monotonic()
        with server.client(5) as client:
            started = time.monotonic()
            assert client.get("/healthz").status_code == 200
            answer = client.post("/match/default", json={"queries": {"a": query(
                ["Vladimir Putin"])}})
            assert answer.status_code == 200
            assert answer.json()["responses"]["a"]["results"][0]["id"] == "ofac-1"
            assert time.monotonic() - started < 2.0
        # Past the cap: the connections opened first were closed to make room.
        assert closed_by_server(silent[0], 0.5) == b""
        outcomes = [closed_by_server(s, HEADER_TIMEOUT + 3) for s in silent + partial]
        assert time.monotonic() - opened < HEADER_TIMEOUT + 4
        assert all(o is not None for o in outcomes), "a half-open connection stayed open"
        timed_out = [o for o in outcomes[len(silent):] if o]
        assert timed_out, "no started request was answered 408"
        for answer_bytes in timed_out:
            head, _, body = answer_bytes.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 408"), head
            data = json.loads(body)
            assert set(data) == SHAPE and "headers not received within 2 s" in data["detail"]
        assert all(o == b"" for o in outcomes[:len(silent)])  # nothing sent, nothing owed
    finally:
        for sock in silent + partial:
            sock.close()
    with server.client(5) as client:  # and the server is as good as new
        assert client.get("/readyz").status_code == 200
    soft, hard = files_limits(server.proc.pid)  # started at 512, raised to the hard limit
    assert soft == hard, (soft, hard)


def test_slow_headers_and_slow_bodies_meet_their_deadlines(server: Served) -> None:
    """A header trickle is cut at the header deadline however steadily it drips; a body is
    cut at the body deadline; a kept-alive connection gets the same deadline for its next
    request."""
    # One byte every 0.3 s: each byte is in time, the whole is not.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        started = time.monotonic()
        request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
        closed_at = None
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed_at = time.monotonic()
                break
            sock.settimeout(0.3)
            try:
                if sock.recv(65536).startswith(b"HTTP/1.1 408"):
                    closed_at = time.monotonic()
                    break
            except TimeoutError:
                pass
        assert closed_at is not None, "a trickled header was never cut off"
        assert HEADER_TIMEOUT - 0.2 < closed_at - started < HEADER_TIMEOUT + 1.5
    # Headers in time, then 10 of 1,000 body bytes.
    key = server.key.encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey " +
                     key + b"\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"queries\"")
        started = time.monotonic()
        answer = closed_by_server(sock, BODY_TIMEOUT + 3)
        assert answer is not None and answer.startswith(b"HTTP/1.1 408"), answer
        assert BODY_TIMEOUT - 0.2 < time.monotonic() - started < BODY_TIMEOUT + 1.5
        assert b"body not received within 2 s" in answer
    # A whole request on a kept-alive connection, then half of the next one.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        first = b""
        while not first.endswith(b'{"status":"ok"}'):
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        started = time.monotonic()
        answer = closed_by_server(sock, HEADER_TIMEOUT + 3)
        assert answer is not None and answer.startswith(b"HTTP/1.1 408"), answer
        assert time.monotonic() - started < HEADER_TIMEOUT + 1.5


def test_work_over_the_budget_is_refused_naming_the_bound(server: Served) -> None:
    """The reported request (100 queries x 10 names, limit 500, threshold 0) and others of
    its class get a 413 that names the bound; a request at the bound is served."""
    ten = [f"Name{i} Person{i}" for i in range(10)]
    cases = [
        ({f"q{i}": query(ten) for i in range(100)}, 500, 500_000),
        ({"a": query(ten)}, 500, 5_000),
        ({f"q{i}": query(["Ali Hassan"]) for i in range(100)}, 21, 2_100),
        ({"a": query([f"A{i} B" for i in range(40)])}, 201, 2_010),  # 10 names are screened
    ]
    with server.client() as client:
        for queries, limit, work in cases:
            answer = client.post(f"/match/default?limit={limit}&threshold=0",
                                 json={"queries": queries})
            data = check_error(answer, 413)
            assert f"{work:,} name-results" in data["detail"], data
            assert "2,000 (--max-work)" in data["detail"] and "query.limit" in data["fields"]
        # Duplicates count once; at the bound exactly, the answer comes (limit 500, 4 names).
        listed = listed_names(3)
        at_bound = {"a": query([listed[0], f" {listed[0]} ", listed[1]]),
                    "b": query([listed[2], "Ali Hassan"])}
        answer = client.post("/match/default?limit=500&threshold=0",
                             json={"queries": at_bound})
        assert answer.status_code == 200, answer.text[:300]
        results = answer.json()["responses"]
        assert sum(len(r["results"]) for r in results.values()) <= 2 * 500
        assert len(results["a"]["results"]) > 5  # threshold 0 brings many
        over = client.post("/match/default?limit=101", json={"queries": {f"q{i}": query(
            ["Ali Hassan", "Ali Hasan"]) for i in range(10)}})
        check_error(over, 413)


def healthz_under_load(server: Served, send: Callable[[httpx.Client], httpx.Response]
                       ) -> tuple[list[int], list[float], list[float]]:
    """Four clients ``send`` heavy requests without pause while /healthz is polled for 4 s:
    (their statuses, their durations, /healthz's waits)."""
    stop = threading.Event()
    statuses: list[int] = []
    sizes: list[float] = []

    def hammer() -> None:
        with server.client(60) as client:
            while not stop.is_set():
                started = time.monotonic()
                statuses.append(send(client).status_code)
                sizes.append(time.monotonic() - started)
    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    waits: list[float] = []
    try:
        time.sleep(0.5)
        with httpx.Client(base_url=server.url, timeout=10) as client:
            until = time.monotonic() + 4
            while time.monotonic() < until:
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                waits.append(time.monotonic() - started)
                time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    return statuses, sizes, waits


def test_healthz_answers_while_heavy_requests_run(server: Served) -> None:
    """Four clients send heavy but allowed requests (200 names, limit 10, threshold 0) while
    /healthz is polled: it never waits behind the screening."""
    rng = random.Random(7)

    def heavy() -> dict[str, Any]:
        names = unseen_names(200, rng)
        return {"queries": {f"q{i}": query(names[i * 10:i * 10 + 10]) for i in range(20)}}
    statuses, sizes, waits = healthz_under_load(server, lambda client: client.post(
        "/match/default?limit=10&threshold=0", json=heavy()))
    assert statuses and set(statuses) == {200}
    assert max(sizes) > 0.2, "the requests were not heavy: the test proves nothing"
    assert max(waits) < 0.5, (max(waits), sorted(waits)[-5:], max(sizes))


def idle_build_seconds(log: Path) -> float:
    """The longest first index build the workers logged (at start, before any request)."""
    found = [float(m.group(1)) for m in re.finditer(
        r"index 1 ready: .* \(built in ([\d.]+) s", log.read_text())]
    assert found, log.read_text()[-2000:]
    return max(found)


def test_a_new_version_is_served_within_the_bound_under_load(tmp_path: Path) -> None:
    """Two workers, six clients screening without pause: a new version loaded into the
    store is served by every worker within the poll interval plus twice the time an index
    takes to build on an idle worker (docs/api.md), and no request fails meanwhile."""
    alpha = {"queries": {"a": query(["Alpha Onesimus Uno"])}}
    started = time.monotonic()
    with serve(tmp_path, "--poll-every", "0.3", entities=2000, workers=2) as served:
        build = idle_build_seconds(served.log)
        print(f"ready after {time.monotonic() - started:.1f} s; idle build {build} s")
        stop = threading.Event()
        seen_at: list[float | None] = [None] * 6
        failures: list[str] = []

        def hammer(n: int) -> None:
            with served.client() as client:
                while not stop.is_set():
                    r = client.post("/match/default", json=alpha)
                    if r.status_code != 200:
                        failures.append(r.text[:200])
                        continue
                    if found(r.json(), "a"):
                        seen_at[n] = seen_at[n] or time.monotonic()
                    else:
                        seen_at[n] = None
        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        try:
            time.sleep(1.0)
            assert not any(seen_at)
            with Store.open(served.db) as store:
                version_with(store, "Alpha Onesimus Uno")
            committed = time.monotonic()
            bound = 0.3 + 2 * build + 1.0
            streak, deadline = 0, committed + bound + 10
            streak_from = committed
            while (streak < 20 or not all(seen_at)) and time.monotonic() < deadline:
                asked = time.monotonic()
                with served.client() as fresh:  # a new connection: either worker
                    answer = fresh.post("/match/default", json=alpha)
                if not found(answer.json(), "a"):
                    streak = 0
                elif streak == 0:  # the run of new answers (both workers) starts here
                    streak, streak_from = 1, asked
                else:
                    streak += 1
            # served from the first of the unbroken run of new answers, not from the end of
            # the 20 requests that prove it
            served_after = max([streak_from, *(t for t in seen_at if t)]) - committed
        finally:
            stop.set()
            for t in threads:
                t.join()
    print(f"served after {served_after:.1f} s (bound {bound:.1f} s)")
    assert failures == []
    assert streak >= 20 and all(seen_at), "the new version was not served in time"
    assert served_after <= bound, (served_after, build)
    assert served_after <= STALE_BOUND
