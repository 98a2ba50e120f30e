"""Hostile input: mutated list files, in every format, loaded over a store that holds the original.

For each format, the project's own small fixture (always) and a real published file from
``../shared/fixtures`` (skipped outside CI when absent) are mutated by hypothesis (cuts at
any byte and inside a value, a missing last newline, flipped bytes, other encodings, fields
of megabytes, deep nesting, wrong JSON types, broken CSV rows) and loaded with the real
``discreet load`` into a real SQLite store that already holds the unmutated version. Each
mutated file must be either

* refused with ONE line that names the file (no traceback, no "internal error", no
  "unexpected" bug report), the store left exactly as it was; or
* accepted with nothing lost silently: removals within the removal gate, and a cut file
  that loses entities must say so in its warnings;

and never hang (a time bound per example) or balloon (an address-space limit).

The examples are fixed (``derandomize``) so that CI runs the same cases in a bounded time;
``FUZZ_EXPLORE=1`` draws fresh random examples, more of them, for a local hunt, and
``FUZZ_FINDINGS=path`` appends each failure there as one line.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import OWN_FIXTURES, SHARED_LISTS, require_shared
from tests.fuzz.mutations import KINDS, TRUNCATIONS, Mutation, mutations
from tests.fuzz.runner import GATE, BaseStore, copy_store, fingerprint, load_in_child, make_base

SHARED = SHARED_LISTS.parent
EXPLORE = bool(os.environ.get("FUZZ_EXPLORE"))
# How `discreet load` reports an exception no code path expected ("unexpected KeyError: …"):
# a bug, even though it is one line. (A parser's own "unexpected end of data" is not.)
BUG_REPORT = re.compile(r"unexpected [A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b")


@dataclass(frozen=True)
class Case:
    """One fixture file of one format, how to load it, and its budget."""

    name: str
    path: Path
    family: str  # xml, csv or json: which mutations apply
    args: tuple[str, ...] = ()
    siblings: tuple[str, ...] = ()
    examples: int = 3
    timeout: float = 30.0
    shared: bool = False


OWN = [
    Case("own-ofac_xml", OWN_FIXTURES / "ofac_xml" / "sdn_sample.xml", "xml"),
    Case("own-ofac_enhanced", OWN_FIXTURES / "ofac_enhanced" / "sdn_enhanced_sample.xml", "xml"),
    Case("own-ofac_csv", OWN_FIXTURES / "ofac_csv" / "sdn.csv", "csv",
         siblings=("add.csv", "ALT.CSV", "sdn_comments.csv")),
    Case("own-un_xml", OWN_FIXTURES / "un" / "un_small.xml", "xml"),
    Case("own-eu_fsf", OWN_FIXTURES / "eu_fsf" / "eu_small.xml", "xml"),
    Case("own-uk_fcdo_xml", OWN_FIXTURES / "uk_fcdo" / "uk_small.xml", "xml"),
    Case("own-uk_fcdo_csv", OWN_FIXTURES / "uk_fcdo" / "uk_small.csv", "csv"),
    Case("own-ofsi_csv", OWN_FIXTURES / "ofsi_csv" / "conlist_2022_layout.csv", "csv"),
    Case("own-ftm_json", OWN_FIXTURES / "ftm" / "entities.ftm.json", "json"),
    Case("own-ca_sema_xml", OWN_FIXTURES / "ca" / "sema_small.xml", "xml"),
    Case("own-au_dfat_xlsx", OWN_FIXTURES / "au" / "dfat_small.xlsx", "xlsx"),
    Case("own-watchlist_csv", OWN_FIXTURES / "watchlist" / "internal_cp1252.csv", "csv",
         args=("--format", "csv", "--map", "id=Ref,name=Nom complet,alias=Autre nom,"
               "birth_date=Né le,country=Pays,schema=Type,remarks=Motif")),
]
REAL = [
    Case("real-ofac_xml", SHARED / "lists" / "ofac_cons_xml" / "consolidated_2024-05-06.xml",
         "xml", examples=1, timeout=90, shared=True),
    Case("real-ofac_enhanced",
         SHARED / "lists" / "ofac_enhanced_xml" / "sls_export_YEMEN_2024-05-24.xml", "xml",
         examples=1, timeout=90, shared=True),
    Case("real-ofac_csv", SHARED / "lists" / "ofac_cons_csv" / "watchman_2025-12" / "cons_prim.csv",
         "csv", siblings=("cons_add.csv", "cons_alt.csv", "cons_comments.csv"), examples=1,
         timeout=90, shared=True),
    Case("real-un_xml", SHARED / "lists" / "un" / "un_consolidated_2018-06-07.xml", "xml",
         examples=1, timeout=90, shared=True),
    Case("real-eu_fsf", SHARED / "lists" / "eu_fsf" / "eu_fsf_1_1_excerpt_2026-08-05.xml", "xml",
         examples=1, timeout=90, shared=True),
    Case("real-uk_fcdo_xml",
         SHARED / "lists" / "uk_fcdo" / "uk_sanctions_list_excerpt_2026-09-10.xml", "xml",
         examples=1, timeout=90, shared=True),
    Case("real-ofsi_csv",
         SHARED / "lists" / "uk_ofsi_conlist" / "sanctionsconlist_2014-04-02.csv", "csv",
         examples=1, timeout=120, shared=True),
    Case("real-ftm_json",
         SHARED / "archive" / "opensanctions_ftm" / "zala_cluster_entities.ftm.json", "json",
         examples=1, timeout=90, shared=True),
    Case("real-ca_sema_xml", SHARED / "archive" / "ca_sema" / "sema-lmes_2025-05.xml", "xml",
         examples=1, timeout=90, shared=True),
    Case("real-au_dfat_xlsx",
         SHARED / "archive" / "au_dfat" / "regulation8_consolidated_2024-11-11.xlsx", "xlsx",
         examples=1, timeout=120, shared=True),
]
# Parser defects still open, each one precise case: (case name, kind) -> reason.
KNOWN: dict[tuple[str, str], str] = {}


def matrix(cases: list[Case]) -> list[object]:
    """Every case with every mutation kind of its family; open defects strictly xfailed."""
    params: list[object] = []
    for case in cases:
        for kind in KINDS[case.family]:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN[(case.name, kind)])] \
                if (case.name, kind) in KNOWN else []
            params.append(pytest.param(case, kind, id=f"{case.name}-{kind}", marks=marks))
    return params


class Bases:
    """One base store per case, built on first use and shared by all its examples."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, BaseStore] = {}

    def get(self, case: Case) -> BaseStore:
        if case.name not in self.built:
            folder = self.root / case.name
            original = folder / "original" / case.path.name
            original.parent.mkdir(parents=True, exist_ok=True)
            for name in (case.path.name, *case.siblings):
                shutil.copyfile(case.path.parent / name, original.parent / name)
            self.built[case.name] = make_base(folder, original, list(case.args),
                                              "fuzz_" + case.name.replace("-", "_"))
        return self.built[case.name]


