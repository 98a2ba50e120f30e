"""UK Sanctions List (FCDO) CSV parser."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from discreet.errors import ParseError
from discreet.model import DateSpec, Entity, Name
from discreet.sources.common.base import ListMeta
from discreet.sources.gb.fcdo_csv import PARSER, report_date
from discreet.sources.gb.fcdo_xml import PARSER as XML_PARSER


def _parse(data: bytes, name: str = "uk.csv") -> tuple[ListMeta, list[Entity]]:
    meta = ListMeta(file_name=name)
    return meta, list(PARSER.parse(io.BytesIO(data), meta))


@pytest.fixture
def small(own_fixtures: Path) -> bytes:
    return (own_fixtures / "uk_fcdo" / "uk_small.csv").read_bytes()


def test_fixture_has_published_header(small: bytes) -> None:
    assert small.startswith(codecs.BOM_UTF8)
    header = small.decode("utf-8-sig").splitlines()[1].split(",")
    assert header[:5] == ["Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number",
                          "Name 6"]
    assert header[-1] == "Hull identification number (HIN)"


def test_meta_and_grouping_of_non_adjacent_rows(small: bytes) -> None:
    meta, entities = _parse(small)
    assert (meta.format, meta.dataset, meta.authority, meta.published) == (
        "uk_fcdo_csv", "gb_fcdo_sanctions", "UK", "2026-02-03")
    assert meta.record_count == 3
    assert [(e.id, e.schema) for e in entities] == [
        ("gb-fcdo-RUS9001", "Person"), ("gb-fcdo-RUS9002", "Vessel"),
        ("gb-fcdo-RUS9003", "Organization")]
    person = entities[0]
    assert person.names == [
        Name("Ivan Petrovich SIDOROV", "primary", parts=(
            ("firstName", "Ivan"), ("middleName", "Petrovich"), ("lastName", "SIDOROV"))),
        Name("Ivan Sidorov", "alias", parts=(("firstName", "Ivan"), ("lastName", "Sidorov"))),
        Name("Vanya", "weak"),
        Name("Иван Петрович Сидоров", "alias", script="Cyrillic"),
    ]
    assert person.birth_dates == [DateSpec("1970"), DateSpec("1965-05"),
                                  DateSpec("1966-07-21"), DateSpec("1967")]
    assert [(i.type, i.value) for i in person.identifiers] == [
        ("passport", "751234567"), ("national_id", "770012345678")]


def test_same_content_as_xml_edition(small: bytes, own_fixtures: Path) -> None:
    """The fixture states the same designations as uk_small.xml; the shared mapping
    must give identical entities apart from name order (CSV rows interleave them)."""
    xml_path = own_fixtures / "uk_fcdo" / "uk_small.xml"
    from_xml = list(XML_PARSER.read(xml_path, ListMeta(xml_path.name)))
    for csv_entity, xml_entity in zip(_parse(small)[1], from_xml, strict=True):
        csv_entity.names.sort(key=lambda n: (n.kind, n.value))
        xml_entity.names.sort(key=lambda n: (n.kind, n.value))
        assert csv_entity.to_dict() == xml_entity.to_dict()


def test_ship_row_fields(small: bytes) -> None:
    ship = _parse(small)[1][1]
    assert [(i.type, i.value) for i in ship.identifiers] == [("imo", "9123456")]
    assert ship.properties["flag"] == ["pa"]
    assert [n.value for n in ship.names] == ["OCEAN EXAMPLE", "SEA EXAMPLE"]


def test_without_bom_and_cp1252(small: bytes) -> None:
    plain = small.removeprefix(codecs.BOM_UTF8)
    assert [e.content_hash() for e in _parse(plain)[1]] == [
        e.content_hash() for e in _parse(small)[1]]
    text = plain.decode("utf-8").replace("Иван Петрович Сидоров", "")
    legacy = text.replace("Test person.", "Test person’s note.").encode("cp1252")
    person = _parse(legacy)[1][0]
    assert person.remarks[0] == "Test person’s note."


def test_wrong_column_count_names_line(small: bytes) -> None:
    """The line is where the bad row starts, counting the quoted newlines before it."""
    records = small.decode("utf-8-sig").split("\r\n")
    assert "\n" in records[2]  # row 1 spans file lines 3-4; the ship row is on line 5
    records[3] = records[3] + ",extra"
    with pytest.raises(ParseError) as info:
        _parse("\r\n".join(records).encode("utf-8"), "bad.csv")
    assert info.value.file == "bad.csv"
    assert info.value.line == 5
    assert "expected 58 columns, found 59" in str(info.value) and "line 5" in str(info.value)


def test_header_without_unique_id(small: bytes) -> None:
    data = small.replace(b"Unique ID", b"Identifier", 1)
    with pytest.raises(ParseError, match="unique id"):
        _parse(data)


def test_empty_file() -> None:
    with pytest.raises(ParseError, match="empty"):
        _parse(b"")


@pytest.mark.parametrize(("line", "iso"), [
    ("Report Date: 13-Feb-2026", "2026-02-13"), ("report date: 1-jan-2025,,,", "2025-01-01"),
    ("Report Date: 13/02/2026", None), ("Last Updated,13/02/2026", None)])
def test_report_date(line: str, iso: str | None) -> None:
    assert report_date(line) == iso


def _head(path: Path) -> bytes:
    return path.read_bytes()[:65536].removeprefix(codecs.BOM_UTF8)


def test_sniff(shared_lists: Path, own_fixtures: Path, small: bytes) -> None:
    files = [p for p in sorted(shared_lists.rglob("*")) if p.is_file()]
    files += [p for d in ("un", "eu_fsf", "uk_fcdo") for p in (own_fixtures / d).iterdir()]
    claimed = {p.name for p in files if PARSER.sniff(_head(p), p.name)}
    assert claimed == {"uk_small.csv"}
    assert PARSER.sniff(small, "whatever.txt")  # BOM tolerated even when not stripped
