"""OFAC legacy sdnList XML: hand-written fixtures field by field, the real files by count."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.us_ofac.sdn_xml import PARSER


def _read(path: Path, name: str | None = None) -> tuple[dict[str, Entity], ListMeta]:
    meta = ListMeta(name or path.name)
    with path.open("rb") as handle:
        entities = {e.id: e for e in PARSER.parse(handle, meta)}
    return entities, meta


@pytest.fixture
def sample(own_fixtures: Path) -> tuple[dict[str, Entity], ListMeta]:
    return _read(own_fixtures / "ofac_xml" / "sdn_sample.xml")


def test_meta_from_publish_information(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    entities, meta = sample
    assert list(entities) == ["ofac-100", "ofac-200", "ofac-300", "ofac-400"]
    assert (meta.format, meta.authority, meta.dataset) == ("ofac_xml", "OFAC", "us_ofac_sdn")
    assert (meta.published, meta.record_count) == ("2023-03-14", 4)


def test_individual(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    person = sample[0]["ofac-100"]
    assert (person.schema, person.source, person.authority, person.authority_id) == (
        "Person", "us_ofac_sdn", "OFAC", "100")
    assert person.names == [
        Name("Ahmad EXAMPLE", "primary", parts=(("firstName", "Ahmad"), ("lastName", "EXAMPLE"))),
        Name("Ahmed EXAMPEL", "alias", parts=(("firstName", "Ahmed"), ("lastName", "EXAMPEL"))),
        Name("Abu Example", "weak", parts=(("lastName", "Abu Example"),)),
        Name("Ahmad OLDNAME", "previous", parts=(("firstName", "Ahmad"), ("lastName", "OLDNAME"))),
    ]
    assert person.birth_dates == [DateSpec("1963-07-28"), DateSpec("1957", None, True),
                                  DateSpec("1967", "1969"), DateSpec("1962")]
    assert person.birth_places == ["Qom, Iran"]
    assert (person.nationalities, person.citizenships, person.countries) == (
        ["ir"], ["iq"], ["ir"])
    assert (person.genders, person.titles) == (["male"], ["Commander"])
    assert person.programmes == ["SDGT", "IRGC"]
    assert person.listed_on is None


def test_individual_ids_and_pseudo_ids(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    person = sample[0]["ofac-100"]
    assert person.identifiers == [
        Identifier("passport", "P123456", "ir", "Passport"),
        Identifier("national_id", "0012345678", "ir", "National ID No."),
        Identifier("crypto", "1ExampleBitcoinAddress", None, "Digital Currency Address - XBT"),
    ]
    assert person.properties == {"email": ["info@example.com"], "website": ["www.example.com"]}
    assert person.remarks == [
        "Example remark.",
        "Secondary sanctions risk: Section 1(b) of Executive Order 13224, as amended by "
        "Executive Order 13886.",
    ]
    assert person.addresses == [Address(
        "12 Example Street, Block 4, Tehran, Tehran Province, 11365, Iran",
        "12 Example Street, Block 4", "Tehran", "Tehran Province", "11365", "ir")]


def test_vessel(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    vessel = sample[0]["ofac-200"]
    assert vessel.schema == "Vessel"
    assert vessel.names == [Name("SEA EXAMPLE", "primary")]
    assert vessel.identifiers == [
        Identifier("imo", "9187629", None, "Vessel Registration Identification")]
    assert vessel.properties == {
        "mmsi": ["572469210"], "pastFlags": ["mt"], "callSign": ["T2EU4"],
        "vesselType": ["Crude Oil Tanker"], "owner": ["EXAMPLE SHIPPING CO"],
        "tonnage": ["99144"], "grossRegisteredTonnage": ["56068"], "flag": ["tz"]}
    assert vessel.remarks == ["(Linked To: EXAMPLE SHIPPING CO)"]


def test_organization_and_aircraft(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    org, plane = sample[0]["ofac-300"], sample[0]["ofac-400"]
    assert org.schema == "Organization"
    assert org.names == [Name("EXAMPLE TRADING LLC"), Name("NEW EXAMPLE LLC", "alias")]
    assert org.identifiers == [
        Identifier("registration", "1027700000000", "ru", "Registration ID"),
        Identifier("tax_id", "7701234567", "ru", "Tax ID No."),
        Identifier("swift_bic", "EXAMRUMM", None, "SWIFT/BIC"),
        Identifier("other", "12345", None, "Government Gazette Number"),
    ]
    assert org.remarks == ["Executive Order 13662 Directive Determination - Subject to Directive 1"]
    assert org.countries == ["ru", "cy"]  # address country, then Nationality of Registration
    assert org.addresses == [Address("Russia", country="ru")]
    assert org.programmes == ["RUSSIA-EO14024", "UKRAINE-EO13660"]
    assert (plane.schema, plane.caption, plane.programmes) == ("Airplane", "EP-EXA", ["IRAN"])


def test_2024_namespace_and_consolidated_hint(own_fixtures: Path) -> None:
    entities, meta = _read(own_fixtures / "ofac_xml" / "consolidated_sample_2024.xml")
    assert (meta.dataset, meta.published, meta.record_count) == ("us_ofac_cons", "2024-05-06", 2)
    assert entities["ofac-9001"].birth_dates == [DateSpec("1970-02")]
    assert entities["ofac-9001"].source == "us_ofac_cons"
    assert entities["ofac-9002"].names == [Name("SAMPLE BANK"), Name("SB", "weak")]


def test_sniff(own_fixtures: Path) -> None:
    head = (own_fixtures / "ofac_xml" / "sdn_sample.xml").read_bytes()[:65536]
    assert PARSER.sniff(head, "anything.bin")
    assert PARSER.sniff(b"<sdnList><sdnEntry/></sdnList>", "x")
    assert not PARSER.sniff(b'<?xml version="1.0"?><sanctionsData/>', "sdn.xml")
    assert not PARSER.sniff(b"<Error><Code>NoSuchKey</Code><Key>sdnList</Key></Error>", "sdn.xml")
    assert not PARSER.sniff(b'"36","AEROCARIBBEAN AIRLINES","-0-","CUBA"', "sdn.xml")


def test_sniff_rejects_real_non_list_files(shared_lists: Path) -> None:
    s3_page = shared_lists / "ofac_sdn_xml" / "bad_download_s3_NoSuchKey_error.xml"
    assert not PARSER.sniff(s3_page.read_bytes(), s3_page.name)
    for other in ("un/un_consolidated_2018-06-07.xml",
                  "ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML",
                  "ofac_sdn_csv/watchman_2019-01/sdn.csv"):
        path = shared_lists / other
        assert not PARSER.sniff(path.read_bytes()[:65536], path.name), other


def test_truncated_file_names_the_line(own_fixtures: Path, tmp_path: Path) -> None:
    data = (own_fixtures / "ofac_xml" / "sdn_sample.xml").read_bytes()
    cut = tmp_path / "sdn.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ParseError) as caught:
        _read(cut)
    assert caught.value.file == "sdn.xml"
    assert caught.value.line is not None and caught.value.line > 1
    assert f"line {caught.value.line}" in str(caught.value)


def test_missing_uid_is_an_error_with_line_and_field(own_fixtures: Path, tmp_path: Path) -> None:
    text = (own_fixtures / "ofac_xml" / "sdn_sample.xml").read_text(encoding="utf-8")
    entry_line = text.splitlines().index("  <sdnEntry>", 0) + 1
    broken = tmp_path / "sdn.xml"
    broken.write_text(text.replace("<uid>100</uid>", "", 1), encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        _read(broken)
    assert (caught.value.line, caught.value.field) == (entry_line, "uid")


# -- the real published files ---------------------------------------------------------------


def test_real_consolidated_2018(shared_lists: Path) -> None:
    entities, meta = _read(shared_lists / "ofac_cons_xml" / "consolidated_2018-04-06.xml")
    assert len(entities) == 639 == meta.record_count
    assert (meta.published, meta.dataset) == ("2018-04-06", "us_ofac_cons")
    assert Counter(e.schema for e in entities.values()) == {
        "Organization": 471, "Person": 94, "Vessel": 74}
    shona = entities["ofac-15036"]
    assert [n.value for n in shona.names] == ["SHONA", "ABADAN", "ALPHA"]
    assert [n.kind for n in shona.names] == ["primary", "previous", "previous"]
    assert shona.identifiers == [
        Identifier("imo", "9187629", None, "Vessel Registration Identification")]
    assert shona.properties["flag"] == ["tz"]
    assert shona.properties["pastFlags"] == ["mt", "tv"]
    assert shona.programmes == ["IRAN"]


def test_real_consolidated_2024(shared_lists: Path) -> None:
    entities, meta = _read(shared_lists / "ofac_cons_xml" / "consolidated_2024-05-06.xml")
    assert len(entities) == 443 == meta.record_count
    kinds = Counter(n.kind for e in entities.values() for n in e.names)
    assert kinds["alias"] + kinds["previous"] == 1060  # strong akas
    assert kinds["weak"] == 66
    assert kinds["primary"] == 443
    person = entities["ofac-26182"]
    assert person.names == [Name("Evren KAYAKIRAN", "primary",
                                 parts=(("firstName", "Evren"), ("lastName", "KAYAKIRAN")))]
    assert person.birth_dates == [DateSpec("1980-02-08")]
    assert person.identifiers == [Identifier("passport", "U00242309", "tr", "Passport")]
    assert (person.programmes, person.citizenships, person.genders) == (
        ["FSE-IR"], ["tr"], ["male"])
    haniya = entities["ofac-9639"]
    assert (haniya.caption, haniya.birth_dates, haniya.birth_places) == (
        "Ismail Abdul Salah HANIYA", [DateSpec("1962")], ["Shati"])
