"""Load benchmark with faults: list updates and a killed load while 16 clients screen.

Scenario: the real ``discreet serve`` (``--workers`` processes, audit log on, default poll
interval) holds the OFAC SDN CSV of 2024-05-03 (14,965 entities) in a SQLite store. A load
generator in this process (asyncio, raw HTTP/1.1 keep-alive, ``--clients`` connections; the
same request mix as bench_api.py) sends ``POST /match/us_ofac_sdn`` with one query each; every
fifth request of each connection screens EMPEROR AVIATION LTD, which only the 2024-05-02
file lists, so each connection tells which version its worker serves. While the load runs:

1. ``discreet load sdn_2024-05-02.csv`` is started and killed with SIGKILL mid-load: the
   active version must not change, and no request may fail;
2. ``discreet load sdn_2024-05-02.csv`` runs to the end (version 2, 8 entities more);
3. ``discreet load sdn_2024-05-03.csv`` runs to the end (version 3, the 8 gone again).

For each completed load it reports the seconds from the load's commit (the command's exit)
until every connection's answers come from the new version, i.e. until every worker serves
it, beside the stated bound: the poll interval plus twice the index build the server logged
at start (docs/api.md); the run fails when a swap is later than that. At the end:
requests/s and p50/p99 over the whole run, failed requests (non-200 answers and socket
errors), and audit records lost (requests sent with the benchmark's key minus records the
audit log holds for it, once the writer has caught up); the run fails unless both are 0.

Run from the project root: ``.venv/bin/python bench/bench_faults.py --workers 1 2``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_api import free_port, make_names, request_bytes
from common import LISTS, Report, markdown_table, median, percentile, require
from discreet.lists.load import load_file
from discreet.store import Store
from discreet.store.apikeys import create_key

FIRST = LISTS / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-03.csv"
SECOND = LISTS / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-02.csv"
PROBE = "EMPEROR AVIATION LTD"  # ofac-38556: in the 2024-05-02 file only
PROBE_ID = b'"ofac-38556"'
PROBE_EVERY = 5
POLL_SECONDS = 1.0  # discreet serve's default --poll-every


def prepare(folder: Path) -> tuple[str, str, str, list[str]]:
    url = str(folder / "faults.db")
    with Store.open(url) as store:
        load_file(store, require(FIRST), source="us_ofac_sdn")
        record, key = create_key(store.db, "bench", ("screen",), rate_limit=10**9)
        names = make_names(store, 2000)
    return url, record.id, key, names


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "discreet", "--db", url, "serve", "--port", str(port),
           "--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(port: int, key: str, workers: int, timeout: float = 180) -> None:
    """Until ``/readyz`` answers 200 on 20 fresh connections in a row (every worker)."""
    import httpx

    deadline, streak = time.monotonic() + timeout, 0
    while streak < 10 * workers:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not become ready")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/readyz",
                          headers={"Authorization": f"ApiKey {key}"})
            streak = streak + 1 if r.status_code == 200 else 0
        except httpx.TransportError:
            streak = 0
        if not streak:
            time.sleep(0.3)


def loader(url: str, path: Path) -> subprocess.Popen[bytes]:
    """``discreet load`` in its own process, as an operator or cron job would run it."""
    return subprocess.Popen([sys.executable, "-m", "discreet", "--db", url, "load", str(path),
                             "--source", "us_ofac_sdn", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def active_version(url: str) -> int:
    with Store.open(url) as store:
        return next(v.version for v in store.active() if v.source == "us_ofac_sdn")


class Load:
    """The load generator's shared state: latencies, failures, and what each connection
    last saw (True: the probe entity was in the answer)."""

    def __init__(self, clients: int) -> None:
        self.latencies: list[float] = []
        self.failures = 0
        self.sent = 0
        self.stop = False
        self.sees_probe: list[bool | None] = [None] * clients
        self.seen_at: list[float] = [0.0] * clients


async def client(n: int, port: int, requests: list[bytes], probe: bytes,
                 load: Load) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = n * 97
    while not load.stop:
        is_probe = i % PROBE_EVERY == 0
        data = probe if is_probe else requests[i % len(requests)]
        started = time.perf_counter()
        try:
            writer.write(data)
            load.sent += 1
            status, body = await read_full(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            load.failures += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        load.latencies.append(time.perf_counter() - started)
        if status != 200:
            load.failures += 1
        elif is_probe:
            sees = PROBE_ID in body
            if sees != load.sees_probe[n]:
                load.sees_probe[n], load.seen_at[n] = sees, time.perf_counter()
        i += 1
    writer.close()


async def read_full(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(h.split(":", 1)[1]) for h in lines
                  if h.lower().startswith("content-length:"))
    return int(lines[0].split()[1]), await reader.readexactly(length)


async def until_all_see(load: Load, expect: bool, since: float, limit: float) -> float:
    """Seconds from ``since`` until every connection's last probe answer is ``expect``."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if all(s is expect for s in load.sees_probe):
            return max(load.seen_at) - since
        await asyncio.sleep(0.05)
    return float("nan")


