"""One small connection wrapper over SQLite and PostgreSQL, so the store's SQL is written once.

SQL in the store uses ``?`` placeholders; for PostgreSQL they become ``%s``. Dialect details
(locking, pragmas) live here and nowhere else.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

from discreet.errors import StoreError
from discreet.store.location import DEFAULT_DB, default_location

__all__ = ["DEFAULT_DB", "Database", "open_database"]

Params = Sequence[Any]
BULK_CACHE_KB = 128 * 1024  # SQLite's page cache during a bulk copy (its default: 2 MB)


class Database:
    """A connection that runs ``?``-style SQL on SQLite or PostgreSQL alike."""

    dialect: str = ""
    url: str = ""

    def execute(self, sql: str, params: Params = ()) -> None:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def transaction(self, lock: str | None = None) -> Any:
        """Context manager: one atomic write; ``lock`` serialises writers of one source."""
        raise NotImplementedError

    def attached(self, path: Path, name: str) -> Any:
        """Context manager: the SQLite file at ``path`` readable in this connection's SQL as
        schema ``name`` (a bulk copy done by the database, no row through Python); gives
        False where the database cannot read it (a server), and then nothing is attached.
        Entered outside a transaction."""
        return nullcontext(False)

    def close(self) -> None:
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Bytes the store occupies on disk (for the storage-growth benchmark)."""
        raise NotImplementedError


class SqliteDatabase(Database):
    """The embedded default: one file, WAL journal, one writer at a time."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = str(path)
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=60, isolation_level=None,
                                        check_same_thread=False)
            _write_ahead(self.conn)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite store {path}: {exc}") from exc

    def execute(self, sql: str, params: Params = ()) -> None:
        with _wrap(self.url):
            self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with _wrap(self.url):
            self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with _wrap(self.url):
            return list(self.conn.execute(sql, params).fetchall())

    @contextmanager
    def transaction(self, lock: str | None = None) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` takes the one write lock first: writers run one at a time."""
        with _wrap(self.url):
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            with _wrap(self.url):
                self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def attached(self, path: Path, name: str) -> Iterator[bool]:
        """While attached, the store's page cache is :data:`BULK_CACHE_KB`: a copy of a
        million records adds to the record index at random places, and a small cache
        would write its pages out again and again."""
        with _wrap(self.url):
            cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
            self.conn.execute("ATTACH DATABASE ? AS " + _name(name), (str(path),))
            self.conn.execute(f"PRAGMA main.cache_size = {-BULK_CACHE_KB}")
        try:
            yield True
        finally:
            with _wrap(self.url):
                self.conn.execute(f"PRAGMA main.cache_size = {int(cache)}")
                self.conn.execute("DETACH DATABASE " + _name(name))

    def _rollback(self) -> None:
        """Undo a failed write without hiding why it failed.

        SQLite rolls a transaction back by itself on some errors (SQLITE_FULL among them);
        a second ROLLBACK would then raise "no transaction is active" over the real cause.
        """
        if not self.conn.in_transaction:
            return
        # The original error is the one to report; SQLite undoes a half write on reopen.
        with suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def size_bytes(self) -> int:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return self.path.stat().st_size if self.path.exists() else 0


class PostgresDatabase(Database):
    """A shared server store: several workers and hosts can read and load into it."""

    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg  # only for a server store: SQLite alone starts without the driver

        self.url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL store: {exc}") from exc

    @staticmethod
    def _sql(sql: str) -> str:
        return re.sub(r"\?", "%s", sql)

    def execute(self, sql: str, params: Params = ()) -> None:
        with _wrap("PostgreSQL"):
            self.conn.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with _wrap("PostgreSQL"), self.conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with _wrap("PostgreSQL"):
            return list(self.conn.execute(self._sql(sql), params).fetchall())

    @contextmanager
    def transaction(self, lock: str | None = None) -> Iterator[None]:
        with _wrap("PostgreSQL"), self.conn.transaction():
            if lock is not None:
                self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
            yield

    def close(self) -> None:
        self.conn.close()

    def size_bytes(self) -> int:
        rows = self.query("SELECT pg_database_size(current_database())")
        return int(rows[0][0])


def _name(name: str) -> str:
    """A schema name put into SQL: a plain identifier, nothing else."""
    if not name.isidentifier():
        raise ValueError(f"not a schema name: {name!r}")
    return name


SQLITE_FULL = 13  # "database or disk is full": the disk, or PRAGMA max_page_count
FULL_HINT = "free some space (or raise the store's size limit) and load again"


@contextmanager
def _wrap(where: str) -> Iterator[None]:
    """Turn driver errors into StoreError, so callers see one error tree and one line."""
    try:
        yield
    except sqlite3.Error as exc:
        detail = " ".join(str(exc).split())
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
            detail = f"{detail}; {FULL_HINT}"
        raise StoreError(f"store error ({where}): {detail}") from exc
    except Exception as exc:
        if "psycopg" not in sys.modules:  # not imported: no PostgreSQL error can be raised
            raise
        import psycopg

        if isinstance(exc, psycopg.errors.DiskFull):
            detail = " ".join(str(exc).split())
            raise StoreError(f"store error ({where}): disk full: {detail}; {FULL_HINT}") \
                from exc
        if isinstance(exc, psycopg.Error):
            raise StoreError(f"store error ({where}): {' '.join(str(exc).split())}") from exc
        raise


def _write_ahead(conn: sqlite3.Connection, wait: float = 60.0) -> None:
    """Switch the file to write-ahead logging, waiting for a process that holds it.

    Changing the journal mode needs the file to itself and SQLite does not wait for that
    (its busy timeout does not apply): two processes opening a new store at once, or one
    opening it while another loads, would get "database is locked". A file already in WAL
    mode needs no change, so only the first opening of a store ever retries.
    """
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def open_database(url: str | Path | None = None) -> Database:
    """SQLite for a path (default ``DISCREET_DB`` or ./discreet.db), PostgreSQL for a URL."""
    target = str(url) if url is not None else default_location()
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(target)
    if target.startswith("sqlite:///"):
        target = target.removeprefix("sqlite:///")
    return SqliteDatabase(Path(target))
