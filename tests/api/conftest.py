"""Fixtures of the API tests: a small store with keys, and the app over it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from discreet.api import ApiSettings, create_app
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.helpers import load_entities, org, person


@dataclass
class Keys:
    screen: str
    admin: str
    slow: str  # screen scope, 5 requests per minute


def small_lists(store: Store) -> None:
    """Two sources with a handful of entities each."""
    load_entities(store, "us_ofac_sdn", [
        person("ofac-1", "Vladimir Vladimirovich PUTIN", "us_ofac_sdn", "1952-10-07", "ru"),
        org("ofac-2", "BANCO NACIONAL DE CUBA", "us_ofac_sdn", "cu"),
        org("ofac-3", "ROSNEFT OIL COMPANY", "us_ofac_sdn", "ru", schema="Company"),
        person("ofac-4", "Viktor Fedorovych YANUKOVYCH", "us_ofac_sdn", "1950-07-09", "ua"),
    ])
    load_entities(store, "un_sc_sanctions", [
        person("un-1", "KIM JONG UN", "un_sc_sanctions", "1984-01-08", "kp"),
        person("un-2", "Vladimir PUTINOV", "un_sc_sanctions", "1960", "by"),
        org("un-3", "KOREA MINING DEVELOPMENT TRADING CORPORATION", "un_sc_sanctions", "kp"),
    ])


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "api.db")


@pytest.fixture
def keys_for() -> Callable[[str], Keys]:
    def make(url: str) -> Keys:
        with Store.open(url) as store:
            small_lists(store)
            screen = create_key(store.db, "screen", ("screen",))[1]
            admin = create_key(store.db, "admin", ("admin",))[1]
            slow = create_key(store.db, "slow", ("screen",), rate_limit=5)[1]
        return Keys(screen, admin, slow)
    return make


@pytest.fixture
def small_store(sqlite_url: str, keys_for: Callable[[str], Keys]) -> tuple[str, Keys]:
    """A SQLite store with the small lists and three keys."""
    return sqlite_url, keys_for(sqlite_url)


def make_app(url: str, **overrides: Any) -> FastAPI:
    """The app over ``url``, polling the store five times a second."""
    settings = replace(ApiSettings(db=url, poll_seconds=0.2), **overrides)
    return create_app(settings)
