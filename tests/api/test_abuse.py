"""Hostile input against a real ``discreet serve`` on loopback: never a 500, nothing unlogged.

One server process (the real command, uvicorn, h11) serves the whole module. Each test uses
a key of its own and counts what it sends that reaches the application; the audit log must
then hold exactly that many records for the key (a refused request too), none of them a
500 or a placeholder for a record the store refused. Requests the HTTP parser refuses
before the application sees them (a duplicate Content-Length…) are answered 4xx in plain
text and are not the application's to log. Slow clients and oversized work are covered by
test_abuse_capacity.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest

from discreet.api.errors import ApiError
from discreet.api.jsonbounds import MAX_DEPTH, loads_bounded, shape_problem
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import small_lists

ROOT = Path(__file__).resolve().parents[2]
SHAPE = {"status", "error", "detail", "fields"}
SCREENING = ("/match", "/reconcile", "/search", "/entities")
REFUSED = {401, 403, 413, 422, 429}
PUTIN = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """The running ``discreet serve``, its keys (name -> (id, secret)) and what it logged."""

    url: str
    port: int
    db: str
    keys: dict[str, tuple[str, str]]
    log: Path
    proc: subprocess.Popen[bytes]
    expected: Counter[str] = field(default_factory=Counter)  # key id -> records to find

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"ApiKey {self.keys[name][1]}"}

    def client(self, name: str | None = None) -> httpx.Client:
        headers = self.auth(name) if name else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=TIMEOUT)

    def expect(self, key_id: str, path: str, status: int, body: bytes) -> None:
        """Count a request the application answered and must have logged."""
        assert status < 500, (path, status, body[:300])
        if not reached_app(status, body):
            return
        if path.startswith(SCREENING) or status in REFUSED:
            self.expected[key_id] += 1

    def audit_counts(self) -> Counter[str]:
        with Store.open(self.db) as store:
            rows = store.db.query("SELECT key_id, COUNT(*) FROM audit_log GROUP BY key_id")
        return Counter({str(k): int(str(n)) for k, n in rows})

    def wait_logged(self, *key_ids: str) -> Counter[str]:
        """The audit counts once the given keys' records are all written (or 15 s passed)."""
        deadline = time.monotonic() + 15
        counts = self.audit_counts()
        while time.monotonic() < deadline and any(
                counts[k] < self.expected[k] for k in key_ids):
            time.sleep(0.2)
            counts = self.audit_counts()
        time.sleep(0.6)  # one more writer cycle: a record too many would show now
        return self.audit_counts()

    def assert_logged(self, *names: str) -> None:
        ids = [self.keys[n][0] for n in names]
        counts = self.wait_logged(*ids)
        for name, key_id in zip(names, ids, strict=True):
            assert counts[key_id] == self.expected[key_id], (name, counts, self.expected)
        with Store.open(self.db) as store:
            bad = store.db.query("SELECT key_id, endpoint, status, request FROM audit_log "
                                 "WHERE status >= 500 OR request LIKE ?",
                                 ("%unwritable%",))
        assert bad == []


def reached_app(status: int, body: bytes) -> bool:
    """True when the answer came from the application (its JSON), not the HTTP parser or
    the connection guard (a head over --max-header-bytes: 431 in the same JSON shape)."""
    if status < 400:
        return True
    if status == 431:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and set(data) == SHAPE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python -m discreet --db … serve`` on a free loopback port, with its own keys."""
    tmp = tmp_path_factory.mktemp("abuse")
    db = str(tmp / "abuse.db")
    keys: dict[str, tuple[str, str]] = {}
    with Store.open(db) as store:
        small_lists(store)
        for name in ("surrogate", "other", "nesting", "headers", "garbage", "refused",
                     "docs"):
            record, secret = create_key(store.db, name, ("screen",), rate_limit=10**6)
            keys[name] = (record.id, secret)
        record, secret = create_key(store.db, "slow", ("screen",), rate_limit=5)
        keys["slow"] = (record.id, secret)
        record, secret = create_key(store.db, "admin", ("admin",), rate_limit=10**6)
        keys["admin"] = (record.id, secret)
    port = free_port()
    log = tmp / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DISCREET_PUBLIC_URL"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "discreet", "--db", db, "serve", "--port", str(port),
             "--poll-every", "0.3", "--max-body", "200000",
             # Every request here must leave its own record: no collapsing (that is
             # tested in test_review_fixes.py).
             "--auth-failures", "1000000"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    srv = Server(f"http://127.0.0.1:{port}", port, db, keys, log, proc)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not become ready"
            try:
                if httpx.get(f"{srv.url}/readyz", headers=srv.auth("admin")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield srv
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def raw_request(port: int, data: bytes, *, half_close: bool = False) -> tuple[int, bytes]:
    """Send bytes as they are; (status, body) of the answer, (0, b"") if none came."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except BrokenPipeError:
            pass  # the server answered before reading it all: the answer is still to read
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    answer = b"".join(chunks)
    if not answer.startswith(b"HTTP/1.1 "):
        return 0, b""
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if length:  # the first answer only (a left-over may be parsed as a second request)
        body = body[:int(length.group(1))]
    return int(head.split(b" ", 2)[1]), body


