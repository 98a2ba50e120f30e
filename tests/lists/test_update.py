"""`discreet update` against a real local HTTP server serving real and broken list files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from discreet.lists.update import update_sources
from discreet.store import Store
from tests import http_server
from tests.http_server import ListServer
from tests.lists.test_load import UN_MINI

list_server = http_server.list_server
Serve = Callable[[Path], ListServer]


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store.db") as opened:
        yield opened


def config(tmp_path: Path, server: ListServer, extra: str = "") -> Path:
    path = tmp_path / "discreet.toml"
    path.write_text(f"""
[mirror]
base_url = "{server.base_url}"

[sources.un_sc_sanctions]
url = "{server.url('consolidated.xml')}"
retries = 1
timeout = 5
{extra}
""")
    return path


def serve(mirror: Path, src: Path | str, name: str = "consolidated.xml") -> None:
    target = mirror / name
    if isinstance(src, Path):
        shutil.copyfile(src, target)
    else:
        target.write_text(src)


def test_update_loads_then_sees_no_change(shared_lists: Path, tmp_path: Path, mirror: Path,
                                          list_server: Serve, store: Store) -> None:
    server = list_server(mirror)
    conf = config(tmp_path, server)
    serve(mirror, shared_lists / "un" / "un_consolidated_2025-11-18.xml")
    [first] = update_sources(store, ["un_sc_sanctions"], config_path=conf)
    assert (first.status, first.version, first.entities) == ("new", 1, 1000)
    serve(mirror, shared_lists / "un" / "un_consolidated_2025-11-20.xml")
    [second] = update_sources(store, ["un_sc_sanctions"], config_path=conf)
    assert (second.status, second.version) == ("unchanged", 1)
    assert server.requests == ["/consolidated.xml", "/consolidated.xml"]


@pytest.mark.parametrize(("bad", "status", "says"), [
    ("ofac_sdn_csv/history_jackdwyer/sdn_2024-05-04_EMPTY.csv", "refused", "empty"),
    ("ofac_sdn_xml/bad_download_s3_NoSuchKey_error.xml", "refused", "NoSuchKey"),
    ("truncated", "refused", "line"),
    ("tiny", "refused", "removes"),
])
def test_bad_downloads_keep_the_active_version(shared_lists: Path, tmp_path: Path,
                                               mirror: Path, list_server: Serve,
                                               store: Store, bad: str, status: str,
                                               says: str) -> None:
    server = list_server(mirror)
    conf = config(tmp_path, server)
    good = shared_lists / "un" / "un_consolidated_2026-02-27.xml"
    serve(mirror, good)
    update_sources(store, ["un_sc_sanctions"], config_path=conf)
    if bad == "truncated":
        serve(mirror, good.read_bytes()[: 700_000].decode("utf-8", "ignore"))
    elif bad == "tiny":  # published after the good file: refused for what it removes
        serve(mirror, UN_MINI.replace("2026-01-02", "2026-03-02"))
    else:
        serve(mirror, shared_lists / bad)
    [outcome] = update_sources(store, ["un_sc_sanctions"], config_path=conf)
    assert outcome.status == status and says in (outcome.error or "")
    [active] = store.active()
    assert (active.version, active.entities) == (1, 1003)


def test_http_errors_fail_without_touching_the_store(tmp_path: Path, mirror: Path,
                                                     list_server: Serve,
                                                     store: Store) -> None:
    server = list_server(mirror)
    serve(mirror, UN_MINI)
    conf = config(tmp_path, server)
    update_sources(store, ["un_sc_sanctions"], config_path=conf)
    server.not_found_s3()
    [outcome] = update_sources(store, ["un_sc_sanctions"], config_path=conf)
    assert outcome.status == "failed" and "404" in (outcome.error or "")
    assert [v.version for v in store.versions()] == [1]


def test_force_accepts_a_real_drop(shared_lists: Path, tmp_path: Path, mirror: Path,
                                   list_server: Serve, store: Store) -> None:
    server = list_server(mirror)
    conf = config(tmp_path, server)
    serve(mirror, shared_lists / "un" / "un_consolidated_2026-02-27.xml")
    update_sources(store, ["un_sc_sanctions"], config_path=conf)
    serve(mirror, UN_MINI.replace("2026-01-02", "2026-03-02"))  # a later list, much shorter
    [outcome] = update_sources(store, ["un_sc_sanctions"], config_path=conf, force=True)
    assert (outcome.status, outcome.version, outcome.entities) == ("new", 2, 2)


def test_ofac_csv_set_downloads_its_side_files(shared_lists: Path, tmp_path: Path,
                                               mirror: Path, list_server: Serve,
                                               store: Store) -> None:
    folder = shared_lists / "ofac_sdn_csv" / "watchman_bench_2021-07"
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        serve(mirror, folder / name, name)
    server = list_server(mirror)
    extra = f"""
[sources.us_ofac_sdn]
url = "{server.url('sdn.csv')}"
extra_files = ["{server.url('add.csv')}", "{server.url('alt.csv')}",
               "{server.url('sdn_comments.csv')}"]
"""
    conf = config(tmp_path, server, extra)
    [outcome] = update_sources(store, ["us_ofac_sdn"], config_path=conf)
    assert (outcome.status, outcome.entities) == ("new", 8976)
    assert any("PROMO RAIZ S.A.S." in r for r in store.entity("ofac-12300").remarks)
    assert store.entity("ofac-12300").addresses


def test_cli_update_json_and_exit_code(tmp_path: Path, mirror: Path,
                                       list_server: Serve) -> None:
    server = list_server(mirror)
    serve(mirror, UN_MINI)
    conf = config(tmp_path, server, f"""
[sources.eu_fsf]
url = "{server.url('missing.xml')}"
retries = 0
""")
    env = {**os.environ, "DISCREET_DB": str(tmp_path / "cli.db")}
    proc = subprocess.run([sys.executable, "-m", "discreet", "update", "--config", str(conf),
                           "--json", "un_sc_sanctions", "eu_fsf"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    outcomes = {o["source"]: o for o in json.loads(proc.stdout)}
    assert outcomes["un_sc_sanctions"]["status"] == "new"
    assert outcomes["eu_fsf"]["status"] == "failed" and "404" in outcomes["eu_fsf"]["error"]
    unknown = subprocess.run([sys.executable, "-m", "discreet", "update", "--config",
                              str(conf), "nowhere"], capture_output=True, text=True, env=env,
                             timeout=60)
    assert unknown.returncode == 1 and "unknown source(s) nowhere" in unknown.stderr
