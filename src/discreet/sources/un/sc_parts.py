"""Addresses and identity documents of UN consolidated list records.

Split from :mod:`discreet.sources.un.sc_xml` because the document-type vocabulary (English,
French and Spanish labels, stray newlines) is the fiddliest part of the format.
"""

from __future__ import annotations

import re

from lxml import etree

from discreet.model import Address, Entity, Identifier
from discreet.sources.common.values import join_clean
from discreet.sources.common.xml_safe import children, local, text
from discreet.text.countries import countries_in

__all__ = ["add_addresses", "add_documents", "document_type"]

_PASSPORT = re.compile(r"passport|passeport|pasaporte", re.I)
_NATIONAL_ID = re.compile(
    r"^(national identification (number|no\.?)|num[ée]ro d'identification nationale"
    r"|n[úu]mero de identificaci[óo]n nacional)$", re.I)


def _field(element: etree._Element, name: str) -> str | None:
    found = children(element, name)
    return text(found[0]) if found else None


def _country(element: etree._Element, *tags: str) -> str | None:
    """ISO code of the first tag holding a recognisable country name."""
    for tag in tags:
        codes = countries_in(_field(element, tag))
        if codes:
            return codes[0]
    return None


def document_type(label: str | None) -> str:
    """passport, national_id or other, from English, French or Spanish labels."""
    value = " ".join((label or "").split())
    if _PASSPORT.search(value):
        return "passport"
    if _NATIONAL_ID.match(value):
        return "national_id"
    return "other"


def add_addresses(entity: Entity, record: etree._Element) -> None:
    """INDIVIDUAL_ADDRESS / ENTITY_ADDRESS -> Address, its country also in ``countries``."""
    for element in children(record, f"{local(record)}_ADDRESS"):
        street, city = _field(element, "STREET"), _field(element, "CITY")
        region, postal = _field(element, "STATE_PROVINCE"), _field(element, "ZIP_CODE")
        country_name = _field(element, "COUNTRY")
        full = join_clean([street, city, region, postal, country_name])
        if full is None:
            continue
        country = _country(element, "COUNTRY")
        entity.addresses.append(Address(full, street, city, region, postal, country))
        if country:
            entity.countries.append(country)


def add_documents(entity: Entity, record: etree._Element) -> None:
    """INDIVIDUAL_DOCUMENT -> Identifier; a document with only a note becomes a remark."""
    for element in children(record, "INDIVIDUAL_DOCUMENT"):
        label = _field(element, "TYPE_OF_DOCUMENT")
        number = _field(element, "NUMBER")
        note = join_clean([_field(element, "TYPE_OF_DOCUMENT2"), _field(element, "NOTE")],
                          "; ")
        if number is None:
            if note:
                entity.remarks.append(f"{label}: {note}" if label else note)
            continue
        country = _country(element, "ISSUING_COUNTRY", "COUNTRY_OF_ISSUE")
        entity.identifiers.append(
            Identifier(document_type(label), number, country, label, note))
