"""A packed sequence keeps the items read lately decoded: the one read least lately makes
room, so an item read again and again (a list name many queries meet) is decoded once."""

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
    assert [words[i] for i in (0, 1, 2, 0, 1, 2)] == ["w0", "w1", "w2"] * 2
    assert words.decodings == [0, 1, 2]
    words[0]  # read again: now the latest
    words[3]  # room made by the least lately read: 1
    assert words.decodings == [0, 1, 2, 3]
    words[0], words[2], words[3]
    assert words.decodings == [0, 1, 2, 3]
    words[1]
    assert words.decodings == [0, 1, 2, 3, 1]
    assert len(words._decoded) == 3
    # a hot item read between many others stays
    words[0]
    before = len(words.decodings)
    for i in range(4, 10):
        words[i]
        words[0]
    assert words.decodings[before:] == [4, 5, 6, 7, 8, 9]


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
