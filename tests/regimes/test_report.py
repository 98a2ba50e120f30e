"""``discreet regime report``: the answer's figures on our own small lists (counted by hand,
SQLite and PostgreSQL), its three formats and the CLI; and reports for Russia/Ukraine and
ISIL/Al-Qaida on the real files, every figure checked against a direct reading of the files
(csv over OFAC sdn.csv, lxml over the UN and Canadian XML), in CI.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from discreet.cli import cli
from discreet.lists.load import load_file
from discreet.programmes import resolve
from discreet.regimes.report import (
    RegimeReport,
    build_report,
    render,
    render_html,
    render_markdown,
    write_report,
)
from discreet.store import SameAs, Store
from discreet.store.regimes import forget_facts
from tests.conftest import SHARED_LISTS, skip_outside_ci
from tests.regimes.test_analytics import link, load_small

ARCHIVE = SHARED_LISTS.parent / "archive"


@pytest.fixture
def linked(store_url: str) -> Iterator[Store]:
    forget_facts()  # each backend reads the records' facts itself
    with Store.open(store_url) as store:
        load_small(store)
        link(store)
        yield store


def test_report_figures_on_small_lists(linked: Store) -> None:
    report = build_report(linked, "russia-ukraine", "2022-07-01", "2023-12-31")
    changes = {c.source: (c.before, c.after, c.net, c.designations, c.relistings,
                          c.delistings, c.programme_changes) for c in report.changes}
    assert changes == {"us_ofac_sdn": (4, 4, 0, 1, 1, 2, 1),
                       "gb_hmt_sanctions": (4, 5, 1, 1, 0, 0, 0)}
    assert [(e.entity_id, e.caption, e.authority, e.when, e.other_programmes)
            for e in report.delistings] == [
        ("ofac-205", "Oleg KOZLOV", "OFAC", "between 2022-03-01 and 2023-06-01", True),
        ("ofac-203", "ROSTOK BANK", "OFAC", "between 2022-03-01 and 2023-06-01", False)]
    assert {(e.entity_id, e.kind, e.when) for e in report.designations} == {
        ("gb-hmt-7006", "designation", "2023-05-20"),
        ("ofac-207", "designation", "between 2022-03-01 and 2023-06-01"),
        ("ofac-204", "relisting", "between 2022-03-01 and 2023-06-01")}
    assert [r.entity_id for r in report.relistings] == ["ofac-204"]
    # OFAC delisted ROSTOK BANK, which the UK lists on both dates: an alignment shift
    # (NOVAK, new on both lists, is shared but no shift: the UK did not list her before)
    shifts = {(s.a, s.b): (s.shared_before, s.shared_after, s.dropped_by_b, s.added_by_b)
              for s in report.shifts}
    assert shifts == {("OFAC", "UK"): (3, 3, [], []),
                      ("UK", "OFAC"): (3, 3, ["gb-hmt-7003"], [])}
    assert sorted(report.coverage.missing_authorities) == ["AU", "CA", "EU"]
    assert report.summary[2].startswith("OFAC (us_ofac_sdn): 4 → 4 (+0); 1 designation(s), "
                                        "1 relisting(s), 2 delisting(s), 1 of them")


def test_no_baseline_is_said_not_guessed(linked: Store) -> None:
    report = build_report(linked, "russia-ukraine", "2021-03-01", "2023-12-31")
    uk = next(c for c in report.changes if c.source == "gb_hmt_sanctions")
    assert (uk.before, uk.after, uk.net) == (None, 5, None)
    assert uk.designations == 3  # 7002, 7005, 7006: after the first version held
    assert "no version as of 2021-03-01 or before" in uk.note
    text = render_markdown(report)
    assert "no data" in text and "cannot be compared" in text
    # the latest OFAC version (2023-06-01) is older than --since: its change is unknown
    stale = build_report(linked, "russia-ukraine", "2024-01-01", "2024-12-31")
    ofac = next(c for c in stale.changes if c.source == "us_ofac_sdn")
    assert (ofac.before, ofac.after, ofac.net, ofac.unknown) == (4, 4, None, True)
    assert ofac.designations == ofac.delistings == 0 and "unknown" in ofac.note
    assert "0 did not change in size" in stale.summary[0]
    late = build_report(linked, "isil-al-qaida", "2010-01-01", "2019-12-31")
    assert [(c.source, c.after) for c in late.changes] == [("gb_hmt_sanctions", None),
                                                           ("un_sc_sanctions", None)]
    with pytest.raises(ValueError, match="after until"):
        build_report(linked, "isil-al-qaida", "2022-01-01", "2021-01-01")


def _table(markdown: str, heading: str) -> list[dict[str, str]]:
    """The first table under a '## heading' of a Markdown report, as rows of cells."""
    part = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("|")]
    if not lines:
        return []
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    return [dict(zip(cells[0], row, strict=True)) for row in cells[2:]]


def test_formats(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        load_small(store)
        link(store)
        report = build_report(store, "russia-ukraine", "2022-07-01", "2023-12-31")
    (tmp_path / "out").mkdir()
    written = write_report(report, "md", tmp_path / "out" / "r.md")
    assert sorted(p.name for p in written) == ["r-flows.svg", "r-size.svg", "r.md"]
    text = (tmp_path / "out" / "r.md").read_text(encoding="utf-8")
    assert "![size](r-size.svg)" in text and "![flows](r-flows.svg)" in text
    rows = {r["source"]: r for r in _table(text, "Net change per list")}
    assert rows["us_ofac_sdn"]["net"] == "+0" and rows["gb_hmt_sanctions"]["net"] == "+1"
    assert rows["gb_hmt_sanctions"]["before (version)"] == "4 (v2 as of 2022-06-01)"
    assert {r["entity"] for r in _table(text, "Delistings")} == {"ofac-203", "ofac-205"}
    for name in ("r-size.svg", "r-flows.svg"):
        assert (tmp_path / "out" / name).read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 2
    assert "<td>ROSTOK BANK</td>" in page and "<td>+1</td>" in page
    pdf = render(report, "pdf")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000
    with pytest.raises(ValueError, match="format"):
        render(report, "docx")


def test_html_escapes_what_lists_write(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        load_small(store, ofsi=False, ofac=False)
        report = build_report(store, "isil-al-qaida", "2020-06-01", "2022-12-31")
    report.delistings[0].caption = "<script>alert(1)</script> & co"
    page = render_html(report, with_charts=False)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    markdown = render_markdown(report)
    report.delistings[0].caption = "A | B"
    assert "A \\| B" in render_markdown(report) and markdown


def test_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    with Store.open(db) as store:
        load_small(store)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["--db", db, "regime", *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    listed = {r["id"]: r for r in json.loads(run("list", "--json"))}
    assert listed["russia-ukraine"]["active"] == {"OFAC": 4, "UK": 5}
    sizes = json.loads(run("size", "russia-ukraine", "--json"))
    assert [p["count"] for s in sizes if s["source"] == "gb_hmt_sanctions"
            for p in s["points"]] == [2, 4, 5]
    flows = json.loads(run("flows", "isil-al-qaida", "--by", "year", "--since", "2021-01-01",
                           "--json"))
    assert {(f["period"], f["basis"], f["designations"], f["delistings"]) for f in flows} == {
        ("2021", "stated", 1, 0), ("2021", "inferred", 0, 1), ("2022", "inferred", 1, 1)}
    matrix = json.loads(run("alignment", "russia-ukraine", "--at", "2023-12-31", "--json"))
    assert matrix["parties"] == {"OFAC": 4, "UK": 5}
    assert json.loads(run("relisted", "isil-al-qaida", "--json"))[0]["entity_id"] == "un-1003"
    data = json.loads(run("report", "russia-ukraine", "--since", "2022-07-01", "--until",
                          "2023-12-31", "--json"))
    assert [c["net"] for c in data["changes"]] == [1, 0]
    out = tmp_path / "r.html"
    run("report", "isil-al-qaida", "--since", "2021-01-01", "--format", "html", "-o", str(out))
    assert "KHALID SAMPLE" in out.read_text(encoding="utf-8")
    table = run("size", "taliban")
    assert "un_sc_sanctions" in table and "2022-03-01" in table
    failed = runner.invoke(cli, ["--db", db, "regime", "size", "atlantis"])
    assert failed.exit_code != 0 and "no regime 'atlantis'" in str(failed.exception)
    run("report", "taliban", "--since", "2023-01-01", "--until", "2022-01-01", code=2)
    run("report", "taliban", "--since", "yesterday", code=2)
    run("report", "taliban", "--since", "9999-01-01", code=2)  # after today, the default


# -- the real files ----------------------------------------------------------------------------


def _require(*paths: Path) -> None:
    missing = [p for p in paths if not p.exists()]
    if missing:
        skip_outside_ci(f"needs the real list files {missing}")


def sdn_reading(path: Path, regime: str) -> tuple[set[str], set[str]]:
    """(entity ids in the regime, every entity id) read straight from an sdn.csv."""
    members, everyone = set(), set()
    with path.open(encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 4 or not row[0].strip().isdigit():
                continue
            eid = f"ofac-{row[0].strip()}"
            everyone.add(eid)
            codes = [c.strip() for c in row[3].strip("[] ").split("] [") if c.strip()]
            if any((p := resolve("OFAC", c)) is not None and p.regime == regime
                   for c in codes):
                members.add(eid)
    return members, everyone


def un_reading(path: Path, regime: str) -> tuple[set[str], set[str]]:
    """(entity ids in the regime, every entity id) read straight from a UN XML file."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    members, everyone = set(), set()
    for tag in ("INDIVIDUAL", "ENTITY"):
        for node in root.iter(tag):
            eid = "un-" + node.findtext("DATAID", "").strip()
            everyone.add(eid)
            p = resolve("UN", node.findtext("UN_LIST_TYPE", "").strip())
            if p is not None and p.regime == regime:
                members.add(eid)
    return members, everyone


