"""The kernel's look-ups asked from memory together (twenty-sixth session): a query word's
readings with two letters swapped are made a few at a time and prefetched before they are
looked up (KeyTable.swaps), its typo neighbours stage by stage (Neighbours.word's
_near_into), the candidates' records at once (Kernel.syllabic_among). Only fetches were
added: the answers must be the rules' on words long enough to span several batches, and on
one long enough to be read a reading at a time."""

from __future__ import annotations

import random

from discreet.match._kernel import KeyTable
from discreet.match.index import _key_table, _neighbours, _token_posts
from discreet.match.swaps import JOINED, SKELETON, SLAVIC, SLAVIC_LETTERS
from discreet.text.phonetic import phonetic_key, swap_keys

_LETTERS = "aeiouyhszcktdxjwqgrlmnpbvf"


def _long_words(count: int, seed: int, least: int, most: int) -> list[str]:
    """Made-up words of ``least`` to ``most`` letters (the letters the keys' rules read)."""
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_LETTERS) for _ in range(rnd.randint(least, most)))
            for _ in range(count)]


def _swapped(word: str, rnd: random.Random) -> str:
    """``word`` with two neighbouring letters swapped (a reading of it is then posted)."""
    i = rnd.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def test_the_swaps_of_long_words_are_the_readings_keys_looked_up() -> None:
    """Words of 17 to 60 letters (more readings than one batch holds) and two of 300 (read a
    reading at a time): each reading's phonetic, east-Slavic, skeleton and joined keys
    found as the strings swap_keys makes are; some are posted."""
    listed = _long_words(400, 26, 17, 60)
    rnd = random.Random(27)
    keys = [key for word in listed for key in _token_posts(word, False)]
    keys += [JOINED + phonetic_key(word) for word in listed[::3]]
    table = _key_table(list(dict.fromkeys(keys)))
    asked = [_swapped(word, rnd) for word in listed] + _long_words(200, 28, 17, 60) \
        + _long_words(2, 29, 300, 300)
    posted = 0
    for word in asked:
        slavic = SLAVIC if len(word) >= SLAVIC_LETTERS else None
        found = table.swaps(word, slavic, SKELETON, JOINED)
        expected = swap_keys(word, slavic, SKELETON)
        assert found is not None
        assert [(i, table.find(key), -1 if sl is None else table.find(sl),
                 -1 if sk is None else table.find(sk), table.find(JOINED + key))
                for i, key, sl, sk in expected] \
            == [(*row[:4], row[5]) for row in found], word
        posted += sum(1 for row in found if max(row[1:4]) >= 0 or row[5] >= 0)
    assert posted > 300


def _near(probe: str, keys: set[str]) -> set[str]:
    """The keys ``probe`` is one deletion of (a scan of every key)."""
    return {key for key in keys if len(key) == len(probe) + 1
            and any(key[:j] + key[j + 1:] == probe for j in range(len(key)))}


def test_the_typo_neighbours_of_long_keys_are_the_rules() -> None:
    """Neighbours.expand (the _near_into a new query word's keys go through) of keys with
    more deletions than it asks for at once (64): the keys the key or one of its deletions
    is one deletion of, else (none, and the key not posted) its deletions posted; as a scan
    of every key finds them."""
    words = _long_words(150, 30, 60, 90) + _long_words(300, 32, 5, 9)
    keys = list(dict.fromkeys(phonetic_key(word) for word in words))
    table = _key_table(keys)
    neighbours = _neighbours(table, keys)
    every = set(keys)
    rnd = random.Random(31)
    long_keys = [key for key in keys if len(key) > 66]
    assert len(long_keys) > 20
    probes = []
    for key in long_keys[:40]:
        i = rnd.randrange(len(key))
        probes.append(key[:i] + key[i + 1:])  # one of its deletions: the key a neighbour
        probes.append(key[:i] + "x" + key[i + 1:])  # a letter changed: a deletion meets it
        probes.append(key + "q")  # one more letter: posted as one of its deletions
    met = 0
    for probe in probes:
        deletions = {probe[:j] + probe[j + 1:] for j in range(len(probe))}
        expected = _near(probe, every).union(*(_near(d, every) for d in deletions))
        if not _near(probe, every) and probe not in every:
            expected |= deletions & every
        found = neighbours.expand([], probe, 1, 0.5)
        assert {table.key(k) for k in found} == expected, probe
        met += bool(expected)
    assert met > 100


def _parts_by_rule(table: KeyTable, token: str, three_letters: int) -> list[int]:
    """KeyTable.parts as NameIndex._parts writes the rule, on any key table."""
    parts: list[int] = []
    three = len(token) >= three_letters and table.find(phonetic_key(token)) < 0
    for i in range(3, len(token) - 2):
        left = table.find(phonetic_key(token[:i]))
        if left < 0:
            continue
        right = table.find(phonetic_key(token[i:]))
        if right >= 0:
            parts += (left, right)
        elif three:
            for j in range(i + 3, len(token) - 2):
                middle = table.find(phonetic_key(token[i:j]))
                if middle >= 0 and (last := table.find(phonetic_key(token[j:]))) >= 0:
                    parts += (left, middle, last)
    return parts


def test_the_parts_of_joined_words_are_the_rules() -> None:
    """KeyTable.parts (its first parts' keys asked together, then their second parts') of
    two and three list words written as one, with a letter changed now and then, and of
    forty written as one (read a look-up at a time): the rule's parts, in order."""
    words = _long_words(400, 33, 3, 8)
    table = _key_table(list(dict.fromkeys(phonetic_key(word) for word in words)))
    rnd = random.Random(34)
    tokens = []
    for _ in range(600):
        token = "".join(rnd.sample(words, rnd.randint(2, 3)))
        if rnd.random() < 0.3:
            at = rnd.randrange(len(token))
            token = token[:at] + rnd.choice(_LETTERS) + token[at + 1:]
        tokens.append(token)
    tokens += ["".join(rnd.sample(words, 40)) for _ in range(3)]
    split = 0
    for token in tokens:
        for three_letters in (12, 1000):
            parts = table.parts(token, three_letters)
            assert parts == _parts_by_rule(table, token, three_letters), token
            split += bool(parts)
    assert split > 600
