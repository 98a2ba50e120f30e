"""Migration 0004 on a store written before it: versions get their as-of date and place,
spans their positions, and the store keeps working (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from discreet.store import Store
from discreet.store.db import open_database
from discreet.store.schema import MIGRATIONS
from tests.store.helpers import parsed_list, person


def _old_store(url: str) -> None:
    """A store as 0001-0003 left it: two versions of a list, one undated, in load order."""
    db = open_database(url)
    try:
        with db.transaction():
            db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
            for name, sql in MIGRATIONS[:3]:
                assert isinstance(sql, str)  # the first migrations are SQL scripts
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                           (name, datetime.now(UTC).isoformat()))
            db.execute("INSERT INTO source VALUES ('old_list', 'TEST', '2024-01-01')")
            for seq, published, loaded in [(1, "2024-01-05", "2024-01-06T10:00:00+00:00"),
                                           (2, None, "2024-03-01T10:00:00+00:00")]:
                db.execute("INSERT INTO version (source, seq, published, loaded_at, sha256, "
                           "content_hash, format, file_name, entities, added, removed, "
                           "changed) VALUES ('old_list', ?, ?, ?, 'x', ?, 'test', 'f', 1, 1, "
                           "0, 0)", (seq, published, loaded, f"c{seq}"))
            entity = person(1, "Old Party")
            for digest, data in [("h1", entity.to_json()),
                                 ("h2", person(1, "Old Party Renamed").to_json())]:
                db.execute("INSERT INTO record (hash, data) VALUES (?, ?)", (digest, data))
            db.execute("INSERT INTO span VALUES ('old_list', 'test-1', 1, 1, 'h1')")
            db.execute("INSERT INTO span VALUES ('old_list', 'test-1', 2, NULL, 'h2')")
    finally:
        db.close()


def test_migration_dates_and_places_old_versions(store_url: str) -> None:
    _old_store(store_url)
    with Store.open(store_url) as store:
        infos = store.versions("old_list")
        assert [(v.version, v.as_of, v.as_of_basis, v.position, v.active) for v in infos] == [
            (1, "2024-01-05", "file", 1, False),
            (2, "2024-03-01T10:00:00+00:00", "load", 2, True)]
        assert [(e.event, e.when) for e in store.history("test-1")] == [
            ("listed", "on or before 2024-01-05"),
            ("changed", "after 2024-01-05, date not stated (loaded 2024-03-01)")]
        assert store.entity("test-1").caption == "Old Party Renamed"
        # and a file dated between the two old versions is inserted between them
        between = store.write(parsed_list([person(1, "Old Party"), person(2, "Second")],
                                          published="2024-02-01", source="old_list"))
        assert (between.status, between.active) == ("inserted", False)
        assert [v.version for v in store.versions("old_list")] == [1, 3, 2]
        assert [e.event for e in store.history("test-2")] == ["listed", "delisted"]
