"""The candidates' kernel sorts the names it found by position before following the long
postings (a galloping search needs them in order): by insertion when few, by the top bits
and then insertion when a few a bucket, by radix when many. Each way must give the
positions in order, each name's own data carried along with it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from discreet.match._kernel import sorted_by_position


@pytest.mark.parametrize(("count", "names"), [
    (0, 10), (1, 10), (31, 1000), (33, 1000),  # by insertion / just past it
    (300, 2000),  # positions of fewer bits than a bucket's: one exact pass
    (5000, 2_300_000),  # a million names' positions, a few a bucket: top bits, insertion
    (8000, 8192),  # nearly every position of an index: the top bits, four a bucket
    (40_000, 2_300_000),  # many: radix, two passes
    (20_000, 1 << 30),  # positions of 30 bits: radix, three passes
])
def test_positions_come_out_in_order_with_their_names(count: int, names: int) -> None:
    rng = random.Random(count * 7 + names)
    positions = rng.sample(range(names), count)
    out = sorted_by_position(np.array(positions, np.int32), names)
    assert [p for p, _ in out] == sorted(positions)
    assert all(positions[i] == p for p, i in out)  # each name's data moved with it


def test_positions_given_in_order_or_reversed() -> None:
    for order in (range(0, 60_000, 3), range(59_999, 0, -3)):
        positions = list(order)
        out = sorted_by_position(np.array(positions, np.int32), 60_000)
        assert [p for p, _ in out] == sorted(positions)
