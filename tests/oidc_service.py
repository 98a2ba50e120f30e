"""A real OpenID Connect provider (npm ``oidc-provider`` in tests/oidc, run by node) and an
app of ours served by uvicorn, each on a free loopback port: what the API's and the pages'
sign-in tests both stand on.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_SECRET = "discreet-test-secret"

# (issuer, redirect URL) -> the app to serve, configured for that provider
AppFor = Callable[[str, str], FastAPI]


def need_provider() -> None:
    """Skip without node and the provider's npm packages; in CI, fail instead."""
    installed = (OIDC_DIR / "node_modules" / "oidc-provider").is_dir()
    if shutil.which("node") and installed:
        return
    if os.environ.get("CI"):
        pytest.fail("node or tests/oidc/node_modules missing: scripts/system-deps.sh runs "
                    "npm ci in tests/oidc")
    pytest.skip("node or tests/oidc/node_modules missing (run scripts/system-deps.sh)")


@contextmanager
def provider_and_service(app_for: AppFor) -> Iterator[tuple[str, str]]:
    """(service URL, issuer): the provider started first (its redirect URL names the
    service's port), then the app ``app_for(issuer, redirect URL)`` gives; both stopped
    on the way out, whatever happened."""
    need_provider()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    callback = f"{base}/auth/oidc/callback"
    node = subprocess.Popen(["node", "provider.mjs", callback], cwd=OIDC_DIR,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert node.stdout is not None
        line = node.stdout.readline()
        assert line.startswith("ready "), line
        issuer = line.split()[1]
        server = uvicorn.Server(uvicorn.Config(app_for(issuer, callback), log_level="warning",
                                               lifespan="on", http="h11"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        try:
            yield base, issuer
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    finally:
        sock.close()
        if node.stdin:
            node.stdin.close()
        try:
            node.wait(timeout=10)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        if node.stdout:
            node.stdout.close()
