"""A firm's own watchlist as a plain CSV, with a column mapping.

Firms keep internal lists (former clients, refused applicants) in spreadsheets whose column
names are their own. ``meta.extra["mapping"]`` maps them, e.g.
``"id=Ref,name=Full Name,alias=AKA 1,alias=AKA 2,birth_date=DOB"``; without it, header names
that match a field or a common variant ("Full Name", "DOB", "Date of Birth") are used.
Column names in a mapping cannot contain commas. Cells of name, alias, birth date, country,
nationality, identifiers, program and gender may hold several values separated by ``;``.
An id stated twice in one file is a ParseError: the store keys entities by id.
The file is read whole: internal lists are small, and the cp1252 fallback must see every byte.

``sniff`` always says no: a plain CSV could be anything, so auto-detection never guesses it,
and the format is chosen explicitly (``--format csv``).

Values are checked strictly (an unreadable date or country is a ParseError naming line and
field), since a silently dropped date of birth weakens every screening against the list.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from discreet.errors import ConfigError, ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, make_entity_id
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.csv_check import check_width, records
from discreet.sources.common.guard import MAX_NAME_CHARS, check_field, one_line
from discreet.sources.common.values import gender, iso_date
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = ["FIELDS", "PARSER", "WatchlistCsvParser", "parse_mapping"]

FIELDS = ("id", "name", "alias", "schema", "birth_date", "country", "nationality", "id_number",
          "passport", "program", "listed_on", "remarks", "gender", "address")
VARIANTS: dict[str, str] = {
    "full name": "name", "fullname": "name", "entity name": "name", "aliases": "alias",
    "aka": "alias", "a.k.a.": "alias", "other names": "alias", "type": "schema",
    "entity type": "schema", "dob": "birth_date", "date of birth": "birth_date",
    "birth date": "birth_date", "birthdate": "birth_date", "country code": "country",
    "id number": "id_number", "national id": "id_number", "passport number": "passport",
    "passport no": "passport", "programme": "program", "regime": "program",
    "listed": "listed_on", "listed on": "listed_on", "date listed": "listed_on",
    "listing date": "listed_on", "notes": "remarks", "comments": "remarks", "sex": "gender",
    "reference": "id", "ref": "id",
}
SCHEMA_WORDS: dict[str, str] = {
    "person": "Person", "individual": "Person", "company": "Company",
    "organisation": "Organization", "organization": "Organization", "entity": "LegalEntity",
    "legalentity": "LegalEntity", "vessel": "Vessel", "ship": "Vessel",
    "aircraft": "Airplane", "airplane": "Airplane",
}
DELIMITERS = ",;\t|"
Mapping = list[tuple[str, str]]  # (field, column), in order; a field may repeat (alias)


def _norm(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("-", " ").lower().split())


def parse_mapping(text: str) -> Mapping:
    """``field=Column,field=Column`` as pairs; an unknown field is a ConfigError."""
    pairs: Mapping = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        field, sep, column = item.partition("=")
        field = field.strip().lower()
        if not sep or field not in FIELDS or not column.strip():
            raise ConfigError(f"mapping: {item!r} is not field=Column with a field of {FIELDS}")
        pairs.append((field, column.strip()))
    return pairs


def _auto_mapping(header: list[str]) -> Mapping:
    """Header names that are field names or known variants, case-insensitively."""
    pairs: Mapping = []
    for column in header:
        key = _norm(column)
        field = key.replace(" ", "_") if key.replace(" ", "_") in FIELDS else VARIANTS.get(key)
        if field:
            pairs.append((field, column))
    return pairs


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else cp1252 (what Excel on Windows saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The candidate delimiter that occurs most often in the header line."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def _split(value: str | None) -> list[str]:
    return [v for v in (clean(p) for p in (value or "").split(";")) if v]


class WatchlistCsvParser(Parser):
    """Reads an internal CSV watchlist; chosen explicitly, never sniffed."""

    format = "csv"
    title = "Your own CSV watchlist, with a column mapping (--format csv)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """Always False: any CSV would match, so the user names this format."""
        return False

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Yield one entity per row; a row without a name is a ParseError."""
        meta.format = self.format
        meta.authority = "internal"
        meta.dataset = meta.dataset or Path(meta.file_name).stem
        text = _decode(handle.read())
        if "\x00" in text:
            raise ParseError("NUL bytes: not a text CSV (a spreadsheet saved as .xlsx?)",
                             file=meta.file_name)
        delimiter = _delimiter(text)
        rows = records(io.StringIO(text, newline=""), meta.file_name, delimiter=delimiter,
                       warnings=meta.warnings)
        first = next(rows, None)
        if first is None:
            raise ParseError("empty file: no header row", file=meta.file_name, line=1)
        header = first.fields
        columns = self._columns(header, meta)
        seen: dict[str, int] = {}
        for record in rows:
            row = record.fields
            if not any(cell.strip() for cell in row):
                continue
            while len(row) > len(header) and not row[-1].strip():
                row.pop()  # spreadsheets pad some rows with empty cells
            if len(row) < len(header) and not record.last:
                row.extend([""] * (len(header) - len(row)))  # missing trailing values: empty
            check_width(record, len(header), meta.file_name, delimiter=delimiter)
            cells: dict[str, list[str]] = {}
            for field, index in columns:
                cells.setdefault(field, []).append(row[index])
            entity = _Row(cells, meta, record.line).entity()
            if entity.id in seen:
                raise ParseError(f"same id as line {seen[entity.id]} ({entity.id}): the same "
                                 "entry twice?", file=meta.file_name, line=record.line,
                                 field="id")
            seen[entity.id] = record.line
            yield entity
        meta.record_count = len(seen)

    def _columns(self, header: list[str], meta: ListMeta) -> list[tuple[str, int]]:
        """(field, column index) pairs; the name column is required."""
        mapping_text = meta.extra.get("mapping", "")
        mapping = parse_mapping(mapping_text) if mapping_text else _auto_mapping(header)
        index = {column.strip(): i for i, column in enumerate(header)}
        columns: list[tuple[str, int]] = []
        for field, column in mapping:
            if column not in index:
                raise ParseError(f"column {column!r} (for {field}) is not in the header",
                                 file=meta.file_name, line=1, field=field)
            columns.append((field, index[column]))
        if not any(field == "name" for field, _ in columns):
            raise ParseError(f"no name column among {one_line(str(header), 120)}",
                             file=meta.file_name, line=1, field="name")
        return columns


