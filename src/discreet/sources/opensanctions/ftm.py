"""Conversion between :class:`~discreet.model.Entity` and FollowTheMoney (FtM) entity JSON.

FtM is what OpenSanctions and yente exchange, so exporting to it lets other tools read our
lists, and importing it lets a firm load an FtM dump. The export follows OpenSanctions'
modelling, and every property and value it writes is one FtM's own model accepts
(``tests/sources/opensanctions/test_ftm_export.py`` checks that with the ``followthemoney``
library over every fixture list).

Two shapes:

* :func:`entity_to_ftm` — the listed entity alone (the API's and ``discreet entity``'s view,
  yente-compatible): names, dates, countries, identifiers in the schema's own properties.
* :func:`export_entities` — what ``discreet export`` writes: each listed entity once per id
  (the listings of several sources merged), then the entities that describe it:

  - one ``Sanction`` per source listing it: ``authority``, ``authorityId``, ``programId``
    (our programme codes), ``program`` (a list's programme name), ``listingDate`` and
    ``startDate`` (listed on), ``endDate`` (delisted on), ``unscId`` (UN reference),
    ``provisions`` (measures imposed), ``country`` (the authority's);
  - ``Passport`` (a person's passport) and ``Identification`` (every other identifier:
    national ids, tax and registration numbers, BIC…) with the issuing ``country``, the
    source's label (else discreet's type) as ``type`` and its note as ``summary``;
  - ``CryptoWallet`` for a digital currency address (``publicKey``, ``currencySymbol``);
  - ``Ownership`` (owner and asset, where FtM allows that pair) or ``UnknownLink`` for a
    relation whose other party is an entity in the export, with the relation as ``role``.

What FtM has no place for goes to the entity's ``notes`` as a tagged line that
:func:`entity_from_ftm` reads back: ``[prop] value`` (a property the schema lacks or a value
its type refuses, e.g. a phone number that is no valid number), ``[link: relation] name``
(a relation to a party named, not listed), ``[link id: relation] id`` (to an entity not in
the export), ``[id: type] value`` (an identifier with no home) and ``[id] original`` (an id
FtM refuses, which is exported in a cleaned form).

Mapping of the model's fields: names by kind -> ``name`` / ``alias`` / ``weakAlias`` /
``previousName``, parts of primary names -> ``firstName``… (a name's language and script
have no FtM home and are dropped); ``birth_dates`` -> ``birthDate`` (a range as both ends;
"approximate" dropped); ``addresses`` -> ``address`` (the full text); ``programmes`` ->
``programId``; ``remarks`` -> ``notes``; ``listed_on`` -> ``createdAt``; identifiers ->
``passportNumber`` / ``idNumber`` / ``taxNumber`` / ``registrationNumber`` / ``imoNumber``
/ ``swiftBic`` where the schema has the property and the value fits it (a vessel's or
aircraft's other numbers -> ``registrationNumber``); phone numbers -> E.164 (a joined list
split; the country of the entity as the dialling hint); country values -> FtM codes;
``vesselType`` -> ``type``; ``topics`` -> ``topics`` (an authority's own list states none: its
entities get ``"sanction"``); a delisted entity has ``"target": false``.

Reading back (:func:`entity_from_ftm` with the related entities, or
:func:`entities_from_ftm` over a whole file) gives the same names and kinds, birth dates,
countries, identifier values, schema and programmes; an ``idNumber`` comes back as a
``national_id``. ``caption``, ``referents`` and the ``*_seen`` / ``last_change`` timestamps
are derived or belong to the publisher, and are not read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import phonenumbers

from discreet.model import (
    ID_PROPS,
    NAME_KINDS,
    NAME_PROPS,
    SCHEMATA,
    Address,
    DateSpec,
    Entity,
    Identifier,
    Link,
    Name,
    NameKind,
)
from discreet.programmes.catalogue import Programme, catalogue, resolve
from discreet.sources.opensanctions.ftm_model import (
    ANCESTORS,
    COUNTRIES,
    PROPERTY_FORMATS,
    PROPERTY_TYPES,
    TOPICS,
    TYPE_MAX_LENGTH,
)
from discreet.text.countries import country_code

__all__ = [
    "PART_PROPS",
    "SIMPLE_PROPS",
    "Assembler",
    "entities_from_ftm",
    "entity_from_ftm",
    "entity_to_ftm",
    "export_entities",
    "ftm_id",
    "ftm_key",
    "is_supported",
    "related_target",
    "related_targets",
    "unnest",
]

# Name part properties that travel on the primary name.
PART_PROPS = ("firstName", "middleName", "lastName", "secondName", "fatherName", "motherName")

# List-of-string fields of the model and the FtM property each maps to, one to one.
SIMPLE_PROPS: dict[str, str] = {
    "birth_places": "birthPlace",
    "nationalities": "nationality",
    "citizenships": "citizenship",
    "countries": "country",
    "genders": "gender",
    "titles": "title",
    "positions": "position",
    "programmes": "programId",
    "topics": "topics",
    "remarks": "notes",
}

# Where each identifier type goes on the entity: the first property the schema has and
# whose type takes the value. Crypto addresses become CryptoWallet entities instead.
ID_HOMES: dict[str, tuple[str, ...]] = {
    "passport": ("passportNumber", "idNumber", "registrationNumber"),
    "national_id": ("idNumber", "registrationNumber"),
    "other": ("idNumber", "registrationNumber"),
    "tax_id": ("taxNumber", "idNumber", "registrationNumber"),
    "registration": ("registrationNumber", "idNumber"),
    "imo": ("imoNumber", "registrationNumber", "idNumber"),
    "swift_bic": ("swiftBic", "idNumber", "registrationNumber"),
    "crypto": (),
}

# Free properties (``Entity.properties``) that sources set and FtM keeps elsewhere.
RENAMED = {"vesselType": "type"}
SANCTION_PROPS = {"unReference": "unscId", "programName": "program",
                  "sanctionsImposed": "provisions"}
SANCTION_MAX = {"unscId": 16, "programId": 64}
LEGAL_BASIS = "legal basis"  # the label of the legal basis in a Sanction's description
# The country FtM gives a sanctioning authority.
AUTHORITY_COUNTRIES = {"OFAC": "us", "US": "us", "UN": "un", "EU": "eu", "UK": "gb",
                       "OFSI": "gb", "HMT": "gb", "FCDO": "gb", "CA": "ca", "AU": "au"}
# Relations read as ownership: the stating entity is the asset, or the owner.
OWNED_BY = frozenset({"owned or controlled by", "owned by", "parent", "owner"})
OWNS = frozenset({"owns, controls, or operates", "owns", "owner of", "subsidiary"})
LEGAL_ENTITIES = frozenset({"Person", "Organization", "Company", "LegalEntity"})
ASSETS = frozenset({"Company", "Vessel", "Airplane"})

_FIELD_BY_PROP = {prop: attr for attr, prop in SIMPLE_PROPS.items()}
_KIND_BY_PROP: dict[str, NameKind] = {NAME_PROPS[kind]: kind for kind in NAME_KINDS}
# Reverse identifier map: the first type listed for a property wins (idNumber -> national_id).
_ID_TYPE_BY_PROP: dict[str, str] = {}
for _type, _prop in ID_PROPS.items():
    _ID_TYPE_BY_PROP.setdefault(_prop, _type)
_READ_RENAMED = {"type": "vesselType"}  # on a vessel or aircraft

_ID_OK = re.compile(r"\A[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?\Z")
_DATE = re.compile(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")
_EMAIL = re.compile(r"\A[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\.?\Z")
_URL = re.compile(r"\A(https?://)?[^\s/]+\.[^\s]+\Z", re.IGNORECASE)
_BIC = re.compile(r"\A[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?\Z")
_NOTE = re.compile(r"\A\[(?:(link id|link|id): )?([^\]\n]+)\] (.+)\Z", re.DOTALL)
_PHONE_SPLIT = re.compile(r"[;,]|\s/\s")
_QUOTED = re.compile(r"\A[\"'](.*)[\"']\Z", re.DOTALL)
_ADDRESS_BREAK = re.compile(r"(\r\n|\n|<BR/>|<BR>|\t|ESQ\.,|ESQ,|;)")
_ADDRESS_COMMA = re.compile(r"(,\s?[,\.])")


def is_supported(data: dict[str, Any]) -> bool:
    """True when the FtM entity's schema is one the model holds (not Sanction, Address…)."""
    return data.get("schema") in SCHEMATA


