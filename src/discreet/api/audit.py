"""The audit log of the API: every screening request, and every refused one, is recorded.

Routes that screen (``/match``, ``/reconcile``, ``/search``, ``/entities``, suggest) call
:meth:`AuditWriter.record` with what was asked and answered. :class:`AuditRequests`, an
ASGI middleware around the whole app, records every other request to those endpoints
(the reconciliation manifest, entity history, a 404, a 422, an error) and every refused
request anywhere (401, 403, 413, 422, 429), with the key id if it exists. Refusals no
verified key answers for, and a key's 429s, are bounded per address and key id by the
same table as failed authentications (security.AuthFailures). Nothing is recorded twice:
the middleware knows when the route recorded.

A record is acknowledged only once it is on disk: it is appended to this process's
journal (``audit_journal.py``) when it is recorded, and the middleware holds the answer
until the journal's group sync covers it (``--audit-fsync batch``, the default). A
background thread then writes records to the store in batches. A record is never
silently lost (see :class:`AuditWriter`):

- text the store cannot hold (lone surrogates, NUL) is replaced before writing;
- a record that cannot be encoded, or that the store refuses (duplicate id, a value it
  cannot hold), is replaced by a placeholder row (who, when, endpoint, status, why);
- when the store fails (down, locked), the batch is kept whole and retried;
- past the queue's capacity records wait in the journal only, and are read back in order;
  with no usable journal, ``put`` waits for room instead (back-pressure: requests slow
  down, none is lost), and after the writer stopped a record is written directly;
- a crash (``kill -9``, power loss with ``batch`` or ``always``) loses nothing
  acknowledged: the next start, or ``discreet audit recover``, replays the dead process's
  journal after its last checkpoint, skipping records already stored (by id);
- every record is appended to the store's hash chain (``store/chain.py``) in the order
  the writer takes it.

``dropped`` counts records lost for good (only when the store and the journal's disk both
fail at once, or a journal line cannot be read back); the server logs each such loss.
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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.api.audit_journal import (
    FSYNC_POLICIES,
    SEGMENT_BYTES,
    Journal,
    Mark,
    claims,
)
from discreet.api.jsonbounds import header
from discreet.api.security import AuthFailures, client_address
from discreet.errors import StoreError
from discreet.store import Store
from discreet.store.audit import AuditRecord, encode_audit, now_iso, placeholder

if TYPE_CHECKING:
    from discreet.api.settings import Network

__all__ = ["REFUSED", "SCREENING", "AuditRequests", "AuditWriter", "Recovery", "RequestNote",
           "note_caller", "note_collapsed", "note_counted", "presented_key_id",
           "recover_journals"]

log = logging.getLogger("discreet.api")
_PRUNE_EVERY = 3600.0
_BATCH = 1000  # records per transaction
_INTERVAL = 0.5  # seconds a small batch may wait for company
SCREENING = frozenset({"match", "reconcile", "search", "entities"})  # first path segment
REFUSED = frozenset({401, 403, 413, 422, 429})  # recorded on every endpoint
_KEY_ID = re.compile(r"^dk_([A-Za-z0-9]{1,32})_")


@dataclass(slots=True)
class RequestNote:
    """What one request's handling has learnt for the audit: the caller, and if recorded."""

    key_id: str | None = None
    recorded: bool = False
    counted: bool = False  # the refusal is already counted in AuthFailures' table
    ticket: int = 0  # the journal sync the answer waits for (0: none)


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


def _is_record_error(exc: BaseException) -> bool:
    """True when the store refused a record itself (a duplicate id, a value it cannot
    hold), not when the store failed (locked, connection lost): DB-API class names, which
    sqlite3 and psycopg share."""
    seen: BaseException | None = exc
    while seen is not None:  # the store wraps the driver's error (its __cause__)
        if any(c.__name__ in ("IntegrityError", "DataError") for c in type(seen).__mro__):
            return True
        seen = seen.__cause__
    return False


_Entry = tuple[AuditRecord, bool, Mark | None]  # (record, skip if stored, journal place)


