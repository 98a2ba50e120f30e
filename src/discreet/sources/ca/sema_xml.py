"""Canada's Consolidated Canadian Autonomous Sanctions List, XML (``<data-set><record>``).

One ``record`` per listing: ``Country`` names the regime in English and French ("Russia /
Russie", or a thematic regulation such as JVCFOR), ``Schedule`` and ``Item`` place the
listing in that regulation's schedule, ``DateOfListing`` (files since about 2021) is the
listing date. Persons have ``LastName``/``GivenName``; entities ``Entity`` (older files) or
``EntityOrShip``; ships ``ShipIMONumber`` and their type in ``TitleOrShip``.

The file carries no id and no publication date. Items are stable within a schedule, but
Canada respells schedules ("1" became "1, Part 1"; "2" became "Part 2"), so an entity's
id is built from the regime (its ISO country where it is one), a canonical schedule part and
the item: see :func:`schedule_key`. The file's date must come from the operator
(``load --published``) or the download.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import countrynames
from lxml import etree

from discreet.errors import ParseError
from discreet.model import DateSpec, Entity, Identifier
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.birth_dates import read_birth_dates
from discreet.sources.common.guard import one_line
from discreet.sources.common.values import iso_date
from discreet.sources.common.xml_safe import iter_records, local, source_line, text
from discreet.text.cells import clean
from discreet.text.scripts import detect_script

__all__ = ["PARSER", "CanadaSemaParser", "schedule_key", "split_names"]

DATASET = "ca_dfatd_sema_sanctions"
AUTHORITY = "CA"
# Every field the list has used; one that is not here is kept as a remark and reported.
KNOWN_FIELDS = frozenset({
    "Country", "LastName", "GivenName", "Entity", "EntityOrShip", "Title", "TitleOrShip",
    "Aliases", "DateOfBirth", "DateOfBirthOrShipBuildDate", "ShipIMONumber", "Schedule",
    "Item", "DateOfListing"})
_ROOT = re.compile(rb"<data-set[\s>/]")
_RECORD = re.compile(rb"<record>\s*<(?:Country|Item|Schedule|LastName|Entity)")
_SCHEDULE = re.compile(r"^(?:schedule\s*)?(?P<s>\d+(?:\.\d+)?)?\s*,?\s*"
                       r"(?:part\s*(?P<p>\d+(?:\.\d+)?))?$", re.I)
_LANGUAGE_LABEL = re.compile(r"^[^\W\d_]+(?:\s[^\W\d_]+)?\s*:\s*")
# A fragment that is only a legal form belongs to the name before it ("…, АО").
_LEGAL_FORMS = frozenset({"ao", "ао", "ооо", "оао", "зао", "пао", "ooo", "oao", "zao", "pao",
                          "llc", "ltd", "inc", "jsc", "ojsc", "pjsc", "co", "limited", "gmbh",
                          "sa", "s.a", "plc", "corp"})
_OPEN, _CLOSE = "([«", ")]»"


@dataclass(slots=True)
class _Record:
    """One ``record`` as field -> whitespace-collapsed text, with its line."""

    fields: dict[str, str]
    line: int | None

    def get(self, name: str) -> str | None:
        return clean(self.fields.get(name))


class CanadaSemaParser(Parser):
    """Parser for Canada's consolidated autonomous sanctions list XML (sema-lmes.xml)."""

    format = "ca_sema_xml"
    title = "Canada consolidated autonomous sanctions list, SEMA/JVCFOA (XML)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """A ``data-set`` root whose records start with Canada's fields (or none yet: a
        file cut before its first record is then refused as cut, not as unknown)."""
        return _ROOT.search(head) is not None and (
            _RECORD.search(head) is not None or b"<record" not in head)

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Read every record first (a schedule's spelling depends on its regime's others)."""
        meta.format, meta.dataset, meta.authority = self.format, DATASET, AUTHORITY
        file = meta.file_name

        def on_root(root: etree._Element) -> None:
            if local(root) != "data-set":
                raise ParseError(f"the XML root element <{one_line(local(root), 40)}> is not "
                                 "<data-set>: not Canada's consolidated list",
                                 file=file, line=source_line(root))

        records = [_read(r) for r in iter_records(handle, file, ("record",), on_root)]
        meta.record_count = len(records)
        with_parts = {_regime_key(r, file) for r in records
                      if "part" in (r.get("Schedule") or "").lower()}
        schedules: dict[str, set[str]] = {}
        for record in records:
            schedules.setdefault(_regime_key(record, file), set()).add(
                record.get("Schedule") or "")
        # Regimes whose file only ever writes a bare "1": the id omits it (JVCFOR's "1" of
        # 2020 is its no schedule of 2025); "Part 1" alone keeps it, so that a regime's
        # first "Part 2" changes no id.
        single = {regime for regime, written in schedules.items() if written - {""} == {"1"}}
        seen: set[str] = set()
        unknown: dict[str, int] = {}
        for record in records:
            for name in record.fields:
                if name not in KNOWN_FIELDS:
                    unknown[name] = unknown.get(name, 0) + 1
            entity = build_entity(record, file, (with_parts, single), seen, meta)
            yield entity
        for name, count in sorted(unknown.items()):
            meta.warnings.append(f"{file}: unknown field <{one_line(name, 40)}> in {count} "
                                 "records, kept as remarks")


