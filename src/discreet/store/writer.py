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

__all__ = ["DEFAULT_MAX_REMOVAL", "LoadResult", "ParsedList", "content_hash", "write_version"]

BATCH = 2000
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


def _active(db: Database, source: str) -> tuple[int, int, str, str | None] | None:
    """(seq, entities, content hash, publication date) of the source's latest version, read
    inside the lock."""
    rows = db.query("SELECT seq, entities, content_hash, published FROM version "
                    "WHERE source = ? ORDER BY seq DESC LIMIT 1", (source,))
    if not rows:
        return None
    seq, entities, chash, published = rows[0]
    return int(seq), int(entities), str(chash), None if published is None else str(published)


def _check_chronology(snap: ParsedList, active: tuple[int, int, str, str | None] | None) -> None:
    """Refuse a file published before the active version: it would make stale data active.

    Only when both files state their publication date (a file without one cannot be placed).
    Placing an older file into the history, behind the active version, needs each version's
    as-of date to order the history by; until the store has that, an older file is refused
    rather than allowed to replace newer data (two loads racing, or an old mirror copy).
    """
    if active is None or not snap.published or not active[3]:
        return
    ours, theirs = snap.published[:10], active[3][:10]
    if ours < theirs:
        raise RejectedListError(
            f"{snap.file_name}: refused as the next version of {snap.source}: it was published "
            f"{ours}, before version {active[0]} (published {theirs}), which stays active")


def _open_spans(db: Database, source: str) -> dict[str, tuple[str, int]]:
    """Entity id -> (content hash, first version) for every entity of the active version."""
    rows = db.query("SELECT entity_id, hash, first_seq FROM span WHERE source = ? AND "
                    "last_seq IS NULL", (source,))
    return {str(r[0]): (str(r[1]), int(r[2])) for r in rows}


def _check_removal(snap: ParsedList, active: tuple[int, int, str, str | None] | None, removed: int,
                   added: int, max_drop: float, force: bool) -> None:
    """Refuse a version that removes more than ``max_drop`` of the active entities."""
    if active is None or force:
        return
    seq, before = active[0], active[1]
    if before and removed > before * max_drop:
        share = 100 * removed / before
        raise RejectedListError(
            f"{snap.file_name}: refused as the next version of {snap.source}: it removes "
            f"{removed} of the {before} entities of version {seq} ({share:.1f}%, more than "
            f"the {100 * max_drop:g}% allowed; {len(snap.records)} read, {added} added); "
            "if the removals are real, load it with --force or a higher --max-removal")


def write_version(db: Database, snap: ParsedList, *, force: bool = False,
                  max_drop: float = DEFAULT_MAX_REMOVAL) -> LoadResult:
    """Store ``snap`` as the next version of its source, unless its content is unchanged.

    The per-source lock is taken first and the active version is read after it, so two
    loads of one source run one after the other and each compares (and gates) against the
    version the other committed: never against a stale one.
    """
    if not snap.records:
        raise RejectedListError(f"{snap.file_name}: the file holds no entities; not a list")
    chash = content_hash(snap.records)
    with db.transaction(lock=f"discreet-source-{snap.source}"):
        active = _active(db, snap.source)
        if active is not None and active[2] == chash:
            return LoadResult(snap.source, active[0], "unchanged", len(snap.records),
                              published=snap.published, sha256=snap.sha256,
                              file_name=snap.file_name, warnings=snap.warnings)
        _check_chronology(snap, active)
        spans = _open_spans(db, snap.source) if active is not None else {}
        removed = [eid for eid in spans if eid not in snap.records]
        added = [eid for eid in snap.records if eid not in spans]
        _check_removal(snap, active, len(removed), len(added), max_drop, force)
        seq = active[0] + 1 if active else 1
        return _write(db, snap, seq, chash, spans, removed, added)


def _write(db: Database, snap: ParsedList, seq: int, chash: str,
           spans: dict[str, tuple[str, int]], removed: list[str], added: list[str]
           ) -> LoadResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("INSERT INTO source (name, authority, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING", (snap.source, snap.authority, now))
    opened_at = {eid: first for eid, (_, first) in spans.items()}
    changed = [eid for eid, (h, _) in snap.records.items()
               if eid in spans and spans[eid][0] != h]
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
