"""Australia's Consolidated List (DFAT, ``regulation8_consolidated.xlsx``).

One row per name: ``Reference`` groups a listing's rows (``2`` the primary name, ``2a``,
``2b``, ``34c1``… its aliases and original-script names), and each row repeats the listing's
facts (type, birth date, citizenship, address, committee, control date). A listing becomes one
entity keyed on the number of its reference (``au-2``); facts that differ between its rows
(an alias's own birth date) are all kept.

``Committees`` names the regime ("1988 (Taliban)", "Autonomous (Russia)"): exposed as the
programme as written, whitespace normalised. ``Listing Information`` is free text: the first
date it states ("Listed on 31 July 2014", "Listed by UN 1267 Committee on 25 January 2001")
is the listing date; an entry that only names its instrument takes the ``Control Date``
(the date DFAT last controlled the entry: for instrument-only entries the designation). The
workbook's own "modified" property is the file's publication date.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import countrynames

from discreet.errors import ParseError
from discreet.model import Address, Entity, Identifier, NameKind
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.birth_dates import read_birth_dates
from discreet.sources.common.guard import MAX_FIELD_CHARS, MAX_NAME_CHARS, check_field, one_line
from discreet.text.cells import clean
from discreet.text.countries import countries_in
from discreet.text.dates import parse_date
from discreet.text.scripts import detect_script

__all__ = ["PARSER", "DfatParser", "listing_date"]

DATASET = "au_dfat_sanctions"
AUTHORITY = "AU"
REFERENCE, NAME = "Reference", "Name of Individual or Entity"
COLUMNS = (REFERENCE, NAME, "Type", "Name Type", "Date of Birth", "Place of Birth",
           "Citizenship", "Address", "Additional Information", "Listing Information",
           "Committees", "Control Date")
# How far down the header may sit (a title or "Last updated" row may come first).
HEADER_SEARCH_ROWS = 20
# An XLSX is a zip: refuse one that would inflate beyond any real list (a zip bomb).
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
NAME_KINDS: dict[str, NameKind] = {
    "primary name": "primary", "primary": "primary", "aka": "alias", "a.k.a.": "alias",
    "original script": "alias", "formerly known as": "previous",
    "previously listed as": "previous", "fka": "previous"}
SCHEMATA = {"individual": "Person", "entity": "Organization", "vessel": "Vessel"}
_REFERENCE = re.compile(r"^(\d+)(?:\.0)?([a-z]+\d*)?$", re.I)
_ENUM = re.compile(r"(?<![^\s;,])\(?[a-h]\)\s*")
_IMO = re.compile(r"\bIMO\b[^0-9]{0,40}?(\d{7})\b")
_LISTED = re.compile(r"\blisted\b.{0,80}?\bon:?\s*(\d{1,2}\s*[A-Za-z]+\.?,?\s*\d{4})", re.I)


@dataclass(slots=True)
class _Listing:
    """The rows of one reference, in file order."""

    number: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class DfatParser(Parser):
    """Parser for DFAT's consolidated list workbook (XLSX)."""

    format = "au_dfat_xlsx"
    title = "Australia DFAT consolidated sanctions list (XLSX)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """An Office Open XML workbook (a zip with ``xl/`` parts); the header is checked on
        reading, so another workbook is refused with the columns it lacks."""
        return head.startswith(b"PK\x03\x04") and b"xl/" in head

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Only ``read`` is used: openpyxl needs the file itself."""
        raise NotImplementedError("DFAT workbooks are read from their path")

    def read(self, path: Path, meta: ListMeta) -> Iterator[Entity]:
        """Group the rows by reference, then build one entity per listing."""
        meta.format, meta.dataset, meta.authority = self.format, DATASET, AUTHORITY
        listings = _listings(path, meta)
        meta.record_count = len(listings)
        odd: dict[str, int] = {}
        for listing in listings.values():
            yield build_entity(listing, path.name, odd)
        for what, count in sorted(odd.items()):
            meta.warnings.append(f"{path.name}: {what} in {count} rows")