class AuditWriter:
    """Queue of :class:`AuditRecord`, its on-disk journal, and the thread that stores them.

    With a journal directory, ``put`` appends each record to this process's journal
    (``audit_journal.py``) before it returns; :meth:`durable` waits (the request, before
    its answer) for the group sync that puts it on disk. Up to ``capacity`` records also
    wait in memory; past that (the store is slow or down) they wait in the journal only,
    and the thread reads them back, in order, once the queue has room. After each batch is
    stored the journal is checkpointed and its committed segments deleted. At start the
    journals of processes that died are taken over (records after their last checkpoint,
    skipped by id when stored already). Without a usable journal, ``put`` past ``capacity``
    waits until the writer makes room (back-pressure, logged): a record is never dropped
    for want of space.
    """

    def __init__(self, open_store: Callable[[], Store], retention_days: int, *,
                 capacity: int = 100_000, journal: Path | None = None,
                 fsync: str = "batch", fsync_ms: float = 1.0,
                 segment_bytes: int = SEGMENT_BYTES) -> None:
        if fsync not in FSYNC_POLICIES:
            raise ValueError(f"audit fsync policy {fsync!r} is not one of {FSYNC_POLICIES}")
        self.open_store = open_store
        self.retention_days = retention_days
        self.capacity = capacity
        self.journal_dir = journal
        self.fsync = fsync
        self.fsync_ms = fsync_ms
        self.segment_bytes = segment_bytes
        self.journal: Journal | None = None
        self._pending: deque[_Entry] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._unread = 0  # records in the journal only (the queue was full)
        self._disk_at = (0, 0)  # (segment, offset) of the first of them
        self.queued = 0
        self.written = 0
        self.placeholders = 0  # records stored as a placeholder row (the record was refused)
        self.failed_batches = 0
        self.spilled = 0  # records kept in the journal only (the queue was full)
        self.replayed = 0  # records read back from the journal into the queue
        self.recovered = 0  # records taken over from the journals of dead processes
        self.torn = 0  # journal lines that could not be read (a torn tail, corruption)
        self.dropped = 0  # records lost for good (each one logged)
        self.waited = 0  # puts that waited for room (no journal: back-pressure)
        self.direct = 0  # records written by put itself, after the writer stopped

    def start(self) -> None:
        """Open this process's journal (taking over those of dead processes), then start
        the writer thread. A journal that cannot be opened is logged: records then wait in
        memory only, with back-pressure past ``capacity``."""
        if self.journal_dir is not None:
            journal = Journal(self.journal_dir, self.fsync, self.fsync_ms, self.segment_bytes)
            try:
                journal.open()
            except OSError as exc:
                log.error("audit: no journal in %s (%s): records wait in memory only (a "
                          "crash loses them) and, past %d, requests wait for the writer",
                          self.journal_dir, exc, self.capacity)
            else:
                self.journal = journal
                self._take_over(journal)
        self._thread = threading.Thread(target=self._run, name="discreet-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Write what is queued, then stop (waits up to 30 seconds); what the store did not
        take stays in the journal, for the next start or ``discreet audit recover``."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._cond:
            self._stopped = True
            if self._thread is not None and self._thread.is_alive():
                log.error("audit: the writer thread did not stop in 30 s; the batch it is "
                          "writing stays in the journal")
            left = list(self._pending)
            self._pending.clear()
            kept = sum(1 for _, _, mark in left if mark is not None) + self._unread
            journal, self.journal = self.journal, None
            if journal is not None:
                if kept:
                    log.error("audit: %d records kept in the journal %s/%s, written when a "
                              "server starts again or by `discreet audit recover`", kept,
                              journal.directory, journal.name)
                journal.close(remove=not kept)
            for record, _, mark in left:
                if mark is None:  # in memory only: try the store one last time
                    self._write_now(record)

    async def durable(self, ticket: int) -> None:
        """Wait, without blocking the event loop, until the journal holds ``ticket``'s
        record on disk (the ``batch`` policy's group sync); at once otherwise."""
        journal = self.journal
        if ticket and journal is not None:
            await journal.synced(ticket)

    @property
    def backlog(self) -> int:
        return len(self._pending) + self._unread

    def stats(self) -> dict[str, int]:
        """This process's counts since it started (``dropped`` should stay 0)."""
        journal = self.journal
        return {"queued": self.queued, "written": self.written, "backlog": self.backlog,
                "placeholders": self.placeholders, "failed_batches": self.failed_batches,
                "spilled": self.spilled, "replayed": self.replayed, "dropped": self.dropped,
                "waited": self.waited, "direct": self.direct,
                "journaled": journal.appends if journal is not None else 0,
                "journal_syncs": journal.syncs if journal is not None else 0,
                "journal_bytes": journal.size if journal is not None else 0,
                "journal_errors": journal.errors if journal is not None else 0,
                "journal_recovered": self.recovered, "journal_torn": self.torn}

    def record(self, key_id: str, endpoint: str, dataset: str, status: int,
               request: dict[str, Any], versions: dict[str, int],
               results: dict[str, Any]) -> None:
        """Queue one record for the current request (journaled before this returns) and
        note it, with what the answer must wait for (:meth:`durable`)."""
        ticket = self._put(AuditRecord(uuid.uuid4().hex, now_iso(), key_id, endpoint,
                                       dataset, status, request, versions, results))
        note = _NOTE.get()
        if note is not None:
            note.recorded = True
            note.ticket = max(note.ticket, ticket)

    def put(self, entry: AuditRecord) -> None:
        """Queue a record (journaled first); without a journal, past ``capacity`` it waits
        for room (back-pressure); after ``stop`` it is written directly."""
        self._put(entry)

    def _put(self, entry: AuditRecord, again: bool = False) -> int:
        """:meth:`put`; the journal ticket to wait on before answering (0: none)."""
        with self._cond:
            self.queued += 1
            if self._stopped:
                self._write_now(entry)
                return 0
            mark = self._journal(entry, again)
            if mark is not None and (self._unread or len(self._pending) >= self.capacity):
                if not self._unread:
                    self._disk_at = (mark.segment, mark.start)
                self._unread += 1
                self.spilled += 1
                return mark.ticket
            if mark is None and len(self._pending) >= self.capacity:
                if self._thread is not None:
                    self._wait_for_room()
                if self._stopped or len(self._pending) >= self.capacity:
                    self._write_now(entry)
                    return 0
            self._pending.append((entry, again, mark))
            if len(self._pending) >= min(_BATCH, self.capacity):
                self._cond.notify_all()
            return 0 if mark is None else mark.ticket

    def _journal(self, entry: AuditRecord, again: bool) -> Mark | None:
        """(with ``self._cond`` held) Append ``entry`` to the journal; None without one. A
        record with no JSON form is journaled as its placeholder (who, when, why); a
        failing disk is logged, and the record then waits in memory only."""
        journal = self.journal
        if journal is None:
            return None
        body: dict[str, Any] = {"r": entry.to_dict()}
        if again:
            body["again"] = True
        try:
            try:
                return journal.append(body)
            except OSError:
                raise
            except Exception as exc:  # a value with no text at all: keep who, when, why
                body["r"] = placeholder(entry, f"{type(exc).__name__}: {exc}").to_dict()
                return journal.append(body)
        except OSError as exc:
            journal.errors += 1
            if journal.errors == 1 or journal.errors % 1000 == 0:
                log.error("audit: cannot append to the journal %s/%s (%s): records wait in "
                          "memory only (%d so far)", journal.directory, journal.name, exc,
                          journal.errors)
            return None

    def _take_over(self, journal: Journal) -> None:
        """Take over the journals of processes that died: their records after the last
        checkpoint are appended to ours (marked to skip ids already stored), synced, and
        the dead journal deleted; a journal whose lock is held is alive and left alone."""
        for name, found in claims(journal.directory, journal.name):
            if found is None:
                continue
            held, scan = found
            for problem in scan.problems:
                log.warning("%s", problem.line())
                self.torn += 1
            ticket = 0
            for fields in (fields for fields, _ in scan.records):
                try:
                    record = AuditRecord(**fields)
                except TypeError as exc:
                    self.dropped += 1
                    log.error("audit journal %s: a record of another form lost: %s", name, exc)
                    continue
                ticket = max(ticket, self._put(record, again=True))
                self.queued -= 1  # not a request of this process
                self.recovered += 1
            if ticket and not journal.wait(ticket):
                held.finish(remove=False)  # not on disk in ours yet: keep it for later
                continue
            held.finish(remove=journal.errors == 0)
            if scan.records:
                log.warning("audit: %d records a stopped server left in %s/%s taken over",
                            len(scan.records), journal.directory, name)

    def _wait_for_room(self) -> None:
        """Back-pressure (with ``self._cond`` held): wait until the writer thread makes
        room or stops; the caller (a request) waits with it, so nothing is dropped."""
        self.waited += 1
        if self.waited == 1 or self.waited % 1000 == 0:
            log.warning("audit: the queue is full (%d) and there is no journal: requests "
                        "wait for the audit writer (%d so far)", self.capacity, self.waited)
        self._cond.notify_all()
        while not self._stopped and len(self._pending) >= self.capacity:
            alive = self._thread is not None and self._thread.is_alive()
            if not alive:
                return
            self._cond.wait(timeout=1.0)

    def _write_now(self, entry: AuditRecord) -> None:
        """No queue can take the record (the writer stopped, or never started): write it
        to the store from here; lost (counted, logged) only if that fails too."""
        store: Store | None = None
        try:
            store = self.open_store()
            try:
                row = encode_audit(entry)
            except Exception as exc:
                row = encode_audit(self._placeholder(entry, exc))
            store.write_audit_rows([row], skip_existing=True)
            self.direct += 1
            self.written += 1
        except Exception as exc:
            self.dropped += 1
            log.error("audit: record %s (key %s, %s) lost: no queue, no journal, and the "
                      "store failed: %s", entry.id, entry.key_id, entry.endpoint, exc)
        finally:
            if store is not None:
                store.close()

    def _read_back(self, room: int) -> None:
        """(with ``self._cond`` held) Move up to ``room`` records kept in the journal only
        back into the queue, in order."""
        journal = self.journal
        if journal is None or not self._unread or room <= 0:
            return
        found, segment, offset, problems = journal.read(*self._disk_at,
                                                        min(room, self._unread))
        self._disk_at = (segment, offset)
        for problem in problems:
            self.torn += 1
            self.dropped += 1
            log.error("audit: %s; its record is lost", problem.line())
        for fields, again, mark in found:
            try:
                self._pending.append((AuditRecord(**fields), again, mark))
                self.replayed += 1
            except TypeError as exc:
                self.dropped += 1
                log.error("audit: a journal record of another form lost: %s", exc)
        self._unread = max(0, self._unread - len(found) - len(problems))
        if not found and not problems:  # nothing where records should be: say it, once
            log.error("audit: %d records of the journal %s/%s cannot be read back: lost",
                      self._unread, journal.directory, journal.name)
            self.dropped += self._unread
            self._unread = 0

    # --- the writer thread ----------------------------------------------------------

    def _take(self) -> tuple[list[_Entry], bool]:
        with self._cond:
            full = min(_BATCH, self.capacity)
            if not self._stopping and len(self._pending) < full and not self._unread:
                self._cond.wait_for(lambda: self._stopping or len(self._pending) >= full,
                                    timeout=_INTERVAL)
            self._read_back(min(_BATCH, self.capacity // 2 + 1) - len(self._pending))
            count = min(_BATCH, len(self._pending))
            taken = [self._pending.popleft() for _ in range(count)]
            if taken:
                self._cond.notify_all()  # room: a put waiting for it (back-pressure) goes on
            return taken, self._stopping

    def _run(self) -> None:
        store: Store | None = None
        pruned_at = float("-inf")  # prune at start, then hourly
        pause = 0.0
        try:
            while True:
                if time.monotonic() - pruned_at > _PRUNE_EVERY:
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
                self._checkpoint(batch[:len(batch) - len(failed)])
                if failed:
                    if stopping and pause >= 1.0:
                        self._requeue(failed)
                        return  # the store is down: the rest stays in the journal
                    self._requeue(failed)
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

    def _checkpoint(self, stored: list[_Entry]) -> None:
        """The journal learns that ``stored`` (a prefix of what it holds) is in the store."""
        journal = self.journal
        last = next((mark for _, _, mark in reversed(stored) if mark is not None), None)
        if journal is not None and last is not None:
            journal.checkpoint(last)

    def _open(self) -> Store | None:
        try:
            return self.open_store()
        except Exception as exc:  # the store is down: keep the records, try again later
            log.error("audit: cannot open the store: %s", exc)
            return None

    def _requeue(self, failed: list[_Entry]) -> None:
        """The store failed: the batch goes back to the front of the queue, as it was."""
        with self._cond:
            self._pending.extendleft(reversed(failed))

    def _write(self, store: Store, batch: list[_Entry]) -> list[_Entry]:
        """Write a batch; returns its unwritten rest when the store failed (to be retried).

        Records are encoded first, outside the store: one that cannot be encoded is
        replaced by a placeholder. When the store refuses the batch because of a record
        (a duplicate id, a value it cannot hold), records are written one by one and only
        the refused one becomes a placeholder; any other error is the store's (locked,
        connection lost): the batch is kept, whole, for the next try.
        """
        rows: list[tuple[object, ...]] = []
        replaced: set[int] = set()
        for i, (record, _, _) in enumerate(batch):
            try:
                rows.append(encode_audit(record))
            except Exception as exc:
                rows.append(encode_audit(self._placeholder(record, exc)))
                replaced.add(i)
        try:
            store.write_audit_rows(rows, skip_existing=any(again for _, again, _ in batch))
        except Exception as exc:
            self.failed_batches += 1
            if not _is_record_error(exc):
                log.warning("audit: the store failed writing %d records (%s); they are kept "
                            "for the next try", len(batch), exc)
                return batch
            log.warning("audit: the store refused a record of a batch of %d (%s); writing "
                        "them one by one", len(batch), exc)
        else:
            self.written += len(batch) - len(replaced)
            self.placeholders += len(replaced)
            return []
        for i, ((record, again, _), row) in enumerate(zip(batch, rows, strict=True)):
            try:
                try:
                    store.write_audit_rows([row], skip_existing=again)
                except Exception as exc:
                    if not _is_record_error(exc):
                        raise
                    store.write_audit_rows([encode_audit(self._placeholder(record, exc))])
                    replaced.add(i)
            except Exception as exc:  # the store failed: the rest is kept for the next try
                log.warning("audit: the store failed (%s); %d records kept for the next "
                            "try", exc, len(batch) - i)
                return batch[i:]
            if i in replaced:
                self.placeholders += 1
            else:
                self.written += 1
        return []

    def _placeholder(self, record: AuditRecord, exc: BaseException) -> AuditRecord:
        reason = f"{type(exc).__name__}: {exc}"
        log.error("audit: record %s (key %s, %s) could not be written (%s); a placeholder "
                  "row keeps who, when and the status", record.id, record.key_id,
                  record.endpoint, reason)
        return placeholder(record, reason)

    def _prune(self, store: Store) -> None:
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        try:
            store.prune_audit(cutoff.isoformat(timespec="milliseconds"))
        except Exception as exc:
            log.error("could not prune the audit log: %s", exc)


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part] or [""]


def _wanted(scope: Scope, status: int) -> bool:
    """Whether the middleware records a request no route recorded: a screening endpoint's,
    or a refusal anywhere."""
    return _segments(str(scope.get("path", "")))[0] in SCREENING or status in REFUSED


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
        writer = self.writer
        note = RequestNote()
        token = _NOTE.set(note)
        status = 500  # until the answer starts: what an error raised from inside gets
        error = bytearray()
        held: Message | None = None  # the answer's start, until its record is on disk
        done = False  # this middleware recorded the request (or collapsed it)

        async def sending(message: Message) -> None:
            nonlocal status, held, done
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if not note.recorded and _wanted(scope, status):
                    held = message  # its record needs the answer's body (the detail)
                    return
                await writer.durable(note.ticket)  # the route's record is on disk
            else:  # the body (or any other part of the answer)
                if message["type"] == "http.response.body" and status >= 400 \
                        and len(error) < 4096:
                    error.extend(bytes(message.get("body", b""))[:4096])
                if held is not None:
                    if not note.recorded and not done:
                        done = True
                        self._record(scope, note, status, bytes(error))
                    await writer.durable(note.ticket)
                    start, held = held, None
                    await send(start)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except RecursionError:
            if status == 500:  # not answered yet: the recursion guard outside answers 400
                status = 400
            raise
        finally:
            try:
                if not note.recorded and not done:  # no answer sent (an error raised)
                    self._record(scope, note, status, bytes(error))
                    await writer.durable(note.ticket)  # before the error's answer
                if held is not None:  # an answer with a start and no body: end it
                    await send(held)
                    await send({"type": "http.response.body", "body": b""})
            finally:
                _NOTE.reset(token)

    def _record(self, scope: Scope, note: RequestNote, status: int, error: bytes) -> None:
        if not _wanted(scope, status):
            return
        parts = _segments(str(scope.get("path", "")))
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
        peer = scope.get("client")
        client = client_address(str(peer[0]) if peer else None,
                                header(scope, b"x-forwarded-for"), self.trusted)
        return self.failures.refused(client, "-" if key_id == "anonymous" else key_id, status)


@dataclass(slots=True)
class Recovery:
    """What ``discreet audit recover`` did with one journal."""

    name: str
    live: bool = False  # its lock is held: a running server's (or another recoverer's)
    read: int = 0  # records after its last checkpoint
    committed: int = 0  # records before its last checkpoint (the store had them)
    already: int = 0  # of ``read``, stored already (skipped by id)
    chained: int = 0  # appended to the chain now (what the chain grew by while replaying)
    problems: list[str] = field(default_factory=list)  # unreadable lines, one line each

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recover_journals(directory: Path, open_store: Callable[[], Store]) -> list[Recovery]:
    """Replay into the chain, in order, the journals in ``directory`` whose process died
    (their lock is free; the lock is held while replaying, so two recoverers, or a
    recoverer and a starting server, never replay one journal twice); records stored
    already are skipped by id, unreadable lines reported and skipped, and each journal is
    deleted once the store holds it all. Raises the store's error (the journal is kept)."""
    found: list[Recovery] = []
    writer = AuditWriter(open_store, 365)
    for name, claimed in claims(directory):
        if claimed is None:
            found.append(Recovery(name, live=True))
            continue
        held, scan = claimed
        done = False
        try:
            report = Recovery(name, read=len(scan.records), committed=scan.committed,
                              problems=[p.line() for p in scan.problems])
            entries: list[_Entry] = []
            for fields, _ in scan.records:
                try:
                    entries.append((AuditRecord(**fields), True, None))
                except TypeError as exc:
                    report.problems.append(f"audit journal {directory / name}: a record of "
                                           f"another form skipped ({exc})")
            with open_store() as store:
                for i in range(0, len(entries), _BATCH):
                    batch = entries[i:i + _BATCH]
                    head = store.audit_anchor().seq
                    if writer._write(store, batch):
                        raise StoreError(f"the store failed while replaying the audit "
                                         f"journal {directory / name}; it is kept, run "
                                         "`discreet audit recover` again")
                    report.chained += min(len(batch), store.audit_anchor().seq - head)
            report.already = len(entries) - report.chained
            found.append(report)
            done = True
        finally:
            held.finish(remove=done)
    return found

