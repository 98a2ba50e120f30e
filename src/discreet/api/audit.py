"""The audit log of the API: every screening request, and every refused one, is recorded.

Routes that screen (``/match``, ``/reconcile``, ``/search``, ``/entities``, suggest) call
:meth:`AuditWriter.record` with what was asked and answered. :class:`AuditRequests`, an
ASGI middleware around the whole app, records every other request to those endpoints (a
422, a 413, an error) and every refused request anywhere (401, 403, 413, 422, 429), with the
key id if known. Nothing is recorded twice: the middleware knows when the route recorded.

Records are queued and written in batches by a background thread, off the hot path. A
record is never silently lost:

- text the store cannot hold (lone surrogates, NUL) is replaced before writing;
- when a batch fails, its records are written one by one, so only a truly unwritable
  record fails, and a placeholder row (who, when, endpoint, status, why) takes its place;
- when the store itself fails (every row refused), the batch is kept and retried;
- when the queue is full, the caller waits for room (back-pressure), up to
  ``block_seconds``; past that the record is queued anyway and counted as ``spilled``.

``dropped`` counts records lost for good (retried :data:`_RETRIES` times, or left when
the server stopped with the store down); the server logs each such loss.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.api.jsonbounds import header
from discreet.store import Store
from discreet.store.audit import AuditRecord, placeholder, prune_audit, write_audit

if TYPE_CHECKING:
    from discreet.api.security import AuthFailures
    from discreet.api.settings import Network

__all__ = ["REFUSED", "SCREENING", "AuditRequests", "AuditWriter", "RequestNote",
           "note_caller", "note_collapsed", "note_counted", "now_iso", "presented_key_id"]

log = logging.getLogger("discreet.api")
_PRUNE_EVERY = 3600.0
_BATCH = 1000  # records per transaction
_INTERVAL = 0.5  # seconds a small batch may wait for company
_RETRIES = 20  # writes of one record before it counts as dropped (store down that long)
SCREENING = frozenset({"match", "reconcile", "search", "entities"})  # first path segment
REFUSED = frozenset({401, 403, 413, 422, 429})  # recorded on every endpoint
_KEY_ID = re.compile(r"^dk_([A-Za-z0-9]{1,32})_")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class RequestNote:
    """What one request's handling has learnt for the audit: the caller, and if recorded."""

    key_id: str | None = None
    recorded: bool = False
    counted: bool = False  # the refusal is already counted in AuthFailures' table


_NOTE: ContextVar[RequestNote | None] = ContextVar("discreet_audit_note", default=None)


def note_caller(key_id: str) -> None:
    """Remember the authenticated caller of the current request (for a refusal's record)."""
    note = _NOTE.get()
    if note is not None:
        note.key_id = key_id


def note_collapsed() -> None:
    """The current request's refusal is counted in a collapsed record (security.py's
    AuthFailures): the middleware must not write it on its own."""
    note = _NOTE.get()
    if note is not None:
        note.recorded = True


def note_counted() -> None:
    """The current request's refusal is counted in AuthFailures' table and within its
    budget: the middleware writes it, without counting it again."""
    note = _NOTE.get()
    if note is not None:
        note.counted = True


def presented_key_id(header: str | None) -> str | None:
    """The id part of a presented ``dk_<id>_<secret>`` key, unverified; None if none."""
    if not header:
        return None
    _, _, key = header.strip().partition(" ")
    found = _KEY_ID.match(key.strip())
    return found.group(1) if found else None


