"""The store's tables, applied as named migrations, each in its own transaction.

Versions are kept without a copy per version: ``record`` holds each distinct entity content
once (keyed by its hash) and ``span`` says from which version to which version of a source
an entity had that content. A version that changes 1% of a list adds about 1% of rows.
Since 0004 a span runs between version *positions* (``version.pos``, the order of the
versions' as-of dates), never load order: ``version.seq`` is only the version's number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from discreet.store.db import Database
from discreet.store.review import REVIEW, review_counts, review_queue
from discreet.store.users import USERS

__all__ = ["MIGRATIONS", "migrate"]

INITIAL = """
CREATE TABLE IF NOT EXISTS source (
    name TEXT PRIMARY KEY,
    authority TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS version (
    source TEXT NOT NULL REFERENCES source(name),
    seq INTEGER NOT NULL,
    published TEXT,
    loaded_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    entities INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    PRIMARY KEY (source, seq)
);
CREATE TABLE IF NOT EXISTS record (
    hash TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS span (
    source TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER,
    hash TEXT NOT NULL REFERENCES record(hash),
    PRIMARY KEY (source, entity_id, first_seq)
);
CREATE INDEX IF NOT EXISTS span_open ON span (source, last_seq);
CREATE INDEX IF NOT EXISTS span_entity ON span (entity_id);
"""

API_KEYS = """
CREATE TABLE IF NOT EXISTS api_key (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    rate_limit INTEGER,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""

AUDIT = """
CREATE TABLE IF NOT EXISTS audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    dataset TEXT NOT NULL,
    status INTEGER NOT NULL,
    request TEXT NOT NULL,
    versions TEXT NOT NULL,
    results TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_key ON audit_log (key_id, at);
"""

# Chronology by as-of date (issue 13). Every version gets the date its content is as of
# (``as_of``) and where that date comes from (``as_of_basis``: file, operator,
# last-modified, download, or load = the load time, not stated), and its place in as-of
# order (``pos``). Spans count in positions, not in load order, so a file older than the
# active version is inserted where it belongs; until now positions were load order.
AS_OF = """
ALTER TABLE version ADD COLUMN as_of TEXT;
ALTER TABLE version ADD COLUMN as_of_basis TEXT;
ALTER TABLE version ADD COLUMN pos INTEGER;
UPDATE version SET pos = seq, as_of = COALESCE(published, loaded_at),
    as_of_basis = CASE WHEN published IS NULL THEN 'load' ELSE 'file' END;
CREATE INDEX IF NOT EXISTS version_pos ON version (source, pos);
ALTER TABLE span RENAME COLUMN first_seq TO first_pos;
ALTER TABLE span RENAME COLUMN last_seq TO last_pos
"""

# Same-as links (issue 13): the machine's proposals, one row per pair (``current`` = found by
# the latest computation), and the analysts' decisions, append-only (``seq`` orders them;
# a pair's status is its latest decision). Decisions are never updated or deleted.
SAME_AS = """
CREATE TABLE IF NOT EXISTS same_as (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    basis TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS same_as_b ON same_as (b);
CREATE TABLE IF NOT EXISTS same_as_decision (
    seq INTEGER PRIMARY KEY,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS same_as_decision_pair ON same_as_decision (a, b, seq)
"""

# The audit log as a hash chain (issue 14; store/chain.py): a gap-free sequence number,
# the record's kind (an API request, or a store event), the previous record's hash and
# its own. ``audit_head`` is the one row every append locks (last seq and hash); rows of
# 0003 are chained by the first append (``sealed``). ``audit_segment`` keeps what retention
# removed: one summary per pruned range, itself hash-chained.
AUDIT_CHAIN = """
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_seq ON audit_log (seq);
CREATE TABLE IF NOT EXISTS audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    sealed INTEGER NOT NULL
);
INSERT INTO audit_head (id, seq, hash, sealed)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
CREATE TABLE IF NOT EXISTS audit_segment (
    first_seq BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    records BIGINT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    pruned_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)
"""

# A migration is SQL (statements split on ";") or, when rows must be rewritten by code, a
# function of the database, run in the migration's transaction.
MIGRATIONS: list[tuple[str, str | Callable[[Database], None]]] = [
    ("0001_initial", INITIAL), ("0002_api_keys", API_KEYS), ("0003_audit", AUDIT),
    ("0004_as_of", AS_OF), ("0005_same_as", SAME_AS), ("0006_audit_chain", AUDIT_CHAIN),
    ("0007_review", REVIEW), ("0008_users", USERS), ("0009_review_queue", review_queue),
    ("0010_review_counts", review_counts)]


def migrate(db: Database) -> None:
    """Apply every migration not yet applied; safe to call on every open, by many at once.

    Even the bookkeeping table is created under the lock: on PostgreSQL two concurrent
    ``CREATE TABLE IF NOT EXISTS`` can both try to create it and one fails.
    """
    if not _has_migrations_table(db):
        with db.transaction(lock="discreet-migrate"):
            db.execute("CREATE TABLE IF NOT EXISTS migrations "
                       "(name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {row[0] for row in db.query("SELECT name FROM migrations")}
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with db.transaction(lock="discreet-migrate"):
            if db.query("SELECT 1 FROM migrations WHERE name = ?", (name,)):
                continue
            if callable(sql):
                sql(db)
            else:
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                       (name, datetime.now(UTC).isoformat(timespec="seconds")))


def _has_migrations_table(db: Database) -> bool:
    """True when the store already keeps its migrations (a read, so it takes no lock)."""
    if db.dialect == "sqlite":
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    else:
        sql = "SELECT 1 FROM information_schema.tables WHERE table_name = 'migrations' " \
              "AND table_schema = current_schema()"
    return bool(db.query(sql))
