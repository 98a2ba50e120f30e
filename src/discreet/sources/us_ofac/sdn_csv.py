"""OFAC's legacy delimited CSV sets: sdn.csv (or cons_prim.csv) with their side files.

A set is a main file plus add/alt/comments files linked by ``ent_num``. The side files are
small, so :meth:`OfacCsvParser.read` loads them into memory by ent_num; the main file, the
large one, streams. There is no header, the null marker is ``-0-`` followed by a space, and
downloads end in ``\\x1a``. Remarks cut at 1000 characters continue in the comments file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from discreet.errors import ParseError
from discreet.model import Address, Entity, NameKind, make_entity_id
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.csv_check import check_width, ends_cleanly, records
from discreet.sources.common.csv_lines import BOM, decoded_lines
from discreet.sources.common.guard import one_line
from discreet.sources.us_ofac.sdn_remarks import apply_remarks
from discreet.sources.us_ofac.xml_common import SCHEMA
from discreet.text.countries import country_code

__all__ = ["PARSER", "OfacCsvParser", "SideFiles"]

MAIN_COLUMNS = ("ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
                "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks")
ALT_KINDS: dict[str, NameKind] = {"aka": "alias", "fka": "previous", "nka": "alias"}
VESSEL_PROPS = {5: "callSign", 6: "vesselType", 7: "tonnage", 8: "grossRegisteredTonnage",
                10: "owner"}
SIDE_NAMES = {  # side file -> accepted names (lower case) for the sdn and cons sets
    "add": (("add.csv",), ("cons_add.csv",)),
    "alt": (("alt.csv",), ("cons_alt.csv",)),
    "comments": (("sdn_comments.csv", "sdn comments.csv"), ("cons_comments.csv",)),
}


@dataclass(slots=True)
class SideFiles:
    """Addresses, aliases and remark continuations of a set, indexed by ent_num."""

    addresses: dict[str, list[list[str | None]]] = field(default_factory=dict)
    aliases: dict[str, list[list[str | None]]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def _null(value: str) -> str | None:
    """OFAC's ``-0- `` (and blanks) as None; other values with whitespace collapsed."""
    text = " ".join(value.split())
    return None if text in ("", "-0-") else text


