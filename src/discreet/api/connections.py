"""Connection hygiene for ``discreet serve``: read deadlines and a cap on open connections.

uvicorn's h11 protocol waits for a request's headers and body for as long as the client
likes, so a few thousand half-open connections (slowloris) hold every file descriptor and
lock out real clients. :class:`GuardedH11Protocol` adds what a reverse proxy would:

* the request line and headers must arrive within ``header_timeout`` seconds of the
  connection opening (or of the first byte of the next request on a kept-alive one), and
  the body within ``body_timeout`` seconds of the headers; otherwise the connection is
  answered 408 (when the client had started a request) and closed; a client that stops
  reading its answer for ``body_timeout`` seconds (the write buffer full) is disconnected;
* a request line plus headers over ``max_header_bytes`` is answered 431 in the API's error
  shape and the connection closed (after the rest the client sends is dropped, for at most
  2 s and 8 MiB, so that the answer is not lost to a reset), so connections waiting for
  their headers hold at most
  ``max_connections`` x ``max_header_bytes`` (128 MiB at the defaults) per worker;
* at most ``max_connections`` are open per worker: a new connection over the cap closes the
  connection that has waited longest without sending a complete request (an idle keep-alive
  or a half-sent request), so a flood of idle connections gives way to real requests; if
  every open connection has a request in progress, the new one gets 503 and is closed.

The limits come from the server's :class:`ApiSettings` (``configure`` in the serving process,
``DISCREET_API_SETTINGS`` in uvicorn's spawned workers).
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from discreet.api.settings import ENV_VAR, ApiSettings

__all__ = ["PROTOCOL", "ConnectionLimits", "GuardedH11Protocol", "configure",
           "raise_fd_limit"]

log = logging.getLogger("discreet.api")
# after a 431 the rest of the head is read and dropped (at most this much, this long) before
# the connection closes: closed with the client's bytes unread, the kernel answers with a
# reset, and a client still sending loses the 431
_LINGER_BYTES = 8 << 20
_LINGER_SECONDS = 2.0
PROTOCOL = f"{__name__}:GuardedH11Protocol"  # what uvicorn's ``http`` option is given
FD_RESERVE = 64  # descriptors kept for the store, the audit log and the listening socket


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """The deadlines and the cap one worker enforces."""

    header_timeout: float
    body_timeout: float
    max_connections: int
    max_header_bytes: int = 65_536

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> ConnectionLimits:
        """The settings' limits, the cap lowered to what the descriptor limit allows."""
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        cap = settings.max_connections
        if soft != resource.RLIM_INFINITY:
            cap = max(1, min(cap, soft - FD_RESERVE))
        return cls(settings.header_timeout, settings.body_timeout, cap,
                   settings.max_header_bytes)


_limits: ConnectionLimits | None = None


def configure(settings: ApiSettings) -> ConnectionLimits:
    """Use ``settings`` for every connection this process accepts from now on."""
    global _limits
    _limits = ConnectionLimits.from_settings(settings)
    return _limits


def current_limits() -> ConnectionLimits:
    """The configured limits; in a spawned worker, those of DISCREET_API_SETTINGS."""
    if _limits is None:
        text = os.environ.get(ENV_VAR)
        return configure(ApiSettings.from_json(text) if text else ApiSettings())
    return _limits


