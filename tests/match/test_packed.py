"""A packed sequence keeps the items read again lately decoded: the one read least lately
makes room, so an item read again and again (a list name many queries meet) is decoded
twice; an item read once (a result of a new query) is not kept."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from discreet.match import packed
from discreet.match.packed import Packed


class _Words(Packed[str]):
    """Words packed as UTF-8, counting the decodings."""

    __slots__ = ("decodings",)

    def __init__(self, words: list[str]) -> None:
        data = [w.encode() for w in words]
        offsets = np.zeros(len(data) + 1, np.int64)
        np.cumsum([len(d) for d in data], out=offsets[1:])
        super().__init__(np.frombuffer(b"".join(data), np.uint8), offsets)
        self.decodings: list[int] = []

    def _decode(self, i: int) -> str:
        self.decodings.append(i)
        start, end = self._offsets[i:i + 2].tolist()
        return self._blob[start:end].tobytes().decode()


def test_items_are_decoded_once_while_read_lately(monkeypatch: pytest.MonkeyPatch) -> None:
    words = _Words([f"w{i}" for i in range(10)])
    monkeypatch.setattr(packed, "DECODED", 3)
    words[0], words[1], words[2]  # read once: decoded, not kept
    assert words.decodings == [0, 1, 2] and len(words._decoded) == 0
    assert [words[i] for i in (0, 1, 2, 0, 1, 2)] == ["w0", "w1", "w2"] * 2
    assert words.decodings == [0, 1, 2] * 2  # the second reads kept them
    words[0]  # read again: now the latest
    words[3], words[3]  # room made by the least lately read: 1
    assert words.decodings == [0, 1, 2, 0, 1, 2, 3, 3]
    words[0], words[2], words[3]
    assert words.decodings == [0, 1, 2, 0, 1, 2, 3, 3]
    words[1]  # read before, let go: kept again at once
    assert words.decodings == [0, 1, 2, 0, 1, 2, 3, 3, 1]
    assert len(words._decoded) == 3
    # a hot item read between many others stays
    words[0]
    before = len(words.decodings)
    for i in range(4, 10):
        words[i]
        words[0]
    assert words.decodings[before:] == [4, 5, 6, 7, 8, 9]
    assert len(words._decoded) == 3


def test_items_read_once_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream of items each read once (the results of new queries) keeps none decoded;
    an item read again while it is among the last ``ONCE`` read once is kept, not later."""
    words = _Words([f"w{i}" for i in range(100)])
    monkeypatch.setattr(packed, "ONCE", 4)
    assert [words[i] for i in range(100)] == [f"w{i}" for i in range(100)]
    assert len(words._decoded) == 0
    assert len(words._once) + len(words._before) <= 8
    words[97]  # among the last four read once: kept now
    assert list(words._decoded) == [97] and words.decodings.count(97) == 2
    words[0]  # forgotten: read once again, not kept
    assert list(words._decoded) == [97]
    words[0]
    assert words.decodings.count(0) == 3
    assert list(words._decoded) == [97, 0]


class _Late(_Words):
    """Words kept decoded only at their third read."""

    __slots__ = ()
    _kept_at = 3


def test_a_subclass_keeps_items_at_a_later_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """An item read twice (once by something else than a result, and once as a result) is
    not kept by a class that keeps at the third read; the third read keeps it, the fourth
    finds it; the reads are counted among the last ``ONCE`` only."""
    monkeypatch.setattr(packed, "ONCE", 4)
    words = _Late([f"w{i}" for i in range(100)])
    words[5], words[5]
    assert len(words._decoded) == 0 and words.decodings == [5, 5]
    assert words[5] == "w5" and list(words._decoded) == [5]
    words[5]
    assert words.decodings == [5, 5, 5]  # the fourth read found it kept
    words[6], words[6]
    for i in range(10, 20):  # eight or more items read once since: its reads forgotten
        words[i]
    words[6]
    assert 6 not in words._decoded and words.decodings.count(6) == 3
    words[6], words[6]
    assert 6 in words._decoded and words.decodings.count(6) == 5  # counted from one again


def test_threads_reading_at_once_get_their_items() -> None:
    words = _Words([f"w{i}" for i in range(20_000)])
    wrong: list[object] = []

    def read(seed: int) -> None:
        try:
            for k in range(40_000):
                i = (k * 7919 + seed * 104729) % 20_000
                if words[i] != f"w{i}":
                    wrong.append((i, words[i]))
        except Exception as exc:  # a thread's error, seen by the test
            wrong.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert len(words._decoded) <= packed.DECODED
