"""UN Security Council consolidated list XML parser."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from discreet.errors import ParseError, UnsafeInputError
from discreet.model import Address, DateSpec, Entity, Identifier, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.un.sc_parts import document_type
from discreet.sources.un.sc_xml import PARSER

REAL_COUNTS = {
    "un_consolidated_2018-06-07.xml": (693, 405),
    "un_consolidated_2018-06-21.xml": (695, 405),
    "un_consolidated_2018-08-24.xml": (701, 397),
    "un_consolidated_2018-10-29.xml": (703, 390),
    "un_consolidated_2025-11-18.xml": (727, 273),
    "un_consolidated_2025-11-20.xml": (727, 273),
    "un_consolidated_2026-02-27.xml": (730, 273),
}


def _parse(data: bytes, name: str = "un.xml") -> tuple[ListMeta, list[Entity]]:
    meta = ListMeta(file_name=name)
    return meta, list(PARSER.parse(io.BytesIO(data), meta))


@pytest.fixture
def small(own_fixtures: Path) -> bytes:
    return (own_fixtures / "un" / "un_small.xml").read_bytes()


def test_meta_and_ids(small: bytes) -> None:
    meta, entities = _parse(small)
    assert (meta.format, meta.dataset, meta.authority) == ("un_xml", "un_sc_sanctions", "UN")
    assert meta.published == "2026-01-15"
    assert [(e.id, e.schema, e.authority_id) for e in entities] == [
        ("un-1000001", "Person", "1000001"), ("un-2000002", "Organization", "2000002")]
    assert all(e.source == "un_sc_sanctions" and e.authority == "UN" for e in entities)


def test_individual_names_skip_empty_placeholder(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.names == [
        Name("ABDUL RAHMAN YASIN TAHA", "primary", parts=(
            ("firstName", "ABDUL"), ("secondName", "RAHMAN"), ("middleName", "YASIN"),
            ("lastName", "TAHA"))),
        Name("عبد الرحمن ياسين", "alias", script="Arabic"),
        Name("Abd al-Rahman Yasin", "alias"),
        Name("Abu Yasin", "weak"),
        Name("Aboud Yasin", "alias"),
    ]


def test_individual_facts(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.birth_dates == [DateSpec("1960-04-10"), DateSpec("1958", "1962"),
                                  DateSpec("1961", approximate=True)]
    assert person.birth_places == ["Bloomington, Indiana, United States of America"]
    assert person.nationalities == ["iq", "us"]
    assert person.genders == ["male"]
    assert person.titles == ["Haji"]
    assert person.positions == ["Financier", "Commander"]
    assert person.programmes == ["Al-Qaida"]
    assert (person.listed_on, person.delisted_on) == ("2003-01-24", "2020-02-02")
    assert person.addresses == [Address("12 Palestine Street, Baghdad, Iraq",
                                        "12 Palestine Street", "Baghdad", country="iq")]
    assert person.countries == ["iq"]
    assert person.remarks == ["Test record. Second line of the comment.",
                              "Passport: Iraqi passport number 1234 expired"]
    assert person.properties == {"unReference": ["QDi.999"], "modifiedAt": ["2015-05-05"]}


def test_documents_localised_and_with_newline(small: bytes) -> None:
    person = _parse(small)[1][0]
    assert person.identifiers == [
        Identifier("passport", "M0003102", "iq", "Numéro de passeport"),
        Identifier("national_id", "166-04-5565", "us", "National Identification Number",
                   "Social security number"),
        Identifier("other", "A-77", None, "Birth certificate",
                   "Certificate of Iraqi Nationality"),
    ]


@pytest.mark.parametrize(("label", "expected"), [
    ("Passport", "passport"), ("Numéro de passeport ", "passport"),
    ("Número de pasaporte", "passport"), ("National Identification Number", "national_id"),
    ("National Identification\n                Number", "national_id"),
    ("Numéro d'identification nationale", "national_id"),
    ("National identification no.", "national_id"), ("Birth certificate", "other"),
    (None, "other"),
])
def test_document_type(label: str | None, expected: str) -> None:
    assert document_type(label) == expected


def test_entity_aliases(small: bytes) -> None:
    org = _parse(small)[1][1]
    assert org.names == [Name("NORTHERN STAR TRADING COMPANY", "primary"),
                         Name("Северная звезда", "alias", script="Cyrillic"),
                         Name("North Star Co.", "alias"),
                         Name("Pukkuksong Trading", "previous")]
    assert org.addresses[0].country == "kp"
    assert org.remarks == [] and org.birth_dates == []


def test_content_ignores_generation_stamps(small: bytes) -> None:
    """dateGenerated, VERSIONNUM and SORT_KEY change without content changes."""
    changed = (small.replace(b"2026-01-15T23:00:09.174Z", b"2026-01-16T23:00:00.000Z")
               .replace(b"<VERSIONNUM>3</VERSIONNUM>", b"<VERSIONNUM>4</VERSIONNUM>")
               .replace(b"<SORT_KEY>YASIN</SORT_KEY>", b"<SORT_KEY>Z</SORT_KEY>"))
    assert changed != small
    before, after = _parse(small)[1], _parse(changed)[1]
    assert [e.content_hash() for e in before] == [e.content_hash() for e in after]


def test_truncated_xml_reports_line(small: bytes) -> None:
    with pytest.raises(ParseError) as info:
        _parse(small[: len(small) // 2], "cut.xml")
    assert info.value.file == "cut.xml"
    assert info.value.line is not None and info.value.line > 1
    assert f"line {info.value.line}" in str(info.value)


def test_dtd_refused(small: bytes) -> None:
    evil = small.replace(b"<CONSOLIDATED_LIST", b"<!DOCTYPE x [<!ENTITY a 'b'>]>\n"
                         b"<CONSOLIDATED_LIST", 1)
    with pytest.raises(UnsafeInputError):
        _parse(evil)


def test_record_without_dataid(small: bytes) -> None:
    with pytest.raises(ParseError, match="DATAID"):
        _parse(small.replace(b"<DATAID>2000002</DATAID>", b""))


def _head(path: Path) -> bytes:
    return path.read_bytes()[:65536].removeprefix(codecs.BOM_UTF8)


def test_sniff_only_claims_un(shared_lists: Path, own_fixtures: Path) -> None:
    files = [p for p in sorted(shared_lists.rglob("*")) if p.is_file()]
    files += sorted((own_fixtures / "eu_fsf").iterdir()) + sorted(
        (own_fixtures / "uk_fcdo").iterdir())
    claimed = {p.name for p in files if PARSER.sniff(_head(p), p.name)}
    assert claimed == set(REAL_COUNTS)
    error_page = shared_lists / "ofac_sdn_xml" / "bad_download_s3_NoSuchKey_error.xml"
    assert not PARSER.sniff(_head(error_page), "consolidated.xml")
    assert PARSER.sniff(_head(own_fixtures / "un" / "un_small.xml"), "renamed.bin")


@pytest.mark.parametrize("name", sorted(REAL_COUNTS))
def test_real_counts(shared_lists: Path, name: str) -> None:
    meta = ListMeta(file_name=name)
    entities = list(PARSER.read(shared_lists / "un" / name, meta))
    people = sum(e.schema == "Person" for e in entities)
    assert (people, len(entities) - people) == REAL_COUNTS[name]
    assert meta.published == name.removeprefix("un_consolidated_").removesuffix(".xml")
    assert len({e.id for e in entities}) == len(entities)


def test_real_regeneration_is_identical(shared_lists: Path) -> None:
    """The 2025-11-18 and 2025-11-20 files differ only in dateGenerated."""
    first = list(PARSER.read(shared_lists / "un" / "un_consolidated_2025-11-18.xml",
                             ListMeta("a.xml")))
    second = list(PARSER.read(shared_lists / "un" / "un_consolidated_2025-11-20.xml",
                              ListMeta("b.xml")))
    assert len(first) == len(second) == 1000
    assert [(e.id, e.content_hash()) for e in first] == [
        (e.id, e.content_hash()) for e in second]


def test_real_spot_check(shared_lists: Path) -> None:
    path = shared_lists / "un" / "un_consolidated_2026-02-27.xml"
    entity = next(e for e in PARSER.read(path, ListMeta(path.name)) if e.id == "un-6907995")
    assert entity.names == [
        Name("GASTON IYAMUREMYE", "primary",
             parts=(("firstName", "GASTON"), ("secondName", "IYAMUREMYE"))),
        Name("Rumuli", "weak"), Name("Byiringiro Victor Rumuli", "alias"),
        Name("Victor Rumuri", "alias"), Name("Michel Byiringiro", "alias")]
    assert entity.birth_dates == [DateSpec("1948")]
    assert entity.birth_places == ["Musanze District, Northern Province, Rwanda",
                                   "Ruhengeri, Rwanda"]
    assert entity.nationalities == ["rw"]
    assert entity.positions == ["FDLR Interim President", "FDLR-FOCA 1st Vice-President",
                                "FDLR-FOCA Major General"]
    assert entity.addresses == [Address(
        "North Kivu Province, Democratic Republic of the Congo", region="North Kivu Province",
        country="cd")]
    assert (entity.programmes, entity.listed_on) == (["DRC"], "2010-12-01")
    assert entity.properties["unReference"] == ["CDi.003"]