def raise_fd_limit() -> tuple[int, int]:
    """Raise the soft limit on open files to the hard limit (workers inherit it).

    The default soft limit (often 1024) is what a connection flood exhausts first; the
    hard limit is what the administrator allows. Returns (soft, hard) as now in force.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:  # a hard limit the kernel will not grant
            log.warning("could not raise the open-files limit to %s: %s", hard, exc)
    return soft, hard


# Connections that wait for a complete request, oldest first, per server (uvicorn's
# ServerState): the ones a new connection may push out when the cap is reached.
_WAITING: weakref.WeakKeyDictionary[ServerState, OrderedDict[GuardedH11Protocol, None]] = (
    weakref.WeakKeyDictionary())


def _error(status: int, reason: str, detail: str, extra: tuple[str, ...] = ()) -> bytes:
    """A complete HTTP/1.1 answer in the API's error shape, closing the connection."""
    from discreet.api.errors import error_body  # a worker's: the supervisor needs no app

    body = error_body(status, detail)
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json",
            f"content-length: {len(body)}", "connection: close", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body deadlines and a connection cap."""

    def __init__(self, config: Config, server_state: ServerState,
                 app_state: dict[str, Any], _loop: asyncio.AbstractEventLoop | None = None
                 ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = current_limits()
        self.waiting = _WAITING.setdefault(server_state, OrderedDict())
        self.phase = "new"  # headers | keepalive | body | busy | closed
        self.deadline: asyncio.TimerHandle | None = None
        self.stalled: asyncio.TimerHandle | None = None  # the write buffer is full since
        self.head_bytes = 0  # bytes received since this request's head began
        self.head_tail = b""  # its last two bytes (the head's end may straddle two reads)
        self.lingering = 0  # bytes still to drop after a 431 before closing (_linger)

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self._make_room():
            self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._enter("closed")
        if self.stalled is not None:
            self.stalled.cancel()
            self.stalled = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Count the head's bytes; past ``max_header_bytes`` without its end, answer 431.

        Checked before h11 sees the data: h11 bounds only a head still incomplete after a
        read, so a larger head arriving whole in one read (up to 256 KiB) would pass it.
        """
        if self.lingering:
            self.lingering = max(self.lingering - len(data), 0)
            if not self.lingering:
                self.transport.close()
            return
        if self.phase in ("new", "headers", "keepalive"):
            room = self.limits.max_header_bytes - self.head_bytes
            if len(data) > room:
                window = self.head_tail + data[:max(room, 0)]
                if b"\n\n" not in window and b"\n\r\n" not in window:
                    self._head_too_large()
                    return
            self.head_bytes += len(data)
            self.head_tail = (self.head_tail + data)[-2:]
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        """h11 refused the request; over ``max_header_bytes`` (h11 has the same limit) that
        is the 431 above, anything else uvicorn's plain 400."""
        if self.head_bytes > self.limits.max_header_bytes:
            self._head_too_large()
            return
        super().send_400_response(msg)

    def _head_too_large(self) -> None:
        limit = self.limits.max_header_bytes
        log.debug("closed a connection from %s: request head over %d bytes",
                  self.client[0] if self.client else "?", limit)
        self._enter("closed")
        self.transport.write(_error(
            431, "Request Header Fields Too Large",
            f"request line and headers over {limit:,} bytes (--max-header-bytes); send "
            "large reconciliation batches with POST"))
        self._linger()

    def _linger(self) -> None:
        """Close once the client can have read the answer: no more writes, what it still
        sends dropped (up to :data:`_LINGER_BYTES` or :data:`_LINGER_SECONDS`), then close."""
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write_eof()
        self.lingering = _LINGER_BYTES
        self.loop.call_later(_LINGER_SECONDS, self.transport.close)

    # H11Protocol hooks: after every parse and every finished response, see where the
    # client is in its request and arm the matching deadline.
    def handle_events(self) -> None:
        super().handle_events()
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def _follow(self) -> None:
        if self.phase == "closed" or self.transport.is_closing():
            return
        their = self.conn.their_state
        if their is h11.IDLE:
            self._enter("keepalive" if self.timeout_keep_alive_task is not None else "headers")
        elif their is h11.SEND_BODY:
            self._enter("body")
        else:
            self._enter("busy")

    def _enter(self, phase: str) -> None:
        if phase == self.phase:
            return  # a deadline runs from the start of its phase, not from the last byte
        self.phase = phase
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        if phase in ("headers", "keepalive"):
            self.waiting[self] = None
            self.waiting.move_to_end(self)
        else:
            self.waiting.pop(self, None)
            self.head_bytes, self.head_tail = 0, b""
        if phase == "headers":
            self.deadline = self.loop.call_later(self.limits.header_timeout, self._expired)
        elif phase == "body":
            self.deadline = self.loop.call_later(self.limits.body_timeout, self._expired)

    # A client that stops reading its answer holds the answer in memory: once the write
    # buffer is full, it has ``body_timeout`` seconds to read on, or it is disconnected.
    def pause_writing(self) -> None:
        super().pause_writing()
        if self.stalled is None and self.phase != "closed":
            self.stalled = self.loop.call_later(self.limits.body_timeout, self._not_reading)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self.stalled is not None:
            self.stalled.cancel()
            self.stalled = None

    def _not_reading(self) -> None:
        self.stalled = None
        if not self.transport.is_closing():
            log.debug("closed a connection from %s: its answer was not read for %g s",
                      self.client[0] if self.client else "?", self.limits.body_timeout)
            self._enter("closed")
            self.transport.abort()  # close() would wait for the unread answer to drain

    def _expired(self) -> None:
        """A deadline passed: answer 408 if the client had started a request, and close."""
        self.deadline = None
        if self.transport.is_closing():
            return
        if self.phase == "headers":
            if self.conn.trailing_data[0]:  # part of a request line or headers arrived
                self.transport.write(_error(
                    408, "Request Timeout",
                    f"request line and headers not received within "
                    f"{self.limits.header_timeout:g} s"))
        elif self.phase == "body":
            cycle = self.cycle
            if cycle is not None:
                started = cycle.response_started
                cycle.disconnected = True  # the route's own answer, if any, is dropped
                cycle.message_event.set()
                if not started:
                    self.transport.write(_error(
                        408, "Request Timeout",
                        f"request body not received within {self.limits.body_timeout:g} s "
                        "of its headers"))
        log.debug("closed a connection from %s: no complete request within its deadline",
                 self.client[0] if self.client else "?")
        self._enter("closed")
        self.transport.close()

    def _make_room(self) -> bool:
        """Keep open connections under the cap; False when this one had to be refused."""
        over = len(self.connections) - self.limits.max_connections
        if over > 0:  # connections closed a moment ago stay in the set until their callback
            over -= sum(1 for c in self.connections if c is not self and (
                c.transport is None or c.transport.is_closing()))
        while over > 0:
            victim = next(iter(self.waiting), None)
            if victim is None:
                break
            victim._enter("closed")
            victim.transport.close()
            over -= 1
        if over > 0:  # every other connection has a request in progress
            self._enter("closed")
            self.transport.write(_error(
                503, "Service Unavailable",
                f"the server holds its limit of {self.limits.max_connections} connections, "
                "each with a request in progress; retry shortly", ("retry-after: 1",)))
            self.transport.close()
            return False
        return True
