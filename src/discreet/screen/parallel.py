"""Ordered parallel map over batches, with a bounded number of batches in flight.

Workers are forked after the caller has built the index, so each inherits it copy-on-write
instead of rebuilding or unpickling it. At most ``window`` batches are queued at any time,
so memory stays bounded however large the input; results come back in input order, which
is what lets a resumable run checkpoint "rows done" as a single number. A worker whose
parent is killed (kill -9 of a long run) exits within a second rather than waiting for
work forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_WATCH_SECONDS = 0.5  # how often a worker checks that its parent is alive


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: a thread that ends the worker once its parent is gone (the worker
    is then re-parented, so its parent's pid changes)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def ordered_map(func: Callable[[T], R], items: Iterable[T], *, workers: int,
                window: int | None = None) -> Iterator[R]:
    """``map(func, items)`` on ``workers`` forked processes, in order, lazily."""
    if workers <= 1:
        yield from map(func, items)
        return
    limit = window or workers * 3
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_exit_with_parent, initargs=(os.getpid(),))
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
