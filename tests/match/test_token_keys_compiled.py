"""A query token's keys looked up in compiled code (``Neighbours.expand``, ``most_credit``,
``NameIndex._expand_ids``): the same keys, credits and order as the rule in Python
(``NameIndex._expand``), for any token: typos that reach keys only through the one-deletion
neighbours, a deletion of the key or two swapped letters, doubled letters, abjad-script
words, non-Latin letters and lone surrogates."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher
from discreet.match._kernel import Neighbours, most_credit
from discreet.match.index import _FUZZY, NameIndex, _deletes, _key_table, _neighbours
from discreet.model import Entity, Name
from discreet.text.phonetic import phonetic_key

_WORDS = ["Vladimir", "Putin", "Petrov", "Aleksandr", "Lukashenko", "Barsukov", "Ramzan",
          "Kadyrov", "Mohammed", "Hassan", "Nasrallah", "Christopher", "Romeo", "Rubinov",
          "Theodore", "Yusuf", "Ayyub", "Shamsuddin", "Abdurrahman", "Ittihad", "Global",
          "Trading", "Company", "Srednevolzhsky", "Gazprom", "Neft", "Klub", "Wang", "Li",
          "Nguyen", "Oleksandr", "Vehera", "Ali", "Uday", "Rostec", "Hussein", "Tikriti"]
_ARABIC = ["محمد بن سلمان", "شمس الدین", "ولی جان", "حسن نصر الله", "اتحاد"]


def _entities() -> list[Entity]:
    rng = random.Random(17)
    out = [Entity(f"a{i}", "Person", source="t", names=[Name(text)])
           for i, text in enumerate(_ARABIC)]
    for i in range(600):
        words = rng.sample(_WORDS, rng.randint(1, 3))
        schema = "Organization" if i % 7 == 0 else "Person"
        out.append(Entity(f"p{i}", schema, source="t", names=[Name(" ".join(words))]))
    return out


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return Matcher.from_entities(_entities()).index


def _written(index: NameIndex, found: dict[int, float]) -> list[tuple[str, float]]:
    return [(index.key_ids.key(k), credit) for k, credit in found.items()]


def _typos(word: str, rng: random.Random) -> list[str]:
    """A word with a letter dropped, doubled, replaced, and two letters swapped."""
    i = rng.randrange(len(word))
    j = rng.randrange(max(len(word) - 1, 1))
    return [word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
            word[:i] + rng.choice("aeioukstz") + word[i + 1:],
            word[:j] + word[j + 1:j + 2] + word[j:j + 1] + word[j + 2:]]


def test_typos_of_list_words_are_keyed_as_in_python(index: NameIndex) -> None:
    rng = random.Random(3)
    tokens = {w.lower() for w in _WORDS}
    tokens |= {t for w in _WORDS for t in _typos(w.lower(), rng) if t}
    fuzzy = 0
    for token in sorted(tokens):
        for abjad in (False, True):
            found = index._expand_ids(token, abjad)
            assert _written(index, found) == list(index._expand(token, abjad).items())
            fuzzy += any(credit == _FUZZY for credit in found.values())
    assert fuzzy > 20  # the typos reached keys through the neighbours or deletions


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouybcdhkmnrstvzhéßж\u0645\u062d\ud800", min_size=1, max_size=14),
       st.booleans())
def test_any_token_is_keyed_as_in_python(index: NameIndex, token: str, abjad: bool) -> None:
    found = index._expand_ids(token, abjad)
    assert _written(index, found) == list(index._expand(token, abjad).items())


def test_parts_are_the_keys_of_indexed_words(index: NameIndex) -> None:
    table = index.key_ids
    own, parts, bridges, near = index._token("vladimirputin", False)
    written = [table.key(k) for k in parts]
    assert index._token("vladimirputin", False) is index._token("vladimirputin", False)
    assert [phonetic_key("vladimir"), phonetic_key("putin")] == written[-2:]
    assert _written(index, dict(own)) == list(index._expand("vladimirputin").items())
    assert bridges == near == ()  # a word with vowels looks no folded key up


def _reference(near: Neighbours, groups: list[tuple[Sequence[str], float, bool]],
               key: str, share: float | None) -> dict[str, float]:
    """``Neighbours.expand`` written with the table's Python lookups (keys as strings)."""
    table = near.table
    found: dict[str, float] = {}
    for keys, credit, replace in groups:
        for k in keys:
            if k in table and (replace or k not in found):
                found[k] = credit
    if share is None:
        return found
    for probe in (key, *_deletes(key)):
        for k in near.get(probe, ()):
            found.setdefault(k, share)
    if key in near or key in table:
        return found
    for d in _deletes(key):
        if d in table:
            found.setdefault(d, share)
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_expand_on_any_table(seed: int) -> None:
    """Random keys (runs of a letter, two- and three-byte letters, a lone surrogate): the
    compiled expansion is the reference's, key by key, in order."""
    rng = random.Random(seed)
    letters = "abdekmorsté中ж"
    keys = list(dict.fromkeys("".join(rng.choice(letters) for _ in range(rng.randint(1, 7)))
                              for _ in range(2500)))
    keys.append("ab\ud800cd")
    table = _key_table(keys)
    near = _neighbours(table, keys)
    probes = keys[:300] + ["".join(rng.choice(letters) for _ in range(rng.randint(1, 8)))
                           for _ in range(700)] + ["ab\ud800c", "a\ud800cd"]
    tried = 0
    for probe in probes:
        groups: list[tuple[Sequence[str], float, bool]] = [
            ((*rng.sample(keys, 3), probe), 1.0, True),
            ((probe[:-1], rng.choice(keys)), 0.5, False),
            ((rng.choice(keys),), 0.25, True)]
        for share in (_FUZZY, None):
            found = near.expand(groups, probe, 4, share)
            assert [(table.key(k), c) for k, c in found.items()] == \
                list(_reference(near, groups, probe, share).items())
            tried += share is not None and len(found) > 4
    assert tried > 50


def test_most_credit_is_max() -> None:
    rng = random.Random(5)
    weights = np.array([rng.random() * 9 for _ in range(200)], np.float64)
    for _ in range(500):
        near = {rng.randrange(200): rng.choice([1.0, 0.7, 0.9, 0.35])
                for _ in range(rng.randint(1, 12))}
        assert most_credit(near, weights) == max(c * float(weights[k]) for k, c in near.items())
    with pytest.raises(ValueError):
        most_credit({}, weights)
