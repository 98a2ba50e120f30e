"""The compiled fill of result records (``match/_rows.pyx``): an entity read from its stored
row (``matcher.entity_of_row`` of ``matcher.stored_row``) is the entity
``Entity.from_row`` makes of the row itself, and a prepared name read from its state is the
name; every slot set, every record of its own class, the lists its own; what does not fit
is refused."""

from __future__ import annotations

import json
import marshal
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from discreet.match._rows import Rows, Slots
from discreet.match.matcher import _entity_maker, entity_of_row, stored_row
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import default_rarity
from discreet.model import Entity, Name, entity_row
from tests.test_model_json import ENTITIES, every_field_its_own

_RECORDS = ("names", "birth_dates", "identifiers", "addresses", "links")
# (entities are drawn slowly on a busy machine: the health check is not what is tested)
_SLOW = (HealthCheck.too_slow, HealthCheck.data_too_large)


def _stored(data: dict[str, Any]) -> Entity:
    """An entity as a persisted index reads it back (``matcher.EntityRows``)."""
    return entity_of_row(marshal.loads(marshal.dumps(stored_row(entity_row(data)))))


def _reference(data: dict[str, Any]) -> Entity:
    return Entity.from_row(marshal.loads(marshal.dumps(entity_row(data))))


def _same(got: Entity, want: Entity) -> None:
    """Equal, every field of the same type, every record of its class with every slot."""
    assert type(got) is Entity and got == want and got.to_json() == want.to_json()
    for f in fields(Entity):
        assert type(getattr(got, f.name)) is type(getattr(want, f.name)), f.name
    for field in _RECORDS:
        for mine, theirs in zip(getattr(got, field), getattr(want, field), strict=True):
            assert type(mine) is type(theirs)
            assert [getattr(mine, f.name) for f in fields(theirs)] == \
                [getattr(theirs, f.name) for f in fields(theirs)]
            assert hash(mine) == hash(theirs)


@settings(max_examples=200, deadline=None, suppress_health_check=_SLOW)
@given(ENTITIES)
def test_an_entity_read_from_its_stored_row_is_from_row_s(entity: Entity) -> None:
    """The same entity, or the same error (the wire form leaves out what is empty, which
    an identifier's or address's fields may be: its row cannot be made)."""
    text = entity.to_json()
    try:
        want = _reference(json.loads(text))
    except (KeyError, ValueError) as exc:
        with pytest.raises(type(exc)) as got:
            _stored(json.loads(text))
        assert str(got.value) == str(exc)
        return
    _same(_stored(json.loads(text)), want)


def test_every_field_comes_back_in_its_place_and_empties_are_its_own() -> None:
    """Each field a value no other field holds (two slots swapped fails); an entity with
    every list empty stores None for each (a shorter row) and reads back lists and a
    mapping of its own, which another entity read from the same row does not share."""
    entity = every_field_its_own()
    data = json.loads(entity.to_json())
    _same(_stored(data), entity)
    bare = {"id": "x-2", "schema": "Person"}
    row = stored_row(entity_row(bare))
    assert sum(value is None for value in row) == 18  # 15 lists, the mapping, two dates
    assert len(marshal.dumps(row)) < len(marshal.dumps(entity_row(bare)))
    one, two = entity_of_row(row), entity_of_row(row)
    _same(one, Entity("x-2", "Person"))
    one.countries.append("fr")
    one.names.append(Name("Ann"))
    one.properties["website"] = ["a.example"]
    assert two == Entity("x-2", "Person")
    assert one.titles is not one.positions


@settings(max_examples=100, deadline=None, suppress_health_check=_SLOW)
@given(ENTITIES, ENTITIES)
def test_coded_text_reads_back_as_the_words(one: Entity, two: Entity) -> None:
    """Rows whose schema, source, authority, names' kinds and lists of codes and topics
    are the numbers of their words (one numbering for every row of an index) read back as
    the entities the rows themselves make."""
    number: dict[str, int] = {}
    stored, want = [], []
    for entity in (one, two):
        text = entity.to_json()
        try:
            want.append(_reference(json.loads(text)))
        except (KeyError, ValueError):
            continue
        stored.append(marshal.dumps(stored_row(entity_row(json.loads(text)), number)))
    make = _entity_maker(tuple(number))
    for blob, entity in zip(stored, want, strict=True):
        _same(make(marshal.loads(blob)), entity)


