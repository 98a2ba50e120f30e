"""The canonical JSON the content hashes are taken of is, byte for byte, what
``json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` writes
(hypothesis, over FtM-like values and over entities): a hash stored by an older version
stays the hash of the same entity."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.model import (
    Address,
    DateSpec,
    Entity,
    Identifier,
    Link,
    Name,
    canonical_json,
)

SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
# every code point, escapes (quote, backslash, control characters), DEL, U+2028, non-BMP
TEXT = st.text(st.one_of(st.characters(), st.sampled_from('"\\/\x00\x08\x0c\x1f\x7f\u2028'),
                         st.sampled_from(["é", "ß", "Ж", "خ", "ग", "中", "😀", "\U00010348"])),
               max_size=10)
KEY = st.one_of(TEXT, st.sampled_from(["id", "schema", "names", "a", "A", "é", "ä", "z",
                                       "\U0001f600", "\uffff", ""]))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), TEXT)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(KEY, inner, max_size=5)), max_leaves=25)


def stdlib(value: Any) -> tuple[str, Any]:
    try:
        return "text", json.dumps(value, ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        return "raises", type(exc)


def mine(value: Any) -> tuple[str, Any]:
    try:
        return "text", canonical_json(value)
    except (TypeError, ValueError) as exc:
        return "raises", type(exc)


@settings(max_examples=800)
@given(VALUE)
def test_canonical_json_is_json_s_text(value: Any) -> None:
    """Nested lists and mappings, keys in any order and script, escapes, integers past 64
    bits (json's), booleans and None."""
    assert mine(value) == stdlib(value)


@settings(max_examples=300)
@given(st.dictionaries(KEY, VALUE, max_size=4), SURROGATES)
def test_a_lone_surrogate_is_written_as_json_writes_it(value: dict[str, Any],
                                                       surrogate: str) -> None:
    """orjson refuses it; json writes it (encoding it as UTF-8 is what fails later)."""
    value["bad"] = [surrogate]
    assert mine(value) == stdlib(value)


@pytest.mark.parametrize("value", [
    {1: "a"}, {"a": {2: "b"}},  # keys that are not text: json writes them, orjson refuses
    {"n": 2**64}, {"n": -2**63 - 1},  # past 64 bits: orjson refuses
    json.loads("[" * 300 + "]" * 300),  # deeper than orjson writes (254 levels)
])
def test_what_orjson_refuses_is_json_s(value: Any) -> None:
    assert mine(value) == stdlib(value)


def test_what_json_refuses_is_refused() -> None:
    """A dataclass: orjson would write it, json refuses it (and so does canonical_json)."""
    assert mine({"name": Name("A")}) == stdlib({"name": Name("A")}) == ("raises", TypeError)


NAMES = st.builds(Name, TEXT, st.sampled_from(["primary", "alias", "weak", "previous"]),
                  st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT),
                  st.lists(st.tuples(st.sampled_from(["firstName", "lastName"]), TEXT),
                           max_size=2).map(tuple))
ENTITIES = st.builds(
    Entity, id=TEXT, schema=st.sampled_from(["Person", "Organization", "Company", "Vessel"]),
    source=TEXT, authority=TEXT, authority_id=TEXT, names=st.lists(NAMES, max_size=3),
    birth_dates=st.lists(st.builds(DateSpec, TEXT, st.one_of(st.none(), TEXT),
                                   st.booleans()), max_size=2),
    countries=st.lists(TEXT, max_size=2), programmes=st.lists(TEXT, max_size=2),
    identifiers=st.lists(st.builds(Identifier, TEXT, TEXT, st.one_of(st.none(), TEXT)),
                         max_size=2),
    addresses=st.lists(st.builds(Address, TEXT, city=st.one_of(st.none(), TEXT)), max_size=2),
    listed_on=st.one_of(st.none(), TEXT), remarks=st.lists(TEXT, max_size=2),
    links=st.lists(st.builds(Link, TEXT, TEXT, st.booleans()), max_size=2),
    properties=st.dictionaries(KEY, st.lists(TEXT, max_size=3), max_size=3))


