"""FollowTheMoney entity JSON lines: OpenSanctions' exports, yente's input, our own export.

One JSON object per line, read line by line so that a multi-gigabyte dump needs memory for
one entity (and the related entities that come before theirs) only. Entities of schemata the
model does not hold (Sanction, Identification, CryptoWallet, Ownership…) are not screenable
themselves and are counted in ``meta.extra["skipped"]``; what they say about a listed entity
(its programmes and listing dates, identifiers with their issuer, relations) is put onto it
(:class:`~discreet.sources.opensanctions.ftm.Assembler`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from discreet.errors import ParseError
from discreet.model import NAME_PROPS, Entity
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.guard import MAX_FIELD_CHARS, MAX_NAME_CHARS, check_field, one_line
from discreet.sources.opensanctions.ftm import (
    PART_PROPS,
    Assembler,
    entity_from_ftm,
    export_entities,
    is_supported,
)

__all__ = ["PARSER", "FtmJsonParser", "write_ftm"]

DEFAULT_DATASET = "ftm"
MAX_LINE_BYTES = 16 * 1024 * 1024  # one entity; real ones are a few KB
# Properties whose values are names: they must be strings, and short enough to be names.
NAME_FIELDS = frozenset({*NAME_PROPS.values(), *PART_PROPS})
_SURROGATE = re.compile("[\ud800-\udfff]")
# Every schema FollowTheMoney defines (3.x), to tell "not held here" from "not FtM at all".
FTM_SCHEMATA = frozenset({
    "Address", "Airplane", "Analyzable", "Article", "Assessment", "Asset", "Associate",
    "Audio", "BankAccount", "Call", "CallForTenders", "Company", "Contract", "ContractAward",
    "CourtCase", "CourtCaseParty", "CryptoWallet", "Debt", "Directorship", "Document",
    "Documentation", "EconomicActivity", "Email", "Employment", "Event", "Family", "Folder",
    "HyperText", "Identification", "Image", "Interest", "Interval", "LegalEntity", "License",
    "Membership", "Mention", "Message", "Note", "Occupancy", "Organization", "Ownership",
    "Package", "Page", "Pages", "Passport", "Payment", "Person", "PlainText", "Position",
    "Project", "ProjectParticipant", "PublicBody", "RealEstate", "Representation", "Sanction",
    "Security", "Similar", "Succession", "Table", "TaxRoll", "Thing", "Trip", "UnknownLink",
    "UserAccount", "Value", "Vehicle", "Vessel", "Video", "Workbook",
})


def _first_line(head: bytes) -> tuple[bytes, bool]:
    """The first non-blank line of ``head`` and whether it is complete (ends in a newline)."""
    for line in head.splitlines(keepends=True):
        if line.strip():
            return line, line.endswith(b"\n")
    return b"", False


class FtmJsonParser(Parser):
    """Reads FtM entity JSON lines into entities; skips schemata the model lacks."""

    format = "ftm_json"
    title = "FollowTheMoney entity JSON lines (OpenSanctions, yente, discreet export)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """First non-blank line is a JSON object with "schema" and "properties"."""
        line, complete = _first_line(head)
        try:
            data = json.loads(line)
        except RecursionError:  # nested absurdly deep: judge by its look; parse() refuses it
            return line.lstrip().startswith(b"{") and b'"schema"' in line
        except ValueError:
            # A first entity longer than the sniffed head is cut off: judge by its start.
            return (not complete and line.lstrip().startswith(b"{")
                    and b'"schema"' in line and b'"properties"' in line)
        return isinstance(data, dict) and "schema" in data and "properties" in data

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Yield supported entities line by line; fill format, authority, dataset, skipped.

        Entities of FtM schemata the model does not hold are skipped and counted; a schema
        FtM does not know at all (a typo, a damaged file) is skipped and said in
        ``meta.warnings``, with how many and where the first one was.
        """
        meta.format = self.format
        meta.authority = "FtM"
        odd: dict[str, tuple[int, int]] = {}  # property -> (first line, count)
        skipped = 0
        unknown: dict[str, list[int]] = {}
        seen: set[str] = set()
        last: tuple[int, bytes] = (0, b"\n")
        assembler = Assembler()
        for number, raw in enumerate(handle, start=1):
            last = (number, raw)
            data = self._decode(raw, number, meta, odd)
            if data is None:
                continue
            schema = data["schema"]
            if not is_supported(data):
                skipped += 1
                meta.extra["skipped"] = str(skipped)
                if schema not in FTM_SCHEMATA:
                    unknown.setdefault(schema, []).append(number)
            for found, related, line in assembler.add(data, number):
                entity = self._entity(found, related, line, meta)
                seen.add(entity.source)
                yield entity
        for found, related, line in assembler.finish():
            entity = self._entity(found, related, line, meta)
            seen.add(entity.source)
            yield entity
        meta.extra["skipped"] = str(skipped)
        if assembler.late or assembler.orphans:
            meta.warnings.append(
                f"{meta.file_name}: {assembler.late + assembler.orphans} related entities "
                "(Sanction, Identification…) not applied: their listed entity came earlier in "
                f"the file ({assembler.late}) or not at all ({assembler.orphans})")
        if last[1].strip() and not last[1].endswith(b"\n"):
            meta.warnings.append(f"{meta.file_name}: the file ends without a line break; if it "
                                 f"was cut off, entities after line {last[0]} are missing")
        for prop, (first_line, count) in odd.items():
            meta.warnings.append(f"{meta.file_name}: {count} values of {one_line(prop, 40)!r} "
                                 "are objects, lists or booleans, not text; kept as their "
                                 f"text form (first on line {first_line})")
        for schema, lines in unknown.items():
            meta.warnings.append(f"{meta.file_name}: {len(lines)} entities of unknown schema "
                                 f"{one_line(schema, 40)!r} skipped (first on line {lines[0]})")
        if not meta.dataset:
            meta.dataset = seen.pop() if len(seen) == 1 else DEFAULT_DATASET

    def _decode(self, raw: bytes, number: int, meta: ListMeta,
                odd: dict[str, tuple[int, int]]) -> dict[str, Any] | None:
        """One line as a JSON object (None for a blank line); anything else is a ParseError.

        Properties holding objects, lists or booleans are tallied in ``odd``.
        """
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            return None
        file = meta.file_name
        if len(raw) > MAX_LINE_BYTES:
            raise ParseError(f"a line of {len(raw):,} bytes, over the limit of "
                             f"{MAX_LINE_BYTES:,} for one entity", file=file, line=number)
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-8: {exc.reason}", file=file, line=number) from exc
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply to be an FtM entity", file=file,
                             line=number) from exc
        except ValueError as exc:
            if not raw.endswith(b"\n"):
                raise ParseError("the last line is not complete JSON: the file is truncated",
                                 file=file, line=number) from exc
            raise ParseError(f"malformed JSON ({one_line(str(exc), 80)})", file=file,
                             line=number) from exc
        if not isinstance(data, dict) or "id" not in data or "schema" not in data:
            raise ParseError("not an FtM entity (needs an object with id and schema)",
                             file=file, line=number)
        for prop in _check_entity(data, file, number):
            first, count = odd.get(prop, (number, 0))
            odd[prop] = (first, count + 1)
        return data

    def _entity(self, data: dict[str, Any], related: list[dict[str, Any]], number: int,
                meta: ListMeta) -> Entity:
        """Convert one entity with the related entities that describe it; the dataset is the
        file's, else the entity's first, else ftm."""
        datasets = data.get("datasets") or []
        first = str(datasets[0]) if isinstance(datasets, list) and datasets else ""
        try:
            entity = entity_from_ftm(data, meta.dataset or first or DEFAULT_DATASET, related)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ParseError(f"invalid FtM entity ({one_line(str(exc), 80)})",
                             file=meta.file_name, line=number) from exc
        entity.authority = "FtM"
        return entity


