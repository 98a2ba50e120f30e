"""Writing a new version of a source: one transaction, only what changed is added.

Versions are placed by their as-of date, never by load order. A file dated after every
held version (the usual case) is appended: its entities (id -> content hash) are compared
with the open spans of the source; unchanged entities cost nothing, changed and removed
ones close their span, changed and added ones open a new span pointing at their
(deduplicated) record. A file dated before the active version is inserted where its date
puts it (``chronology.insert_spans``): the active version stays active.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from discreet.errors import RejectedListError
from discreet.store.chain import append_event
from discreet.store.chronology import BATCH, insert_span_rows, insert_spans, store_records
from discreet.store.db import Database
from discreet.store.spool import RecordSpool

__all__ = ["DEFAULT_MAX_REMOVAL", "LoadResult", "ParsedList", "content_hash", "write_version"]

# The removal gate: the largest share of the active version's entities a new version may
# remove without --force. Measured over the real histories in ../shared/fixtures (UN
# 2016-2026, OFAC sdn.csv 2015-2024, OFSI; tests/store/test_removal_gate.py): files up to
# three months apart remove at most 0.73%, files 15-18 months apart 6-10%; a file cut
# short loses everything after the cut. 5% is seven times the largest removal between
# files published within three months, and refuses any truncation that loses more than
# the last 5% of a list (an sdn.csv cut inside a Remarks field, once accepted under a
# 20% gate, had lost 1,205 of its entities). The store owns it (it refuses the version);
# settings ([load] max_removal) and the loaders default to it.
DEFAULT_MAX_REMOVAL = 0.05


@dataclass(slots=True)
class ParsedList:
    """A parsed file ready to store: entity id -> (content hash, canonical JSON) (a dict,
    or for a big file a :class:`~discreet.store.spool.RecordSpool` on disk).

    ``published`` is the date the file itself states; ``as_of`` a date stated for it by
    someone else (the operator's --published, a download's Last-Modified or Date header),
    with ``as_of_basis`` naming who (``operator``, ``last-modified``, ``download``). The
    file's own date wins; with neither, the version is dated by its load time (basis
    ``load``), which orders it but is never used as the date of a designation.
    """

    source: str
    authority: str
    format: str
    file_name: str
    sha256: str
    published: str | None
    records: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    as_of: str | None = None
    as_of_basis: str = "operator"


@dataclass(slots=True)
class LoadResult:
    """What a load did; ``status`` is ``new`` (the latest as-of date: now active),
    ``inserted`` (older than the active version: placed in the history by its date) or
    ``unchanged`` (content equal to the version its date follows)."""

    source: str
    version: int
    status: str
    entities: int
    added: int = 0
    removed: int = 0
    changed: int = 0
    published: str | None = None
    sha256: str = ""
    file_name: str = ""
    warnings: list[str] = field(default_factory=list)
    as_of: str = ""
    as_of_basis: str = ""
    active: bool = True

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def content_hash(records: Mapping[str, tuple[str, str]]) -> str:
    """Hash of the list's content alone: ids and entity hashes, never the file's timestamps."""
    digest = hashlib.sha256()
    if isinstance(records, RecordSpool):  # already in id order, read a page at a time
        for entity_id, entity_hash in records.hashes():
            digest.update(f"{entity_id}\t{entity_hash}\n".encode())
        return digest.hexdigest()
    for entity_id in sorted(records):
        digest.update(f"{entity_id}\t{records[entity_id][0]}\n".encode())
    return digest.hexdigest()


def _items(records: Mapping[str, tuple[str, str]]) -> Iterator[tuple[str, tuple[str, str]]]:
    """Every (id, (hash, JSON)), a page at a time for a spool."""
    if isinstance(records, RecordSpool):
        return records.records()
    return iter(records.items())


class _Held(NamedTuple):
    """A stored version of the source, as the writer needs it."""

    seq: int
    pos: int
    as_of: str
    entities: int
    content_hash: str
    sha256: str


def _held(db: Database, source: str) -> list[_Held]:
    """The source's versions in as-of order, read inside the lock."""
    rows = db.query("SELECT seq, pos, as_of, entities, content_hash, sha256 FROM version "
                    "WHERE source = ? ORDER BY pos", (source,))
    return [_Held(int(r[0]), int(r[1]), str(r[2]), int(r[3]), str(r[4]), str(r[5]))
            for r in rows]