SCHEDULE = re.compile(r"^\s*(?:(?P<s>[\d.]+)\s*,?\s*)?(?:Part\s+(?P<p>[\d.]+))?\s*$", re.I)


def sema_key(record: etree._Element) -> str:
    """A Canadian listing's place, read from the file's own words: its regulation (the
    ``Country`` element), the schedule and part, and the item number. Schedule 1 of a
    regulation divided into parts is its Part 1 (the 2020 file writes "1" where the 2025
    one writes "1, Part 1"; Ukraine's 2025 file writes "Part 1" alone)."""
    regime = " ".join((record.findtext("Country") or "").split())
    written = " ".join((record.findtext("Schedule") or "").split())
    found = SCHEDULE.match(written)
    schedule, part = (found["s"] or "1", found["p"]) if found else (written, None)  # "N/A"
    if found and part is None and schedule == "1":
        part = "1"
    return f"{regime}|{schedule}|{part}|{(record.findtext('Item') or '').strip()}"


def sema_reading(path: Path, regime: str) -> tuple[set[str], set[str]]:
    """(listings in the regime, every listing) of a Canadian SEMA XML file, by place."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    members, everyone = set(), set()
    for record in root.iter("record"):
        key = sema_key(record)
        everyone.add(key)
        code = (record.findtext("Country") or "").strip()
        if (p := resolve("CA", code)) is not None and p.regime == regime:
            members.add(key)
    return members, everyone


def expected_changes(readings: list[tuple[set[str], set[str]]]) -> tuple[int, int, int, int,
                                                                            int, int]:
    """(before, after, designations, relistings, delistings, programme changes) over files
    in date order, counted from their sets of ids."""
    designations = relistings = delistings = changes = 0
    seen = set(readings[0][0])
    for (a, a_all), (b, b_all) in itertools.pairwise(readings):
        for eid in b - a:
            relistings += eid in seen
            designations += eid not in seen
            changes += eid in a_all
        for eid in a - b:
            delistings += 1
            changes += eid in b_all
        seen |= b
    return (len(readings[0][0]), len(readings[-1][0]), designations, relistings, delistings,
            changes)


def _check_against(report: RegimeReport, source: str,
                   readings: list[tuple[set[str], set[str]]]) -> None:
    change = next(c for c in report.changes if c.source == source)
    before, after, designated, relisted, delisted, moved = expected_changes(readings)
    assert (change.before, change.after, change.net) == (before, after, after - before)
    assert (change.designations, change.relistings, change.delistings,
            change.programme_changes) == (designated, relisted, delisted, moved)
    gone = set().union(*(a - b for (a, _), (b, _) in itertools.pairwise(readings)))
    assert {e.entity_id for e in report.delistings if e.source == source} == gone
    came = set().union(*(b - a for (a, _), (b, _) in itertools.pairwise(readings)))
    assert {e.entity_id for e in report.designations if e.source == source} == came
    # the Markdown states the same figures
    rows = {r["source"]: r for r in _table(render_markdown(report), "Net change per list")}
    row = rows[source]
    assert row["before (version)"].startswith(f"{before:,} (")
    assert row["after (version)"].startswith(f"{after:,} (")
    assert row["net"] == f"{after - before:+,}"
    assert (row["designations"], row["relistings"], row["delistings"],
            row["programme changes"]) == tuple(map(str, (designated, relisted, delisted,
                                                         moved)))


def test_russia_ukraine_report_on_the_real_files(tmp_path: Path) -> None:
    sdn = {day: path for day, path in [
        ("2021-04-25", ARCHIVE / "ofac_sdn_csv/history_public/2021-04-25/sdn.csv"),
        ("2022-11-29", ARCHIVE / "ofac_sdn_csv/history_public/2022-11-29/sdn.csv"),
        ("2024-05-03", SHARED_LISTS / "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv")]}
    sema = {"2020-04-15": ARCHIVE / "ca_sema/sema-lmes_2020-04.xml",
            "2025-05-25": ARCHIVE / "ca_sema/sema-lmes_2025-05.xml"}
    _require(*sdn.values(), *sema.values())
    with Store.open(tmp_path / "ru.db") as store:
        for day, path in sdn.items():  # sdn.csv states no date: the folder's, as operator
            load_file(store, path, force=True, published=day)
        for day, path in sema.items():
            load_file(store, path, force=True, published=day)
        report = build_report(store, "russia-ukraine", "2022-01-01", "2025-06-30")
    _check_against(report, "us_ofac_sdn",
                   [sdn_reading(p, "russia-ukraine") for p in sdn.values()])
    ca = next(c for c in report.changes if c.source == "ca_dfatd_sema_sanctions")
    before, after, designated, relisted, delisted, moved = expected_changes(
        [sema_reading(p, "russia-ukraine") for p in sema.values()])
    assert (ca.before, ca.after, ca.net) == (before, after, after - before)
    assert (ca.designations, ca.relistings, ca.delistings, ca.programme_changes) == (
        designated, relisted, delisted, moved)
    assert sum(e.source == ca.source for e in report.delistings) == delisted
    assert sum(e.source == ca.source for e in report.designations) == designated
    # coverage: the versions each figure rests on, and the gaps said
    cov = {s.source: s for s in report.coverage.sources}
    assert [r.as_of for r in cov["us_ofac_sdn"].used] == list(sdn)
    assert [r.as_of for r in cov["ca_dfatd_sema_sanctions"].used] == list(sema)
    assert all(r.as_of_basis == "operator" for r in cov["us_ofac_sdn"].used)
    assert "us_ofac_sdn: nothing held after 2024-05-03 (to 2025-06-30)" in \
        report.coverage.gaps
    assert {"EU", "UK", "AU"} <= set(report.coverage.missing_authorities)
    # without same-as links each entity is its own party: no party is shared
    ofac_ca = report.alignment_after.cell("OFAC", "CA")
    assert (ofac_ca.listed_by_a, ofac_ca.also_by_b) == (sdn_reading(
        sdn["2024-05-03"], "russia-ukraine")[0].__len__(), 0)


# "UN Ref QDi.086", or the form before 2015, "UN Ref QI.A.86.03" (the same listing)
UN_REF = re.compile(r"UN\s*Ref\W*(?:([A-Z]{2}[ie])\.(\d+)|Q([IE])\.[A-Z]\.(\d+)\.\d+)",
                    re.IGNORECASE)


def _un_ref(found: re.Match[str]) -> str:
    if found[1]:
        return f"{found[1][:2].upper()}{found[1][2].lower()}.{int(found[2]):03d}"
    return f"QD{found[3].lower()}.{int(found[4]):03d}"


def ofsi_reading(path: Path, regime: str) -> tuple[set[str], dict[str, str]]:
    """(groups in the regime, group -> the UN reference its rows cite) of an OFSI CSV, read
    straight from the file (one row per name; a group is one listing)."""
    members: set[str] = set()
    refs: dict[str, str] = {}
    with path.open(encoding="latin-1", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        header = next(rows)
        at = {name: header.index(name) for name in ("Regime", "Group ID", "Other Information")}
        for row in rows:
            if len(row) < len(header) or not row[at["Group ID"]].strip():
                continue
            gid = "gb-hmt-" + row[at["Group ID"]].strip()
            p = resolve("UK", row[at["Regime"]].strip())
            if p is not None and p.regime == regime:
                members.add(gid)
            if found := UN_REF.search(row[at["Other Information"]]):
                refs.setdefault(gid, _un_ref(found))
    return members, refs


def un_references(path: Path) -> dict[str, str]:
    """UN reference number -> entity id, from a UN XML file."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    return {(node.findtext("REFERENCE_NUMBER") or "").strip(): "un-" + node.findtext(
        "DATAID", "").strip() for tag in ("INDIVIDUAL", "ENTITY") for node in root.iter(tag)}


