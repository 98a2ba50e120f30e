"""A firm's own CSV watchlist: mapping, encodings, delimiters, stable ids, strict values."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from discreet.errors import ConfigError, ParseError, UnknownFormatError
from discreet.model import DateSpec, Entity, Identifier
from discreet.sources import detect, open_list
from discreet.sources.common.base import ListMeta
from discreet.sources.customer.watchlist_csv import PARSER, parse_mapping

MAPPING = ("id=Ref,name=Nom complet,alias=Autre nom,birth_date=Né le,country=Pays,"
           "schema=Type,remarks=Motif")


def _parse(text: str, mapping: str = "", name: str = "clients.csv",
           encoding: str = "utf-8") -> tuple[ListMeta, list[Entity]]:
    meta = ListMeta(file_name=name, extra={"mapping": mapping} if mapping else {})
    return meta, list(PARSER.parse(io.BytesIO(text.encode(encoding)), meta))


def test_cp1252_semicolon_file_with_mapping(own_fixtures: Path) -> None:
    path = own_fixtures / "watchlist" / "internal_cp1252.csv"
    meta, stream = open_list(path, "csv", {"mapping": MAPPING})
    entities = list(stream)
    assert (meta.format, meta.authority, meta.dataset) == ("csv", "internal", "internal_cp1252")
    jose, societe, anna = entities
    assert jose.id == "internal_cp1252-C-001" and jose.authority_id == "C-001"
    assert jose.caption == "José María Gómez"
    assert [(n.value, n.kind) for n in jose.names][1] == ("Pepe Gómez", "alias")
    assert jose.birth_dates == [DateSpec("1965-11-03")]
    assert jose.countries == ["es"] and jose.schema == "Person"
    assert jose.remarks == ["Fraude – refus"]
    assert societe.schema == "Company" and societe.countries == ["fr"]
    assert anna.birth_dates == [DateSpec("1980")] and anna.id.startswith("internal_cp1252-")
    assert meta.record_count == 3


def test_never_sniffed(own_fixtures: Path) -> None:
    assert not PARSER.sniff(b"id,name\n1,A\n", "list.csv")


def test_header_variants_without_mapping() -> None:
    text = ("ID\tFull Name\tDOB\tCountry\tPassport Number\tGender\tAliases\n"
            "7\tJohn Smith\t1961-02-03\tUnited Kingdom\tP123\tM\tJack Smith; J. Smith\n")
    _, [john] = _parse(text)
    assert john.id == "clients-7"
    assert john.birth_dates == [DateSpec("1961-02-03")]
    assert john.countries == ["gb"] and john.genders == ["male"]
    assert john.identifiers == [Identifier("passport", "P123")]
    assert [n.value for n in john.names if n.kind == "alias"] == ["Jack Smith", "J. Smith"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(delimiter: str) -> None:
    _, [entity] = _parse(delimiter.join(["name", "country"]) + "\n"
                         + delimiter.join(["Ali Hassan", "IQ"]) + "\n")
    assert entity.caption == "Ali Hassan" and entity.countries == ["iq"]


def test_utf8_bom_and_repeated_alias_columns() -> None:
    text = "\ufeffName,AKA 1,AKA 2,Type\nOcean Star,Star,,vessel\n"
    _, [ship] = _parse(text, "name=Name,alias=AKA 1,alias=AKA 2,schema=Type")
    assert ship.schema == "Vessel" and [n.value for n in ship.names] == ["Ocean Star", "Star"]


def test_derived_id_is_stable_and_ignores_row_order() -> None:
    one = _parse("name,dob\nAnna  Schmidt,1980\nBob Jones,\n")[1]
    two = _parse("name,dob\nbob jones,\nANNA SCHMIDT,1980\n")[1]
    assert {e.id for e in one} == {e.id for e in two}
    assert len({e.id for e in one}) == 2
    assert all(len(e.id.split("-", 1)[1]) == 16 for e in one)


def test_dataset_from_meta_wins() -> None:
    meta = ListMeta(file_name="x.csv", dataset="refused_clients")
    [entity] = PARSER.parse(io.BytesIO(b"id,name\n1,A B\n"), meta)
    assert entity.source == "refused_clients" and entity.id == "refused_clients-1"


def test_other_fields() -> None:
    text = ("name,id_number,program,listed_on,nationality,address,remarks,schema\n"
            "X Corp,REG-1,Fraud;AML,05/06/2021,Iran,\"1 Road, Town\",\"a; b\",Organisation\n")
    _, [corp] = _parse(text)
    assert corp.schema == "Organization"
    assert corp.identifiers == [Identifier("national_id", "REG-1")]
    assert corp.programmes == ["Fraud", "AML"] and corp.listed_on == "2021-06-05"
    assert corp.nationalities == ["ir"] and corp.addresses[0].full == "1 Road, Town"
    assert corp.remarks == ["a; b"]


@pytest.mark.parametrize(("text", "line", "field"), [
    ("id,name\n1,A\n2,\n", 3, "name"),
    ("id,name,dob\n1,A,31/31/1999\n", 2, "birth_date"),
    ("id,name,dob\n1,A,yesterday\n", 2, "birth_date"),
    ("id,name,country\n1,A,Atlantis\n", 2, "country"),
    ("id,name,type\n1,A,spaceship\n", 2, "schema"),
    ("id,name,gender\n1,A,robot\n", 2, "gender"),
    ("id,surname\n1,A\n", 1, "name"),
])
def test_errors_name_file_line_and_field(text: str, line: int, field: str) -> None:
    with pytest.raises(ParseError) as info:
        _parse(text)
    assert (info.value.file, info.value.line, info.value.field) == ("clients.csv", line, field)


def test_mapping_errors() -> None:
    with pytest.raises(ParseError, match=r"'Nom' .* not in the header") as info:
        _parse("name\nA\n", "name=Nom")
    assert info.value.field == "name"
    with pytest.raises(ConfigError, match="colour"):
        parse_mapping("name=Name,colour=Colour")
    assert parse_mapping(" name = Full Name , alias=A ") == [("name", "Full Name"), ("alias", "A")]


def test_auto_detection_never_picks_csv(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("id,name,country\n1,A,de\n")
    with pytest.raises(UnknownFormatError):
        detect(path)


def test_same_entry_twice_is_refused() -> None:
    with pytest.raises(ParseError, match="same id as line 2") as info:
        _parse("name,dob\nAnna Schmidt,1980\nx,\nANNA  schmidt,1980\n")
    assert (info.value.line, info.value.field) == (4, "id")


def test_binary_file_is_a_parse_error() -> None:
    meta = ListMeta(file_name="list.xlsx")
    with pytest.raises(ParseError, match="NUL bytes"):
        list(PARSER.parse(io.BytesIO(b"PK\x03\x04\x00\x00name"), meta))


@pytest.mark.parametrize("notes", ["Seen in Paris, Lyon, Nice, Lille", "a, b, c\nd, e",
                                   "Rue X, 10, Paris"])
def test_narrow_list_with_commas_in_multiline_notes_loads(notes: str) -> None:
    """A 3-column list whose quoted notes carry a line with several commas: free text,
    not rows swallowed by an unbalanced quote."""
    _, entities = _parse(f'id,name,remarks\nw1,Anna Berg,"First line\n{notes}"\n'
                         "w2,Omar Haddad,\n")
    assert [e.caption for e in entities] == ["Anna Berg", "Omar Haddad"]


def test_narrow_list_with_swallowed_rows_is_refused() -> None:
    with pytest.raises(ParseError, match="rows of their own") as caught:
        _parse('id,name,remarks\nw1,Anna Berg,"open\nw2,Omar Haddad,x\nw3,Li Wei,y"\n')
    assert caught.value.line == 2


def test_short_rows_are_padded_but_a_short_last_row_is_truncation() -> None:
    """Trailing values left out (as spreadsheets write them) read as empty, as in customer
    files; only a short last record means the file was cut."""
    _, entities = _parse("id,name,country,remarks\nw1,Anna Berg\nw2,Omar Haddad,ir\n"
                         "w3,Li Wei,cn,note\n")
    assert [(e.caption, e.countries) for e in entities] == [
        ("Anna Berg", []), ("Omar Haddad", ["ir"]), ("Li Wei", ["cn"])]
    with pytest.raises(ParseError, match="truncated") as caught:
        _parse("id,name,country,remarks\nw1,Anna Berg,de,x\nw2,Omar Haddad\n")
    assert caught.value.line == 3


def test_missing_last_line_break_is_said_once() -> None:
    meta, entities = _parse("id,name\nw1,Anna Berg\nw2,Omar Haddad")
    assert [e.caption for e in entities] == ["Anna Berg", "Omar Haddad"]
    assert meta.warnings == ["clients.csv: the file ends without a line break; if it was "
                             "cut off, the last row (line 3) may be incomplete"]
    assert _parse("id,name\nw1,Anna Berg\n")[0].warnings == []
