"""OFSI ConList.csv: both layouts from hand-written fixtures, the real 2014 file, failures."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.gb.ofsi_csv import PARSER
from discreet.sources.gb.ofsi_values import language_code, split_identifiers


def _read(path: Path) -> tuple[dict[str, Entity], ListMeta]:
    meta = ListMeta(path.name)
    return {e.authority_id: e for e in PARSER.read(path, meta)}, meta


def test_2014_layout_cp1252(own_fixtures: Path) -> None:
    entities, meta = _read(own_fixtures / "ofsi_csv" / "conlist_2014_layout.csv")
    assert (meta.format, meta.dataset, meta.authority, meta.published) == (
        "ofsi_csv", "gb_hmt_sanctions", "UK", "2014-04-02")
    assert meta.extra == {"layout": "2014", "rows": "5"}
    assert list(entities) == ["9001", "9002"]
    person = entities["9001"]
    assert (person.id, person.schema) == ("gb-hmt-9001", "Person")
    assert person.names == [
        Name("John Robert SMITH", "primary", parts=(("firstName", "John"),
                                                    ("middleName", "Robert"),
                                                    ("lastName", "SMITH"))),
        Name("Jon SMYTH", "alias", parts=(("firstName", "Jon"), ("lastName", "SMYTH"))),
    ]
    assert person.birth_dates == [DateSpec("1955"), DateSpec("1956-03-12")]
    assert person.birth_places == ["Hamburg, Germany"]
    assert person.nationalities == ["de", "ma"]
    assert person.titles == ["Dr"] and person.positions == ["Director of finance"]
    assert person.identifiers == [
        Identifier("passport", "28642163", "de", "Passport Details",
                   "28642163 (German) issued by the city of Hamburg"),
        Identifier("passport", "954242", "ma", "Passport Details", "954242 (Moroccan)"),
        Identifier("national_id", "3603251708570001", None, "NI Number",
                   "no 3603251708570001"),
    ]
    assert person.addresses == [Address("1 Example Road, Hamburg, 20095, Germany",
                                        street="1 Example Road, Hamburg",
                                        postal_code="20095", country="de")]
    assert person.programmes == ["Al-Qaida"]
    assert person.listed_on == "2003-09-29"
    assert person.remarks == ["Example entry. Father\u2019s name is Example."]  # cp1252 0x92


def test_2014_non_adjacent_group_and_earliest_listing(own_fixtures: Path) -> None:
    entities, _ = _read(own_fixtures / "ofsi_csv" / "conlist_2014_layout.csv")
    org = entities["9002"]
    assert org.schema == "Organization"
    assert org.names == [Name("EXAMPLE TRADING COMPANY", "primary"),
                         Name("OLD EXAMPLE TRADERS", "previous")]
    assert org.listed_on == "2008-06-24"  # the FKA row is listed earlier than the prime row
    assert org.countries == ["ir"]


def test_2022_layout_utf8_bom(own_fixtures: Path) -> None:
    entities, meta = _read(own_fixtures / "ofsi_csv" / "conlist_2022_layout.csv")
    assert meta.published == "2022-03-16" and meta.extra["layout"] == "2022"
    person = entities["7001"]
    assert [(n.value, n.kind, n.script, n.lang) for n in person.names] == [
        ("Ivan Ivanovich IVANOV", "primary", None, None),
        ("Иван Иванович ИВАНОВ", "alias", "Cyrillic", "ru"),
        ("Vanya IVANOFF", "weak", None, None),
        ("Ivan IVANOV", "alias", None, None),
    ]
    assert person.identifiers == [
        Identifier("passport", "123456789", None, "Passport Number", "Russian passport"),
        Identifier("national_id", "770123456789", None, "National Identification Number",
                   "Tax identification number"),
    ]
    assert person.birth_dates == [DateSpec("1970-02-01")]
    assert person.nationalities == ["ru"]
    ship = entities["7002"]
    assert (ship.schema, ship.caption, ship.listed_on) == ("Vessel", "EXAMPLE STAR",
                                                           "2023-05-10")
    assert ship.remarks == ["IMO number 9876543."]


def test_sniff(own_fixtures: Path) -> None:
    for name in ("conlist_2014_layout.csv", "conlist_2022_layout.csv"):
        assert PARSER.sniff((own_fixtures / "ofsi_csv" / name).read_bytes(), "x.csv")
    assert not PARSER.sniff(b"", "ConList.csv")
    assert not PARSER.sniff((own_fixtures / "ofac_csv" / "sdn.csv").read_bytes(), "sdn.csv")
    assert not PARSER.sniff(b"<?xml version='1.0'?><Designations/>", "ConList.csv")


def test_wrong_column_count_names_line(own_fixtures: Path) -> None:
    data = (own_fixtures / "ofsi_csv" / "conlist_2014_layout.csv").read_bytes()
    data += b"ONLY,THREE,COLUMNS\r\n"
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(io.BytesIO(data), ListMeta("ConList.csv")))
    assert (info.value.file, info.value.line) == ("ConList.csv", 8)
    assert "ConList.csv, line 8" in str(info.value)


def test_empty_and_headerless_files() -> None:
    with pytest.raises(ParseError, match="the file is empty"):
        list(PARSER.parse(io.BytesIO(b""), ListMeta("ConList.csv")))
    with pytest.raises(ParseError, match="line 1"):
        list(PARSER.parse(io.BytesIO(b"Name 6,Group ID\r\n"), ListMeta("ConList.csv")))


def test_value_helpers() -> None:
    # Passport Details of the real 2014 file
    found = split_identifiers("(1) OR801168 (Afghan). Issued on 28 Feb 2006. (2) 4117921 "
                              "(Pakistani). Issued on 9 Sept 2008.", "passport", "Passport")
    assert [(i.value, i.country) for i in found] == [("OR801168", "af"), ("4117921", "pk")]
    assert language_code("Russian") == "ru"
    assert language_code("Klingonese") is None


def test_real_2014_file(shared_lists: Path) -> None:
    entities, meta = _read(shared_lists / "uk_ofsi_conlist" / "sanctionsconlist_2014-04-02.csv")
    assert len(entities) == 2_297
    assert meta.extra["rows"] == "8950"
    assert meta.published == "2014-04-02"
    assert Counter(e.schema for e in entities.values()) == {"Person": 1_337,
                                                            "Organization": 960}
    assert all(sum(n.kind == "primary" for n in e.names) == 1 for e in entities.values())
    academy = entities["12871"]
    assert academy.caption == "SECOND ACADEMY OF NATURAL SCIENCES"
    assert "DPRK\u2019s advanced weapons systems" in academy.remarks[0]
