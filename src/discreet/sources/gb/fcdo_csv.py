"""UK Sanctions List (FCDO) CSV: a ``Report Date:`` line, a header, one row per name.

A designation's rows share its ``Unique ID`` but need not be adjacent, so rows are grouped
in memory (the file is a few megabytes) and each group is mapped by the code shared with
the XML edition. Columns are found by header name, so a reordered or extended header still
reads; a row whose width differs from the header's is refused with its line.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from typing import IO

from discreet.errors import ParseError
from discreet.model import Entity
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.csv_check import Record, check_width, records
from discreet.sources.common.values import MONTHS
from discreet.sources.gb.fcdo_common import (
    AUTHORITY,
    DATASET,
    UKAddress,
    UKName,
    UKRecord,
    build_entity,
)

__all__ = ["COLUMNS", "PARSER", "UKFCDOCSVParser", "report_date"]

# Header name (lower case) -> UKRecord simple field.
COLUMNS = {
    "last updated": "LastUpdated", "ofsi group id": "OFSIGroupID",
    "un reference number": "UNReferenceNumber", "title": "Title", "regime name": "RegimeName",
    "designation type": "IndividualEntityShip", "designation source": "DesignationSource",
    "sanctions imposed": "SanctionsImposed", "other information": "OtherInformation",
    "uk statement of reasons": "UKStatementofReasons", "phone number": "PhoneNumber",
    "website": "Website", "email address": "EmailAddress", "date designated": "DateDesignated",
    "d.o.b": "DOB", "nationality(/ies)": "Nationality", "position": "Position",
    "gender": "Gender", "type of entity": "TypeOfEntity", "subsidiaries": "Subsidiary",
    "parent company": "ParentCompany",
    "business registration number (s)": "BusinessRegistrationNumber",
    "imo number": "IMONumber", "current owner/operator (s)": "CurrentOwnerOperator",
    "previous owner/operator (s)": "PreviousOwnerOperator",
    "current believed flag of ship": "CurrentBelievedFlagOfShip",
    "previous flags": "PreviousFlag", "type of ship": "TypeOfShip",
    "tonnage of ship": "TonnageOfShip", "length of ship": "LengthOfShip",
    "year built": "YearBuilt", "hull identification number (hin)": "HullIdentificationNumber",
}
_Cell = Callable[[str], str | None]
REQUIRED = ("unique id", "name 6", "name type")
_REPORT = re.compile(r"\s*report date:\s*(\d{1,2})-([a-z]{3})-(\d{4})", re.I)


def report_date(line: str) -> str | None:
    """``Report Date: 13-Feb-2026`` -> ``2026-02-13`` (no locale-dependent strptime)."""
    match = _REPORT.match(line)
    if match is None or match[2].lower() not in MONTHS:
        return None
    return f"{match[3]}-{MONTHS[match[2].lower()]:02d}-{int(match[1]):02d}"


class UKFCDOCSVParser(Parser):
    """Parser for the UK Sanctions List in its CSV edition."""

    format = "uk_fcdo_csv"
    title = "UK Sanctions List, FCDO (CSV)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """A ``Report Date:`` first line and a header naming Unique ID and Name 6."""
        text = head.removeprefix(codecs.BOM_UTF8).decode("latin-1").lower()
        first, _, rest = text.partition("\n")
        return (first.lstrip().startswith("report date:") and "unique id" in rest
                and "name 6" in rest)

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Group the rows by Unique ID, then yield one entity per designation."""
        meta.format, meta.dataset, meta.authority = self.format, DATASET, AUTHORITY
        rows = records(io.StringIO(_decode(handle.read()), newline=""), meta.file_name,
                       warnings=meta.warnings)
        first = next(rows, None)
        if first is None or not first.fields:
            raise ParseError("the file is empty", file=meta.file_name)
        meta.published = report_date(first.fields[0])
        second = next(rows, None)
        header = [" ".join(h.lower().split()) for h in (second.fields if second else [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise ParseError(f"the header lacks {', '.join(missing)}", file=meta.file_name,
                             line=second.line if second else 2)
        records_by_id = _group(rows, header, meta)
        meta.record_count = len(records_by_id)
        for record in records_by_id.values():
            yield build_entity(record)


def _decode(data: bytes) -> str:
    """UTF-8 with or without a BOM; Windows-1252 when the bytes are not UTF-8."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _group(rows: Iterator[Record], header: list[str], meta: ListMeta) -> dict[str, UKRecord]:
    """Rows merged into one record per Unique ID, in order of first appearance.

    Width and truncation are checked by csv_check; a last row without a line break is read
    but said in ``meta.warnings``.
    """
    file_name = meta.file_name
    records_by_id: dict[str, UKRecord] = {}
    for row in rows:
        if not any(cell.strip() for cell in row.fields):
            continue
        check_width(row, len(header), file_name)
        cells = dict(zip(header, row.fields, strict=True))
        uid = " ".join(cells["unique id"].split())
        if not uid:
            raise ParseError("row without Unique ID", file=file_name, line=row.line,
                             field="Unique ID")
        _merge(records_by_id.setdefault(uid, UKRecord(uid)), cells)
    return records_by_id


def _merge(record: UKRecord, cells: dict[str, str]) -> None:
    """Add one row's values; repeated values are kept once."""
    def cell(name: str) -> str | None:
        return " ".join(cells.get(name, "").split()) or None

    for column, key in COLUMNS.items():
        record.add(key, cells.get(column))
    parts = tuple(cell(f"name {i}") for i in range(1, 7))
    name = UKName(parts, cell("name type"), cell("alias strength"))
    if any(parts) and name not in record.names:
        record.names.append(name)
    if non_latin := cell("name non-latin script"):
        record.non_latin.append((non_latin, cell("non-latin script type"), None))
    lines = tuple(cell(f"address line {i}") for i in range(1, 7))
    address = UKAddress(lines, cell("address postal code"), cell("address country"))
    if any(lines) or address.postal_code or address.country:
        record.addresses.append(address)
    _merge_documents(record, cell)


def _merge_documents(record: UKRecord, cell: _Cell) -> None:
    """Passport, national identifier and birth place columns."""
    for number, info, target in (
            ("passport number", "passport additional information", record.passports),
            ("national identifier number", "national identifier additional information",
             record.national_ids)):
        value = cell(number)
        if value and (value, cell(info)) not in target:
            target.append((value, cell(info)))
    town, country = cell("town of birth"), cell("country of birth")
    if (town or country) and (town, country) not in record.births:
        record.births.append((town, country))


PARSER = UKFCDOCSVParser()
