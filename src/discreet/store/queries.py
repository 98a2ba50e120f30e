"""Reading the store: sources, their versions, and entities as of any version.

A version is named by its number (``seq``, given at load and never changed) and placed by
its as-of date (``pos``): the active version is the one with the latest as-of date, and
spans run between positions, so these readers turn numbers into positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from discreet.errors import NotFoundError
from discreet.model import Entity
from discreet.store.db import Database

__all__ = ["VersionInfo", "entities_at", "entity_data_at", "entity_records", "load_record",
           "position", "resolve_version", "span_bounds", "versions"]

VERSION_COLUMNS = ("source, seq, published, loaded_at, sha256, format, file_name, entities, "
                   "added, removed, changed, as_of, as_of_basis, pos")

# Where a version's as-of date comes from; only "load" is not a statement about the content.
AS_OF_BASES = ("file", "operator", "last-modified", "download", "load")


@dataclass(slots=True)
class VersionInfo:
    """One stored version of a source; ``active`` marks the one screening uses (the latest
    as-of date). ``as_of`` is the date its content is as of and ``as_of_basis`` who says so:
    the file itself, the operator (--published), the download's Last-Modified or Date
    header, or ``load`` (the load time: stated by nobody, never used as an event date)."""

    source: str
    version: int
    active: bool
    entities: int
    published: str | None
    loaded_at: str
    sha256: str
    format: str
    file_name: str
    added: int
    removed: int
    changed: int
    as_of: str = ""
    as_of_basis: str = "load"
    position: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _info(row: tuple[object, ...], active_pos: int) -> VersionInfo:
    source, seq, published, loaded_at, sha, fmt, name, count, add, rem, chg, as_of, basis, pos \
        = row
    return VersionInfo(str(source), int(str(seq)), int(str(pos)) == active_pos,
                       int(str(count)), None if published is None else str(published),
                       str(loaded_at), str(sha), str(fmt), str(name), int(str(add)),
                       int(str(rem)), int(str(chg)), str(as_of), str(basis), int(str(pos)))


def versions(db: Database, source: str | None = None) -> list[VersionInfo]:
    """Every version (of one source, or of all), in as-of order within each source."""
    where, params = ("WHERE source = ?", (source,)) if source else ("", ())
    rows = db.query(f"SELECT {VERSION_COLUMNS} FROM version {where} ORDER BY source, pos",
                    params)
    latest: dict[str, int] = {}
    for row in rows:
        latest[str(row[0])] = max(latest.get(str(row[0]), 0), int(str(row[-1])))
    if source and not rows:
        raise NotFoundError(f"no source named {source!r} in the store")
    return [_info(row, latest[str(row[0])]) for row in rows]


def position(db: Database, source: str, seq: int) -> int:
    """The as-of position of version ``seq`` of a source."""
    rows = db.query("SELECT pos FROM version WHERE source = ? AND seq = ?", (source, seq))
    if not rows:
        raise NotFoundError(f"{source} has no version {seq}")
    return int(rows[0][0])


def resolve_version(db: Database, source: str, version: int | None) -> int:
    """The version number asked for, or the active one (latest as-of date); a negative
    number counts back in as-of order (-2: the one before the active); errors name what
    exists."""
    known = [v.version for v in versions(db, source)]
    if version is None:
        return known[-1]
    if version < 0 and -version <= len(known):
        return known[version]
    if version not in known:
        raise NotFoundError(f"{source} has no version {version}; it has "
                            f"{min(known)}..{max(known)}")
    return version


def entity_records(db: Database, source: str, seq: int) -> dict[str, str]:
    """Entity id -> content hash for a source as of version ``seq``."""
    pos = position(db, source, seq)
    rows = db.query("SELECT entity_id, hash FROM span WHERE source = ? AND first_pos <= ? "
                    "AND (last_pos IS NULL OR last_pos >= ?)", (source, pos, pos))
    return {str(r[0]): str(r[1]) for r in rows}


def span_bounds(db: Database, source: str, seq: int) -> dict[str, tuple[int, int]]:
    """Entity id -> (first version it appeared in, version of its latest content), up to
    ``seq`` in as-of order."""
    pos = position(db, source, seq)
    seqs = {int(p): int(s) for s, p in db.query(
        "SELECT seq, pos FROM version WHERE source = ?", (source,))}
    rows = db.query("SELECT entity_id, MIN(first_pos), MAX(first_pos) FROM span "
                    "WHERE source = ? AND first_pos <= ? GROUP BY entity_id", (source, pos))
    return {str(eid): (seqs[int(first)], seqs[int(last)]) for eid, first, last in rows}


def entities_at(db: Database, source: str, seq: int) -> Iterator[Entity]:
    """Entities of a source as of version ``seq``, in id order."""
    pos = position(db, source, seq)
    rows = db.query(
        "SELECT r.data FROM span s JOIN record r ON r.hash = s.hash WHERE s.source = ? "
        "AND s.first_pos <= ? AND (s.last_pos IS NULL OR s.last_pos >= ?) ORDER BY s.entity_id",
        (source, pos, pos))
    for (data,) in rows:
        yield Entity.from_dict(json.loads(data))


def entity_data_at(db: Database, source: str, seq: int, page: int = 20_000) -> Iterator[str]:
    """The stored JSON of each entity of a source as of version ``seq``, in id order (the
    order of :func:`entities_at`), read ``page`` rows at a time: an index build reads a
    million entities without holding every row at once, and decodes only what it needs."""
    pos = position(db, source, seq)
    after: tuple[str, int] = ("", -1)
    while True:
        rows = db.query(
            "SELECT s.entity_id, s.first_pos, r.data FROM span s JOIN record r "
            "ON r.hash = s.hash WHERE s.source = ? AND s.first_pos <= ? "
            "AND (s.last_pos IS NULL OR s.last_pos >= ?) "
            "AND s.entity_id >= ? AND (s.entity_id > ? OR s.first_pos > ?) "
            "ORDER BY s.entity_id, s.first_pos LIMIT ?",
            (source, pos, pos, after[0], after[0], after[1], page))
        for _, _, data in rows:
            yield str(data)
        if len(rows) < page:
            return
        after = (str(rows[-1][0]), int(rows[-1][1]))


def load_record(db: Database, content_hash: str) -> Entity:
    """The entity stored under a content hash."""
    rows = db.query("SELECT data FROM record WHERE hash = ?", (content_hash,))
    if not rows:
        raise NotFoundError(f"no record with hash {content_hash}")
    return Entity.from_dict(json.loads(rows[0][0]))
