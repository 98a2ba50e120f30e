"""Delta re-screening: its new and gone alerts equal a full re-screen's, on both versions."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ConfigError
from discreet.lists.load import load_file
from discreet.match import Matcher
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.rescreen import parse_since, rescreen
from discreet.screen.runs import RunRecord, write_run
from discreet.screen.summary import RunSummary
from discreet.screen.tokencache import tokens_path
from discreet.store import Store

PEOPLE = [("IVAN", "PETROV"), ("OLGA", "SMIRNOVA"), ("AHMED", "AL-RASHID"), ("LI", "WEI"),
          ("HASSAN", "NASRALLAH"), ("JOHN", "MCALLISTER"), ("MARIA", "GONZALEZ"),
          ("KIM", "SONG CHOL"), ("YUSUF", "OZTURK"), ("PIERRE", "LEFEBVRE")]


def un_xml(people: list[tuple[int, str, str]], day: str) -> str:
    rows = "".join(
        f"<INDIVIDUAL><DATAID>{num}</DATAID><FIRST_NAME>{first}</FIRST_NAME>"
        f"<SECOND_NAME>{last}</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
        f"<LISTED_ON>2020-01-01</LISTED_ON></INDIVIDUAL>" for num, first, last in people)
    return (f'<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="{day}">'
            f"<INDIVIDUALS>{rows}</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>")


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db)}
    proc = subprocess.run([sys.executable, "-m", "discreet", *args], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def pairs(path: Path) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.update((record["id"], m["id"]) for m in record["matches"])
    return found


@pytest.fixture
def scenario(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store at version 1, the customers, and the version-2 file (1 added, 1 gone, 1 amended)."""
    v1 = [(i + 1, first, last) for i, (first, last) in enumerate(PEOPLE)]
    v2 = [p for p in v1 if p[0] != 2]  # SMIRNOVA delisted
    v2 = [(n, f, "MCALISTAIR") if n == 6 else (n, f, lname) for n, f, lname in v2]  # amended
    v2.append((11, "VIKTOR", "BOUT"))  # newly listed
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "consolidated.xml").write_text(un_xml(v1, "2026-01-01"))
    (tmp_path / "v2" / "consolidated.xml").write_text(un_xml(v2, "2026-01-02"))
    customers = tmp_path / "customers.csv"
    names = ["Ivan Petrov", "Olga Smirnova", "Olga Smirnowa", "John McAllister",
             "Jon Mcalistair", "Viktor Bout", "Victor But", "Anna Schmidt", "Li Wei"]
    customers.write_text("id,name\n" + "".join(
        f"c{i},{n}\n" for i, n in enumerate(names * 30)))
    db = tmp_path / "store.db"
    run(db, "load", str(tmp_path / "v1" / "consolidated.xml"))
    return db, customers, tmp_path / "v2" / "consolidated.xml"


def test_delta_equals_full_rescreen(tmp_path: Path, scenario: tuple[Path, Path, Path]) -> None:
    db, customers, v2 = scenario
    before = tmp_path / "alerts.jsonl"
    run(db, "screen-file", str(customers), "-o", str(before), "--limit", "20")
    run(db, "load", "--force", str(v2))  # delists 1 of 10: a real drop
    full = tmp_path / "full.jsonl"
    run(db, "screen-file", str(customers), "-o", str(full), "--limit", "20")
    old_pairs, full_pairs = pairs(before), pairs(full)
    delta = tmp_path / "delta.jsonl"
    proc = run(db, "rescreen", str(customers), "--previous", str(before), "-o", str(delta),
               "--json", "--update")
    lines = [json.loads(x) for x in delta.read_text().splitlines()]
    new = {(x["id"], m["id"]) for x in lines for m in x["new"]}
    gone = {(x["id"], g["id"]) for x in lines for g in x["gone"]}
    assert new == full_pairs - old_pairs
    assert gone == old_pairs - full_pairs
    assert new and gone
    assert {g["reason"] for x in lines for g in x["gone"]} <= {"delisted", "no longer matches"}
    assert any(m[1] == "un-11" for m in new)
    summary = json.loads(proc.stderr.strip().splitlines()[-1])
    assert summary["since"] == {"un_sc_sanctions": 1} and summary["now"] == {
        "un_sc_sanctions": 2}
    assert pairs(before) == full_pairs  # --update brought the previous alerts up to date


