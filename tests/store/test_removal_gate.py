"""The removal gate: its default from the real list histories, its setting, its message.

A new version that removes more than the gate's share of the active version's entities is
refused unless forced. The default (5%) must sit above what real lists do between files
published weeks apart, and far below what a cut-off file loses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from discreet.cli import cli
from discreet.errors import RejectedListError
from discreet.lists.load import read_list
from discreet.store import ParsedList, Store
from discreet.store.writer import DEFAULT_MAX_REMOVAL
from tests.store.helpers import parsed_list, person

SDN = Path("ofac_sdn_csv") / "history_jackdwyer"

# Files up to three months apart, the largest removals measured over the shared histories
# (UN 2016-2026, OFAC sdn.csv 2015-2024): removed entities / entities of the earlier file.
CLOSE_PAIRS = [
    ("un/un_consolidated_2018-06-21.xml", "un/un_consolidated_2018-08-24.xml", 8),
    (f"{SDN}/sdn_2024-02-23.csv", f"{SDN}/sdn_2024-05-02.csv", 98),
    (f"{SDN}/sdn_2024-05-02.csv", f"{SDN}/sdn_2024-05-03.csv", 8),
]


@pytest.mark.parametrize(("older", "newer", "removed"), CLOSE_PAIRS)
def test_real_consecutive_files_pass_the_default_gate(shared_lists: Path, tmp_path: Path,
                                                      older: str, newer: str,
                                                      removed: int) -> None:
    with Store.open(tmp_path / "store.db") as store:
        first = store.write(read_list(shared_lists / older, source="real"))
        second = store.write(read_list(shared_lists / newer, source="real"))
        assert second.status == "new" and second.removed == removed
        share = removed / first.entities
        assert share < 0.01 and share * 5 < DEFAULT_MAX_REMOVAL  # far under the gate


def cut_short(snap: ParsedList, lost: int) -> ParsedList:
    """The parsed list a file cut before its last ``lost`` entities would have given."""
    kept = dict(list(snap.records.items())[:-lost])
    return ParsedList(snap.source, snap.authority, snap.format, snap.file_name, "1" * 64,
                      snap.published, kept)


def test_cut_off_sdn_csv_is_refused_by_default(shared_lists: Path, tmp_path: Path) -> None:
    """The reported case: an sdn.csv missing its last 1,205 entities (8%)."""
    full = read_list(shared_lists / SDN / "sdn_2024-05-03.csv", source="us_ofac_sdn")
    with Store.open(tmp_path / "store.db") as store:
        store.write(full)
        with pytest.raises(RejectedListError) as info:
            store.write(cut_short(full, 1205))
        message = str(info.value)
        assert message.startswith("sdn_2024-05-03.csv: refused as the next version of "
                                  "us_ofac_sdn: it removes 1205 of the 14965 entities")
        assert "8.1%" in message and "--force" in message and "--max-removal" in message
        assert [v.version for v in store.versions("us_ofac_sdn")] == [1]
        # Under the old 20% gate the cut file became the active version.
        assert store.write(cut_short(full, 1205), max_drop=0.2).version == 2


def test_gate_counts_removals_not_the_net_change(tmp_path: Path) -> None:
    """A file that swaps 3 of 10 entities for 3 others keeps its size but removes 30%."""
    people = [person(i, f"Person {i}") for i in range(10)]
    swapped = people[3:] + [person(i, f"Other {i}") for i in range(20, 23)]
    with Store.open(tmp_path / "store.db") as store:
        store.write(parsed_list(people))
        with pytest.raises(RejectedListError, match=r"removes 3 of the 10 entities"):
            store.write(parsed_list(swapped), max_drop=0.2)
        assert store.write(parsed_list(swapped), max_drop=0.3).version == 2


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """An FtM list of 40 people and the same list with 3 removed (7.5%)."""
    lines = [f'{{"id": "p-{i}", "schema": "Person", "datasets": ["gate_list"], '
             f'"properties": {{"name": ["Person {i}"]}}}}' for i in range(40)]
    full, fewer = tmp_path / "full.json", tmp_path / "fewer.json"
    full.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fewer.write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    return full, fewer


def test_cli_gate_option_config_and_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCREET_CONFIG", raising=False)
    full, fewer = _files(tmp_path)
    runner = CliRunner()

    def load(*args: str) -> tuple[int, str]:
        done = runner.invoke(cli, ["--db", str(tmp_path / "s.db"), "load", *args])
        if isinstance(done.exception, RejectedListError):  # main() prints it as one line
            return done.exit_code, str(done.exception)
        return done.exit_code, done.output

    assert load(str(full))[0] == 0
    code, said = load(str(fewer))
    assert code == 1
    [line] = said.strip().splitlines()
    assert "fewer.json: refused as the next version of gate_list: it removes 3 of the 40 " \
           "entities of version 1 (7.5%, more than the 5% allowed" in line
    assert load("--max-removal", "0.05", str(fewer))[0] == 1
    (tmp_path / "discreet.toml").write_text("[load]\nmax_removal = 0.1\n", encoding="utf-8")
    assert load(str(fewer))[0] == 0  # the setting in ./discreet.toml
    assert load(str(full))[0] == 0  # back to 40: nothing removed
    assert load("--max-removal", "0.01", str(fewer))[0] == 1  # the option beats the file
    assert load("--max-drop", "0.01", "--force", str(fewer))[0] == 0  # the older name
