"""Options that several commands share are one definition, and every ``serve`` option is
the settings table's (api/settings.py): name, default, range and help written once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
from click.testing import CliRunner

from discreet.api.settings import ApiSettings
from discreet.cli import cli
from discreet.errors import ConfigError
from discreet.store import Store
from tests.api.conftest import small_lists

# Options that mean the same on every command that has them (``--json`` says where its
# output goes, so its help differs on purpose; serve's --workers are server processes).
SHARED = ("threshold", "limit", "date_order", "max_rejects", "config_path")


def commands(group: click.Group = cli, path: str = "") -> dict[str, click.Command]:
    """Every command of the tree, by its full name (``keys create``)."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        full = f"{path} {name}".strip()
        found[full] = command
        if isinstance(command, click.Group):
            found.update(commands(command, full))
    return found


def shape(param: click.Parameter) -> tuple[Any, ...]:
    """What a user sees of an option: its flags, help, type and range, default."""
    kind = param.type
    bounds = tuple(getattr(kind, n, None) for n in ("min", "max", "choices", "case_sensitive"))
    return (tuple(param.opts), getattr(param, "help", None), type(kind).__name__, bounds,
            param.default, getattr(param, "show_default", None))


def test_shared_options_are_one_definition() -> None:
    seen: dict[str, dict[tuple[Any, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, command in commands().items():
        for param in command.params:
            if param.name in SHARED:
                seen[param.name][shape(param)].append(name)
    assert set(seen) == set(SHARED)
    for option, shapes in seen.items():
        assert len(shapes) == 1, (option, dict(shapes))
    users = {option: sorted(next(iter(shapes.values()))) for option, shapes in seen.items()}
    assert users["threshold"] == ["match", "report as-of", "screen-file", "spark-screen"]
    assert users["max_rejects"] == ["compare", "rescreen", "screen-file", "spark-screen"]
    assert users["config_path"] == ["load", "update"]
    workers = {shape(p) for name in ("screen-file", "rescreen")
               for p in commands()[name].params if p.name == "workers"}
    assert len(workers) == 1


def test_every_serve_option_is_a_row_of_the_settings_table(tmp_path: Path) -> None:
    """The options of ``serve`` are exactly the flagged settings, in the table's order, each
    with the table's default; a value past either end of a range is refused by the option
    (exit status 2) and by ApiSettings.check() alike."""
    serve = cli.commands["serve"]
    flagged = [f for f in fields(ApiSettings) if "flag" in f.metadata]
    options = [p for p in serve.params if isinstance(p, click.Option)]
    assert [p.opts[0] for p in options] == [f.metadata["flag"].flag.split("/")[0]
                                            for f in flagged]
    assert {"--port", "--workers", "--no-auth", "--update-every", "--host"} <= {
        p.opts[0] for p in options}
    for param, f in zip(options, flagged, strict=True):
        default: Any = f.default
        assert (param.name, param.default) == (f.name, default)
        spec = f.metadata["flag"]
        assert param.help == (spec.help or None)
        if spec.high is None or isinstance(default, bool):
            continue
        high = spec.high + (1 if isinstance(default, int) else 0.5)
        refused = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "serve",
                                           spec.flag, str(high)])
        assert refused.exit_code == 2 and spec.flag in refused.output, refused.output
        with pytest.raises(ConfigError, match=spec.flag):
            replace(ApiSettings(), **{f.name: type(default)(high)}).check()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_generated_options_serves_the_store_without_keys(tmp_path: Path) -> None:
    """A real ``discreet serve`` started with options of the table (--port, --no-auth,
    --rate-limit) and the store from DISCREET_DB: it warns once, listens on that port and
    screens without a key, against that store."""
    db = tmp_path / "served.db"
    with Store.open(str(db)) as store:
        small_lists(store)
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "DISCREET_DB": str(db)}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "discreet", "serve", "--port",
                                 str(port), "--no-auth", "--rate-limit", "50"],
                                stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 90
        url = f"http://127.0.0.1:{port}"
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        answer = httpx.post(f"{url}/match/default", timeout=30, json={"queries": {"q": {
            "schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}})
        assert answer.status_code == 200, answer.text
        best = answer.json()["responses"]["q"]["results"][0]
        assert best["id"] == "ofac-1"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    text = log.read_text()
    assert text.count(f"warning: serving WITHOUT API keys on 127.0.0.1:{port} (--no-auth)") \
        == 1, text
