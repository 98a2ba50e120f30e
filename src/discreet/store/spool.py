"""A parsed list too big to hold in memory: entity id -> (content hash, canonical JSON) kept
in a temporary SQLite file, with a small in-memory start.

A list of a few thousand entities stays a dict (nothing changes for the official lists); past
``spill_after`` entities the spool moves them to disk, so an OpenSanctions dump of millions of
entities needs memory for one batch, whatever its size. It is a read-only ``Mapping`` once
filled. On disk it iterates in id order (SQLite's binary order of UTF-8 is code-point
order, the order of ``sorted()``, which the content hash reads), in memory in the order
read.
"""

from __future__ import annotations

import sqlite3
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["SPILL_AFTER", "RecordSpool"]

SPILL_AFTER = 50_000  # entities held in memory before the spool moves to disk
_BATCH = 5000
_READ_CACHE_KB = 16 * 1024  # the temporary file's page cache once sealed (128 MB while filled)


def _close(db: sqlite3.Connection, folder: tempfile.TemporaryDirectory[str]) -> None:
    db.close()
    folder.cleanup()


class RecordSpool(Mapping[str, tuple[str, str]]):
    """Entity id -> (hash, JSON): in memory up to ``spill_after`` entities, then on disk.

    ``add`` keeps the first record of an id (False for a repeat); reading starts once
    :meth:`seal` is called. The temporary file goes when the spool is closed or collected.
    """

    def __init__(self, spill_after: int = SPILL_AFTER) -> None:
        self.spill_after = spill_after
        self._memory: dict[str, tuple[str, str]] = {}
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[str, str]] = {}
        self._count = 0
        self._finalizer: Any = None
        self._file: Path | None = None

    @property
    def on_disk(self) -> bool:
        """True once the records have moved to the temporary file."""
        return self._db is not None

    @property
    def file(self) -> Path | None:
        """The temporary file once on disk (a SQLite file whose table ``rec`` holds ``id``,
        ``hash``, ``data``, unique by id), for a database to copy from; else None."""
        return self._file

    def add(self, entity_id: str, digest: str, data: str) -> bool:
        """Keep the record unless the id is already held; True when kept."""
        if self._db is None:
            if entity_id in self._memory:
                return False
            self._memory[entity_id] = (digest, data)
            self._count += 1
            if len(self._memory) > self.spill_after:
                self._spill()
            return True
        if entity_id in self._pending or self._held_on_disk(entity_id):
            return False
        self._pending[entity_id] = (digest, data)
        self._count += 1
        if len(self._pending) >= _BATCH:
            self._flush()
        return True

    def add_many(self, rows: Iterable[tuple[str, str, str]]) -> list[bool]:
        """:meth:`add` of each (id, hash, JSON) row, in order; on disk a batch at a time (a
        statement for the batch, and a look at its ids only when one of them was held)."""
        kept: list[bool] = []
        batch: list[tuple[str, str, str]] = []
        for row in rows:
            if self._db is None:
                kept.append(self.add(*row))
            else:
                batch.append(row)
        if batch:
            kept.extend(self._insert(batch))
        return kept

    def _insert(self, batch: list[tuple[str, str, str]]) -> list[bool]:
        """Rows into the file, the first of each id kept; which were kept."""
        assert self._db is not None
        self._flush()
        last = self._db.execute("SELECT MAX(rowid) FROM rec").fetchone()[0] or 0
        before = self._db.total_changes
        self._db.executemany("INSERT OR IGNORE INTO rec VALUES (?, ?, ?)", batch)
        added = self._db.total_changes - before
        self._count += added
        if added == len(batch):
            return [True] * len(batch)
        # Some ids were held (before this batch, or earlier in it): each id's row is kept
        # when it was added now, by its first row in the batch.
        kept: list[bool] = []
        seen: set[str] = set()
        for entity_id, _, _ in batch:
            new = entity_id not in seen and self._db.execute(
                "SELECT rowid FROM rec WHERE id = ?", (entity_id,)).fetchone()[0] > last
            seen.add(entity_id)
            kept.append(new)
        return kept

    def _spill(self) -> None:
        folder = tempfile.TemporaryDirectory(prefix="discreet-spool-")
        self._file = Path(folder.name) / "records.sqlite"
        db = sqlite3.connect(self._file, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072"):
            db.execute(f"PRAGMA {pragma}")
        # records appended as read (a table in rowid order: written at its end), found by an
        # index of their ids alone (small: it stays in the cache, where a table ordered by id
        # with the JSON in it is read from the disk for each record added)
        db.execute("CREATE TABLE rec (id TEXT NOT NULL, hash TEXT NOT NULL, "
                   "data TEXT NOT NULL)")
        db.execute("CREATE UNIQUE INDEX rec_id ON rec (id)")
        db.execute("BEGIN")
        self._db = db
        self._finalizer = weakref.finalize(self, _close, db, folder)
        self._pending, self._memory = self._memory, {}
        self._flush()

    def _flush(self) -> None:
        if self._db is not None and self._pending:
            self._db.executemany("INSERT INTO rec VALUES (?, ?, ?)",
                                 [(k, h, d) for k, (h, d) in self._pending.items()])
            self._pending = {}

    def _held_on_disk(self, entity_id: str) -> bool:
        assert self._db is not None
        return self._db.execute("SELECT 1 FROM rec WHERE id = ?",
                                (entity_id,)).fetchone() is not None

    def seal(self) -> RecordSpool:
        """End of writing: what is pending goes to disk."""
        self._flush()
        if self._db is not None and self._db.in_transaction:
            self._db.execute("COMMIT")
        if self._db is not None:
            # (id, hash) in id order without the rows: what the content hash and a first
            # version's spans read, along this index (made by one sort) instead of a jump
            # to each row (in read order) for its hash
            self._db.execute("CREATE INDEX IF NOT EXISTS rec_hash ON rec (id, hash)")
            # read once in id order from now on: the cache given back
            self._db.execute(f"PRAGMA cache_size = {-_READ_CACHE_KB}")
            self._db.execute("PRAGMA shrink_memory")
        return self

    def close(self) -> None:
        """Drop the temporary file now (it also goes when the spool is collected)."""
        if self._finalizer is not None:
            self._finalizer()
        self._db = self._file = None
        self._memory = {}

    # -- Mapping --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, entity_id: str) -> tuple[str, str]:
        if self._db is None:
            return self._memory[entity_id]
        row = self._db.execute("SELECT hash, data FROM rec WHERE id = ?",
                               (entity_id,)).fetchone()
        if row is None:
            raise KeyError(entity_id)
        return str(row[0]), str(row[1])

    def __contains__(self, entity_id: object) -> bool:
        if self._db is None:
            return entity_id in self._memory
        return isinstance(entity_id, str) and self._held_on_disk(entity_id)

    def __iter__(self) -> Iterator[str]:
        if self._db is None:
            yield from self._memory  # the order they were read in
            return
        for entity_id, _ in self.hashes():
            yield entity_id

    def hashes(self) -> Iterator[tuple[str, str]]:
        """(id, hash) in id order, without the JSON: what the content hash reads."""
        if self._db is None:
            for entity_id in sorted(self._memory):
                yield entity_id, self._memory[entity_id][0]
            return
        yield from self._rows("SELECT id, hash FROM rec WHERE id > ? ORDER BY id LIMIT ?")

    def records(self) -> Iterator[tuple[str, tuple[str, str]]]:
        """(id, (hash, JSON)): in the order read while in memory, else in id order."""
        if self._db is None:
            yield from self._memory.items()
            return
        for entity_id, digest, data in self._rows(
                "SELECT id, hash, data FROM rec WHERE id > ? ORDER BY id LIMIT ?"):
            yield entity_id, (digest, data)

    def _rows(self, sql: str) -> Iterator[Any]:
        """Rows of ``sql`` in pages (keyset on id): a page at a time in memory, and no
        cursor left open between pages."""
        assert self._db is not None
        last = ""
        while True:
            rows = self._db.execute(sql, (last, _BATCH)).fetchall()
            yield from rows
            if len(rows) < _BATCH:
                return
            last = rows[-1][0]
