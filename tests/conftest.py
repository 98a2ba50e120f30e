"""Fixtures shared by the whole suite.

The real published lists live in ``../shared/fixtures/lists`` beside the project. Tests that
need them skip with a reason on a machine without ``../shared``, but fail in CI (``CI`` set),
where a skip would hide a missing fixture.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
OWN_FIXTURES = ROOT / "tests" / "fixtures"
SHARED_LISTS = ROOT.parent / "shared" / "fixtures" / "lists"


def require_shared() -> Path:
    """The shared fixture folder; skip (or fail in CI) when it is missing."""
    if SHARED_LISTS.is_dir():
        return SHARED_LISTS
    skip_outside_ci(f"needs the real list files at {SHARED_LISTS}")


def skip_outside_ci(reason: str) -> NoReturn:
    """Skip a test that needs something this machine lacks; in CI (``CI`` set) fail instead,
    where the project's own set-up provides it and a skip would hide a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must be able to run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_lists() -> Path:
    """Path to ``../shared/fixtures/lists`` (skips outside CI when absent)."""
    return require_shared()


@pytest.fixture
def own_fixtures() -> Path:
    """Path to the project's own small hand-written fixtures."""
    return OWN_FIXTURES


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of the maintenance database of a real PostgreSQL server on loopback."""
    from tests.pg_server import PostgresServer, find_pg_bin

    if url := os.environ.get("DISCREET_TEST_PG_URL"):
        yield url
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have PostgreSQL installed (.ci/run installs it)")
        skip_outside_ci("PostgreSQL binaries not found (apt-get install postgresql)")
    server = PostgresServer(bin_dir)
    server.start()
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store location on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url: str = request.getfixturevalue("pg_url")
    return url
