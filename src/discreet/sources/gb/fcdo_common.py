"""What the UK Sanctions List XML and CSV have in common: one record shape, one mapping.

Both formats carry the same designation fields, the XML nested and the CSV flattened into
one row per name. Each reader fills a :class:`UKRecord`; :func:`build_entity` turns it into
an entity, so the two formats cannot drift apart in how a field is interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from discreet.model import Entity, NameKind, make_entity_id
from discreet.sources.common.values import parse_dmy
from discreet.sources.gb.fcdo_details import add_details
from discreet.text.cells import clean
from discreet.text.scripts import detect_script

__all__ = [
    "AUTHORITY",
    "DATASET",
    "SIMPLE_FIELDS",
    "UKAddress",
    "UKName",
    "UKRecord",
    "build_entity",
    "regime_code",
]

DATASET = "gb_fcdo_sanctions"
AUTHORITY = "UK"
# The UK's designation types (FCDO's list and OFSI's ConList before it) -> FtM schema.
SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
# Single-valued or repeated leaf fields, named as the XML's elements; the CSV maps onto them.
SIMPLE_FIELDS = (
    "LastUpdated", "DateDesignated", "OFSIGroupID", "UNReferenceNumber", "Title", "RegimeName",
    "IndividualEntityShip", "DesignationSource", "SanctionsImposed", "OtherInformation",
    "UKStatementofReasons", "PhoneNumber", "EmailAddress", "Website", "DOB", "Nationality",
    "Gender", "Position", "TypeOfEntity", "BusinessRegistrationNumber", "ParentCompany",
    "Subsidiary", "IMONumber", "CurrentOwnerOperator", "PreviousOwnerOperator",
    "CurrentBelievedFlagOfShip", "PreviousFlag", "TypeOfShip", "TonnageOfShip", "LengthOfShip",
    "YearBuilt", "HullIdentificationNumber",
)
PART_PROPS = ("firstName", "middleName", "middleName", "middleName", "middleName", "lastName")


@dataclass(frozen=True, slots=True)
class UKName:
    """Name1..Name6 (Name6 is the surname, or the whole name of an entity or ship)."""

    parts: tuple[str | None, ...]
    name_type: str | None = None
    strength: str | None = None


@dataclass(frozen=True, slots=True)
class UKAddress:
    """AddressLine1..6 (no fixed meaning per line), postal code and country name."""

    lines: tuple[str | None, ...]
    postal_code: str | None = None
    country: str | None = None


@dataclass(slots=True)
class UKRecord:
    """One designation as read from either format, before interpretation."""

    uid: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    names: list[UKName] = field(default_factory=list)
    non_latin: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    addresses: list[UKAddress] = field(default_factory=list)
    passports: list[tuple[str, str | None]] = field(default_factory=list)
    national_ids: list[tuple[str, str | None]] = field(default_factory=list)
    births: list[tuple[str | None, str | None]] = field(default_factory=list)

    def add(self, key: str, value: str | None) -> None:
        """Keep a cleaned value once (CSV rows repeat every field for each name)."""
        text = " ".join((value or "").split())
        if text and text not in self.fields.setdefault(key, []):
            self.fields[key].append(text)

    def get(self, key: str) -> list[str]:
        return self.fields.get(key, [])

    def first(self, key: str) -> str | None:
        values = self.get(key)
        return values[0] if values else None


def regime_code(uid: str) -> str | None:
    """The letters before the digits of a UniqueID: ``RUS`` from ``RUS1234``."""
    match = re.match(r"[A-Za-z]+", uid.strip())
    return match[0].upper() if match else None


def build_entity(record: UKRecord) -> Entity:
    """The entity a UK designation describes."""
    kind = (record.first("IndividualEntityShip") or "").lower()
    entity = Entity(make_entity_id("gb-fcdo", record.uid),
                    SCHEMA_BY_TYPE.get(kind, "LegalEntity"), source=DATASET,
                    authority=AUTHORITY, authority_id=record.uid)
    _add_names(entity, record)
    _add_listing(entity, record)
    add_details(entity, record)
    return entity.finish()


def _name_kinds(names: list[UKName]) -> list[NameKind]:
    """The first "Primary Name" is primary (else the first strong name); low quality is weak."""
    kinds: list[NameKind] = ["weak" if "low" in (n.strength or "").lower() else "alias"
                             for n in names]
    primaries = [i for i, n in enumerate(names) if (n.name_type or "").lower() == "primary name"]
    strong = [i for i, kind in enumerate(kinds) if kind == "alias"]
    chosen = primaries or strong
    if chosen:
        kinds[chosen[0]] = "primary"
    return kinds


def _add_names(entity: Entity, record: UKRecord) -> None:
    """Latin names, then non-Latin ones with their script.

    Parts are kept for people whose name is split; a lone Name6 is a whole name, not a surname.
    """
    for name, kind in zip(record.names, _name_kinds(record.names), strict=True):
        value = " ".join(p for p in name.parts if p)
        split = entity.schema == "Person" and any(name.parts[:5])
        parts = tuple((PART_PROPS[i], p) for i, p in enumerate(name.parts) if p)
        entity.add_name(value, kind, parts=parts if split else ())
    for value, script, lang in record.non_latin:
        entity.add_name(value, "alias", script=clean(script) or detect_script(value),
                        lang=lang)


def _add_listing(entity: Entity, record: UKRecord) -> None:
    """Regime, dates, sources, sanctions and the free-text remarks."""
    code = regime_code(record.uid)
    if code:
        entity.programmes.append(code)
    designated = parse_dmy(record.first("DateDesignated"))
    entity.listed_on = designated.start if designated else None
    updated = parse_dmy(record.first("LastUpdated"))
    entity.add("modifiedAt", updated.start if updated else None)
    for key, prop in (("OFSIGroupID", "ofsiGroupId"), ("UNReferenceNumber", "unReference"),
                      ("RegimeName", "programName"), ("DesignationSource", "designationSource"),
                      ("SanctionsImposed", "sanctionsImposed"), ("PhoneNumber", "phone"),
                      ("EmailAddress", "email"), ("Website", "website")):
        for value in record.get(key):
            entity.add(prop, value)
    entity.remarks.extend(record.get("OtherInformation") + record.get("UKStatementofReasons"))
