"""The compiled other readings of a vowel-less token's letter groups
(``_phonetic.other_skeletons``, through ``phonetic.abjad_other_skeletons``) are the Python
rule's (``phonetic.reference_other_skeletons``): on generated vowel-less tokens dense in
th, dh, sh, kh and gh groups, on tokens with vowels and on ones the compiled path leaves to
Python (capitals, other scripts, non-letters)."""

from __future__ import annotations

import random

import pytest

from discreet.text import _phonetic
from discreet.text.phonetic import abjad_other_skeletons, reference_other_skeletons

_LETTERS = "tdskghhhhbcfjlmnpqrvwxyz"


def _tokens(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 14)))
            for _ in range(count)]


def test_the_compiled_readings_are_the_rules() -> None:
    tokens = _tokens(7, 20_000)
    grouped = 0
    for token in tokens:
        compiled = _phonetic.other_skeletons(token, 4)
        assert compiled == reference_other_skeletons(token), token
        assert abjad_other_skeletons.__wrapped__(token) == compiled
        grouped += bool(compiled)
    assert grouped > 3_000  # (many generated tokens have a group read two ways)


@pytest.mark.parametrize(("token", "readings"), [
    ("thbt", ("thpt",)),  # اتحاد-like: t then h, read as two letters
    ("shkh", ("sk", "shk")),
    ("khdhr", ("khtr", "hthr", "khthr")),
    ("mhmd", ()),  # no group
    ("thabit", ()),  # vowels: a Latin spelling
])
def test_known_readings(token: str, readings: tuple[str, ...]) -> None:
    assert abjad_other_skeletons(token) == readings
    assert reference_other_skeletons(token) == readings


def test_the_compiled_path_leaves_other_tokens_to_python() -> None:
    for token in ("THBT", "tHbt", "ثبت", "th-bt", "th1", ""):
        assert _phonetic.other_skeletons(token, 4) is None
        assert abjad_other_skeletons.__wrapped__(token) == reference_other_skeletons(token)
    assert _phonetic.other_skeletons("thbt", 17) is None  # more groups than it reads
    assert _phonetic.other_skeletons("thbt", -1) is None


def test_at_most_the_first_groups_are_read_either_way() -> None:
    token = "thdhshkhghth"  # six groups: the first four read either way
    for most in range(7):
        found = _phonetic.other_skeletons(token, most)
        assert found is not None
        assert len(found) <= (1 << most) - 1
    assert _phonetic.other_skeletons(token, 4) == reference_other_skeletons(token)
