"""Keeps the current generation and replaces it, without a pause, when list versions change.

A background thread polls the store's active versions every few seconds; on a change it
builds a new generation beside the old one, then swaps one reference. Requests read
``holder.current`` once, so each is answered wholly from the old index or the new one.
Every worker and host polls for itself, so all pick up a load into a shared PostgreSQL store.

The first generation is served as soon as its matcher is open (the service is ready);
what only some requests read is made after the swap. A later one is swapped in once its
seen dates are read too: they come from the store, and if they cannot be read the old
generation keeps serving (and the build is tried again at the next poll) rather than a new
one that answers 503 to every screening request.

How soon a new version is served: the poll (``poll_seconds``, 1 s by default) plus the
build. The build shares one interpreter (one GIL) with the requests; left to itself it
gets a share of it that shrinks with the load, and a new version took 16-48 s to be served
under full load. So while a build runs, screening threads make way for it
(:meth:`IndexHolder.make_way`): after each query they pause as long as the query took, and
the build gets at least about half of the interpreter however busy the server is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from discreet.api.index import Generation, build_generation, signature
from discreet.errors import DiscreetError
from discreet.match import settle
from discreet.store import Store

__all__ = ["IndexHolder"]

log = logging.getLogger("discreet.api")
MAKE_WAY_MAX = 0.05  # seconds: the longest pause one query's work asks of a screening thread


class IndexHolder:
    """The current :class:`Generation` (None until the first build) and its refresher thread."""

    def __init__(self, open_store: Callable[[], Store], poll_seconds: float) -> None:
        self.open_store = open_store
        self.poll_seconds = poll_seconds
        self.current: Generation | None = None
        self.last_error: str | None = None
        self.swaps = 0
        self.building = threading.Event()  # set while a new generation is being built
        self.changed_at: float | None = None  # monotonic time a pending change was seen
        self._wake = threading.Event()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start polling (the first build happens at once, in the background)."""
        self._thread = threading.Thread(target=self._run, name="discreet-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def refresh_soon(self) -> None:
        """Check the store now instead of at the next poll."""
        self._wake.set()

    def make_way(self, spent: float) -> None:
        """Called by a screening thread after ``spent`` seconds of work: while a build runs,
        pause as long (at most 50 ms), leaving the interpreter to the build."""
        if self.building.is_set() and spent > 0:
            time.sleep(min(spent, MAKE_WAY_MAX))

    def wait_ready(self, timeout: float) -> bool:
        """Block until a generation is loaded (for the CLI and tests); False on timeout."""
        return self._ready.wait(timeout)

    def _run(self) -> None:
        store: Store | None = None
        try:
            while not self._stop.is_set():
                store = self._check(store)
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        finally:
            if store is not None:
                store.close()

    def _check(self, store: Store | None) -> Store | None:
        """One poll: rebuild when the active versions, or the same-as links (an analyst's
        decision, links recomputed), differ from the current generation's."""
        try:
            store = store or self.open_store()
            current = self.current
            if (current is None or signature(store.active()) != current.sig
                    or store.links_stamp() != current.link_stamp):
                self.changed_at = self.changed_at or time.monotonic()
                self.building.set()
                try:
                    generation = build_generation(store, self.open_store)
                    if current is not None:
                        # an index serves meanwhile: the seen dates (read from the store,
                        # which may fail) are read before the swap; failing, the old index
                        # keeps serving and the build is tried again at the next poll
                        _ = generation.seen
                finally:
                    self.building.clear()
                self._swap(generation)
                self._warm(generation)
                settle()  # the new index stays until the next build: no collector pass walks it
            self.last_error = None
        except Exception as exc:  # the thread must outlive any failure: the old index serves
            self.last_error = str(exc) if isinstance(exc, DiscreetError) else (
                f"index build failed: {type(exc).__name__}")
            log.warning("index refresh failed (the old index keeps serving): %s", exc,
                        exc_info=not isinstance(exc, DiscreetError))
            if store is not None:
                store.close()
            return None
        return store

    def _warm(self, generation: Generation) -> None:
        """After the swap (ready already: screening needs only the matcher), make what
        other requests read, so the first of them does not wait for it. A failure here is
        logged; the request that needs it then makes it itself, or is answered 503 (an
        :class:`~discreet.api.index.IndexPartError`, never a 500) when it fails again."""
        try:
            generation.warm()
        except Exception as exc:
            log.warning("index %d: preparing search and seen dates failed (made at the first "
                        "request that needs them): %s", generation.number, exc)

    def _swap(self, generation: Generation) -> None:
        self.current = generation  # one reference assignment: atomic for readers
        self.swaps += 1
        self._ready.set()
        waited = time.monotonic() - (self.changed_at or time.monotonic())
        self.changed_at = None
        log.info("index %d ready: %s (built in %.1f s, serving %.1f s after the change was "
                 "seen)", generation.number,
                 ", ".join(f"{v.source} v{v.version}" for v in generation.versions),
                 generation.built_seconds, waited)
