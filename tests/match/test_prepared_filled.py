"""A prepared name is filled field by field without the frozen class's ``__setattr__``
(prepare._Filling, prepare._filled) when it is made (prepare.assemble) and when it is read
back from a pickle (PreparedName.__setstate__): the object is the one the dataclass's own
constructor makes (equal, hashed alike, pickled to the same bytes), and it stays frozen."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from discreet.match import prepare
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import default_rarity
from discreet.text.names import NameClass

_NAMES: list[tuple[str, NameClass]] = [
    ("Guillaume Rayaud", "person"), ("Abdul Rahman al-Tikriti", "person"),
    ("KLOTZ INDUSTRIES GMBH & CO. KG", "org"), ("Белоусов Групп", "org"),
    ("رستم القواسم", "person"), ("陆集团有限公司", "org"), ("禹阳", "person"), ("", "any")]


def _by_constructor(name: PreparedName) -> PreparedName:
    return PreparedName(*(getattr(name, f.name) for f in dataclasses.fields(PreparedName)))


def test_the_filling_class_has_the_prepared_names_slots_in_order() -> None:
    assert prepare._Filling.__slots__ == PreparedName.__slots__ == prepare._FIELDS


@pytest.mark.parametrize(("text", "cls"), _NAMES)
def test_a_name_prepared_is_the_dataclass_constructors_name(text: str, cls: NameClass,
                                                            ) -> None:
    made = prepare_name(text, cls, default_rarity())
    same = _by_constructor(made)
    assert type(made) is PreparedName
    assert made == same and hash(made) == hash(same) and repr(made) == repr(same)
    assert pickle.dumps(made, pickle.HIGHEST_PROTOCOL) == pickle.dumps(
        same, pickle.HIGHEST_PROTOCOL)


@pytest.mark.parametrize(("text", "cls"), _NAMES)
def test_a_name_read_back_is_the_name_written(text: str, cls: NameClass) -> None:
    made = prepare_name(text, cls, default_rarity())
    read = pickle.loads(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
    assert type(read) is PreparedName
    assert read == made and hash(read) == hash(made)
    assert [getattr(read, f) for f in prepare._FIELDS] == [
        getattr(made, f) for f in prepare._FIELDS]


def test_a_filled_name_stays_frozen() -> None:
    made = prepare_name("Guillaume Rayaud", "person", default_rarity())
    read = pickle.loads(pickle.dumps(made))
    for name in (made, read):
        with pytest.raises(dataclasses.FrozenInstanceError):
            name.tokens = ()  # type: ignore[misc]


def test_a_state_of_fewer_fields_is_read_field_by_field() -> None:
    """A state shorter than the fields (a pickle of a name with fewer fields) sets those it
    has, as before; the rest stay unset."""
    made = prepare_name("Guillaume Rayaud", "person", default_rarity())
    name = PreparedName.__new__(PreparedName)
    name.__setstate__(made.__getstate__()[:3])
    assert (name.original, name.tokens, name.kinds) == (made.original, made.tokens,
                                                        made.kinds)
    assert type(name) is PreparedName
    with pytest.raises(AttributeError):
        _ = name.weights
