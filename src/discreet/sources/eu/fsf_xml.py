"""EU Financial Sanctions Files, XML 1.1 (namespace ``http://eu.europa.ec/fpi/fsd/export``).

Each ``sanctionEntity`` becomes one entity keyed on its ``logicalId``. The EU marks almost
every alias ``strong="true"`` and states quality only in a ``remark`` ("low quality alias",
once misspelt "aliias"), so the remark decides weak versus strong. For ISLAMIC-calendar
birth dates the day/month/year attributes are Hijri while ``birthdate`` is already
Gregorian; the Gregorian value wins and the Hijri parts are only converted when it is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from discreet.errors import ParseError
from discreet.model import DateSpec, Entity, NameKind, make_entity_id
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.values import gender, hijri_to_iso, iso_date, join_clean
from discreet.sources.common.xml_safe import children, iter_records, source_line
from discreet.sources.eu.fsf_parts import add_addresses, add_identifiers
from discreet.text.cells import clean
from discreet.text.countries import country_code
from discreet.text.scripts import detect_script

__all__ = ["PARSER", "EUParser", "birth_date"]

DATASET = "eu_fsf"
AUTHORITY = "EU"
NAMESPACE = b"http://eu.europa.ec/fpi/fsd/export"
SCHEMA_BY_CODE = {"person": "Person", "enterprise": "Organization", "vessel": "Vessel",
                  "aircraft": "Airplane"}
_WEAK = re.compile(r"\blow[- ]quality\s+al+i+as\b", re.I)
_QUALITY = re.compile(r"^(good|low)[- ]quality\s+al+i+as\.?$", re.I)
_ROOT = re.compile(rb"<(?:\w+:)?export[\s>]")


class EUParser(Parser):
    """Parser for the EU consolidated financial sanctions list, XML 1.1."""

    format = "eu_fsf"
    title = "EU Financial Sanctions Files consolidated list (XML 1.1)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """The FSF export namespace on an ``export`` root."""
        return NAMESPACE in head and _ROOT.search(head) is not None

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Stream the ``sanctionEntity`` records."""
        meta.format, meta.dataset, meta.authority = self.format, DATASET, AUTHORITY

        def on_root(root: etree._Element) -> None:
            meta.published = iso_date(root.get("generationDate"))
            if root.get("globalFileId"):
                meta.extra["globalFileId"] = str(root.get("globalFileId"))

        for record in iter_records(handle, meta.file_name, ("sanctionEntity",), on_root):
            yield build_entity(record, meta.file_name)


def _attr(element: etree._Element, name: str) -> str | None:
    return clean(element.get(name))


def build_entity(record: etree._Element, file_name: str) -> Entity:
    """One entity from a ``sanctionEntity`` element."""
    logical_id = _attr(record, "logicalId")
    if not logical_id:
        raise ParseError("sanctionEntity without logicalId", file=file_name,
                         line=source_line(record), field="logicalId")
    subject = children(record, "subjectType")
    code = (subject[0].get("code") or "").lower() if subject else ""
    entity = Entity(make_entity_id("eu", logical_id), SCHEMA_BY_CODE.get(code, "LegalEntity"),
                    source=DATASET, authority=AUTHORITY, authority_id=logical_id)
    entity.add("euReference", record.get("euReferenceNumber"))
    entity.add("unReference", record.get("unitedNationId"))
    _add_listing(entity, record)
    _add_names(entity, record)
    _add_citizenships(entity, record)
    _add_births(entity, record)
    add_addresses(entity, record)
    add_identifiers(entity, record)
    return entity.finish()


def _add_listing(entity: Entity, record: etree._Element) -> None:
    """Programmes, listing and delisting dates, entity-level remarks."""
    published: list[str] = []
    for regulation in children(record, "regulation"):
        programme = _attr(regulation, "programme")
        if programme:
            entity.programmes.append(programme)
        if day := iso_date(regulation.get("publicationDate")):
            published.append(day)
    entity.listed_on = iso_date(record.get("designationDate")) or min(published, default=None)
    entity.delisted_on = iso_date(record.get("delistingDate"))
    entity.remarks.extend(texts_of(record, "remark"))