def _check_entity(data: dict[str, Any], file: str, line: int) -> list[str]:
    """Refuse values of the wrong type instead of storing them changed.

    ``"id": null`` would become the id "None"; a name given as a number or an object makes
    an entity no screening can match; a lone escaped surrogate cannot be stored as UTF-8.
    Returns the other properties holding objects, lists or booleans (kept as their text,
    which the caller reports).
    """
    odd: list[str] = []
    ident, schema = data["id"], data["schema"]
    if not isinstance(ident, str) or not ident.strip():
        raise ParseError(f"the id must be a non-empty string, not {_kind(ident)}", file=file,
                         line=line, field="id")
    check_field(ident, file, "id", line, MAX_NAME_CHARS)
    if not isinstance(schema, str) or not schema.strip():
        raise ParseError(f"the schema must be a non-empty string, not {_kind(schema)}",
                         file=file, line=line, field="schema")
    properties = data.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise ParseError(f"properties must be an object, not {_kind(properties)}", file=file,
                         line=line, field="properties")
    for prop, raw in properties.items():
        values = raw if isinstance(raw, list) else [raw]
        for value in values:
            if prop in NAME_FIELDS and value is not None and not isinstance(value, str):
                raise ParseError(f"a name must be a string, not {_kind(value)}", file=file,
                                 line=line, field=str(prop))
            if isinstance(value, str):
                check_field(value, file, str(prop), line,
                            MAX_NAME_CHARS if prop in NAME_FIELDS else MAX_FIELD_CHARS)
            elif isinstance(value, (dict, list, bool)):
                odd.append(str(prop))
    for value in _strings(data):
        if _SURROGATE.search(value):
            raise ParseError("a lone UTF-16 surrogate escape (\\ud800-\\udfff): not "
                             "encodable text", file=file, line=line)
    return odd


def _strings(value: Any) -> Iterator[str]:
    """Every string (keys and values) in a parsed JSON value, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _kind(value: Any) -> str:
    """A JSON type name for messages: null, a number, a list…"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string" if value.strip() else "an empty string"
    return type(value).__name__


def write_ftm(entities: Iterable[Entity], handle: IO[str],
              parties: Mapping[str, str] | None = None) -> tuple[int, int]:
    """Write the FtM export, one JSON object per line (sorted keys, so exports diff cleanly):
    each party once (``parties``: entity id -> party id; else each id once), then its
    Sanction, Identification… entities
    (:func:`~discreet.sources.opensanctions.ftm.export_entities`). Returns how many listed
    entities (parties) and how many FtM entities in all were written."""
    listed = total = 0
    for data in export_entities(entities, parties):
        handle.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
        handle.write("\n")
        total += 1
        listed += is_supported(data)
    return listed, total


PARSER = FtmJsonParser()
