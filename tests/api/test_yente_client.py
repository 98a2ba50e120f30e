"""The real yente-client package against a discreet server on loopback (real OFAC SDN list)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from yente_client import Client  # type: ignore[import-untyped]
from yente_client.entities import Person  # type: ignore[import-untyped]
from yente_client.exceptions import (  # type: ignore[import-untyped]
    AuthenticationError,
    NotFoundError,
)

from discreet.api import ApiSettings, create_app
from discreet.lists.load import load_file
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.helpers import LiveServer, live_server

SDN = "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv"


@pytest.fixture(scope="module")
def sdn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    from tests.conftest import require_shared

    lists = require_shared()
    url = str(tmp_path_factory.mktemp("yente") / "sdn.db")
    with Store.open(url) as store:
        load_file(store, lists / SDN, source="us_ofac_sdn")
        key = create_key(store.db, "yente", ("screen",))[1]
    with live_server(create_app(ApiSettings(db=url))) as server:
        yield server, key


def test_yente_client_end_to_end(sdn_server: tuple[LiveServer, str]) -> None:
    server, key = sdn_server
    with Client(api_key=key, base_url=server.url, app_name="discreet-tests") as client:
        assert client.healthz().status == "ok"
        assert client.readyz().status == "ok"
        response = client.match(Person(name="Vladimir Putin"), datasets=["us_ofac_sdn"])
        top = response.top
        assert top is not None and top.caption == "Vladimir Vladimirovich PUTIN"
        assert top.match and top.score >= 0.7 and top.datasets == ["us_ofac_sdn"]
        assert top.explanations["name"].score > 0.7
        assert top.first_seen is not None
        found = client.search("putin", datasets=["us_ofac_sdn"])
        assert top.id in [e.id for e in found.results] and found.total.value >= 1
        assert "countries" in found.facets
        fetched = client.fetch(top.id)
        assert fetched.id == top.id and "1952-10-07" in fetched.properties["birthDate"]
        catalog = client.datasets()
        sdn = next(d for d in catalog.datasets if d.name == "us_ofac_sdn")
        assert sdn.load and sdn.entity_count is not None and sdn.entity_count > 10_000
        assert {"sanctions", "default"} <= {d.name for d in catalog.datasets}
        algos = client.algorithms()
        assert algos.best in {a.name for a in algos.algorithms}
        best = client.match(Person(name="Vladimir Putin"), algorithm="best", limit=1)
        assert len(best.results) == 1


def test_yente_client_errors(sdn_server: tuple[LiveServer, str], tmp_path: Path) -> None:
    server, key = sdn_server
    with Client(api_key=key, base_url=server.url) as client, pytest.raises(NotFoundError):
        client.fetch("no-such-entity")
    with Client(api_key="dk_bad_key", base_url=server.url) as client, \
            pytest.raises(AuthenticationError):
        client.match(Person(name="Vladimir Putin"))
