"""What OFAC's two XML formats (legacy sdnList and ENHANCED) have in common.

Both state the same facts with the same vocabulary: entry types, idType labels that are
really websites, genders or sanction notes, and the SDN/non-SDN split. Keeping that
vocabulary here makes one listing look the same whichever OFAC file it came from.
"""

from __future__ import annotations

import re
from typing import ClassVar, TypeVar

from lxml import etree

from discreet.errors import ParseError
from discreet.model import Address, Entity, Identifier, make_entity_id
from discreet.sources.common.base import ListMeta
from discreet.sources.common.values import gender, parse_free_date
from discreet.sources.common.xml_list import XmlListParser
from discreet.sources.common.xml_safe import source_line
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = [
    "SCHEMA",
    "OfacXmlListParser",
    "add_id",
    "dataset_from_name",
    "id_type",
    "listed_entity",
    "make_address",
    "root_name",
]

State = TypeVar("State")

# OFAC's entry type -> FtM schema (the CSV states the same types).
SCHEMA = {"individual": "Person", "entity": "Organization", "vessel": "Vessel",
          "aircraft": "Airplane"}

_ROOT = re.compile(
    rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", re.S)

# Labels that are free FtM properties, not identifiers (lower case, curly quotes folded).
_PROPS = {
    "website": "website", "email address": "email", "phone number": "phone",
    "mmsi": "mmsi", "vessel call sign": "callSign", "vessel type": "vesselType",
    "other vessel type": "vesselType", "vessel owner": "owner", "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "grossRegisteredTonnage",
    "vessel year of build": "buildDate", "aircraft model": "model",
    "aircraft manufacturer's serial number (msn)": "serialNumber",
    "aircraft operator": "operator", "aircraft manufacture date": "buildDate",
    "organization established date": "incorporationDate",
}
_FLAG_PROPS = {"vessel flag": "flag", "former vessel flag": "pastFlags"}

# Labels whose value is a note about the sanction, kept as a remark.
_REMARK_PREFIXES = (
    "secondary sanctions risk", "executive order", "additional sanctions information",
    "for more information", "caatsa section", "ifca determination", "peesa information",
    "transactions prohibited", "listing date", "effective date",
    "purchase/sales for divestment", "target type", "organization type",
)

# (identifier type, label fragments) in the order they are tried; fragments match whole words.
_ID_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("crypto", ("digital currency address",)),
    ("swift_bic", ("swift/bic", "swift code", "bic")),
    ("passport", ("passport",)),
    ("tax_id", ("tax id", "tax identification", "ruc", "c.u.i.t.", "cuit", "nit",
                "v.a.t.", "vat", "r.f.c.", "rfc", "inn")),
    ("national_id", ("national id", "cedula", "c.i.", "identification number", "personal id",
                     "d.n.i.", "dni", "curp", "national foreign id", "citizen's card",
                     "residency number", "ssn", "id no.")),
    ("registration", ("registration id", "registration number", "registration document",
                      "company number", "commercial registry", "c.r. no.", "legal entity number",
                      "unified social credit code", "trade license", "certificate of incorporation",
                      "aircraft tail number")),
)
_ID_PATTERNS = tuple(
    (kind, re.compile("|".join(rf"(?<![\w.]){re.escape(f)}(?!\w)" for f in frags)))
    for kind, frags in _ID_TYPES)


def root_name(head: bytes) -> str | None:
    """Local name of the document's first element, read from the content itself."""
    match = _ROOT.match(head)
    return match.group(1).decode("ascii", "replace") if match else None


def dataset_from_name(file_name: str) -> str:
    """The file name is only a hint: OFAC's non-SDN files carry "cons" in their name."""
    return "us_ofac_cons" if "cons" in file_name.lower() else "us_ofac_sdn"


class OfacXmlListParser(XmlListParser[State]):
    """Both OFAC XML formats: known by their root element's name, dataset hinted by file name."""

    authority = "OFAC"
    root_tag: ClassVar[str]

    def sniff(self, head: bytes, file_name: str) -> bool:
        """Decided by the root element alone: an S3 error page saved as sdn.xml is not it."""
        return root_name(head) == self.root_tag

    def dataset_for(self, file_name: str) -> str:
        return dataset_from_name(file_name)


def listed_entity(uid: str | None, entry_type: str | None, element: etree._Element,
                  meta: ListMeta, what: str, field: str) -> Entity:
    """An empty entity keyed on OFAC's uid; a missing uid is an error, never a silent skip."""
    if uid is None:
        raise ParseError(what, file=meta.file_name, line=source_line(element), field=field)
    return Entity(make_entity_id("ofac", uid),
                  SCHEMA.get((entry_type or "").lower(), "LegalEntity"),
                  source=meta.dataset, authority="OFAC", authority_id=uid)


def _key(label: str) -> str:
    return " ".join(label.replace("’", "'").lower().split())


def id_type(label: str, value: str) -> str:
    """Identifier type (a model.ID_PROPS key) for an OFAC ID label such as "Cedula No."."""
    key = _key(label)
    if ("vessel registration" in key or key.startswith("imo")) and _imo(value):
        return "imo"
    return next((kind for kind, pattern in _ID_PATTERNS if pattern.search(key)), "other")


def _imo(value: str) -> str | None:
    match = re.search(r"\b(\d{7})\b", value)
    return match.group(1) if match else None


def _remark(label: str, value: str) -> str:
    sep = " " if label.rstrip().endswith((":", "-")) else ": "
    return f"{label.rstrip()}{sep}{value}"


def add_id(entity: Entity, label: str | None, value: str | None,
           country: str | None = None) -> None:
    """Route one idType/feature: real IDs to identifiers, pseudo-IDs to where they belong."""
    name, text = clean(label), clean(value)
    if name is None or text is None:
        return
    key = _key(name)
    if key == "gender":
        entity.genders.extend(g for g in [gender(text)] if g)
    elif key in _PROPS:
        entity.add(_PROPS[key], _prop_value(_PROPS[key], text))
    elif key in _FLAG_PROPS:
        if not text.lower().startswith("none"):
            entity.add(_FLAG_PROPS[key], country_code(text) or text)
    elif key == "nationality of registration":
        entity.countries.extend(c for c in [country_code(text)] if c)
    elif key.startswith(_REMARK_PREFIXES):
        entity.remarks.append(_remark(name, text))
    else:
        kind = id_type(name, text)
        number = (_imo(text) or text) if kind == "imo" else text
        entity.identifiers.append(Identifier(kind, number, country, name))


def _prop_value(prop: str, text: str) -> str:
    """Dates stated as OFAC free text become ISO, so they compare across files."""
    if prop in ("buildDate", "incorporationDate"):
        spec = parse_free_date(text)
        if spec is not None and spec.end is None:
            return spec.start
    return text


def make_address(parts: dict[str, str], country_text: str | None,
                 country: str | None) -> Address | None:
    """One Address from named parts (address1..3, city, region, postal_code); None if empty."""
    street = ", ".join(parts[k] for k in ("address1", "address2", "address3") if parts.get(k))
    pieces = [street, parts.get("city"), parts.get("region"), parts.get("postal_code"),
              country_text]
    full = ", ".join(p for p in pieces if p)
    if not full:
        return None
    return Address(full, street or None, parts.get("city"), parts.get("region"),
                   parts.get("postal_code"), country)
