"""Fixtures the match tests share."""

from __future__ import annotations

import os

import pytest


class Forks:
    """How many processes this one forked (``count``) since the fixture began."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Forks:
    """``os.fork`` counted for the test, still forking."""
    counter = Forks()
    fork = os.fork

    def counted() -> int:
        counter.count += 1
        return fork()

    monkeypatch.setattr(os, "fork", counted)
    return counter