def _read(element: etree._Element) -> _Record:
    fields: dict[str, str] = {}
    for child in element:
        name = local(child)
        value = text(child)
        if name and value:
            fields[name] = f"{fields[name]}; {value}" if name in fields else value
    return _Record(fields, source_line(element))


def _slug(value: str) -> str:
    return re.sub(r"[^0-9a-z.]+", "-", value.lower()).strip("-.")


def _regime_key(record: _Record, file: str) -> str:
    """The regime part of an id: the ISO country ("ru"), else the acronym or a slug."""
    regime = record.get("Country")
    if regime is None:
        raise ParseError("record without Country (the regime)", file=file, line=record.line,
                         field="Country")
    english = regime.split(" / ", 1)[0].strip()
    # Exact names only: a fuzzy match would read a thematic regime ("Hamas Terrorist
    # Attacks") as some country, and its ids would then change with the library's guess.
    code = countrynames.to_code(english)
    if code and len(code) == 2:
        return code.lower()
    acronym = re.search(r"\(([A-Z]{3,})\)", english)
    return acronym[1].lower() if acronym else _slug(english)


def schedule_key(schedule: str | None, regime_has_parts: bool) -> str | None:
    """The schedule part of an id, the same whichever way Canada spelled the schedule.

    ``1, Part 2`` and ``Part 2`` are part 2 of the (first) schedule: ``p2``. A bare ``2`` is
    that same part in a regime whose file never writes "Part" (Burma's 2020 "2" is its 2025
    "Part 2"), but schedule 2 itself (``s2``) in a regime that does (Russia's "1, Part 2"
    and "2" are different schedules). A bare ``1`` is always part 1. ``N/A`` or none: None.
    """
    value = clean(schedule)
    if value is None:
        return None
    match = _SCHEDULE.match(value.replace(" ,", ","))
    if match is None or not (match["s"] or match["p"]):
        return "x-" + _slug(value)
    sched, part = match["s"], match["p"]
    if part:
        return f"p{part}" if sched in (None, "1") else f"s{sched}-p{part}"
    return f"p{sched}" if sched == "1" or not regime_has_parts else f"s{sched}"


def build_entity(record: _Record, file: str, regimes: tuple[set[str], set[str]],
                 seen: set[str], meta: ListMeta) -> Entity:
    """One Person, Organization or Vessel from a record.

    ``regimes``: the regimes whose file writes "Part" somewhere, and those whose only
    schedule is a bare "1" (their id omits it).
    """
    with_parts, single = regimes
    item = record.get("Item")
    if item is None:
        raise ParseError("record without Item (its number in the schedule)", file=file,
                         line=record.line, field="Item")
    regime = _regime_key(record, file)
    schedule = record.get("Schedule")
    key = None if regime in single else schedule_key(schedule, regime in with_parts)
    local_id = "-".join(p for p in (regime, key, _slug(item) or "0") if p)
    if local_id in seen:  # the same schedule written two ways in one file: keep both
        base = "-".join(p for p in (regime, "x-" + _slug(schedule or "none"), _slug(item)) if p)
        local_id, number = base, 2
        while local_id in seen:
            local_id, number = f"{base}-{number}", number + 1
        meta.warnings.append(f"{file}: line {record.line}: a second record for item {item} "
                             f"of schedule {schedule or 'N/A'}; kept as ca-{local_id}")
    seen.add(local_id)
    given, last = record.get("GivenName"), record.get("LastName")
    imo = record.get("ShipIMONumber")
    schema = "Person" if (given or last) else "Vessel" if imo else "Organization"
    entity = Entity(f"ca-{local_id}", schema, source=DATASET, authority=AUTHORITY,
                    authority_id=local_id)
    _add_names(entity, record, given, last)
    _add_details(entity, record, imo)
    _add_listing(entity, record, schedule, item)
    for name, value in record.fields.items():
        if name not in KNOWN_FIELDS:
            entity.remarks.append(f"{name}: {value}")
    return entity.finish()


