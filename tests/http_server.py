"""A real local HTTP server for download tests: serves a folder, and misbehaves on request.

Tests use a real socket rather than mocks so that timeouts, streaming and status handling
are exercised the way they happen in production. Import the fixture into a test module::

    from tests import http_server
    list_server = http_server.list_server
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

__all__ = ["S3_NO_SUCH_KEY", "ListServer", "list_server"]

S3_NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
    b"<Message>The specified key does not exist.</Message><Key>DownloadFile</Key></Error>"
)


@dataclass
class Behaviour:
    """How the server misbehaves; shared by the handler threads, guarded by ``lock``."""

    fail_first: int = 0
    fail_status: int = 500
    hang_seconds: float = 0.0
    not_found_s3: bool = False
    omit_length: bool = False
    truncate: bool = False
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(SimpleHTTPRequestHandler):
    behaviour: Behaviour

    def __init__(self, *args: Any, behaviour: Behaviour, **kwargs: Any) -> None:
        self.behaviour = behaviour
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: test output should show failures, not access logs."""

    def do_GET(self) -> None:
        b = self.behaviour
        with b.lock:
            b.requests.append(self.path)
            failing = b.fail_first > 0
            b.fail_first -= 1 if failing else 0
        if b.hang_seconds:
            b.release.wait(b.hang_seconds)
        if failing:
            self._answer(b.fail_status, b"<html><body>Server Error</body></html>", "text/html")
        elif b.not_found_s3:
            self._answer(404, S3_NO_SUCH_KEY, "application/xml")
        elif b.omit_length or b.truncate:
            self._answer_raw(truncate=b.truncate)
        else:
            super().do_GET()

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer_raw(self, truncate: bool) -> None:
        """The file without Content-Length, or with it but cut in half, ended by closing."""
        body = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if truncate:
            self.send_header("Content-Length", str(len(body)))
            body = body[: len(body) // 2]
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout test) breaks the pipe; that is expected here."""


class ListServer:
    """A running server over ``root``; switch its behaviour between requests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.behaviour = Behaviour()
        handler = functools.partial(_Handler, directory=str(root), behaviour=self.behaviour)
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}/"

    def url(self, name: str) -> str:
        return self.base_url + name

    @property
    def requests(self) -> list[str]:
        """Paths requested so far, in order: how tests count retries."""
        return list(self.behaviour.requests)

    def fail(self, times: int, status: int = 500) -> None:
        """Answer ``status`` to the next ``times`` requests, then serve normally."""
        self.behaviour.fail_first, self.behaviour.fail_status = times, status

    def hang(self, seconds: float) -> None:
        """Wait ``seconds`` before answering each request (released early on stop)."""
        self.behaviour.hang_seconds = seconds

    def not_found_s3(self) -> None:
        """Answer 404 with S3's NoSuchKey XML body, as a broken download link does."""
        self.behaviour.not_found_s3 = True

    def omit_length(self) -> None:
        """Serve files without Content-Length (streamed until the connection closes)."""
        self.behaviour.omit_length = True

    def truncate(self) -> None:
        """Announce the full Content-Length but send half the body, then hang up."""
        self.behaviour.truncate = True

    def stop(self) -> None:
        self.behaviour.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def list_server() -> Iterator[Callable[[Path], ListServer]]:
    """A factory: ``list_server(folder)`` starts a server on 127.0.0.1 (stopped after)."""
    started: list[ListServer] = []

    def start(root: Path) -> ListServer:
        server = ListServer(root)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
