"""Differences between two versions of a source, down to the fields that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from discreet.model import Entity
from discreet.store.db import Database
from discreet.store.queries import entity_records, load_record

__all__ = ["Change", "Diff", "diff_versions", "field_changes"]


@dataclass(slots=True)
class Change:
    """One entity present in both versions with different content."""

    id: str
    caption: str
    fields: list[str]
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "caption": self.caption, "fields": self.fields,
                "before": self.before, "after": self.after}


@dataclass(slots=True)
class Diff:
    """What changed in a source from version ``from_version`` to ``to_version``."""

    source: str
    from_version: int
    to_version: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "from": self.from_version, "to": self.to_version,
                "added": self.added, "removed": self.removed,
                "changed": [c.to_dict() for c in self.changed]}


def field_changes(before: Entity, after: Entity) -> tuple[list[str], dict[str, Any],
                                                          dict[str, Any]]:
    """Names of the fields that differ, with their old and new values."""
    old, new = dict(before.to_dict()), dict(after.to_dict())
    names = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return names, {k: old.get(k) for k in names}, {k: new.get(k) for k in names}


def diff_versions(db: Database, source: str, from_seq: int, to_seq: int) -> Diff:
    """Compare two versions by content hash, then field by field for the changed ones."""
    old, new = entity_records(db, source, from_seq), entity_records(db, source, to_seq)
    result = Diff(source, from_seq, to_seq)
    result.added = sorted(e for e in new if e not in old)
    result.removed = sorted(e for e in old if e not in new)
    for eid in result.added:
        result.captions[eid] = load_record(db, new[eid]).caption
    for eid in result.removed:
        result.captions[eid] = load_record(db, old[eid]).caption
    for eid in sorted(e for e in new if e in old and old[e] != new[e]):
        before, after = load_record(db, old[eid]), load_record(db, new[eid])
        names, was, now = field_changes(before, after)
        result.changed.append(Change(eid, after.caption, names, was, now))
    return result
