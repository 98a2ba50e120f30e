"""Hostile and damaged input, every format: cut files, merged rows, wrong types, huge values.

Each refusal must be one ParseError line naming the file (and the line or field where known);
each accepted oddity must be a counted warning. Small files are built here or mutated from
the project's fixtures; mutations of the real published files skip without ../shared.
"""

from __future__ import annotations

import codecs
import re
import shutil
import time
from pathlib import Path

import pytest

from discreet.errors import DiscreetError, ParseError, UnsafeInputError
from discreet.lists.load import read_list
from discreet.model import Entity
from discreet.sources import ListMeta, open_list
from discreet.sources.common.guard import MAX_FIELD_CHARS, MAX_NAME_CHARS, garbled, one_line
from discreet.sources.common.xml_safe import declares_dtd
from discreet.text.scripts import detect_script
from tests.conftest import OWN_FIXTURES, require_shared

OFAC_SET = ("sdn.csv", "add.csv", "ALT.CSV", "sdn_comments.csv")
XML_FIXTURES = {  # format -> (own fixture, an element whose text may hold anything)
    "un_xml": ("un/un_small.xml", "COMMENTS1"),
    "eu_fsf": ("eu_fsf/eu_small.xml", "remark"),
    "uk_fcdo_xml": ("uk_fcdo/uk_small.xml", "OtherInformation"),
    "ofac_xml": ("ofac_xml/sdn_sample.xml", "remarks"),
    "ofac_enhanced": ("ofac_enhanced/sdn_enhanced_sample.xml", "remarks"),
    "ca_sema_xml": ("ca/sema_small.xml", "Aliases"),
}


def load(path: Path, fmt: str = "auto") -> tuple[ListMeta, list[Entity]]:
    """Parse through ``open_list`` (the load path, guard included) to the end."""
    meta, entities = open_list(path, fmt)
    return meta, list(entities)


def refused(path: Path, fmt: str = "auto") -> ParseError:
    """The ParseError the file is refused with; its message must be one short line."""
    with pytest.raises(ParseError) as info:
        load(path, fmt)
    said = str(info.value)
    assert "\n" not in said and "\r" not in said and len(said) < 400, said
    assert path.name in said, said
    return info.value


def ofac_set(tmp_path: Path, **replace: bytes) -> Path:
    """A copy of the own OFAC CSV set, with some files' bytes replaced; the main file."""
    for name in OFAC_SET:
        data = replace.get(name, (OWN_FIXTURES / "ofac_csv" / name).read_bytes())
        (tmp_path / name).write_bytes(data)
    return tmp_path / "sdn.csv"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def own(name: str) -> bytes:
    return (OWN_FIXTURES / name).read_bytes()


# -- 2. truncated files -------------------------------------------------------------------

def _cut_inside_quoted(data: bytes, occurrence: int = -1) -> bytes:
    """``data`` cut a few characters after the opening quote of a field."""
    starts = [m.end() for m in re.finditer(rb'(?:^|,)"', data, re.M)]
    return data[: starts[occurrence] + 4]


@pytest.mark.parametrize("name", OFAC_SET)
def test_ofac_set_file_cut_inside_a_quoted_field(tmp_path: Path, name: str) -> None:
    data = own(f"ofac_csv/{name}")
    main = ofac_set(tmp_path, **{name: _cut_inside_quoted(data)})
    error = refused(main) if name == "sdn.csv" else refused_side(main, name)
    assert "truncated" in str(error)


