"""Ordered parallel map: same results as map(), in order, with bounded work in flight."""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator
from functools import partial
from pathlib import Path

from discreet.parallel import ordered_map


def square_with_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def square_once_both_run(folder: str, value: int) -> tuple[int, int]:
    """``square_with_pid`` that first waits (30 s at most) until two processes have called
    it: on a loaded machine one worker may finish all the items before the pool starts the
    other, which is the pool's right, so the test waits for both rather than hope."""
    Path(folder, str(os.getpid())).touch()
    deadline = time.monotonic() + 30
    while len(os.listdir(folder)) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    return square_with_pid(value)


def test_results_in_input_order_from_several_processes(tmp_path: Path) -> None:
    func = partial(square_once_both_run, str(tmp_path))
    results = list(ordered_map(func, range(200), workers=2, window=4))
    assert [r[0] for r in results] == [v * v for v in range(200)]
    assert len({r[1] for r in results}) == 2 and os.getpid() not in {r[1] for r in results}


def test_input_is_consumed_lazily() -> None:
    consumed: list[int] = []

    def items() -> Iterator[int]:
        for value in range(1000):
            consumed.append(value)
            yield value

    iterator = ordered_map(square_with_pid, items(), workers=2, window=5)
    next(iterator)
    assert len(consumed) <= 6
    assert isinstance(iterator, Generator)
    iterator.close()


def test_one_worker_runs_in_process() -> None:
    assert {pid for _, pid in ordered_map(square_with_pid, range(5), workers=1)} == {os.getpid()}
