"""The retired OFSI (HM Treasury) Consolidated List CSV, ConList.csv.

Line 1 is ``Last Updated,dd/mm/yyyy``, line 2 the header: 29 columns in the 2014 layout, 36
in the 2022+ layout; columns are looked up by header name so both layouts read alike. Every
row is one name variant × DOB, and the rows of one ``Group ID`` are not always adjacent, so
the whole file (a few MB at most) is read and grouped in memory before entities are built.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from typing import IO

from discreet.errors import ParseError
from discreet.model import Address, Entity, NameKind, make_entity_id
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.csv_check import Record, check_width, records
from discreet.sources.common.csv_lines import BOM
from discreet.sources.common.values import parse_dmy
from discreet.sources.gb.fcdo_common import SCHEMA_BY_TYPE
from discreet.sources.gb.ofsi_values import identifiers, language_code
from discreet.text.cells import clean
from discreet.text.countries import country_code, country_codes

__all__ = ["PARSER", "OfsiCsvParser"]

Row = dict[str, str]
NAME_KINDS: dict[str, NameKind] = {"prime alias": "primary", "primary name": "primary",
                                   "aka": "alias", "fka": "previous"}
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Group ID")


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else cp1252: the 2014 file is Windows-1252 throughout."""
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header(records: Iterator[Record], file_name: str, meta: ListMeta) -> list[str]:
    """Check lines 1 and 2; set ``meta.published`` and the layout."""
    first = next(records, None)
    if first is None or not first.fields:
        raise ParseError("the file is empty", file=file_name)
    if first.fields[0].strip().lower() != "last updated":
        raise ParseError("line 1 is not 'Last Updated,dd/mm/yyyy'", file=file_name, line=1)
    published = parse_dmy(first.fields[1] if len(first.fields) > 1 else None)
    meta.published = published.start if published and len(published.start) == 10 else None
    second = next(records, None)
    header = [h.strip() for h in (second.fields if second else [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ParseError(f"header lacks {', '.join(missing)}", file=file_name, line=2)
    meta.extra["layout"] = "2014" if "Alias Quality" not in header else "2022"
    return header


def read_groups(text: str, file_name: str, meta: ListMeta) -> dict[str, list[Row]]:
    """Rows keyed by Group ID, in order of first appearance; sets ``meta.published``.

    A row of the wrong width, or a last row cut short, refuses the file (see csv_check); a
    last row without a line break is read but said in ``meta.warnings``.
    """
    rows = records(io.StringIO(text, newline=""), file_name, warnings=meta.warnings)
    header = _header(rows, file_name, meta)
    groups: dict[str, list[Row]] = {}
    for record in rows:
        if not any(v.strip() for v in record.fields):
            continue
        check_width(record, len(header), file_name)
        row = {h: v.strip() for h, v in zip(header, record.fields, strict=True)}
        groups.setdefault(row["Group ID"], []).append(row)
    return groups


def _name_kind(row: Row, entity: Entity) -> NameKind:
    kind = NAME_KINDS.get(row["Alias Type"].lower(), "alias")
    if kind == "primary" and any(n.kind == "primary" for n in entity.names):
        kind = "alias"
    if kind == "alias" and row.get("Alias Quality", "").lower() == "low":
        kind = "weak"
    return kind


def _add_names(entity: Entity, row: Row) -> None:
    given = [row[f"Name {i}"] for i in range(1, 6) if row.get(f"Name {i}")]
    surname = row["Name 6"]
    parts: tuple[tuple[str, str], ...] = ()
    if entity.schema == "Person":
        pairs = [("firstName", given[0] if given else ""),
                 ("middleName", " ".join(given[1:])), ("lastName", surname)]
        parts = tuple((k, v) for k, v in pairs if v)
    value = " ".join(" ".join([*given, surname]).split())
    if all(n.value != value for n in entity.names):  # one row per DOB repeats each name
        entity.add_name(value, _name_kind(row, entity), parts=parts)
    script = clean(row.get("Name Non-Latin Script"))
    if script:
        entity.add_name(script, "alias", script=clean(row.get("Non-Latin Script Type")),
                        lang=language_code(row.get("Non-Latin Script Language")))


def _add_person(entity: Entity, row: Row) -> None:
    if (dob := parse_dmy(row.get("DOB"))) is not None:
        entity.birth_dates.append(dob)
    place = ", ".join(p for p in (row.get("Town of Birth"), row.get("Country of Birth")) if p)
    if place:
        entity.birth_places.append(place)
    entity.nationalities.extend(country_codes(row.get("Nationality")))
    if row.get("Position"):
        entity.positions.append(row["Position"])
    if row.get("Title"):
        entity.titles.append(row["Title"])
    entity.identifiers.extend(identifiers(row))


def _add_address(entity: Entity, row: Row) -> None:
    lines = [row[f"Address {i}"] for i in range(1, 7) if row.get(f"Address {i}")]
    postal, country = clean(row.get("Post/Zip Code")), clean(row.get("Country"))
    full = ", ".join([*lines, *(p for p in (postal, country) if p)])
    if not full:
        return
    code = country_code(country) if country else None
    street = ", ".join(lines) or None
    entity.addresses.append(Address(full, street=street, postal_code=postal, country=code))
    if code:
        entity.countries.append(code)


def _listed_on(entity: Entity, row: Row) -> None:
    listed = parse_dmy(row.get("Listed On"))
    if listed and (entity.listed_on is None or listed.start < entity.listed_on):
        entity.listed_on = listed.start


def build_entity(group_id: str, rows: list[Row], meta: ListMeta) -> Entity:
    """One entity from every row of a group; the first Prime Alias row gives the name."""
    schema = SCHEMA_BY_TYPE.get(rows[0]["Group Type"].lower(), "LegalEntity")
    entity = Entity(make_entity_id("gb-hmt", group_id), schema, meta.dataset, "UK", group_id)
    ordered = sorted(rows, key=lambda r: NAME_KINDS.get(r["Alias Type"].lower()) != "primary")
    for row in ordered:
        _add_names(entity, row)
        _add_person(entity, row)
        _add_address(entity, row)
        if row.get("Regime"):
            entity.programmes.append(row["Regime"])
        if row.get("Other Information"):
            entity.remarks.append(row["Other Information"])
        _listed_on(entity, row)
    if entity.names and not any(n.kind == "primary" for n in entity.names):
        entity.names[0] = replace(entity.names[0], kind="primary")
    return entity.finish()


class OfsiCsvParser(Parser):
    """OFSI ConList.csv, the 2014 (29-column) and 2022+ (36-column) layouts."""

    format = "ofsi_csv"
    title = "OFSI Consolidated List CSV (ConList.csv, retired Jan 2026)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """``Last Updated,`` on line 1 and a header with ``Name 6`` and ``Group ID``."""
        lines = decode(head).splitlines()
        return (len(lines) >= 2 and lines[0].lower().startswith("last updated,")
                and lines[1].startswith("Name 6,") and "Group ID" in lines[1])

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Group the rows by Group ID in memory, then yield one entity per group."""
        meta.format, meta.authority, meta.dataset = self.format, "UK", "gb_hmt_sanctions"
        data = handle.read()
        file_name = meta.file_name or "ConList.csv"
        if not data.strip():
            raise ParseError("the file is empty", file=file_name)
        groups = read_groups(decode(data), file_name, meta)
        meta.extra["rows"] = str(sum(len(rows) for rows in groups.values()))
        for group_id, rows in groups.items():
            yield build_entity(group_id, rows, meta)


PARSER = OfsiCsvParser()
