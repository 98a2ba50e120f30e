"""Every version's as-of date, as a person loads files: the file's own date, the one the
operator states (``load --published``), the download's headers, or the load time, which
orders a version but never dates a designation."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from discreet.cli import cli
from discreet.lists.fetch import Downloaded, http_date
from discreet.lists.update import update_sources
from discreet.store import Store
from tests import http_server
from tests.http_server import ListServer
from tests.lists.test_load import UN_MINI

list_server = http_server.list_server
OFAC_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "ofac_csv"


def cli_run(db: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result


@pytest.fixture
def sdn_dir(tmp_path: Path) -> Callable[[str, int], Path]:
    """An sdn.csv (no date of its own) with its first ``rows`` rows, in a folder of its own."""
    lines = (OFAC_CSV / "sdn.csv").read_bytes().splitlines(keepends=True)

    def make(name: str, rows: int) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "sdn.csv").write_bytes(b"".join(lines[:rows]))
        return folder / "sdn.csv"
    return make


def test_published_dates_an_undated_file_and_orders_the_history(
        tmp_path: Path, sdn_dir: Callable[[str, int], Path]) -> None:
    db = tmp_path / "s.db"
    newer, older = sdn_dir("may", 5), sdn_dir("feb", 4)
    first = json.loads(cli_run(db, "load", "--json", "--published", "2024-05-03",
                               str(newer)).output)
    assert (first["as_of"], first["as_of_basis"], first["active"]) == (
        "2024-05-03", "operator", True)
    second = json.loads(cli_run(db, "load", "--json", "--published", "2024-02-20",
                                str(older)).output)
    assert (second["version"], second["status"], second["active"]) == (2, "inserted", False)
    sources = json.loads(cli_run(db, "sources", "--all", "--json").output)
    assert [(s["version"], s["as_of"], s["active"]) for s in sources] == [
        (2, "2024-02-20", False), (1, "2024-05-03", True)]
    history = json.loads(cli_run(db, "history", "ofac-105", "--json").output)
    assert [(h["event"], h["when"], h["dated"]) for h in history] == [
        ("listed", "between 2024-02-20 and 2024-05-03", "between")]
    assert "between 2024-02-20 and 2024-05-03" in cli_run(db, "history", "ofac-105").output
    timeline = json.loads(cli_run(db, "timeline", "--by", "year", "--json").output)
    assert {(t["period"], t["basis"]) for t in timeline} == {("≤2024-02-20", "on or before"),
                                                            ("2024", "inferred")}


def test_undated_load_is_dated_by_load_time_and_says_so(
        tmp_path: Path, sdn_dir: Callable[[str, int], Path]) -> None:
    db = tmp_path / "s.db"
    out = json.loads(cli_run(db, "load", "--json", str(sdn_dir("now", 5))).output)
    assert out["as_of_basis"] == "load"
    assert any("states no publication date" in w and "--published" in w
               for w in out["warnings"])
    timeline = json.loads(cli_run(db, "timeline", "--by", "year", "--json").output)
    year = str(datetime.now(UTC).year)
    assert timeline and all(t["period"] != year for t in timeline)  # never "designated now"
    assert {t["basis"] for t in timeline} == {"undated"}


def test_published_in_the_future_or_unreadable_is_refused(
        tmp_path: Path, sdn_dir: Callable[[str, int], Path]) -> None:
    db, path = tmp_path / "s.db", sdn_dir("x", 5)
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    assert "future" in cli_run(db, "load", "--published", tomorrow, str(path), code=2).output
    cli_run(db, "load", "--published", "03/05/2024", str(path), code=2)
    assert not db.exists() or not Store.open(db).versions()


def test_the_files_own_date_wins_over_published(tmp_path: Path) -> None:
    db, path = tmp_path / "s.db", tmp_path / "consolidated.xml"
    path.write_text(UN_MINI)
    out = json.loads(cli_run(db, "load", "--json", "--published", "2025-01-01",
                             str(path)).output)
    assert (out["as_of"][:10], out["as_of_basis"]) == ("2026-01-02", "file")
    assert any("the file states 2026-01-02" in w for w in out["warnings"])


def test_http_dates() -> None:
    assert http_date("Wed, 21 Oct 2015 07:28:00 GMT") == "2015-10-21T07:28:00+00:00"
    assert http_date("Fri, 03 May 2024 09:00:00 +0200") == "2024-05-03T07:00:00+00:00"
    assert http_date("yesterday") is None and http_date(None) is None and http_date("") is None
    served = Downloaded(Path("sdn.csv"), "http://x/sdn.csv", 200, "0" * 64, 1, None, None,
                        "Fri, 03 May 2024 09:00:00 GMT")
    assert served.as_of() == ("2024-05-03T09:00:00+00:00", "download")
    modified = Downloaded(Path("sdn.csv"), "http://x/sdn.csv", 200, "0" * 64, 1, None,
                          "Thu, 02 May 2024 18:00:00 GMT", "Fri, 03 May 2024 09:00:00 GMT")
    assert modified.as_of() == ("2024-05-02T18:00:00+00:00", "last-modified")
    assert Downloaded(Path("x"), "u", 200, "", 1, None, "garbage", None).as_of() is None


def test_update_dates_an_undated_file_by_its_last_modified(
        tmp_path: Path, list_server: Callable[[Path], ListServer]) -> None:
    """sdn.csv states no date: the download's Last-Modified does (the test server sends the
    file's modification time, set here to 2024-05-03 09:00 UTC), not the load time."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copyfile(OFAC_CSV / "sdn.csv", mirror / "sdn.csv")
    stamp = datetime(2024, 5, 3, 9, 0, tzinfo=UTC).timestamp()
    os.utime(mirror / "sdn.csv", (stamp, stamp))
    server = list_server(mirror)
    conf = tmp_path / "discreet.toml"
    conf.write_text(f'[sources.us_ofac_sdn]\nurl = "{server.url("sdn.csv")}"\nretries = 1\n'
                    'timeout = 5\n')
    with Store.open(tmp_path / "s.db") as store:
        [outcome] = update_sources(store, ["us_ofac_sdn"], config_path=conf)
        assert outcome.status == "new", outcome
        [info] = store.versions("us_ofac_sdn")
    assert (info.as_of, info.as_of_basis) == ("2024-05-03T09:00:00+00:00", "last-modified")
