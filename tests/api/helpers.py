"""Small lists, API clients and a real uvicorn server on loopback for the API tests."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from discreet.api.serve import URL_LIMIT
from discreet.model import DateSpec, Entity, Name
from discreet.store import ParsedList, Store

__all__ = ["LiveServer", "api_client", "live_server", "load_entities", "org", "person"]


def person(eid: str, name: str, source: str, dob: str | None = None,
           country: str | None = None) -> Entity:
    entity = Entity(eid, "Person", source=source, authority=source.split("_")[0].upper(),
                    authority_id=eid, names=[Name(name)])
    if dob:
        entity.birth_dates.append(DateSpec(dob))
    if country:
        entity.nationalities.append(country)
    return entity.finish()


def org(eid: str, name: str, source: str, country: str | None = None,
        schema: str = "Organization") -> Entity:
    entity = Entity(eid, schema, source=source, authority=source.split("_")[0].upper(),
                    authority_id=eid, names=[Name(name)])
    if country:
        entity.countries.append(country)
    return entity.finish()


def load_entities(store: Store, source: str, entities: list[Entity]) -> int:
    """Store the entities as the next version of ``source``; returns the version number."""
    records = {e.id: (e.content_hash(), e.to_json()) for e in entities}
    digest = hashlib.sha256("".join(sorted(records)).encode() +
                            str(sorted(r[0] for r in records.values())).encode()).hexdigest()
    snap = ParsedList(source=source, authority=source.split("_")[0].upper(), format="test",
                      file_name=f"{source}.json", sha256=digest, published=None,
                      records=records)
    return store.write(snap, force=True).version


@asynccontextmanager
async def api_client(app: FastAPI, key: str | None = None,
                     ready: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client (httpx.ASGITransport) with the app's lifespan running."""
    headers = {"Authorization": f"ApiKey {key}"} if key else {}
    async with app.router.lifespan_context(app):
        if ready:
            assert app.state.services.holder.wait_ready(60), "index did not load"
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test",
                                     headers=headers) as client:
            yield client


class LiveServer:
    """A uvicorn server in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", http="h11",
                                h11_max_incomplete_event_size=URL_LIMIT)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


@contextmanager
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """Serve ``app`` on loopback for the duration of the block; waits for the index."""
    server = LiveServer(app)
    server.start()
    try:
        assert app.state.services.holder.wait_ready(120), "index did not load"
        yield server
    finally:
        server.stop()