def test_since_parsing() -> None:
    assert parse_since("us_ofac_sdn:3,un_sc_sanctions:5") == {"us_ofac_sdn": 3,
                                                                "un_sc_sanctions": 5}
    with pytest.raises(ConfigError, match="SOURCE:VERSION"):
        parse_since("us_ofac_sdn")


def test_unchanged_lists_give_an_empty_delta(tmp_path: Path,
                                             scenario: tuple[Path, Path, Path]) -> None:
    db, customers, _ = scenario
    before = tmp_path / "alerts.jsonl"
    run(db, "screen-file", str(customers), "-o", str(before))
    delta = tmp_path / "delta.jsonl"
    run(db, "rescreen", str(customers), "--previous", str(before), "-o", str(delta))
    assert delta.read_text() == ""
    with Store.open(db) as store:
        load_file(store, tmp_path / "v1" / "consolidated.xml")
        assert [v.version for v in store.versions()] == [1]


# --- the name cache: only the rows that can match a changed entity are screened ----------

LISTED = [(1, "IVAN", "PETROV"), (2, "HASSAN", "NASRALLAH"), (3, "AHMED", "AL-RASHID"),
          (4, "VLADIMIR", "SOKOLOV"), (5, "MOHAMMED", "AL-ZAHRANI"), (6, "KIM", "SONG CHOL"),
          (7, "OLGA", "SMIRNOVA"), (8, "ZHANG", "WEI MING"), (9, "YUSUF", "OZTURK"),
          (10, "PIERRE", "LEFEBVRE"), (11, "JOHN", "MCALLISTER"), (12, "MARIA", "GONZALEZ"),
          (13, "ALI", "HOSSEINI"), (14, "SERGEI", "KUZNETSOV"), (15, "FATIMA", "AL-SAYED")]
# v2: 2 and 7 delisted; 11 and 14 amended (11 so that old matches go, 14 so that new come);
# 16-18 newly listed. v3: 18 delisted, 19 listed, 4 amended.
V2 = [p for p in LISTED if p[0] not in (2, 7)]
V2 = [(n, f, {11: "WHITFIELD", 14: "KUZNETSOVA"}.get(n, last)) for n, f, last in V2]
V2 += [(16, "VIKTOR", "BOUT"), (17, "ABDUL", "RAHMAN ZAHED"), (18, "WANG", "FANG")]
V3 = [p for p in V2 if p[0] != 18] + [(19, "NIKOLAI", "PATRUSHEV")]
V3 = [(n, "VLADIMIR", "SOKOLOVSKY") if n == 4 else (n, f, last) for n, f, last in V3]
SCRIPTS = {"IVAN PETROV": "Иван Петров", "HASSAN NASRALLAH": "حسن نصرالله",
           "AHMED AL-RASHID": "أحمد الرشيد", "VLADIMIR SOKOLOV": "Владимир Соколов",
           "MOHAMMED AL-ZAHRANI": "محمد الزهراني", "KIM SONG CHOL": "김송철",
           "OLGA SMIRNOVA": "Ольга Смирнова", "ZHANG WEI MING": "张伟明",
           "VIKTOR BOUT": "Виктор Бут", "WANG FANG": "王芳",
           "SERGEI KUZNETSOVA": "Сергей Кузнецова", "NIKOLAI PATRUSHEV": "Николай Патрушев"}
GIVEN = ["Anna", "Pierre", "Li", "Olga", "Ahmed", "John", "Maria", "Kenji", "Sven", "Ali",
         "Мария", "Сергей", "Ольга", "محمد", "فاطمة", "علي", "Γιώργος", "Fatima", "Ivan"]
FAMILY = ["Schmidt", "Dubois", "Wang", "Ivanova", "Hassan", "Smith", "Rossi", "Sato", "Petrova",
          "Кузнецов", "Смирнов", "حسن", "عبدالله", "Παπαδόπουλος", "Gonzales", "Rashidov"]


def variants(first: str, last: str, rng: random.Random) -> list[str]:
    """How a customer file spells a listed name: as listed, reordered, with a typo, another
    script, joined words."""
    full = f"{first} {last}"
    i = rng.randrange(1, len(full) - 2)
    return [full.title(), f"{last}, {first}", full[:i] + full[i + 1] + full[i] + full[i + 2:],
            SCRIPTS.get(full, full.lower()), f"{first}{last}".title()]