def _check_zip(path: Path) -> None:
    """Refuse a file that is not a zip, is cut short, or inflates absurdly."""
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError(f"not a readable Excel workbook (damaged or truncated zip: "
                         f"{one_line(str(exc), 80)})", file=path.name) from exc
    if size > MAX_UNZIPPED_BYTES:
        raise ParseError(f"the workbook unpacks to {size:,} bytes, over the limit of "
                         f"{MAX_UNZIPPED_BYTES:,}: not a real list (zip bomb?)", file=path.name)
    if "xl/workbook.xml" not in names:
        raise ParseError("not an Excel workbook (no xl/workbook.xml in the zip)",
                         file=path.name)


def _listings(path: Path, meta: ListMeta) -> dict[str, _Listing]:
    """Every row of the sheet holding the list's header, grouped by reference number."""
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ParseError(f"not a readable Excel workbook: {one_line(str(exc), 100)}",
                         file=path.name) from exc
    try:
        modified = book.properties.modified
        if isinstance(modified, datetime):
            meta.published = modified.date().isoformat()
        listings: dict[str, _Listing] = {}
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            try:  # closing the generator closes its part of the zip (else the file leaks)
                header = _find_header(rows)
                if header is None:
                    continue
                _read_rows(rows, header, path.name, sheet.title, listings)
            finally:
                rows.close()
            if listings:
                return listings
        sheets = ", ".join(one_line(s.title, 30) for s in book.worksheets) or "none"
        raise ParseError(f"no sheet has the DFAT consolidated list header ({REFERENCE}, "
                         f"{NAME}, Name Type, Committees…) with rows under it (sheets: "
                         f"{sheets}): not the consolidated list", file=path.name)
    except ParseError:
        raise
    except Exception as exc:  # a sheet part damaged inside a readable zip
        raise ParseError(f"the workbook could not be read: {one_line(str(exc), 100)}",
                         file=path.name) from exc
    finally:
        book.close()


def _find_header(rows: Iterator[tuple[Any, ...]]) -> dict[str, int] | None:
    """Column positions from the first row that names Reference and the name column."""
    for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        cells = [" ".join(str(c).split()) if c is not None else "" for c in row]
        if REFERENCE in cells and NAME in cells:
            return {name: cells.index(name) for name in COLUMNS if name in cells}
    return None


