"""One entity model for every list, named after FollowTheMoney (FtM) schemata and properties.

Sources differ wildly in shape; downstream code (store, matcher, API) sees only
:class:`Entity`. Structure that FtM flattens away (a name's kind and script, a birth date's
precision, an identifier's issuing country) is kept in small records. The model imports
nothing of discreet's: conversion to and from FtM entity JSON lives downstream, in
:mod:`discreet.sources.opensanctions.ftm`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, cast

import orjson

__all__ = [
    "SCHEMATA",
    "Address",
    "DateSpec",
    "Entity",
    "EntityDict",
    "Identifier",
    "Link",
    "Name",
    "NameKind",
    "canonical_json",
    "entity_row",
    "make_entity_id",
]

SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")

NameKind = Literal["primary", "alias", "weak", "previous"]
NAME_KINDS: tuple[NameKind, ...] = ("primary", "alias", "weak", "previous")

# The FtM property each name kind maps to.
NAME_PROPS: dict[str, str] = {
    "primary": "name",
    "alias": "alias",
    "weak": "weakAlias",
    "previous": "previousName",
}

# Identifier types and the FtM property each one is exported as.
ID_PROPS: dict[str, str] = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "tax_id": "taxNumber",
    "registration": "registrationNumber",
    "imo": "imoNumber",
    "swift_bic": "swiftBic",
    "crypto": "cryptoWallet",
    "other": "idNumber",
}


def make_entity_id(authority: str, authority_id: str) -> str:
    """Stable id from the authority and its own id: the same listing keeps it across versions."""
    clean = "".join(ch for ch in authority_id.strip() if ch.isalnum() or ch in "-_.")
    return f"{authority.lower()}-{clean}"


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entity, with its kind and, where the source says, script, language, parts."""

    value: str
    kind: NameKind = "primary"
    lang: str | None = None  # ISO 639 code where the source gives a language
    script: str | None = None  # e.g. "Latin", "Cyrillic", "Arabic"
    parts: tuple[tuple[str, str], ...] = ()  # (FtM part property, value): firstName, lastName…

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "kind": self.kind}
        if self.lang:
            out["lang"] = self.lang
        if self.script:
            out["script"] = self.script
        if self.parts:
            out["parts"] = [list(p) for p in self.parts]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Name:
        parts = tuple((str(k), str(v)) for k, v in data.get("parts", []))
        return cls(data["value"], data.get("kind", "primary"), data.get("lang"),
                   data.get("script"), parts)


def filling_class(cls: type) -> Any:
    """A class of ``cls``'s slots, in their order, and nothing else: a new object of it takes
    each field by a plain slot store, then becomes a ``cls`` (``__class__`` assigned: Python
    allows it between classes of the same slots, and refuses it otherwise, so a field added
    to ``cls`` cannot be left out unseen). A frozen dataclass's ``__init__`` calls
    ``object.__setattr__`` for each field instead, and a slot's own setter is a call too:
    the records of every result entity a query returns are made so."""
    return type(f"_{cls.__name__}Filling", (), {"__slots__": cls.__dict__["__slots__"]})


_NAME = filling_class(Name)
_SCHEMA_SET = frozenset(SCHEMATA)
_NEW = object.__new__


def _name_of(data: dict[str, Any]) -> Name:
    """:meth:`Name.from_dict` of a name of the wire form (its parts pairs of text): the
    same Name, filled slot by slot (:func:`filling_class`; an entity decodes several)."""
    get = data.get
    made = _NAME()
    made.value = data["value"]
    made.kind = get("kind", "primary")
    made.lang = get("lang")
    made.script = get("script")
    parts = get("parts")
    made.parts = tuple((k, v) for k, v in parts) if parts else ()
    made.__class__ = Name
    name: Name = made
    return name