class AuditWriter:
    """Queue of :class:`AuditRecord` and the thread that stores them."""

    def __init__(self, open_store: Callable[[], Store], retention_days: int, *,
                 capacity: int = 100_000, block_seconds: float = 2.0) -> None:
        self.open_store = open_store
        self.retention_days = retention_days
        self.capacity = capacity
        self.block_seconds = block_seconds
        self._pending: deque[tuple[AuditRecord, int]] = deque()  # (record, failed writes)
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.queued = 0
        self.written = 0
        self.placeholders = 0  # records stored as a placeholder row (the record was refused)
        self.failed_batches = 0
        self.waited = 0  # record() calls that waited for room (back-pressure)
        self.spilled = 0  # records queued past capacity after waiting
        self.dropped = 0  # records lost for good (each one logged)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="discreet-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Write what is queued, then stop (waits up to 30 seconds)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._cond:
            if self._pending:
                self.dropped += len(self._pending)
                log.error("audit: %d records not written at shutdown (the store did not "
                          "answer)", len(self._pending))
                self._pending.clear()

    @property
    def backlog(self) -> int:
        return len(self._pending)

    def stats(self) -> dict[str, int]:
        """This process's counts since it started (``dropped`` should stay 0)."""
        return {"queued": self.queued, "written": self.written, "backlog": self.backlog,
                "placeholders": self.placeholders, "failed_batches": self.failed_batches,
                "waited": self.waited, "spilled": self.spilled, "dropped": self.dropped}

    def record(self, key_id: str, endpoint: str, dataset: str, status: int,
               request: dict[str, Any], versions: dict[str, int],
               results: dict[str, Any]) -> None:
        """Queue one record for the current request (and note that it was recorded)."""
        note = _NOTE.get()
        if note is not None:
            note.recorded = True
        self.put(AuditRecord(uuid.uuid4().hex, now_iso(), key_id, endpoint, dataset, status,
                             request, versions, results))

    def put(self, entry: AuditRecord) -> None:
        """Queue a record; when the queue is full, wait for room (never drop)."""
        with self._cond:
            if len(self._pending) >= self.capacity and not self._stopping:
                self.waited += 1
                self._cond.notify_all()
                self._cond.wait_for(lambda: len(self._pending) < self.capacity
                                    or self._stopping, timeout=self.block_seconds)
                if len(self._pending) >= self.capacity:
                    self.spilled += 1
            self._pending.append((entry, 0))
            self.queued += 1
            if len(self._pending) >= min(_BATCH, self.capacity):
                self._cond.notify_all()

    def _take(self) -> tuple[list[tuple[AuditRecord, int]], bool]:
        with self._cond:
            full = min(_BATCH, self.capacity)  # a full queue has callers waiting: write now
            if not self._stopping and len(self._pending) < full:
                self._cond.wait_for(lambda: self._stopping or len(self._pending) >= full,
                                    timeout=_INTERVAL)
            count = min(_BATCH, len(self._pending))
            batch = [self._pending.popleft() for _ in range(count)]
            self._cond.notify_all()  # room for callers waiting in put()
            return batch, self._stopping

    def _run(self) -> None:
        store: Store | None = None
        pruned_at = 0.0
        pause = 0.0
        try:
            while True:
                if time.monotonic() - pruned_at > _PRUNE_EVERY:  # at start, then hourly
                    store = store or self._open()
                    pruned_at = time.monotonic()
                    if store is not None:
                        self._prune(store)
                    else:  # the store is down: try again in a minute, not every loop
                        pruned_at -= _PRUNE_EVERY - 60
                batch, stopping = self._take()
                if not batch:
                    if stopping:
                        return
                    continue
                if store is None:
                    store = self._open()
                failed = self._write(store, batch) if store is not None else batch
                if failed:
                    self._requeue(failed, stopping)
                    pause = min(5.0, pause * 2 or 0.1)
                    time.sleep(pause)
                    if store is not None:
                        store.close()
                        store = None
                else:
                    pause = 0.0
        finally:
            if store is not None:
                store.close()

    def _open(self) -> Store | None:
        try:
            return self.open_store()
        except Exception as exc:  # the store is down: keep the records, try again later
            log.error("audit: cannot open the store: %s", exc)
            return None

    def _requeue(self, failed: list[tuple[AuditRecord, int]], stopping: bool) -> None:
        limit = 3 if stopping else _RETRIES
        with self._cond:
            for entry, tries in reversed(failed):
                if tries + 1 >= limit:
                    self.dropped += 1
                    log.error("audit: record %s (key %s, %s, status %d) lost: the store "
                              "refused it %d times", entry.id, entry.key_id, entry.endpoint,
                              entry.status, tries + 1)
                else:
                    self._pending.appendleft((entry, tries + 1))

    def _write(self, store: Store, batch: list[tuple[AuditRecord, int]]
               ) -> list[tuple[AuditRecord, int]]:
        """Write a batch; returns what could not be written at all (to be retried)."""
        try:
            write_audit(store.db, [entry for entry, _ in batch])
            self.written += len(batch)
            return []
        except Exception as exc:  # one bad record, or the store: find out record by record
            self.failed_batches += 1
            log.warning("audit: a batch of %d records failed (%s); writing them one by one",
                        len(batch), exc)
        failed: list[tuple[AuditRecord, int]] = []
        for entry, tries in batch:
            try:
                write_audit(store.db, [entry])
                self.written += 1
                continue
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
            try:
                write_audit(store.db, [placeholder(entry, reason)])
                self.placeholders += 1
                log.error("audit: record %s (key %s, %s) could not be written (%s); a "
                          "placeholder row keeps who, when and the status", entry.id,
                          entry.key_id, entry.endpoint, reason)
            except Exception:  # not even the placeholder: the store is failing
                failed.append((entry, tries))
        return failed

    def _prune(self, store: Store) -> None:
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        try:
            prune_audit(store.db, cutoff.isoformat(timespec="milliseconds"))
        except Exception as exc:
            log.error("could not prune the audit log: %s", exc)


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part] or [""]


