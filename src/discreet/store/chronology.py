"""Inserting a version into a source's history where its as-of date puts it.

Spans run between version positions (as-of order). A file older than the active version
takes position ``p``: every position from ``p`` on moves up by one, each span that ran
across ``p`` is cut there, the new version's entities take position ``p``, and spans that
now touch with the same content are joined again, so the spans are exactly those a load
in date order would have written. The source's spans are rewritten in the load's
transaction: an insertion is rare (an archive, an old mirror copy), appending stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice

from discreet.store.db import Database

__all__ = ["BATCH", "insert_span_rows", "insert_spans", "place", "store_records"]

BATCH = 2000

Span = tuple[int, int | None, str]  # first position, last position (None: still open), hash


def place(spans: list[Span], pos: int, content: str | None) -> list[Span]:
    """One entity's spans with a new version at ``pos`` (its hash there, or None when the
    new version lacks it); positions from ``pos`` on move up by one."""
    moved: list[Span] = []
    for first, last, digest in spans:
        new_first = first if first < pos else first + 1
        new_last = last if last is None or last < pos else last + 1
        if new_first < pos and (new_last is None or new_last > pos):
            moved.append((new_first, pos - 1, digest))  # ran across: cut at pos
            moved.append((pos + 1, new_last, digest))
        else:
            moved.append((new_first, new_last, digest))
    if content is not None:
        moved.append((pos, pos, content))
    moved.sort(key=lambda s: s[0])
    joined: list[Span] = []
    for span in moved:
        if joined and joined[-1][1] == span[0] - 1 and joined[-1][2] == span[2]:
            joined[-1] = (joined[-1][0], span[1], span[2])
        else:
            joined.append(span)
    return joined


def _at(spans: list[Span], pos: int) -> str | None:
    """The entity's content hash at a position, or None when it is not listed there."""
    for first, last, digest in spans:
        if first <= pos and (last is None or last >= pos):
            return digest
    return None


def _counts(entities: Mapping[str, list[Span]], pos: int) -> tuple[int, int, int]:
    """(added, removed, changed) from position ``pos - 1`` to ``pos``."""
    added = removed = changed = 0
    for spans in entities.values():
        was, now = _at(spans, pos - 1), _at(spans, pos)
        added += was is None and now is not None
        removed += was is not None and now is None
        changed += was is not None and now is not None and was != now
    return added, removed, changed


def insert_spans(db: Database, source: str, records: Mapping[str, tuple[str, str]], pos: int,
                 gate: Callable[[int, int], None]) -> tuple[int, int, int]:
    """Rewrite ``source``'s spans with ``records`` as the version at ``pos`` (before the
    active one); ``gate(removed, added)`` may refuse before anything is written. The later
    versions move up one position and the next one's counts are taken against the new
    version. Returns the new version's (added, removed, changed)."""
    rows = db.query("SELECT entity_id, first_pos, last_pos, hash FROM span WHERE source = ? "
                    "ORDER BY entity_id, first_pos", (source,))
    held: dict[str, list[Span]] = {}
    for eid, first, last, digest in rows:
        held.setdefault(str(eid), []).append(
            (int(first), None if last is None else int(last), str(digest)))
    entities = {eid: place(spans, pos, records[eid][0] if eid in records else None)
                for eid, spans in held.items()}
    for eid, (digest, _) in records.items():
        if eid not in entities:
            entities[eid] = [(pos, pos, digest)]
    added, removed, changed = _counts(entities, pos) if pos > 1 else (len(records), 0, 0)
    gate(removed, added)
    successor = _counts(entities, pos + 1)
    store_records(db, records.values())  # kept once: held ones are skipped
    db.execute("DELETE FROM span WHERE source = ?", (source,))
    insert_span_rows(db, [(source, eid, first, last, digest)
                          for eid, spans in entities.items() for first, last, digest in spans])
    db.execute("UPDATE version SET pos = pos + 1 WHERE source = ? AND pos >= ?", (source, pos))
    db.execute("UPDATE version SET added = ?, removed = ?, changed = ? WHERE source = ? "
               "AND pos = ?", (*successor, source, pos + 1))
    return added, removed, changed


def store_records(db: Database, records: Iterable[tuple[str, str]]) -> None:
    """Entity contents (hash, JSON), each kept once however many versions share it;
    read and written a batch at a time."""
    rows = iter(records)
    while batch := list(islice(rows, BATCH)):
        db.executemany("INSERT INTO record (hash, data) VALUES (?, ?) "
                       "ON CONFLICT (hash) DO NOTHING", batch)


def insert_span_rows(db: Database, rows: Sequence[tuple[str, str, int, int | None, str]]
                     ) -> None:
    """(source, entity id, first position, last position, hash) rows, in batches."""
    for i in range(0, len(rows), BATCH):
        db.executemany("INSERT INTO span (source, entity_id, first_pos, last_pos, hash) "
                       "VALUES (?, ?, ?, ?, ?)", rows[i:i + BATCH])
