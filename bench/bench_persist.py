"""The persisted index: build once, open in a fraction of a second, shared pages, same results.

Scenario: a SQLite store holds the full fixture lists (``common.FULL_LISTS``), loaded as an
operator loads them (``discreet load`` writes the index at the load). We measure, with the
discreet found on the import path:

* index build (``Matcher.from_store``) and writing it (:func:`discreet.match.persist.save`),
  its files' size; opening it (:func:`~discreet.match.persist.load`: hashes checked, arrays
  memory-mapped), in this process (median of 3) and in a fresh process
  (:func:`~discreet.match.persist.open_matcher`, the store's key read too);
* ``discreet match NAME`` end to end (a subprocess, ``python -m discreet``; median of 5,
  and its CPU seconds, which other work on the machine inflates less), with the persisted
  index and with ``DISCREET_INDEX=memory`` (built in the process as before; median of 2),
  and how much of it is importing the CLI (``python -c "import discreet.cli"``);
* API start to ready: ``discreet serve --no-auth`` until ``/readyz`` answers 200 (median of
  3; building in memory: once), persisted and in memory, and the CPU seconds the server's
  processes used until then (``/proc/PID/stat``: what other work on the machine inflates
  less than the wall time); with ``--workers 2``, the resident (RSS) and proportional
  (PSS, ``/proc/PID/smaps_rollup``) memory of the server's processes. Bytecode: as an
  installed package has its ``.pyc`` files, each checkout writes and reuses them under its
  own ``PYTHONPYCACHEPREFIX`` in the work folder (``--no-bytecode``: every start compiles
  the project's sources, as a checkout with ``PYTHONDONTWRITEBYTECODE=1`` does);
* RSS and PSS of two plain processes that each open the index and screen 200 names;
* identical results: the 826 labelled pairs of ``bench_same.py`` (``compare_names``, which
  no index changes) and its 20,000-query mix (``bench_speed``'s generator, seed 7): the top
  5 of a matcher built from the store and of the persisted one opened, compared on entity,
  score, party and explanation text. ``--save-same FILE`` also persists and opens
  ``bench_same.py``'s own matcher (built from the parsed files: no store, no links) and
  writes its answers in ``bench_same.py``'s format, so that ``bench_same.py --compare FILE``
  compares them with that matcher built in memory.

``--synthetic N`` repeats the timings on N synthetic FtM entities (``bench/synth_ftm.py``,
seed 7), loaded with ``discreet load`` into a store of their own.

Run from the project root: ``.venv/bin/python bench/bench_persist.py [--workdir DIR]
[--synthetic N] [--skip-same] [--save-same FILE] [--no-bytecode] [--json]``, or for the API
start alone, this checkout and another side by side: ``--api-only [--baseline SRC]
[--runs N]``; opening a store's index alone: ``--open DB [--baseline SRC] [--runs N]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from common import FULL_LISTS, LISTS, ROOT, Report, markdown_table, median, require
from discreet.match import Matcher
from discreet.match.persist import ENV_DIR, ENV_MODE, index_key, index_root, load, save
from discreet.store import Store

NAME = "Vladimir Vladimirovich PUTIN"
RUNS = 5
MEMORY_RUNS = 2  # building in memory takes tens of seconds a run
API_RUNS = 3
SCREENED = 200  # names each memory-measuring process screens before it is measured

_OPENER = """
import json, resource, sys, time
from discreet.match import Query
from discreet.match.persist import index_root, open_matcher
from discreet.store import Store
started, cpu = time.perf_counter(), time.process_time()
with Store.open(sys.argv[1]) as store:
    matcher = open_matcher(store)
    root = index_root(store)
