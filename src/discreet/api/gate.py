"""One shared store connection for request-time reads, used by one thread at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from discreet.store import Store

__all__ = ["StoreGate"]


class StoreGate:
    """Opens the store on first use; ``with gate() as store:`` holds it exclusively."""

    def __init__(self, open_store: Callable[[], Store]) -> None:
        self.open_store = open_store
        self._store: Store | None = None
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        with self._lock:
            if self._store is None:
                self._store = self.open_store()
            yield self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