def write_customers(path: Path, rows: int, seed: int) -> None:
    """Ordinary customers in several scripts, about 10% spelling a listed name (any version),
    a few with a birth date or a country, one without a name, one with a bad schema."""
    rng = random.Random(seed)
    listed = [(f, last) for _, f, last in LISTED + V2 + V3]
    rows_out = [["id", "name", "schema", "birth_date", "country"]]
    for i in range(rows):
        if rng.random() < 0.1:
            name = rng.choice(variants(*rng.choice(listed), rng))
        else:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        rows_out.append([f"k{i}", name, "Person" if rng.random() < 0.5 else "",
                         rng.choice(["", "", "", "1965", "1970-03-15"]),
                         rng.choice(["", "", "ru", "ir"])])
    rows_out[7] = ["k6", "", "", "", ""]  # rejected: no name
    rows_out[9] = ["k8", "Ivan Petrov", "Planet", "", ""]  # rejected: unknown schema
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows_out)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lists v1-v3; customers A (3000 rows) and B (A edited); full runs of both on v1
    (alerts_*.jsonl, with their name caches) and on v2 (full_*.jsonl); the store at v2."""
    root = tmp_path_factory.mktemp("world")
    for name, people, day in (("v1", LISTED, "2026-01-01"), ("v2", V2, "2026-01-02"),
                              ("v3", V3, "2026-01-03")):
        (root / name).mkdir()
        (root / name / "consolidated.xml").write_text(un_xml(people, day))
    write_customers(root / "a.csv", 3000, seed=7)
    lines = (root / "a.csv").read_text(encoding="utf-8").splitlines()
    lines[100] = "k99,Viktor But,Person,,"
    (root / "b.csv").write_text("\r\n".join([*lines, "k3000,Wang Fang,,,"]) + "\r\n",
                                encoding="utf-8")
    db = root / "store.db"
    run(db, "load", str(root / "v1" / "consolidated.xml"))
    for name in ("a", "b"):
        run(db, "screen-file", str(root / f"{name}.csv"), "-o", str(root / f"alerts_{name}.jsonl"),
            "--limit", "20", "--max-rejects", "2")
    run(db, "load", "--force", str(root / "v2" / "consolidated.xml"))  # real delistings
    for name in ("a", "b"):
        run(db, "screen-file", str(root / f"{name}.csv"), "-o", str(root / f"full_{name}.jsonl"),
            "--limit", "20", "--max-rejects", "2")
    return root


def previous_run(world: Path, name: str, dest: Path, cache: str | None = None) -> Path:
    """A copy of a v1 run (alerts, run record and, from run ``cache``, a name cache)."""
    alerts = dest / f"alerts_{name}.jsonl"
    for suffix in ("", ".run.json"):
        shutil.copy(world / f"alerts_{name}.jsonl{suffix}", f"{alerts}{suffix}")
    if cache is not None:
        shutil.copy(world / f"alerts_{cache}.jsonl.tokens", tokens_path(alerts))
    return alerts


def changes(path: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    return ({(x["id"], m["id"]) for x in lines for m in x["new"]},
            {(x["id"], g["id"]) for x in lines for g in x["gone"]})


def rescreen_cli(world: Path, db: Path, customers: str, previous: Path, output: Path,
                 *extra: str) -> dict[str, Any]:
    proc = run(db, "rescreen", str(world / customers), "--previous", str(previous), "-o",
               str(output), "--json", "--max-rejects", "2", "--path", "delta", *extra)
    summary: dict[str, Any] = json.loads(proc.stderr.strip().splitlines()[-1])
    return summary


def test_cached_rescreen_equals_full_rescreen(world: Path, tmp_path: Path) -> None:
    previous = previous_run(world, "a", tmp_path, cache="a")
    summary = rescreen_cli(world, world / "store.db", "a.csv", previous, tmp_path / "d.jsonl")
    assert summary["path"] == "delta" and summary["cached"] and summary["rows"] == 3000
    assert summary["rejected"] == 2 and summary["rejects"][0].startswith("line 8:")
    assert 0 < summary["screened"] < 600  # the cache ruled out most rows
    new, gone = changes(tmp_path / "d.jsonl")
    full, old = pairs(world / "full_a.jsonl"), pairs(world / "alerts_a.jsonl")
    assert new == full - old and gone == old - full
    # added (un-14's amended name is found on v1 too: a small index compares every name)
    assert {e for _, e in new} >= {"un-16", "un-17"}
    assert {e for _, e in gone} >= {"un-2", "un-7", "un-11"}  # delisted; amended away
    a = (world / "a.csv").read_text(encoding="utf-8")
    assert any(f"{c},Виктор Бут" in a for c, e in new if e == "un-16")  # across scripts
    # without the cache every row is screened, to the same changes, and the cache is written
    tokens_path(previous).unlink()
    every = rescreen_cli(world, world / "store.db", "a.csv", previous, tmp_path / "e.jsonl")
    assert every["path"] == "delta" and not every["cached"]
    assert every["screened"] == 2998 and every["cache_written"]
    assert every["rejected"] == 2 and every["rejects"][0].startswith("line 8:")
    assert "not found" in every["reason"]
    assert (tmp_path / "e.jsonl").read_bytes() == (tmp_path / "d.jsonl").read_bytes()
    assert tokens_path(previous).read_bytes() == (world / "alerts_a.jsonl.tokens").read_bytes()
    again = rescreen_cli(world, world / "store.db", "a.csv", previous, tmp_path / "f.jsonl")
    assert again["cached"]
    assert (tmp_path / "f.jsonl").read_bytes() == (tmp_path / "d.jsonl").read_bytes()


def test_cache_of_another_customer_file_is_not_used(world: Path, tmp_path: Path) -> None:
    """B's alerts with A's cache beside them (the file was edited after the run): every row
    is screened, the changes are still B's full re-screen's, and B's cache is written."""
    previous = previous_run(world, "b", tmp_path, cache="a")
    summary = rescreen_cli(world, world / "store.db", "b.csv", previous, tmp_path / "d.jsonl")
    assert summary["path"] == "delta" and not summary["cached"]
    assert "another version of the customer file" in summary["reason"]
    new, gone = changes(tmp_path / "d.jsonl")
    full, old = pairs(world / "full_b.jsonl"), pairs(world / "alerts_b.jsonl")
    assert new == full - old and gone == old - full
    assert ("k99", "un-16") in new and ("k3000", "un-18") in new  # the edited rows count
    again = rescreen_cli(world, world / "store.db", "b.csv", previous, tmp_path / "e.jsonl")
    assert again["cached"]
    assert (tmp_path / "e.jsonl").read_bytes() == (tmp_path / "d.jsonl").read_bytes()


