"""FtM conversion: the documented mapping, and that a trip out and back loses nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match.features import clean_id
from discreet.model import SCHEMATA, Address, DateSpec, Entity, Identifier, Link, Name
from discreet.sources.opensanctions.ftm import (
    entities_from_ftm,
    entity_from_ftm,
    entity_to_ftm,
    export_entities,
    is_supported,
)


def _lines(own_fixtures: Path) -> list[dict[str, Any]]:
    text = (own_fixtures / "ftm" / "entities.ftm.json").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _as_sets(data: dict[str, Any]) -> dict[str, set[str]]:
    return {k: set(v) for k, v in data["properties"].items()}


def test_person_maps_to_model_fields(own_fixtures: Path) -> None:
    person = entity_from_ftm(_lines(own_fixtures)[0])
    assert (person.id, person.schema, person.source) == ("ftm-p-1", "Person", "test_sanctions")
    primary = [n for n in person.names if n.kind == "primary"]
    assert [n.value for n in primary] == ["Ivan Petrov"]
    assert set(primary[0].parts) == {("firstName", "Ivan"), ("lastName", "Petrov")}
    assert {n.value for n in person.names if n.kind == "alias"} == {"Иван Петров", "Vanya Petrov"}
    assert [n.value for n in person.names if n.kind == "weak"] == ["The Bear"]
    assert person.birth_dates == [DateSpec("1970-03-15")]
    assert person.nationalities == ["ru"]
    assert person.identifiers == [Identifier("passport", "7201234567")]
    assert person.listed_on == "2022-02-24"
    assert person.remarks == ["Director of a sanctioned bank."]
    assert person.programmes == ["RUSSIA-EO14024"]
    assert person.properties == {}
    assert person.topics == ["sanction"]


def test_fixture_entities_round_trip(own_fixtures: Path) -> None:
    for data in _lines(own_fixtures):
        if not is_supported(data):
            continue
        out = entity_to_ftm(entity_from_ftm(data))
        assert (out["id"], out["schema"]) == (data["id"], data["schema"])
        assert _as_sets(out) == _as_sets(data)


def test_unknown_properties_kept_verbatim() -> None:
    data = {"id": "x1", "schema": "Vessel",
            "properties": {"name": ["SEA STAR"], "flag": ["pa"], "tonnage": ["1200"],
                           "imoNumber": ["IMO9074729"], "mmsi": ["352000000"]}}
    vessel = entity_from_ftm(data, "my_list")
    assert vessel.source == "my_list"
    assert vessel.identifiers == [Identifier("imo", "IMO9074729")]
    assert vessel.properties == {"flag": ["pa"], "tonnage": ["1200"], "mmsi": ["352000000"]}
    out = entity_to_ftm(vessel)
    assert _as_sets(out) == _as_sets(data) | {"topics": {"sanction"}}


def test_export_documented_choices() -> None:
    entity = Entity("e1", "Person", source="src", names=[Name("A B", parts=(("firstName", "A"),)),
                                                           Name("C", "previous", lang="en")],
                    birth_dates=[DateSpec("1967", "1969", approximate=True)],
                    identifiers=[Identifier("other", "X-1", country="fr")],
                    addresses=[Address("1 Road, Town", city="Town")], delisted_on="2024-01-02",
                    links=[Link("Linked To", "BANK X")])
    out = entity_to_ftm(entity)
    props = out["properties"]
    assert props["birthDate"] == ["1967", "1969"]  # a range: both ends
    assert props["idNumber"] == ["X-1"]
    assert props["address"] == ["1 Road, Town"]
    assert props["previousName"] == ["C"] and props["firstName"] == ["A"]
    assert "endDate" not in props and out["target"] is False  # the date is the Sanction's
    assert props["topics"] == ["sanction"]
    assert "links" not in out and props["notes"] == ["[link: Linked To] BANK X"]
    assert out["datasets"] == ["src"] and out["caption"] == "A B"
    back = entity_from_ftm(out)
    assert back.delisted_on is None and back.links == entity.links


def test_name_parts_without_a_name_stay_properties() -> None:
    entity = entity_from_ftm({"id": "p", "schema": "Person",
                              "properties": {"alias": ["Al"], "lastName": ["Capone"]}})
    assert entity.properties == {"lastName": ["Capone"]}
    assert _as_sets(entity_to_ftm(entity))["lastName"] == {"Capone"}


def test_several_listing_dates_keep_the_earliest_as_listed_on() -> None:
    entity = entity_from_ftm({"id": "p", "schema": "Person",
                              "properties": {"createdAt": ["2020-05-01", "2019-01-01"]}})
    assert entity.listed_on == "2019-01-01"
    assert set(entity_to_ftm(entity)["properties"]["createdAt"]) == {"2019-01-01", "2020-05-01"}


def test_unsupported_schema_is_refused() -> None:
    assert not is_supported({"schema": "Ownership"})
    with pytest.raises(ValueError, match="unknown schema"):
        entity_from_ftm({"id": "s", "schema": "Sanction", "properties": {}})


def test_smallest_entity_round_trips() -> None:
    entity = Entity("e", "Company", names=[Name("Acme")])
    back = entity_from_ftm(entity_to_ftm(entity))
    assert (back.id, back.schema, back.names) == ("e", "Company", [Name("Acme")])


# -- property test: to_ftm -> from_ftm -> to_ftm is stable ----------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=12).filter(str.strip)
DATE = st.from_regex(r"\A(19|20)\d\d(-0[1-9](-[0-2][1-9])?)?\Z")
PARTS = st.lists(st.tuples(st.sampled_from(["firstName", "lastName", "middleName",
                                            "fatherName"]), TEXT), max_size=3)
NAMES = st.builds(Name, TEXT, st.sampled_from(["primary", "alias", "weak", "previous"]),
                  st.none() | st.just("en"), st.none(), PARTS.map(tuple))
FREE = st.dictionaries(st.sampled_from(["website", "email", "phone", "callSign", "flag",
                                        "topics", "imoNumber"]), st.lists(TEXT, min_size=1,
                                                                           max_size=3))
ENTITIES = st.builds(
    Entity, id=TEXT, schema=st.sampled_from(SCHEMATA), source=st.just("") | TEXT,
    authority=st.sampled_from(["", "OFAC", "UN"]), authority_id=TEXT,
    names=st.lists(NAMES, max_size=4),
    birth_dates=st.lists(st.builds(DateSpec, DATE, st.none() | DATE, st.booleans()), max_size=2),
    nationalities=st.lists(st.sampled_from(["ru", "ir", "kp"]), max_size=2),
    genders=st.lists(st.sampled_from(["male", "female"]), max_size=1),
    identifiers=st.lists(st.builds(Identifier, st.sampled_from(
        ["passport", "national_id", "tax_id", "imo", "swift_bic", "crypto", "other"]), TEXT,
        st.none() | st.just("de")), max_size=3),
    addresses=st.lists(st.builds(Address, TEXT), max_size=2),
    programmes=st.lists(TEXT, max_size=2), remarks=st.lists(TEXT, max_size=2),
    listed_on=st.none() | DATE, delisted_on=st.none() | DATE,
    links=st.lists(st.builds(Link, TEXT, TEXT, st.booleans()), max_size=2), properties=FREE)


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data, properties=_as_sets(data))
    out.pop("caption", None)  # which name is first may change; the set of names may not
    return out


def _screened(entity: Entity) -> tuple[Any, ...]:
    """What screening compares (identifiers as the matcher cleans them)."""
    return (entity.schema, {(" ".join(n.value.split()), n.kind) for n in entity.names},
            {d for b in entity.birth_dates for d in (b.start, b.end) if d},
            set(entity.nationalities), set(entity.citizenships), set(entity.countries),
            {clean_id(i.value) for i in entity.identifiers if clean_id(i.value)},
            {p.strip() for p in entity.programmes}, entity.listed_on, entity.delisted_on)


@settings(max_examples=200, deadline=None)
@given(ENTITIES)
def test_round_trip_is_stable(entity: Entity) -> None:
    """The whole export (related entities included) read back and exported again is the
    same, and reading it back keeps every screened field."""
    first = [json.loads(json.dumps(d)) for d in export_entities([entity])]
    back = list(entities_from_ftm(first))
    assert len(back) == 1
    again = list(export_entities(back))
    assert sorted(map(_canonical, again), key=lambda d: d["id"]) == \
        sorted(map(_canonical, first), key=lambda d: d["id"])
    assert _screened(back[0]) == _screened(entity)


@pytest.mark.parametrize("target", ["0 ", " Acme Holdings", "\tNorth Star Ltd \n"])
@pytest.mark.parametrize("is_id", [False, True])
def test_a_noted_value_with_spaces_at_its_ends_round_trips(target: str, is_id: bool) -> None:
    """A link kept as a tagged note is written as reading back gives it (stripped): the
    export read back and exported again is the same (a case hypothesis found)."""
    entity = Entity(id="7", schema="Person", source="", authority="", authority_id="7",
                    links=[Link("associate of", target, is_id)])
    first = [json.loads(json.dumps(d)) for d in export_entities([entity])]
    back = list(entities_from_ftm(first))
    again = list(export_entities(back))
    assert sorted(map(_canonical, again), key=lambda d: d["id"]) == \
        sorted(map(_canonical, first), key=lambda d: d["id"])
    assert [(link.relation, link.target) for link in back[0].links] == \
        [("associate of", target.strip())]


@pytest.mark.parametrize("ident", ["0 ", " 7", "\tOFAC-123\n", "a b "])
def test_an_id_with_spaces_at_its_ends_round_trips(ident: str) -> None:
    """An entity id with spaces at its ends is exported as the id without them, as reading
    back gives it, so the export read back and exported again is the same (hypothesis found
    "0 " exported as a digest id with an id note, then read back and exported as "0")."""
    entity = Entity(id=ident, schema="Person", source="", authority="", authority_id=ident,
                    names=[Name("Ivan Petrov")])
    first = [json.loads(json.dumps(d)) for d in export_entities([entity])]
    back = list(entities_from_ftm(first))
    again = list(export_entities(back))
    assert sorted(map(_canonical, again), key=lambda d: d["id"]) == \
        sorted(map(_canonical, first), key=lambda d: d["id"])
    assert back[0].id == ident.strip()
