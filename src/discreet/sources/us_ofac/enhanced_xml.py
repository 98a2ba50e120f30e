"""OFAC's ENHANCED XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, SLS exports), read as a stream.

The richest OFAC format: names in several scripts, weak aliases flagged, dates as boxes,
listing dates and "Linked To" relations by id. Its dictionary (referenceValues,
featureTypes) precedes the entities, so it is collected first and then one entity at a time
is held in memory.
"""

from __future__ import annotations

from lxml import etree

from discreet.model import Entity, Link, make_entity_id
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import gender, iso_date, parse_free_date
from discreet.sources.common.xml_safe import children, local, text
from discreet.sources.us_ofac.enhanced_refs import Refs, child, date_spec, read_names
from discreet.sources.us_ofac.xml_common import (
    OfacXmlListParser,
    add_id,
    listed_entity,
    make_address,
)
from discreet.text.cells import clean

__all__ = ["PARSER", "OfacEnhancedParser"]

_ADDRESS_PARTS = {"ADDRESS1": "address1", "ADDRESS2": "address2", "ADDRESS3": "address3",
                  "CITY": "city", "STATE/PROVINCE": "region", "REGION": "region",
                  "POSTAL CODE": "postal_code"}


def _items(element: etree._Element, list_name: str, item: str) -> list[etree._Element]:
    """``<names><name/>…</names>``-style items, direct children only."""
    return [i for lst in children(element, list_name) for i in children(lst, item)]


def _read_publication(element: etree._Element, meta: ListMeta) -> None:
    """dataAsOf, and which list the file holds: only "SDN List" is the SDN dataset."""
    meta.published = iso_date(text(child(element, "dataAsOf"))) or meta.published
    lists = {clean(text(e)) for f in children(element, "filters")
             for e in _items(f, "sanctionsLists", "sanctionsList")}
    lists.discard(None)
    if lists == {"SDN List"}:
        meta.dataset = "us_ofac_sdn"
    elif lists and "SDN List" not in lists:
        meta.dataset = "us_ofac_cons"
    # Both kinds (an SLS export of every list): the file name decides, as set at the start.


def _read_features(entity: Entity, element: etree._Element, refs: Refs) -> None:
    """Features: personal facts go to their fields, the rest through the idType vocabulary."""
    for feature in _items(element, "features", "feature"):
        kind = refs.label(child(feature, "type"), "featureTypeId") or ""
        value_ref = text(child(feature, "valueRefId"))
        value = clean(text(child(feature, "value"))) or refs.values.get(value_ref or "")
        if kind == "Birthdate":
            box = child(feature, "valueDate")
            spec = (date_spec(box) if box is not None else None) or parse_free_date(value)
            entity.birth_dates.extend([spec] if spec else [])
        elif kind == "Place of Birth":
            entity.birth_places.extend([value] if value else [])
        elif kind in ("Nationality Country", "Citizenship Country"):
            code = refs.country(child(feature, "value"), value_ref)
            target = entity.nationalities if kind.startswith("Nat") else entity.citizenships
            target.extend([code] if code else [])
        elif kind == "Gender":
            entity.genders.extend(g for g in [gender(value)] if g)
        else:
            add_id(entity, kind, value)


def _read_documents(entity: Entity, element: etree._Element, refs: Refs) -> None:
    """identityDocuments: the same type vocabulary as the legacy idType."""
    for doc in _items(element, "identityDocuments", "identityDocument"):
        issuer = child(doc, "issuingCountry")
        country = refs.country(issuer) if issuer is not None else None
        add_id(entity, refs.label(child(doc, "type")), text(child(doc, "documentNumber")),
               country)


def _read_addresses(entity: Entity, element: etree._Element, refs: Refs) -> None:
    """One Address per translation with parts; an address that is only a country stays."""
    for address in _items(element, "addresses", "address"):
        country_el = child(address, "country")
        code = refs.country(country_el) if country_el is not None else None
        country_text = refs.label(country_el)
        found = False
        for tr in _items(address, "translations", "translation"):
            parts: dict[str, str] = {}
            for part in _items(tr, "addressParts", "addressPart"):
                key = _ADDRESS_PARTS.get((refs.label(child(part, "type")) or "").upper())
                value = clean(text(child(part, "value")))
                if key and value and key not in parts:
                    parts[key] = value
            made = make_address(parts, country_text, code) if parts else None
            if made is not None:
                entity.addresses.append(made)
                found = True
        if not found and country_text:
            entity.addresses.extend(a for a in [make_address({}, country_text, code)] if a)
        entity.countries.extend([code] if code else [])


def _read_listing(entity: Entity, element: etree._Element, refs: Refs) -> None:
    """Programmes, the earliest listing date, remarks and the "Linked To" relations."""
    entity.programmes.extend(p for e in _items(element, "sanctionsPrograms", "sanctionsProgram")
                             if (p := refs.label(e)))
    dates = [d for e in _items(element, "sanctionsLists", "sanctionsList")
             if (d := iso_date(e.get("datePublished")))]
    entity.listed_on = min(dates) if dates else None
    for info in children(element, "generalInfo"):
        entity.remarks.extend(r for r in [clean(text(child(info, "remarks")))] if r)
    for rel in _items(element, "relationships", "relationship"):
        target = child(rel, "relatedEntity")
        target_id = target.get("entityId") if target is not None else None
        if target_id:
            relation = refs.label(child(rel, "type")) or "Linked To"
            entity.links.append(Link(relation, make_entity_id("ofac", target_id), True))


def _entity(element: etree._Element, meta: ListMeta, refs: Refs) -> Entity:
    """One ``entity`` as an Entity."""
    info = child(element, "generalInfo")
    kind = refs.label(child(info, "entityType")) if info is not None else None
    entity = listed_entity(clean(element.get("id")), kind, element, meta,
                           "entity without an id attribute", "id")
    read_names(entity, element, refs)
    _read_listing(entity, element, refs)
    _read_features(entity, element, refs)
    _read_documents(entity, element, refs)
    _read_addresses(entity, element, refs)
    return entity.finish()


class OfacEnhancedParser(OfacXmlListParser[Refs]):
    """Parser for OFAC's ENHANCED XML (root ``sanctionsData``).

    The dictionary (reference values, feature types) is collected as it streams past, into
    one :class:`Refs` per file, before the entities that use it.
    """

    format = "ofac_enhanced"
    title = "OFAC SDN / consolidated list, ENHANCED XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML)"
    root_tag = "sanctionsData"
    entries = frozenset({"entity"})
    headers = frozenset({"publicationInfo", "referenceValue", "featureType"})

    def start(self, meta: ListMeta) -> Refs:
        return Refs()

    def read_header(self, element: etree._Element, meta: ListMeta, state: Refs) -> None:
        name = local(element)
        if name == "referenceValue":
            state.add_reference(element)
        elif name == "featureType":
            state.add_feature_type(element)
        else:
            _read_publication(element, meta)

    def read_entry(self, element: etree._Element, meta: ListMeta, state: Refs) -> Entity:
        return _entity(element, meta, state)


PARSER = OfacEnhancedParser()