def follows(held: _Held, as_of: str, basis: str, content_hash: str) -> bool:
    """Whether a new version (``as_of``, ``basis``, ``content_hash``) comes after ``held``.

    By as-of date; of two files dated the same day (OFAC published twice on 2018-04-06),
    by content hash, so that loading them in either order gives one history. Two versions
    dated by their load time (no date stated) keep the order they were loaded in: that is
    the order they were seen.
    """
    if held.as_of != as_of or basis == "load":
        return held.as_of <= as_of
    return held.content_hash <= content_hash


def as_of_of(parsed: ParsedList, now: str) -> tuple[str, str]:
    """(as-of date, basis): the file's own date, else the one stated for it, else ``now``."""
    if parsed.published:
        return parsed.published, "file"
    if parsed.as_of:
        return parsed.as_of, parsed.as_of_basis
    return now, "load"


def _open_spans(db: Database, source: str) -> dict[str, tuple[str, int]]:
    """Entity id -> (content hash, first position) for every entity of the latest version."""
    rows = db.query("SELECT entity_id, hash, first_pos FROM span WHERE source = ? AND "
                    "last_pos IS NULL", (source,))
    return {str(r[0]): (str(r[1]), int(r[2])) for r in rows}


def check_removal(parsed: ParsedList, before: _Held | None, removed: int, added: int,
                  max_drop: float, force: bool) -> None:
    """Refuse a version that removes more than ``max_drop`` of the entities of the version
    its date follows (for a new latest version: the active one)."""
    if before is None or force:
        return
    if before.entities and removed > before.entities * max_drop:
        share = 100 * removed / before.entities
        raise RejectedListError(
            f"{parsed.file_name}: refused as the next version of {parsed.source}: it removes "
            f"{removed} of the {before.entities} entities of version {before.seq} "
            f"({share:.1f}%, more than the {100 * max_drop:g}% allowed; "
            f"{len(parsed.records)} read, {added} added); "
            "if the removals are real, load it with --force or a higher --max-removal")


