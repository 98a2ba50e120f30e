"""Fixes from the API review: the JSON shape check is linear on hostile bodies, refusals
before authentication cannot flood the audit log, the audit queue never blocks the event
loop and never grows without bound, a locked store never turns good records into
placeholders, and a client that disconnects mid-body is not a 500.

Real stores (SQLite files), real writer threads, a real uvicorn server on loopback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
import pytest

from discreet.api.jsonbounds import MAX_DEPTH, shape_problem
from tests.api.conftest import Keys, make_app
from tests.api.helpers import live_server

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
