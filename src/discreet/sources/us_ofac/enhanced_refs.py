"""The ENHANCED XML's data dictionary, its dates and its names.

The file states its vocabulary (countries with ISO codes, alias types, scripts, feature
types) once, before the entities, and the entities point into it by refId. Resolving those
references, and turning the file's begin/end date boxes back into the precision OFAC meant,
lives here so that the parser module stays about entities.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from lxml import etree

from discreet.model import DateSpec, Entity, NameKind
from discreet.sources.common.values import iso_date
from discreet.sources.common.xml_safe import children, text
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = ["Refs", "child", "date_spec", "flag", "read_names"]

_ALIAS_KINDS: dict[str, NameKind] = {"a.k.a.": "alias", "f.k.a.": "previous",
                                     "n.k.a.": "alias"}
_PART_PROPS = {"first name": "firstName", "last name": "lastName",
               "middle name": "middleName", "patronymic": "fatherName",
               "matronymic": "motherName"}
_PART_ORDER = ("firstName", "middleName", "fatherName", "motherName", "lastName")
# Bidirectional control marks OFAC wraps around Arabic names: invisible, but they defeat matching.
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069"))


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first direct child named ``name``: nested look-alikes must not leak in."""
    found = children(element, name)
    return found[0] if found else None


def flag(element: etree._Element, name: str) -> bool:
    """A ``true``/``false`` child as a bool (absent is false)."""
    return (text(child(element, name)) or "").lower() == "true"


@dataclass(slots=True)
class Refs:
    """referenceValues and featureTypes, collected as their records stream past."""

    values: dict[str, str] = field(default_factory=dict)
    iso_codes: dict[str, str] = field(default_factory=dict)
    feature_types: dict[str, str] = field(default_factory=dict)

    def add_reference(self, element: etree._Element) -> None:
        """One ``referenceValue``: its value, and its ISO code when it is a country."""
        ref_id = element.get("refId")
        if ref_id is None:
            return
        self.values[ref_id] = text(child(element, "value")) or ""
        iso = clean(text(child(element, "isoCode")))
        if iso and len(iso) == 2 and iso.isalpha():
            self.iso_codes[ref_id] = iso.lower()

    def add_feature_type(self, element: etree._Element) -> None:
        """One ``featureType``: the name a feature's featureTypeId stands for."""
        type_id = element.get("featureTypeId")
        if type_id is not None:
            self.feature_types[type_id] = text(child(element, "type")) or ""

    def label(self, element: etree._Element | None, attr: str = "refId") -> str | None:
        """An element's own text, else what its reference id resolves to."""
        if element is None:
            return None
        own = clean(text(element))
        if own:
            return own
        ref = element.get(attr)
        table = self.feature_types if attr == "featureTypeId" else self.values
        return clean(table.get(ref or ""))

    def country(self, element: etree._Element | None, ref_id: str | None = None) -> str | None:
        """ISO2 (lower) of a country reference, falling back to the country's name."""
        if ref_id is None and element is not None:
            ref_id = element.get("refId")
        if ref_id and ref_id in self.iso_codes:
            return self.iso_codes[ref_id]
        name = text(element) if element is not None else self.values.get(ref_id or "")
        return country_code(name)


def _period(begin: str, end: str) -> str | None:
    """The ISO prefix a begin..end box stands for: a day, a whole month or a whole year."""
    if begin == end:
        return begin
    if begin[:4] == end[:4] and begin[5:] == "01-01" and end[5:] == "12-31":
        return begin[:4]
    year, month = int(begin[:4]), int(begin[5:7])
    last = calendar.monthrange(year, month)[1]
    if begin[:7] == end[:7] and begin[8:] == "01" and int(end[8:]) == last:
        return begin[:7]
    return None


def date_spec(value_date: etree._Element) -> DateSpec | None:
    """DateSpec for a ``valueDate``: exact, month, year, or a range of those."""
    box = {name: iso_date(text(child(value_date, name))) for name in
           ("fromDateBegin", "fromDateEnd", "toDateBegin", "toDateEnd")}
    begin, end = box["fromDateBegin"], box["toDateEnd"] or box["fromDateEnd"]
    if begin is None or end is None:
        return None
    approximate = flag(value_date, "isApproximate")
    whole = _period(begin, end)
    if whole is not None:
        return DateSpec(whole, None, approximate)
    start = _period(begin, box["fromDateEnd"] or begin) or begin
    finish = _period(box["toDateBegin"] or end, end) or end
    return DateSpec(start, finish, approximate)


def _translation_name(tr: etree._Element) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Natural-order full name ("First Last") and FtM name parts of one translation."""
    first = clean((text(child(tr, "formattedFirstName")) or "").translate(_BIDI))
    last = clean((text(child(tr, "formattedLastName")) or "").translate(_BIDI))
    parts = []
    for part in (p for np in children(tr, "nameParts") for p in children(np, "namePart")):
        prop = _PART_PROPS.get((text(child(part, "type")) or "").lower())
        value = clean((text(child(part, "value")) or "").translate(_BIDI))
        if prop and value:
            parts.append((prop, value))
    parts.sort(key=lambda p: _PART_ORDER.index(p[0]))
    value = " ".join(p for p in (first, last) if p)
    if not value:
        value = clean((text(child(tr, "formattedFullName")) or "").translate(_BIDI)) or ""
    return value, tuple(parts)


def read_names(entity: Entity, element: etree._Element, refs: Refs) -> None:
    """Every name in every script; non-Latin forms of the primary name count as aliases."""
    for name in (n for ns in children(element, "names") for n in children(ns, "name")):
        primary = flag(name, "isPrimary")
        kind: NameKind = "primary"
        if not primary:
            alias = (refs.label(child(name, "aliasType")) or "").lower()
            kind = "weak" if flag(name, "isLowQuality") else _ALIAS_KINDS.get(alias, "alias")
        for tr in (t for ts in children(name, "translations") for t in children(ts, "translation")):
            script = refs.label(child(tr, "script"))
            value, parts = _translation_name(tr)
            this_kind: NameKind = kind
            if kind == "primary" and not flag(tr, "isPrimary"):
                this_kind = "alias"
            entity.add_name(value, this_kind, script=script, parts=parts)
