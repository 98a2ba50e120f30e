"""FtM JSON lines parser and writer."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ParseError
from discreet.model import Entity, Name
from discreet.sources import detect
from discreet.sources.common.base import ListMeta
from discreet.sources.opensanctions.ftm import entity_to_ftm
from discreet.sources.opensanctions.ftm_json import PARSER, write_ftm


def _fixture(own_fixtures: Path) -> Path:
    return own_fixtures / "ftm" / "entities.ftm.json"


def _parse(data: bytes, meta: ListMeta | None = None) -> tuple[ListMeta, list[Entity]]:
    meta = meta or ListMeta(file_name="test.ftm.json")
    return meta, list(PARSER.parse(io.BytesIO(data), meta))


def test_fixture_parses_and_skips_sanction(own_fixtures: Path) -> None:
    meta = ListMeta(file_name="entities.ftm.json")
    entities = list(PARSER.read(_fixture(own_fixtures), meta))
    assert [(e.id, e.schema) for e in entities] == [("ftm-p-1", "Person"), ("ftm-c-1", "Company")]
    assert meta.extra["skipped"] == "1"
    assert (meta.format, meta.authority, meta.dataset) == ("ftm_json", "FtM", "test_sanctions")
    assert all(e.authority == "FtM" and e.source == "test_sanctions" for e in entities)
    company = entities[1]
    assert company.identifiers[0].value == "CN-123456"
    assert company.properties["website"] == ["https://acme.example"]


def test_detected_by_content(own_fixtures: Path) -> None:
    assert detect(_fixture(own_fixtures)) is PARSER


def test_sniff() -> None:
    line = b'{"id": "a", "schema": "Person", "properties": {}}\n'
    assert PARSER.sniff(b"\n  \n" + line, "x.json")
    assert not PARSER.sniff(b'{"id": "a", "name": "x"}\n', "x.json")
    assert not PARSER.sniff(b"[1, 2]\n", "x.json")
    assert not PARSER.sniff(b"<sdnList/>", "sdn.xml")
    assert not PARSER.sniff(b"", "x.json")
    # A first entity longer than the 64 KiB head arrives cut off.
    assert PARSER.sniff(b'{"id": "a", "schema": "Person", "properties": {"name": ["' + b"x" * 70000,
                        "big.json")


def test_meta_dataset_wins_and_default_is_ftm() -> None:
    line = b'{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n'
    _, entities = _parse(line, ListMeta(file_name="f", dataset="my_set"))
    assert entities[0].source == "my_set"
    meta, entities = _parse(line)
    assert entities[0].source == "ftm" and meta.dataset == "ftm"


def test_mixed_datasets_leave_file_dataset_generic() -> None:
    lines = (b'{"id": "a", "schema": "Person", "datasets": ["x"], "properties": {}}\n'
             b'{"id": "b", "schema": "Person", "datasets": ["y"], "properties": {}}\n')
    meta, entities = _parse(lines)
    assert [e.source for e in entities] == ["x", "y"]
    assert meta.dataset == "ftm"


def test_bom_and_blank_lines_are_fine() -> None:
    data = b'\xef\xbb\xbf{"id": "a", "schema": "Company", "properties": {}}\n\n\n'
    assert [e.id for e in _parse(data)[1]] == ["a"]


@pytest.mark.parametrize(("data", "line", "message"), [
    (b'{"id": "a", "schema": "Person", "properties": {}}\n{"id": "b", "sch', 2, "truncated"),
        (b'{"id": "a", "schema": "Person", "properties": {}}\n{"id": "b", "sch\n', 2,
         "malformed JSON"),
    (b'\n\n["not", "an", "object"]\n', 3, "not an FtM entity"),
    (b'{"schema": "Person", "properties": {}}\n', 1, "not an FtM entity"),
    (b'{"id": "a", "schema": "Person", "properties": {"name": ["\xff"]}}\n', 1, "not UTF-8"),
    (b'{"id": "a", "schema": "Person", "properties": [1]}\n', 1, "properties must be an object"),
])
def test_bad_lines_name_file_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        _parse(data)
    assert (info.value.file, info.value.line) == ("test.ftm.json", line)


class _Stream(io.RawIOBase):
    """A pipe: read once, cannot seek."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def test_parse_is_lazy_on_a_stream_and_checks_first_on_a_file() -> None:
    """A stream read once yields entities before a later bad line is read (memory one
    entity deep); a file is checked whole (first pass) before any entity comes out."""
    data = (b'{"id": "a", "schema": "Person", "properties": {}}\n'
            b'{"id": "b", "schema": "Person", "properties": {}}\nnot json\n')
    stream = PARSER.parse(io.BufferedReader(_Stream(data)), ListMeta(file_name="f"))
    assert next(stream).id == "a"
    with pytest.raises(ParseError):
        next(stream)
    whole = PARSER.parse(io.BytesIO(data), ListMeta(file_name="f"))
    with pytest.raises(ParseError, match="line 3"):
        next(whole)


