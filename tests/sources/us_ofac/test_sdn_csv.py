"""OFAC legacy CSV sets: the hand-written fixture set, the real files, and the failure cases."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Link, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.us_ofac.sdn_csv import PARSER, programmes


def _read(path: Path) -> tuple[dict[str, Entity], ListMeta]:
    meta = ListMeta(path.name)
    return {e.authority_id: e for e in PARSER.read(path, meta)}, meta


@pytest.fixture
def fixture_set(own_fixtures: Path) -> tuple[dict[str, Entity], ListMeta]:
    return _read(own_fixtures / "ofac_csv" / "sdn.csv")


def test_fixture_meta_and_ids(fixture_set: tuple[dict[str, Entity], ListMeta]) -> None:
    entities, meta = fixture_set
    assert list(entities) == ["101", "102", "103", "104", "105"]
    assert (meta.format, meta.authority, meta.dataset, meta.published) == (
        "ofac_csv", "OFAC", "us_ofac_sdn", None)
    assert entities["101"].id == "ofac-101"
    assert {e.schema for e in entities.values()} == {"Person", "Vessel", "Organization",
                                                     "Airplane"}


def test_individual_with_side_files(fixture_set: tuple[dict[str, Entity], ListMeta]) -> None:
    person = fixture_set[0]["101"]
    assert person.names == [
        Name("John Michael DOE", "primary", parts=(("firstName", "John Michael"),
                                                   ("lastName", "DOE"))),
        Name("Jon DOE", "alias", parts=(("firstName", "Jon"), ("lastName", "DOE"))),
        Name("JD", "weak"),
        Name("JOHNNY THE TALL", "weak"),
    ]
    assert person.programmes == ["SDGT", "IRAN-EO13876"]
    assert person.birth_dates == [DateSpec("1962", "1964"), DateSpec("1957", None, True),
                                  DateSpec("1963-07-28")]
    assert person.nationalities == ["ir"] and person.citizenships == ["ir"]
    assert person.genders == ["male"]
    assert person.identifiers == [Identifier("passport", "P0017003", "bz", "Passport")]
    assert person.addresses == [Address("12 Example Street, Tehran, Iran",
                                        street="12 Example Street", city="Tehran",
                                        country="ir")]
    assert person.countries == ["ir"]
    assert person.links == [Link("Linked To", "EXAMPLE TRADING CO. LTD.")]


def test_vessel_columns(fixture_set: tuple[dict[str, Entity], ListMeta]) -> None:
    vessel = fixture_set[0]["102"]
    assert vessel.schema == "Vessel"
    assert vessel.properties == {
        "callSign": ["9HA1234"], "vesselType": ["Crude Oil Tanker"], "tonnage": ["150,000"],
        "grossRegisteredTonnage": ["80,000"], "owner": ["EXAMPLE SHIPPING LTD"],
        "flag": ["mt"],
    }
    assert vessel.identifiers[0] == Identifier("imo", "9123456", None,
                                               "Vessel Registration Identification IMO")
    assert vessel.addresses == []  # the all-null add.csv row is skipped


def test_truncated_remark_continues_in_comments(
        fixture_set: tuple[dict[str, Entity], ListMeta]) -> None:
    org = fixture_set[0]["103"]
    assert org.schema == "Organization"
    (remark,) = org.remarks
    assert remark.endswith("; Linked To: PROMO RAIZ S.A.S.; SWIFT/BIC EXAMTRIS.")
    assert org.links[-1] == Link("Linked To", "PROMO RAIZ S.A.S.")
    assert Identifier("swift_bic", "EXAMTRIS", None, "SWIFT/BIC") in org.identifiers
    # ALT.CSV is upper case: side files are matched case-insensitively
    assert Name("OLD EXAMPLE HOLDING", "previous") in org.names
    assert Name("NEW EXAMPLE HOLDING", "alias") in org.names


def test_cp1252_line_and_ctrl_z(fixture_set: tuple[dict[str, Entity], ListMeta]) -> None:
    org = fixture_set[0]["105"]
    assert org.caption == "CAFÉ EXAMPLE TRADING"
    assert org.names[1] == Name("OLD CAFÉ", "previous")
    assert org.identifiers == [Identifier("crypto", "1ExampleAddr9zz", None,
                                          "Digital Currency Address - XBT")]


def test_parse_main_file_alone(own_fixtures: Path) -> None:
    data = b"\xef\xbb\xbf" + (own_fixtures / "ofac_csv" / "sdn.csv").read_bytes()
    meta = ListMeta("cons_prim.csv")
    entities = list(PARSER.parse(io.BytesIO(data), meta))
    assert meta.dataset == "us_ofac_cons"
    assert len(entities) == 5
    assert entities[0].addresses == [] and [n.kind for n in entities[0].names] == [
        "primary", "weak", "weak"]
    assert entities[2].remarks[0].endswith("Linked To: PROMO RAI")


def test_programmes_split() -> None:
    assert programmes("NPWMD] [IFSR] [IRAN-CON-ARMS-EO") == ["NPWMD", "IFSR", "IRAN-CON-ARMS-EO"]
    assert programmes(None) == []


def test_sniff(own_fixtures: Path) -> None:
    head = (own_fixtures / "ofac_csv" / "sdn.csv").read_bytes()
    assert PARSER.sniff(head, "sdn.csv")
    assert PARSER.sniff(head, "whatever.txt")
    assert not PARSER.sniff(b"", "sdn.csv")
    assert not PARSER.sniff(b'<?xml version="1.0"?><sdnList/>', "sdn.csv")
    assert not PARSER.sniff((own_fixtures / "ofsi_csv" / "conlist_2014_layout.csv")
                            .read_bytes(), "ConList.csv")
    assert not PARSER.sniff(b'10278,13948,-0- ,-0- ,-0- ,-0- \r\n', "add.csv")


def test_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match="the file is empty"):
        list(PARSER.read(path, ListMeta(path.name)))


def test_bad_rows_name_file_line_and_field(tmp_path: Path) -> None:
    good = b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    path = tmp_path / "sdn.csv"
    path.write_bytes(good + b'2,"B",-0- ,"X"\r\n')
    with pytest.raises(ParseError) as info:
        list(PARSER.read(path, ListMeta(path.name)))
    assert (info.value.file, info.value.line, info.value.field) == ("sdn.csv", 2, "row")
    assert "sdn.csv, line 2" in str(info.value)
    path.write_bytes(good + good.replace(b"1,", b"x1,", 1))
    with pytest.raises(ParseError) as info:
        list(PARSER.read(path, ListMeta(path.name)))
    assert (info.value.line, info.value.field) == (2, "ent_num")


def test_bad_side_file_row(tmp_path: Path, own_fixtures: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes((own_fixtures / "ofac_csv" / "sdn.csv").read_bytes())
    (tmp_path / "ADD.CSV").write_bytes(b'101,201,"Street"\r\n')
    with pytest.raises(ParseError) as info:
        list(PARSER.read(tmp_path / "sdn.csv", ListMeta("sdn.csv")))
    assert (info.value.file, info.value.line) == ("ADD.CSV", 1)


# -- the real published files ---------------------------------------------------------------

SDN_COUNTS = {
    "history_jackdwyer/sdn_2024-02-20.csv": 13_931,
    "history_jackdwyer/sdn_2024-02-23.csv": 14_484,
    "history_jackdwyer/sdn_2024-05-02.csv": 14_973,
    "watchman_2019-01/sdn.csv": 7_379,
    "watchman_bench_2021-07/sdn.csv": 8_976,
}


@pytest.mark.parametrize(("name", "count"), SDN_COUNTS.items())
def test_real_sdn_counts(shared_lists: Path, name: str, count: int) -> None:
    entities, meta = _read(shared_lists / "ofac_sdn_csv" / name)
    assert len(entities) == count
    assert meta.dataset == "us_ofac_sdn"


def test_real_sdn_2024_05_03_schemata(shared_lists: Path) -> None:
    entities, _ = _read(shared_lists / "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv")
    assert len(entities) == 14_965
    assert Counter(e.schema for e in entities.values()) == {
        "Person": 6_854, "Organization": 6_884, "Vessel": 851, "Airplane": 376}


def test_real_comment_join_ent_12300(shared_lists: Path) -> None:
    entities, _ = _read(shared_lists / "ofac_sdn_csv/watchman_bench_2021-07/sdn.csv")
    (remark,) = entities["12300"].remarks
    assert "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA" in remark
    assert Link("Linked To", "PROMO RAIZ S.A.S.") in entities["12300"].links


@pytest.mark.parametrize(("name", "count"), [("perchrh_2018-05", 639), ("watchman_2025-12", 442)])
def test_real_cons_prim_counts(shared_lists: Path, name: str, count: int) -> None:
    entities, meta = _read(shared_lists / "ofac_cons_csv" / name / "cons_prim.csv")
    assert len(entities) == count
    assert meta.dataset == "us_ofac_cons"


def test_real_sample_entity(shared_lists: Path) -> None:
    entities, _ = _read(shared_lists / "ofac_sdn_csv/watchman_sample_2025-05/sdn.csv")
    logan = entities["10278"]
    assert logan.caption == "Elvis Angus LOGAN MOREY"
    assert logan.programmes == ["SDNT"]
    assert Name("BURTON BURGESS", "weak") in logan.names


def test_real_empty_download(shared_lists: Path) -> None:
    path = shared_lists / "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-04_EMPTY.csv"
    with pytest.raises(ParseError, match="the file is empty"):
        list(PARSER.read(path, ListMeta(path.name)))
    assert not PARSER.sniff(path.read_bytes(), path.name)
