"""Writing a new version of a source: one transaction, only what changed is added.

A load compares the new file's entities (id -> content hash) with the open spans of the
source. Unchanged entities cost nothing; changed and removed ones close their span; changed
and added ones open a new span pointing at their (deduplicated) record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from discreet.errors import RejectedListError
from discreet.store.db import Database

__all__ = ["LoadResult", "Snapshot", "content_hash", "write_version"]

BATCH = 2000


@dataclass(slots=True)
class Snapshot:
    """A parsed file ready to store: entity id -> (content hash, canonical JSON)."""

    source: str
    authority: str
    format: str
    file_name: str
    sha256: str
    published: str | None
    records: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LoadResult:
    """What a load did; ``status`` is ``new`` or ``unchanged`` (content equal to the active one)."""

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

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def content_hash(records: Mapping[str, tuple[str, str]]) -> str:
    """Hash of the list's content alone: ids and entity hashes, never the file's timestamps."""
    digest = hashlib.sha256()
    for entity_id in sorted(records):
        digest.update(f"{entity_id}\t{records[entity_id][0]}\n".encode())
    return digest.hexdigest()


def _active(db: Database, source: str) -> tuple[int, int, str] | None:
    rows = db.query("SELECT seq, entities, content_hash FROM version WHERE source = ? "
                    "ORDER BY seq DESC LIMIT 1", (source,))
    return (int(rows[0][0]), int(rows[0][1]), str(rows[0][2])) if rows else None


def _check_drop(snap: Snapshot, active: tuple[int, int, str] | None, max_drop: float,
                force: bool) -> None:
    if not snap.records:
        raise RejectedListError(f"{snap.file_name}: the file holds no entities; not a list")
    if active is None or force:
        return
    seq, before, _ = active
    after = len(snap.records)
    if before and after < before * (1 - max_drop):
        share = 100 * (before - after) / before
        raise RejectedListError(
            f"{snap.file_name}: {after} entities where version {seq} of {snap.source} has "
            f"{before} ({share:.0f}% fewer, more than the {100 * max_drop:.0f}% allowed); "
            "refused as implausible, use --force if the drop is real")


def write_version(db: Database, snap: Snapshot, *, force: bool = False,
                  max_drop: float = 0.2) -> LoadResult:
    """Store ``snap`` as the next version of its source, unless its content is unchanged."""
    chash = content_hash(snap.records)
    with db.transaction(lock=f"discreet-source-{snap.source}"):
        active = _active(db, snap.source)
        _check_drop(snap, active, max_drop, force)
        if active is not None and active[2] == chash:
            return LoadResult(snap.source, active[0], "unchanged", len(snap.records),
                              published=snap.published, sha256=snap.sha256,
                              file_name=snap.file_name, warnings=snap.warnings)
        seq = active[0] + 1 if active else 1
        return _write(db, snap, seq, chash)


def _write(db: Database, snap: Snapshot, seq: int, chash: str) -> LoadResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("INSERT INTO source (name, authority, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING", (snap.source, snap.authority, now))
    rows = db.query("SELECT entity_id, hash, first_seq FROM span WHERE source = ? AND "
                    "last_seq IS NULL", (snap.source,))
    open_spans = {str(r[0]): str(r[1]) for r in rows}
    opened_at = {str(r[0]): int(r[2]) for r in rows}
    removed = [eid for eid in open_spans if eid not in snap.records]
    changed = [eid for eid, (h, _) in snap.records.items()
               if eid in open_spans and open_spans[eid] != h]
    added = [eid for eid in snap.records if eid not in open_spans]
    new_records = [(snap.records[e][0], snap.records[e][1]) for e in (*changed, *added)]
    for i in range(0, len(new_records), BATCH):
        db.executemany("INSERT INTO record (hash, data) VALUES (?, ?) "
                       "ON CONFLICT (hash) DO NOTHING", new_records[i:i + BATCH])
    # Close by the full primary key, so every backend updates through it.
    closing = [(seq - 1, snap.source, eid, opened_at[eid]) for eid in (*removed, *changed)]
    for i in range(0, len(closing), BATCH):
        db.executemany("UPDATE span SET last_seq = ? WHERE source = ? AND entity_id = ? "
                       "AND first_seq = ?", closing[i:i + BATCH])
    opening = [(snap.source, eid, seq, snap.records[eid][0]) for eid in (*changed, *added)]
    for i in range(0, len(opening), BATCH):
        db.executemany("INSERT INTO span (source, entity_id, first_seq, hash) "
                       "VALUES (?, ?, ?, ?)", opening[i:i + BATCH])
    db.execute(
        "INSERT INTO version (source, seq, published, loaded_at, sha256, content_hash, format, "
        "file_name, entities, added, removed, changed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (snap.source, seq, snap.published, now, snap.sha256, chash, snap.format,
         snap.file_name, len(snap.records), len(added), len(removed), len(changed)))
    return LoadResult(snap.source, seq, "new", len(snap.records), len(added), len(removed),
                      len(changed), snap.published, snap.sha256, snap.file_name, snap.warnings)