@pytest.fixture(scope="session")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Bases:
    return Bases(tmp_path_factory.mktemp("fuzz"))


def _fail(what: str) -> None:
    if target := os.environ.get("FUZZ_FINDINGS"):
        line = what.replace("\n", " | ")[:600] + "\n"
        seen = Path(target).read_text(encoding="utf-8") if Path(target).exists() else ""
        if line not in seen:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(line)
    pytest.fail(what, pytrace=False)


def check_mutation(case: Case, kind: str, mutation: Mutation, base: BaseStore) -> None:
    """Load one mutated file over the base store and hold it to the rules above."""
    work = base.path.parent / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    target = work / case.path.name
    target.write_bytes(mutation.apply(case.path.read_bytes(), case.family))
    for name in case.siblings:
        shutil.copyfile(case.path.parent / name, work / name)
    db = copy_store(base, work)
    outcome = load_in_child(db, target, [*case.args, "--source", base.source],
                            timeout=case.timeout)
    what = f"{case.name} {mutation.describe()}"
    if outcome.hung:
        _fail(f"{what}: no answer within {case.timeout:.0f} s (hang)")
    versions, rows = fingerprint(db, base.source)
    if outcome.code != 0:
        said = "\n".join(outcome.stderr)
        if len(outcome.stderr) != 1:
            _fail(f"{what}: refusal is {len(outcome.stderr)} lines, not one: {said[:1500]}")
        bug = BUG_REPORT.search(said)
        for bad in ("Traceback", "internal error", bug[0] if bug else None):
            if bad and bad in said:
                _fail(f"{what}: refusal shows {bad!r}: {said[:600]}")
        if target.name not in said:
            _fail(f"{what}: refusal does not name the file: {said[:600]}")
        if (versions, rows) != (base.versions, base.rows):
            _fail(f"{what}: refused, yet the store changed: {versions} {rows}")
        return
    if len(versions) == 1:
        if (versions, rows) != (base.versions, base.rows):
            _fail(f"{what}: reported unchanged, yet the store changed")
        return
    before, removed = base.versions[0][2], int(str(outcome.result.get("removed", 0)))
    warnings = outcome.result.get("warnings") or []
    if removed > before * GATE:
        _fail(f"{what}: accepted although it removes {removed} of {before} (gate {GATE})")
    if kind in TRUNCATIONS and removed and not warnings:
        _fail(f"{what}: a cut file accepted losing {removed} of {before} entities silently")


def _settings(examples: int) -> settings:
    # No shrinking: each example is a full load, and the bound on the run matters more
    # than the smallest failing case (the message names the mutation already).
    return settings(max_examples=examples * (10 if EXPLORE else 1), deadline=None,
                    derandomize=not EXPLORE, database=None, print_blob=False,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(("case", "kind"), matrix(OWN))
@given(data=st.data())
@_settings(6)
def test_own_fixture_mutations(bases: Bases, case: Case, kind: str, data: st.DataObject) -> None:
    mutation = data.draw(mutations(case.family, kind), label="mutation")
    check_mutation(case, kind, mutation, bases.get(case))


@pytest.mark.parametrize(("case", "kind"), matrix(REAL))
@given(data=st.data())
@_settings(2)
def test_real_file_mutations(bases: Bases, case: Case, kind: str, data: st.DataObject) -> None:
    require_shared()
    mutation = data.draw(mutations(case.family, kind), label="mutation")
    check_mutation(case, kind, mutation, bases.get(case))
