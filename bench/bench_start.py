"""``discreet match NAME`` end to end: a fresh process, a persisted index, the embedded store.

Scenario: an operator screens one name from the shell. A SQLite store holds the full fixture
lists (``common.FULL_LISTS``, loaded with ``discreet load``, which writes the index beside
it); each run is a new process, ``python -m discreet match NAME`` (or ``--exe``), timed from
start to exit: interpreter start, imports, opening the store and the persisted index, the
query and printing the table. One warm-up run per variant is not counted (it writes the
bytecode and, if the index is missing, builds it). We report the median wall time of
``--runs`` runs and the children's CPU seconds, with the load average; with
``--importtime``, one more run per variant under ``PYTHONPROFILEIMPORTTIME`` gives the
total import time and the top offenders (self time summed per package).

Bytecode: an installed package has its ``.pyc`` files; by default each variant writes and
reuses them under its own ``PYTHONPYCACHEPREFIX`` in the work folder (``--no-bytecode``:
``PYTHONDONTWRITEBYTECODE=1``, every run compiles the project's sources, as in a checkout
where writing bytecode is turned off).

A baseline runs side by side, its runs interleaved with the new code's: another checkout's
``src`` (``--baseline-pythonpath DIR``, run with this interpreter; copy the compiled
``.so`` files into it) or another executable (``--baseline-exe PATH``, e.g. an older
install's ``discreet``). It screens a copy of the store (its own index: the index key holds
a hash of the code); the two outputs must be the same.

Run from the project root:
``.venv/bin/python bench/bench_start.py [--db FILE] [--workdir DIR] [--runs N]
[--name NAME] [--baseline-pythonpath DIR | --baseline-exe PATH] [--importtime]
[--no-bytecode] [--json]``
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from common import FULL_LISTS, LISTS, ROOT, Report, markdown_table, median, require

NAME = "Vladimir Putin"
RUNS = 7
TOP = 12  # import-time offenders listed per variant
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass
class Variant:
    """One way to run ``discreet``: a command prefix, an import path, a store."""

    label: str
    command: list[str]
    db: Path
    pythonpath: str | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    output: str = ""

    def env(self, pycache: Path | None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in {"PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPATH",
                            "DISCREET_INDEX", "DISCREET_DB"}}
        if pycache is None:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(pycache / self.label)
        if self.pythonpath:
            env["PYTHONPATH"] = self.pythonpath
        env["DISCREET_DB"] = str(self.db)
        return {**env, **extra}


def load_lists(db: Path) -> float:
    """The full fixture lists loaded with ``discreet load`` (which writes the index)."""
    paths = [str(require(LISTS / rel)) for rel in FULL_LISTS]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "discreet", "--db", str(db), "load", *paths],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (its index is not copied: it is rebuilt)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def run_once(variant: Variant, name: str, pycache: Path | None, **extra: str
             ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of one ``discreet match NAME`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*variant.command, "match", name], capture_output=True, text=True,
                          env=variant.env(pycache, **extra), check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"error: {variant.label}: exit status {done.returncode}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def import_offenders(variant: Variant, name: str, pycache: Path | None
                     ) -> tuple[float, list[tuple[str, float]]]:
    """Total import seconds and the packages whose modules took longest (self time
    summed; ``discreet`` split by subpackage)."""
    _, _, done = run_once(variant, name, pycache, PYTHONPROFILEIMPORTTIME="1")
    total = 0.0
    groups: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if not found:
            continue
        self_us, cumulative_us, indent, module = found.groups()
        if len(indent) == 1:  # a top-level import: its cumulative time counts once
            total += int(cumulative_us) / 1e6
        parts = module.split(".")
        group = ".".join(parts[:2]) if parts[0] == "discreet" else parts[0]
        groups[group] += int(self_us) / 1e6
    return total, sorted(groups.items(), key=lambda kv: -kv[1])[:TOP]


def variants(args: argparse.Namespace, work: Path) -> list[Variant]:
    db = args.db or work / "full.db"
    if not db.exists():
        print(f"building the store {db} (discreet load, 5 lists) in "
              f"{load_lists(db):.0f} s", file=sys.stderr)
    out = [Variant("new", [sys.executable, "-m", "discreet"], db)]
    if args.exe:
        out[0].command = [args.exe]
    if args.pythonpath:
        out[0].pythonpath = args.pythonpath
    if args.baseline_pythonpath or args.baseline_exe:
        base_db = args.baseline_db or work / "baseline.db"
        if not base_db.exists():
            copy_store(db, base_db)
        command = [args.baseline_exe] if args.baseline_exe else [sys.executable, "-m",
                                                                  "discreet"]
        out.append(Variant("baseline", command, base_db, args.baseline_pythonpath))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="A loaded SQLite store (default: the full "
                        "fixture lists loaded into WORKDIR/full.db).")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "start")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--name", default=NAME)
    parser.add_argument("--exe", help="Run this executable instead of python -m discreet.")
    parser.add_argument("--pythonpath", help="PYTHONPATH of the new code (default: none).")
    parser.add_argument("--baseline-pythonpath", metavar="DIR")
    parser.add_argument("--baseline-exe", metavar="PATH")
    parser.add_argument("--baseline-db", type=Path,
                        help="The baseline's store (default: a copy of --db in WORKDIR).")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--no-bytecode", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs = variants(args, args.workdir)
    pycache = None if args.no_bytecode else args.workdir / "pycache"
    report = Report("discreet match NAME: a fresh process", args.json)
    for variant in runs:  # warm-up: bytecode written, index built if missing
        variant.output = run_once(variant, args.name, pycache)[2].stdout
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for variant in runs:
            wall, cpu, _ = run_once(variant, args.name, pycache)
            variant.walls.append(wall)
            variant.cpus.append(cpu)
        loads.append(os.getloadavg()[0])
    rows = [[v.label, " ".join(v.command), v.pythonpath or "", str(v.db),
             f"{median(v.walls):.3f}", f"{min(v.walls):.3f}", f"{median(v.cpus):.3f}"]
            for v in runs]
    report.section(f"discreet match {args.name!r}, median of {args.runs} (bytecode "
                   f"{'off' if pycache is None else 'cached'})",
                   markdown_table(["variant", "command", "PYTHONPATH", "store",
                                   "wall median s", "wall min s", "CPU median s"], rows))
    summary = {v.label: {"wall_s": v.walls, "cpu_s": v.cpus, "median_wall_s": median(v.walls),
                         "median_cpu_s": median(v.cpus)} for v in runs}
    if len(runs) == 2:
        same = runs[0].output == runs[1].output
        ratio = median(runs[1].walls) / median(runs[0].walls)
        report.note(f"baseline / new: {ratio:.2f}x wall; same output: {same}\n")
        summary["ratio"] = {"baseline_over_new": ratio, "same_output": same}
    report.note(f"Load average (1 min) during the runs: {min(loads):.2f} to "
                f"{max(loads):.2f}\n")
    summary["loadavg_1m"] = {"min": min(loads), "max": max(loads)}
    if args.importtime:
        for variant in runs:
            total, top = import_offenders(variant, args.name, pycache)
            report.section(f"{variant.label}: imports {total:.3f} s, top offenders (self time)",
                           markdown_table(["package", "s"], [[k, f"{v:.3f}"] for k, v in top]))
            summary[variant.label]["imports_s"] = total
            summary[variant.label]["import_top"] = top
    report.add("runs", summary)
    report.finish()


if __name__ == "__main__":
    main()