opened, opened_cpu = time.perf_counter() - started, time.process_time() - cpu
started = time.perf_counter()
matcher.match(Query(sys.argv[2]))
print(json.dumps({"open_s": opened, "open_cpu_s": opened_cpu,
                  "first_query_s": time.perf_counter() - started,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_HOLDER = """
import json, sys, time
from discreet.match import Query
from discreet.match.persist import open_matcher
from discreet.store import Store
started = time.perf_counter()
with Store.open(sys.argv[1]) as store:
    matcher = open_matcher(store)
opened = time.perf_counter() - started
for entity in list(matcher.entities)[:int(sys.argv[2])]:
    matcher.match(Query(entity.names[0].value if entity.names else "x"))
print(json.dumps({"open_s": opened}), flush=True)
sys.stdin.read()
"""


SRC = [ROOT / "src"]  # the discreet the subprocesses run (--baseline: another checkout's)
PYCACHE: list[Path | None] = [None]  # bytecode folder (one per checkout); None: not written
_BYTECODE = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in (ENV_DIR, ENV_MODE, *_BYTECODE)}
    out["PYTHONPATH"] = os.pathsep.join([str(SRC[0]), out.get("PYTHONPATH", "")])
    if PYCACHE[0] is None:
        out["PYTHONDONTWRITEBYTECODE"] = "1"
    else:  # each checkout its own .pyc files (the same paths would otherwise share them)
        out["PYTHONPYCACHEPREFIX"] = str(PYCACHE[0] / hashlib.sha256(
            str(SRC[0]).encode()).hexdigest()[:12])
    return {**out, **extra}


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes have used (``/proc/PID/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def load_lists(db: Path) -> float:
    """The full fixture lists loaded with ``discreet load`` (which writes the index)."""
    paths = [str(require(LISTS / rel)) for rel in FULL_LISTS]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "discreet", "--db", str(db), "load", *paths],
                   check=True, env=env(), stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def memory(pid: int) -> dict[str, float]:
    """Rss and Pss of a process in MiB (smaps_rollup)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        field, _, rest = line.partition(":")
        if field in {"Rss", "Pss"}:
            out[field.lower() + "_mb"] = round(int(rest.split()[0]) / 1024, 1)
    return out


def build_and_open(db: Path, report: Report, label: str) -> tuple[Matcher, Matcher]:
    with Store.open(db) as store:
        root = index_root(store)
        key = index_key(store)
        started = time.perf_counter()
        built = Matcher.from_store(store)
        build_s = time.perf_counter() - started
    assert root is not None
    scratch = root.with_name(root.name + ".bench")
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    folder = save(built, scratch / key, key)
    save_s = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.iterdir())
    opens = []
    loaded = built
    for _ in range(3):
        started = time.perf_counter()
        loaded = load(folder, key)
        opens.append(time.perf_counter() - started)
    fresh = subprocess.run([sys.executable, "-c", _HOLDER, str(db), "0"], input="",
                           capture_output=True, text=True, env=env(), check=True)
    fresh_open = json.loads(fresh.stdout)["open_s"]
    rows = [["entities / names", f"{len(built)} / {len(built.names)}"],
            ["build (Matcher.from_store)", f"{build_s:.2f} s"],
            ["write (persist.save)", f"{save_s:.2f} s"],
            ["files", f"{len(list(folder.iterdir()))} files, {size / 2**20:.1f} MiB"],
            ["open in this process (persist.load, median of 3)", f"{median(opens):.3f} s"],
            ["open in a fresh process (open_matcher: key + load)", f"{fresh_open:.3f} s"]]
    report.section(f"{label}: build vs open", markdown_table(["measure", "value"], rows))
    report.add(f"{label}_build", {"entities": len(built), "names": len(built.names),
                                  "build_s": build_s, "save_s": save_s, "bytes": size,
                                  "open_s": median(opens), "fresh_open_s": fresh_open})
    shutil.rmtree(scratch, ignore_errors=True)
    return built, loaded


def cli_times(db: Path, report: Report, label: str) -> None:
    cpu: list[float] = []

    def run(**extra: str) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "discreet", "--db", str(db), "match", NAME],
                       check=True, env=env(**extra), stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if not extra:
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return seconds

    run()  # the index written, the files in the page cache (as after `discreet load`)
    persisted = [run() for _ in range(RUNS)]
    in_memory = [run(**{ENV_MODE: "memory"}) for _ in range(MEMORY_RUNS)]
    imports = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import discreet.cli"], check=True, env=env())
        imports.append(time.perf_counter() - started)
    rows = [[f"discreet match {NAME!r}, persisted index", f"{median(persisted):.2f} s",
             ", ".join(f"{t:.2f}" for t in persisted)],
            ["the same: CPU seconds (user + system) of the process",
             f"{median(cpu):.2f} s", ", ".join(f"{t:.2f}" for t in cpu)],
            [f"discreet match {NAME!r}, built in memory ({ENV_MODE}=memory)",
             f"{median(in_memory):.2f} s", ", ".join(f"{t:.2f}" for t in in_memory)],
            ["of which: python -c 'import discreet.cli'", f"{median(imports):.2f} s",
             ", ".join(f"{t:.2f}" for t in imports)]]
    report.section(f"{label}: `discreet match` end to end (median of {RUNS})",
                   markdown_table(["command", "median", "runs"], rows))
    report.add(f"{label}_cli", {"persisted_s": persisted, "memory_s": in_memory,
                                "import_s": imports})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_until_ready(db: Path, workers: int, **extra: str,
                      ) -> tuple[float, subprocess.Popen[bytes], int]:
    """Start ``discreet serve``; the seconds until ``/readyz`` answered 200, the process and
    its port."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "discreet", "--db", str(db), "serve",
                             "--no-auth", "--port", str(port), "--workers", str(workers)],
                            env=env(**extra), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = started + 600
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - started, proc, port
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None:
            raise SystemExit("discreet serve exited before it was ready")
        time.sleep(0.02)
    raise SystemExit("discreet serve was not ready in 600 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def tree(pid: int) -> list[int]:
    """The process and its descendants."""
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += tree(int(child))
    return found


def api_times(db: Path, report: Report, label: str) -> None:
    rows = []
    data: dict[str, Any] = {}
    for mode, extra in (("persisted", {}), ("in memory", {ENV_MODE: "memory"})):
        times = []
        for _ in range(API_RUNS if mode == "persisted" else 1):  # in memory: minutes each
            seconds, proc, _ = serve_until_ready(db, 1, **extra)
            stop(proc)
            times.append(seconds)
        rows.append([f"discreet serve --no-auth, 1 worker, {mode}", f"{median(times):.2f} s",
                     ", ".join(f"{t:.2f}" for t in times), ""])
        data[f"ready_1_{mode}"] = times
        seconds, proc, port = serve_until_ready(db, 2, **extra)
        try:
            answered, deadline = 0, time.perf_counter() + 600
            while answered < 20 and time.perf_counter() < deadline:  # both workers ready
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz",
                                                timeout=30):
                        answered += 1
                except (urllib.error.URLError, OSError):  # 503: a worker still loading
                    answered = 0
                    time.sleep(0.1)
            time.sleep(3)
            procs = {pid: memory(pid) for pid in tree(proc.pid)}
        finally:
            stop(proc)  # never left running, whatever failed
        pss = sum(m.get("pss_mb", 0.0) for m in procs.values())
        rss = sum(m.get("rss_mb", 0.0) for m in procs.values())
        rows.append([f"discreet serve --no-auth --workers 2, {mode}", f"{seconds:.2f} s", "",
                     f"{len(procs)} processes: PSS {pss:.0f} MiB, RSS {rss:.0f} MiB"])
        data[f"workers_2_{mode}"] = {"ready_s": seconds, "pss_mb": pss, "rss_mb": rss,
                                     "processes": procs}
    report.section(f"{label}: API start to ready (/readyz 200)",
                   markdown_table(["command", "median", "runs", "memory"], rows))
    report.add(f"{label}_api", data)


def api_ready(db: Path, report: Report, baseline: Path | None, runs: int) -> None:
    """``discreet serve`` start to ready with the persisted index, 1 and 2 workers, this
    checkout and (``--baseline``) another one, interleaved run by run; PSS of 2 workers."""
    kinds = [("this checkout", ROOT / "src")] + ([("baseline", baseline)] if baseline else [])
    for _, src in kinds:  # the index written, its files in the page cache, bytecode written
        SRC[0] = src
        try:
            stop(serve_until_ready(db, 1)[1])
        finally:
            SRC[0] = ROOT / "src"
    times: dict[str, dict[int, list[float]]] = {k: {1: [], 2: []} for k, _ in kinds}
    cpu: dict[str, list[float]] = {k: [] for k, _ in kinds}
    pss: dict[str, list[float]] = {k: [] for k, _ in kinds}
    loads = [os.getloadavg()[0]]
    for _ in range(runs):
        for kind, src in kinds:
            SRC[0] = src
            try:
                seconds, proc, _ = serve_until_ready(db, 1)
                cpu[kind].append(cpu_seconds(tree(proc.pid)))  # idle once ready
                stop(proc)
                times[kind][1].append(seconds)
                seconds, proc, port = serve_until_ready(db, 2)
                try:
                    both_ready(port)
                    time.sleep(3)
                    pss[kind].append(sum(memory(pid).get("pss_mb", 0.0)
                                         for pid in tree(proc.pid)))
                finally:
                    stop(proc)
                times[kind][2].append(seconds)
            finally:
                SRC[0] = ROOT / "src"
        loads.append(os.getloadavg()[0])
    rows: list[list[str]] = []
    for kind, _ in kinds:
        for workers in (1, 2):
            got = times[kind][workers]
            rows.append([kind, f"{workers}", f"{median(got):.2f} s",
                         ", ".join(f"{t:.2f}" for t in got),
                         f"{median(cpu[kind]):.2f} s" if workers == 1 else "",
                         f"{median(pss[kind]):.0f} MiB" if workers == 2 else ""])
    bytecode = "no bytecode" if PYCACHE[0] is None else "bytecode written once"
    report.section(f"API start to ready (/readyz 200), persisted index, median of {runs}, "
                   f"{bytecode} (load average {min(loads):.2f}-{max(loads):.2f})",
                   markdown_table(["code", "workers", "median", "runs", "CPU to ready",
                                   "PSS total"], rows))
    report.add("api_ready", {"times": times, "cpu_s": cpu, "pss_mb": pss, "load": loads,
                             "bytecode": PYCACHE[0] is not None})


def open_times(db: Path, report: Report, baseline: Path | None, runs: int) -> None:
    """Opening ``db``'s persisted index in a fresh process (the store's key read, files
    checked, arrays mapped, the pickle read) and one query, this checkout and (``--baseline``)
    another one, interleaved; the first run of each (not counted) builds its index if
    missing and records the files' stamps."""
    kinds = [("this checkout", ROOT / "src")] + ([("baseline", baseline)] if baseline else [])
    got: dict[str, list[dict[str, float]]] = {k: [] for k, _ in kinds}
    loads = [os.getloadavg()[0]]
    for run in range(runs + 1):
        for kind, src in kinds:
            SRC[0] = src
            try:
                out = subprocess.run([sys.executable, "-c", _OPENER, str(db), NAME],
                                     check=True, env=env(), capture_output=True, text=True)
            finally:
                SRC[0] = ROOT / "src"
            if run:
                got[kind].append(json.loads(out.stdout))
        loads.append(os.getloadavg()[0])
    rows = [[kind, *(f"{median([r[field] for r in got[kind]]):.2f}" for field in
                     ("open_s", "open_cpu_s", "first_query_s")),
             f"{median([r['rss_mb'] for r in got[kind]]):.0f} MiB"] for kind, _ in kinds]
    report.section(f"Opening the persisted index of {db.name} in a fresh process, median of "
                   f"{runs} (load average {min(loads):.2f}-{max(loads):.2f})",
                   markdown_table(["code", "open (s)", "open CPU (s)", "first query (s)",
                                   "peak RSS"], rows))
    report.add("open", {"runs": got, "load": loads})


def both_ready(port: int) -> None:
    """Until 20 /readyz in a row answer 200 (both workers have their index)."""
    answered, deadline = 0, time.perf_counter() + 600
    while answered < 20 and time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30):
                answered += 1
        except (urllib.error.URLError, OSError):  # 503: a worker still loading
            answered = 0
            time.sleep(0.1)


