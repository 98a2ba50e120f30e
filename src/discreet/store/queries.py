"""Reading the store: sources, their versions, and entities as of any version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from discreet.errors import NotFoundError
from discreet.model import Entity
from discreet.store.db import Database

__all__ = ["VersionInfo", "entities_at", "entity_records", "load_record", "resolve_version",
           "span_bounds", "versions"]

VERSION_COLUMNS = ("source, seq, published, loaded_at, sha256, format, file_name, entities, "
                   "added, removed, changed")


@dataclass(slots=True)
class VersionInfo:
    """One stored version of a source; ``active`` marks the one screening uses."""

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

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _info(row: tuple[object, ...], active_seq: int) -> VersionInfo:
    source, seq, published, loaded_at, sha, fmt, name, count, add, rem, chg = row
    return VersionInfo(str(source), int(str(seq)), int(str(seq)) == active_seq,
                       int(str(count)), None if published is None else str(published),
                       str(loaded_at), str(sha), str(fmt), str(name), int(str(add)),
                       int(str(rem)), int(str(chg)))


def versions(db: Database, source: str | None = None) -> list[VersionInfo]:
    """Every version (of one source, or of all), oldest first within each source."""
    where, params = ("WHERE source = ?", (source,)) if source else ("", ())
    rows = db.query(f"SELECT {VERSION_COLUMNS} FROM version {where} ORDER BY source, seq",
                    params)
    latest: dict[str, int] = {}
    for row in rows:
        latest[str(row[0])] = max(latest.get(str(row[0]), 0), int(str(row[1])))
    if source and not rows:
        raise NotFoundError(f"no source named {source!r} in the store")
    return [_info(row, latest[str(row[0])]) for row in rows]


def resolve_version(db: Database, source: str, version: int | None) -> int:
    """The version number asked for, or the active (latest) one; errors name what exists."""
    known = [v.version for v in versions(db, source)]
    if version is None:
        return known[-1]
    if version < 0 and -version <= len(known):
        return known[version]
    if version not in known:
        raise NotFoundError(f"{source} has no version {version}; it has {known[0]}..{known[-1]}")
    return version


def entity_records(db: Database, source: str, seq: int) -> dict[str, str]:
    """Entity id -> content hash for a source as of version ``seq``."""
    rows = db.query("SELECT entity_id, hash FROM span WHERE source = ? AND first_seq <= ? "
                    "AND (last_seq IS NULL OR last_seq >= ?)", (source, seq, seq))
    return {str(r[0]): str(r[1]) for r in rows}


def span_bounds(db: Database, source: str, seq: int) -> dict[str, tuple[int, int]]:
    """Entity id -> (first version it appeared in, version of its latest content), up to ``seq``."""
    rows = db.query("SELECT entity_id, MIN(first_seq), MAX(first_seq) FROM span "
                    "WHERE source = ? AND first_seq <= ? GROUP BY entity_id", (source, seq))
    return {str(eid): (int(first), int(last)) for eid, first, last in rows}


def entities_at(db: Database, source: str, seq: int) -> Iterator[Entity]:
    """Entities of a source as of version ``seq``, in id order."""
    rows = db.query(
        "SELECT r.data FROM span s JOIN record r ON r.hash = s.hash WHERE s.source = ? "
        "AND s.first_seq <= ? AND (s.last_seq IS NULL OR s.last_seq >= ?) ORDER BY s.entity_id",
        (source, seq, seq))
    for (data,) in rows:
        yield Entity.from_dict(json.loads(data))


def load_record(db: Database, content_hash: str) -> Entity:
    """The entity stored under a content hash."""
    rows = db.query("SELECT data FROM record WHERE hash = ?", (content_hash,))
    if not rows:
        raise NotFoundError(f"no record with hash {content_hash}")
    return Entity.from_dict(json.loads(rows[0][0]))
