"""The index thread outlives a failed build: the old index (or 503) serves, then it recovers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from discreet.api import holder as holder_module
from discreet.api.holder import IndexHolder
from discreet.api.index import Generation, build_generation
from discreet.store import Store
from tests.api.conftest import Keys


def test_a_failed_build_is_retried(small_store: tuple[str, Keys],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = small_store
    attempts: list[int] = []

    def flaky(store: Store,
              open_store: Callable[[], Store] | None = None) -> Generation:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return build_generation(store, open_store)
    monkeypatch.setattr(holder_module, "build_generation", flaky)
    holder = IndexHolder(lambda: Store.open(url), poll_seconds=0.05)
    holder.start()
    try:
        assert holder.wait_ready(10)
        assert len(attempts) >= 2 and holder.current is not None
        assert holder.current.sources == {"us_ofac_sdn", "un_sc_sanctions"}
        time.sleep(0.2)
        assert holder.last_error is None and holder.swaps == 1  # no change: no rebuild
    finally:
        holder.stop()


def test_screening_makes_way_only_while_a_build_runs(small_store: tuple[str, Keys],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """While a build runs, a screening thread pauses as long as its query took (at most
    50 ms), so that the build is not starved; at any other time it does not pause."""
    url, _ = small_store
    release = threading.Event()
    started = threading.Event()

    def slow(store: Store,
              open_store: Callable[[], Store] | None = None) -> Generation:
        started.set()
        release.wait(10)
        return build_generation(store, open_store)
    monkeypatch.setattr(holder_module, "build_generation", slow)
    holder = IndexHolder(lambda: Store.open(url), poll_seconds=0.05)

    def pause(spent: float) -> float:
        began = time.perf_counter()
        holder.make_way(spent)
        return time.perf_counter() - began
    # no build: no pause (while one runs it would be the 30 ms asked; what is measured here
    # is a call and a thread switch or two, which a loaded machine makes several ms long)
    assert pause(0.03) < 0.03
    holder.start()
    try:
        assert started.wait(10) and holder.building.is_set()
        assert 0.03 <= pause(0.03) < 0.2
        assert 0.05 <= pause(5.0) < 0.3  # capped
        release.set()
        assert holder.wait_ready(10)
        deadline = time.monotonic() + 5
        while holder.building.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not holder.building.is_set() and pause(0.03) < 0.03
    finally:
        release.set()
        holder.stop()
