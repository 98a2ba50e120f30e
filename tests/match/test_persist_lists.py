"""Long lists of numbers or strings in a persisted index are arrays, read back as the lists.

A matcher's per-name lists (owner, kind, what a weak alias loses) are millions of items at
a million entities: written as arrays (numbers as they are, few repeated values as codes),
read back as lists equal item for item, of the same types, floats to the bit; repeated
values become one object each. Lists of other things, or of mixed types, are pickled as
they are.
"""

from __future__ import annotations

import io
import math
import struct
from pathlib import Path
from typing import Any

import pytest

from discreet.match import Matcher, Query
from discreet.match.persist import PICKLE, _Reader, _Writer, load, save
from discreet.model import Entity, Name

N = 5000  # over the 4096 items from which a list is written as arrays


def _round_trip(obj: Any, folder: Path) -> tuple[Any, list[str]]:
    folder.mkdir()
    buffer = io.BytesIO()
    writer = _Writer(buffer, folder)  # type: ignore[arg-type]
    writer.dump(obj)
    buffer.seek(0)
    reader = _Reader(buffer, folder, set(writer.files))  # type: ignore[arg-type]
    return reader.load(), writer.files


def _bits(values: list[float]) -> list[bytes]:
    return [struct.pack("<d", v) for v in values]


@pytest.mark.parametrize(("label", "items", "as_arrays"), [
    ("few floats, signed zeros and NaN", [0.0, -0.0, math.nan, 0.05] * (N // 4), True),
    ("many floats", [i / 7 for i in range(N)], True),
    ("many ints", [i * 3 - N for i in range(N)], True),
    ("few ints", [i % 3 for i in range(N)], True),
    ("few strings", ["primary", "alias", "weak"] * N, True),
    ("many strings", [f"name {i}" for i in range(N)], False),
    ("bools", [True, False] * N, False),
    ("mixed", [1, 1.0] * N, False),
    ("huge ints", [1 << 70] * N, False),
    ("short", [0.5] * 100, False),
])
def test_lists_read_back_item_for_item(tmp_path: Path, label: str, items: list[Any],
                                       as_arrays: bool) -> None:
    back, files = _round_trip({"x": items, "again": items}, tmp_path / "f")
    assert type(back["x"]) is list and back["again"] is back["x"], label
    assert [type(v) for v in back["x"]] == [type(v) for v in items]
    if isinstance(items[0], float):
        assert _bits(back["x"]) == _bits(items)
    else:
        assert back["x"] == items
    assert bool(files) == as_arrays, label
    if as_arrays and len(set(map(repr, items))) < 10:
        assert len({id(v) for v in back["x"]}) == len(set(map(repr, items)))


def test_a_matchers_lists_are_arrays_and_answer_the_same(tmp_path: Path) -> None:
    entities = [Entity(f"e{i}", "Person", source="test_list", authority="TEST",
                       authority_id=str(i),
                       names=[Name(f"Ivan{i} Petrov"), Name(f"Ivanek{i}", kind="weak")]
                       ).finish() for i in range(N // 2 + 100)]
    built = Matcher.from_entities(entities)
    assert len(built.kinds) > 4096 and "weak" in built.kinds
    folder = save(built, tmp_path / "index")
    loaded = load(folder)
    for name in ("owners", "kinds", "lowering"):
        assert type(getattr(loaded, name)) is list
        assert getattr(loaded, name) == getattr(built, name), name
    with open(folder / PICKLE, "rb") as handle:  # which lists were written as arrays
        reader = _Reader(handle, folder, {p.name for p in folder.glob("a*.npy")})
        reader.load()
    listed = {tuple(key[:2]) for key in reader.opened if key[0] == "list"}
    assert listed == {("list", "categories"), ("list", "numbers")}  # kinds, lowering; owners
    for query in ("Ivan12 Petrov", "Ivanek40", "Petrov Ivan2000"):
        left = [(r.entity.id, r.score) for r in built.match(Query(query), limit=5)]
        assert [(r.entity.id, r.score) for r in loaded.match(Query(query), limit=5)] == left
