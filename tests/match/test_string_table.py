"""The kernel's table of strings (``_strings.pxi``: :func:`string_table`) holds no
address: read where it lies (another copy, another place in memory, a file mapped by
another process), it gives what the strings' own forms give; a block of another layout is
refused; a persisted index maps its tables from its files instead of filling one a process."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from discreet.match import Matcher, Query
from discreet.match._kernel import Strings, string_table, token_similarity
from discreet.match.persist import load, save
from discreet.match.prune import _Vocabulary, string_forms
from discreet.model import Entity, Name

# letters doubled (forms written once), Baltic endings (stems), abjad readings (th, kh,
# sh ... two letters), syllables, digits, one letter, nothing
_WORDS = ("khaled", "khalid", "sergejs", "sergejus", "ivanovas", "ivanovs", "zhukoooov",
          "zhukov", "tawfiq", "tawfeek", "shaikh", "sheikh", "dhahir", "zahir", "zhang",
          "chang", "jeong", "chung", "lloyd", "loyd", "2000", "7", "a", "", "kdyrv", "kadyrov",
          "mohammed", "muhammad", "ltd", "ooo")


def _texts(seed: int, count: int = 40) -> list[str]:
    """The words above and made-up ones (some with a letter doubled or a Baltic ending)."""
    rng = random.Random(seed)
    made = list(_WORDS)
    for _ in range(count):
        word = "".join(rng.choice("abdehiklmnorstuyz") for _ in range(rng.randint(2, 8)))
        if rng.random() < 0.3:
            at = rng.randrange(len(word))
            word = word[:at + 1] + word[at] + word[at + 1:]
        made.append(word + rng.choice(("", "", "as", "is", "s", "kh")))
    return list(dict.fromkeys(made))


def _table(texts: list[str]) -> np.ndarray:
    vocabulary = _Vocabulary()
    for text in texts:
        vocabulary.add(text)
    return string_table(*vocabulary.packed())


def _similarities(strings: Strings, count: int) -> list[tuple[float, str]]:
    return [token_similarity(strings, a, b, abjad)
            for a, b in itertools.product(range(count), repeat=2) for abjad in (0, 1)]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_table_reads_the_same_wherever_it_lies(seed: int, tmp_path: Path) -> None:
    texts = _texts(seed)
    table = _table(texts)
    own = _similarities(Strings([string_forms(t) for t in texts]), len(texts))
    # elsewhere in a larger block, 8 bytes on (a struct's alignment): read where it lies
    shifted = np.zeros(len(table) + 8, np.uint8)
    shifted[8:] = table
    # 4 bytes on (no struct may lie there: read from a copy), and a file mapped
    odd = np.zeros(len(table) + 4, np.uint8)
    odd[4:] = table
    np.save(tmp_path / "table.npy", table)
    mapped = np.load(tmp_path / "table.npy", mmap_mode="r")
    assert isinstance(mapped, np.memmap) and not mapped.flags.writeable
    for block in (table, shifted[8:], odd[4:], mapped):
        assert _similarities(Strings.table(block), len(texts)) == own
    # Strings.packed reads the same forms through a table
    vocabulary = _Vocabulary()
    for text in texts:
        vocabulary.add(text)
    assert _similarities(Strings.packed(*vocabulary.packed()), len(texts)) == own


def test_a_query_s_strings_read_as_a_table_s() -> None:
    """A query's strings (a block of their own) and the same strings in a vocabulary's
    table pair alike, one from each."""
    texts = _texts(3)
    table = Strings.table(_table(texts))
    own = Strings([string_forms(t) for t in texts])
    # a query's strings in another order: string i of ``own`` is i of the table
    for a, b in itertools.product(range(len(texts)), repeat=2):
        assert token_similarity(own, a, b, 0) == token_similarity(table, a, b, 0)


def test_a_block_of_another_layout_is_refused() -> None:
    """A block of a former layout (STRINGS1, STRINGS2: the same Str size, other fields
    where), of other struct sizes or too short is refused, never read."""
    table = _table(_texts(4))
    for field, value in ((0, 0x3153474E49525453), (0, 0x3253474E49525453), (1, 8), (2, 4),
                         (3, 1 << 40)):
        other = table.copy()
        other[8 * field:8 * field + 8] = np.frombuffer(np.int64(value).tobytes(), np.uint8)
        with pytest.raises(ValueError):
            Strings.table(other)
    with pytest.raises(ValueError):
        Strings.table(table[:32])
    assert len(Strings.table(table)) >= len(_texts(4))


def test_an_empty_vocabulary_makes_a_table() -> None:
    assert len(Strings.table(_table([]))) == 0
    assert len(Strings([])) == 0


def _person(i: int, name: str) -> Entity:
    return Entity(id=f"t-{i}", schema="Person", names=[Name(name)], source="test")


def test_a_persisted_index_maps_its_tables_of_strings(tmp_path: Path) -> None:
    names = ["Khaled Tawfiq Sergejs", "Ivanovas Zhukoooov", "Mohammed Lloyd Dhahir",
             "Zhang Jeong", "Sheikh Ahmed Al Kdyrv"] * 12
    built = Matcher.from_entities([_person(i, f"{n} {i}") for i, n in enumerate(names)])
    loaded = load(save(built, tmp_path / "saved"))
    words, runs = loaded.tables.pack()
    for table in (words, runs):
        assert table.nbytes > 4096  # not kept in the pickle
        # the file's pages, mapped (every process that opens the index shares them)
        assert isinstance(table.base, np.memmap) or isinstance(table, np.memmap)
        assert not table.flags.writeable
    for query in ("Kaled Tawfik Sergejus", "Ivanovs Zhukov", "Muhammad Loyd Zahir"):
        got = [(r.entity.id, r.score)
               for r in loaded.match(Query(query), limit=5, threshold=0.5)]
        assert got == [(r.entity.id, r.score)
                       for r in built.match(Query(query), limit=5, threshold=0.5)]
        assert got