def write_version(db: Database, parsed: ParsedList, *, force: bool = False,
                  max_drop: float = DEFAULT_MAX_REMOVAL) -> LoadResult:
    """Store ``parsed`` where its as-of date puts it, unless it adds nothing.

    The per-source lock is taken first and the versions are read after it, so two loads
    of one source run one after the other and each compares (and gates) against what the
    other committed: never against a stale version. A file is ``unchanged`` when its
    content equals the version its date follows (for an undated file: the active one).
    """
    if not parsed.records:
        raise RejectedListError(f"{parsed.file_name}: the file holds no entities; not a list")
    chash = content_hash(parsed.records)
    spooled = parsed.records.file if isinstance(parsed.records, RecordSpool) else None
    with (db.attached(spooled, "spool") if spooled else nullcontext(False)) as copies, \
            db.transaction(lock=f"discreet-source-{parsed.source}"):
        # Read the clock under the lock: of two undated loads, the one that commits second
        # is the later (and active) version.
        now = datetime.now(UTC).isoformat(timespec="seconds")
        as_of, basis = as_of_of(parsed, now)
        held = _held(db, parsed.source)
        pos = 1 + sum(1 for v in held if follows(v, as_of, basis, chash))
        before = held[pos - 2] if pos >= 2 else None
        same = before if before and before.content_hash == chash else None
        if same is not None:
            return LoadResult(parsed.source, same.seq, "unchanged", len(parsed.records),
                              published=parsed.published, sha256=parsed.sha256,
                              file_name=parsed.file_name, warnings=parsed.warnings,
                              as_of=as_of, as_of_basis=basis,
                              active=same.pos == held[-1].pos)
        seq = max((v.seq for v in held), default=0) + 1
        _ensure_source(db, parsed, now)
        if pos <= len(held):
            added, removed, changed = insert_spans(
                db, parsed.source, parsed.records, pos,
                lambda r, a: check_removal(parsed, before, r, a, max_drop, force))
            status = "inserted"
        elif not held and copies:  # a first version: nothing to compare, copied by SQL
            added, removed, changed = _copy_first(db, parsed.source, pos), 0, 0
            status = "new"
        else:
            spans = _open_spans(db, parsed.source) if held else {}
            gone = [eid for eid in spans if eid not in parsed.records]
            new = len(parsed.records) - (len(spans) - len(gone))  # every other is held
            check_removal(parsed, before, len(gone), new, max_drop, force)
            added, removed, changed = _append(db, parsed, pos, spans, gone)
            status = "new"
        db.execute(
            "INSERT INTO version (source, seq, published, loaded_at, sha256, content_hash, "
            "format, file_name, entities, added, removed, changed, as_of, as_of_basis, pos) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (parsed.source, seq, parsed.published, now, parsed.sha256, chash, parsed.format,
             parsed.file_name, len(parsed.records), added, removed, changed, as_of, basis,
             pos))
        append_event(db, "list.load", None, {  # in this transaction: no load unaudited
            "source": parsed.source, "version": seq, "status": status, "as_of": as_of,
            "as_of_basis": basis, "content_hash": chash, "sha256": parsed.sha256,
            "file_name": parsed.file_name, "format": parsed.format,
            "entities": len(parsed.records), "added": added, "removed": removed,
            "changed": changed})
        return LoadResult(parsed.source, seq, status, len(parsed.records), added, removed,
                          changed, parsed.published, parsed.sha256, parsed.file_name,
                          parsed.warnings, as_of, basis, status == "new")


def _ensure_source(db: Database, parsed: ParsedList, now: str) -> None:
    db.execute("INSERT INTO source (name, authority, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING", (parsed.source, parsed.authority, now))


def _copy_first(db: Database, source: str, pos: int) -> int:
    """The first version of ``source`` from the records spooled on disk (attached as
    ``spool``), copied by the database in id order, as :func:`_append` writes them; how
    many entities it adds (all)."""
    db.execute("INSERT INTO record (hash, data) SELECT hash, data FROM spool.rec WHERE true "
               "ORDER BY id ON CONFLICT (hash) DO NOTHING")
    db.execute("INSERT INTO span (source, entity_id, first_pos, last_pos, hash) "
               "SELECT ?, id, ?, NULL, hash FROM spool.rec ORDER BY id", (source, pos))
    return int(db.query("SELECT COUNT(*) FROM spool.rec")[0][0])


def _append(db: Database, parsed: ParsedList, pos: int, spans: dict[str, tuple[str, int]],
            removed: list[str]) -> tuple[int, int, int]:
    """Spans for a version after every held one; (added, removed, changed).

    One pass over the records, written a batch at a time (contents, closed spans, opened
    spans), so a list of millions of entities needs memory for one batch."""
    source = parsed.source
    added = changed = 0
    contents: list[tuple[str, str]] = []
    # Close by the full primary key, so every backend updates through it.
    closing = [(pos - 1, source, eid, spans[eid][1]) for eid in removed]
    opening: list[tuple[str, str, int, int | None, str]] = []

    def flush() -> None:
        store_records(db, contents)
        for i in range(0, len(closing), BATCH):
            db.executemany("UPDATE span SET last_pos = ? WHERE source = ? AND entity_id = ? "
                           "AND first_pos = ?", closing[i:i + BATCH])
        insert_span_rows(db, opening)
        contents.clear()
        closing.clear()
        opening.clear()

    for eid, record in _items(parsed.records):
        held = spans.get(eid)
        if held is None:
            added += 1
        elif held[0] != record[0]:
            changed += 1
            closing.append((pos - 1, source, eid, held[1]))
        else:
            continue
        contents.append(record)
        opening.append((source, eid, pos, None, record[0]))
        if len(contents) >= BATCH:
            flush()
    flush()
    return added, len(removed), changed