def texts_of(element: etree._Element, name: str) -> list[str]:
    """Whitespace-collapsed texts of the direct children called ``name``."""
    return [value for child in children(element, name) if (value := clean(child.text))]


def _add_names(entity: Entity, record: etree._Element) -> None:
    """nameAlias -> names; weak when the remark or ``strong`` says so."""
    aliases = children(record, "nameAlias")
    weak = [alias.get("strong") == "false"
            or any(_WEAK.search(r) for r in texts_of(alias, "remark")) for alias in aliases]
    primary = _primary_index(aliases, weak)
    for index, alias in enumerate(aliases):
        kind: NameKind = "primary" if index == primary else "weak" if weak[index] else "alias"
        parts = tuple((prop, value) for prop in ("firstName", "middleName", "lastName")
                      if (value := _attr(alias, prop)))
        lang = (_attr(alias, "nameLanguage") or "").lower() or None
        whole = _attr(alias, "wholeName")
        script = detect_script(whole)
        entity.add_name(whole, kind, lang=lang, parts=parts,
                        script=script if script != "Latin" else None)
        entity.remarks.extend(r for r in texts_of(alias, "remark") if not _QUALITY.match(r))
        _add_alias_facts(entity, alias)


def _primary_index(aliases: list[etree._Element], weak: list[bool]) -> int | None:
    """The first strong name, preferring English (or no language), then Latin script.

    The EU gives no primary flag, and translations into every EU language (Irish, Hungarian…)
    often come first; an English or language-less Latin name makes the readable caption.
    """
    strong = [i for i, alias in enumerate(aliases)
              if not weak[i] and _attr(alias, "wholeName")]
    latin = [i for i in strong if detect_script(aliases[i].get("wholeName")) == "Latin"]
    english = [i for i in latin if (aliases[i].get("nameLanguage") or "EN").upper() == "EN"]
    chosen = english or latin or strong
    return chosen[0] if chosen else None


def _add_alias_facts(entity: Entity, alias: etree._Element) -> None:
    """The EU hangs function, gender and title on each name."""
    if position := _attr(alias, "function"):
        entity.positions.append(position)
    if sex := gender(alias.get("gender")):
        entity.genders.append(sex)
    if title := _attr(alias, "title"):
        entity.titles.append(title)


def _add_citizenships(entity: Entity, record: etree._Element) -> None:
    """citizenship -> citizenships and countries; ``00`` (unknown) is skipped."""
    for citizenship in children(record, "citizenship"):
        code = country_code(citizenship.get("countryIso2Code"))
        if code:
            entity.citizenships.append(code)
            entity.countries.append(code)


def _add_births(entity: Entity, record: etree._Element) -> None:
    """birthdate -> a date and a place, each where stated."""
    for element in children(record, "birthdate"):
        spec = birth_date(element)
        if spec:
            entity.birth_dates.append(spec)
        known_country = country_code(element.get("countryIso2Code"))
        place = join_clean([element.get("city"), element.get("place"), element.get("region"),
                            element.get("countryDescription") if known_country else None])
        if place:
            entity.birth_places.append(place)


def birth_date(element: etree._Element) -> DateSpec | None:
    """Gregorian ``birthdate``, else converted Hijri parts, else a year range or parts."""
    circa = (element.get("circa") or "").lower() == "true"
    year, month, day = (_int(element.get(a)) for a in ("year", "monthOfYear", "dayOfMonth"))
    start = iso_date(element.get("birthdate"))
    if start is None and (element.get("calendarType") or "").upper() == "ISLAMIC" and year:
        start = hijri_to_iso(year, month, day)
    if start is None:
        low, high = _attr(element, "yearRangeFrom"), _attr(element, "yearRangeTo")
        if low or high:
            end = high if low and high and high != low else None
            return DateSpec(str(low or high), end, circa)
        if year is None:
            return None
        start = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
    return DateSpec(start, None, circa)


def _int(value: str | None) -> int | None:
    text = clean(value)
    return int(text) if text and text.isdigit() and int(text) > 0 else None


PARSER = EUParser()