@dataclass(frozen=True, slots=True)
class DateSpec:
    """A date as precise as the source gives it.

    ``start`` is an ISO prefix (``1963-07-28``, ``1963-07`` or ``1963``); ``end`` is set for a
    range (``1967`` to ``1969``); ``approximate`` marks "circa" dates.
    """

    start: str
    end: str | None = None
    approximate: bool = False

    @property
    def kind(self) -> str:
        """exact, month, year, range or approximate: what a reviewer reads."""
        if self.approximate:
            return "approximate"
        if self.end:
            return "range"
        return {10: "exact", 7: "month"}.get(len(self.start), "year")

    def __str__(self) -> str:
        text = f"{self.start}..{self.end}" if self.end else self.start
        return f"circa {text}" if self.approximate else text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start}
        if self.end:
            out["end"] = self.end
        if self.approximate:
            out["approximate"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateSpec:
        return cls(data["start"], data.get("end"), bool(data.get("approximate", False)))


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifying number: passport, national ID, tax ID, registration, IMO, BIC, wallet…"""

    type: str  # one of ID_PROPS' keys
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2, lower case, of the issuer
    label: str | None = None  # the source's own name for the type, e.g. "Numéro de passeport"
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _compact({"type": self.type, "value": self.value, "country": self.country,
                         "label": self.label, "note": self.note})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Identifier:
        return cls(data["type"], data["value"], data.get("country"), data.get("label"),
                   data.get("note"))


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``full`` is always set, the parts only where the source splits them."""

    full: str
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO alpha-2, lower case

    def to_dict(self) -> dict[str, Any]:
        return _compact({"full": self.full, "street": self.street, "city": self.city,
                         "region": self.region, "postal_code": self.postal_code,
                         "country": self.country})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Address:
        return cls(data["full"], data.get("street"), data.get("city"), data.get("region"),
                   data.get("postal_code"), data.get("country"))


@dataclass(frozen=True, slots=True)
class Link:
    """A relation the source states: "Linked To", parent company, owner…

    ``target`` is the other entity's id when the source names it by id, else its name.
    """

    relation: str
    target: str
    target_is_id: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "target": self.target, "target_is_id": self.target_is_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(data["relation"], data["target"], bool(data.get("target_is_id", False)))


_DATE, _IDENTIFIER, _ADDRESS = (filling_class(c) for c in (DateSpec, Identifier, Address))


def _date_of(data: dict[str, Any]) -> DateSpec:
    """:meth:`DateSpec.from_dict`, filled slot by slot (:func:`filling_class`)."""
    made = _DATE()
    made.start = data["start"]
    made.end = data.get("end")
    made.approximate = bool(data.get("approximate", False))
    made.__class__ = DateSpec
    date: DateSpec = made
    return date


def _identifier_of(data: dict[str, Any]) -> Identifier:
    """:meth:`Identifier.from_dict`, filled slot by slot (:func:`filling_class`)."""
    get = data.get
    made = _IDENTIFIER()
    made.type = data["type"]
    made.value = data["value"]
    made.country = get("country")
    made.label = get("label")
    made.note = get("note")
    made.__class__ = Identifier
    identifier: Identifier = made
    return identifier


def _address_of(data: dict[str, Any]) -> Address:
    """:meth:`Address.from_dict`, filled slot by slot (:func:`filling_class`)."""
    get = data.get
    made = _ADDRESS()
    made.full = data["full"]
    made.street = get("street")
    made.city = get("city")
    made.region = get("region")
    made.postal_code = get("postal_code")
    made.country = get("country")
    made.__class__ = Address
    address: Address = made
    return address


_LINK = filling_class(Link)

# An entity's row: its fields in the order of its slots, each record a tuple of its own
# slots' values (what a persisted index stores, marshalled: match/matcher.py's EntityRows).
EntityRow = tuple[Any, ...]


def entity_row(data: dict[str, Any]) -> EntityRow:
    """The row of an entity's wire form (what :meth:`Entity.from_parsed` reads, read alike:
    the same defaults, the same errors): :meth:`Entity.from_row` makes the same entity of
    it with no mapping looked up, one slot store a field."""
    get = data.get
    return (data["id"], data["schema"], get("source", ""), get("authority", ""),
            get("authority_id", ""), [_name_row(x) for x in get("names") or ()],
            [(x["start"], x.get("end"), bool(x.get("approximate", False)))
             for x in get("birth_dates") or ()],
            get("birth_places") or [], get("nationalities") or [],
            get("citizenships") or [], get("countries") or [], get("genders") or [],
            get("titles") or [], get("positions") or [],
            [(x["type"], x["value"], x.get("country"), x.get("label"), x.get("note"))
             for x in get("identifiers") or ()],
            [(x["full"], x.get("street"), x.get("city"), x.get("region"),
              x.get("postal_code"), x.get("country")) for x in get("addresses") or ()],
            get("programmes") or [], get("topics") or [], get("listed_on"),
            get("delisted_on"), get("remarks") or [],
            [(x["relation"], x["target"], bool(x.get("target_is_id", False)))
             for x in get("links") or ()],
            get("properties") or {})


def _name_row(data: dict[str, Any]) -> tuple[Any, ...]:
    """A name's row (:func:`_name_of`'s fields, in its slots' order)."""
    get = data.get
    parts = get("parts")
    return (data["value"], get("kind", "primary"), get("lang"), get("script"),
            tuple((k, v) for k, v in parts) if parts else ())


# Each record of a row made (:func:`filling_class`): its slots stored from the tuple at once.
def _name_of_row(row: tuple[Any, ...]) -> Name:
    made = _NAME()
    made.value, made.kind, made.lang, made.script, made.parts = row
    made.__class__ = Name
    name: Name = made
    return name


def _date_of_row(row: tuple[Any, ...]) -> DateSpec:
    made = _DATE()
    made.start, made.end, made.approximate = row
    made.__class__ = DateSpec
    date: DateSpec = made
    return date


def _identifier_of_row(row: tuple[Any, ...]) -> Identifier:
    made = _IDENTIFIER()
    made.type, made.value, made.country, made.label, made.note = row
    made.__class__ = Identifier
    identifier: Identifier = made
    return identifier


def _address_of_row(row: tuple[Any, ...]) -> Address:
    made = _ADDRESS()
    made.full, made.street, made.city, made.region, made.postal_code, made.country = row
    made.__class__ = Address
    address: Address = made
    return address


def _link_of_row(row: tuple[Any, ...]) -> Link:
    made = _LINK()
    made.relation, made.target, made.target_is_id = row
    made.__class__ = Link
    link: Link = made
    return link


class EntityDict(TypedDict, total=False):
    """The wire form of :class:`Entity` (what the store keeps and ``--json`` prints)."""

    id: str
    schema: str
    source: str
    authority: str
    authority_id: str
    names: list[dict[str, Any]]
    birth_dates: list[dict[str, Any]]
    birth_places: list[str]
    nationalities: list[str]
    citizenships: list[str]
    countries: list[str]
    genders: list[str]
    titles: list[str]
    positions: list[str]
    identifiers: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    programmes: list[str]
    topics: list[str]
    listed_on: str | None
    delisted_on: str | None
    remarks: list[str]
    links: list[dict[str, Any]]
    properties: dict[str, list[str]]


# What orjson would write otherwise than json is left to json: dataclasses, dates and
# subclasses of str, int, dict and list (json refuses the first two).
_ORJSON_AS_JSON = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS
                   | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS)