def http(method: str, path: str, headers: list[tuple[str, bytes]], body: bytes = b"",
         *, length: bool = True) -> bytes:
    """A raw HTTP/1.1 request (Connection: close), headers exactly as given."""
    lines = [f"{method} {path} HTTP/1.1".encode()]
    lines += [name.encode() + b": " + value for name, value in headers]
    if length:
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def check_error(answer: httpx.Response, *codes: int) -> dict[str, Any]:
    assert answer.status_code in codes, (answer.status_code, answer.text[:300])
    data: dict[str, Any] = answer.json()
    assert set(data) == SHAPE and data["detail"], data
    return data


def test_lone_surrogates_screened_and_logged_with_everything_else(server: Server) -> None:
    """The reported case: a lone surrogate in one key's request cost another key's records."""
    sid, oid = server.keys["surrogate"][0], server.keys["other"][0]
    body = b'{"queries": {"q0": {"query": "Vladimir Putin\\ud800", "type": "Person"}}}'
    with server.client("surrogate") as sur, server.client("other") as other:
        for _ in range(15):
            r = sur.post("/reconcile/default", content=body,
                         headers={"Content-Type": "application/json"})
            server.expect(sid, "/reconcile", r.status_code, r.content)
            assert r.status_code == 200
            top = r.json()["q0"]["result"][0]
            assert top["id"] == "ofac-1"  # screened, with the surrogate replaced
            for _ in range(10):
                ok = other.post("/match/default", json=PUTIN)
                server.expect(oid, "/match", ok.status_code, ok.content)
                assert ok.status_code == 200
        variants: list[tuple[str, str, dict[str, Any]]] = [
            ("POST", "/match/default", {"content": b'{"queries": {"a": {"schema": "Person", '
                                        b'"properties": {"name": ["Putin \\udfff"]}}}}'}),
            ("POST", "/match/default", {"content": b'{"queries": {"\\ud800": {"schema": '
                                        b'"Person", "properties": {"name": ["Kim Jong Un"]}}}}'}),
            ("POST", "/match/default", {"content": b'{"queries": {"a": {"schema": "\\udc00",'
                                        b' "properties": {"name": ["x"]}}}}'}),
            ("POST", "/match/default", {"content": b'{"queries": {"a": {"schema": "Person", '
                                        b'"properties": {"name": ["\xed\xa0\x80 Putin"]}}}}'}),
            ("POST", "/match/default?algorithm=%ED%A0%80", {"json": PUTIN}),
            ("GET", "/search/default?q=Putin%ED%A0%80", {}),
            ("GET", "/search/default?q=%5Cud800", {}),
            ("GET", "/entities/%ED%A0%80", {}),
            ("GET", "/reconcile/default?queries=" + quote('{"q": {"query": "\\ud800"}}'), {}),
            ("POST", "/reconcile/default", {"data": {"queries": '{"q": {"query": "\\ud800"}}'}}),
            ("GET", "/reconcile/default/suggest/entity?prefix=%ED%A0%80", {}),
        ]
        for method, path, kwargs in variants:
            r = sur.request(method, path, **kwargs)
            server.expect(sid, path, r.status_code, r.content)
            assert r.status_code in (200, 400, 404, 422), (path, r.text[:300])
            r.json()  # an answer that is itself valid JSON and UTF-8
    headers = [("Host", b"127.0.0.1"), ("Authorization", b"ApiKey " +
                                        server.keys["surrogate"][1].encode()),
               ("Content-Type", b"application/json"), ("X-Name", b"\xed\xa0\x80\xff")]
    status, answer = raw_request(server.port, http("POST", "/match/default", headers,
                                                   json.dumps(PUTIN).encode()))
    server.expect(sid, "/match", status, answer)
    assert status == 200
    server.assert_logged("surrogate", "other")
    with Store.open(server.db) as store:
        rows = store.db.query("SELECT request FROM audit_log WHERE key_id = ? AND "
                              "endpoint = 'reconcile'", (sid,))
    assert any("Vladimir Putin\ufffd" in str(r[0]) for r in rows)


