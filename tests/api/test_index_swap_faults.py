"""A part of the index made after the swap that cannot be made never answers 500.

The fault is real: the store file is replaced by bytes that are not a database, so the
connections the index thread and the server already hold keep reading the old file (as a
process keeps a file it opened), while a new connection, which the seen dates are read
through, fails. A later generation whose seen dates do not read is not swapped in: the old
one keeps serving, whole. A generation already serving (the first) answers 503 with a
message naming the part to the requests that need it, and serves again once the store
reads.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from discreet.api import ApiSettings, create_app
from discreet.api.index import IndexPartError, build_generation
from discreet.store import Store
from tests.api.conftest import small_lists
from tests.api.helpers import api_client, load_entities, person

PUTIN = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
NEWCOMER = {"queries": {"a": {"schema": "Person", "properties": {"name": ["Aslan Newcomer"]}}}}


@contextmanager
def damaged(path: Path) -> Iterator[None]:
    """``path`` replaced by a file that is not a database (atomically: whoever has the old
    one open keeps it), and put back afterwards."""
    aside = path.with_name(path.name + ".aside")
    os.link(path, aside)
    junk = path.with_name(path.name + ".junk")
    junk.write_bytes(b"not a database, " * 4096)
    os.replace(junk, path)
    try:
        yield
    finally:
        os.replace(aside, path)


async def _until(condition: Callable[[], bool], seconds: float = 60) -> None:
    """Wait (polling every 50 ms) until ``condition`` holds or ``seconds`` pass; the
    caller asserts what it waited for."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _app(url: str) -> Any:
    # no keys (a key check would read the damaged store too) and no polling: the test
    # says when the store is looked at
    return create_app(replace(ApiSettings(db=url, poll_seconds=3600), auth=False))


def test_a_new_generation_whose_seen_dates_fail_is_not_swapped_in(tmp_path: Path) -> None:
    url = str(tmp_path / "faults.db")
    with Store.open(url) as store:
        small_lists(store)

    async def go() -> None:
        app = _app(url)
        async with api_client(app) as client:
            holder = app.state.services.holder
            first = holder.current
            before = await client.post("/match/default", json=PUTIN)
            assert before.status_code == 200
            with Store.open(url) as store:  # a new version: a new generation is due
                load_entities(store, "un_sc_sanctions", [
                    person("un-9", "Aslan NEWCOMER", "un_sc_sanctions", "1970")])
            with damaged(Path(url)):
                holder.refresh_soon()
                await _until(lambda: holder.last_error is not None)
                assert holder.last_error is not None and "seen dates" in holder.last_error
                assert holder.current is first and holder.swaps == 1  # the old one serves
                for body in (PUTIN, NEWCOMER):
                    answer = await client.post("/match/default", json=body)
                    assert answer.status_code == 200, answer.text
                results = answer.json()["responses"]["a"]["results"]
                assert "un-9" not in [r["id"] for r in results]  # wholly the old lists
                found = await client.get("/search/default", params={"q": "putin"})
                assert found.status_code == 200
            holder.refresh_soon()  # the store reads again: the new lists are served
            await _until(lambda: holder.swaps >= 2)
            assert holder.swaps == 2 and holder.last_error is None
            answer = await client.post("/match/default", json=NEWCOMER)
            results = answer.json()["responses"]["a"]["results"]
            assert [r["id"] for r in results][:1] == ["un-9"]
    asyncio.run(go())


def test_a_serving_generation_whose_parts_fail_answers_503(tmp_path: Path) -> None:
    """The first generation serves before its seen dates are read: when they cannot be,
    the requests that need them are answered 503 naming the part (never 500), the others
    200; once the store reads again, they are read and served."""
    url = str(tmp_path / "first.db")
    with Store.open(url) as store:
        small_lists(store)

    async def go() -> None:
        app = _app(url)
        async with api_client(app) as client:
            holder = app.state.services.holder
            with Store.open(url) as store:
                fresh = build_generation(store, lambda: Store.open(url))
            with damaged(Path(url)):
                holder._swap(fresh)  # served at once, as a first generation is
                for method, path, body in (("POST", "/match/default", PUTIN),
                                           ("GET", "/search/default?q=putin", None),
                                           ("GET", "/entities/ofac-1", None)):
                    answer = await client.request(method, path, json=body)
                    assert answer.status_code == 503, (path, answer.text)
                    error = answer.json()
                    assert error["error"] == "not_ready"
                    assert f"seen dates of index {fresh.number}" in error["detail"]
                ready = await client.get("/readyz")
                assert ready.status_code == 200
            answer = await client.post("/match/default", json=PUTIN)
            assert answer.status_code == 200, answer.text
            assert answer.json()["responses"]["a"]["results"][0]["id"] == "ofac-1"
            assert holder.current is fresh
    asyncio.run(go())


def test_a_part_that_fails_is_not_kept(tmp_path: Path) -> None:
    """:class:`IndexPartError` names the part and the generation; the next use tries
    again."""
    url = str(tmp_path / "part.db")
    with Store.open(url) as store:
        small_lists(store)
        generation = build_generation(store, lambda: Store.open(url))
    with damaged(Path(url)), pytest.raises(IndexPartError) as failed:
        generation.warm()
    assert failed.value.part == "seen" and failed.value.generation == generation.number
    assert "could not be made" in str(failed.value)
    generation.warm()
    assert generation.seen["ofac-1"][0]
    assert generation.by_id["un-1"].id == "un-1"