class _Row:
    """One CSV row turned into an entity, with errors pointing at its line and field."""

    def __init__(self, cells: dict[str, list[str]], meta: ListMeta, line: int) -> None:
        self.cells, self.meta, self.line = cells, meta, line

    def values(self, field: str) -> list[str]:
        return [v for cell in self.cells.get(field, []) for v in _split(cell)]

    def fail(self, field: str, message: str) -> ParseError:
        return ParseError(message, file=self.meta.file_name, line=self.line, field=field)

    def entity(self) -> Entity:
        names = self.values("name")
        if not names:
            raise self.fail("name", "a name is required")
        for name in names + self.values("alias"):
            check_field(name, self.meta.file_name, "name", self.line, MAX_NAME_CHARS)
        dates = [self.date("birth_date", v) for v in self.values("birth_date")]
        entity = Entity(id=self.entity_id(names[0], dates), schema=self.schema(),
                        source=self.meta.dataset, authority="internal")
        entity.authority_id = (self.values("id") or [entity.id])[0]
        entity.add_name(names[0], "primary")
        for alias in names[1:] + self.values("alias"):
            entity.add_name(alias, "alias")
        entity.birth_dates = [DateSpec(d) for d in dates]
        self.fill(entity)
        return entity.finish()

    def fill(self, entity: Entity) -> None:
        entity.countries = [self.country("country", v) for v in self.values("country")]
        entity.nationalities = [self.country("nationality", v)
                                for v in self.values("nationality")]
        entity.identifiers = [Identifier("national_id", v) for v in self.values("id_number")]
        entity.identifiers += [Identifier("passport", v) for v in self.values("passport")]
        entity.programmes = self.values("program")
        listed = self.values("listed_on")
        entity.listed_on = self.date("listed_on", listed[0]) if listed else None
        entity.remarks = [clean(c) or "" for c in self.cells.get("remarks", []) if clean(c)]
        entity.genders = [self.gender(v) for v in self.values("gender")]
        entity.addresses = [Address(a) for a in (clean(c) for c in self.cells.get("address", []))
                            if a]

    def entity_id(self, name: str, dates: list[str]) -> str:
        """The list's own id; else a hash of name and birth date, stable across row order."""
        given = self.values("id")
        if given:
            return make_entity_id(self.meta.dataset, given[0])
        key = " ".join(name.casefold().split()) + "|" + (dates[0] if dates else "")
        return make_entity_id(self.meta.dataset, hashlib.sha1(key.encode()).hexdigest()[:16])

    def schema(self) -> str:
        value = (self.values("schema") or ["Person"])[0]
        schema = SCHEMA_WORDS.get(value.lower().replace(" ", ""))
        if schema is None:
            raise self.fail("schema", f"unknown entity type {one_line(value, 60)!r}")
        return schema

    def date(self, field: str, value: str) -> str:
        """ISO (yyyy-mm-dd), dd/mm/yyyy or yyyy, as an ISO prefix; impossible dates fail."""
        found = iso_date(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        dmy = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if dmy:
            with contextlib.suppress(ValueError):
                found = date(int(dmy[3]), int(dmy[2]), int(dmy[1])).isoformat()
        elif re.fullmatch(r"\d{4}", value):
            found = value
        if found is None:
            raise self.fail(field, f"unreadable date {one_line(value, 60)!r} "
                            "(use yyyy-mm-dd, dd/mm/yyyy, yyyy)")
        return found

    def country(self, field: str, value: str) -> str:
        code = country_code(value)
        if code is None:
            raise self.fail(field, f"unknown country {one_line(value, 60)!r}")
        return code

    def gender(self, value: str) -> str:
        found = gender(value) or ("other" if value.lower() in ("other", "x", "diverse") else None)
        if found is None:
            raise self.fail("gender", f"unknown gender {one_line(value, 60)!r}")
        return found


PARSER = WatchlistCsvParser()
