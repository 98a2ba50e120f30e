"""Under load, every screening request is in the audit chain: none dropped, none twice.

A real ``uvicorn`` with two worker processes (two audit writers appending to one chain)
on loopback; 16 client threads screen for a few seconds; the server is stopped the way
an operator stops it (SIGTERM), and the audit records are counted in the store. The
benchmark (bench/bench_audit.py) runs the same load for 30 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx

from discreet.api.settings import ENV_VAR, ApiSettings
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import small_lists
from tests.api.test_workers import free_port

CLIENTS = 16
SECONDS = 5.0
NAMES = ["Vladimir Putin", "Kim Jong Un", "Banco Nacional de Cuba", "Maria Example",
         "Rosneft", "Viktor Yanukovych", "Jane Q Public", "Korea Mining Development"]


def test_sixteen_clients_every_request_audited_once(store_url: str) -> None:
    with Store.open(store_url) as store:
        small_lists(store)
        key = create_key(store.db, "load", ("screen",), rate_limit=10**7)[1]
    port = free_port()
    env = dict(os.environ, **{ENV_VAR: ApiSettings(db=store_url).to_json()})
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "discreet.api.app:app_from_env",
                             "--factory", "--workers", "2", "--port", str(port),
                             "--log-level", "warning", "--http", "h11"], env=env)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"ApiKey {key}"}
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    samples: list[str] = []  # the first non-200 answers, to say why
    lock = threading.Lock()
    try:
        deadline = time.monotonic() + 90
        ready = 0  # each worker answers 503 until its index is loaded: every one must be
        while ready < 20:  # ready, so 20 answers in a row on new connections
            try:  # readiness is not audited (not a screening endpoint)
                ok = httpx.get(f"{url}/readyz", headers=headers).status_code == 200
            except httpx.TransportError:
                ok = False
            ready = ready + 1 if ok else 0
            assert time.monotonic() < deadline, "the server did not start"
            if not ok:
                time.sleep(0.2)

        def client(n: int) -> None:
            stop = time.monotonic() + SECONDS
            i = 0
            with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
                while time.monotonic() < stop:
                    name = f"{NAMES[(n + i) % len(NAMES)]} {n}-{i}"
                    body = {"queries": {"q": {"schema": "Person",
                                              "properties": {"name": [name]}}}}
                    try:
                        answer = http.post("/match/default", json=body)
                    except httpx.HTTPError as exc:
                        with lock:
                            errors.append(repr(exc))
                        return
                    with lock:
                        statuses[answer.status_code] += 1
                        if answer.status_code != 200 and len(samples) < 3:
                            samples.append(f"{answer.status_code} {answer.text[:300]}")
                    i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    assert not errors, errors[:3]
    sent = sum(statuses.values())
    non_200 = {status: count for status, count in statuses.items() if status != 200}
    assert not {s: c for s, c in non_200.items() if s >= 500}, f"5xx answers: {non_200} {samples}"
    assert sent > CLIENTS and not non_200, f"non-200 answers: {non_200} {samples}"
    with Store.open(store_url) as store:
        rows = store.db.query("SELECT COUNT(*), COUNT(DISTINCT id) FROM audit_log "
                              "WHERE kind = 'api' AND endpoint = 'match'")
        written, distinct = int(rows[0][0]), int(rows[0][1])
        assert (written, distinct) == (sent, sent)
        verdict = store.verify_audit()
        assert verdict.ok and verdict.checked >= sent, verdict.line()
