"""The audit writer: screening requests are queued and written in batches, off the hot path.

A background thread writes what is queued every half second and prunes records older than
the retention period once an hour. Stopping the writer flushes what is left.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from discreet.errors import DiscreetError
from discreet.store import Store
from discreet.store.audit import AuditRecord, prune_audit, write_audit

__all__ = ["AuditWriter", "now_iso"]

log = logging.getLogger("discreet.api")
_PRUNE_EVERY = 3600.0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class AuditWriter:
    """Queue of :class:`AuditRecord` and the thread that stores them."""

    def __init__(self, open_store: Callable[[], Store], retention_days: int) -> None:
        self.open_store = open_store
        self.retention_days = retention_days
        self._queue: queue.Queue[AuditRecord | None] = queue.Queue(maxsize=100_000)
        self._thread: threading.Thread | None = None
        self.written = 0
        self.dropped = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="discreet-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def record(self, key_id: str, endpoint: str, dataset: str, status: int,
               request: dict[str, Any], versions: dict[str, int],
               results: dict[str, Any]) -> None:
        """Queue one record; never blocks a request (a full queue drops and counts)."""
        entry = AuditRecord(uuid.uuid4().hex, now_iso(), key_id, endpoint, dataset, status,
                            request, versions, results)
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            self.dropped += 1

    def _drain(self, first: AuditRecord) -> tuple[list[AuditRecord], bool]:
        batch, stop = [first], False
        while len(batch) < 1000:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                stop = True
                break
            batch.append(item)
        return batch, stop

    def _run(self) -> None:
        store = self.open_store()
        pruned_at = 0.0
        try:
            while True:
                if time.monotonic() - pruned_at > _PRUNE_EVERY:
                    pruned_at = time.monotonic()
                    self._prune(store)
                item = self._queue.get()
                if item is None:
                    return
                batch, stop = self._drain(item)
                self._write(store, batch)
                if stop:
                    return
                time.sleep(0.5)
        finally:
            store.close()

    def _write(self, store: Store, batch: list[AuditRecord]) -> None:
        try:
            write_audit(store.db, batch)
            self.written += len(batch)
        except Exception as exc:  # never let the writer thread die: count and log
            self.dropped += len(batch)
            log.error("could not write %d audit records: %s", len(batch), exc)

    def _prune(self, store: Store) -> None:
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        try:
            prune_audit(store.db, cutoff.isoformat(timespec="milliseconds"))
        except DiscreetError as exc:
            log.error("could not prune the audit log: %s", exc)
