"""The index thread outlives a failed build: the old index (or 503) serves, then it recovers."""

from __future__ import annotations

import time

import pytest

from discreet.api import holder as holder_module
from discreet.api.holder import IndexHolder
from discreet.api.index import Snapshot, build_snapshot
from discreet.store import Store
from tests.api.conftest import Keys


def test_a_failed_build_is_retried(small_store: tuple[str, Keys],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = small_store
    attempts: list[int] = []

    def flaky(store: Store) -> Snapshot:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return build_snapshot(store)
    monkeypatch.setattr(holder_module, "build_snapshot", flaky)
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
