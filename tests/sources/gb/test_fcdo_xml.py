"""UK Sanctions List (FCDO) XML parser."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Link, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.gb.fcdo_common import regime_code
from discreet.sources.gb.fcdo_xml import PARSER

REAL = "uk_sanctions_list_excerpt_2026-09-10.xml"


def _parse(data: bytes, name: str = "uk.xml") -> tuple[ListMeta, list[Entity]]:
    meta = ListMeta(file_name=name)
    return meta, list(PARSER.parse(io.BytesIO(data), meta))


@pytest.fixture
def small(own_fixtures: Path) -> bytes:
    return (own_fixtures / "uk_fcdo" / "uk_small.xml").read_bytes()


def test_meta_and_schemata(small: bytes) -> None:
    meta, entities = _parse(small)
    assert (meta.format, meta.dataset, meta.authority, meta.published) == (
        "uk_fcdo_xml", "gb_fcdo_sanctions", "UK", "2026-02-03")
    assert [(e.id, e.schema, e.authority_id) for e in entities] == [
        ("gb-fcdo-RUS9001", "Person", "RUS9001"), ("gb-fcdo-RUS9002", "Vessel", "RUS9002"),
        ("gb-fcdo-RUS9003", "Organization", "RUS9003")]


def test_person_names_and_non_latin(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.names == [
        Name("Ivan Petrovich SIDOROV", "primary", parts=(
            ("firstName", "Ivan"), ("middleName", "Petrovich"), ("lastName", "SIDOROV"))),
        Name("Ivan Sidorov", "alias", parts=(("firstName", "Ivan"), ("lastName", "Sidorov"))),
        Name("Vanya", "weak"),
        Name("Иван Петрович Сидоров", "alias", script="Cyrillic"),
    ]


def test_person_facts_placeholders_and_duplicate_passport(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.birth_dates == [DateSpec("1970"), DateSpec("1965-05"),
                                  DateSpec("1966-07-21"), DateSpec("1967")]
    assert person.identifiers == [  # the passport is listed twice in the file
        Identifier("passport", "751234567", note="Russian passport"),
        Identifier("national_id", "770012345678", note="INN")]
    assert (person.nationalities, person.genders, person.titles, person.positions) == (
        ["ru"], ["male"], ["Colonel"], ["Deputy Minister"])
    assert person.birth_places == ["Leningrad, Russia"]
    assert person.addresses == [Address("Tverskaya 1, Moscow, 125009, Russia",
                                        postal_code="125009", country="ru")]
    assert (person.programmes, person.listed_on) == (["RUS"], "2022-03-15")
    assert person.remarks == ["Test person.", "Involved in destabilising Ukraine."]
    assert person.properties == {
        "modifiedAt": ["2026-02-01"], "ofsiGroupId": ["15001"],
        "programName": ["The Russia (Sanctions) (EU Exit) Regulations 2019"],
        "designationSource": ["UK"], "sanctionsImposed": ["Asset freeze|Travel Ban"]}


def test_ship(small: bytes) -> None:
    ship = _parse(small)[1][1]
    assert ship.names == [Name("OCEAN EXAMPLE", "primary"), Name("SEA EXAMPLE", "alias")]
    assert ship.identifiers == [Identifier("imo", "9123456")]
    assert ship.links == [Link("owner_operator", "Example Shipping LLC")]
    props = ship.properties
    assert (props["flag"], props["pastFlags"], props["type"]) == (
        ["pa"], ["lr"], ["Crude Oil Tanker"])
    assert (props["tonnage"], props["length"], props["buildDate"]) == (
        ["81000"], ["244"], ["2004"])


def test_company(small: bytes) -> None:
    company = _parse(small)[1][2]
    assert company.identifiers == [Identifier("registration", "OGRN 1027700000001")]
    assert company.links == [Link("parent", "Example Group"),
                             Link("subsidiary", "Example Trading LLC")]
    assert company.properties["website"] == ["www.example-holding.invalid"]
    assert company.properties["legalForm"] == ["Joint Stock Company"]


@pytest.mark.parametrize(("uid", "code"), [("RUS1234", "RUS"), ("AFG0006", "AFG"),
                                           ("cyb0001", "CYB"), ("1234", None)])
def test_regime_code(uid: str, code: str | None) -> None:
    assert regime_code(uid) == code


def test_truncated_xml_reports_line(small: bytes) -> None:
    with pytest.raises(ParseError) as info:
        _parse(small[:2500], "cut.xml")
    assert info.value.file == "cut.xml" and info.value.line is not None


def test_missing_unique_id(small: bytes) -> None:
    with pytest.raises(ParseError, match="UniqueID"):
        _parse(small.replace(b"<UniqueID>RUS9002</UniqueID>", b""))


def _head(path: Path) -> bytes:
    return path.read_bytes()[:65536].removeprefix(codecs.BOM_UTF8)


def test_sniff_only_claims_uk_xml(shared_lists: Path, own_fixtures: Path) -> None:
    files = [p for p in sorted(shared_lists.rglob("*")) if p.is_file()]
    files += sorted((own_fixtures / "un").iterdir()) + sorted(
        (own_fixtures / "eu_fsf").iterdir()) + [own_fixtures / "uk_fcdo" / "uk_small.csv"]
    assert {p.name for p in files if PARSER.sniff(_head(p), p.name)} == {REAL}
    assert PARSER.sniff(_head(own_fixtures / "uk_fcdo" / "uk_small.xml"), "x.bin")


def test_real_excerpt(shared_lists: Path) -> None:
    meta = ListMeta(file_name=REAL)
    entities = list(PARSER.read(shared_lists / "uk_fcdo" / REAL, meta))
    assert meta.published == "2026-09-10"
    assert [(e.authority_id, e.schema) for e in entities] == [
        ("AFG0001", "Organization"), ("AFG0006", "Person"), ("BEL0107", "Organization"),
        ("DPR0075", "Vessel"), ("AQD0195", "Person")]
    akhund = entities[1]
    assert akhund.names[0] == Name("MOHAMMAD HASSAN AKHUND", "primary", parts=(
        ("firstName", "MOHAMMAD"), ("middleName", "HASSAN"), ("lastName", "AKHUND")))
    assert akhund.names[2] == Name("محمد حسن آخوند", "alias", script="Arabic")
    assert akhund.birth_dates == [DateSpec("1958-05-12"), DateSpec("1945"), DateSpec("1946")]
    assert akhund.identifiers == [
        Identifier("passport", "P04581926", note="Afghanistan passport number P04581926, "
                   "issued in Kandahar (expires 7 August 2034)"),
        Identifier("national_id", "2132370",
                   note="Afghan national identification card (tazkira) number")]
    assert akhund.properties["unReference"] == ["TAi.002"]
    assert akhund.properties["designationSource"] == ["UK|UN"]
    assert (akhund.programmes, akhund.listed_on, akhund.titles) == (
        ["AFG"], "2001-01-25", ["Mullah", "Haji"])
    assert [n.kind for n in entities[2].names] == ["primary", "alias", "weak"]
    assert entities[3].identifiers == [Identifier("imo", "IMO9562233")]
    assert entities[3].properties["flag"] == ["km"]