def _cut(text: bytes) -> bytes:
    return text[: len(text) // 2]


def _no_trailer(text: bytes) -> bytes:
    return text[: text.rstrip(b"\n").rindex(b"\n") + 1]


def _flip(text: bytes) -> bytes:
    at = text.index(b'"smith"')  # one letter of one cached name
    return text[:at + 2] + b"n" + text[at + 3:]


def _swap_rows(text: bytes) -> bytes:
    lines = text.split(b"\n")
    lines[5], lines[6] = lines[6], lines[5]
    return b"\n".join(lines)


def _old_preparation(text: bytes) -> bytes:
    return text.replace(b'"preparation": ', b'"preparation": 1000', 1)


DAMAGE = {"cut in half": (_cut, "cut short"), "no trailer": (_no_trailer, "cut short"),
          "a letter changed": (_flip, "damaged"), "rows swapped": (_swap_rows, "damaged"),
          "garbage": (lambda _: b"\x00\xff garbage\n", "damaged"),
          "empty": (lambda _: b"", "damaged"),
          "older preparation": (_old_preparation, "prepares names differently")}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_cache_falls_back_to_screening_every_row(world: Path, tmp_path: Path,
                                                         damage: str) -> None:
    spoil, reason = DAMAGE[damage]
    previous = previous_run(world, "a", tmp_path, cache="a")
    tokens_path(previous).write_bytes(spoil(tokens_path(previous).read_bytes()))
    with Store.open(world / "store.db") as store:
        summary = rescreen(Matcher.from_store(store), store, world / "a.csv", previous,
                           tmp_path / "d.jsonl", options=BulkOptions(limit=20, workers=1),
                           path="delta")
    assert not summary.cached and reason in summary.reason and summary.cache_written
    new, gone = changes(tmp_path / "d.jsonl")
    full, old = pairs(world / "full_a.jsonl"), pairs(world / "alerts_a.jsonl")
    assert new == full - old and gone == old - full
    assert tokens_path(previous).read_bytes() == (world / "alerts_a.jsonl.tokens").read_bytes()


def test_other_reading_options_or_threshold_zero_screen_every_row(world: Path,
                                                                   tmp_path: Path) -> None:
    previous = previous_run(world, "a", tmp_path, cache="a")
    with Store.open(world / "store.db") as store:
        matcher = Matcher.from_store(store)
        mapped = rescreen(matcher, store, world / "a.csv", previous, tmp_path / "m.jsonl",
                          options=BulkOptions(limit=20, workers=1,
                                              mapping=(("name", "name"), ("id", "id"))),
                          path="delta")
        assert not mapped.cached and "column mapping" in mapped.reason
        assert (tmp_path / "m.jsonl").exists()
        zero = rescreen(matcher, store, world / "a.csv", previous, tmp_path / "z.jsonl",
                        options=BulkOptions(threshold=0, limit=20, workers=1), path="delta")
        assert not zero.cached and "threshold 0" in zero.reason


def test_update_keeps_the_cache_valid_for_the_next_change(world: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    shutil.copy(world / "store.db", db)
    previous = previous_run(world, "a", tmp_path, cache="a")
    first = rescreen_cli(world, db, "a.csv", previous, tmp_path / "d2.jsonl", "--update")
    assert first["cached"]
    assert pairs(previous) == pairs(world / "full_a.jsonl")
    run(db, "load", "--force", str(world / "v3" / "consolidated.xml"))
    second = rescreen_cli(world, db, "a.csv", previous, tmp_path / "d3.jsonl")
    assert second["cached"] and second["since"]["un_sc_sanctions"] == 2
    full = tmp_path / "full3.jsonl"
    run(db, "screen-file", str(world / "a.csv"), "-o", str(full), "--limit", "20",
        "--max-rejects", "2")
    new, gone = changes(tmp_path / "d3.jsonl")
    assert new == pairs(full) - pairs(previous) and gone == pairs(previous) - pairs(full)
    assert new and gone


class Interrupt(Exception):
    """Stands for Ctrl-C in the middle of a run."""


def test_an_interrupted_full_run_leaves_the_same_cache(world: Path, tmp_path: Path) -> None:
    with Store.open(world / "store.db") as store:
        matcher = Matcher.from_store(store)
        options = BulkOptions(limit=20, workers=2, batch_size=100)
        screen_bulk(matcher, world / "a.csv", tmp_path / "whole.jsonl", options)
        batches = 0

        def stop(_: RunSummary) -> None:
            nonlocal batches
            batches += 1
            if batches == 7:
                raise Interrupt

        out = tmp_path / "resumed.jsonl"
        with pytest.raises(Interrupt):
            screen_bulk(matcher, world / "a.csv", out, options, stop)
        assert not tokens_path(out).exists()  # only a finished run leaves a cache
        summary = screen_bulk(matcher, world / "a.csv", out, options)
        assert summary.resumed_at == 700
        assert tokens_path(out).read_bytes() == tokens_path(tmp_path / "whole.jsonl").read_bytes()
        assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
        write_run(out, RunRecord({"un_sc_sanctions": 2}, None, 20))
        nothing = rescreen(matcher, store, world / "a.csv", out, tmp_path / "n.jsonl")
        assert nothing.path == "none" and (tmp_path / "n.jsonl").read_text() == ""
        since = rescreen(matcher, store, world / "a.csv", out, tmp_path / "s.jsonl",
                         since={"un_sc_sanctions": 1}, options=BulkOptions(limit=20),
                         path="delta")
        assert since.cached


def test_only_json_lines_runs_leave_a_cache(world: Path, tmp_path: Path) -> None:
    with Store.open(world / "store.db") as store:
        matcher = Matcher.from_store(store)
        out = tmp_path / "alerts.csv"
        tokens_path(out).write_text("stale")
        screen_bulk(matcher, world / "a.csv", out, BulkOptions(output_format="csv", workers=1))
        assert not tokens_path(out).exists()


def test_rescreen_reads_dates_in_the_previous_runs_order(tmp_path: Path) -> None:
    """screen-file records its --date-order; rescreen reads birth dates the same way by
    default (else 01/03/1967 read both ways would report alerts the run never had), and
    refuses another order in one line."""
    def listed(people: list[tuple[int, str, str, str]], day: str) -> str:
        xml = un_xml([(n, f, last) for n, f, last, _ in people], day)
        for num, _, _, born in people:
            xml = xml.replace(
                f"<DATAID>{num}</DATAID>",
                f"<DATAID>{num}</DATAID><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT"
                f"</TYPE_OF_DATE><DATE>{born}</DATE></INDIVIDUAL_DATE_OF_BIRTH>")
        return xml

    v1 = [(1, "IVAN", "PETROV", "1952-10-07")]
    (tmp_path / "v1.xml").write_text(listed(v1, "2026-01-01"))
    (tmp_path / "v2.xml").write_text(listed([*v1, (2, "VIKTOR", "BOUT", "1967-01-03")],
                                            "2026-01-02"))
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,birth_date\nc1,Victor Bout,03/01/1967\n"
                         "c2,Victor Bout,01/03/1967\nc3,Ivan Petrov,07/10/1952\n")
    db = tmp_path / "store.db"
    run(db, "load", str(tmp_path / "v1.xml"))
    before = tmp_path / "alerts.jsonl"
    options = ["--threshold", "0.99", "--date-order", "DMY"]
    run(db, "screen-file", str(customers), "-o", str(before), *options)
    record = json.loads((tmp_path / "alerts.jsonl.run.json").read_text())
    assert record["date_order"] == "DMY"
    run(db, "load", str(tmp_path / "v2.xml"))
    full = tmp_path / "full.jsonl"
    run(db, "screen-file", str(customers), "-o", str(full), *options)
    assert ("c1", "un-2") in pairs(full) and ("c2", "un-2") not in pairs(full)

    env = {**os.environ, "DISCREET_DB": str(db)}
    refused = subprocess.run([sys.executable, "-m", "discreet", "rescreen", str(customers),
                              "--previous", str(before), "-o", str(tmp_path / "x.jsonl"),
                              "--date-order", "MDY"],
                             capture_output=True, text=True, env=env, timeout=300)
    assert refused.returncode != 0
    assert "--date-order MDY differs" in refused.stderr and "DMY" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1

    delta = tmp_path / "delta.jsonl"
    run(db, "rescreen", str(customers), "--previous", str(before), "-o", str(delta),
        "--update")
    lines = [json.loads(x) for x in delta.read_text().splitlines()]
    new = {(x["id"], m["id"]) for x in lines for m in x["new"]}
    assert new == pairs(full) - {(x, y) for x, y in [("c3", "un-1")]} == {("c1", "un-2")}
    assert json.loads((tmp_path / "alerts.jsonl.run.json").read_text())["date_order"] == "DMY"


def test_an_older_run_record_without_a_date_order_still_reads(tmp_path: Path) -> None:
    """Records written before the order was kept: read, the order unknown (None), and an
    explicit --date-order then applies."""
    from discreet.screen.runs import order_for, read_run

    out = tmp_path / "alerts.jsonl"
    (tmp_path / "alerts.jsonl.run.json").write_text(json.dumps(
        {"versions": {"un_sc_sanctions": 1}, "threshold": None, "limit": 5}))
    record = read_run(out)
    assert (record.date_order, record.order_known) == (None, False)
    assert order_for(record, "MDY", out) == "MDY" and order_for(record, None, out) is None
    write_run(out, RunRecord({"un_sc_sanctions": 1}, None, 5, date_order="YMD"))
    again = read_run(out)
    assert (again.date_order, again.order_known) == ("YMD", True)
    assert order_for(again, None, out) == "YMD"
    with pytest.raises(ConfigError, match="differs"):
        order_for(again, "DMY", out)
    write_run(out, RunRecord({"un_sc_sanctions": 1}, None, 5))  # recorded: both ways
    with pytest.raises(ConfigError, match="both ways"):
        order_for(read_run(out), "DMY", out)
    (tmp_path / "alerts.jsonl.run.json").write_text(json.dumps(
        {"versions": {}, "threshold": None, "limit": 5, "date_order": "XYZ"}))
    with pytest.raises(ConfigError, match="not a valid run record"):
        read_run(out)