def _add_names(entity: Entity, record: _Record, given: str | None, last: str | None) -> None:
    """The primary name (a person's parts; an entity's English/French forms), then aliases."""
    if entity.schema == "Person":
        parts = tuple((prop, value) for prop, value in (("firstName", given),
                                                        ("lastName", last)) if value)
        entity.add_name(" ".join(v for _, v in parts), "primary", parts=parts)
    else:
        own = record.get("EntityOrShip") or record.get("Entity")
        names = split_names(own, slash=True) if own else []
        for number, name in enumerate(names):
            entity.add_name(name, "primary" if number == 0 else "alias",
                            script=detect_script(name))
    for alias in split_names(record.get("Aliases")):
        entity.add_name(alias, "alias", script=detect_script(alias))


def _add_details(entity: Entity, record: _Record, imo: str | None) -> None:
    """Title or vessel type, IMO number, birth (or build) date."""
    title = record.get("TitleOrShip") or record.get("Title")
    if title and entity.schema == "Vessel":
        entity.add("vesselType", title)
    elif title:
        entity.titles.append(title)
    if imo:
        digits = re.sub(r"\D", "", imo)
        entity.identifiers.append(Identifier("imo", digits if len(digits) == 7 else imo,
                                             label="ShipIMONumber"))
    written = record.get("DateOfBirthOrShipBuildDate") or record.get("DateOfBirth")
    if written is None:
        return
    read = read_birth_dates(written, "YMD")
    if entity.schema == "Person":
        entity.birth_dates.extend(read.dates)
    elif entity.schema == "Vessel":
        for spec in read.dates:
            entity.add("buildDate", _spec_text(spec))
    else:
        read.unread.append(written)  # a date on an entity: kept as the file writes it
    for piece in read.unread:
        entity.remarks.append(f"Date as written: {piece}")


def _spec_text(spec: DateSpec) -> str:
    return spec.start if spec.end is None else f"{spec.start}..{spec.end}"


def _add_listing(entity: Entity, record: _Record, schedule: str | None, item: str) -> None:
    """Regime as the file writes it, the schedule reference and the listing date."""
    regime = record.get("Country")
    if regime:
        entity.programmes.append(regime)
    entity.remarks.append(f"Schedule: {schedule or 'N/A'}; item: {item}")
    listed = record.get("DateOfListing")
    if listed:
        entity.listed_on = iso_date(listed)
        if entity.listed_on is None:
            entity.remarks.append(f"Date of listing as written: {listed}")


def _top_level_splits(value: str, slash: bool) -> list[str]:
    """Split outside brackets and quotes: at any ``/`` if ``slash`` (an entity's English/French
    name), else at ``;``, ``, `` and `` / `` (an ``Aliases`` cell).

    Brackets or quotes that do not balance are ignored rather than trusted.
    """
    balanced = (sum(value.count(c) for c in _OPEN) == sum(value.count(c) for c in _CLOSE)
                and value.count('"') % 2 == 0)
    pieces: list[str] = []
    depth, quoted, start = 0, False, 0
    for pos, char in enumerate(value):
        if balanced and char in _OPEN:
            depth += 1
        elif balanced and char in _CLOSE:
            depth = max(0, depth - 1)
        elif balanced and char == '"':
            quoted = not quoted
        if depth or quoted:
            continue
        after = value[pos + 1:pos + 2]
        if (char == "/" and slash) or (not slash and (
                char == ";" or (char == "," and after in (" ", ""))
                or (char == "/" and value[pos - 1:pos] == " " and after == " "))):
            pieces.append(value[start:pos])
            start = pos + 1
    pieces.append(value[start:])
    return pieces


def split_names(value: str | None, slash: bool = False) -> list[str]:
    """The names in an ``Aliases`` cell (or an entity's ``English/French`` name).

    Canada separates aliases with ``;``, ``,`` or `` / `` and labels scripts ("Belarusian:
    …, Russian: …"). A fragment starting in lower case (not "the …"), or only a legal form ("АО"),
    continues the name before it; a slash inside a name ("Hmaw Bi/Pyi/Ywama") splits only
    when both sides have two words or more.
    """
    text_value = clean(value)
    if text_value is None:
        return []
    names: list[str] = []
    for raw in _top_level_splits(text_value, slash):
        piece = _LANGUAGE_LABEL.sub("", raw.strip()).strip(" ,;")
        piece = re.sub(r"^(?:and|or)\s+", "", piece, flags=re.I)
        if piece.startswith("(") and ")" not in piece:  # a bracket the file never closes
            piece = piece[1:].strip()
        if not piece:
            continue
        continues = (piece[0].islower() and not piece.startswith("the ")) \
            or piece.lower().strip(".") in _LEGAL_FORMS
        if names and continues:
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    if slash and any(len(n.split()) < 2 for n in names):
        return [text_value]  # "MEC Steel Mills (Hmaw Bi/Pyi/Ywama)" style: one name
    return names


PARSER = CanadaSemaParser()
