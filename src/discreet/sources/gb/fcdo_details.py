"""Person, address, company and ship details of a UK Sanctions List designation.

Split from :mod:`discreet.sources.gb.fcdo_common` so that each module stays about one thing:
there the record and the names, here the facts hung on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discreet.model import Address, Entity, Identifier, Link
from discreet.sources.common.values import gender, join_clean, parse_dmy
from discreet.text.countries import countries_in

if TYPE_CHECKING:
    from discreet.sources.gb.fcdo_common import UKRecord

__all__ = ["add_details"]

# Ship facts kept as free FtM-style properties.
SHIP_PROPS = (("TypeOfShip", "type"), ("TonnageOfShip", "tonnage"),
              ("LengthOfShip", "length"), ("YearBuilt", "buildDate"),
              ("HullIdentificationNumber", "hullIdentificationNumber"),
              ("TypeOfEntity", "legalForm"))
LINKS = (("ParentCompany", "parent"), ("Subsidiary", "subsidiary"),
         ("CurrentOwnerOperator", "owner_operator"),
         ("PreviousOwnerOperator", "previous_owner_operator"))


def add_details(entity: Entity, record: UKRecord) -> None:
    """Everything after names and listing facts."""
    _add_person(entity, record)
    _add_documents(entity, record)
    _add_addresses(entity, record)
    _add_company_and_ship(entity, record)


def _add_person(entity: Entity, record: UKRecord) -> None:
    """Titles, birth dates and places, nationalities, genders, positions."""
    entity.titles.extend(record.get("Title"))
    entity.positions.extend(record.get("Position"))
    for value in record.get("DOB"):
        spec = parse_dmy(value)
        if spec:
            entity.birth_dates.append(spec)
    for value in record.get("Nationality"):
        entity.nationalities.extend(countries_in(value))
    for value in record.get("Gender"):
        sex = gender(value)
        if sex:
            entity.genders.append(sex)
    for town, country in record.births:
        place = join_clean([town, country])
        if place:
            entity.birth_places.append(place)


def _add_documents(entity: Entity, record: UKRecord) -> None:
    """Passports, national identifiers, registration and IMO numbers."""
    for kind, documents in (("passport", record.passports),
                            ("national_id", record.national_ids)):
        for number, info in documents:
            entity.identifiers.append(Identifier(kind, number, note=info))
    for kind, key in (("registration", "BusinessRegistrationNumber"), ("imo", "IMONumber")):
        for value in record.get(key):
            entity.identifiers.append(Identifier(kind, value))


def _add_addresses(entity: Entity, record: UKRecord) -> None:
    """Addresses, with the country (a name in the source) as ISO alpha-2."""
    for address in record.addresses:
        full = join_clean([*address.lines, address.postal_code, address.country])
        if full is None:
            continue
        codes = countries_in(address.country)
        country = codes[0] if codes else None
        entity.addresses.append(Address(full, postal_code=address.postal_code,
                                        country=country))
        if country:
            entity.countries.append(country)


def _add_company_and_ship(entity: Entity, record: UKRecord) -> None:
    """Parents, subsidiaries, operators as named links; flags and ship facts as properties."""
    for key, relation in LINKS:
        for value in record.get(key):
            entity.links.append(Link(relation, value))
    for key, prop in (("CurrentBelievedFlagOfShip", "flag"), ("PreviousFlag", "pastFlags")):
        for value in record.get(key):
            for code in countries_in(value):
                entity.add(prop, code)
    for key, prop in SHIP_PROPS:
        for value in record.get(key):
            entity.add(prop, value)