def ftm_key(value: str, ftype: str | None = None) -> str:
    """A value as FtM stores it: values that differ only by Unicode composition, invisible
    characters or spacing (for a name, surrounding quotes; for an address, a semicolon or
    line break for a comma) are one value to FtM, so the export writes them once."""
    text = unicodedata.normalize("NFC", value)
    text = "".join(ch for ch in text if ch.isspace()
                   or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    if ftype == "address":  # line breaks and semicolons are commas, a doubled comma one
        text = _ADDRESS_COMMA.sub(", ", _ADDRESS_BREAK.sub(", ", text))
    text = " ".join(text.split())
    if ftype == "name":
        text = " ".join(_QUOTED.sub(r"\1", text).split())
    return text


def ftm_id(value: str) -> str:
    """An id FtM accepts: the id itself when it is one, else a cleaned form with a digest.
    Spaces at an id's ends are not kept: FtM values are read back stripped, so "0 " would
    be exported as one id and read back, then exported, as another."""
    value = value.strip()
    if len(value) <= 200 and _ID_OK.match(value):
        return value
    slug = re.sub(r"[^0-9a-zA-Z]+", "-", value)[:120].strip("-")
    digest = hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{slug}-{digest}" if slug else f"x-{digest}"


def _digest(*parts: str | None) -> str:
    text = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# -- value checks: what FtM's types accept --------------------------------------------------


def _imo_ok(value: str) -> bool:
    """An IMO number with a right check digit (FtM checks it on organisations)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) != 7 or not re.fullmatch(r"(IMO)?[\s\d]+", value.strip(), re.IGNORECASE):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(digits[6])


def _date_ok(value: str) -> bool:
    if not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _phones(value: str, regions: list[str]) -> tuple[list[str], list[str]]:
    """E.164 numbers in one phone value (a joined list split), and the pieces that are none.

    Tried as written (international), with ``00`` as ``+``, in each country of the entity,
    and as digits that start with a country code ("(357)(22660766)").
    """
    good: list[str] = []
    bad: list[str] = []
    for piece in (p.strip() for p in _PHONE_SPLIT.split(value)):
        if not piece:
            continue
        digits = re.sub(r"\D", "", piece)
        tries: list[tuple[str, str | None]] = [(piece, None)]
        if digits.startswith("00"):
            tries.append(("+" + digits[2:], None))
        tries.extend((piece, r.upper()) for r in regions)
        tries.append(("+" + digits, None))
        for text, region in tries:
            try:
                parsed = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                good.append(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
                break
        else:
            bad.append(piece)
    return good, bad


def _fit(ftype: str, fmt: str | None, value: str) -> str | None:
    """The value as FtM's type ``ftype`` (and identifier format ``fmt``) takes it, or None
    when it does not. Formats other than IMO and BIC (INN, LEI…) come only from FtM input
    and are kept as read."""
    if len(value) > TYPE_MAX_LENGTH.get(ftype, 1024) or "\x00" in value:
        return None
    if ftype == "country":
        code = value.lower() if value.lower() in COUNTRIES else country_code(value)
        return code if code in COUNTRIES else None
    if ftype == "date":
        return value if _date_ok(value) else None
    if ftype == "email":
        return value if _EMAIL.match(value) else None
    if ftype == "url":
        return value if _URL.match(value) else None
    if ftype == "gender":
        return value.lower() if value.lower() in ("male", "female", "other") else None
    if ftype == "topic":
        return value if value in TOPICS else None
    if ftype in ("entity", "json", "html", "mimetype", "checksum", "ip", "iban", "language"):
        return None  # names where FtM wants an id; types we never write from a source
    if fmt == "imo":
        return value if _imo_ok(value) else None
    if fmt == "bic":
        compact = re.sub(r"\s", "", value).upper()  # FtM compares it so; kept as written
        return value if _BIC.match(compact) else None
    return value


# -- export --------------------------------------------------------------------------------


class _Props:
    """The properties of one FtM entity, each value once, and the notes for the rest."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.types = PROPERTY_TYPES.get(schema, {})
        self.formats = PROPERTY_FORMATS.get(schema, {})
        self.values: dict[str, list[str]] = {}
        self.keys: dict[str, set[str]] = {}

    def add(self, prop: str, value: str | None) -> None:
        """Append once, skipping blanks: FtM values are sets in spirit, and values FtM
        stores as one (:func:`ftm_key`) are written once (the first as given)."""
        if not value or not value.strip():
            return
        key = ftm_key(value, self.types.get(prop, "text"))
        seen = self.keys.setdefault(prop, set())
        if key not in seen:
            seen.add(key)
            self.values.setdefault(prop, []).append(value)

    def note(self, tag: str, value: str) -> None:
        # written as reading back gives it: a property value is read stripped, so a value
        # with spaces at its ends would not survive an export read back and exported again
        text = value.strip()
        if text:
            self.add("notes", f"[{tag}] {text}")

    def put(self, prop: str, value: str | None, regions: Sequence[str] = ()) -> None:
        """Write ``value`` as ``prop`` if the schema has it and FtM's type takes the value;
        else keep it as a tagged note that reading back restores."""
        text = (value or "").strip()
        if not text:
            return
        ftype = self.types.get(prop)
        if ftype == "phone":
            good, bad = _phones(text, list(regions))
            for number in good:
                self.add(prop, number)
            for piece in bad:
                self.note(prop, piece)
            return
        fitted = _fit(ftype, self.formats.get(prop), text) if ftype else None
        if fitted is None:
            self.note(prop, text)
        else:
            self.add(prop, fitted)

    def put_id(self, ident: Identifier) -> bool:
        """An identifier into its home property; False (and a note) when there is none."""
        for prop in ID_HOMES.get(ident.type, ("idNumber", "registrationNumber")):
            ftype = self.types.get(prop)
            fitted = _fit(ftype, self.formats.get(prop), ident.value.strip()) if ftype else None
            if fitted is not None:
                self.add(prop, fitted)
                return True
        return False

    def out(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.values.items() if v}


def _regions(entity: Entity) -> list[str]:
    """Dialling hints for phone numbers: the entity's countries, then its addresses'."""
    found = [*entity.countries, *entity.nationalities, *entity.citizenships,
             *(a.country for a in entity.addresses if a.country)]
    return [c for c in dict.fromkeys(found) if len(c) == 2 and c.isalpha()]


def _main_props(entity: Entity, where: Mapping[str, str] | None, schema: str | None = None,
                main_id: str | None = None, restore_id: bool = True,
                into: _Props | None = None) -> _Props:
    """The listed entity's own properties, as ``schema`` (its own, or the party's when its
    listings merge). ``where`` maps each exported entity's FtM id to the FtM entity it is
    written as: relations to those become edge entities (None: the single-entity view).
    ``main_id``: the FtM entity it is written as, when its own id does not name that;
    ``restore_id``: note the entity's id when that FtM id is not it, to read it back;
    ``into``: the properties of the party's other listings, to add to."""
    props = into if into is not None else _Props(schema or entity.schema)
    regions = _regions(entity)
    for name in entity.names:
        props.put(NAME_PROPS.get(name.kind, "alias"), name.value)
        if name.kind == "primary":
            for part, value in name.parts:
                props.put(part, value)
    for date in entity.birth_dates:
        props.put("birthDate", date.start)
        props.put("birthDate", date.end)
    for attr, prop in SIMPLE_PROPS.items():
        for value in getattr(entity, attr):
            if prop == "notes" and _NOTE.match(value):
                props.note("remark", value)  # a remark that would read as a tag
            elif prop == "programId" and len(value) > SANCTION_MAX["programId"]:
                props.note(prop, value)
            else:
                props.put(prop, value)
    for ident in entity.identifiers:
        if _held(entity, ident):
            continue  # a CryptoWallet entity in the export
        if ident.type == "crypto" or not props.put_id(ident):
            props.note(f"id: {ident.type}", ident.value)
    for address in entity.addresses:
        props.put("address", address.full)
    props.put("createdAt", entity.listed_on)
    for prop, values in entity.properties.items():
        if prop in SANCTION_PROPS:
            continue  # on the Sanction entities
        target = RENAMED.get(prop, prop) if entity.schema in ("Vessel", "Airplane") else prop
        for value in values:
            props.put(target, value, regions)
    if not entity.topics:
        props.add("topics", "sanction")  # an authority's own sanctions list
    own = main_id or ftm_id(entity.id)
    for link in dict.fromkeys(entity.links):
        exported = where.get(ftm_id(link.target)) if link.target_is_id and where else None
        if exported is None or exported == own:  # not exported, or the same party's listing
            props.note(f"link id: {link.relation}" if link.target_is_id
                       else f"link: {link.relation}", link.target)
    if restore_id and own != entity.id.strip():
        props.note("id", entity.id)
    return props


def _shell(ident: str, schema: str, props: _Props | dict[str, list[str]],
           datasets: list[str]) -> dict[str, Any]:
    values = props.out() if isinstance(props, _Props) else props
    return {"id": ident, "schema": schema, "properties": values, "datasets": datasets}


def entity_to_ftm(entity: Entity) -> dict[str, Any]:
    """FtM entity JSON for the listed entity alone (the API's view; see the module doc)."""
    data = _shell(ftm_id(entity.id), entity.schema, _main_props(entity, None),
                  [entity.source] if entity.source else [])
    data["caption"] = entity.caption
    data["target"] = entity.delisted_on is None
    return data


def _sanction(entity: Entity, main_id: str, notes: _Props) -> dict[str, Any]:
    """The listing of ``entity`` by its source, as OpenSanctions models it."""
    props: dict[str, list[str]] = {}

    def add(prop: str, value: str | None) -> None:
        if value and value.strip() and value not in props.setdefault(prop, []):
            props[prop].append(value.strip())

    add("entity", main_id)
    authority = catalogue().authority(entity.authority)
    add("authority", authority.name if authority else entity.authority)
    add("country", AUTHORITY_COUNTRIES.get(entity.authority.upper()))
    if len(entity.authority_id) <= TYPE_MAX_LENGTH["identifier"]:
        add("authorityId", entity.authority_id)
    for code in entity.programmes:
        if len(code) <= SANCTION_MAX["programId"]:
            add("programId", code)
        programme = resolve(entity.authority, code)
        if programme is not None:
            add("program", programme.name)
            add("description", _programme_line(code, programme))
    for date, props_ in ((entity.listed_on, ("listingDate", "startDate")),
                         (entity.delisted_on, ("endDate",))):
        if date and _date_ok(date):
            for prop in props_:
                add(prop, date)
        elif date:
            notes.note(props_[0], date)
    for source_prop, prop in SANCTION_PROPS.items():
        for value in entity.properties.get(source_prop, []):
            if len(value) <= SANCTION_MAX.get(prop, TYPE_MAX_LENGTH["string"]):
                add(prop, value)
            else:
                notes.note(source_prop, value)
    listing = re.sub(r"[^0-9a-zA-Z]+", "-", entity.source or entity.authority).strip("-")
    own = ftm_id(entity.id)  # one per listing, under the FtM entity it is written as
    prefix = main_id if own == main_id else f"{main_id}-{own}"
    ident = ftm_id(f"{prefix}-sanction-{listing or 'list'}")
    return _shell(ident, "Sanction", {k: v for k, v in props.items() if v},
                  [entity.source] if entity.source else [])


def _programme_line(code: str, programme: Programme) -> str:
    """What the catalogue says of a programme, for the Sanction's ``description`` (FtM's
    Sanction has no legal-basis property): name, regime, legal basis, start, renewal."""
    regime = catalogue().regimes.get(programme.regime or "")
    parts = [f"{code}: {programme.name}"]
    if regime is not None:
        parts.append(f"regime: {regime.name}")
    if programme.legal_basis:
        parts.append(f"{LEGAL_BASIS}: {'; '.join(programme.legal_basis)}")
    if programme.start:
        parts.append(f"in force since {programme.start}")
    if programme.renewal:
        parts.append(f"renewal: {programme.renewal}")
    return " | ".join(parts)


def _held(entity: Entity, ident: Identifier) -> bool:
    """A crypto address that becomes a CryptoWallet (only a person or body holds one, and
    FtM's identifiers are at most 64 characters)."""
    value = ident.value.strip()
    return (ident.type == "crypto" and entity.schema in LEGAL_ENTITIES
            and 0 < len(value) <= TYPE_MAX_LENGTH["identifier"])


def _documents(entity: Entity, main_id: str) -> Iterator[dict[str, Any]]:
    """Identification / Passport and CryptoWallet entities held by a person or body."""
    if entity.schema not in LEGAL_ENTITIES:
        return
    datasets = [entity.source] if entity.source else []
    kinds: dict[str, str] = {}
    for ident in dict.fromkeys(entity.identifiers):
        value = ident.value.strip()
        if not value or len(value) > TYPE_MAX_LENGTH["identifier"]:
            continue
        key = _digest(value, ident.country)
        # One number held as two types (a national id that is also the passport number):
        # two documents, the second under an id that names its type too.
        if kinds.setdefault(key, ident.type) != ident.type:
            key = _digest(value, ident.country, ident.type)
        country = ident.country if ident.country in COUNTRIES else None
        if ident.type == "crypto":
            props = {"publicKey": [value], "holder": [main_id]}
            label = (ident.label or "").strip()
            symbol = label.rsplit(" - ", 1)[-1].strip() if " - " in label else ""
            if symbol and symbol.isalnum() and len(symbol) <= 10:
                props["currencySymbol"] = [symbol]
            if label:
                props["summary"] = [label]
            if country:
                props["country"] = [country]
            yield _shell(ftm_id(f"{main_id}-wallet-{key}"), "CryptoWallet", props, datasets)
        else:
            schema = "Passport" if ident.type == "passport" and entity.schema == "Person" \
                else "Identification"
            props = {"holder": [main_id], "number": [value],
                     "type": [(ident.label or ident.type).strip()[:1024]]}
            if country:
                props["country"] = [country]
            if ident.note and ident.note.strip():
                props["summary"] = [ident.note.strip()]
            yield _shell(ftm_id(f"{main_id}-id-{key}"), schema, props, datasets)


def _edges(entity: Entity, main_id: str, schema: str, where: Mapping[str, str],
           known: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Ownership or UnknownLink for each relation whose other party is in the export
    (``where``: FtM id of an entity -> the FtM entity it is written as; ``known``: the
    schema of each FtM entity written)."""
    datasets = [entity.source] if entity.source else []
    for link in dict.fromkeys(entity.links):
        target = where.get(ftm_id(link.target)) if link.target_is_id else None
        if target is None or target == main_id:
            continue
        relation = link.relation.strip()
        key = _digest(relation, target)
        owner, asset = None, None
        if relation.lower() in OWNED_BY:
            owner, asset = target, main_id
        elif relation.lower() in OWNS:
            owner, asset = main_id, target
        schema_of = {main_id: schema, target: known[target]}
        if owner and asset and schema_of[owner] in LEGAL_ENTITIES \
                and schema_of[asset] in ASSETS:
            props = {"owner": [owner], "asset": [asset], "role": [relation]}
            yield _shell(ftm_id(f"{main_id}-own-{key}"), "Ownership", props, datasets)
        else:
            props = {"subject": [main_id], "object": [target], "role": [relation]}
            yield _shell(ftm_id(f"{main_id}-link-{key}"), "UnknownLink", props, datasets)


def _union(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Add the values of a related entity written twice under one id (one listing given
    twice, or one document in two listings) to the first, each value once."""
    if other is into:
        return
    props: dict[str, list[str]] = into["properties"]
    for prop, values in other["properties"].items():
        have = props.setdefault(prop, [])
        keys = {ftm_key(v) for v in have}
        for value in values:
            if ftm_key(value) not in keys:
                keys.add(ftm_key(value))
                have.append(value)


def _merged_schema(group: Sequence[Entity]) -> tuple[str, list[Entity], list[Entity]]:
    """The schema the listings of one party merge into, the listings that fit it and the
    rest. Listings fit when the schema extends theirs (an Organization and a Company are a
    Company); a Person linked to a Vessel cannot be one FtM entity, so the schema that takes
    the most listings wins and the others are written on their own."""
    schemata = sorted({e.schema for e in group})

    def fits(schema: str) -> list[Entity]:
        return [e for e in group if e.schema in ANCESTORS.get(schema, {schema})]

    best = max(schemata, key=lambda s: (len(fits(s)), len(ANCESTORS.get(s, ())), s))
    members = fits(best)
    return best, members, [e for e in group if e not in members]


class _Party:
    """One FtM entity of the export: its id, schema and the listings written as it."""

    __slots__ = ("ident", "members", "primary", "schema")

    def __init__(self, ident: str, primary: str, schema: str, members: list[Entity]) -> None:
        self.ident, self.primary, self.schema = ident, primary, schema
        self.members = sorted(members, key=lambda e: e.id != primary)  # primary first


def _plan(entities: Iterable[Entity], parties: Mapping[str, str]) -> list[_Party]:
    """Group the listings: by party where ``parties`` links them, else by id (one id in
    several sources is one entity), each group split where its schemata cannot merge."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(parties.get(entity.id, entity.id), []).append(entity)
    out: list[_Party] = []
    taken: set[str] = set()
    for key, group in groups.items():
        pending = [(key, group)]
        while pending:
            primary, rest = pending.pop(0)
            schema, members, others = _merged_schema(rest)
            ids = {e.id for e in members}
            if primary not in ids and primary in {e.id for e in others}:
                primary = min(ids)  # the party's own listing could not join the others
            ident = ftm_id(primary)
            if ident in taken:  # one id listed as two schemata that cannot merge
                ident = ftm_id(f"{primary}-{schema}")
            taken.add(ident)
            out.append(_Party(ident, primary, schema, members))
            by_id: dict[str, list[Entity]] = {}
            for entity in others:
                by_id.setdefault(entity.id, []).append(entity)
            pending.extend(by_id.items())
    return out


def export_entities(entities: Iterable[Entity],
                    parties: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """The FtM export: each party once, followed by its related entities.

    ``parties`` (entity id -> party id, :meth:`discreet.store.Store.parties`) joins the
    listings of one party across sources: they are written as one FtM entity with the party
    id as its id and the other listings' ids as ``referents``, their properties merged
    (each value once), and one Sanction per listing pointing to it. Without it (or for an
    entity it does not name), listings sharing an id are merged the same way.
    """
    plan = _plan(entities, parties or {})
    where: dict[str, str] = {}
    for party in plan:
        for entity in party.members:
            where.setdefault(ftm_id(entity.id), party.ident)
    known = {party.ident: party.schema for party in plan}
    for party in plan:
        props = _Props(party.schema)
        related: dict[str, dict[str, Any]] = {}
        for entity in party.members:
            _main_props(entity, where, party.schema, party.ident, entity.id == party.primary,
                        props)
            found = [_sanction(entity, party.ident, props), *_documents(entity, party.ident),
                     *_edges(entity, party.ident, party.schema, where, known)]
            for item in found:
                _union(related.setdefault(item["id"], item), item)
        datasets = list(dict.fromkeys(e.source for e in party.members if e.source))
        main = _shell(party.ident, party.schema, props, datasets)
        main["caption"] = party.members[0].caption
        main["target"] = any(e.delisted_on is None for e in party.members)
        referents = sorted({ftm_id(e.id) for e in party.members} - {party.ident})
        if referents:
            main["referents"] = referents
        yield main
        yield from related.values()


# -- import --------------------------------------------------------------------------------


def _values(raw: Any) -> list[str]:
    """Property values as a list of non-blank strings, whatever JSON type they came as."""
    out: list[str] = []
    for value in raw if isinstance(raw, list) else [raw]:
        if type(value) is not str:  # a string (nearly every value) is its own text
            if value is None:
                continue
            value = str(value)
        if value.strip():
            out.append(value)
    return out


def _import_prop(entity: Entity, prop: str, values: list[str]) -> bool:
    """Put one known property's values on the entity; False when the property is unknown."""
    if prop in _KIND_BY_PROP:
        entity.names.extend(Name(v, _KIND_BY_PROP[prop]) for v in values)
    elif prop == "birthDate":
        entity.birth_dates.extend(DateSpec(v) for v in values)
    elif prop in _ID_TYPE_BY_PROP:
        entity.identifiers.extend(Identifier(_ID_TYPE_BY_PROP[prop], v) for v in values)
    elif prop == "address":
        entity.addresses.extend(Address(v) for v in values)
    elif prop in _FIELD_BY_PROP:
        getattr(entity, _FIELD_BY_PROP[prop]).extend(values)
    else:
        return False
    return True


def _single(entity: Entity, values: list[str], attr: str, prop: str) -> None:
    """A one-value field (listed/delisted): the earliest value, the rest kept as properties."""
    ordered = sorted(set(values))
    if not ordered:
        return
    setattr(entity, attr, ordered[0])
    for value in ordered[1:]:
        entity.properties.setdefault(prop, []).append(value)


def _attach_parts(entity: Entity, parts: list[tuple[str, str]]) -> None:
    """Name parts go onto the first primary name; without one they stay plain properties."""
    index = next((i for i, n in enumerate(entity.names) if n.kind == "primary"), None)
    if index is None:
        for prop, value in parts:
            entity.properties.setdefault(prop, []).append(value)
        return
    name = entity.names[index]
    entity.names[index] = Name(name.value, name.kind, name.lang, name.script,
                               name.parts + tuple(parts))


def _read_notes(entity: Entity, values: list[str],
                pairs: list[tuple[str, list[str]]]) -> None:
    """Tagged notes back to what they stand for; other notes are remarks."""
    for value in values:
        match = _NOTE.match(value)
        if match is None:
            entity.remarks.append(value)
            continue
        kind, tag, text = match.groups()
        if kind in ("link", "link id"):
            entity.links.append(Link(tag, text, kind == "link id"))
        elif kind == "id":
            entity.identifiers.append(Identifier(tag, text))
        elif tag == "id":
            entity.id = entity.authority_id = text
        elif tag == "remark":
            entity.remarks.append(text)
        elif tag in _ID_TYPE_BY_PROP:  # identifiers are tagged "id: type": a free property
            entity.properties.setdefault(tag, []).append(text)
        else:
            pairs.append((tag, [text]))


def related_target(data: dict[str, Any]) -> str | None:
    """The id of the listed entity that a related FtM entity describes, if it is one."""
    found = related_targets(data)
    return found[0] if found else None


def related_targets(data: dict[str, Any]) -> list[str]:
    """The ids of the listed entities a related FtM entity describes (a Sanction may name
    several); empty for an entity that describes none (an Address is found the other way:
    by the ``addressEntity`` of the entity it locates)."""
    props = data.get("properties") or {}
    schema = data.get("schema")
    prop = {"Sanction": "entity", "Identification": "holder", "Passport": "holder",
            "CryptoWallet": "holder", "UnknownLink": "subject"}.get(str(schema))
    if schema == "Ownership":
        role = " ".join(_values(props.get("role", []))).lower()
        prop = "owner" if role in OWNS else "asset"
    if prop is None:
        return []
    return list(dict.fromkeys(_values(props.get(prop, []))))


def _apply_related(entity: Entity, data: dict[str, Any], dates: dict[str, list[str]],
                   claimed: set[int]) -> None:
    """Put what a Sanction, Identification, CryptoWallet or relation says onto ``entity``
    (``claimed``: the identifiers a document has already described)."""
    props = {k: _values(v) for k, v in (data.get("properties") or {}).items()}
    schema = data.get("schema")
    if schema == "Sanction":
        codes = props.get("programId", [])
        entity.programmes.extend(codes)
        dates["listed"].extend(props.get("listingDate", []) or props.get("startDate", []))
        dates["delisted"].extend(props.get("endDate", []))
        authority = _authority_code(props.get("authority", []))
        derived = {p.name for code in codes if authority
                   and (p := resolve(authority, code)) is not None}  # the catalogue's names
        for source_prop, prop in SANCTION_PROPS.items():
            for value in props.get(prop, []):
                if not (prop == "program" and value in derived):
                    entity.add(source_prop, value)
        ids = props.get("authorityId", [])
        if ids and entity.authority_id in ("", entity.id):
            entity.authority_id = ids[0]
        if not entity.authority and props.get("authority"):
            entity.authority = authority or props["authority"][0]
    elif schema in ("Identification", "Passport"):
        _apply_document(entity, props, "passport" if schema == "Passport" else "other",
                        claimed)
    elif schema == "CryptoWallet":
        for value in props.get("publicKey", []) + props.get("cryptoAddress", []):
            label = _first(props, "summary") or _first(props, "currencySymbol")
            entity.identifiers.append(Identifier("crypto", value, _first(props, "country"),
                                                 label))
    elif schema == "Ownership":
        role = (props.get("role") or [""])[0]
        owners, assets = props.get("owner", []), props.get("asset", [])
        if entity.id in owners and entity.id not in assets:  # it is the owner (nested)
            entity.links.extend(Link(role if role.lower() in OWNS else "owner of", v, True)
                                for v in assets)
        elif role.lower() in OWNS and entity.id not in assets:
            entity.links.extend(Link(role, v, True) for v in assets)
        else:
            entity.links.extend(Link(role or "Owned or Controlled By", v, True)
                                for v in owners if v != entity.id)
    elif schema == "UnknownLink":
        role = (props.get("role") or ["Linked To"])[0]
        subjects, objects = props.get("subject", []), props.get("object", [])
        if entity.id in objects and entity.id not in subjects:  # the other end (nested)
            entity.links.extend(Link(role, v, True) for v in subjects)
        else:
            entity.links.extend(Link(role, v, True) for v in objects if v != entity.id)
    elif schema == "Address":
        _apply_address(entity, str(data.get("id", "")), props)


ADDRESS_PARTS = ("street", "street2", "postalCode", "city", "region", "state")


def _apply_address(entity: Entity, ident: str, props: dict[str, list[str]]) -> None:
    """An Address entity the listed entity points to (``addressEntity``) as one of its
    addresses: the full text (else its parts joined), with its parts; the pointer goes."""
    country = _first(props, "country")
    full = _first(props, "full") or ", ".join(
        v for part in ADDRESS_PARTS for v in props.get(part, [])[:1])
    if full:  # an Address of a country alone says nothing the entity's countries do not
        entity.addresses.append(Address(
            full, street=_first(props, "street"), city=_first(props, "city"),
            region=_first(props, "region") or _first(props, "state"),
            postal_code=_first(props, "postalCode"),
            country=country if country in COUNTRIES else None))
    pointers = entity.properties.get("addressEntity", [])
    if ident in pointers:
        pointers.remove(ident)
        if not pointers:
            del entity.properties["addressEntity"]


def _authority_code(values: list[str]) -> str | None:
    """The catalogue's code for a Sanction's authority, given as a code, an alias or the
    catalogue's name of it (what the export writes)."""
    found = catalogue()
    for value in values:
        authority = found.authority(value) or next(
            (a for a in found.authorities.values() if a.name == value), None)
        if authority is not None:
            return authority.code
    return None


def _first(props: dict[str, list[str]], prop: str) -> str | None:
    values = props.get(prop)
    return values[0] if values else None


def _apply_document(entity: Entity, props: dict[str, list[str]], default: str,
                    claimed: set[int]) -> None:
    """An Identification's number onto an identifier with that value that no document has
    described yet (adding its issuer, label and note), or as a new identifier. A label that
    is one of discreet's own type names gives the type back."""
    country, label, note = (_first(props, "country"), _first(props, "type"),
                            _first(props, "summary"))
    for number in props.get("number", []) + props.get("passportNumber", []):
        index = next((i for i, x in enumerate(entity.identifiers)
                      if x.value == number and i not in claimed), None)
        kind = default
        if index is not None and default != "passport":
            kind = entity.identifiers[index].type
        if label in ID_PROPS:
            kind, label = label, None  # our own export's bare type name
        ident = Identifier(kind, number, country, label, note)
        if index is None:
            claimed.add(len(entity.identifiers))
            entity.identifiers.append(ident)
        else:
            claimed.add(index)
            entity.identifiers[index] = ident


def entity_from_ftm(data: dict[str, Any], source: str = "",
                    related: Iterable[dict[str, Any]] = ()) -> Entity:
    """An entity from FtM entity JSON and the entities that describe it (Sanction,
    Identification…; see :func:`related_target`); ValueError for a schema the model lacks."""
    datasets = _values(data.get("datasets", []))
    entity = Entity(id=str(data["id"]), schema=str(data.get("schema")),
                    source=source or (datasets[0] if datasets else ""),
                    authority_id=str(data["id"]))
    parts: list[tuple[str, str]] = []
    dates: dict[str, list[str]] = {"listed": [], "delisted": []}
    pairs: list[tuple[str, list[str]]] = []
    for prop, raw in (data.get("properties") or {}).items():
        values = _values(raw)
        if prop == "notes":
            _read_notes(entity, values, pairs)
        elif values:
            pairs.append((prop, values))
    for prop, values in pairs:
        if entity.schema in ("Vessel", "Airplane"):
            prop = _READ_RENAMED.get(prop, prop)
        if prop in PART_PROPS:
            parts.extend((prop, v) for v in values)
        elif prop in ("createdAt", "listingDate"):
            dates["listed"].extend(values)
        elif prop == "endDate":
            dates["delisted"].extend(values)
        elif not _import_prop(entity, prop, values):
            for value in values:
                entity.properties.setdefault(prop, []).append(value)
    claimed: set[int] = set()
    for item in related:
        _apply_related(entity, item, dates, claimed)
    _single(entity, dates["listed"], "listed_on", "createdAt")
    _single(entity, dates["delisted"], "delisted_on", "endDate")
    _attach_parts(entity, parts)
    return entity.finish()


# The property of a nested related entity that names the entity it is nested in, by its
# schema, where the parent's (reverse) property does not say (OpenSanctions' nested export
# leaves this back-reference out).
BACK_PROPS = {"Sanction": "entity", "Identification": "holder", "Passport": "holder",
              "CryptoWallet": "holder", "UnknownLink": "subject", "Ownership": "asset"}


def _is_entity(value: Any) -> bool:
    return isinstance(value, dict) and "schema" in value


def _child(value: dict[str, Any], prop: str, parent: str, number: int) -> dict[str, Any]:
    """A nested entity as a flat one: entities nested in it by their id, and the property
    that names its parent set (``ownershipOwner`` -> ``owner``, ``sanctions`` -> the
    Sanction's ``entity``). An entity nested without an id gets one from its parent's."""
    schema = str(value.get("schema"))
    props: dict[str, Any] = {}
    raw_props = value.get("properties")
    for key, raw in (raw_props.items() if isinstance(raw_props, dict) else ()):
        values = raw if isinstance(raw, list) else [raw]
        props[key] = [str(v["id"]) if _is_entity(v) and v.get("id") is not None else v
                      for v in values if not (_is_entity(v) and v.get("id") is None)]
    head = schema[:1].lower() + schema[1:]
    back = prop[len(head):] if prop.startswith(head) and len(prop) > len(head) else ""
    back = back[:1].lower() + back[1:] if back else BACK_PROPS.get(schema, "")
    if back and parent not in props.get(back, []):
        props[back] = [parent, *props.get(back, [])]
    ident = value.get("id")
    if ident is None:
        ident = f"{parent}-{prop}-{number}"
    return {**value, "id": ident, "properties": props}


def unnest(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """OpenSanctions' nested form (``targets.nested.json``: the entities that describe an
    entity nested in its properties, e.g. ``sanctions``, ``addressEntity``,
    ``identification``) as the flat form: the entity with only plain values (a nested
    entity of a schema the model holds, such as a ``parent`` company, by its id) and the
    nested related entities, each naming the entity it describes."""
    props = data.get("properties")
    if not isinstance(props, dict):
        return data, []
    parent = str(data.get("id", ""))
    flat: dict[str, Any] = {}
    related: list[dict[str, Any]] = []
    for prop, raw in props.items():
        values = raw if isinstance(raw, list) else [raw]
        if not any(_is_entity(v) for v in values):
            flat[prop] = raw
            continue
        kept: list[Any] = []
        for value in values:
            if not _is_entity(value):
                kept.append(value)
            elif value.get("schema") in SCHEMATA and value.get("id") is not None:
                kept.append(str(value["id"]))  # a reference to another listed entity
            else:
                related.append(_child(value, prop, parent, len(related)))
        if kept:
            flat[prop] = kept
    if not related and len(flat) == len(props):
        return data, []
    return {**data, "properties": flat}, related


class Assembler:
    """Groups a stream of FtM entities into listed entities with their related ones.

    A related entity (Sanction, Identification…) is matched to the entity it names: the one
    just read (discreet's export writes them right after it), or one still to come (kept
    until it arrives). One naming an entity already passed is counted in ``late``; one whose
    entity never comes, in ``orphans``. Memory holds one entity plus the early ones.
    """

    def __init__(self) -> None:
        self._pending: tuple[dict[str, Any], Any, list[dict[str, Any]]] | None = None
        self._early: dict[str, list[dict[str, Any]]] = {}
        self._done: set[str] = set()
        self.late = 0
        self.orphans = 0

    def add(self, data: dict[str, Any], tag: Any = None
            ) -> list[tuple[dict[str, Any], list[dict[str, Any]], Any]]:
        """Feed one FtM entity; returns the listed entities now complete (data, related, tag)."""
        if is_supported(data):
            out = self._flush()
            self._pending = (data, tag, self._early.pop(str(data["id"]), []))
            return out
        target = related_target(data)
        if target is None:
            return []
        if self._pending is not None and str(self._pending[0]["id"]) == target:
            self._pending[2].append(data)
        elif target in self._done:
            self.late += 1
        else:
            self._early.setdefault(target, []).append(data)
        return []

    def _flush(self) -> list[tuple[dict[str, Any], list[dict[str, Any]], Any]]:
        if self._pending is None:
            return []
        data, tag, related = self._pending
        self._pending = None
        self._done.add(str(data["id"]))
        return [(data, related, tag)]

    def finish(self) -> list[tuple[dict[str, Any], list[dict[str, Any]], Any]]:
        """The last listed entity; what is still waiting for its entity is counted."""
        out = self._flush()
        self.orphans += sum(len(v) for v in self._early.values())
        self._early.clear()
        return out


def entities_from_ftm(items: Iterable[dict[str, Any]], source: str = "") -> Iterator[Entity]:
    """Every listed entity of a stream of FtM entities, with what its related ones say."""
    assembler = Assembler()
    for item in items:
        for data, related, _ in assembler.add(item):
            yield entity_from_ftm(data, source, related)
    for data, related, _ in assembler.finish():
        yield entity_from_ftm(data, source, related)
