"""The index's candidates for any limit: none for a limit of 0 (the compiled selection once
wrote before its buffer then), and each shorter list the head of the longer one."""

from __future__ import annotations

import pytest

from discreet.match import Matcher
from discreet.text.names import name_class
from tests.api.helpers import org, person

NAMES = ("Ivan Petrov", "Ivan Petrova", "Iwan Petrow", "Ivanna Petrovna", "Petr Ivanov",
         "Ivan Petrovich Sidorov", "Olga Petrova", "Ivan Smirnov")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = [person(f"test-{n}", name, "test") for n, name in enumerate(NAMES)]
    entities += [org(f"test-org-{n}", f"Petrov {word} LLC", "test")
                 for n, word in enumerate(("Trading", "Shipping"))]
    return Matcher.from_entities(entities)


@pytest.mark.parametrize("text", ["Ivan Petrov", "Petrov Trading", "Iwan"])
def test_every_limit(matcher: Matcher, text: str) -> None:
    q = matcher.prepare(text, name_class("Person"))
    everyone = matcher.index.candidates(q, 40)
    assert everyone
    assert matcher.index.candidates(q, 0) == []
    for limit in range(1, len(everyone) + 1):
        assert matcher.index.candidates(q, limit) == everyone[:limit]
