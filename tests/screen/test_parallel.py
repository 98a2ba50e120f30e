"""Ordered parallel map: same results as map(), in order, with bounded work in flight."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator

from discreet.parallel import ordered_map


def square_with_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def test_results_in_input_order_from_several_processes() -> None:
    results = list(ordered_map(square_with_pid, range(200), workers=2, window=4))
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
