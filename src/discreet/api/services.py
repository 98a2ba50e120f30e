"""What a running server holds: the index, the store gate, keys, limits, audit, updates.

Created and started by the app's lifespan, stopped at shutdown; nothing here runs at import.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from discreet.api.audit import AuditWriter
from discreet.api.audit_journal import journal_dir
from discreet.api.gate import StoreGate
from discreet.api.holder import IndexHolder
from discreet.api.security import AuthFailures, KeyRing, RateLimiter
from discreet.api.settings import ApiSettings, trusted_networks
from discreet.errors import DiscreetError
from discreet.store import Store

__all__ = ["Services", "Updater", "default_updater", "refresh_links_after",
           "rescreen_book_after", "run_update"]

log = logging.getLogger("discreet.api")
Updater = Callable[[Store], Any]  # downloads and loads new list versions into the store
SWITCH_INTERVAL = 0.001  # seconds a thread may hold the GIL while another waits (start())


def default_updater(store: Store) -> object:
    """Download every configured source and load what changed (discreet update), then
    recompute the same-as links when a new version came: the updater of ``discreet
    serve``, in one process or in each worker. The links' change brings a new generation
    (api/holder.py), so screening collapses the parties the new versions list."""
    from discreet.lists.update import update_sources

    outcomes = update_sources(store, [])
    if any(o.status == "new" for o in outcomes):
        refresh_links_after(store)
    return outcomes


def refresh_links_after(store: Store) -> bool:
    """Recompute the same-as links after an update (:func:`discreet.regimes.links.
    refresh_links`); False when that failed. A failure is logged, never raised: the update
    itself stands and the old links keep serving until the next update."""
    from discreet.regimes.links import refresh_links

    try:
        report = refresh_links(store)
    except Exception as exc:  # the update is done; links are recomputed at the next one
        log.error("recomputing the same-as links after the update failed: %s", exc,
                  exc_info=not isinstance(exc, DiscreetError))
        return False
    log.info("same-as links recomputed after the update: %d links, %d parties",
             report.links, report.parties)
    return True


def run_update(store: Store, updater: Updater) -> Any:
    """Run ``updater``, then continuous screening when it made a list version active:
    the customer book (if the store holds one) re-screened against what changed (the
    scheduler and ``POST /updatez?fetch=true`` both come here, whatever the updater)."""
    before = {(v.source, v.version) for v in store.active()}
    result = updater(store)
    rescreen_book_after(store, {(v.source, v.version) for v in store.active()} != before)
    return result


def rescreen_book_after(store: Store, changed: bool) -> dict[str, Any] | None:
    """The book's list-change run (:func:`discreet.review.continuous.after_list_change`)
    and its counts; None when nothing ran. A failure is logged, never raised: the update
    stands, and the next run screens the book against everything changed since."""
    from discreet.review.continuous import after_list_change

    try:
        counts = after_list_change(store, changed)
    except Exception as exc:  # the lists are loaded; the book catches up at the next run
        log.error("re-screening the customer book after the update failed: %s", exc,
                  exc_info=not isinstance(exc, DiscreetError))
        return None
    if counts is not None:
        log.info("customer book re-screened after the update: run %d, %d screened, "
                 "%d alerts opened, %d reopened, %d suppressed", counts["run"],
                 counts["screened"], counts["opened"], counts["reopened"],
                 counts["suppressed"])
    return counts


class Services:
    """Everything the routes use, behind one object on ``app.state.services``."""

    def __init__(self, settings: ApiSettings, updater: Updater | None = None) -> None:
        self.settings = settings
        self.holder = IndexHolder(self.open_store, settings.poll_seconds)
        self.gate = StoreGate(self.open_store)
        # Sign-ins spend a password hash (about 0.1 s of CPU) each: on a connection of
        # their own, so a flood of them never holds the one every other request shares.
        self.login_gate = StoreGate(self.open_store)
        self.keys = KeyRing(self.gate)
        self.limiter = RateLimiter()
        self.audit = (AuditWriter(self.open_store, settings.audit_retention_days,
                                  journal=journal_dir(settings.db, settings.audit_journal_dir),
                                  fsync=settings.audit_fsync, fsync_ms=settings.audit_fsync_ms)
                      if settings.audit else None)
        self.failures = AuthFailures(settings.auth_failures,
                                     None if self.audit is None else self.audit.put)
        self.trusted = trusted_networks(settings.trusted_proxy)
        self.updater = updater
        self._updating = threading.Lock()
        # Screening runs here, off the event loop and in few threads: more would only
        # contend for the GIL (with each other and with the index build) and the loop
        # stays free for /healthz and for reading the next requests.
        self.screening = ThreadPoolExecutor(settings.screen_threads,
                                            thread_name_prefix="discreet-screen")

    def open_store(self) -> Store:
        return Store.open(self.settings.db)

    def start(self) -> None:
        # A thread waiting for the GIL gets it after the switch interval at most. The event
        # loop gives the GIL up at every read and write, so at CPython's 5 ms a request
        # waited for it dozens of times behind the screening threads (/healthz took up to
        # 0.6 s under heavy requests); at 1 ms it answers in about 10 ms.
        sys.setswitchinterval(SWITCH_INTERVAL)
        with self.gate():  # open (and migrate) the store before the threads start
            pass
        self.holder.start()
        if self.audit is not None:
            self.audit.start()

    def stop(self) -> None:
        self.screening.shutdown(wait=False, cancel_futures=True)
        self.holder.stop()
        self.failures.close()  # the open minutes' counts, before the audit writer stops
        if self.audit is not None:
            self.audit.stop()
        self.gate.close()
        self.login_gate.close()

    def update(self, fetch: bool) -> bool:
        """Download (when ``fetch`` and an updater is set) in the background, then reload.

        False when an update is already running.
        """
        if not self._updating.acquire(blocking=False):
            return False
        threading.Thread(target=self._update, args=(fetch,), name="discreet-update",
                         daemon=True).start()
        return True

    def _update(self, fetch: bool) -> None:
        try:
            if fetch and self.updater is not None:
                # downloads take minutes: on a store of its own, never the shared gate
                # every request's key and session check waits for
                with self.open_store() as store:
                    run_update(store, self.updater)
        except DiscreetError as exc:
            log.error("update failed: %s", exc)
        finally:
            self._updating.release()
            self.holder.refresh_soon()