def deep(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def test_deep_nesting_is_a_4xx_everywhere(server: Server) -> None:
    kid = server.keys["nesting"][0]
    objects = '{"a":' * 3000 + "1" + "}" * 3000
    match_deep_id = json.dumps(PUTIN)[:-3] + ', "id": ' + deep(5000) + "}}}"
    bodies = {
        "array body": deep(20_000),
        "object body": objects,
        "unclosed": "[" * 50_000,
        "queries list": '{"queries": ' + deep(5000) + "}",
        "deep id": match_deep_id,
        "deep config": '{"queries": {}, "config": ' + deep(2000, '{"x": 1}') + "}",
        "just over the bound": '{"queries": ' + deep(40) + "}",
        "brackets in strings": '{"queries": {"a": {"schema": "Person", "properties": '
                               '{"name": ["' + "[" * 5000 + '"]}}}, "x": ' + deep(100) + "}",
    }
    with server.client("nesting") as client:
        for name, text in bodies.items():
            for path in ("/match/default", "/reconcile/default", "/updatez"):
                for kind in ("application/json", "text/plain", None):
                    headers = {"Content-Type": kind} if kind else {}
                    r = client.post(path, content=text.encode(), headers=headers)
                    server.expect(kid, path, r.status_code, r.content)
                    data = check_error(r, 400, 422)
                    assert data["fields"], (name, path, data)
        form_deep = {"queries": deep(8000)}
        r = client.post("/reconcile/default", data=form_deep)
        server.expect(kid, "/reconcile", r.status_code, r.content)
        assert check_error(r, 400)["fields"] == ["queries"]
        for text in (deep(9000), '{"q": {"query": "x", "properties": [' + deep(900) + "]}}",
                     '{"q": {"query": "x", "properties": [{"pid": "name", "v": ' +
                     '{"a":' * 3000 + "1" + "}" * 3000 + "}]}}"):
            r = client.get("/reconcile/default", params={"queries": text})
            server.expect(kid, "/reconcile", r.status_code, r.content)
            assert check_error(r, 400)["fields"] == ["queries"]
        fine = client.post("/reconcile/default",
                           data={"queries": '{"q": {"query": "Vladimir Putin"}}'})
        server.expect(kid, "/reconcile", fine.status_code, fine.content)
        assert fine.json()["q"]["result"][0]["id"] == "ofac-1"
    server.assert_logged("nesting")


def test_an_oversized_head_always_gets_its_431(server: Server) -> None:
    """A head far over the limit, sent whole: the client reads the 431 every time. (Closed
    with the client's bytes unread, the kernel answered with a reset, and a client still
    sending lost the answer now and then: connections._linger.)"""
    request = http("GET", "/search/default?q=putin",
                   [("Host", b"x"), ("X-Pad", b"p" * 3_000_000)])
    for _ in range(12):
        with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as sock:
            sock.sendall(request)  # a reset before the end would raise here
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]