async def scenario(url: str, port: int, requests: list[bytes], probe: bytes,
                   args: argparse.Namespace, bound: float) -> dict[str, Any]:
    load = Load(args.clients)
    tasks = [asyncio.create_task(client(n, port, requests, probe, load))
             for n in range(args.clients)]
    started = time.perf_counter()
    events: list[dict[str, Any]] = []
    await asyncio.sleep(args.warmup)
    # 1. a load killed mid-way
    victim = loader(url, SECOND)
    await asyncio.sleep(args.kill_after)
    still_running = victim.poll() is None
    victim.send_signal(signal.SIGKILL)
    await asyncio.to_thread(victim.wait)
    await asyncio.sleep(args.settle)
    events.append({"event": f"load killed (SIGKILL) after {args.kill_after:g} s",
                   "killed_mid_load": still_running,
                   "active_version_after": await asyncio.to_thread(active_version, url),
                   "swap_s": None})
    # 2. and 3. two complete loads; the time until every connection sees each
    for path, expect in ((SECOND, True), (FIRST, False)):
        proc = loader(url, path)
        out, err = await asyncio.to_thread(proc.communicate)
        committed = time.perf_counter()
        if proc.returncode != 0:
            raise SystemExit(f"discreet load failed: {err.decode()[-500:]}")
        version = json.loads(out)["version"]
        swap = await until_all_see(load, expect, committed, max(120.0, bound * 3))
        events.append({"event": f"load {path.name} -> version {version}",
                       "killed_mid_load": False, "active_version_after": version,
                       "swap_s": round(swap, 1)})
        await asyncio.sleep(args.settle)
    load.stop = True
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - started
    lat = sorted(load.latencies)
    return {"events": events, "seconds": round(seconds, 1), "requests": len(lat),
            "sent": load.sent, "requests_per_s": round(len(lat) / seconds, 1),
            "p50_ms": round(percentile(lat, 50) * 1000, 1),
            "p99_ms": round(percentile(lat, 99) * 1000, 1), "failed": load.failures}


def audit_count(url: str, key_id: str) -> int:
    with Store.open(url) as store:
        rows = store.db.query("SELECT COUNT(*) FROM audit_log WHERE key_id = ?", (key_id,))
    return int(str(rows[0][0]))


def wait_audit(url: str, key_id: str, sent: int, timeout: float = 60) -> int:
    """The key's audit records once they reach ``sent`` or stop growing for 5 s."""
    deadline, last, still = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        count = audit_count(url, key_id)
        if count >= sent:
            return count
        if count != last:
            last, still = count, time.monotonic()
        elif time.monotonic() - still > 5:
            return count
        time.sleep(0.5)
    return audit_count(url, key_id)


def start_build_seconds(log: Path) -> float:
    """The longest first index build the workers logged (before any request)."""
    found = [float(m.group(1)) for m in re.finditer(
        r"index 1 ready: .* \(built in ([\d.]+) s", log.read_text())]
    if not found:
        raise SystemExit(f"no index build in the server log {log}")
    return max(found)


def run(workers: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url, key_id, key, names = prepare(Path(folder))
        port = free_port()
        log = Path(args.log_dir or folder) / f"server-{workers}.log"
        server = start_server(url, port, workers, log)
        try:
            wait_ready(port, key, workers)
            requests = [request_bytes(port, key, n) for n in names]
            probe = request_bytes(port, key, PROBE)
            build = start_build_seconds(log)
            bound = POLL_SECONDS + 2 * build  # docs/api.md, "How soon a new version is served"
            result = asyncio.run(scenario(url, port, requests, probe, args, bound))
            result["start_build_s"], result["bound_s"] = build, round(bound, 1)
            result["audit_records"] = wait_audit(url, key_id, result["sent"])
            result["audit_lost"] = result["sent"] - result["audit_records"]
            result["index_log"] = [line.split("discreet.api", 1)[-1].strip(" :") for line in
                                   log.read_text().splitlines()
                                   if "index " in line and " ready" in line]
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    result["workers"] = workers
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--kill-after", type=float, default=2.0,
                        help="seconds into the first load before SIGKILL")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds of load after each event")
    parser.add_argument("--log-dir", help="keep the server's log here (default: discarded)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    require(FIRST)
    require(SECOND)
    report = Report("API load with faults: list loads and a killed load under 16 clients",
                    args.json)
    runs = [run(w, args) for w in args.workers]
    report.add("runs", runs)
    rows = []
    for r in runs:
        swaps = [e["swap_s"] for e in r["events"] if e["swap_s"] is not None]
        rows.append([r["workers"], r["requests"], r["requests_per_s"], r["p50_ms"],
                     r["p99_ms"], r["failed"], r["sent"], r["audit_records"], r["audit_lost"],
                     " / ".join(f"{s:g}" for s in swaps), median(swaps), r["start_build_s"],
                     r["bound_s"]])
    report.section("Totals", markdown_table(
        ["workers", "requests", "requests/s", "p50 ms", "p99 ms", "failed", "sent",
         "audit rows", "audit lost", "new version served after (s)", "median (s)",
         "start-up build (s)", "bound (s)"], rows))
    for r in runs:
        report.section(f"Events, {r['workers']} worker(s)", markdown_table(
            ["event", "killed mid-load", "active version after", "every worker serves it "
             "after (s)"],
            [[e["event"], e["killed_mid_load"], e["active_version_after"],
              "" if e["swap_s"] is None else e["swap_s"]] for e in r["events"]]))
    for r in runs:
        report.note(f"Index builds, {r['workers']} worker(s) (server log):\n\n" +
                    "\n".join(f"    {line}" for line in r["index_log"]) + "\n")
    report.finish()
    late = [e for r in runs for e in r["events"]
            if e["swap_s"] is not None and not e["swap_s"] <= r["bound_s"]]
    if any(r["failed"] or r["audit_lost"] for r in runs) or late:
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