def test_coded_text_is_one_object_a_word_and_a_number_past_them_is_refused() -> None:
    data = {"id": "x-1", "schema": "Person", "source": "un_sc", "authority": "UN",
            "names": [{"value": "Ann Lee", "kind": "alias"}, {"value": "Lee Ann"}],
            "countries": ["fr", "de"], "topics": ["sanction"], "remarks": ["un_sc"]}
    number: dict[str, int] = {}
    row = stored_row(entity_row(data), number)
    assert set(number) == {"Person", "un_sc", "UN", "alias", "primary", "fr", "de",
                           "sanction"}
    assert row[1] == number["Person"] and row[_names_at()][0][1] == number["alias"]
    words = tuple(number)
    one, two = (_entity_maker(words)(marshal.loads(marshal.dumps(row))) for _ in range(2))
    _same(one, Entity.from_dict(data))
    assert one.schema is two.schema and one.countries[0] is two.countries[0]
    assert one.remarks == ["un_sc"]  # not a coded list: as written
    with pytest.raises(ValueError):
        _entity_maker(words[:-1])(marshal.loads(marshal.dumps(row)))


def test_a_schema_not_known_fails_as_the_constructor_fails() -> None:
    row = stored_row(entity_row({"id": "x-1", "schema": "Ship"}))
    with pytest.raises(ValueError) as want:
        Entity("x-1", "Ship")
    with pytest.raises(ValueError) as got:
        entity_of_row(row)
    assert str(got.value) == str(want.value)


def test_a_row_of_other_fields_is_refused() -> None:
    """A row with a field fewer or more (written by code of other fields), or a record
    with a value fewer, is refused, never read back with a slot unset or shifted."""
    row = entity_row({"id": "x-1", "schema": "Person", "names": [{"value": "Ann"}]})
    for wrong in (row[:-1], (*row, None)):
        with pytest.raises(ValueError):
            entity_of_row(wrong)
        with pytest.raises(ValueError):
            stored_row(wrong)
    names = row[_names_at()]
    names[0] = names[0][:-1]
    with pytest.raises(ValueError):
        entity_of_row(row)


def _names_at() -> int:
    return [f.name for f in fields(Entity)].index("names")


def test_slots_refuses_what_it_cannot_fill_alike() -> None:
    """Slots named otherwise than the class's own, in another order, or a class with its
    own ``__new__``, are refused when the maker is made, not at the first read."""
    with pytest.raises(ValueError):
        Slots(Name, ("kind", "value", "lang", "script", "parts"))
    with pytest.raises(ValueError):
        Slots(Name, ("value", "kind", "lang", "script"))
    with pytest.raises(ValueError):
        Slots(Name, ("value", "kind", "lang", "script", "parts"), (list,) * 4)

    class Own:
        __slots__ = ("a",)

        def __new__(cls) -> Own:
            return super().__new__(cls)

    with pytest.raises(ValueError):
        Slots(Own, ("a",))
    with pytest.raises(TypeError):
        Rows(Slots(Name, ("value", "kind", "lang", "script", "parts")), {}, 0,
             frozenset())(["Ann", "alias", None, None, ()])  # type: ignore[arg-type]


def test_a_slot_whose_descriptor_is_not_a_plain_slot_s_is_refused() -> None:
    """Values are stored at each slot's offset, as its descriptor stores them: a class
    whose slot's name is taken by another descriptor (a property set on the class after
    it was made) is refused, not written past what the property guards."""

    class Plain:
        __slots__ = ("a", "b")
        a: str
        b: list[str]

    made = Slots(Plain, ("a", "b"))(("one", ["two"]))
    assert type(made) is Plain and made.a == "one" and made.b == ["two"]
    setattr(Plain, "b", property(lambda self: "guarded"))  # noqa: B010 (a class's slot taken)
    with pytest.raises(ValueError, match="not a plain slot"):
        Slots(Plain, ("a", "b"))


def test_a_prepared_name_is_filled_from_its_state() -> None:
    """A frozen class filled through its slots' descriptors: every field set, the name
    equal to the prepared one (hash too), still frozen; a list of values reads alike."""
    from dataclasses import FrozenInstanceError

    name = prepare_name("Acme Trading LLC", "org", default_rarity())
    fill = Slots(PreparedName, tuple(PreparedName.__dict__["__slots__"]))
    for state in (tuple(name.__getstate__()), name.__getstate__()):
        made = fill(state)
        assert type(made) is PreparedName and made == name and hash(made) == hash(name)
        assert [getattr(made, f.name) for f in fields(PreparedName)] == \
            [getattr(name, f.name) for f in fields(PreparedName)]
        with pytest.raises(FrozenInstanceError):
            made.original = "other"  # type: ignore[misc]
