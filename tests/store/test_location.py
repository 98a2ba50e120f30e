"""Where the store lives by default: one file name and one environment variable, used by
open_database, the CLI's --db and the service's settings alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.api.settings import ApiSettings
from discreet.store import Store
from discreet.store.db import open_database
from discreet.store.location import DB_ENV, DEFAULT_DB, default_location


def test_default_location_reads_the_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    assert (DB_ENV, DEFAULT_DB, default_location()) == ("DISCREET_DB", "discreet.db",
                                                        "discreet.db")
    target = tmp_path / "elsewhere.db"
    monkeypatch.setenv(DB_ENV, str(target))
    assert default_location() == str(target)


def test_open_database_without_a_url_uses_the_env(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    target = tmp_path / "from_env.db"
    monkeypatch.setenv(DB_ENV, str(target))
    monkeypatch.chdir(tmp_path)
    db = open_database()
    try:
        db.execute("CREATE TABLE t (x INTEGER)")
    finally:
        db.close()
    assert target.is_file() and not (tmp_path / DEFAULT_DB).exists()


def test_open_database_default_is_the_default_file(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with Store.open(None) as store:
        assert store.versions() == []
    assert (tmp_path / DEFAULT_DB).is_file()


def test_service_default_is_the_same_file() -> None:
    assert ApiSettings().db == DEFAULT_DB
