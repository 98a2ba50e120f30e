"""Several uvicorn worker processes over one store: each picks up a new version by itself,
and all of them stop when the server is told to."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from discreet.api.settings import ENV_VAR, ApiSettings
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import small_lists
from tests.api.test_updates import ALPHA, found, version_with


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def workers_server(store_url: str) -> Iterator[tuple[str, str, str]]:
    """``uvicorn discreet.api.app:app_from_env --workers 2`` as ``discreet serve`` runs it."""
    with Store.open(store_url) as store:
        small_lists(store)
        key = create_key(store.db, "k", ("screen",), rate_limit=10**6)[1]
    port = free_port()
    env = dict(os.environ, **{ENV_VAR: ApiSettings(db=store_url, poll_seconds=0.3).to_json()})
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "discreet.api.app:app_from_env",
                             "--factory", "--workers", "2", "--port", str(port),
                             "--log-level", "warning", "--http", "h11"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        # Each request opens a new connection, which either worker may take: wait until a
        # long run of them is ready, so that both workers have loaded their index.
        deadline, ready = time.monotonic() + 60, 0
        while ready < 30 and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{url}/readyz", headers={"Authorization": f"ApiKey {key}"})
                ready = ready + 1 if answer.status_code == 200 else 0
            except httpx.TransportError:
                ready = 0
            if not ready:
                time.sleep(0.2)
        yield url, key, store_url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_every_worker_picks_up_a_new_version(workers_server: tuple[str, str, str]) -> None:
    url, key, store_url = workers_server
    body = {"queries": {"a": ALPHA}}
    with httpx.Client(base_url=url, headers={"Authorization": f"ApiKey {key}"}) as client:
        assert not found(client.post("/match/default", json=body).json(), "a")
        with Store.open(store_url) as store:
            version_with(store, "Alpha Onesimus Uno")
        deadline = time.monotonic() + 60
        streak = 0
        while streak < 40 and time.monotonic() < deadline:  # new connections: both workers
            with httpx.Client(base_url=url, headers=client.headers) as fresh:
                answer = fresh.post("/match/default", json=body)
            assert answer.status_code == 200
            streak = streak + 1 if found(answer.json(), "a") else 0
        assert streak >= 40, json.dumps(answer.json())[:300]


def _group_alive(group: int) -> bool:
    """Whether any process of the process group ``group`` is still there."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(x) for x in text.split()]


@pytest.mark.parametrize("when", ["workers starting", "serving"])
def test_sigterm_stops_the_supervisor_and_every_worker(tmp_path: Path, when: str) -> None:
    """``discreet serve --workers 2`` told to stop (SIGTERM, as systemd and docker stop do)
    while its workers start, or once they serve: the supervisor and every worker it
    spawned exit; none is left behind holding the port or the index."""
    db = tmp_path / "store.db"
    with Store.open(str(db)) as store:
        small_lists(store)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "discreet", "--db", str(db), "serve",
                             "--no-auth", "--port", str(port), "--workers", "2"],
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        if when == "serving":
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        else:
            while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        assert len(_children(proc.pid)) >= 2, "the workers never started"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) is not None
        deadline = time.monotonic() + 15
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(proc.pid), "a worker outlived the supervisor"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