def refused_side(main: Path, side: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        load(main)
    assert side in str(info.value) and "\n" not in str(info.value)
    return info.value


def test_ofac_cut_mid_record_between_fields(tmp_path: Path) -> None:
    data = own("ofac_csv/sdn.csv")
    last_record = data.rstrip(b"\r\n\x1a").rfind(b"\n") + 1
    cut = data[: data.index(b",", last_record + 40) + 1]  # ends just after a comma
    error = refused(ofac_set(tmp_path, **{"sdn.csv": cut}))
    assert "truncated" in str(error) and error.line is not None


@pytest.mark.parametrize("tail", [b"\r", b""])
def test_crlf_ofac_file_missing_its_last_line_break(tmp_path: Path, tail: bytes) -> None:
    """A CRLF file cut right after a complete record (before its CRLF) is truncated."""
    data = own("ofac_csv/sdn.csv").rstrip(b"\x1a").rstrip(b"\r\n") + tail
    assert "truncated" in str(refused(ofac_set(tmp_path, **{"sdn.csv": data})))


def test_ofac_lf_copy_without_final_newline_still_loads(tmp_path: Path) -> None:
    """Copies normalised to LF sometimes lack the last newline; a complete record loads."""
    lf = own("ofac_csv/sdn.csv").replace(b"\r\n", b"\n").rstrip(b"\x1a").rstrip(b"\n")
    add = own("ofac_csv/add.csv").replace(b"\r\n", b"\n").rstrip(b"\x1a").rstrip(b"\n")
    assert add.endswith((b"-0- ", b'"'))
    whole = len(load(ofac_set(tmp_path))[1])
    meta, entities = load(ofac_set(tmp_path, **{"sdn.csv": lf, "add.csv": add.rstrip(b" ")}))
    assert len(entities) == whole
    assert sorted(w.split(":")[0] for w in meta.warnings) == ["add.csv", "sdn.csv"]
    assert all("without a line break" in w for w in meta.warnings)


WATCHLIST = b"id,name,country\n1,Alpha One,DE\n2,Beta Two,FR\n3,Gamma Three,IT\n4,Delta Four,ES\n"
CSV_FILES = [  # (file name, bytes, format)
    ("ConList.csv", "ofsi_csv/conlist_2022_layout.csv", "auto"),
    ("ConList2014.csv", "ofsi_csv/conlist_2014_layout.csv", "auto"),
    ("uk.csv", "uk_fcdo/uk_small.csv", "auto"),
    ("wl.csv", "", "csv"),
]


def csv_bytes(fixture: str) -> bytes:
    return own(fixture) if fixture else WATCHLIST.replace(b"\n", b"\r\n")


@pytest.mark.parametrize(("name", "fixture", "fmt"), CSV_FILES)
def test_grouped_csv_cut_inside_a_quoted_field(tmp_path: Path, name: str, fixture: str,
                                               fmt: str) -> None:
    data = csv_bytes(fixture).rstrip(b"\r\n")
    at = data.index(b",", data.rfind(b"\n") + 1) + 1  # the last row's second field
    cut = data[:at] + b'"' + data[at:at + 3]
    error = refused(write(tmp_path, name, cut), fmt)
    assert "ends inside a quoted field" in str(error)
    assert error.line is not None and error.line >= 3


@pytest.mark.parametrize(("name", "fixture", "fmt"), CSV_FILES)
def test_last_row_short_of_columns_is_truncated(tmp_path: Path, name: str, fixture: str,
                                                fmt: str) -> None:
    data = csv_bytes(fixture).rstrip(b"\r\n")
    cut = data[: data.rindex(b",", 0, len(data) - 1)]
    error = refused(write(tmp_path, name, cut), fmt)
    assert "truncated" in str(error) and error.field == "row"


def test_grouped_csv_without_last_line_break_loads_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "uk.csv", own("uk_fcdo/uk_small.csv").rstrip(b"\r\n"))
    meta, entities = load(path)
    assert entities and any("without a line break" in w for w in meta.warnings)


def test_ftm_last_line_cut(tmp_path: Path) -> None:
    data = own("ftm/entities.ftm.json")
    cut = data[: data.rstrip().rfind(b"\n") + 30]
    error = refused(write(tmp_path, "cut.ftm.json", cut))
    assert "truncated" in str(error) and error.line == data.count(b"\n")


def test_ftm_complete_last_line_without_newline_warns(tmp_path: Path) -> None:
    meta, entities = load(write(tmp_path, "e.ftm.json", own("ftm/entities.ftm.json").rstrip()))
    assert entities and any("without a line break" in w for w in meta.warnings)


