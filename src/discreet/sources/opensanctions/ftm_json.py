"""FollowTheMoney entity JSON lines: OpenSanctions' exports, yente's input, our own export.

One JSON object per line, in either of OpenSanctions' forms: flat (``entities.ftm.json``:
every entity on its own line, a Sanction naming its entity) or nested
(``targets.nested.json``: each target with its Sanctions, Addresses, Identifications nested
in its properties; :func:`~discreet.sources.opensanctions.ftm.unnest`). Entities of schemata
the model does not hold (Sanction, Identification, Address, CryptoWallet, Ownership…) are
not screenable themselves and are counted in ``meta.extra["skipped"]``; what they say about
a listed entity (its programmes and listing dates, identifiers with their issuer, addresses,
relations) is put onto it, wherever in the file they stand.

Memory does not grow with the file: a file (seekable) is read twice. The first pass checks
every line and puts the related entities in a temporary SQLite file keyed by the entity
they describe (:class:`SideTable`); the second yields each listed entity with its related
ones looked up there. A big file is read the same way by forked workers, chunk by chunk
(:mod:`~discreet.sources.opensanctions.ftm_parallel`, which the loader uses). A stream that
cannot be read twice is read once, matching related entities that stand next to theirs
(:class:`~discreet.sources.opensanctions.ftm.Assembler`). Publisher's ``topics`` (sanction,
role.pep, crime…) are kept on each entity.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from discreet.errors import ParseError
from discreet.json_read import loads
from discreet.model import NAME_PROPS, Entity
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.guard import MAX_FIELD_CHARS, MAX_NAME_CHARS, check_field, one_line
from discreet.sources.opensanctions.ftm import (
    PART_PROPS,
    Assembler,
    entity_from_ftm,
    export_entities,
    is_supported,
    related_targets,
    unnest,
)

__all__ = ["PARSER", "FtmJsonParser", "SideReader", "SideRows", "SideTable", "write_ftm"]

DEFAULT_DATASET = "ftm"
MAX_LINE_BYTES = 16 * 1024 * 1024  # one entity; real ones are a few KB
SIDE_BATCH = 5000  # related entities written to the side table per statement
MAX_ODD_PROPS = 50  # distinct odd properties reported (a hostile file may invent many)
# Properties whose values are names: they must be strings, and short enough to be names.
NAME_FIELDS = frozenset({*NAME_PROPS.values(), *PART_PROPS})
_SURROGATE = re.compile("[\ud800-\udfff]")
# the escapes that alone write a surrogate in JSON (UTF-8 bytes cannot): a line without one
# holds none, and its strings need no search
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
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
        """Yield supported entities with what their related entities say; fill format,
        authority, dataset, skipped.

        Entities of FtM schemata the model does not hold are skipped and counted; a schema
        FtM does not know at all (a typo, a damaged file) is skipped and said in
        ``meta.warnings``, with how many and where the first one was. A defective line
        raises a ParseError naming the file and line before any entity is yielded when the
        file can be read twice (the first pass checks every line).
        """
        meta.format = self.format
        meta.authority = "FtM"
        tally = _Tally()
        if handle.seekable():
            with SideTable() as side:
                last = self._first_pass(handle, meta, tally, side)
                handle.seek(0)
                seen = yield from self._second_pass(handle, meta, side)
                orphans = side.orphans()
            late = 0
        else:
            last, seen, late, orphans = yield from self._one_pass(handle, meta, tally)
        self.finish(meta, tally, last, seen, (late, orphans))

    def finish(self, meta: ListMeta, tally: _Tally, last: tuple[int, bytes], seen: set[str],
               unapplied: tuple[int, int]) -> None:
        """What the end of a file says: the counts and warnings of a whole reading
        (``last``: the last line, number and bytes; ``seen``: the datasets its entities
        name; ``unapplied``: related entities that came late, and orphans)."""
        late, orphans = unapplied
        meta.extra["skipped"] = str(tally.skipped)
        if late or orphans:
            where = (f"their listed entity came earlier in the file ({late}) or not at all "
                     f"({orphans})" if late else "their listed entity is not in the file")
            meta.warnings.append(f"{meta.file_name}: {late + orphans} related entities "
                                 f"(Sanction, Identification…) not applied: {where}")
        if last[1].strip() and not last[1].endswith(b"\n"):
            meta.warnings.append(f"{meta.file_name}: the file ends without a line break; if it "
                                 f"was cut off, entities after line {last[0]} are missing")
        for prop, (first_line, count) in tally.odd.items():
            meta.warnings.append(f"{meta.file_name}: {count} values of {one_line(prop, 40)!r} "
                                 "are objects, lists or booleans, not text; kept as their "
                                 f"text form (first on line {first_line})")
        for schema, (first_line, count) in tally.unknown.items():
            meta.warnings.append(f"{meta.file_name}: {count} entities of unknown schema "
                                 f"{one_line(schema, 40)!r} skipped (first on line {first_line})")
        if not meta.dataset:
            meta.dataset = seen.pop() if len(seen) == 1 else DEFAULT_DATASET

    def _first_pass(self, handle: IO[bytes], meta: ListMeta, tally: _Tally,
                    side: SideTable) -> tuple[int, bytes]:
        """Check every line; related entities and the ids of listed ones to ``side``.
        Returns the last line read (number, bytes)."""
        last: tuple[int, bytes] = (0, b"\n")
        for number, raw in enumerate(handle, start=1):
            last = (number, raw)
            self.scan_line(raw, number, meta, tally, side)
        side.seal()
        return last

    def scan_line(self, raw: bytes, number: int, meta: ListMeta, tally: _Tally,
                  side: SideTable | SideRows) -> None:
        """The first pass over one line: checked, and what it says noted in ``side`` (a
        listed entity's id; a related entity under the ids of those it describes)."""
        found = self._decode(raw, number, meta, tally)
        if found is None:
            return
        data, _, own = found  # what is nested in it comes again with it in the second pass
        if is_supported(data):
            side.target(str(data["id"]), _address_keys(data))
            return
        tally.skip(data, number)
        targets = related_targets(data)
        if data["schema"] != "Address" and not targets:
            return
        # kept as JSON text: the line's own when it is this entity (nothing nested in it to
        # take out), which decodes to the same value as encoding it again would give
        text = own if own is not None else json.dumps(data, ensure_ascii=False)
        if data["schema"] == "Address":
            side.add(ADDRESS_KEY + str(data["id"]), number, text)
        for target in targets:
            side.add(target, number, text)

    def _second_pass(self, handle: IO[bytes], meta: ListMeta,
                     side: SideTable) -> Generator[Entity, None, set[str]]:
        """Each listed entity with its related ones from ``side``; returns the datasets
        the entities name (the file's when there is one)."""
        seen: set[str] = set()
        for number, raw in enumerate(handle, start=1):
            entity = self.assemble_line(raw, number, meta, side)
            if entity is not None:
                _remember(seen, entity.source)
                yield entity
        return seen

    def assemble_line(self, raw: bytes, number: int, meta: ListMeta,
                      side: SideTable | SideReader) -> Entity | None:
        """The second pass over one line: its listed entity with its related ones from
        ``side`` (None for a blank line or a related entity)."""
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            return None
        try:
            data, nested = _unnest(loads(raw), raw)
        except (ValueError, RecursionError, AttributeError) as exc:
            raise ParseError("the file changed while it was read (it read well a moment "
                             "ago)", file=meta.file_name, line=number) from exc
        if not is_supported(data):
            return None
        related = side.related(str(data["id"]))
        for key in _address_keys(data):
            related.extend(side.related(key))
        # In id order: the same entities give the same content (and hash) whatever the
        # order of the lines, which a publisher may change from one release to the next.
        related = sorted([*nested, *related], key=lambda item: str(item.get("id")))
        return self._entity(data, related, number, meta)

    def _one_pass(self, handle: IO[bytes], meta: ListMeta, tally: _Tally
                  ) -> Generator[Entity, None, tuple[tuple[int, bytes], set[str], int, int]]:
        """A stream read once: related entities next to theirs (or before) are applied.
        Returns (last line, datasets, related that came late, orphans)."""
        seen: set[str] = set()
        last: tuple[int, bytes] = (0, b"\n")
        assembler = Assembler()
        for number, raw in enumerate(handle, start=1):
            last = (number, raw)
            found = self._decode(raw, number, meta, tally)
            if found is None:
                continue
            data, nested, _ = found
            if not is_supported(data):
                tally.skip(data, number)
            for item, related, line in assembler.add(data, (number, nested)):
                entity = self._entity(item, [*line[1], *related], line[0], meta)
                _remember(seen, entity.source)
                yield entity
        for item, related, line in assembler.finish():
            entity = self._entity(item, [*line[1], *related], line[0], meta)
            _remember(seen, entity.source)
            yield entity
        return last, seen, assembler.late, assembler.orphans

    def _decode(self, raw: bytes, number: int, meta: ListMeta, tally: _Tally
                ) -> tuple[dict[str, Any], list[dict[str, Any]], str | None] | None:
        """One line as a JSON object, the entities nested in it, and the line's text when
        the object is the line's own (nothing taken out of it; else None); None for a
        blank line; anything else is a ParseError. Properties holding objects, lists or
        booleans are tallied."""
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            return None
        file = meta.file_name
        if len(raw) > MAX_LINE_BYTES:
            raise ParseError(f"a line of {len(raw):,} bytes, over the limit of "
                             f"{MAX_LINE_BYTES:,} for one entity", file=file, line=number)
        try:
            decoded = loads(raw)
            text = raw.decode("utf-8")
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
        if not isinstance(decoded, dict) or "id" not in decoded or "schema" not in decoded:
            raise ParseError("not an FtM entity (needs an object with id and schema)",
                             file=file, line=number)
        data, nested = _unnest(decoded, raw)
        escaped = _SURROGATE_ESCAPE.search(raw) is not None
        for item in (data, *nested):
            for prop in _check_entity(item, file, number, escaped):
                tally.odd_value(prop, number)
        return data, nested, text if data is decoded else None

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


ADDRESS_KEY = "\x00address:"  # side-table key of an Address, by its own id


def _address_keys(data: dict[str, Any]) -> list[str]:
    """The side-table keys of the Addresses a listed entity points to (``addressEntity``)."""
    pointers = (data.get("properties") or {}).get("addressEntity") or []
    return [ADDRESS_KEY + str(p) for p in (pointers if isinstance(pointers, list)
                                           else [pointers])]


class _Tally:
    """What the first pass counts: skipped entities, unknown schemata, odd values (at most
    ``cap`` distinct of each: a part of a file read apart counts every one, and
    :meth:`merge` caps them as a reading of the whole file would)."""

    def __init__(self, cap: int | None = MAX_ODD_PROPS) -> None:
        self.cap = cap
        self.skipped = 0
        self.unknown: dict[str, tuple[int, int]] = {}  # schema -> (first line, count)
        self.odd: dict[str, tuple[int, int]] = {}  # property -> (first line, count)

    def skip(self, data: dict[str, Any], number: int) -> None:
        self.skipped += 1
        schema = data["schema"]
        if schema not in FTM_SCHEMATA:
            _count(self.unknown, str(schema), number, 1, self.cap)

    def odd_value(self, prop: str, number: int) -> None:
        _count(self.odd, prop, number, 1, self.cap)

    def merge(self, later: _Tally) -> None:
        """Add the (uncapped) tally of the part of the file that follows this one."""
        self.skipped += later.skipped
        for mine, theirs in ((self.unknown, later.unknown), (self.odd, later.odd)):
            for key, (first, count) in theirs.items():
                _count(mine, key, first, count, self.cap)


def _count(where: dict[str, tuple[int, int]], key: str, number: int, times: int = 1,
           cap: int | None = MAX_ODD_PROPS) -> None:
    """Count ``key`` (first line, count), for at most ``cap`` distinct keys."""
    if key in where or cap is None or len(where) < cap:
        first, count = where.get(key, (number, 0))
        where[key] = (first, count + times)


def _remember(seen: set[str], source: str) -> None:
    """The datasets the entities name: two are enough to know the file is not one."""
    if len(seen) < 2:
        seen.add(source)


class SideTable:
    """The related entities of a flat FtM file on disk (a temporary SQLite file), keyed by
    the entity they describe, and the ids of the listed entities: what lets a file of any
    size be assembled in bounded memory, whatever the order of its lines."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="discreet-ftm-")
        self._db = sqlite3.connect(Path(self._dir.name) / "related.sqlite",
                                   isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072",
                       "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("BEGIN")
        self._db.execute("CREATE TABLE related (key TEXT NOT NULL, line INTEGER NOT NULL, "
                         "data TEXT NOT NULL)")
        self._db.execute("CREATE TABLE target (id TEXT NOT NULL)")
        # the keys the listed entities of each chunk of a file read apart will look up (the
        # chunks come in order: each one's rows go at the end of the table's order)
        self._db.execute("CREATE TABLE wanted (chunk INTEGER NOT NULL, key TEXT NOT NULL, "
                         "PRIMARY KEY (chunk, key)) WITHOUT ROWID")
        self._rows: list[tuple[str, int, str]] = []
        self._targets: list[tuple[str]] = []

    def __enter__(self) -> SideTable:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None
                 ) -> None:
        self.close()

    def add(self, key: str, line: int, text: str) -> None:
        """Keep a related entity (its JSON ``text``) under the id of the entity it
        describes."""
        self._rows.append((key, line, text))
        if len(self._rows) >= SIDE_BATCH:
            self._flush()

    def target(self, ident: str, addresses: list[str]) -> None:
        """Note a listed entity's id (to count related entities whose entity never comes)
        and the keys of its Addresses (looked up when it is read again)."""
        self._targets.append((ident,))
        if len(self._targets) >= SIDE_BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO related VALUES (?, ?, ?)", self._rows)
        self._db.executemany("INSERT INTO target VALUES (?)", self._targets)
        self._rows, self._targets = [], []

    def extend(self, rows: SideRows, chunk: int) -> None:
        """Keep what a first pass over a part of the file (``chunk``) noted
        (:class:`SideRows`)."""
        self._flush()
        self._db.executemany("INSERT INTO related VALUES (?, ?, ?)", rows.rows)
        self._db.executemany("INSERT INTO target VALUES (?)", rows.targets)
        self._db.executemany(f"INSERT OR IGNORE INTO wanted VALUES ({int(chunk)}, ?)",
                             rows.wanted)

    @property
    def path(self) -> Path:
        """The temporary file, for a :class:`SideReader` in another process."""
        return Path(self._dir.name) / "related.sqlite"

    def seal(self) -> None:
        """End of the first pass: index what was kept for lookups."""
        self._flush()
        self._db.execute("CREATE INDEX related_key ON related (key, line)")
        self._db.execute("CREATE INDEX target_id ON target (id)")
        self._db.execute("COMMIT")
        # the cache that held what was written given back; lookups read a page here and there
        self._db.execute("PRAGMA cache_size = -16384")
        self._db.execute("PRAGMA shrink_memory")

    def related(self, key: str) -> list[dict[str, Any]]:
        """The related entities kept under ``key``, in file order."""
        return _related(self._db, key)

    def orphans(self) -> int:
        """Related entities (not Addresses) whose listed entity is not in the file."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM related WHERE key NOT LIKE ? AND key NOT IN "
            "(SELECT id FROM target)", (ADDRESS_KEY + "%",)).fetchone()
        return int(row[0])

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _related(db: sqlite3.Connection, key: str) -> list[dict[str, Any]]:
    rows = db.execute("SELECT data FROM related WHERE key = ? ORDER BY line",
                      (key,)).fetchall()
    return [loads(row[0]) for row in rows]