def test_header_variants(server: Server) -> None:
    kid, key = server.keys["headers"][0], server.keys["headers"][1].encode()
    auth = ("Authorization", b"ApiKey " + key)
    putin = json.dumps(PUTIN).encode()
    cases: list[tuple[str, str, list[tuple[str, bytes]], bytes, bool]] = [
        ("GET", "/reconcile/default", [("Host", b"evil.example"), auth], b"", True),
        ("GET", "/reconcile/default", [("Host", b"evil.example:666"),
                                       ("X-Forwarded-Host", b"evil2.example"),
                                       ("Forwarded", b"host=evil3.example"), auth], b"", True),
        ("GET", "/reconcile/default", [("Host", b"a" * 5000), auth], b"", True),
        ("GET", "/reconcile/default", [("Host", b"\xed\xa0\x80"), auth], b"", True),
        ("GET", "/reconcile/default", [auth], b"", True),  # no Host at all
        ("POST", "/match/default", [("Host", b"x"), auth, ("X-Pad", b"p" * 60_000)],
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth, ("X-Pad", b"p" * 2_000_000)],
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth] + [("X-Many", b"v")] * 2000,
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth, ("Content-Length", b"5")],
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth,
                                    ("Content-Length", str(len(putin)).encode())], putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth, ("Content-Length", b"-1")],
         putin, False),
        ("POST", "/match/default", [("Host", b"x"), auth, ("Content-Length", b"1e3")],
         putin, False),
        ("POST", "/match/default", [("Host", b"x"), auth,
                                    ("Content-Type", b"application/xml")], putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth,
                                    ("Content-Type", b"multipart/form-data; boundary=zz")],
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth,
                                    ("Content-Type", b"application/json; charset=utf-16")],
         putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth,
                                    ("Content-Type", b"application/json"),
                                    ("Content-Type", b"text/html")], putin, True),
        ("POST", "/match/default", [("Host", b"x"), auth, ("Content-Type", b"\xff\xfe")],
         putin, True),
        ("POST", "/reconcile/default", [("Host", b"x"), auth,
                                        ("Content-Type", b"application/json")],
         b"queries=" + quote_plus('{"q": {"query": "x"}}').encode(), True),
        ("GET", "/search/default?q=putin", [("Host", b"x"), ("Authorization", b"ApiKey")],
         b"", True),
        ("GET", "/search/default?q=putin", [("Host", b"x"), ("Authorization", b"Bearer " +
                                                             b"k" * 20_000)], b"", True),
        ("GET", "/search/default?q=putin", [("Host", b"x"),
                                            ("Authorization", b"ApiKey \xed\xa0\x80")],
         b"", True),
        ("GET", "/search/default?q=putin", [("Host", b"x"), auth, auth], b"", True),
    ]
    before = server.audit_counts()
    for method, path, headers, body, length in cases:
        status, answer = raw_request(server.port, http(method, path, headers, body,
                                                       length=length))
        assert status and status != 500 and status < 500, (path, headers[:3], answer[:200])
        assert b"evil" not in answer
        if headers and headers[0][1] == b"evil.example":
            assert status == 200 and b"identifierSpace" in answer
        presented = [v for n, v in headers if n == "Authorization"]
        if presented and presented[0].startswith(b"ApiKey " + key):
            server.expect(kid, path, status, answer)
        elif reached_app(status, answer):
            server.expected["anonymous"] += 1
    # Transfer-Encoding and Content-Length both, and a body that is no chunk: the headers
    # were whole, so the application saw the request (and logs it) before the HTTP parser
    # refused the body with a plain-text 400.
    bad_chunk = http("POST", "/match/default", [("Host", b"x"), auth,
                                                ("Transfer-Encoding", b"chunked")],
                     putin + b"\r\n")
    status, answer = raw_request(server.port, bad_chunk)
    assert status == 400 and not reached_app(status, answer)
    server.expected[kid] += 1
    chunked = http("POST", "/match/default", [("Host", b"x"), auth,
                                              ("Transfer-Encoding", b"chunked")],
                   b"%x\r\n" % len(putin) + putin + b"\r\n0\r\n\r\n", length=False)
    status, answer = raw_request(server.port, chunked)
    server.expect(kid, "/match", status, answer)
    assert status == 200
    server.assert_logged("headers")
    after = server.wait_logged("anonymous")
    assert after["anonymous"] - before["anonymous"] == server.expected["anonymous"]


