"""Load benchmark of the screening API on loopback, steady and with a list update mid-run.

Scenario: ``discreet serve`` (uvicorn, ``--workers`` processes, audit log on) holds the OFAC
SDN CSV of 2024-05-03 (14,965 entities) in a SQLite store. A load generator in this process
(asyncio, raw HTTP/1.1 keep-alive, ``--clients`` concurrent connections, no client library
overhead) sends ``POST /match/us_ofac_sdn`` with one query each: a fixed mix of list names
with one typo (40%) and clean Faker names in 8 locales (60%), 2,000 names cycled. After a
5 s warmup it runs ``--duration`` seconds and reports requests/s, p50, p99 and errors, and
how long ``GET /healthz`` (polled every 50 ms on a connection of its own) waited meanwhile.
Beside it, the in-process matcher's speed on the same names (one thread, no HTTP).
The second run loads the SDN CSV of 2024-05-02 into the store half-way through (a separate
process, as ``discreet load`` would): every worker rebuilds its index in the background
and swaps it; the run counts failed requests (any non-200 or socket error) through it.

Run from the project root: ``.venv/bin/python bench/bench_api.py [--workers 2] [--json]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from faker import Faker

from discreet.lists.load import load_file
from discreet.match import Matcher, Query
from discreet.store import Store
from discreet.store.apikeys import create_key

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "fixtures" / "lists" / "ofac_sdn_csv" / "history_jackdwyer"
FIRST, SECOND = LISTS / "sdn_2024-05-03.csv", LISTS / "sdn_2024-05-02.csv"
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "ru_RU", "ar_AA", "zh_CN"]


def typo(name: str, rng: random.Random) -> str:
    """One substitution, deletion or swap of letters inside a longer word."""
    i = rng.randrange(1, max(2, len(name) - 1))
    kind = rng.choice("sdw")
    if kind == "s":
        return name[:i] + rng.choice("aeiourn") + name[i + 1:]
    if kind == "d":
        return name[:i] + name[i + 1:]
    return name[:i - 1] + name[i] + name[i - 1] + name[i + 1:]


def make_names(store: Store, total: int) -> list[str]:
    rng = random.Random(7)
    listed = [e.caption for e in store.entities("us_ofac_sdn")]
    fakers = [Faker(loc) for loc in LOCALES]
    for i, fake in enumerate(fakers):
        fake.seed_instance(100 + i)
    names = []
    for i in range(total):
        if i % 5 < 2:
            names.append(typo(rng.choice(listed), rng))
        else:
            names.append(fakers[i % len(fakers)].name())
    return names


def prepare(folder: Path) -> tuple[str, str, list[str]]:
    url = str(folder / "bench.db")
    with Store.open(url) as store:
        load_file(store, FIRST, source="us_ofac_sdn")
        key = create_key(store.db, "bench", ("screen",), rate_limit=10**9)[1]
        names = make_names(store, 2000)
    return url, key, names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, workers: int, http: str) -> subprocess.Popen[bytes]:
    settings = {"db": url, "host": "127.0.0.1", "poll_seconds": 1.0}
    env = dict(os.environ, DISCREET_API_SETTINGS=json.dumps(settings))
    cmd = [sys.executable, "-m", "uvicorn", "discreet.api.app:app_from_env", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning", "--no-access-log", "--http", http,
           "--h11-max-incomplete-event-size", str(1 << 20)]
    return subprocess.Popen(cmd, env=env)


def request_bytes(port: int, key: str, name: str) -> bytes:
    """One request screening ``name`` (bench_faults and bench_audit send these too)."""
    return batch_bytes(port, key, [name])


def batch_bytes(port: int, key: str, names: list[str]) -> bytes:
    """One request with a query for each of ``names``."""
    body = json.dumps({"queries": {f"q{i}": {"schema": "LegalEntity",
                                             "properties": {"name": [name]}}
                                   for i, name in enumerate(names)}}).encode()
    head = (f"POST /match/us_ofac_sdn HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: ApiKey {key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(h.split(":", 1)[1]) for h in lines if h.lower().startswith(
        "content-length:"))
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def client(port: int, requests: list[bytes], offset: int, out: dict[str, Any]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    while time.perf_counter() < out["until"]:
        started = time.perf_counter()
        try:
            writer.write(requests[i % len(requests)])
            status = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, StopIteration):
            out["errors"] += 1
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        out["latencies"].append(time.perf_counter() - started)
        if status != 200:
            out["errors"] += 1
            codes = out.setdefault("non_200", {})  # status code -> answers
            codes[status] = codes.get(status, 0) + 1
        i += 1
    writer.close()


async def liveness(port: int, out: dict[str, Any]) -> None:
    """``GET /healthz`` every 50 ms while the load runs: how long each answer took."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    ask = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    while time.perf_counter() < out["until"]:
        started = time.perf_counter()
        writer.write(ask)
        if await read_response(reader) != 200:
            out["errors"] += 1
        out["healthz"].append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    writer.close()