class SideRows:
    """What a first pass over a part of a file notes for the :class:`SideTable` (the same
    calls), kept as rows to send to the process that writes the table."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, str]] = []
        self.targets: list[tuple[str]] = []
        self.wanted: list[tuple[str]] = []

    def add(self, key: str, line: int, text: str) -> None:
        self.rows.append((key, line, text))

    def target(self, ident: str, addresses: list[str]) -> None:
        self.targets.append((ident,))
        self.wanted.append((ident,))
        self.wanted.extend((key,) for key in addresses)


class SideReader:
    """A sealed :class:`SideTable` read from another process (its file, read-only): the
    related entities a chunk's listed entities will look up, in one query."""

    def __init__(self, path: Path) -> None:
        # immutable: the sealed table no longer changes, so no lock is taken per query
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        self._found: dict[str, list[str]] = {}

    def chunk(self, chunk: int) -> SideReader:
        """Fetch what the listed entities of ``chunk`` look up (:meth:`related` then
        answers for them)."""
        self._found = {}
        for key, data in self._db.execute(
                "SELECT key, data FROM related WHERE key IN (SELECT key FROM wanted "
                "WHERE chunk = ?) ORDER BY key, line", (chunk,)):
            self._found.setdefault(key, []).append(data)
        return self

    def related(self, key: str) -> list[dict[str, Any]]:
        """The related entities kept under ``key``, in file order."""
        return [loads(data) for data in self._found.get(key, ())]

    def close(self) -> None:
        self._db.close()