def _endpoint(parts: list[str]) -> tuple[str, str]:
    """(endpoint, dataset) as the audit log names them, from the path's segments."""
    head = parts[0]
    if head == "reconcile" and len(parts) > 2 and parts[2] == "suggest":
        return "suggest", parts[1]
    if head == "entities":
        return ("history" if len(parts) > 2 and parts[2] == "history" else "entities"), ""
    if head in ("match", "reconcile", "search"):
        return head, parts[1] if len(parts) > 1 else ""
    return head or "/", ""


def _detail(body: bytes) -> str:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return body[:300].decode("utf-8", "replace")
    return str(data.get("detail", ""))[:1000] if isinstance(data, dict) else ""


class AuditRequests:
    """ASGI middleware: records the requests no route recorded (see the module docstring)."""

    def __init__(self, app: ASGIApp, writer: AuditWriter | None, auth: bool = True,
                 failures: AuthFailures | None = None,
                 known_ids: Callable[[], frozenset[str]] | None = None,
                 trusted: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.writer = writer
        self.auth = auth
        self.failures = failures  # per address and key id: bounds the records a minute
        self.known_ids = known_ids
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.writer is None:
            await self.app(scope, receive, send)
            return
        note = RequestNote()
        token = _NOTE.set(note)
        status = 500  # until the answer starts: what an error raised from inside gets
        error = bytearray()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and status >= 400 \
                    and len(error) < 4096:
                error.extend(bytes(message.get("body", b""))[:4096])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except RecursionError:
            if status == 500:  # not answered yet: the recursion guard outside answers 400
                status = 400
            raise
        finally:
            _NOTE.reset(token)
            if not note.recorded:
                self._record(scope, note, status, bytes(error))

    def _record(self, scope: Scope, note: RequestNote, status: int, error: bytes) -> None:
        parts = _segments(str(scope.get("path", "")))
        if parts[0] not in SCREENING and status not in REFUSED:
            return
        endpoint, dataset = _endpoint(parts)
        presented = presented_key_id(header(scope, b"authorization"))
        claimed: str | None = None
        if note.key_id is not None:
            key_id, key = note.key_id, "verified"
        elif presented is not None and self.auth:
            # Only an existing key's id is believed: any other is noted, not used as one.
            known = presented in self._known()
            key_id, key = (presented, "unverified") if known else ("anonymous", "unknown")
            claimed = None if known else presented
        else:
            key_id, key = "anonymous", "none"
        if not self._within_budget(scope, note, key_id, status):
            return  # counted in the minute's collapsed record
        request: dict[str, Any] = {
            "method": str(scope.get("method", "")),
            "path": str(scope.get("path", ""))[:500],
            "query": bytes(scope.get("query_string", b""))[:2000].decode("utf-8", "replace"),
            "key": key}
        if claimed is not None:
            request["claimed_key_id"] = claimed
        if status >= 400:
            request["detail"] = _detail(error)
        assert self.writer is not None
        self.writer.record(key_id, endpoint[:100], dataset[:100], status, request, {}, {})

    def _known(self) -> frozenset[str]:
        if self.known_ids is None:
            return frozenset()
        try:
            return self.known_ids()
        except Exception as exc:  # the store is down: no id is believed
            log.warning("audit: cannot read the key ids: %s", exc)
            return frozenset()

    def _within_budget(self, scope: Scope, note: RequestNote, key_id: str,
                       status: int) -> bool:
        """Whether this refusal is written on its own. A refusal no verified key answers
        for (a 404, 405, 413, 422 before authentication), and a verified key's 429, count
        in the per-address and key-id table; past its budget they are collapsed into the
        minute's counted record, so nobody can write audit records without bound."""
        if self.failures is None or status < 400 or note.counted:
            return True
        if note.key_id is not None and status != 429:
            return True  # a verified key's own refusals: its rate limit bounds them
        from discreet.api.security import client_address  # security imports this module
        peer = scope.get("client")
        client = client_address(str(peer[0]) if peer else None,
                                header(scope, b"x-forwarded-for"), self.trusted)
        return self.failures.refused(client, "-" if key_id == "anonymous" else key_id, status)
