"""Users: argon2 hashes, sign-in sessions, back-off per account and address, disabling.

A real uvicorn server on loopback; client addresses come through the real trusted-proxy
path (``X-Forwarded-For`` believed from 127.0.0.1 only), so two "clients" are two
addresses as the server sees them.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from discreet.cli import cli
from discreet.errors import ConfigError
from discreet.store import Store
from tests.api.conftest import make_app, small_lists
from tests.api.helpers import live_server

PASSWORD = "a long enough secret"


def _login(client: httpx.Client, name: str, password: str, address: str) -> httpx.Response:
    return client.post("/auth/login", json={"name": name, "password": password},
                       headers={"X-Forwarded-For": address})


def test_only_an_argon2_hash_is_stored_and_changes_are_audited(tmp_path: Path) -> None:
    url = str(tmp_path / "u.db")
    with Store.open(url) as store:
        store.users.add("ana", ["analyst"], PASSWORD, by="admin1")
        stored = str(store.db.query("SELECT password_hash FROM app_user")[0][0])
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert PasswordHasher().verify(stored, PASSWORD)
        assert store.users.verify("ana", PASSWORD) is not None
        for wrong in ("a long enough secreT", "", PASSWORD + " ", "x" * 5000):
            assert store.users.verify("ana", wrong) is None
        assert store.users.verify("nobody", PASSWORD) is None
        for bad in (lambda: store.users.add("ana", ["analyst"], PASSWORD, by=None),
                    lambda: store.users.add("bo", ["boss"], PASSWORD, by=None),
                    lambda: store.users.add("bo", [], PASSWORD, by=None),
                    lambda: store.users.add("bo", ["analyst"], "short", by=None),
                    lambda: store.users.add("  ", ["analyst"], PASSWORD, by=None),
                    lambda: store.create_key("k", ("screen",), role="boss")):
            with pytest.raises(ConfigError):
                bad()
        # an expired session is no session
        expired = store.users.start_session("ana", -1)
        assert expired.token and store.users.session(expired.token) is None
        live = store.users.start_session("ana", 60)
        assert live.token and store.users.session(live.token) is not None
        store.users.set_password("ana", PASSWORD + "!", by="admin1")
        assert store.users.session(live.token) is None  # a new password ends sessions

    # the CLI: add (password from stdin), list, set-roles, disable
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> str:
        result = runner.invoke(cli, ["--db", url, *args], input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    run("users", "add", "rui", "--role", "reviewer", "--password-stdin", "--as", "admin1",
        stdin=PASSWORD + "\n")
    run("users", "set-roles", "rui", "--role", "reviewer", "--role", "analyst",
        "--as", "admin1")
    run("users", "passwd", "rui", "--password-stdin", stdin="another long secret\n")
    run("users", "disable", "rui", "--as", "admin1")
    listing = run("users", "list")
    assert "rui" in listing and "disabled" in listing and "$argon2" not in listing
    short = runner.invoke(cli, ["--db", url, "users", "add", "x", "--role", "analyst",
                                "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    assert "12 characters" in short.output + str(short.exception)
    run("keys", "create", "bot", "--role", "analyst")
    assert "role analyst" in run("keys", "list")
    with Store.open(url) as store:
        trail = [(str(e), str(a)) for e, a in store.db.query(
            "SELECT endpoint, key_id FROM audit_log WHERE kind = 'event' ORDER BY seq")]
        assert store.users.verify("rui", "another long secret") is None  # disabled
    for expected in (("user.add", "admin1"), ("user.password", "admin1"),
                     ("user.roles", "admin1"), ("user.disable", "admin1"),
                     ("user.add", "admin1")):
        assert expected in trail
    assert sum(1 for e, _ in trail if e == "user.add") == 2
    assert any(e == "key.create" for e, _ in trail)
    assert not any(PASSWORD in e for e, _ in trail)


def test_back_off_is_per_account_and_address(tmp_path: Path) -> None:
    url = str(tmp_path / "b.db")
    with Store.open(url) as store:
        small_lists(store)
        store.users.add("ana", ["analyst"], PASSWORD, by="t")
        store.users.add("rui", ["reviewer"], PASSWORD, by="t")
    app = make_app(url, trusted_proxy="127.0.0.1")
    with live_server(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        guesser, other = "192.0.2.10", "192.0.2.20"
        for _ in range(5):
            assert _login(client, "ana", "wrong guess", guesser).status_code == 401
        held = _login(client, "ana", PASSWORD, guesser)  # even the right password waits
        assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
        assert "ana" in held.json()["detail"]
        # the account from another address, and another account from the guesser's
        # address, are not held up: nobody locks anyone else out
        mine = _login(client, "ana", PASSWORD, other)
        assert mine.status_code == 200, mine.text
        assert _login(client, "rui", PASSWORD, guesser).status_code == 200
        assert _login(client, "ANA", "wrong guess", guesser).status_code == 429  # same name

        # the token works, /auth/logout ends it
        token = {"Authorization": f"Bearer {mine.json()['token']}"}
        who = client.get("/review/me", headers=token).json()
        assert who["name"] == "ana" and who["roles"] == ["analyst"]
        assert client.post("/auth/logout", headers=token).status_code == 204
        assert client.get("/review/me", headers=token).status_code == 401

        # disabling a user ends their sessions and refuses sign-in
        rui = _login(client, "rui", PASSWORD, other).json()["token"]
        with Store.open(url) as store:
            store.users.disable("rui", by="t")
        assert client.get("/review/me",
                          headers={"Authorization": f"Bearer {rui}"}).status_code == 401
        assert _login(client, "rui", PASSWORD, other).status_code == 401
        # bad bodies are clear 422s, not 500s
        for body in ({}, {"name": "ana"}, {"name": "", "password": "x"}, [1, 2],
                     {"name": "ana", "password": "p" * 5000}):
            answer = client.post("/auth/login", json=body)
            assert answer.status_code == 422, (body, answer.text)
        assert client.post("/auth/logout").status_code == 401