def _unnest(data: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """:func:`unnest` of a line's entity, at once when the line cannot nest one: a nested
    entity is an object with a "schema" key, and a line whose only ``"schema"`` is its
    entity's own, without ``\\u`` escapes (which could spell the key), has none."""
    if raw.count(b'"schema"') == 1 and b"\\u" not in raw:
        return data, []
    return unnest(data)


def _check_entity(data: dict[str, Any], file: str, line: int, escaped: bool = True,
                  ) -> list[str]:
    """Refuse values of the wrong type instead of storing them changed.

    ``"id": null`` would become the id "None"; a name given as a number or an object makes
    an entity no screening can match; a lone escaped surrogate cannot be stored as UTF-8
    (searched for only when the line was ``escaped``: it has a ``\\uD800``-``\\uDFFF``
    escape, the only way JSON text can write one).
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
        named = prop in NAME_FIELDS
        limit = MAX_NAME_CHARS if named else MAX_FIELD_CHARS
        for value in values:
            if isinstance(value, str):
                if len(value) > limit:
                    check_field(value, file, str(prop), line, limit)  # raises
            elif named and value is not None:
                raise ParseError(f"a name must be a string, not {_kind(value)}", file=file,
                                 line=line, field=str(prop))
            elif isinstance(value, (dict, list, bool)):
                odd.append(str(prop))
    if escaped:
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
