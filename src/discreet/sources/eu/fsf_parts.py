"""Addresses, contact details and identification documents of EU FSF records.

Split from :mod:`discreet.sources.eu.fsf_xml` to keep each module about one concern; the EU
fills every attribute, empty or not, so blanks are dropped here.
"""

from __future__ import annotations

from lxml import etree

from discreet.model import Address, Entity, Identifier
from discreet.sources.common.values import join_clean
from discreet.sources.common.xml_safe import children
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = ["ID_TYPES", "add_addresses", "add_identifiers"]

# identificationTypeCode -> model identifier type; anything else is "other".
ID_TYPES = {"passport": "passport", "id": "national_id", "regnumber": "registration",
            "fiscalcode": "tax_id", "tax": "tax_id", "swiftbic": "swift_bic", "imo": "imo"}
CONTACT_PROPS = {"WEB": "website", "EMAIL": "email", "PHONE": "phone"}


def _attr(element: etree._Element, name: str) -> str | None:
    return clean(element.get(name))


def _remarks(element: etree._Element) -> str | None:
    return join_clean((child.text for child in children(element, "remark")), "; ")


def add_addresses(entity: Entity, record: etree._Element) -> None:
    """address -> Address (country also in ``countries``) and contact properties."""
    for element in children(record, "address"):
        street, city = _attr(element, "street"), _attr(element, "city")
        postal, region = _attr(element, "zipCode"), _attr(element, "region")
        place, po_box = _attr(element, "place"), _attr(element, "poBox")
        country = country_code(element.get("countryIso2Code"))
        full = join_clean([street, po_box and f"P.O. Box {po_box}", city, postal, region,
                           place, element.get("countryDescription") if country else None])
        if full:
            entity.addresses.append(Address(full, street, city or place, region, postal,
                                            country))
        if country:
            entity.countries.append(country)
        for contact in children(element, "contactInfo"):
            prop = CONTACT_PROPS.get((contact.get("key") or "").upper())
            if prop:
                entity.add(prop, clean(contact.get("value")))


def add_identifiers(entity: Entity, record: etree._Element) -> None:
    """identification -> Identifier with the EU's own type label and issuing country."""
    for element in children(record, "identification"):
        number = _attr(element, "number") or _attr(element, "latinNumber")
        if number is None:
            continue
        code = (element.get("identificationTypeCode") or "").lower()
        entity.identifiers.append(Identifier(
            ID_TYPES.get(code, "other"), number,
            country_code(element.get("countryIso2Code")),
            _attr(element, "identificationTypeDescription"), _remarks(element)))
