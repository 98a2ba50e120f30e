"""OFAC's legacy "sdnList" XML (sdn.xml, consolidated.xml), read as a stream.

This is the one legacy OFAC format that says which aliases are weak, so it is read with its
own structure rather than through the CSVs. The namespace changed in 2024; only local names
are matched.
"""

from __future__ import annotations

from lxml import etree

from discreet.model import Entity, NameKind
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import parse_free_date, parse_mdy
from discreet.sources.common.xml_safe import children, text
from discreet.sources.us_ofac.xml_common import (
    OfacXmlListParser,
    add_id,
    listed_entity,
    make_address,
)
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = ["PARSER", "OfacXmlParser"]

_AKA_KINDS: dict[str, NameKind] = {"a.k.a.": "alias", "f.k.a.": "previous", "n.k.a.": "alias"}
_VESSEL_PROPS = {"callSign": "callSign", "vesselType": "vesselType", "vesselOwner": "owner",
                 "tonnage": "tonnage", "grossRegisteredTonnage": "grossRegisteredTonnage"}
_ADDRESS_PARTS = {"address1": "address1", "address2": "address2", "address3": "address3",
                  "city": "city", "stateOrProvince": "region", "postalCode": "postal_code"}


def _items(entry: etree._Element, list_name: str) -> list[etree._Element]:
    """The items of a ``…List`` child (``akaList/aka``), in order."""
    return [item for lst in children(entry, list_name) for item in lst]


def _child(element: etree._Element, name: str) -> str | None:
    """Cleaned text of a direct child, so a nested element of the same name never leaks in."""
    found = children(element, name)
    return clean(text(found[0])) if found else None


def _read_names(entity: Entity, entry: etree._Element) -> None:
    """The primary name in natural order with its parts, then the akas with their kind."""
    first, last = _child(entry, "firstName"), _child(entry, "lastName")
    parts = tuple((k, v) for k, v in (("firstName", first), ("lastName", last)) if v)
    person = entity.schema == "Person"
    entity.add_name(" ".join(p for p in (first, last) if p), "primary",
                    parts=parts if person else ())
    for aka in _items(entry, "akaList"):
        first, last = _child(aka, "firstName"), _child(aka, "lastName")
        kind: NameKind = _AKA_KINDS.get((_child(aka, "type") or "").lower(), "alias")
        if (_child(aka, "category") or "").lower() == "weak":
            kind = "weak"
        parts = tuple((k, v) for k, v in (("firstName", first), ("lastName", last)) if v)
        entity.add_name(" ".join(p for p in (first, last) if p), kind,
                        parts=parts if person else ())


def _read_people(entity: Entity, entry: etree._Element) -> None:
    """Birth dates and places, nationalities, citizenships and titles."""
    for item in _items(entry, "dateOfBirthList"):
        spec = parse_free_date(_child(item, "dateOfBirth"))
        if spec is not None:
            entity.birth_dates.append(spec)
    for item in _items(entry, "placeOfBirthList"):
        place = _child(item, "placeOfBirth")
        if place:
            entity.birth_places.append(place)
    for list_name, target in (("nationalityList", entity.nationalities),
                              ("citizenshipList", entity.citizenships)):
        for item in _items(entry, list_name):
            code = country_code(_child(item, "country"))
            if code:
                target.append(code)
    title = _child(entry, "title")
    if title:
        entity.titles.append(title)


def _read_addresses(entity: Entity, entry: etree._Element) -> None:
    """Addresses with their parts; each address's country also counts as a country."""
    for item in _items(entry, "addressList"):
        parts = {key: value for tag, key in _ADDRESS_PARTS.items()
                 if (value := _child(item, tag))}
        country_text = _child(item, "country")
        code = country_code(country_text)
        address = make_address(parts, country_text, code)
        if address is not None:
            entity.addresses.append(address)
        if code:
            entity.countries.append(code)


def _read_ids_and_vessel(entity: Entity, entry: etree._Element) -> None:
    """idList (real IDs and pseudo-IDs alike) and vesselInfo."""
    for item in _items(entry, "idList"):
        add_id(entity, _child(item, "idType"), _child(item, "idNumber"),
               country_code(_child(item, "idCountry")))
    for info in children(entry, "vesselInfo"):
        for tag, prop in _VESSEL_PROPS.items():
            entity.add(prop, _child(info, tag))
        flag = _child(info, "vesselFlag")
        entity.add("flag", country_code(flag) or flag)


def _entry_to_entity(entry: etree._Element, meta: ListMeta) -> Entity:
    """One sdnEntry as an Entity."""
    entity = listed_entity(_child(entry, "uid"), _child(entry, "sdnType"), entry, meta,
                           "sdnEntry without a uid", "uid")
    _read_names(entity, entry)
    _read_people(entity, entry)
    _read_addresses(entity, entry)
    _read_ids_and_vessel(entity, entry)
    entity.programmes.extend(p for item in _items(entry, "programList")
                             if (p := clean(text(item))))
    remarks = _child(entry, "remarks")
    if remarks:
        entity.remarks.insert(0, remarks)
    return entity.finish()


def _read_publish_info(element: etree._Element, meta: ListMeta) -> None:
    """``publshInformation`` (OFAC's spelling): the publication date and stated count."""
    meta.published = parse_mdy(_child(element, "Publish_Date")) or meta.published
    count = _child(element, "Record_Count")
    if count and count.isdigit():
        meta.record_count = int(count)


class OfacXmlParser(OfacXmlListParser[None]):
    """Parser for sdn.xml and consolidated.xml (root ``sdnList``)."""

    format = "ofac_xml"
    title = "OFAC SDN / consolidated list, legacy sdnList XML (sdn.xml, consolidated.xml)"
    root_tag = "sdnList"
    entries = frozenset({"sdnEntry"})
    headers = frozenset({"publshInformation"})

    def start(self, meta: ListMeta) -> None:
        return None

    def read_header(self, element: etree._Element, meta: ListMeta, state: None) -> None:
        _read_publish_info(element, meta)

    def read_entry(self, element: etree._Element, meta: ListMeta, state: None) -> Entity:
        return _entry_to_entity(element, meta)


PARSER = OfacXmlParser()