async def run_load(port: int, requests: list[bytes], clients: int, seconds: float,
                   out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load for ``seconds`` (or until ``out["until"]``, which another task may move)."""
    out = out if out is not None else {"latencies": [], "errors": 0,
                                       "until": time.perf_counter() + seconds}
    out.setdefault("healthz", [])
    started = time.perf_counter()
    await asyncio.gather(liveness(port, out),
                         *(client(port, requests, n * 97, out) for n in range(clients)))
    out["seconds"] = time.perf_counter() - started
    return out


def summary(result: dict[str, Any]) -> dict[str, float]:
    lat = sorted(result["latencies"])
    pick = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else (
        lambda p: float("nan"))
    live = sorted(result["healthz"])
    return {"requests": len(lat), "requests_per_s": round(len(lat) / result["seconds"], 1),
            "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2),
            "errors": result["errors"],
            "healthz_p50_ms": round(live[len(live) // 2] * 1000, 2) if live else None,
            "healthz_max_ms": round(live[-1] * 1000, 2) if live else None}


def matcher_speed(url: str, names: list[str]) -> dict[str, float]:
    with Store.open(url) as store:
        matcher = Matcher.from_store(store)
    for name in names[:200]:
        matcher.match(Query(name))
    times = []
    for name in names:
        started = time.perf_counter()
        matcher.match(Query(name))
        times.append(time.perf_counter() - started)
    times.sort()
    return {"queries_per_s": round(len(times) / sum(times), 1),
            "p50_ms": round(times[len(times) // 2] * 1000, 2),
            "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 2)}


def wait_ready(port: int, key: str, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/readyz",
                          headers={"Authorization": f"ApiKey {key}"})
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not become ready")


def load_second(url: str) -> subprocess.Popen[bytes]:
    code = ("import sys; from pathlib import Path; from discreet.store import Store; "
            "from discreet.lists.load import load_file; s = Store.open(sys.argv[1]); "
            "print(load_file(s, Path(sys.argv[2]), source='us_ofac_sdn').version)")
    return subprocess.Popen([sys.executable, "-c", code, url, str(SECOND)],
                            stdout=subprocess.PIPE)


def catalog_version(port: int, key: str) -> str:
    import httpx

    data = httpx.get(f"http://127.0.0.1:{port}/catalog",
                     headers={"Authorization": f"ApiKey {key}"}).json()
    return str(next(d["version"] for d in data["datasets"] if d["name"] == "us_ofac_sdn"))


def run(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"cpus": os.cpu_count(), "workers": args.workers,
                              "clients": args.clients, "duration_s": args.duration,
                              "batch": args.batch}
    with tempfile.TemporaryDirectory() as folder:
        url, key, names = prepare(Path(folder))
        report["in_process_matcher"] = matcher_speed(url, names)
        port = free_port()
        server = start_server(url, port, args.workers, args.http)
        try:
            wait_ready(port, key)
            requests = [batch_bytes(port, key, names[i:i + args.batch])
                        for i in range(0, len(names), args.batch)]
            asyncio.run(run_load(port, requests, args.clients, 5.0))
            report["steady"] = summary(asyncio.run(run_load(port, requests, args.clients,
                                                            args.duration)))
            report["with_update"] = with_update(url, port, key, requests, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return report


def with_update(url: str, port: int, key: str, requests: list[bytes],
                args: argparse.Namespace) -> dict[str, Any]:
    """Load a new version a quarter of the way in; keep the load on until every worker
    has swapped (all of 20 /catalog answers in a row show it) and 3 s more."""
    out: dict[str, Any] = {"latencies": [], "errors": 0, "until": time.perf_counter() + 600}
    timing: dict[str, float] = {}

    async def update() -> None:
        await asyncio.sleep(args.duration / 4)
        loader = await asyncio.to_thread(load_second, url)
        await asyncio.to_thread(loader.wait)
        loaded = time.perf_counter()
        while not all([await asyncio.to_thread(catalog_version, port, key) == "2"
                       for _ in range(20)]):
            await asyncio.sleep(0.2)
        timing["swap_s"] = time.perf_counter() - loaded
        out["until"] = max(time.perf_counter() + 3, out["until"] - 600 + args.duration)

    async def both() -> dict[str, Any]:
        await asyncio.gather(run_load(port, requests, args.clients, 0, out), update())
        return out
    before = catalog_version(port, key)
    result: dict[str, Any] = summary(asyncio.run(both()))
    result["version_before"], result["version_after"] = before, catalog_version(port, key)
    result["swap_after_load_s"] = round(timing["swap_s"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--http", choices=["h11", "httptools"], default="h11",
                        help="uvicorn's HTTP parser (discreet serve uses h11)")
    parser.add_argument("--batch", type=int, default=1,
                        help="queries in one request (beyond 2 they go to the screening "
                             "threads: /healthz then shows whether the loop stays free)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for path in (FIRST, SECOND):
        if not path.exists():
            raise SystemExit(f"missing {path}: the benchmark needs ../shared")
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, args)


def print_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"# API load benchmark ({report['cpus']} CPUs, {args.workers} workers, "
          f"{args.clients} clients, {args.duration:.0f} s, uvicorn {args.http}, "
          f"{args.batch} queries a request)\n")
    print("| run | requests/s | p50 ms | p99 ms | errors | /healthz p50 / max ms |\n"
          "|---|---|---|---|---|---|")
    for label in ("steady", "with_update"):
        r = report[label]
        print(f"| {label} | {r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} | "
              f"{r['errors']} | {r['healthz_p50_ms']} / {r['healthz_max_ms']} |")
    m = report["in_process_matcher"]
    print(f"| in-process matcher, 1 thread | {m['queries_per_s']} | {m['p50_ms']} | "
          f"{m['p99_ms']} | - | - |")
    u = report["with_update"]
    print(f"\nUpdate mid-run: us_ofac_sdn version {u['version_before']} -> "
          f"{u['version_after']}; every worker served it {u['swap_after_load_s']} s after "
          "the load finished.")

if __name__ == "__main__":
    main()
