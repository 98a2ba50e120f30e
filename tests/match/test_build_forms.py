"""A vocabulary's forms packed as the kernel reads them (prune._Vocabulary.packed) are the
same arrays however they are made: in one process or half in another (the index build's
forked part), and equal to each string's own forms (string_forms) laid end to end, the
strings written once after the vocabulary's."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match.matcher import _Apart
from discreet.match.prune import _Part, _Vocabulary, string_forms
from discreet.match.similarity import written_once

_WORDS = ("hassan", "hasan", "mohammed", "muhammad", "zhukoooov", "lloyd", "ooo", "reed",
          "sergejs", "ivanovas", "kdyrv", "zhang", "chung", "hsieh", "jeong", "lee", "7",
          "2000", "a", "", "abdallah", "dell", "sass", "bbb", "tawfiq", "ltd", "gmbh", "aa")


def _texts(count: int, seed: int) -> list[str]:
    """Words and joined pairs of made-up names (a letter doubled in some), distinct."""
    rng = random.Random(seed)
    made = list(_WORDS)
    for _ in range(count):
        word = "".join(rng.choice("abdehiklmnorstuyz") for _ in range(rng.randint(1, 9)))
        if word and rng.random() < 0.3:
            at = rng.randrange(len(word))
            word = word[:at + 1] + word[at] + word[at + 1:]
        made.append(word + rng.choice(("", "", "", rng.choice(_WORDS))))
    return list(dict.fromkeys(made))


def _vocabulary(texts: Sequence[str]) -> _Vocabulary:
    vocabulary = _Vocabulary()
    for text in texts:
        vocabulary.add(text)
    return vocabulary


def _reference(texts: Sequence[str]) -> tuple[list[list[bytes]], list[int], list[int],
                                              list[int], list[int]]:
    """The columns, string by string: each string's own forms, then the strings' written
    once (in the order of the strings that have them), numbered after the vocabulary."""
    rows: list[tuple[Any, ...]] = []
    once: list[int] = []
    later: list[tuple[Any, ...]] = []
    for text in texts:
        forms = string_forms(text)
        rows.append(forms[:11])
        once.append(-1 if forms[11] is None else len(texts) + len(later))
        if forms[11] is not None:
            later.append(forms[11])
    rows += later
    once += [-1] * len(later)
    columns: list[list[bytes]] = [[] for _ in range(10)]
    cuts: list[int] = []
    counts: list[int] = []
    for row in rows:
        for k, value in enumerate((*row[:5], row[7], row[8])):
            columns[k].append(value)
        columns[7] += [key for _, key in row[5]]
        cuts += [cut for cut, _ in row[5]]
        counts.append(len(row[5]))
        columns[8].append(row[9])
        columns[9].append(row[10])
    return columns, cuts, counts, [row[6] for row in rows], once


def _same(a: Any, b: Any) -> None:
    for got, want in zip(a[0], b[0], strict=True):
        assert got[0].tobytes() == want[0].tobytes() and got[0].dtype == want[0].dtype
        assert np.array_equal(got[1], want[1]) and got[1].dtype == want[1].dtype
    for got, want in zip(a[1:], b[1:], strict=True):
        assert got.dtype == want.dtype and np.array_equal(got, want)


class _Here:
    """The second half made in this process, when its result is asked for."""

    def __init__(self, work: Callable[[], _Part]) -> None:
        self.work = work

    def result(self) -> _Part:
        return self.work()

    def abandon(self) -> None:
        pass


@pytest.mark.parametrize("count", [0, 1, 2, 3, 400])
def test_packed_forms_are_each_strings_own_end_to_end(count: int) -> None:
    texts = _texts(count, seed=count) if count else []
    columns, cuts, counts, flags, once = _reference(texts)
    packed = _vocabulary(texts).packed()
    assert len(packed[0]) == len(columns)
    for (blob, offsets), column in zip(packed[0], columns, strict=True):
        assert blob.tobytes() == b"".join(column)
        assert offsets.tolist() == np.cumsum([0, *map(len, column)]).tolist()
    assert packed[1].tolist() == np.cumsum([0, *counts]).tolist()
    assert packed[2].tolist() == cuts
    assert packed[3].tolist() == flags
    assert packed[4].tolist() == once
    if count == 400:  # strings written once are among them
        assert sum(n >= 0 for n in once) > 20


@pytest.mark.parametrize("count", [0, 1, 2, 3, 401])
def test_half_made_elsewhere_gives_the_same_arrays(count: int) -> None:
    texts = _texts(count, seed=7 + count) if count else []
    vocabulary = _vocabulary(texts)
    alone = vocabulary.packed()
    _same(vocabulary.packed(_Here), alone)
    _same(vocabulary.packed(_Apart), alone)


def test_a_failing_half_here_ends_the_other() -> None:
    class Watched(_Here):
        abandoned = False

        def __init__(self, work: Callable[[], _Part]) -> None:
            super().__init__(work)
            started.append(self)

        def abandon(self) -> None:
            self.abandoned = True

    started: list[Watched] = []

    vocabulary = _vocabulary([None, "lloyd", "zhang"])  # type: ignore[list-item]
    with pytest.raises((TypeError, AttributeError)):
        vocabulary.packed(Watched)
    assert started and started[0].abandoned


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aabbcé\n ", max_size=12))
def test_written_once_keeps_one_letter_of_each_run(text: str) -> None:
    once = written_once(text)
    assert all(a != b for a, b in pairwise(once))
    assert once == "".join(c for i, c in enumerate(text) if not i or c != text[i - 1])
