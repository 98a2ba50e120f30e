"""EU Financial Sanctions Files XML 1.1 parser."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import hijri_to_iso
from discreet.sources.eu.fsf_xml import PARSER

REAL = "eu_fsf_1_1_excerpt_2026-08-05.xml"


def _parse(data: bytes, name: str = "eu.xml") -> tuple[ListMeta, list[Entity]]:
    meta = ListMeta(file_name=name)
    return meta, list(PARSER.parse(io.BytesIO(data), meta))


@pytest.fixture
def small(own_fixtures: Path) -> bytes:
    return (own_fixtures / "eu_fsf" / "eu_small.xml").read_bytes()


def test_meta_and_ids(small: bytes) -> None:
    meta, entities = _parse(small)
    assert (meta.format, meta.dataset, meta.authority) == ("eu_fsf", "eu_fsf", "EU")
    assert meta.published == "2026-03-04"
    assert meta.extra == {"globalFileId": "999001"}
    assert [(e.id, e.schema, e.authority_id) for e in entities] == [
        ("eu-90001", "Person", "90001"), ("eu-90002", "Organization", "90002")]
    assert entities[0].properties["euReference"] == ["EU.900.1"]
    assert entities[0].properties["unReference"] == ["QDi.900"]
    assert "unReference" not in entities[1].properties


def test_names_quality_language_and_spaces(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.names == [
        Name("صالح أحمد", "alias", lang="ar", script="Arabic"),
        Name("Salih Ahmad AL-HARBI", "primary", lang="en", parts=(
            ("firstName", "Salih"), ("middleName", "Ahmad"), ("lastName", "AL-HARBI"))),
        Name("Abu Salih", "weak"),
        Name("Al-Harbi", "weak", lang="en"),  # "low quality aliias"
        Name("Salekh Akhmad", "weak"),  # strong="false"
    ]
    assert person.caption == "Salih Ahmad AL-HARBI"
    assert (person.positions, person.titles, person.genders) == (
        ["Bomb maker"], ["Sheikh"], ["male"])


def test_birth_dates_hijri_circa_and_parts(small: bytes) -> None:
    person = _parse(small)[1][0]
    # ISLAMIC with @birthdate: the Gregorian attribute wins over the Hijri parts 24/6/1402.
    assert hijri_to_iso(1402, 6, 24) != "1982-04-19"
    assert person.birth_dates == [
        DateSpec("1982-04-19"),
        DateSpec(hijri_to_iso(1380, 7, 15) or ""),  # ISLAMIC parts only: converted
        DateSpec("1979", "1983", approximate=True),
        DateSpec("1980", approximate=True),
        DateSpec("1981-05"),
    ]
    assert person.birth_dates[1].start == "1961-01-02"
    # city "-" and country 00 are placeholders: only the real place is kept.
    assert person.birth_places == ["Riyadh, Riyadh Province, SAUDI ARABIA"]


def test_citizenship_unknown_country_skipped(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.citizenships == ["sa"]
    assert person.nationalities == []
    assert person.countries == ["sa", "ye"]


def test_listing_remarks_contacts(small: bytes) -> None:
    person, org = _parse(small)[1]
    assert (person.programmes, person.listed_on, person.delisted_on) == (
        ["TAQA"], "2011-03-24", None)  # earliest regulation, no designationDate
    assert (org.programmes, org.listed_on, org.delisted_on) == (
        ["UKR"], "2022-02-28", "2024-09-01")
    assert person.remarks == ["Believed to be in Yemen.", "Reportedly deceased"]
    assert person.properties["email"] == ["salih@example.invalid"]
    assert person.properties["phone"] == ["+967 1 234567"]
    assert org.properties["website"] == ["https://aero.example.invalid"]
    assert person.addresses == [Address("Hadda Street, Sana'a, YEMEN", "Hadda Street",
                                        "Sana'a", country="ye")]


def test_identifiers(small: bytes) -> None:
    person, org = _parse(small)[1]
    assert person.identifiers == [
        Identifier("passport", "F654645", "sa", "National passport", "expired on 7.3.2010"),
        Identifier("national_id", "1028745097", None, "National identification card"),
        Identifier("other", "DL-77", "sa", "Driving licence"),
    ]
    assert [(i.type, i.value) for i in org.identifiers] == [
        ("registration", "1027700000000"), ("tax_id", "7700000000"),
        ("swift_bic", "EXAMRUMM")]
    assert org.names == [Name("Joint Stock Company Example Aero", "primary"),
                         Name("АО Пример Аэро", "alias", lang="ru", script="Cyrillic")]


def test_truncated_xml_reports_line(small: bytes) -> None:
    with pytest.raises(ParseError) as info:
        _parse(small[:3000], "cut.xml")
    assert info.value.file == "cut.xml" and info.value.line is not None
    assert "line" in str(info.value)


def test_missing_logical_id(small: bytes) -> None:
    with pytest.raises(ParseError, match="logicalId"):
        _parse(small.replace(b'logicalId="90002"', b'logicalId=""'))


def _head(path: Path) -> bytes:
    return path.read_bytes()[:65536].removeprefix(codecs.BOM_UTF8)


def test_sniff_only_claims_eu(shared_lists: Path, own_fixtures: Path) -> None:
    files = [p for p in sorted(shared_lists.rglob("*")) if p.is_file()]
    files += sorted((own_fixtures / "un").iterdir()) + sorted(
        (own_fixtures / "uk_fcdo").iterdir())
    assert {p.name for p in files if PARSER.sniff(_head(p), p.name)} == {REAL}
    assert PARSER.sniff(_head(own_fixtures / "eu_fsf" / "eu_small.xml"), "x.bin")


def test_real_excerpt(shared_lists: Path) -> None:
    meta = ListMeta(file_name=REAL)
    entities = list(PARSER.read(shared_lists / "eu_fsf" / REAL, meta))
    assert meta.published == "2026-08-05"
    assert [e.id for e in entities] == ["eu-191", "eu-521", "eu-3822", "eu-6106", "eu-6177"]
    assert [e.schema for e in entities] == ["Person", "Person", "Organization", "Person",
                                            "Person"]
    parchin = entities[2]
    assert parchin.caption == "Parchin Chemical Industries (PCI)"  # English preferred
    assert Name("Tionscail Ceimiceán Parchin", "alias", lang="ga") in parchin.names  # "  "
    assert Name("صنایع شیمیایی پارچین", "alias", lang="fa", script="Arabic") in parchin.names
    assert parchin.identifiers[0] == Identifier(
        "registration", "892", None, "Registration Number",
        "Registration no.: Cooperative Company Registration No 892")
    assert entities[1].birth_dates == [DateSpec("1953", "1958", approximate=True)]


def test_real_islamic_calendar_entity(shared_lists: Path) -> None:
    entities = list(PARSER.read(shared_lists / "eu_fsf" / REAL, ListMeta(REAL)))
    asiri = entities[4]
    assert asiri.authority_id == "6177" and asiri.programmes == ["TAQA"]
    # GREGORIAN 1982-04-18, ISLAMIC 24/6/1402 with birthdate 1982-04-19, GREGORIAN 1982-04-19.
    assert asiri.birth_dates == [DateSpec("1982-04-18"), DateSpec("1982-04-19")]
    assert asiri.birth_places == ["Riyadh, SAUDI ARABIA"]
    assert asiri.caption == "Ibrahim al-'Asiri"
    assert [n.value for n in asiri.names if n.kind == "weak"] == [
        "Abu-Salaah", "Abosslah", "Abu Saleh"]
    assert asiri.citizenships == ["sa"]
    assert [(i.type, i.value, i.country) for i in asiri.identifiers] == [
        ("national_id", "1028745097", "sa"), ("passport", "F654645", "sa")]
