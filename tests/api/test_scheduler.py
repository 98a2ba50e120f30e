"""--update-every: the scheduler runs the updater on its interval and survives its failures."""

from __future__ import annotations

import threading

import pytest

from discreet.api.scheduler import UpdateScheduler, parse_interval
from discreet.errors import ConfigError, FetchError
from discreet.store import Store
from tests.api.conftest import Keys


def test_parse_interval() -> None:
    assert parse_interval("90") == 90 and parse_interval("15m") == 900
    assert parse_interval("6h") == 21600 and parse_interval("1d") == 86400
    for bad in ("soon", "5s", "-1h", ""):
        with pytest.raises(ConfigError):
            parse_interval(bad)


def test_scheduler_calls_the_updater_and_goes_on_after_errors(
        small_store: tuple[str, Keys]) -> None:
    url, _ = small_store
    calls: list[str] = []
    done = threading.Event()

    def updater(store: Store) -> None:
        calls.append(store.active()[0].source)
        if len(calls) == 1:
            raise FetchError("publisher down")
        if len(calls) == 3:
            done.set()

    scheduler = UpdateScheduler(lambda: Store.open(url), updater, every=0.05)
    scheduler.start()
    try:
        assert done.wait(10)
    finally:
        scheduler.stop()
    assert len(calls) >= 3 and set(calls) == {"un_sc_sanctions"}