def test_isil_al_qaida_report_on_the_real_files(tmp_path: Path) -> None:
    files = [ARCHIVE / "un/un_consolidated_2020-11-24.xml",
             ARCHIVE / "un/un_consolidated_2022-10-21.xml",
             ARCHIVE / "un/un_consolidated_2024-09-21.xml",
             SHARED_LISTS / "un/un_consolidated_2026-02-27.xml"]
    ofsi = ARCHIVE / "uk_ofsi_conlist/sanctionsconlist_2018-04-13.csv"
    _require(*files, ofsi)
    uk, cited = ofsi_reading(ofsi, "isil-al-qaida")
    by_ref: dict[str, str] = {}
    for path in files:
        by_ref.update(un_references(path))
    # same-as links read from the files: an OFSI listing citing a UN reference number
    pairs = sorted({(gid, by_ref[ref]) for gid, ref in cited.items() if ref in by_ref})
    with Store.open(tmp_path / "un.db") as store:
        for path in [ofsi, *files]:
            load_file(store, path, force=True)
        store.replace_proposed_links(SameAs(a, b, "identifier", 1.0, ("UN reference",))
                                     for a, b in pairs)
        report = build_report(store, "isil-al-qaida", "2022-01-01", "2026-03-01")
    readings = [un_reading(p, "isil-al-qaida") for p in files]
    _check_against(report, "un_sc_sanctions", readings)
    gb = next(c for c in report.changes if c.source == "gb_hmt_sanctions")
    # one OFSI version, of 2018, in force on both dates: its change since 2022 is unknown
    assert (gb.before, gb.after, gb.net, gb.unknown) == (len(uk), len(uk), None, True)
    cov = {s.source: s for s in report.coverage.sources}
    assert [r.as_of for r in cov["un_sc_sanctions"].used] == \
        ["2020-11-24", "2022-10-21", "2024-09-21", "2026-02-27"]
    assert [r.as_of for r in cov["gb_hmt_sanctions"].used] == ["2018-04-13"]
    assert "gb_hmt_sanctions: nothing held after 2018-04-13 (to 2026-03-01)" in \
        report.coverage.gaps
    assert sorted(report.coverage.missing_authorities) == ["AU", "EU"]
    # every delisting date is a window between two files, never a made-up day
    assert all(e.dated == "between" and e.after is not None for e in report.delistings)
    # alignment on both dates, in parties (components of the links), counted from the files
    party = {e: e for pair in pairs for e in pair}

    def find(e: str) -> str:
        while party.get(e, e) != e:
            e = party[e]
        return e
    for a, b in pairs:
        ra, rb = find(a), find(b)
        party[max(ra, rb)] = min(ra, rb)
    for alignment, un in ((report.alignment_before, readings[0][0]),
                          (report.alignment_after, readings[-1][0])):
        un_parties, uk_parties = {find(e) for e in un}, {find(e) for e in uk}
        cell = alignment.cell("UK", "UN")
        assert (cell.listed_by_a, cell.also_by_b) == (len(uk_parties),
                                                      len(uk_parties & un_parties))
        assert set(cell.not_by_b) == uk_parties - un_parties
        back = alignment.cell("UN", "UK")
        assert (back.listed_by_a, back.also_by_b) == (len(un_parties),
                                                      len(uk_parties & un_parties))
    assert report.alignment_after.cell("UN", "UK").also_by_b > 200