@settings(max_examples=400)
@given(ENTITIES)
def test_an_entity_s_json_and_hash_are_as_before(entity: Entity) -> None:
    before = json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True,
                        separators=(",", ":"))
    assert entity.to_json() == before
    try:
        digest = hashlib.sha256(before.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: no hash, as before
        with pytest.raises(UnicodeEncodeError):
            entity.content_hash()
        return
    assert entity.content_hash() == digest


def _made(make: Any, text: str) -> tuple[str, Any]:
    """What ``make`` gives of the parsed JSON ``text``: the entity, or the error it raises."""
    try:
        return "entity", make(json.loads(text))
    except (KeyError, ValueError) as exc:
        return "raises", (type(exc), str(exc))


@settings(max_examples=400)
@given(ENTITIES)
def test_an_entity_parsed_from_its_wire_form_is_from_dict_s(entity: Entity) -> None:
    """``from_parsed`` keeps the freshly parsed lists instead of copying them: the same
    entity as ``from_dict`` makes of the wire form (or the same error: the wire form
    leaves out what is empty, which an identifier's or address's fields may be)."""
    text = entity.to_json()

    parsed = _made(Entity.from_parsed, text)
    assert parsed == _made(Entity.from_dict, text)
    if all(i.type and i.value for i in entity.identifiers) \
            and all(a.full for a in entity.addresses):
        assert parsed[0] == "entity"


def test_an_entity_parsed_owns_its_lists_and_mapping() -> None:
    """Each entity so made has lists of its own (an empty field is a new list, never one
    shared by two entities)."""
    data = {"id": "x-1", "schema": "Person", "names": [{"value": "Ann Lee"}]}
    one, two = Entity.from_parsed(dict(data)), Entity.from_parsed(dict(data))
    one.countries.append("fr")
    one.properties.setdefault("website", []).append("a.example")
    assert two.countries == [] and two.properties == {}
    assert one.names == [Name("Ann Lee")] and one.names[0].parts == ()


@settings(max_examples=200)
@given(NAMES)
def test_a_name_decoded_sets_every_field_as_from_dict(name: Name) -> None:
    """A name of the wire form made slot by slot is the Name ``from_dict`` makes: every
    field set (one added to Name and forgotten there fails here), equal, same hash."""
    from dataclasses import fields

    from discreet.model import _name_of

    data = json.loads(json.dumps(name.to_dict()))
    made, want = _name_of(data), Name.from_dict(data)
    assert [getattr(made, f.name) for f in fields(Name)] == \
        [getattr(want, f.name) for f in fields(Name)]
    assert made == want and hash(made) == hash(want)


@pytest.mark.parametrize("data", [
    {"id": "x-1", "schema": "Ship"},  # not a schema: the constructor's error
    {"id": "x-1", "schema": "Ship", "identifiers": [{"type": "imo"}]},  # a field read first
    {"id": "x-1", "schema": "Person", "birth_dates": [{"end": "1970"}]},
    {"id": "x-1", "schema": "Person", "addresses": [{"city": "Oslo"}]},
    {"id": "x-1", "schema": "Person", "links": [{"relation": "owner"}]},
    {"schema": "Person"}, {"id": "x-1"},
])
def test_an_entity_parsed_fails_as_from_dict_fails(data: dict[str, Any]) -> None:
    """What ``from_dict`` refuses, ``from_parsed`` refuses with the same error: the
    schema is checked once every field is read, as the constructor checks it."""
    with pytest.raises((KeyError, ValueError)) as want:
        Entity.from_dict(json.loads(json.dumps(data)))
    with pytest.raises(want.type) as got:
        Entity.from_parsed(json.loads(json.dumps(data)))
    assert str(got.value) == str(want.value)


@settings(max_examples=200)
@given(ENTITIES)
def test_an_entity_s_records_parsed_set_every_field(entity: Entity) -> None:
    """Dates, identifiers and addresses filled slot by slot are the records ``from_dict``
    makes, every field set (one added to a record and forgotten fails here), hashable
    alike, and of the record's own class."""
    from dataclasses import fields

    text = entity.to_json()
    try:  # (the wire form leaves out empty fields, which some records need: no entity)
        read = Entity.from_dict(json.loads(text))
    except KeyError:
        return
    parsed = Entity.from_parsed(json.loads(text))
    pairs: list[tuple[DateSpec | Identifier | Address, DateSpec | Identifier | Address]] = [
        *zip(parsed.birth_dates, read.birth_dates, strict=True),
        *zip(parsed.identifiers, read.identifiers, strict=True),
        *zip(parsed.addresses, read.addresses, strict=True)]
    for made, want in pairs:
        assert type(made) is type(want)
        assert [getattr(made, f.name) for f in fields(want)] == \
            [getattr(want, f.name) for f in fields(want)]
        assert hash(made) == hash(want)


def test_a_filling_class_refuses_another_class_s_place() -> None:
    """A filled object becomes only a class of the very same slots: so a record whose
    fields change cannot be made from an old filling class unseen."""
    from discreet.model import filling_class

    made = filling_class(Name)()
    with pytest.raises(TypeError):
        made.__class__ = DateSpec
    made.value, made.kind, made.lang, made.script, made.parts = "Ann", "alias", None, None, ()
    made.__class__ = Name
    assert made == Name("Ann", "alias")


def _from_row(data: dict[str, Any]) -> Entity:
    """An entity as a persisted index reads it: the row of its wire form, marshalled and
    read back (``match.matcher.EntityRows``)."""
    import marshal

    from discreet.model import entity_row

    return Entity.from_row(marshal.loads(marshal.dumps(entity_row(data))))


@settings(max_examples=400)
@given(ENTITIES)
def test_an_entity_read_from_its_row_is_from_parsed_s(entity: Entity) -> None:
    """The row of a wire form, marshalled and read back, is the entity ``from_parsed``
    makes of that wire form, its records each of its own class with every field set, the
    same JSON; or the same error (the wire form leaves out what is empty, which an
    identifier's or address's fields may be)."""
    from dataclasses import fields

    text = entity.to_json()

    got, want = _made(_from_row, text), _made(Entity.from_parsed, text)
    assert got == want
    if got[0] != "entity":
        return
    assert got[1].to_json() == want[1].to_json()
    for field in ("names", "birth_dates", "identifiers", "addresses", "links"):
        for mine_, theirs in zip(getattr(got[1], field), getattr(want[1], field), strict=True):
            assert type(mine_) is type(theirs)
            assert [getattr(mine_, f.name) for f in fields(theirs)] == \
                [getattr(theirs, f.name) for f in fields(theirs)]
            assert hash(mine_) == hash(theirs)


def every_field_its_own() -> Entity:
    """An entity each of whose fields holds a value no other field holds: two fields
    swapped on the way through a row (or one missing) show (also ``tests/match/test_rows.py``)."""
    return Entity(
        "x-1", "Vessel", source="src", authority="auth", authority_id="1",
        names=[Name("Mar Azul", "alias", "es", "Latin", (("name", "Mar Azul"),))],
        birth_dates=[DateSpec("1960", "1962", True)], birth_places=["Lima"],
        nationalities=["pe"], citizenships=["cl"], countries=["pa"], genders=["other"],
        titles=["Capt."], positions=["master"],
        identifiers=[Identifier("imo", "9123456", "pa", "IMO number", "checked")],
        addresses=[Address("1 Quay St", "Quay St", "Colon", "Colon", "0301", "pa")],
        programmes=["PROG-1"], topics=["sanction"], listed_on="2020-01-02",
        delisted_on="2021-03-04", remarks=["a remark"],
        links=[Link("owner", "x-2", True)], properties={"callSign": ["HO1234"]})


def test_every_field_of_an_entity_comes_back_from_its_row_in_its_place() -> None:
    """Each field set to a value no other field holds (two fields swapped in the row, or
    one added to Entity and not to its row, fails here); the decoded lists are its own."""
    from dataclasses import fields

    entity = every_field_its_own()
    data = json.loads(entity.to_json())
    assert len({json.dumps(data[f.name]) for f in fields(Entity)}) == len(fields(Entity))
    one, two = _from_row(data), _from_row(data)
    assert one == entity == Entity.from_parsed(json.loads(entity.to_json()))
    one.countries.append("fr")
    one.properties["website"] = ["a.example"]
    assert two == entity


@pytest.mark.parametrize("data", [
    {"id": "x-1", "schema": "Ship"},  # not a schema: the constructor's error
    {"id": "x-1", "schema": "Ship", "identifiers": [{"type": "imo"}]},  # a field read first
    {"id": "x-1", "schema": "Person", "birth_dates": [{"end": "1970"}]},
    {"id": "x-1", "schema": "Person", "addresses": [{"city": "Oslo"}]},
    {"id": "x-1", "schema": "Person", "links": [{"relation": "owner"}]},
    {"id": "x-1", "schema": "Person", "names": [{"kind": "alias"}]},
    {"schema": "Person"}, {"id": "x-1"},
])
def test_an_entity_read_from_its_row_fails_as_from_parsed_fails(data: dict[str, Any]) -> None:
    """What ``from_parsed`` refuses, the row (or the entity read from it) refuses with the
    same error."""
    with pytest.raises((KeyError, ValueError)) as want:
        Entity.from_parsed(json.loads(json.dumps(data)))
    with pytest.raises(want.type) as got:
        _from_row(json.loads(json.dumps(data)))
    assert str(got.value) == str(want.value)