def test_garbage_and_truncated_bodies(server: Server) -> None:
    kid, key = server.keys["garbage"]
    putin = json.dumps(PUTIN).encode()
    junk = bytes(range(256)) * 8
    bodies = [b"", b" ", b"null", b"[]", b'"x"', b"1e999999", b"9" * 5000, b"NaN",
              b'{"queries": NaN}', b"\xef\xbb\xbf" + putin, b"\xff\xfe" + putin,
              putin.decode().encode("utf-16"), junk, b"\x00" * 100, b"{" + junk,
              b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["\x00"]}}}}',
              b'{"queries": {"a": {"schema": "Person", "properties": {"name": "Putin"}}}}',
              b'{"queries": {"a": null}}', b'{"queries": {"": {}}}', b'{"queries": 5}',
              b'{"queries": {"a": {"schema": "Person"}}}, "weights": {"x": "y"}}',
              b'{"queries": {"a": {"query": "\\u0000"}}}', b"queries=%ZZ%",
              b"queries=" + b"%ED%A0%80" * 10, b"queries=" + junk]
    bodies += [putin[:cut] for cut in range(1, len(putin), 7)]
    with server.client("garbage") as client:
        for body in bodies:
            for path in ("/match/default", "/reconcile/default"):
                for kind in ("application/json", "application/x-www-form-urlencoded", None):
                    headers = {"Content-Type": kind} if kind else {}
                    r = client.post(path, content=body, headers=headers)
                    server.expect(kid, path, r.status_code, r.content)
                    if r.status_code != 200:
                        check_error(r, 400, 404, 413, 422)
        big = b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["' + \
            b"x" * 250_000 + b'"]}}}}'
        r = client.post("/match/default", content=big)
        server.expect(kid, "/match", r.status_code, r.content)
        check_error(r, 413)
    # A body cut off on the wire: the client goes away before sending what it announced.
    for cut in (0, 10, len(putin) - 1):
        request = http("POST", "/match/default", [("Host", b"x"), ("Authorization",
                                                                   b"ApiKey " + key.encode()),
                                                  ("Content-Length", b"%d" % len(putin))],
                       putin[:cut], length=False)
        status, _ = raw_request(server.port, request, half_close=True)
        assert status != 500
        server.expected[kid] += 1  # logged (the client is gone, the record is not)
    server.assert_logged("garbage")


def test_refusals_are_logged_with_the_key(server: Server) -> None:
    kid, slow = server.keys["refused"][0], server.keys["slow"][0]
    with server.client("refused") as client:
        cases: list[tuple[str, str, dict[str, Any], int]] = [
            ("GET", "/audit", {}, 403), ("POST", "/updatez", {}, 403),
            ("POST", "/match/default?limit=0", {"json": PUTIN}, 422),
            ("POST", "/match/default", {"json": {"queries": {}},
                                        "params": {"threshold": "x"}}, 422),
            ("GET", "/search/default?limit=-1", {}, 422), ("GET", "/diff/x?from=y", {}, 422),
            ("POST", "/match/nope", {"json": PUTIN}, 404)]
        for method, path, kwargs, code in cases:
            r = client.request(method, path, **kwargs)
            server.expect(kid, path, r.status_code, r.content)
            check_error(r, code)
    with server.client("slow") as client:
        codes = []
        for _ in range(8):
            r = client.get("/algorithms")
            server.expect(slow, "/algorithms", r.status_code, r.content)
            codes.append(r.status_code)
        assert codes.count(429) >= 2
    server.assert_logged("refused", "slow")
    with Store.open(server.db) as store:
        rows = store.db.query("SELECT status, endpoint, request FROM audit_log WHERE "
                              "key_id = ? AND status = 429", (slow,))
    assert rows and all(json.loads(str(r[2]))["key"] == "verified" for r in rows)
    assert all("rate limit" in json.loads(str(r[2]))["detail"] for r in rows)


