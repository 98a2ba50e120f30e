"""Shortcuts of a new query's preparation that must give the rules' own numbers (pn21): a
token's rarity weight kept per rarity table (prepare._weights: Rarity.weight times its
kind's weight, never another table's), the words a form's word may be written without
vowels as, kept (prepare._bare_words), and a form word's slips in one table
(prepare._slips: a swap's word first)."""

from __future__ import annotations

import random

import pytest

from discreet.match import prepare
from discreet.match.prepare import KIND_WEIGHTS, prepare_name
from discreet.match.rarity import Rarity

_KINDS = tuple(KIND_WEIGHTS)
_WORDS = ("john", "smith", "al", "bin", "ltd", "llc", "lmtd", "cmpny", "jsc", "x", "ab",
          "hassan", "rahman", "din", "abdul", "42", "ivanova", "trading", "jonit", "limted")


def _rarity(seed: int) -> Rarity:
    """A table of 2,000 names over made-up tokens (enough names for weights below 1)."""
    rng = random.Random(seed)
    return Rarity({w: rng.randint(1, 1_500) for w in _WORDS}, 2_000 + seed)


def test_weights_are_the_tables_own_whichever_table_came_before() -> None:
    one, other = _rarity(1), _rarity(2)
    rng = random.Random(5)
    for _ in range(5_000):
        rarity = rng.choice((one, other))
        tokens = tuple(rng.choice((*_WORDS, "unknownword")) for _ in range(rng.randint(0, 5)))
        kinds = tuple(rng.choice(_KINDS) for _ in tokens)
        expected = tuple(KIND_WEIGHTS[k] * rarity.weight(t) if k in ("name", "patronymic")
                         else KIND_WEIGHTS[k] for t, k in zip(tokens, kinds, strict=True))
        assert prepare._weights(tokens, kinds, rarity) == expected
    assert one.weight("john") != other.weight("john")  # (the tables differ)


def test_weights_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepare, "_WEIGHED_KEPT", 10)
    rarity = _rarity(3)
    for k in range(200):
        prepare._weights((f"tok{k}",), ("name",), rarity)
        assert len(prepare._weights_of(rarity)) <= 10
    for seed in range(10, 30):  # tables met one after another: a few kept at most
        prepare._weights_of(_rarity(seed))
        assert len(prepare._WEIGHED) <= prepare._WEIGHED_TABLES


def test_a_prepared_name_weighs_as_the_rarity_table_says() -> None:
    rarity = _rarity(4)
    p = prepare_name("John Smith Ltd", "org", rarity)
    for t, k, w in zip(p.tokens, p.kinds, p.weights, strict=True):
        assert w == (KIND_WEIGHTS[k] * rarity.weight(t) if k in ("name", "patronymic")
                     else KIND_WEIGHTS[k])


def test_tokens_and_kinds_of_different_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in number"):
        prepare.assemble("x", ("a", "b"), ("name",), ("a", "b"), ("", ""), _rarity(1),
                         abjad=False)


def test_bare_words_are_the_rules() -> None:
    known = prepare._form_words()[0]
    rng = random.Random(9)
    words = [*_WORDS, *sorted(known)[:300]] + [
        "".join(rng.choice("bcdfghklmnpqrstvwxzaeiou") for _ in range(rng.randint(1, 8)))
        for _ in range(3_000)]
    for k in range(0, len(words), 4):
        tokens = words[k:k + 4]
        assert prepare._bare_words(tokens, known) == [
            t not in known and prepare._without_vowels(t) for t in tokens]
    assert prepare._bare_words(["lmtd", "cmpny", "ltd", "smith"], known) == [
        True, True, False, False]


def test_slips_are_a_swap_first_then_a_letter_off() -> None:
    swapped, near = prepare._swapped_words(), prepare._near_words()
    for spelling in {*swapped, *near}:
        found = swapped.get(spelling)
        assert prepare._misspelt(spelling) == (near.get(spelling) if found is None else found)
    assert prepare._misspelt("jonit") == "joint"
    assert prepare._misspelt("smith") is None
