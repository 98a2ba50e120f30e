"""What the tamper-evident audit costs the screening API, and that it loses no record.

Scenario: ``discreet serve`` (uvicorn, ``--workers`` processes) over a SQLite store with the
OFAC SDN CSV of 2024-05-03 (14,965 entities); 16 keep-alive clients send ``POST
/match/us_ofac_sdn`` (bench_api.py's mix of listed names with a typo and Faker names) for
``--duration`` seconds after a 3 s warm-up. Rounds alternate audit off and on, each on a
fresh server; with the audit on, the server is stopped (SIGTERM) after the round and the
records of the round are counted in the store's hash chain: answered requests must equal
records written (zero dropped), no answer may be a 5xx (non-200 answers are counted by
status code), and the chain must verify. Reports each round and the medians, and the
ratio on/off of the median throughputs; exits non-zero on a 5xx or a dropped record.

Run from the project root: ``.venv/bin/python bench/bench_audit.py [--rounds 3] [--json]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_api import FIRST, free_port, prepare, request_bytes, run_load, summary, wait_ready
from common import machine_info
from discreet.store import Store


def start(url: str, port: int, workers: int, audit: bool,
          fsync: str = "batch") -> subprocess.Popen[bytes]:
    settings = {"db": url, "host": "127.0.0.1", "poll_seconds": 1.0, "audit": audit,
                "audit_fsync": fsync}
    env = dict(os.environ, DISCREET_API_SETTINGS=json.dumps(settings))
    cmd = [sys.executable, "-m", "uvicorn", "discreet.api.app:app_from_env", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning", "--no-access-log", "--http", "h11"]
    return subprocess.Popen(cmd, env=env)


def audited(url: str) -> int:
    with Store.open(url) as store:
        return int(store.db.query("SELECT COUNT(*) FROM audit_log WHERE kind = 'api'")[0][0])


def one_round(url: str, key: str, names: list[str], audit: bool,
              args: argparse.Namespace) -> dict[str, Any]:
    before = audited(url)
    port = free_port()
    server = start(url, port, args.workers, audit, args.audit_fsync)
    try:
        wait_ready(port, key, timeout=900)
        requests = [request_bytes(port, key, n) for n in names]
        warm = asyncio.run(run_load(port, requests, args.clients, 3.0))
        result = asyncio.run(run_load(port, requests, args.clients, args.duration))
    finally:
        server.terminate()
        server.wait(timeout=120)
    row: dict[str, Any] = {"audit": "on" if audit else "off", **summary(result)}
    answered = len(warm["latencies"]) + len(result["latencies"])
    row["answered"] = answered
    row["errors"] = warm["errors"] + result["errors"]  # non-200 answers and socket errors
    codes: dict[int, int] = {}
    for part in (warm, result):
        for status, count in part.get("non_200", {}).items():
            codes[status] = codes.get(status, 0) + count
    row["non_200"] = {str(status): codes[status] for status in sorted(codes)}
    row["server_errors"] = sum(c for status, c in codes.items() if status >= 500)
    written = audited(url) - before
    row["audit_records"] = written
    row["dropped"] = answered - written if audit else None
    return row


def run(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"machine": machine_info(), "workers": args.workers,
                              "audit_fsync": args.audit_fsync,
                              "clients": args.clients, "duration_s": args.duration,
                              "rounds": []}
    with tempfile.TemporaryDirectory() as folder:
        url, key, names = prepare(Path(folder))
        for _ in range(args.rounds):
            for audit in (False, True):
                row = one_round(url, key, names, audit, args)
                report["rounds"].append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
        with Store.open(url) as store:
            verdict = store.verify_audit()
        report["chain"] = verdict.line()
    for mode in ("off", "on"):
        rows = [r for r in report["rounds"] if r["audit"] == mode]
        report[f"median_{mode}"] = {
            "requests_per_s": statistics.median(r["requests_per_s"] for r in rows),
            "p50_ms": statistics.median(r["p50_ms"] for r in rows),
            "p99_ms": statistics.median(r["p99_ms"] for r in rows)}
    report["ratio_on_off"] = round(report["median_on"]["requests_per_s"]
                                   / report["median_off"]["requests_per_s"], 3)
    report["dropped_total"] = sum(r["dropped"] or 0 for r in report["rounds"])
    report["server_errors_total"] = sum(r["server_errors"] for r in report["rounds"])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--audit-fsync", choices=("none", "batch", "always"),
                        default="batch", help="The audit journal's fsync policy (serve's "
                        "--audit-fsync).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not FIRST.exists():
        raise SystemExit(f"missing {FIRST} (the shared list fixtures)")
    started = time.monotonic()
    report = run(args)
    report["wall_s"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"command: {report['machine']['command']}")
    print(f"machine: {report['machine']['nproc']} cores, {report['machine']['cpu']}, "
          f"load at start {report['machine']['loadavg_1m_at_start']}")
    print("| round | audit | requests/s | p50 ms | p99 ms | answered | audit records | "
          "dropped | non-200 answers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(report["rounds"], 1):
        codes = ", ".join(f"{c}x {s}" for s, c in r["non_200"].items()) or "none"
        print(f"| {(i + 1) // 2} | {r['audit']} | {r['requests_per_s']} | {r['p50_ms']} | "
              f"{r['p99_ms']} | {r['answered']} | {r['audit_records']} | "
              f"{'-' if r['dropped'] is None else r['dropped']} | {codes} |")
    for mode in ("off", "on"):
        m = report[f"median_{mode}"]
        print(f"median audit {mode}: {m['requests_per_s']} requests/s, p50 {m['p50_ms']} ms, "
              f"p99 {m['p99_ms']} ms")
    print(f"ratio on/off (median requests/s): {report['ratio_on_off']}; dropped in total: "
          f"{report['dropped_total']}; 5xx answers: {report['server_errors_total']}; "
          f"chain: {report['chain']}")
    if report["server_errors_total"] or report["dropped_total"]:
        raise SystemExit("FAILED: 5xx answers or dropped audit records (see above)")


if __name__ == "__main__":
    main()