def test_random_cuts_of_the_ofac_set_never_load_silently(tmp_path: Path) -> None:
    """Every cut not at a record boundary is refused (sampled offsets, all files of the set)."""
    for name in OFAC_SET:
        data = own(f"ofac_csv/{name}")
        for cut in range(7, len(data) - 3, max(1, len(data) // 23)):
            piece = data[:cut]
            main = ofac_set(tmp_path, **{name: piece})
            try:
                load(main)
            except DiscreetError as exc:
                assert "\n" not in str(exc)
                continue
            # Cut at a record boundary, or inside the first record's null marker (no line
            # break yet to show CRLF; the LF copies of 2019 end like that): nothing to see.
            first_record = b"\n" not in piece
            assert piece.endswith(b"\n") or (first_record and piece.endswith((b"-0", b"-0-"))), \
                f"{name} cut at {cut} loaded: {piece[-20:]!r}"


REAL_STILL_LOADING = [
    "lists/ofac_sdn_csv/watchman_2019-01/sdn.csv",  # LF, no final newline, add.csv ends "-0"
    "lists/ofac_cons_csv/watchman_2025-12/cons_prim.csv",  # CRLF and ^Z
    "lists/ofac_sdn_csv/watchman_sample_2025-05/sdn.csv",  # CRLF without ^Z
    "lists/uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv",  # cp1252, no final newline
    "archive/opensanctions_ftm/parteispenden_entities.ftm.json",
    "archive/opensanctions_ftm/localrun_wd_persons_entities.ftm.json",
    "lists/eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
]


@pytest.mark.parametrize("relative", REAL_STILL_LOADING)
def test_real_files_at_their_edges_still_load(relative: str) -> None:
    path = require_shared().parent / relative
    meta, entities = load(path)
    assert len(entities) > 0
    assert all("garbled" not in w and "no name" not in w for w in meta.warnings)


def test_real_sdn_cut_inside_remarks_is_refused(tmp_path: Path) -> None:
    real = require_shared() / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-03.csv"
    data = real.read_bytes()
    at = data.index(b'"DOB', len(data) // 3) + 40
    path = write(tmp_path, "sdn.csv", data[:at])
    error = refused(path)
    assert "truncated" in str(error) and error.line is not None and error.line > 1000


# -- 3. row structure ---------------------------------------------------------------------


@pytest.mark.parametrize(("data", "line", "said"), [
    (WATCHLIST.replace(b"2,Beta", b'2,"Beta'), 3, "never closed"),
    (WATCHLIST.replace(b"3,Gamma Three", b'3,"Gamma Three'), 4, "never closed"),
    (WATCHLIST.replace(b"2,Beta Two,FR", b"2,Beta Two,FR,extra"), 3, "expected 3 columns"),
    (WATCHLIST.replace(b"4,Delta Four,ES", b"4,Delta Four"), 5, "truncated"),
    (WATCHLIST.replace(b"2,Beta Two,FR", b'2,Beta Two,"FR').replace(b"4,Delta Four,ES",
                                                                     b'4,Delta Four,ES"'),
     3, "rows of their own"),
    (b"a;b;c;d;e;name\n" + b'1;2;3;4;"5;Ann\n' + b"6;7;8;9;10;Bob\n" + b'11;12;13;14;15";Cy\n',
     2, "rows of their own"),
])
def test_watchlist_row_structure_errors(tmp_path: Path, data: bytes, line: int,
                                        said: str) -> None:
    error = refused(write(tmp_path, "wl.csv", data), "csv")
    assert said in str(error) and error.line == line


def test_watchlist_padding_and_notes_with_line_breaks_still_load(tmp_path: Path) -> None:
    data = (b"id,name,notes\n1,Alpha One,\"met in Paris\nsecond line, fine\"\n"
            b"2,Beta Two,plain,,\n")
    _meta, entities = load(write(tmp_path, "wl.csv", data), "csv")
    assert [e.names[0].value for e in entities] == ["Alpha One", "Beta Two"]


def test_uk_csv_stray_quote_swallowing_rows(tmp_path: Path) -> None:
    lines = own("uk_fcdo/uk_small.csv").split(b"\r\n")
    lines[2] = lines[2].replace(b",", b',"', 1)  # a quote opens in the first data row
    error = refused(write(tmp_path, "uk.csv", b"\r\n".join(lines)))
    assert error.line == 3


def test_ofsi_row_with_an_extra_column(tmp_path: Path) -> None:
    lines = own("ofsi_csv/conlist_2022_layout.csv").split(b"\r\n")
    lines[3] = b"x," + lines[3]
    error = refused(write(tmp_path, "ConList.csv", b"\r\n".join(lines)))
    assert error.line == 4 and "columns" in str(error)


def test_ofac_row_short_of_a_column_mid_file(tmp_path: Path) -> None:
    lines = own("ofac_csv/sdn.csv").split(b"\r\n")
    lines[1] = lines[1].split(b",", 1)[1]
    error = refused(ofac_set(tmp_path, **{"sdn.csv": b"\r\n".join(lines)}))
    assert error.line == 2


# -- 4. wrong types, unknown schemata, encodings ----------------------------------------

FTM_OK = b'{"id": "a1", "schema": "Person", "properties": {"name": ["Ann Alpha"]}}\n'


@pytest.mark.parametrize(("line", "field", "said"), [
    (b'{"id": null, "schema": "Person", "properties": {"name": ["X"]}}', "id", "null"),
    (b'{"id": 17, "schema": "Person", "properties": {"name": ["X"]}}', "id", "a number"),
    (b'{"id": "", "schema": "Person", "properties": {"name": ["X"]}}', "id", "empty"),
    (b'{"id": "b", "schema": "Person", "properties": {"name": [42]}}', "name", "a number"),
    (b'{"id": "b", "schema": "Person", "properties": {"alias": [{"a": 1}]}}', "alias",
     "an object"),
    (b'{"id": "b", "schema": "Person", "properties": {"lastName": true}}', "lastName",
     "a boolean"),
    (b'{"id": "b", "schema": null, "properties": {}}', "schema", "null"),
    (b'{"id": "b", "schema": "Person", "properties": "Bob"}', "properties", "a string"),
])
def test_ftm_wrong_types_are_refused(tmp_path: Path, line: bytes, field: str,
                                     said: str) -> None:
    error = refused(write(tmp_path, "w.ftm.json", FTM_OK + line + b"\n"))
    assert error.line == 2 and error.field == field and said in str(error)


def test_ftm_unknown_schema_and_nameless_entities_are_counted(tmp_path: Path) -> None:
    data = FTM_OK + (b'{"id": "b", "schema": "Persn", "properties": {"name": ["Bo"]}}\n'
                     b'{"id": "c", "schema": "Persn", "properties": {}}\n'
                     b'{"id": "d", "schema": "Sanction", "properties": {}}\n'
                     b'{"id": "e", "schema": "Company", "properties": {"country": ["de"]}}\n')
    path = write(tmp_path, "u.ftm.json", data)
    parsed = read_list(path)
    assert len(parsed.records) == 2
    assert any("2 entities of unknown schema 'Persn'" in w and "line 2" in w
               for w in parsed.warnings), parsed.warnings
    assert any("1 entities have no name" in w for w in parsed.warnings)
    assert not any("Sanction" in w for w in parsed.warnings)  # known FtM, not screenable


def test_ftm_objects_in_other_properties_are_counted(tmp_path: Path) -> None:
    """Non-name properties holding objects are kept as text, but said, with the first line."""
    data = FTM_OK + (b'{"id": "r", "schema": "Person", "properties": {"name": ["Ray"], '
                     b'"relatives": [{"relation": "spouse"}, {"relation": "son"}], '
                     b'"notes": [true], "birthDate": [1961]}}\n')
    meta, entities = load(write(tmp_path, "o.ftm.json", data))
    assert len(entities) == 2
    assert any("2 values of 'relatives'" in w and "line 2" in w for w in meta.warnings)
    assert any("1 values of 'notes'" in w for w in meta.warnings)
    assert not any("birthDate" in w for w in meta.warnings)  # a number keeps its meaning


def test_un_utf8_bytes_declared_latin1_are_refused(tmp_path: Path) -> None:
    data = own("un/un_small.xml")
    assert not data.isascii()
    mislabelled = re.sub(rb'encoding="[^"]+"', b'encoding="ISO-8859-1"', data, count=1)
    error = refused(write(tmp_path, "un.xml", mislabelled))
    assert "ISO-8859-1" in str(error) and "garbled" in str(error)


def test_un_truly_latin1_file_loads_its_names_right(tmp_path: Path) -> None:
    text = own("un/un_small.xml").decode("utf-8")
    text = re.sub(r'encoding="[^"]+"', 'encoding="ISO-8859-1"', text, count=1)
    path = write(tmp_path, "un.xml", text.encode("latin-1", "replace"))
    meta, entities = load(path)
    assert entities and not meta.warnings


def test_real_un_reencoded_utf7_is_refused(tmp_path: Path) -> None:
    real = require_shared() / "un" / "un_consolidated_2018-06-07.xml"
    path = write(tmp_path, "un.xml", real.read_bytes().decode("utf-8").encode("utf-7"))
    error = refused(path)
    assert "garbled" in str(error) and "UTF-7" in str(error)


def test_a_few_garbled_names_are_a_counted_warning(tmp_path: Path) -> None:
    name = "José".encode().decode("latin-1").encode()  # UTF-8 bytes read as Latin-1
    data = FTM_OK + b'{"id": "m", "schema": "Person", "properties": {"name": ["' + name + b'"]}}\n'
    parsed = read_list(write(tmp_path, "m.ftm.json", data))
    assert any("1 names look garbled" in w for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize(("value", "why"), [
    ("JosÃ© MarÃ­a", "UTF-8"), ("ÐŸÑƒÑ‚Ð¸Ð½", "UTF-8"), ("+BB8EQwRCBDgEPQ-", "UTF-7"),
    ("José María", None), ("Путин", None), ("C++ Group", None), ("A+B-C", None),
    ("Société Générale", None), ("ØRSTED", None),
])
def test_garbled(value: str, why: str | None) -> None:
    found = garbled(value)
    assert (found is None) if why is None else (found is not None and why in found)


# -- 12. causes, not "internal error" ------------------------------------------------------

HUGE = b"x" * (MAX_FIELD_CHARS + 10)


@pytest.mark.parametrize(("name", "fixture", "fmt"), CSV_FILES)
def test_csv_field_over_the_limit(tmp_path: Path, name: str, fixture: str, fmt: str) -> None:
    lines = csv_bytes(fixture).split(b"\r\n")
    lines[2] = b'"' + HUGE + b'"' + lines[2][lines[2].index(b","):]
    error = refused(write(tmp_path, name, b"\r\n".join(lines)), fmt)
    assert "longer than" in str(error) and error.line == 3


def test_ofac_remarks_over_the_limit(tmp_path: Path) -> None:
    data = own("ofac_csv/sdn.csv")
    at = data.rindex(b'"DOB') + 1
    error = refused(ofac_set(tmp_path, **{"sdn.csv": data[:at] + HUGE + data[at:]}))
    assert "longer than" in str(error) and error.line is not None


@pytest.mark.parametrize("depth", [1000, 5000, 200_000])
def test_ftm_nested_deep(tmp_path: Path, depth: int) -> None:
    deep = (b'{"id": "d", "schema": "Person", "properties": {"name": ' + b"[" * depth
            + b'"x"' + b"]" * depth + b"}}\n")
    error = refused(write(tmp_path, "deep.ftm.json", FTM_OK + deep))
    assert error.line == 2


@pytest.mark.parametrize("escape", [rb"\ud800", rb"\udfff", rb"x\udc00y", rb"\ud83d"])
def test_ftm_lone_surrogate(tmp_path: Path, escape: bytes) -> None:
    line = b'{"id": "s", "schema": "Person", "properties": {"name": ["' + escape + b'"]}}\n'
    error = refused(write(tmp_path, "s.ftm.json", FTM_OK + line))
    assert "surrogate" in str(error) and error.line == 2


def test_ftm_surrogate_pair_is_an_ordinary_character(tmp_path: Path) -> None:
    line = rb'{"id": "s", "schema": "Person", "properties": {"name": ["Ann \ud83d\ude00"]}}'
    _meta, entities = load(write(tmp_path, "p.ftm.json", FTM_OK + line + b"\n"))
    assert entities[1].names[0].value == "Ann \U0001f600"


# -- 13. huge fields: capped, and fast ----------------------------------------------------

@pytest.mark.parametrize("size", [5_000_000, 20_000_000])
def test_eu_huge_whole_name_refused_fast(tmp_path: Path, size: int) -> None:
    data = own("eu_fsf/eu_small.xml")
    huge = re.sub(rb'wholeName="[^"]*"', b'wholeName="' + b"A" * size + b'"', data, count=1)
    started = time.perf_counter()
    error = refused(write(tmp_path, "eu.xml", huge))
    assert time.perf_counter() - started < 5
    assert "wholeName" in str(error)


@pytest.mark.parametrize("fmt", sorted(XML_FIXTURES))
def test_xml_name_over_the_name_cap(tmp_path: Path, fmt: str) -> None:
    """A value under the field cap but far over any real name is refused as a name."""
    fixture, _ = XML_FIXTURES[fmt]
    data = own(fixture)
    long = "Ж" * (MAX_NAME_CHARS + 1)
    for pattern in (rb'(wholeName=")[^"]*', rb"(<FIRST_NAME>)[^<]*", rb"(<Name6>)[^<]*",
                    rb"(<lastName>)[^<]*", rb"(<formatted\w*Name>)[^<]*",
                    rb"(</type>\s*<value>)[^<]*", rb"(<LastName>)[^<]*"):
        data = re.sub(pattern, lambda m: m[1] + long.encode(), data)
    error = refused(write(tmp_path, Path(fixture).name, data))
    assert error.field == "name"


def test_detect_script_is_linear() -> None:
    started = time.perf_counter()
    assert detect_script("Ж" * 2_000_000 + "a" * 1000) == "Cyrillic"
    assert detect_script("".join(chr(c) for c in range(0x4E00, 0x9FFF))) == "Han"
    assert time.perf_counter() - started < 3
    assert detect_script("12 345 -") is None


# -- 14. one-line refusals and the DTD check ------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(XML_FIXTURES))
def test_cdata_mentioning_doctype_loads(tmp_path: Path, fmt: str) -> None:
    fixture, element = XML_FIXTURES[fmt]
    data = own(fixture)
    at = re.search(rb"<" + element.encode() + rb">", data)
    assert at is not None, f"no <{element}> in {fixture}"
    text = b"<![CDATA[<!DOCTYPE x [<!ENTITY a 'b'>]>]]>"
    _meta, entities = load(write(tmp_path, Path(fixture).name,
                                data[: at.end()] + text + data[at.end():]))
    assert entities


@pytest.mark.parametrize("prolog", [
    b"<!DOCTYPE r>", b"<!-- a comment -->\n<!DOCTYPE r [<!ENTITY a 'b'>]>",
    b"<?pi x?><!DOCTYPE r SYSTEM 'file:///etc/passwd'>",
    b"<!--" + b" " * 70000 + b"-->\n<!DOCTYPE r [<!ENTITY a 'b'>]>",  # beyond the head
])
@pytest.mark.parametrize("fmt", sorted(XML_FIXTURES))
def test_real_dtd_declarations_still_refused(tmp_path: Path, fmt: str, prolog: bytes) -> None:
    data = own(XML_FIXTURES[fmt][0])
    end = data.index(b"?>") + 2 if data.lstrip(codecs.BOM_UTF8).startswith(b"<?xml") else 0
    path = write(tmp_path, "evil.xml", data[:end] + prolog + data[end:])
    with pytest.raises(UnsafeInputError) as info:
        load(path, fmt)
    assert "\n" not in str(info.value)


def test_utf16_doctype_refused(tmp_path: Path) -> None:
    text = own("un/un_small.xml").decode("utf-8")
    text = re.sub(r'encoding="[^"]+"', 'encoding="UTF-16"', text, count=1)
    end = text.index("?>") + 2
    evil = (text[:end] + "<!DOCTYPE r [<!ENTITY a 'b'>]>" + text[end:]).encode("utf-16-le")
    with pytest.raises(UnsafeInputError):
        load(write(tmp_path, "u16.xml", evil), "un_xml")


def test_declares_dtd_only_in_the_prolog() -> None:
    assert declares_dtd(b'<?xml version="1.0"?>\n<!DOCTYPE a><a/>')
    assert declares_dtd(codecs.BOM_UTF8 + b"  <!-- x --><!doctype a><a/>")
    assert not declares_dtd(b"<a><![CDATA[<!DOCTYPE a>]]></a>")
    assert not declares_dtd(b'<a x="&lt;!DOCTYPE"/><!-- <!DOCTYPE b> -->')


@pytest.mark.parametrize("mutate", [
    lambda d: d.replace(b"</DATAID>", b"</DATA_ID>\n\n<x>", 1),
    lambda d: d[: len(d) // 2],
    lambda d: d.replace(b"<DATAID>", b"<DATAID>\x01\x02", 1),
    lambda d: d.replace(b"<INDIVIDUAL>", b"<INDIVIDUAL a='1' a='2'>", 1),
    lambda d: d.replace(b"<DATAID>", b"<DATAID>&#0;", 1),
    lambda d: d.replace(b"<DATAID>", b"<DATAID>&undefined;", 1),
    lambda d: d + b"<second-root/>\n" * 50,
])
def test_xml_refusals_are_one_line(tmp_path: Path, mutate: object) -> None:
    data = mutate(own("un/un_small.xml"))  # type: ignore[operator]
    refused(write(tmp_path, "un.xml", data))


def test_error_response_with_a_multiline_message_is_one_line(tmp_path: Path) -> None:
    body = (b'<?xml version="1.0"?>\n<Error><Code>AccessDenied</Code><Message>Access\n\n'
            b"denied\x1b[31m " + b"y" * 5000 + b"</Message></Error>")
    with pytest.raises(DiscreetError) as info:
        load(write(tmp_path, "sdn.xml", body))
    assert "\n" not in str(info.value) and len(str(info.value)) < 400
    assert "\x1b" not in str(info.value)


def test_one_line() -> None:
    assert one_line("a\nb\r\n\tc\x00d") == "a b c d"
    assert len(one_line("x" * 1000, 50)) == 50


def test_own_fixtures_load_without_warnings(tmp_path: Path) -> None:
    for fixture in ("un/un_small.xml", "eu_fsf/eu_small.xml", "uk_fcdo/uk_small.xml",
                    "uk_fcdo/uk_small.csv", "ofsi_csv/conlist_2022_layout.csv",
                    "ofac_xml/sdn_sample.xml", "ofac_enhanced/sdn_enhanced_sample.xml",
                    "ftm/entities.ftm.json"):
        meta, entities = load(OWN_FIXTURES / fixture)
        assert entities and not meta.warnings, (fixture, meta.warnings)
    shutil.copytree(OWN_FIXTURES / "ofac_csv", tmp_path / "ofac")
    meta, entities = load(tmp_path / "ofac" / "sdn.csv")
    assert entities and not meta.warnings