def two_processes(db: Path, report: Report, label: str) -> None:
    rows = []
    data = {}
    for mode, extra in (("persisted", {}), ("in memory", {ENV_MODE: "memory"})):
        procs = [subprocess.Popen([sys.executable, "-c", _HOLDER, str(db), str(SCREENED)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  env=env(**extra)) for _ in range(2)]
        opened = []
        for proc in procs:
            assert proc.stdout is not None
            opened.append(json.loads(proc.stdout.readline())["open_s"])
        measured = [memory(proc.pid) for proc in procs]
        for proc in procs:
            proc.communicate("")
        rows.append([mode, *(f"{m['rss_mb']:.0f} / {m['pss_mb']:.0f}" for m in measured),
                     f"{sum(m['pss_mb'] for m in measured):.0f}",
                     ", ".join(f"{t:.2f}" for t in opened)])
        data[mode] = {"memory": measured, "open_s": opened}
    report.section(f"{label}: two processes with the index open, after {SCREENED} names "
                   "each (MiB)", markdown_table(
                       ["index", "process 1 RSS / PSS", "process 2 RSS / PSS", "PSS total",
                        "open or build (s)"], rows))
    report.add(f"{label}_two_processes", data)


def same_results(built: Matcher, loaded: Matcher, report: Report,
                 save_same: Path | None) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_names import load_cases
    from bench_same import DIGITS, LIMIT, QUERIES, Run, provenance
    from bench_speed import SEED, make_queries
    from common import load_entities
    from discreet.match import DEFAULT_THRESHOLD, compare_names

    pairs = [(c.name1, c.name2, c.schema,
              round(compare_names(c.name1, c.name2, c.schema or None), DIGITS))
             for c in load_cases()]
    entities = load_entities(FULL_LISTS)
    differ = 0
    alerted = 0
    answers = []
    started = time.perf_counter()
    for kind, query in make_queries(entities, QUERIES, SEED):
        a = built.match(query, limit=LIMIT)
        b = loaded.match(query, limit=LIMIT)
        left = [(r.entity.id, r.score, r.party, r.explanation.to_text()) for r in a]
        right = [(r.entity.id, r.score, r.party, r.explanation.to_text()) for r in b]
        differ += left != right
        alerted += bool(b)
        answers.append((kind, query.name, query.schema or "",
                        [(r.entity.id, round(r.score, DIGITS)) for r in b]))
    seconds = time.perf_counter() - started
    rows: list[list[Any]] = [["name pairs (compare_names, no index)", len(pairs), "-"],
            [f"queries: top {LIMIT} identical (entity, score, party, explanation)",
             f"{len(answers) - differ} / {len(answers)}", f"{alerted} with a result"]]
    report.section("Identical results: built from the store vs the persisted index opened",
                   markdown_table(["compared", "identical", "detail"], rows))
    report.add("same", {"queries": len(answers), "differ": differ, "alerted": alerted,
                        "seconds": seconds})
    if save_same is not None:
        # bench_same.py's own matcher (built from the parsed files: no links, no store),
        # persisted and opened: its answers, for bench_same.py --compare
        with tempfile.TemporaryDirectory() as scratch:
            persisted = load(save(Matcher.from_entities(entities), Path(scratch) / "index"))
            answers = [(kind, query.name, query.schema or "",
                        [(r.entity.id, round(r.score, DIGITS))
                         for r in persisted.match(query, limit=LIMIT)])
                       for kind, query in make_queries(entities, QUERIES, SEED)]
            del persisted
        meta = {**provenance(), "threshold": DEFAULT_THRESHOLD,
                "default_threshold": DEFAULT_THRESHOLD, "limit": LIMIT, "seed": SEED,
                "lists": list(FULL_LISTS), "entities": len(entities),
                "seconds": round(seconds, 1), "matcher": "persisted index (bench_persist.py)"}
        save_same.write_text(json.dumps(Run(meta, pairs, answers).to_json()), encoding="utf-8")
        report.note(f"Saved the persisted index's answers to {save_same}: run "
                    f"`.venv/bin/python bench/bench_same.py --compare {save_same}`.")


def synthetic(count: int, work: Path, report: Report) -> None:
    data = work / f"synth_{count}.ftm.json"
    if not data.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth_ftm.py"), "--entities",
                        str(count), "--seed", "7", "--out", str(data)], check=True, env=env())
    db = work / f"synth_{count}.db"
    for path in work.glob(f"synth_{count}.db*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "discreet", "--db", str(db), "load", str(data),
                    "--source", "synthetic"], check=True, env=env(), stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    label = f"{count:,} synthetic entities"
    report.section(f"{label}: import", markdown_table(["measure", "value"], [
        ["discreet load (parse, store, build and write the index)", f"{seconds:.1f} s"]]))
    report.add("synthetic_load_s", seconds)
    build_and_open(db, report, label)
    cli_times(db, report, label)
    api_times(db, report, label)
    two_processes(db, report, label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="Keep the stores here (default: temp).")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--skip-same", action="store_true")
    parser.add_argument("--save-same", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--api-only", action="store_true",
                        help="Only API start to ready (1 and 2 workers) and PSS.")
    parser.add_argument("--baseline", type=Path, metavar="SRC",
                        help="With --api-only: another checkout's src folder, run interleaved.")
    parser.add_argument("--runs", type=int, default=API_RUNS)
    parser.add_argument("--open", type=Path, metavar="DB",
                        help="Only: open DB's persisted index in fresh processes (with "
                             "--baseline: side by side).")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="Write no .pyc files: every process compiles the sources.")
    args = parser.parse_args()
    report = Report("Persisted index", args.json)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_persist-"))
    work.mkdir(parents=True, exist_ok=True)
    PYCACHE[0] = None if args.no_bytecode else work / "pycache"
    if args.open:
        open_times(args.open, report, args.baseline, args.runs)
        report.finish()
        return
    db = work / "full.db"
    if not db.exists():
        seconds = load_lists(db)
        report.section("Full fixture lists: import", markdown_table(["measure", "value"], [
            ["discreet load (5 lists: parse, store, links, build and write the index)",
             f"{seconds:.1f} s"]]))
        report.add("load_s", seconds)
    if args.api_only:
        api_ready(db, report, args.baseline, args.runs)
        report.finish()
        return
    label = "Full fixture lists"
    built, loaded = build_and_open(db, report, label)
    cli_times(db, report, label)
    api_times(db, report, label)
    two_processes(db, report, label)
    if not args.skip_same:
        same_results(built, loaded, report, args.save_same)
    del built, loaded
    if args.synthetic:
        synthetic(args.synthetic, work, report)
    report.finish()
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