def rows(handle: IO[bytes], file_name: str, width: int,
         warnings: list[str] | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each record, checked for column count and an integer first field.

    A file cut short is refused: its last record has too few columns, ends inside a quoted
    field, or ends without a line break where one is due. OFAC ends every record in CRLF,
    so a CRLF file must end in one (or in ``\\x1a``); copies normalised to LF sometimes lost
    the last one, so there the last record must end in a closing quote or the null marker
    (every OFAC text field is quoted, so a complete record ends in one of them), and the
    missing line break is said in ``warnings``.
    """
    crlf = _FirstLineEnding(handle)
    for record in records(decoded_lines(crlf), file_name, warnings=warnings):
        check_width(record, width, file_name)
        if not record.fields[0].strip().isdigit():
            raise ParseError(f"ent_num is not an integer: {one_line(record.fields[0], 40)!r}",
                             file=file_name, line=record.line, field="ent_num")
        if (record.last and not ends_cleanly(record)
                and (crlf.crlf or not _closed(record.raw_end))):
            raise ParseError("the last record ends without its line break: the file is "
                             "truncated", file=file_name, line=record.line)
        yield record.line, record.fields


class _FirstLineEnding:
    """Passes a file's lines through and notes whether the file uses CRLF.

    The first line says so; a last line ending in a lone CR (a CRLF cut in two) does too.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self._lines = iter(handle)
        self.crlf = False
        self._first = True

    def __iter__(self) -> _FirstLineEnding:
        return self

    def __next__(self) -> bytes:
        line = next(self._lines)
        if self._first:
            self.crlf, self._first = line.endswith(b"\r\n"), False
        if line.endswith(b"\r"):
            self.crlf = True
        return line


def _closed(raw_end: str) -> bool:
    """The last physical line ends in a closing quote or in (a prefix of) the null marker."""
    tail = raw_end.rstrip(" ")
    return tail.endswith('"') or re.search(r"(^|,)-0-?$", tail) is not None


def _natural(name: str, person: bool) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``LAST, First`` → ``First LAST`` with parts, for individuals; others unchanged."""
    last, comma, first = name.partition(",")
    if not person or not comma or not first.strip():
        return name, ()
    last, first = last.strip(), first.strip()
    return f"{first} {last}", (("firstName", first), ("lastName", last))


def programmes(value: str | None) -> list[str]:
    """``NPWMD] [IFSR`` → ``["NPWMD", "IFSR"]``."""
    if not value:
        return []
    return [p.strip() for p in re.split(r"\]\s*\[", value.strip("[] ")) if p.strip()]


def _vessel(entity: Entity, row: list[str | None]) -> None:
    for index, prop in VESSEL_PROPS.items():
        entity.add(prop, row[index])
    if row[9]:
        entity.add("flag", country_code(row[9]) or row[9])


def _address(entity: Entity, row: list[str | None]) -> None:
    street, city, country = row[2], row[3], row[4]
    full = ", ".join(p for p in (street, city, country) if p)
    if not full:
        return
    code = country_code(country) if country else None
    entity.addresses.append(Address(full, street=street, city=city, country=code))
    if code:
        entity.countries.append(code)


def build_entity(record: list[str], meta: ListMeta, side: SideFiles) -> Entity:
    """One Entity from a main-file record, its side-file rows and its Remarks.

    Remarks are joined raw: the continuation may start mid-word or with the space.
    """
    row = [_null(v) for v in record]
    ent_num = row[0] or ""
    schema = SCHEMA.get((row[2] or "").lower(), "Organization")  # an entity's type is -0-
    entity = Entity(make_entity_id("ofac", ent_num), schema, meta.dataset, "OFAC", ent_num)
    person = schema == "Person"
    value, parts = _natural(row[1] or "", person)
    entity.add_name(value, "primary", parts=parts)
    for alt in side.aliases.get(ent_num, []):
        alt_value, alt_parts = _natural(alt[3] or "", person)
        kind = ALT_KINDS.get((alt[2] or "").lower(), "alias")
        entity.add_name(alt_value, kind, parts=alt_parts)
    entity.programmes.extend(programmes(row[3]))
    if row[4]:
        entity.titles.append(row[4])
    _vessel(entity, row)
    for address in side.addresses.get(ent_num, []):
        _address(entity, address)
    remarks = (record[11] if row[11] else "") + side.comments.get(ent_num, "")
    apply_remarks(entity, remarks)
    return entity.finish()


def _index(records: Iterable[tuple[int, list[str]]]) -> dict[str, list[list[str | None]]]:
    out: dict[str, list[list[str | None]]] = {}
    for _, record in records:
        out.setdefault(record[0].strip(), []).append([_null(v) for v in record])
    return out


class OfacCsvParser(Parser):
    """sdn.csv / cons_prim.csv with add, alt and comments files from the same folder."""

    format = "ofac_csv"
    title = "OFAC legacy CSV set (sdn.csv or cons_prim.csv, with add/alt/comments)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """A first record of 12 fields, an integer ent_num and ``-0-`` null markers."""
        text = head.removeprefix(BOM).decode("utf-8", errors="replace")
        lines = [line for line in text.splitlines() if line.strip()][:3]
        if not lines or "-0-" not in text:
            return False
        try:
            first = next(csv.reader([lines[0]]))
        except csv.Error:
            return False
        return len(first) == len(MAIN_COLUMNS) and first[0].strip().isdigit()

    def read(self, path: Path, meta: ListMeta) -> Iterator[Entity]:
        """Load the side files found beside ``path``, then stream the main file."""
        side = self.load_side_files(path, meta.warnings)
        with path.open("rb") as handle:
            yield from self._entities(handle, meta, side)

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """The main file alone: no addresses, strong aliases or remark continuations."""
        yield from self._entities(handle, meta, SideFiles())

    def load_side_files(self, path: Path, warnings: list[str] | None = None) -> SideFiles:
        """Index add/alt/comments files beside ``path`` (names matched case-insensitively)."""
        cons = path.name.lower().startswith("cons")
        present = {p.name.lower(): p for p in path.parent.iterdir() if p.is_file()}
        found: dict[str, Path] = {}
        for key, (sdn_names, cons_names) in SIDE_NAMES.items():
            for name in cons_names if cons else sdn_names:
                if name in present:
                    found[key] = present[name]
        side = SideFiles()
        if "add" in found:
            side.addresses = self._load(found["add"], 6, warnings)
        if "alt" in found:
            side.aliases = self._load(found["alt"], 5, warnings)
        if "comments" in found:
            with found["comments"].open("rb") as handle:
                for _, (ent_num, text) in rows(handle, found["comments"].name, 2, warnings):
                    side.comments[ent_num.strip()] = side.comments.get(ent_num.strip(), "") + text
        return side

    @staticmethod
    def _load(path: Path, width: int,
              warnings: list[str] | None) -> dict[str, list[list[str | None]]]:
        with path.open("rb") as handle:
            return _index(rows(handle, path.name, width, warnings))

    def _entities(self, handle: IO[bytes], meta: ListMeta, side: SideFiles) -> Iterator[Entity]:
        name = Path(meta.file_name or str(getattr(handle, "name", "")) or "sdn.csv").name
        meta.format, meta.authority, meta.published = self.format, "OFAC", None
        meta.dataset = "us_ofac_cons" if name.lower().startswith("cons") else "us_ofac_sdn"
        count = 0
        for _, record in rows(handle, name, len(MAIN_COLUMNS), meta.warnings):
            count += 1
            yield build_entity(record, meta, side)
        if count == 0:
            raise ParseError("the file is empty", file=name)
        meta.extra["rows"] = str(count)


PARSER = OfacCsvParser()
