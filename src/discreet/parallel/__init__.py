"""Ordered parallel map over forked workers, with a bounded number of items in flight: the
one way discreet uses more than one core for a stream of work (screening batches, the
chunks of a big FtM file).

Workers are forked after the caller has made what they read (an index, a side table), so
each inherits it copy-on-write instead of rebuilding or unpickling it. At most ``window``
items are queued at any time, so memory stays bounded however large the input; results
come back in input order, which is what lets a resumable run checkpoint "rows done" as a
single number and a parser name the first defective line. A worker whose parent is killed
(kill -9 of a long run) exits within a second rather than waiting for work forever.
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

__all__ = ["OrderedPool", "ordered_map"]

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


class OrderedPool:
    """Forked workers mapping functions over items in order, ``window`` items in flight
    (default three a worker); one pool may serve several maps (its workers keep what they
    cached between them). Shut down, queued work cancelled, when the ``with`` block ends."""

    def __init__(self, workers: int, window: int | None = None) -> None:
        self.limit = window or workers * 3
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"),
            initializer=_exit_with_parent, initargs=(os.getpid(),))

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(func, items)`` in the workers, in order, lazily."""
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(self.executor.submit(func, item))
                if len(pending) >= self.limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def ordered_map(func: Callable[[T], R], items: Iterable[T], *, workers: int,
                window: int | None = None) -> Iterator[R]:
    """``map(func, items)`` on ``workers`` forked processes, in order, lazily (in this
    process when ``workers`` is at most 1)."""
    if workers <= 1:
        yield from map(func, items)
        return
    with OrderedPool(workers, window) as pool:
        yield from pool.map(func, items)
