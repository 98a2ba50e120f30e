"""UK Sanctions List (FCDO) XML: ``<Designations>`` of ``<Designation>`` elements.

Each designation is read into a :class:`~discreet.sources.gb.fcdo_common.UKRecord` and mapped by
the code shared with the CSV edition, keyed on the stable ``UniqueID``.
"""

from __future__ import annotations

import re

from lxml import etree

from discreet.errors import ParseError
from discreet.model import Entity
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import parse_dmy
from discreet.sources.common.xml_list import StatelessXmlListParser
from discreet.sources.common.xml_safe import local, source_line, text, texts
from discreet.sources.gb.fcdo_common import (
    AUTHORITY,
    DATASET,
    SIMPLE_FIELDS,
    UKAddress,
    UKName,
    UKRecord,
    build_entity,
)

__all__ = ["PARSER", "UKFCDOParser", "read_record"]


class UKFCDOParser(StatelessXmlListParser):
    """Parser for the UK Sanctions List in its XML edition (root ``Designations``, no
    namespace); ``DateGenerated`` (a child, not an attribute) dates it."""

    format = "uk_fcdo_xml"
    title = "UK Sanctions List, FCDO (XML)"
    root = re.compile(rb"<Designations[\s>]")
    dataset, authority = DATASET, AUTHORITY
    entries = frozenset({"Designation"})
    headers = frozenset({"DateGenerated"})

    def read_header(self, element: etree._Element, meta: ListMeta, state: None) -> None:
        generated = parse_dmy(text(element))
        meta.published = generated.start if generated else None

    def read_entry(self, element: etree._Element, meta: ListMeta, state: None) -> Entity:
        return build_entity(read_record(element, meta.file_name))


def _all(element: etree._Element, name: str) -> list[etree._Element]:
    """Every descendant called ``name``."""
    return [e for e in element.iter() if local(e) == name and e is not element]


def read_record(designation: etree._Element, file_name: str) -> UKRecord:
    """The designation's fields as a :class:`UKRecord`."""
    uid = text(designation, "UniqueID")
    if not uid:
        raise ParseError("Designation without UniqueID", file=file_name,
                         line=source_line(designation), field="UniqueID")
    record = UKRecord(uid)
    for key in SIMPLE_FIELDS:
        for value in texts(designation, key):
            record.add(key, value)
    for name in _all(designation, "Name"):
        parts = tuple(text(name, f"Name{i}") for i in range(1, 7))
        record.names.append(UKName(parts, text(name, "NameType"), text(name, "AliasStrength")))
    for non_latin in _all(designation, "NonLatinName"):
        written = text(non_latin, "NameNonLatinScript")
        if written:
            record.non_latin.append((written, text(non_latin, "NonLatinScriptType"), None))
    _read_nested(designation, record)
    return record


def _read_nested(designation: etree._Element, record: UKRecord) -> None:
    """Addresses, documents and birth places: fields that only make sense together."""
    for address in _all(designation, "Address"):
        lines = tuple(text(address, f"AddressLine{i}") for i in range(1, 7))
        record.addresses.append(UKAddress(lines, text(address, "AddressPostalCode"),
                                          text(address, "AddressCountry")))
    for element, number, info, target in (
            ("Passport", "PassportNumber", "PassportAdditionalInformation", record.passports),
            ("NationalIdentifier", "NationalIdentifierNumber",
             "NationalIdentifierAdditionalInformation", record.national_ids)):
        for document in _all(designation, element):
            value = text(document, number)
            if value:
                target.append((value, text(document, info)))
    for location in _all(designation, "Location"):
        record.births.append((text(location, "TownOfBirth"), text(location, "CountryOfBirth")))


PARSER = UKFCDOParser()
