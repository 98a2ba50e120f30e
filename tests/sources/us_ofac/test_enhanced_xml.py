"""OFAC ENHANCED XML: a hand-written fixture field by field, the real files by count."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Link, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.us_ofac.enhanced_xml import PARSER
from discreet.sources.us_ofac.sdn_xml import PARSER as LEGACY

NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"


def _read(path: Path, name: str | None = None) -> tuple[dict[str, Entity], ListMeta]:
    meta = ListMeta(name or path.name)
    with path.open("rb") as handle:
        entities = {e.id: e for e in PARSER.parse(handle, meta)}
    return entities, meta


@pytest.fixture
def sample(own_fixtures: Path) -> tuple[dict[str, Entity], ListMeta]:
    return _read(own_fixtures / "ofac_enhanced" / "sdn_enhanced_sample.xml")


def test_meta(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    entities, meta = sample
    assert list(entities) == ["ofac-1000", "ofac-2000", "ofac-3000", "ofac-4000"]
    assert (meta.format, meta.authority, meta.dataset, meta.published) == (
        "ofac_enhanced", "OFAC", "us_ofac_sdn", "2025-02-03")


def test_names_in_every_script(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    person = sample[0]["ofac-1000"]
    assert person.names == [
        Name("Ivan Petrovich SAMPLOV", "primary", script="Latin",
             parts=(("firstName", "Ivan"), ("middleName", "Petrovich"), ("lastName", "SAMPLOV"))),
        Name("Иван Петрович САМПЛОВ", "alias", script="Cyrillic",
             parts=(("firstName", "Иван"), ("lastName", "Самплов"))),
        Name("Ivan SAMPLOFF", "alias", script="Latin"),
        Name("Vanya", "weak", script="Latin"),
        Name("Ivan OLDOV", "previous", script="Latin"),  # alias type and script by refId only
    ]


def test_person_fields(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    person = sample[0]["ofac-1000"]
    assert (person.schema, person.source, person.authority_id) == ("Person", "us_ofac_sdn", "1000")
    assert person.birth_dates == [DateSpec("1962"), DateSpec("1963-07-28"), DateSpec("1962-05"),
                                  DateSpec("1967", "1969"), DateSpec("1957", None, True)]
    assert person.birth_places == ["Moscow, Russia"]  # feature type resolved by featureTypeId
    assert (person.nationalities, person.genders, person.countries) == (["ru"], ["male"], ["ru"])
    assert person.identifiers == [Identifier("passport", "750000001", "ru", "Passport")]
    assert person.addresses == [Address("1 Sample Embankment, Moscow, 101000, Russia",
                                        "1 Sample Embankment", "Moscow", None, "101000", "ru")]
    assert person.programmes == ["SDGT", "IRGC"]
    assert person.listed_on == "2014-10-10"  # the earliest of its lists
    assert person.remarks == [
        "Example remark.",
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201"]
    assert person.properties == {"website": ["www.samplov.example"]}
    assert person.links == [Link("Owned or Controlled By", "ofac-2000", True)]


def test_organization_vessel_aircraft(sample: tuple[dict[str, Entity], ListMeta]) -> None:
    org, vessel, plane = (sample[0][k] for k in ("ofac-2000", "ofac-3000", "ofac-4000"))
    assert org.schema == "Organization"
    assert org.identifiers == [
        Identifier("swift_bic", "SAMPRUMM", None, "SWIFT/BIC"),
        Identifier("crypto", "0x00000000000000000000000000000000000000aa", None,
                   "Digital Currency Address - ETH"),
        Identifier("tax_id", "7700000001", "ru", "Tax ID No."),
    ]
    assert (org.countries, org.listed_on) == (["ru"], "2022-02-24")
    assert vessel.schema == "Vessel"
    assert vessel.identifiers == [
        Identifier("imo", "9187629", None, "Vessel Registration Identification")]
    assert vessel.properties == {"callSign": ["T2EU4"], "flag": ["tz"],
                                 "vesselType": ["Crude Oil Tanker"]}
    assert (vessel.listed_on, vessel.programmes) == (None, ["IRAN"])
    assert plane.schema == "Airplane"
    assert plane.properties == {"model": ["Airbus A340-313X"], "serialNumber": ["164"]}


def _header(lists: list[str]) -> bytes:
    items = "".join(f"<sanctionsList>{name}</sanctionsList>" for name in lists)
    return (f'<sanctionsData xmlns="{NS}"><publicationInfo><dataAsOf>2024-01-02T00:00:00'
            f"</dataAsOf><filters><sanctionsLists>{items}</sanctionsLists></filters>"
            "</publicationInfo><entities/></sanctionsData>").encode()


@pytest.mark.parametrize(("lists", "file_name", "dataset"), [
    (["SDN List"], "CONS_ENHANCED.XML", "us_ofac_sdn"),
    (["Consolidated List"], "SDN_ENHANCED.XML", "us_ofac_cons"),
    (["Non-SDN CMIC List", "Consolidated List"], "export.xml", "us_ofac_cons"),
    (["SDN List", "Consolidated List"], "sls_export.xml", "us_ofac_sdn"),
    (["SDN List", "Consolidated List"], "cons_export.xml", "us_ofac_cons"),
    ([], "CONS_ENHANCED.XML", "us_ofac_cons"),
])
def test_dataset_from_filters_then_file_name(lists: list[str], file_name: str,
                                             dataset: str) -> None:
    meta = ListMeta(file_name)
    assert list(PARSER.parse(io.BytesIO(_header(lists)), meta)) == []
    assert (meta.dataset, meta.published) == (dataset, "2024-01-02")


def test_sniff(own_fixtures: Path) -> None:
    head = (own_fixtures / "ofac_enhanced" / "sdn_enhanced_sample.xml").read_bytes()[:65536]
    assert PARSER.sniff(head, "whatever.dat")
    assert not LEGACY.sniff(head, "sdn.xml")
    legacy = (own_fixtures / "ofac_xml" / "sdn_sample.xml").read_bytes()
    assert not PARSER.sniff(legacy, "SDN_ENHANCED.XML")
    assert not PARSER.sniff(b"<Error><Code>NoSuchKey</Code></Error>", "SDN_ENHANCED.XML")


def test_sniff_rejects_real_non_list_files(shared_lists: Path) -> None:
    s3_page = shared_lists / "ofac_sdn_xml" / "bad_download_s3_NoSuchKey_error.xml"
    assert not PARSER.sniff(s3_page.read_bytes(), "SDN_ENHANCED.XML")
    for other in ("un/un_consolidated_2018-06-07.xml", "eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
                  "ofac_cons_xml/consolidated_2024-05-06.xml"):
        path = shared_lists / other
        assert not PARSER.sniff(path.read_bytes()[:65536], path.name), other
    for real in sorted((shared_lists / "ofac_enhanced_xml").iterdir()):
        assert PARSER.sniff(real.read_bytes()[:65536], real.name), real.name


def test_truncated_file_names_the_line(own_fixtures: Path, tmp_path: Path) -> None:
    data = (own_fixtures / "ofac_enhanced" / "sdn_enhanced_sample.xml").read_bytes()
    cut = tmp_path / "SDN_ENHANCED.XML"
    cut.write_bytes(data[: len(data) - 2000])
    with pytest.raises(ParseError) as caught:
        _read(cut)
    assert caught.value.file == "SDN_ENHANCED.XML"
    assert caught.value.line is not None and caught.value.line > 1
    assert f"line {caught.value.line}" in str(caught.value)


def test_entity_without_id_is_an_error(own_fixtures: Path, tmp_path: Path) -> None:
    text = (own_fixtures / "ofac_enhanced" / "sdn_enhanced_sample.xml").read_text(encoding="utf-8")
    line = text.splitlines().index('    <entity id="2000">') + 1
    broken = tmp_path / "SDN_ENHANCED.XML"
    broken.write_text(text.replace('<entity id="2000">', "<entity>"), encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        _read(broken)
    assert (caught.value.line, caught.value.field) == (line, "id")


# -- the real published files ---------------------------------------------------------------


def test_real_cons_enhanced(shared_lists: Path) -> None:
    entities, meta = _read(shared_lists / "ofac_enhanced_xml" / "CONS_ENHANCED_2025-01-10.XML")
    assert len(entities) == 443
    assert (meta.dataset, meta.published) == ("us_ofac_cons", "2025-01-10")
    names = [n for e in entities.values() for n in e.names]
    latin = [n for n in names if n.script == "Latin"]
    assert len(latin) == 1579
    assert sum(n.kind == "weak" for n in latin) == 70
    assert Counter(n.script for n in names)["Cyrillic"] == 39
    vtb = entities["ofac-17013"]
    assert vtb.caption == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert Name("БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", "alias", script="Cyrillic") in vtb.names
    assert Name("JSC VTB BANK NEW DELHI BRANCH", "weak", script="Latin") in vtb.names
    assert (vtb.programmes, vtb.listed_on) == (["UKRAINE-EO13662", "RUSSIA-EO14024"], "2014-07-29")
    assert Identifier("swift_bic", "VTBRRUMM", None, "SWIFT/BIC") in vtb.identifiers
    assert Identifier("tax_id", "7702070139", "ru", "Tax ID No.") in vtb.identifiers
    assert Identifier("registration", "1027739609391", "ru", "Registration ID") in vtb.identifiers


def test_same_listing_reads_the_same_in_legacy_and_enhanced(shared_lists: Path) -> None:
    enhanced = _read(shared_lists / "ofac_enhanced_xml" / "CONS_ENHANCED_2025-01-10.XML")[0]
    path = shared_lists / "ofac_cons_xml" / "consolidated_2024-05-06.xml"
    with path.open("rb") as handle:
        legacy = next(e for e in LEGACY.parse(handle, ListMeta(path.name))
                      if e.id == "ofac-26182")
    new = enhanced["ofac-26182"]
    assert [(n.value, n.kind, n.parts) for n in new.names] == [
        (n.value, n.kind, n.parts) for n in legacy.names]
    for attr in ("birth_dates", "citizenships", "genders", "identifiers", "addresses",
                 "programmes"):
        assert getattr(new, attr) == getattr(legacy, attr), attr
    assert (legacy.listed_on, new.listed_on) == (None, "2019-02-07")


def test_real_sls_exports(shared_lists: Path) -> None:
    irgc, meta = _read(shared_lists / "ofac_enhanced_xml" / "sls_export_IRGC_2024-08-28.xml")
    assert len(irgc) == 293
    assert (meta.dataset, meta.published) == ("us_ofac_sdn", "2024-08-28")
    assert Counter(e.schema for e in irgc.values()) == {
        "Person": 165, "Organization": 84, "Airplane": 44}
    assert all("IRGC" in e.programmes for e in irgc.values())
    yemen, _ = _read(shared_lists / "ofac_enhanced_xml" / "sls_export_YEMEN_2024-05-24.xml")
    assert len(yemen) == 10
    zabin = yemen["ofac-30624"]
    assert zabin.names[0] == Name("Sultan ZABIN", "primary", script="Latin",
                                  parts=(("firstName", "Sultan"), ("lastName", "Zabin")))
    assert Name("Abu SAQAR", "weak", script="Latin",
                parts=(("firstName", "Abu"), ("lastName", "Saqar"))) in zabin.names
    assert any(n.script == "Arabic" and n.kind == "alias" for n in zabin.names)
    assert (zabin.birth_dates, zabin.nationalities, zabin.genders) == (
        [DateSpec("1986")], ["ye"], ["male"])
    assert (zabin.programmes, zabin.listed_on) == (["GLOMAG", "YEMEN"], "2020-12-10")
    assert zabin.identifiers == [
        Identifier("national_id", "20322", "ye", "Identification Number"),
        Identifier("national_id", "10010095104", "ye", "National ID No.")]
