"""``discreet.collector_paused``: no cycle collector passes within, the collector as it was
after, and (``freeze``) what exists after frozen. Real ``gc`` state, restored by each test."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from discreet import collector_paused


@pytest.fixture(autouse=True)
def restored() -> Iterator[None]:
    collecting, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.enable()
    yield
    if not frozen:  # else the process froze before: what a test froze too stays so
        gc.unfreeze()
    (gc.enable if collecting else gc.disable)()


def test_the_collector_is_off_within_and_on_after() -> None:
    frozen = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_freeze_keeps_later_passes_off_what_exists_after() -> None:
    with collector_paused(freeze=True):
        made = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


def test_a_collector_off_before_stays_off_and_nothing_is_frozen() -> None:
    gc.disable()
    frozen = gc.get_freeze_count()
    with collector_paused(freeze=True):
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_the_collector_is_back_after_an_error() -> None:
    with pytest.raises(ValueError, match="within"), collector_paused():
        raise ValueError("within")
    assert gc.isenabled()
