"""What a build writes does not depend on how fast it was made: prepared names pickle to the
bytes the dataclass's own pickling gives, a packed list holds each item's own pickle (an
object met twice too), an index's files are each described by their true size and sha256
however many threads wrote them, and the /search words of ASCII text are those of the full
rule (NFKD, marks dropped)."""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import json
import pickle
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

from discreet.match import Matcher
from discreet.match.lookup import words
from discreet.match.persist import MANIFEST, PackedList, load, save, verify
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import default_rarity
from discreet.model import Entity, Name
from discreet.text.names import NameClass

_NAMES: tuple[tuple[str, NameClass], ...] = (
    ("Sá Group Ltda.", "org"), ("Banco Nacional de Cuba S.A.", "org"),
    ("Abd al-Rahman bin Saleh", "person"), ("عبد الرحمن", "person"),
    ("Zhang Wei", "person"), ("김정은", "person"), ("Vladimir Vladimirovich", "person"),
    ("O'Neil & Sons Holdings Limited", "org"), ("Li", "person"), ("MV Ocean Star 7", "any"))


def _prepared() -> list[PreparedName]:
    return [prepare_name(text, cls, default_rarity()) for text, cls in _NAMES]


class _AsDataclasses(pickle.Pickler):
    """Pickles a prepared name as ``dataclasses`` pickles a frozen slotted class: its
    fields' values, in their order, as a list."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is PreparedName:
            state = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
            return copyreg.__newobj__, (PreparedName,), state  # type: ignore[attr-defined]
        return NotImplemented


def _as_dataclasses(obj: object) -> bytes:
    out = io.BytesIO()
    _AsDataclasses(out, pickle.HIGHEST_PROTOCOL).dump(obj)
    return out.getvalue()


def test_prepared_names_pickle_as_their_dataclass_would() -> None:
    names = _prepared()
    for name in names:
        assert pickle.dumps(name, pickle.HIGHEST_PROTOCOL) == _as_dataclasses(name), name
        back = pickle.loads(pickle.dumps(name, pickle.HIGHEST_PROTOCOL))
        assert back == name and type(back) is PreparedName
        assert all(getattr(back, f.name) == getattr(name, f.name)
                   for f in dataclasses.fields(name))
    # a list of them (objects shared between names stay shared)
    assert pickle.dumps(names, pickle.HIGHEST_PROTOCOL) == _as_dataclasses(names)


def test_a_packed_list_holds_each_items_own_pickle() -> None:
    names = _prepared()
    rng = random.Random(5)
    items = [rng.choice(names) for _ in range(300)]  # the same objects again and again
    packed = PackedList.pack(items)
    blob, offsets = packed._blob.tobytes(), packed._offsets.tolist()
    assert len(packed) == len(items) == len(offsets) - 1 and offsets[0] == 0
    for i, item in enumerate(items):
        assert blob[offsets[i]:offsets[i + 1]] == pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        assert packed[i] == item
    assert PackedList.pack([]).__len__() == 0


def test_every_file_of_a_saved_index_is_described_as_it_is(tmp_path: Path) -> None:
    rng = random.Random(3)
    first = ("Ivan", "Olga", "Ahmed", "Wei", "Maria", "Hans", "Kim", "Ali")
    last = ("Petrov", "Khan", "Chen", "Garcia", "Muller", "Park", "Nasser", "Dupont")
    entities = [Entity(f"e{i}", "Person", source="test", names=[
        Name(f"{rng.choice(first)} {rng.choice(last)} {i}")]).finish() for i in range(1500)]
    matcher = Matcher.from_entities(entities)
    folder = save(matcher, tmp_path / "index")
    manifest = json.loads((folder / MANIFEST).read_text())
    written = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
    assert sorted(manifest["files"]) == written and len(written) > 10
    for name, facts in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert facts == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    assert verify(folder) == (len(written), sum(f["size"] for f in manifest["files"].values()))
    loaded = load(folder)
    assert list(loaded.names) == list(matcher.names) and loaded.owners == matcher.owners


def _words_by_the_rule(text: str) -> list[str]:
    """Words as the rule states them: case-folded, NFKD, combining marks dropped."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"\w+", "".join(ch for ch in plain if not unicodedata.combining(ch)))


def test_search_words_are_the_rules_for_every_character() -> None:
    # every character of the first planes, alone and within ASCII words: the ASCII text
    # read without normalising gives what normalising it gives
    for code in [*range(0x3000), 0x212A, 0x212B, 0xFB01, 0xFF21, 0x1D400]:
        for text in (chr(code), f"Ab{chr(code)}cD e-F"):
            assert words(text) == _words_by_the_rule(text), hex(code)
    assert words("Jessica HIGGINS-Smith 42") == ["jessica", "higgins", "smith", "42"]
    assert words("Kelvin \u212a and Ångström") == ["kelvin", "k", "and", "angstrom"]