def curl_commands(markdown: str) -> list[str]:
    """Every ``curl`` command in the ```sh blocks of a Markdown page, continuations joined."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL):
        joined = re.sub(r"\\\n\s*", " ", block)
        commands += [line.strip() for line in joined.splitlines()
                     if line.strip().startswith("curl ")]
    return commands


def as_httpx(command: str, base: str, key: str) -> httpx.Request:
    """The request curl would send for ``command`` (-H, -X, -d, --data-urlencode, a URL)."""
    args = shlex.split(command.replace("$KEY", key))[1:]
    method, url, headers, data = None, "", {}, []
    while args:
        arg = args.pop(0)
        if arg == "-H":
            name, _, value = args.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "-X":
            method = args.pop(0)
        elif arg in ("-d", "--data"):
            data.append(args.pop(0))
        elif arg == "--data-urlencode":
            name, _, value = args.pop(0).partition("=")
            data.append(f"{name}={quote_plus(value)}" if name else quote_plus(value))
        elif arg in ("-s", "-S", "-f"):
            continue
        else:
            url = arg
    if data:  # what curl does with -d: a form type unless one is given
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    url = re.sub(r"^(https?://)?localhost:8000", base, url)
    return httpx.Request(method or ("POST" if data else "GET"), url, headers=headers,
                         content="&".join(data).encode() if data else None)


def test_docs_curl_examples_work_as_written(server: Server) -> None:
    """The curl examples of docs/api.md, sent as curl sends them (and by curl if present)."""
    commands = curl_commands((ROOT / "docs" / "api.md").read_text())
    assert len(commands) >= 2, commands
    kid, key = server.keys["docs"]
    with httpx.Client(timeout=TIMEOUT) as client:
        for command in commands:
            answer = client.send(as_httpx(command, server.url, key))
            server.expect(kid, answer.request.url.path, answer.status_code, answer.content)
            assert answer.status_code == 200, (command, answer.text[:300])
            assert "ofac-1" in answer.text, command
    if shutil.which("curl"):
        for command in commands:
            literal = command.replace("localhost:8000", f"127.0.0.1:{server.port}")
            done = subprocess.run(["bash", "-c", literal + " -s -w '\n%{http_code}'"],
                                  env={**os.environ, "KEY": key}, capture_output=True,
                                  text=True, timeout=30, check=False)
            body, _, code = done.stdout.rpartition("\n")
            server.expected[kid] += 1
            assert done.returncode == 0 and code == "200", (command, done.stdout[:300])
            assert "ofac-1" in body
    server.assert_logged("docs")


def test_still_healthy_and_nothing_crashed(server: Server) -> None:
    """Runs last: the server answers, and its log holds no traceback and no lost record."""
    assert httpx.get(f"{server.url}/healthz", timeout=TIMEOUT).json() == {"status": "ok"}
    assert server.proc.poll() is None
    stats = httpx.get(f"{server.url}/audit/stats", headers=server.auth("admin"),
                      timeout=TIMEOUT).json()
    assert stats["written"] >= sum(server.expected.values()) > 300
    assert (stats["dropped"], stats["placeholders"], stats["spilled"]) == (0, 0, 0), stats
    text = server.log.read_text(errors="replace")
    for sign in ("Traceback", "internal error", "could not write", "lost:",
                 "Exception in ASGI application"):
        assert sign not in text, text[-3000:]


def nest(rng: random.Random, depth: int) -> Any:
    """A JSON value exactly ``depth`` levels deep, with brackets and quotes inside strings."""
    if depth == 0:
        return rng.choice(['[{"x', '\\"]}', 1, None, "plain", "\U0001f600"])
    inner = nest(rng, depth - 1)
    siblings = [rng.choice(["]]", "{", 2.5, [], {}]) for _ in range(rng.randint(0, 3))]
    return ({"k[": inner, "v": siblings} if rng.random() < 0.5 else [*siblings, inner])


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def test_shape_check_agrees_with_the_decoder() -> None:
    """Depth is judged without decoding, exactly: strings' brackets do not count."""
    rng = random.Random(11)
    for _ in range(400):
        value = nest(rng, rng.randint(0, 45))
        text = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
        too_deep = depth_of(value) > MAX_DEPTH
        assert (shape_problem(text) is not None) == too_deep, text[:200]
        if too_deep:
            with pytest.raises(ApiError) as refused:
                loads_bounded(text, "queries")
            assert refused.value.status == 400 and refused.value.fields == ["queries"]
        else:
            assert loads_bounded(text, "queries") == value
    assert shape_problem(b"[" * 33 + b"]" * 33) and not shape_problem(b"[" * 32 + b"]" * 32)
    assert "do not close" in str(shape_problem(b"[" * 40))
    assert loads_bounded('{"a": "x\\ud800y", "\\udfff": ["\\ud83d\\ude00"]}', "q") == {
        "a": "x\ufffdy", "\ufffd": ["\U0001f600"]}
