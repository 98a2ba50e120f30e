"""The audit log of the API: every screening request, and every refused one, is recorded.

Routes that screen (``/match``, ``/reconcile``, ``/search``, ``/entities``, suggest) call
:meth:`AuditWriter.record` with what was asked and answered. :class:`AuditRequests`, an
ASGI middleware around the whole app, records every other request to those endpoints
(the reconciliation manifest, entity history, a 404, a 422, an error) and every refused
request anywhere (401, 403, 413, 422, 429), with the key id if it exists. Refusals no
verified key answers for, and a key's 429s, are bounded per address and key id by the
same table as failed authentications (security.AuthFailures). Nothing is recorded twice:
the middleware knows when the route recorded.

Records are queued and written in batches by a background thread; a request never waits
for it. A record is never silently lost (see :class:`AuditWriter`):

- text the store cannot hold (lone surrogates, NUL) is replaced before writing;
- a record that cannot be encoded, or that the store refuses (duplicate id, a value it
  cannot hold), is replaced by a placeholder row (who, when, endpoint, status, why);
- when the store fails (down, locked), the batch is kept whole and retried;
- past the queue's capacity, and at shutdown, records go to a spill file on disk; with
  no usable spill file, ``put`` waits for room instead (back-pressure: requests slow
  down, none is lost), and after the writer stopped a record is written directly;
- every record is appended to the store's hash chain (``store/chain.py``) in the order
  the writer takes it; spilled records are re-appended, in order, at the next start.

``dropped`` counts records lost for good (only when the store and the disk both fail at
once, or a spilled line cannot be read back); the server logs each such loss.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.api.jsonbounds import header
from discreet.api.security import AuthFailures, client_address
from discreet.store import Store
from discreet.store.audit import AuditRecord, encode_audit, now_iso, placeholder

if TYPE_CHECKING:
    from discreet.api.settings import Network

__all__ = ["REFUSED", "SCREENING", "AuditRequests", "AuditWriter", "RequestNote",
           "note_caller", "note_collapsed", "note_counted", "presented_key_id"]

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


_Entry = tuple[AuditRecord, bool]  # (record, read back from the spill file)


class AuditWriter:
    """Queue of :class:`AuditRecord` and the thread that stores them.

    ``put`` does not wait while there is room: up to ``capacity`` records wait in memory;
    past that (the store is slow or down) they are appended to ``spill`` (JSON lines,
    flushed to the operating system at once and fsync'd by the writer thread every
    cycle), which the thread reads back once the queue has room. A spill file left by a
    process that died is replayed at start (records already stored are skipped by id).
    Without a usable spill file, ``put`` past ``capacity`` waits until the writer makes
    room (back-pressure, logged): a record is never dropped for want of space.
    """

    def __init__(self, open_store: Callable[[], Store], retention_days: int, *,
                 capacity: int = 100_000, spill: Path | None = None) -> None:
        self.open_store = open_store
        self.retention_days = retention_days
        self.capacity = capacity
        self.spill = spill
        self._pending: deque[_Entry] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._spill_file: IO[str] | None = None
        self._spill_failed = False  # the spill file could not be opened: the limit is hard
        self._spill_read = 0  # bytes of the spill file read back into the queue
        self._spill_unread = 0  # records in the spill file not read back yet
        self._spill_out = 0  # records read back and not yet written
        self._spill_dirty = False  # appended since the last fsync
        self.queued = 0
        self.written = 0
        self.placeholders = 0  # records stored as a placeholder row (the record was refused)
        self.failed_batches = 0
        self.spilled = 0  # records appended to the spill file (the queue was full)
        self.replayed = 0  # records read back from a spill file
        self.dropped = 0  # records lost for good (each one logged)
        self.waited = 0  # puts that waited for room (no spill file: back-pressure)
        self.direct = 0  # records written by put itself, after the writer stopped

    def start(self) -> None:
        # The spill file is opened when a record first has to wait on disk, or now when a
        # process that died left one: a server that never spills leaves no file behind.
        if self.spill is not None and any(self.spill.parent.glob(f"{self.spill.name}.*.jsonl")):
            with self._cond:
                self._ensure_spill()
        self._thread = threading.Thread(target=self._run, name="discreet-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Write what is queued, then stop (waits up to 30 seconds); what the store did not
        take is kept in the spill file (or counted as dropped when there is none)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._cond:
            self._stopped = True
            alive = self._thread is not None and self._thread.is_alive()
            if alive:
                log.error("audit: the writer thread did not stop in 30 s; the batch it is "
                          "writing may be lost")
            left = [record for record, spilled in self._pending if not spilled]
            self._pending.clear()
            for record in left:
                self._to_spill(record)
            self._close_spill()

    @property
    def backlog(self) -> int:
        return len(self._pending) + self._spill_unread

    def stats(self) -> dict[str, int]:
        """This process's counts since it started (``dropped`` should stay 0)."""
        return {"queued": self.queued, "written": self.written, "backlog": self.backlog,
                "placeholders": self.placeholders, "failed_batches": self.failed_batches,
                "spilled": self.spilled, "replayed": self.replayed, "dropped": self.dropped,
                "waited": self.waited, "direct": self.direct}

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
        """Queue a record: past ``capacity`` it goes to the spill file, or, with none,
        waits for room (back-pressure); after ``stop`` it is spilled or written directly."""
        with self._cond:
            self.queued += 1
            if self._stopped or len(self._pending) >= self.capacity:
                self._ensure_spill()
                if self._spill_file is not None:
                    self._to_spill(entry)
                    return
                if not self._stopped and self._thread is not None:
                    self._wait_for_room()
                if self._stopped or len(self._pending) >= self.capacity:
                    self._write_now(entry)
                    return
            self._pending.append((entry, False))
            if len(self._pending) >= min(_BATCH, self.capacity):
                self._cond.notify_all()

    def _wait_for_room(self) -> None:
        """Back-pressure (with ``self._cond`` held): wait until the writer thread makes
        room or stops; the caller (a request) waits with it, so nothing is dropped."""
        self.waited += 1
        if self.waited == 1 or self.waited % 1000 == 0:
            log.warning("audit: the queue is full (%d) and there is no spill file: "
                        "requests wait for the audit writer (%d so far)", self.capacity,
                        self.waited)
        self._cond.notify_all()
        while not self._stopped and len(self._pending) >= self.capacity:
            alive = self._thread is not None and self._thread.is_alive()
            if not alive:
                return
            self._cond.wait(timeout=1.0)

    def _write_now(self, entry: AuditRecord) -> None:
        """No queue and no spill file can take the record (the writer stopped, or never
        started): write it to the store from here; lost (counted, logged) only if that
        fails too."""
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
            log.error("audit: record %s (key %s, %s) lost: no queue, no spill file, and "
                      "the store failed: %s", entry.id, entry.key_id, entry.endpoint, exc)
        finally:
            if store is not None:
                store.close()

    # --- the spill file (called with self._cond held) ---------------------------------

    def _open_spill(self, path: Path) -> None:
        """Open this process's spill file (locked while it lives) and take over those of
        processes that died: their records are appended to ours, to be replayed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        mine = path.with_name(f"{path.name}.{os.getpid()}.jsonl")
        handle = mine.open("a+", encoding="utf-8")
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for other in sorted(path.parent.glob(f"{path.name}.*.jsonl")):
            if other == mine:
                continue
            try:
                with other.open("r", encoding="utf-8") as old:
                    fcntl.flock(old, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: still alive
                    for line in old:
                        if line.endswith("\n"):
                            handle.write(line)
            except OSError:
                continue
            handle.flush()
            os.fsync(handle.fileno())
            other.unlink()
            log.warning("audit: replaying the records a stopped server left in %s", other)
        handle.seek(0)
        self._spill_unread = sum(1 for _ in handle)
        self._spill_file = handle
        if self._spill_unread:
            log.warning("audit: %d records in %s to write", self._spill_unread, mine)

    def _ensure_spill(self) -> None:
        """Open the spill file if there is one to open and it is not open yet."""
        if self._spill_file is not None or self.spill is None or self._spill_failed:
            return
        try:
            self._open_spill(self.spill)
        except OSError as exc:  # e.g. a read-only directory: the memory limit is hard
            self._spill_failed = True
            log.error("audit: no spill file at %s (%s): past %d queued records, requests "
                      "wait for the writer (back-pressure)", self.spill, exc, self.capacity)

    def _to_spill(self, entry: AuditRecord) -> None:
        self._ensure_spill()
        if self._spill_file is None:
            self._write_now(entry)
            return
        try:
            line = json.dumps(entry.to_dict(), ensure_ascii=True, default=repr)
        except Exception as exc:  # a value with no text at all: keep who, when, why
            line = json.dumps(placeholder(entry, f"{type(exc).__name__}: {exc}").to_dict(),
                              ensure_ascii=True)
        self._spill_file.seek(0, os.SEEK_END)
        self._spill_file.write(line + "\n")
        self._spill_file.flush()
        self._spill_dirty = True
        self._spill_unread += 1
        self.spilled += 1

    def _read_spill(self, room: int) -> None:
        """Move up to ``room`` spilled records back into the queue."""
        handle = self._spill_file
        if handle is None or not self._spill_unread or room <= 0:
            return
        handle.seek(self._spill_read)
        while room > 0:
            line = handle.readline()
            if not line.endswith("\n"):
                break  # the end (or a line a crash cut short)
            self._spill_read = handle.tell()
            self._spill_unread -= 1
            try:
                fields = json.loads(line)
                record = AuditRecord(**fields)
            except (ValueError, TypeError) as exc:
                self.dropped += 1
                log.error("audit: an unreadable line in the spill file lost: %s", exc)
                continue
            self._pending.append((record, True))
            self._spill_out += 1
            self.replayed += 1
            room -= 1

    def _settle_spill(self, written_back: int) -> None:
        """Records read back were written: empty the file once all of it is."""
        self._spill_out -= written_back
        handle = self._spill_file
        if handle is None:
            return
        if self._spill_dirty:
            os.fsync(handle.fileno())
            self._spill_dirty = False
        if self._spill_out == 0 and self._spill_unread == 0 and self._spill_read:
            handle.truncate(0)
            handle.flush()
            os.fsync(handle.fileno())
            self._spill_read = 0

    def _close_spill(self) -> None:
        if self._spill_file is not None:
            self._spill_file.flush()
            os.fsync(self._spill_file.fileno())
            if self._spill_unread:
                log.error("audit: %d records kept in %s, written when a server starts "
                          "again", self._spill_unread, self._spill_file.name)
            self._spill_file.close()
            if not self._spill_unread and not self._spill_out:  # nothing waits in it
                Path(self._spill_file.name).unlink(missing_ok=True)
            self._spill_file = None

    # --- the writer thread ----------------------------------------------------------

    def _take(self) -> tuple[list[_Entry], bool]:
        with self._cond:
            full = min(_BATCH, self.capacity)
            if not self._stopping and len(self._pending) < full and not self._spill_unread:
                self._cond.wait_for(lambda: self._stopping or len(self._pending) >= full,
                                    timeout=_INTERVAL)
            self._read_spill(min(_BATCH, self.capacity // 2 + 1) - len(self._pending))
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
                    with self._cond:
                        self._settle_spill(0)
                    if stopping:
                        return
                    continue
                if store is None:
                    store = self._open()
                failed = self._write(store, batch) if store is not None else batch
                with self._cond:
                    self._settle_spill(sum(1 for _, spilled in batch if spilled)
                                       - sum(1 for _, spilled in failed if spilled))
                if failed:
                    if stopping and pause >= 1.0:
                        self._requeue(failed)
                        return  # the store is down: stop() keeps the rest on disk
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
        """Write a batch; returns it when the store failed (to be retried whole).

        Records are encoded first, outside the store: one that cannot be encoded is
        replaced by a placeholder. When the store refuses the batch because of a record
        (a duplicate id, a value it cannot hold), records are written one by one and only
        the refused one becomes a placeholder; any other error is the store's (locked,
        connection lost): the batch is kept, whole, for the next try.
        """
        rows: list[tuple[object, ...]] = []
        replaced: set[int] = set()
        for i, (record, _) in enumerate(batch):
            try:
                rows.append(encode_audit(record))
            except Exception as exc:
                rows.append(encode_audit(self._placeholder(record, exc)))
                replaced.add(i)
        try:
            store.write_audit_rows(rows, skip_existing=any(s for _, s in batch))
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
        for i, ((record, spilled), row) in enumerate(zip(batch, rows, strict=True)):
            try:
                try:
                    store.write_audit_rows([row], skip_existing=spilled)
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
        peer = scope.get("client")
        client = client_address(str(peer[0]) if peer else None,
                                header(scope, b"x-forwarded-for"), self.trusted)
        return self.failures.refused(client, "-" if key_id == "anonymous" else key_id, status)
