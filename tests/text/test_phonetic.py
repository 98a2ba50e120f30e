"""Phonetic keys fold romanisation variants; consonant skeletons fold unwritten vowels."""

from __future__ import annotations

import pytest

from discreet.text import consonants, phonetic_key


@pytest.mark.parametrize("variants", [
    ("vladimirovich", "vladimirovitch", "wladimirowitsch", "vladimirovitj"),
    ("zelensky", "zelenskyy", "selenskyj", "zelenskiy"),
    ("sergei", "sergey", "sergej"),
    ("schwartz", "schwarz"),
    ("xi", "hsi", "shi"),
])
def test_romanisations_share_one_key(variants: tuple[str, ...]) -> None:
    assert len({phonetic_key(v) for v in variants}) == 1


@pytest.mark.parametrize("variants", [
    ("mohammed", "muhammad", "mohamad", "mhmd"),
    ("qaddafi", "gaddafi"),
    ("netanyahu", "ntnyhw"),
    ("osama", "usama"),
])
def test_vowel_free_skeletons_agree(variants: tuple[str, ...]) -> None:
    assert len({consonants(v) for v in variants}) == 1


def test_different_names_keep_different_keys() -> None:
    assert phonetic_key("putin") != phonetic_key("pulin")
    assert consonants("hassan") != consonants("ahmed")