def test_write_then_read_back(own_fixtures: Path) -> None:
    entities = list(PARSER.read(_fixture(own_fixtures), ListMeta(file_name="f")))
    entities.append(Entity("extra", "Vessel", source="s", names=[Name("SEA STAR")]))
    out = io.StringIO()
    listed, total = write_ftm(entities, out)
    lines = out.getvalue().splitlines()
    assert listed == 3 and total == len(lines) == 8  # a Sanction each, 2 Identifications
    assert all(line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False)
               for line in lines)
    again = list(PARSER.parse(io.BytesIO(out.getvalue().encode()), ListMeta(file_name="f")))
    assert [entity_to_ftm(e) for e in again] == [entity_to_ftm(e) for e in entities]


@pytest.mark.parametrize("escape", [rb"\ud800", rb"\uDC00", rb"\uDfFf"])
@pytest.mark.parametrize("where", ["name", "key", "nested"])
def test_a_lone_surrogate_escape_is_refused_wherever_it_is(escape: bytes, where: str) -> None:
    """Only a \\uD800-\\uDFFF escape writes a surrogate in JSON: found in a name, a key and
    an entity nested in a property, in either case of hex digits."""
    if where == "name":
        line = b'{"id": "a", "schema": "Person", "properties": {"name": ["X' + escape + b'"]}}'
    elif where == "key":
        line = b'{"id": "a", "schema": "Person", "properties": {"n' + escape + b'": ["X"]}}'
    else:
        line = (b'{"id": "a", "schema": "Person", "properties": {"name": ["X"], "sanctions": '
                b'[{"id": "s", "schema": "Sanction", "properties": {"reason": ["' + escape
                + b'"]}}]}}')
    with pytest.raises(ParseError, match="surrogate") as info:
        _parse(b'{"id": "z", "schema": "Person", "properties": {"name": ["Z"]}}\n'
               + line + b"\n")
    assert info.value.line == 2


def test_paired_surrogate_escapes_and_an_escaped_backslash_read() -> None:
    """An escaped pair is one character (an emoji), and ``\\\\ud800`` is the text
    backslash-u-d-8-0-0: both are kept as written."""
    _, entities = _parse(b'{"id": "a", "schema": "Person", "properties": {"name": '
                         b'["Ann \\ud83d\\ude00", "B \\\\ud800"]}}\n')
    assert sorted(n.value for n in entities[0].names) == ["Ann \U0001f600", "B \\ud800"]


def test_a_nested_sanction_is_applied_however_its_schema_key_is_written() -> None:
    """A line whose nested entity spells "schema" with an escape is still unnested (the
    shortcut for lines that cannot nest one looks for the key as written): the same entity
    as the flat form gives."""
    def line(key: bytes) -> bytes:
        return (b'{"id": "a", "schema": "Person", "properties": {"name": ["Ann Lee"], '
                b'"sanctions": [{"id": "s1", ' + key + b': "Sanction", "properties": '
                b'{"program": ["SDGT"], "authority": ["OFAC"], "reason": ["x"]}}]}}\n')
    flat = (b'{"id": "a", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
            b'{"id": "s1", "schema": "Sanction", "properties": {"entity": ["a"], '
            b'"program": ["SDGT"], "authority": ["OFAC"], "reason": ["x"]}}\n')
    bare = b'{"id": "a", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
    want = _parse(flat)[1][0].to_dict()
    assert want != _parse(bare)[1][0].to_dict()
    for key in (b'"schema"', b'"sch\\u0065ma"'):
        assert _parse(line(key))[1][0].to_dict() == want