def canonical_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``,
    written by orjson (a million entities are imported): the same text for a value of
    text, booleans, None, integers, lists and mappings, which is all the wire form of an
    entity holds. Not for floats (orjson writes 1e-05 as 0.00001 and NaN as null). What
    orjson refuses (a lone surrogate, a key not text, an integer past 64 bits) is json's.
    """
    try:
        return orjson.dumps(value, option=_ORJSON_AS_JSON).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {}, ())}


def _unique(values: list[Any]) -> list[Any]:
    """The values without repeats, each where it first stands."""
    return list(dict.fromkeys(values))


# The list fields of an Entity whose repeated values finish() drops.
_REPEATABLE = ("names", "birth_dates", "birth_places", "nationalities", "citizenships",
               "countries", "genders", "titles", "positions", "identifiers", "addresses",
               "programmes", "topics", "remarks", "links")


@dataclass(slots=True)
class Entity:
    """A listed person, organisation, company, vessel or aircraft as one source states it."""

    id: str
    schema: str
    source: str = ""  # the dataset, e.g. us_ofac_sdn; set by the loader when not by the parser
    authority: str = ""  # OFAC, UN, EU, UK…
    authority_id: str = ""  # the authority's stable id (ent_num, DATAID, logicalId…)
    names: list[Name] = field(default_factory=list)
    birth_dates: list[DateSpec] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)  # "male" / "female" / "other"
    titles: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    # The publisher's risk topics (FtM ``topics``: sanction, role.pep, crime, poi…) where the
    # file states them (OpenSanctions); empty for an authority's own list, which is sanctions.
    topics: list[str] = field(default_factory=list)
    listed_on: str | None = None
    delisted_on: str | None = None
    remarks: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)  # any other FtM property

    def __post_init__(self) -> None:
        if self.schema not in SCHEMATA:
            raise ValueError(f"unknown schema {self.schema!r}; expected one of {SCHEMATA}")

    @property
    def caption(self) -> str:
        """The name a person sees first: the primary name, else any name, else the id."""
        for name in self.names:
            if name.kind == "primary":
                return name.value
        return self.names[0].value if self.names else self.id

    def add_name(self, value: str | None, kind: NameKind = "alias", **extra: Any) -> None:
        """Add a name once; blank values and exact repeats of the same kind are ignored."""
        text = " ".join((value or "").split())
        if not text:
            return
        name = Name(text, kind, **extra)
        if name not in self.names:
            self.names.append(name)

    def add(self, prop: str, value: str | None) -> None:
        """Add a value to a free FtM property (``website``, ``callSign``…), skipping blanks."""
        text = (value or "").strip()
        if text and text not in self.properties.get(prop, []):
            self.properties.setdefault(prop, []).append(text)

    def finish(self) -> Entity:
        """Drop duplicate values (sources repeat themselves) so that hashes are stable."""
        for attr in _REPEATABLE:
            values = getattr(self, attr)
            if len(values) > 1:  # (a million entities are imported: most lists are short)
                setattr(self, attr, _unique(values))
        return self

    # -- wire form -------------------------------------------------------------------------

    def to_dict(self) -> EntityDict:
        data: dict[str, Any] = {
            "id": self.id,
            "schema": self.schema,
            "source": self.source,
            "authority": self.authority,
            "authority_id": self.authority_id,
            "names": [n.to_dict() for n in self.names],
            "birth_dates": [d.to_dict() for d in self.birth_dates],
            "birth_places": self.birth_places,
            "nationalities": self.nationalities,
            "citizenships": self.citizenships,
            "countries": self.countries,
            "genders": self.genders,
            "titles": self.titles,
            "positions": self.positions,
            "identifiers": [i.to_dict() for i in self.identifiers],
            "addresses": [a.to_dict() for a in self.addresses],
            "programmes": self.programmes,
            "topics": self.topics,
            "listed_on": self.listed_on,
            "delisted_on": self.delisted_on,
            "remarks": self.remarks,
            "links": [link.to_dict() for link in self.links],
            "properties": self.properties,
        }
        # id and schema always; the rest when stated (every value is text, a list, a
        # mapping or None, so stated is truthy)
        compact = {k: v for k, v in data.items() if v or k == "id" or k == "schema"}
        return cast(EntityDict, compact)

    @classmethod
    def from_dict(cls, data: EntityDict | dict[str, Any]) -> Entity:
        d: dict[str, Any] = dict(data)
        return cls(
            id=d["id"],
            schema=d["schema"],
            source=d.get("source", ""),
            authority=d.get("authority", ""),
            authority_id=d.get("authority_id", ""),
            names=[Name.from_dict(n) for n in d.get("names", [])],
            birth_dates=[DateSpec.from_dict(x) for x in d.get("birth_dates", [])],
            birth_places=list(d.get("birth_places", [])),
            nationalities=list(d.get("nationalities", [])),
            citizenships=list(d.get("citizenships", [])),
            countries=list(d.get("countries", [])),
            genders=list(d.get("genders", [])),
            titles=list(d.get("titles", [])),
            positions=list(d.get("positions", [])),
            identifiers=[Identifier.from_dict(x) for x in d.get("identifiers", [])],
            addresses=[Address.from_dict(x) for x in d.get("addresses", [])],
            programmes=list(d.get("programmes", [])),
            topics=list(d.get("topics", [])),
            listed_on=d.get("listed_on"),
            delisted_on=d.get("delisted_on"),
            remarks=list(d.get("remarks", [])),
            links=[Link.from_dict(x) for x in d.get("links", [])],
            properties={k: list(v) for k, v in d.get("properties", {}).items()},
        )

    @classmethod
    def from_parsed(cls, data: dict[str, Any]) -> Entity:
        """:meth:`from_dict` of the wire form just parsed from JSON, which nothing else
        holds: its lists and mapping become the entity's own instead of being copied (an
        index decodes each result entity so, and the copies were a third of the work), and
        each field is stored in its slot, the records filled so too (:func:`filling_class`),
        without a call of ``__init__`` with every field. The same entity as :meth:`from_dict`
        gives, for what :meth:`to_dict` writes (or the same error, in the same order). (Each
        list of records made by ``map``: a list comprehension makes a function each time.)"""
        get = data.get
        made: Entity = _NEW(cls)
        made.id = data["id"]
        made.schema = data["schema"]
        made.source = get("source", "")
        made.authority = get("authority", "")
        made.authority_id = get("authority_id", "")
        found = get("names")
        made.names = list(map(_name_of, found)) if found else []
        found = get("birth_dates")
        made.birth_dates = list(map(_date_of, found)) if found else []
        made.birth_places = get("birth_places") or []
        made.nationalities = get("nationalities") or []
        made.citizenships = get("citizenships") or []
        made.countries = get("countries") or []
        made.genders = get("genders") or []
        made.titles = get("titles") or []
        made.positions = get("positions") or []
        found = get("identifiers")
        made.identifiers = list(map(_identifier_of, found)) if found else []
        found = get("addresses")
        made.addresses = list(map(_address_of, found)) if found else []
        made.programmes = get("programmes") or []
        made.topics = get("topics") or []
        made.listed_on = get("listed_on")
        made.delisted_on = get("delisted_on")
        made.remarks = get("remarks") or []
        found = get("links")
        made.links = [Link.from_dict(x) for x in found] if found else []
        made.properties = get("properties") or {}
        if made.schema not in _SCHEMA_SET:  # the constructor's check, once every field is read
            made.__post_init__()  # (its error)
        return made

    @classmethod
    def from_row(cls, row: EntityRow) -> Entity:
        """The entity of its row (:func:`entity_row`), whose lists, freshly read, become
        its own: the same entity as :meth:`from_parsed` of the wire form the row was made
        of. Every field stored by one unpacking, each record of its tuple (a result entity
        is made so when a persisted index returns it: a third of the instructions)."""
        made: Entity = _NEW(cls)
        (made.id, made.schema, made.source, made.authority, made.authority_id, names,
         dates, made.birth_places, made.nationalities, made.citizenships, made.countries,
         made.genders, made.titles, made.positions, identifiers, addresses,
         made.programmes, made.topics, made.listed_on, made.delisted_on, made.remarks,
         links, made.properties) = row
        made.names = list(map(_name_of_row, names)) if names else names
        made.birth_dates = list(map(_date_of_row, dates)) if dates else dates
        made.identifiers = list(map(_identifier_of_row, identifiers)) if identifiers \
            else identifiers
        made.addresses = list(map(_address_of_row, addresses)) if addresses else addresses
        made.links = list(map(_link_of_row, links)) if links else links
        if made.schema not in _SCHEMA_SET:  # the constructor's check
            made.__post_init__()
        return made

    def to_json(self) -> str:
        """Canonical JSON: the same entity always gives the same bytes (and so the same hash)."""
        return canonical_json(self.to_dict())

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: what the store compares to detect a change."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()
