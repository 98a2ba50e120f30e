"""Typing errors of the kinds issue 10 (item 4) names, made deterministically from a name.

Each generator takes a name and a ``random.Random`` and returns the name with one error of
its kind, or ``None`` when the name cannot carry that error (a one-word name has no space to
shift, a 20-character name is not cut at 35). The same name and the same seed always give the
same variant, so a benchmark or a test that draws from these is repeatable.

* ``space_shift``: a letter trades places with a space ("Vladimi rPutin", "RamzanK adyrov").
* ``vowels_dropped``: the vowels a-e-i-o-u left out after each word's first letter ("Rmzn
  Kdyrv", "Vldmr Ptn"); accented vowels count as vowels.
* ``transposition``: two neighbouring letters of one word swapped ("AHMADINEAJD").
* ``truncated_35``: cut at 35 characters, the field limit of many banking systems
  (only names longer than 35).
* ``doubled_letter``: one letter written twice ("Kaddyrov").
* ``dropped_letter``: one letter of a word of four or more left out ("Kadyov").

Used by ``bench/bench_heldout.py``; importable from tests (``sys.path`` holding ``bench/``).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

__all__ = [
    "FIELD_LIMIT",
    "KINDS",
    "doubled_letter",
    "dropped_letter",
    "space_shift",
    "transposition",
    "truncated",
    "typo",
    "vowels_dropped",
]

FIELD_LIMIT = 35  # SWIFT MT name lines and many core-banking name fields
_VOWELS = frozenset("aeiou")


def _base(ch: str) -> str:
    """The letter without accents, lower case (É -> e), to tell vowels."""
    return unicodedata.normalize("NFKD", ch)[0].casefold()


def _spans(name: str) -> list[tuple[int, int]]:
    """(start, end) of each run of letters, so edits stay inside words."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(name):
        if ch.isalpha():
            if start < 0:
                start = i
        elif start >= 0:
            out.append((start, i))
            start = -1
    if start >= 0:
        out.append((start, len(name)))
    return out


def space_shift(name: str, rng: random.Random) -> str | None:
    """Move one space between two words of 3+ letters one place left or right."""
    spots = [i for i in range(1, len(name) - 1)
             if name[i] == " " and name[i - 1].isalpha() and name[i + 1].isalpha()
             and name[max(0, i - 3):i].isalpha() and name[i + 1:i + 4].isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    if rng.random() < 0.5:  # left: "Vladimir Putin" -> "Vladimi rPutin"
        return name[:i - 1] + " " + name[i - 1] + name[i + 1:]
    return name[:i] + name[i + 1] + " " + name[i + 2:]  # right: "VladimirP utin"


def vowels_dropped(name: str, rng: random.Random) -> str | None:
    """Every vowel after a word's first letter left out (the way people abbreviate)."""
    del rng  # no choice to make: the same name always loses the same letters
    out: list[str] = []
    previous_alpha = False
    for ch in name:
        if ch.isalpha() and previous_alpha and _base(ch) in _VOWELS:
            continue
        out.append(ch)
        previous_alpha = ch.isalpha()
    result = "".join(out)
    return result if result != name and any(c.isalpha() for c in result) else None


def transposition(name: str, rng: random.Random) -> str | None:
    """Two different neighbouring letters inside one word swapped."""
    spots = [i for a, b in _spans(name) for i in range(a, b - 1)
             if name[i].casefold() != name[i + 1].casefold()]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def truncated(name: str, rng: random.Random, limit: int = FIELD_LIMIT) -> str | None:
    """The first ``limit`` characters of a longer name (trailing space dropped)."""
    del rng
    if len(name) <= limit:
        return None
    return name[:limit].rstrip() or None


def doubled_letter(name: str, rng: random.Random) -> str | None:
    """One letter of a word written twice."""
    spots = [i for a, b in _spans(name) for i in range(a, b)]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i + 1] + name[i] + name[i + 1:]


def dropped_letter(name: str, rng: random.Random) -> str | None:
    """One letter of a word of four letters or more left out."""
    spots = [i for a, b in _spans(name) if b - a >= 4 for i in range(a, b)]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1:]


KINDS: dict[str, Callable[[str, random.Random], str | None]] = {
    "space-shift": space_shift,
    "vowels-dropped": vowels_dropped,
    "transposition": transposition,
    "truncated-35": truncated,
    "doubled-letter": doubled_letter,
    "dropped-letter": dropped_letter,
}


def typo(kind: str, name: str, seed: str | int) -> str | None:
    """The ``kind`` error of ``name`` drawn with ``seed`` (same inputs, same variant)."""
    return KINDS[kind](name, random.Random(f"{seed}:{kind}:{name}"))