def _read_rows(rows: Iterator[tuple[Any, ...]], header: dict[str, int], file: str,
               sheet: str, listings: dict[str, _Listing]) -> None:
    """Group the data rows under the header by reference number."""
    missing = [c for c in ("Name Type", "Committees") if c not in header]
    if missing:
        raise ParseError(f"sheet {one_line(sheet, 30)}: the header lacks {', '.join(missing)}: "
                         "not the DFAT consolidated list layout", file=file, field=missing[0])
    first = None
    for number, row in enumerate(rows, 2):
        values = {name: row[i] if i < len(row) else None for name, i in header.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        first = first or number
        reference = _cell(values[REFERENCE])
        match = _REFERENCE.match(reference or "")
        if match is None:
            raise ParseError(f"sheet {one_line(sheet, 30)}: reference "
                             f"{one_line(reference or '(blank)', 30)!r} is not a DFAT "
                             "reference (a number, then letters for aliases: 2, 2a, 34c1)",
                             file=file, line=number, field=REFERENCE)
        for name, value in values.items():
            if isinstance(value, str):
                check_field(value, file, name, number,
                            MAX_NAME_CHARS if name == NAME else MAX_FIELD_CHARS)
        listings.setdefault(match[1], _Listing(match[1])).rows.append((number, values))


def _cell(value: Any) -> str | None:
    """A cell as clean text: whole numbers without ``.0``, dates as ISO."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _pieces(value: str | None) -> list[str]:
    """The items of an "a) … b) …" enumeration, or the value itself."""
    text = clean(value)
    if text is None:
        return []
    pieces = (clean(p.strip(" ;,")) for p in _ENUM.split(text))
    return [p for p in pieces if p]


def build_entity(listing: _Listing, file: str, odd: dict[str, int]) -> Entity:
    """One entity from the rows of one reference."""
    kind = (_cell(listing.rows[0][1].get("Type")) or "").lower()
    schema = SCHEMATA.get(kind, "LegalEntity")
    if kind not in SCHEMATA:
        what = f"type {one_line(kind or '(blank)', 30)!r} is not Individual or Entity " \
            "(read as LegalEntity)"
        odd[what] = odd.get(what, 0) + 1
    entity = Entity(f"au-{listing.number}", schema, source=DATASET, authority=AUTHORITY,
                    authority_id=listing.number)
    rows = sorted(listing.rows, key=lambda r: _name_rank(r[1]))
    for _, row in rows:
        _add_name(entity, row, odd)
        _add_facts(entity, row)
    _add_listing(entity, [row for _, row in listing.rows])
    return entity.finish()


def _name_kind(row: dict[str, Any]) -> tuple[NameKind, bool]:
    """The name's kind, and whether the file's label was one this parser knows."""
    label = (_cell(row.get("Name Type")) or "").lower()
    kind = NAME_KINDS.get(label)
    return (kind, True) if kind else ("alias", False)


def _name_rank(row: dict[str, Any]) -> int:
    return 0 if _name_kind(row)[0] == "primary" else 1


def _add_name(entity: Entity, row: dict[str, Any], odd: dict[str, int]) -> None:
    name = _cell(row.get(NAME))
    kind, known = _name_kind(row)
    if not known:
        label = one_line(_cell(row.get("Name Type")) or "(blank)", 30)
        what = f"name type {label!r} unknown (read as alias)"
        odd[what] = odd.get(what, 0) + 1
    if kind == "primary" and any(n.kind == "primary" for n in entity.names):
        kind = "alias"  # a second primary name in one listing
    entity.add_name(name, kind, script=detect_script(name) if name else None)


def _add_facts(entity: Entity, row: dict[str, Any]) -> None:
    """Birth dates and places, citizenship, addresses, remarks, IMO numbers of one row."""
    born = row.get("Date of Birth")
    if isinstance(born, datetime | date):
        entity.birth_dates.extend(read_birth_dates(born.isoformat()[:10], "YMD").dates)
    elif (written := _cell(born)) is not None:
        read = read_birth_dates(written, "DMY")
        entity.birth_dates.extend(read.dates)
        entity.remarks.extend(f"Date of birth as written: {p}" for p in read.unread)
    entity.birth_places.extend(_pieces(_cell(row.get("Place of Birth"))))
    for piece in _pieces(_cell(row.get("Citizenship"))):
        codes = _countries(piece)
        target = entity.citizenships if entity.schema == "Person" else entity.countries
        target.extend(codes)
        if not codes:
            entity.remarks.append(f"Citizenship as written: {piece}")
    for piece in _pieces(_cell(row.get("Address"))):
        entity.addresses.append(Address(piece, country=_address_country(piece)))
    info = _cell(row.get("Additional Information"))
    if info:
        entity.remarks.append(info)
        for number in _IMO.findall(info):
            entity.identifiers.append(Identifier("imo", number, label="IMO number"))


@lru_cache(maxsize=16384)
def _address_country(address: str) -> str | None:
    """The country an address ends with, by exact name only (a fuzzy guess on a street or
    a city would put the address in the wrong country)."""
    code = countrynames.to_code(address.rsplit(",", 1)[-1].strip(" ."))
    return code.lower() if code and len(code) == 2 else None


def _countries(text: str) -> list[str]:
    """Countries of a citizenship value: "Russian and Ukrainian", "Turkish/Jordanian"."""
    found = countries_in(text)
    if found:
        return found
    out: list[str] = []
    for part in re.split(r"\s+and\s+|[,;/]", text):
        out.extend(c for c in countries_in(part) if c not in out)
    return out


def listing_date(information: str | None) -> str | None:
    """The first date "Listing Information" states as a listing date (ISO), if any."""
    text = clean(information)
    if text is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    match = _LISTED.search(text)
    if match is None:
        return None
    readings = parse_date(match[1], "DMY").readings
    return readings[0] if readings and len(readings[0]) == 10 else None


def _add_listing(entity: Entity, rows: list[dict[str, Any]]) -> None:
    """Regime, listing information, listing and control dates (the listing's, not a row's)."""
    controls: list[str] = []
    stated: str | None = None
    for row in rows:
        committee = _cell(row.get("Committees"))
        if committee:
            entity.programmes.append(committee)
        information = _cell(row.get("Listing Information"))
        if information:
            entity.remarks.append(f"Listing information: {information}")
            stated = stated or listing_date(information)
        control = _cell(row.get("Control Date"))
        if control and re.fullmatch(r"\d{4}-\d{2}-\d{2}", control):
            controls.append(control)
    for control in sorted(set(controls)):
        entity.add("modifiedAt", control)
    entity.listed_on = stated or (min(controls) if controls else None)


PARSER = DfatParser()
