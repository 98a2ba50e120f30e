"""The alert queue paged by cursor through the API and the CLI.

Over HTTP on a real uvicorn server (SQLite and PostgreSQL): ``GET /review/alerts`` with a
sort answers each page with ``next_cursor``; following it walks the same pages as the
offset; a damaged or foreign cursor, or a cursor with an offset, is a 400 naming
``cursor``; the offset paging answers as before. ``discreet alerts list --after`` goes on
from the cursor the listing before printed on standard error."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from discreet.cli import cli
from discreet.store import Store
from discreet.store.review import NewHit, Run
from tests.api.conftest import make_app, small_lists
from tests.api.helpers import live_server

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def _setup(url: str) -> None:
    with Store.open(url) as store:
        small_lists(store)
        store.users.add("ana", ["analyst"], PASSWORD, by="test")
        run = store.review.start_run(Run(0, "book", NOW.isoformat(), "ana", [], 0.7, "t"))
        store.review.write_hits(run.id, [
            NewHit(f"C{n:02d}", f"ent-{n % 4}", 0.7 + (n % 3) / 10, "e" * 64, "c" * 64, 1,
                   {}, f"Party {n}", "open",
                   due_at=None if n % 5 == 0 else (NOW + timedelta(hours=n % 6)).isoformat())
            for n in range(23)], "ana")


def _walk(client: httpx.Client, who: dict[str, str], params: dict[str, Any]) -> list[int]:
    """Every alert id, page after page by cursor; each page checked against the offset's."""
    ids: list[int] = []
    cursor = None
    for number in range(30):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get("/review/alerts", headers=who, params=query)
        assert page.status_code == 200, page.text
        body = page.json()
        offset = client.get("/review/alerts", headers=who, params={
            **params, "offset": number * params["limit"]}).json()
        assert [a["id"] for a in body["alerts"]] == [a["id"] for a in offset["alerts"]]
        ids += [a["id"] for a in body["alerts"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids
    raise AssertionError("the cursor never ended")


def test_cursor_paging_through_the_api(store_url: str) -> None:
    _setup(store_url)
    with live_server(make_app(store_url)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        answer = client.post("/auth/login", json={"name": "ana", "password": PASSWORD})
        who = {"Authorization": f"Bearer {answer.json()['token']}"}
        for sort in ("due", "score", "age", "updated", "id"):
            for descending in (False, True):
                params = {"sort": sort, "descending": str(descending).lower(), "limit": 4}
                whole = client.get("/review/alerts", headers=who, params={
                    **params, "limit": 100}).json()
                assert whole["next_cursor"] is None and len(whole["alerts"]) == 23
                assert _walk(client, who, params) == [a["id"] for a in whole["alerts"]]
        # the old call answers as before, with the cursor of its next page
        first = client.get("/review/alerts", headers=who, params={"limit": 5}).json()
        assert (first["limit"], first["offset"], first["sort"]) == (5, 0, "due")
        assert len(first["alerts"]) == 5 and first["next_cursor"]
        # refusals: a cursor with an offset, of another order, damaged
        for bad in ({"cursor": first["next_cursor"], "offset": 5, "limit": 5},
                    {"cursor": first["next_cursor"], "sort": "score"},
                    {"cursor": first["next_cursor"], "descending": "true"},
                    {"cursor": "bm90IGEgY3Vyc29y"}, {"cursor": first["next_cursor"][:-3]}):
            refused = client.get("/review/alerts", headers=who, params=bad)
            assert refused.status_code == 400, (bad, refused.text)
            assert refused.json()["fields"] == ["cursor"], refused.json()
        assert client.get("/review/alerts", headers=who,
                          params={"sort": "name"}).status_code == 422
        assert client.get("/review/alerts", headers=who,
                          params={"cursor": "x" * 5000}).status_code == 422


def test_cursor_paging_in_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _setup(str(db))
    runner = CliRunner()

    def listed(*args: str) -> tuple[list[int], str | None]:
        result = runner.invoke(cli, ["--db", str(db), "alerts", "list", "--json", *args])
        assert result.exit_code == 0, result.output
        more = re.search(r"more alerts follow: --after (\S+)", result.stderr)
        return [a["id"] for a in json.loads(result.stdout)], more and more.group(1)

    whole, last = listed("--sort", "score", "--descending", "--rows", "100")
    assert len(whole) == 23 and last is None
    walked, cursor = listed("--sort", "score", "--descending", "--rows", "5")
    while cursor is not None:
        page, cursor = listed("--sort", "score", "--descending", "--rows", "5", "--after",
                              cursor)
        walked += page
    assert walked == whole
    _, cursor = listed("--rows", "5")
    assert cursor is not None
    refused = runner.invoke(cli, ["--db", str(db), "alerts", "list", "--sort", "score",
                                  "--after", cursor])
    assert refused.exit_code == 2 and "by due" in refused.output + refused.stderr
