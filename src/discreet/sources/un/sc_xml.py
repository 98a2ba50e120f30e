"""UN Security Council consolidated list XML (``CONSOLIDATED_LIST``).

Each ``INDIVIDUAL`` becomes a Person and each ``ENTITY`` an Organization, keyed on the stable
``DATAID``. The file is regenerated daily with a new ``dateGenerated`` and ``VERSIONNUM`` is
not reliably bumped, so neither (nor the ``SORT_KEY`` fields) goes into an entity: the same
listing must hash the same whatever day it was downloaded.

Name-part caveat: the UN gives ``FIRST_NAME``..``FOURTH_NAME`` in the order the name is
written, with no given-name/surname meaning. They are stored as the FtM parts firstName,
secondName, middleName and lastName respectively only so that the parts survive; a matcher
must not read "lastName" as a surname here.
"""

from __future__ import annotations

import re

from lxml import etree

from discreet.errors import ParseError
from discreet.model import DateSpec, Entity, NameKind, make_entity_id
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import gender, iso_date, join_clean
from discreet.sources.common.xml_list import StatelessXmlListParser
from discreet.sources.common.xml_safe import children, local, source_line, text, texts
from discreet.sources.un.sc_parts import add_addresses, add_documents
from discreet.text.countries import countries_in
from discreet.text.scripts import detect_script

__all__ = ["PARSER", "UNParser"]

DATASET = "un_sc_sanctions"
AUTHORITY = "UN"
PART_PROPS = (("FIRST_NAME", "firstName"), ("SECOND_NAME", "secondName"),
              ("THIRD_NAME", "middleName"), ("FOURTH_NAME", "lastName"))
ALIAS_KINDS: dict[str, NameKind] = {"good": "alias", "low": "weak", "a.k.a.": "alias",
                                    "f.k.a.": "previous", "": "alias"}


class UNParser(StatelessXmlListParser):
    """Parser for the UN Security Council consolidated list XML (root ``CONSOLIDATED_LIST``);
    the root's ``dateGenerated`` dates it."""

    format = "un_xml"
    title = "UN Security Council consolidated list (XML)"
    root = re.compile(rb"<(?:\w+:)?CONSOLIDATED_LIST[\s>]")
    dataset, authority = DATASET, AUTHORITY
    entries = frozenset({"INDIVIDUAL", "ENTITY"})

    def read_root(self, root: etree._Element, meta: ListMeta) -> None:
        meta.published = iso_date(root.get("dateGenerated"))

    def read_entry(self, element: etree._Element, meta: ListMeta, state: None) -> Entity:
        return build_entity(element, meta.file_name)


def _field(record: etree._Element, name: str) -> str | None:
    """Text of a direct child, so that nested NOTE/CITY elements are never picked up."""
    found = children(record, name)
    return text(found[0]) if found else None


def build_entity(record: etree._Element, file_name: str) -> Entity:
    """One Person or Organization from an INDIVIDUAL or ENTITY element."""
    dataid = _field(record, "DATAID")
    if not dataid:
        raise ParseError("record without DATAID", file=file_name, line=source_line(record),
                         field="DATAID")
    person = local(record) == "INDIVIDUAL"
    entity = Entity(make_entity_id("un", dataid), "Person" if person else "Organization",
                    source=DATASET, authority=AUTHORITY, authority_id=dataid)
    entity.add("unReference", _field(record, "REFERENCE_NUMBER"))
    _add_names(entity, record)
    _add_listing(entity, record)
    if person:
        _add_person(entity, record)
    add_addresses(entity, record)
    add_documents(entity, record)
    return entity.finish()


def _add_names(entity: Entity, record: etree._Element) -> None:
    """Primary name from the parts, the original-script name, then the aliases."""
    parts = tuple((prop, value) for tag, prop in PART_PROPS
                  if (value := _field(record, tag)))
    primary = " ".join(value for _, value in parts)
    entity.add_name(primary, "primary", parts=parts if entity.schema == "Person" else ())
    original = _field(record, "NAME_ORIGINAL_SCRIPT")
    entity.add_name(original, "alias", script=detect_script(original))
    for alias in children(record, f"{local(record)}_ALIAS"):
        name = _field(alias, "ALIAS_NAME")
        quality = (_field(alias, "QUALITY") or "").lower()
        entity.add_name(name, ALIAS_KINDS.get(quality, "alias"))
        if name:
            _add_alias_birth(entity, alias)


def _add_alias_birth(entity: Entity, alias: etree._Element) -> None:
    """Birth facts the UN attaches to an alias still describe the same person."""
    born = iso_date(_field(alias, "DATE_OF_BIRTH"))
    if born:
        entity.birth_dates.append(DateSpec(born))
    place = join_clean([_field(alias, "CITY_OF_BIRTH"), _field(alias, "COUNTRY_OF_BIRTH")])
    if place:
        entity.birth_places.append(place)


def _add_listing(entity: Entity, record: etree._Element) -> None:
    """Regime, dates and remarks, common to individuals and entities."""
    programme = _field(record, "UN_LIST_TYPE")
    if programme:
        entity.programmes.append(programme)
    entity.listed_on = iso_date(_field(record, "LISTED_ON"))
    entity.delisted_on = iso_date(_field(record, "DELISTED_ON"))
    comments = _field(record, "COMMENTS1")
    if comments:
        entity.remarks.append(comments)
    for updated in children(record, "LAST_DAY_UPDATED"):
        for value in texts(updated, "VALUE"):
            entity.add("modifiedAt", iso_date(value))


def _add_person(entity: Entity, record: etree._Element) -> None:
    """Gender, titles, positions, nationalities, birth dates and places."""
    sex = gender(_field(record, "GENDER"))
    if sex:
        entity.genders.append(sex)
    for tag, target in (("TITLE", entity.titles), ("DESIGNATION", entity.positions)):
        for group in children(record, tag):
            target.extend(texts(group, "VALUE"))
    for group in children(record, "NATIONALITY"):
        for value in texts(group, "VALUE"):
            entity.nationalities.extend(countries_in(value))
    for dob in children(record, "INDIVIDUAL_DATE_OF_BIRTH"):
        spec = birth_date(dob)
        if spec:
            entity.birth_dates.append(spec)
    for pob in children(record, "INDIVIDUAL_PLACE_OF_BIRTH"):
        place = join_clean(_field(pob, tag) for tag in
                           ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
        if place:
            entity.birth_places.append(place)


def birth_date(dob: etree._Element) -> DateSpec | None:
    """EXACT / APPROXIMATELY with DATE or YEAR, or BETWEEN FROM_YEAR and TO_YEAR."""
    kind = (_field(dob, "TYPE_OF_DATE") or "").upper()
    start = iso_date(_field(dob, "DATE")) or _field(dob, "YEAR")
    if kind == "BETWEEN" or start is None:
        low, high = _field(dob, "FROM_YEAR"), _field(dob, "TO_YEAR")
        if low and high:
            return DateSpec(low, high if high != low else None)
        start = start or low or high
    if start is None:
        return None
    return DateSpec(start, approximate=kind == "APPROXIMATELY")


PARSER = UNParser()
