"""Server time of every main page of the web application on the fixture lists.

Scenario: a SQLite store holds the real lists the browser tests use (OFAC SDN CSV of
2024-02-20 and 2024-02-23, UN 2026-02-27, UK OFSI 2014-04-02, EU and FCDO excerpts:
about 18,000 entities, two SDN versions so a diff exists), a customer book of
``--customers`` invented customers with a few listed names planted, screened (so the
review queue has alerts), one alert decided and approved (so history exists), and one
person per role. The web app (``discreet.web.create_web_app``, what ``discreet serve``
runs) answers in process through Starlette's TestClient, signed in through the sign-in
form; each page is asked ``--warmup`` times, then ``--requests`` times, and the wall time
of each answer is kept (the app's whole handling: routing, session check, store reads,
rendering; no network). Reported: median, p95 and max per page, in ms; the issue's goal
is every page under 300 ms. The baseline, timed in the same run and the same way: the
API's JSON endpoint that reads the same thing (``baseline_pairs``), so the ratio is what a
page adds (session check, rendering) to the data it shows.

Run from the project root: ``.venv/bin/python bench/bench_web.py [--requests 30] [--json]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi.testclient import TestClient

from discreet.api import ApiSettings
from discreet.lists.load import load_file
from discreet.review import Actor, approve, decide, import_customers, screen_customers
from discreet.review.settings import load_review_settings
from discreet.store import Store
from discreet.store.apikeys import create_key
from discreet.web import create_web_app

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures" / "lists"
LISTS: tuple[tuple[str, str | None], ...] = (
    ("ofac_sdn_csv/history_jackdwyer/sdn_2024-02-20.csv", "us_ofac_sdn"),
    ("ofac_sdn_csv/history_jackdwyer/sdn_2024-02-23.csv", "us_ofac_sdn"),
    ("un/un_consolidated_2026-02-27.xml", None),
    ("uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv", None),
    ("eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml", None),
    ("uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml", None),
)
PASSWORD = "a long enough secret"
PEOPLE = {"ana": ("analyst",), "rui": ("reviewer",), "adm": ("admin",), "aud": ("auditor",)}
PLANTED = ("Vladimir Putin", "Владимир Путин", "Second Academy of Natural Sciences",
           "Korea Mining Development Trading Corporation")
SYLLABLES = ("bra", "cle", "dov", "fen", "gar", "hul", "jix", "kem", "lon", "mup", "nor",
             "pes", "quor", "rilt", "sab", "tev", "uln", "vas", "wim", "yor", "zed")
GOAL_MS = 300.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def customer_file(path: Path, rows: int) -> None:
    """Invented customers (two made-up words each) with the planted listed names."""
    rng = random.Random(15)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "birth_date", "country"])
    step = max(1, rows // len(PLANTED))
    planted = {i * step: name for i, name in enumerate(PLANTED)}
    for line in range(rows):
        if line in planted:
            name = planted[line]
        else:
            name = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)).title()
                            for _ in range(2))
        writer.writerow([f"C{line:06d}", name, f"19{rng.randrange(40, 99)}-01-15",
                         rng.choice(["FR", "DE", "PT", "RU", "JP"])])
    path.write_text(out.getvalue(), encoding="utf-8")


def prepare(folder: Path) -> str:
    """The store: lists, people, a screened customer book, one approved decision."""
    url = str(folder / "web.db")
    with Store.open(url) as store:
        for rel, source in LISTS:
            load_file(store, SHARED / rel, source=source)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="bench")
    return url


def screen_book(app: Any, url: str, folder: Path, customers: int) -> int:
    """Import and screen the book with the app's own matcher; decide and approve one
    alert. Returns that alert's id."""
    book = folder / "book.csv"
    customer_file(book, customers)
    matcher = app.state.services.holder.current.matcher
    ana, rui = Actor.of("ana", ["analyst"]), Actor.of("rui", ["reviewer"])
    with Store.open(url) as store:
        summary = import_customers(store, book, ana)
        screen_customers(store, matcher, summary.changed, ana, load_review_settings())
        alerts = store.review.alerts(limit=1000)
        if not alerts:
            raise SystemExit("the book raised no alert: nothing to show on the review pages")
        first = alerts[0]
        decide(store, first.id, "false_positive", ana, load_review_settings(), note="bench")
        approve(store, first.id, rui)
        return first.id


def sign_in(client: TestClient, name: str) -> None:
    form = client.get("/ui/login")
    token = _CSRF.search(form.text)
    assert token, "the sign-in page has no CSRF token"
    answer = client.post("/ui/login", data={"name": name, "password": PASSWORD,
                                            "csrf_token": token.group(1), "next": "/ui/"},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text


def pages(alert_id: int, customer: str) -> list[tuple[str, str]]:
    """(person, path): every main page, by the role that uses it."""
    putin = quote("Владимир Путин")
    return [
        ("ana", "/ui/login"), ("adm", "/ui/"),
        ("ana", f"/ui/screen?name={putin}"), ("ana", "/ui/screen/file"),
        ("rui", "/ui/alerts"), ("rui", "/ui/alerts?sort=score&dir=desc"),
        ("rui", f"/ui/alerts/{alert_id}"),
        ("ana", "/ui/customers"), ("ana", "/ui/customers?q=putin"),
        ("ana", f"/ui/customers/{quote(customer, safe='')}"),
        ("aud", "/ui/entities?q=putin"), ("aud", "/ui/entities/ofac-35096"),
        ("aud", "/ui/entities/ofac-35096/history"),
        ("aud", "/ui/lists"), ("aud", "/ui/lists/us_ofac_sdn"),
        ("aud", "/ui/lists/diff?source=us_ofac_sdn&from=1&to=2"),
        ("aud", "/ui/regimes"), ("aud", "/ui/regimes?regime=dprk"),
        ("aud", "/ui/regimes/dprk/size.svg"), ("aud", "/ui/regimes/dprk"),
        ("aud", "/ui/audit"), ("aud", "/ui/reports"), ("adm", "/ui/admin"),
    ]


def baseline_pairs(alert_id: int) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(page, API method, API path, JSON body): the API call reading what the page shows."""
    putin = {"queries": {"q": {"schema": "Person",
                               "properties": {"name": ["Владимир Путин"]}}}}
    return [
        (f"/ui/screen?name={quote('Владимир Путин')}", "POST", "/match/default", putin),
        ("/ui/alerts", "GET", "/review/alerts", None),
        (f"/ui/alerts/{alert_id}", "GET", f"/review/alerts/{alert_id}", None),
        ("/ui/entities/ofac-35096", "GET", "/entities/ofac-35096", None),
        ("/ui/entities/ofac-35096/history", "GET", "/entities/ofac-35096/history", None),
        ("/ui/lists", "GET", "/versions", None),
        ("/ui/lists/diff?source=us_ofac_sdn&from=1&to=2", "GET",
         "/diff/us_ofac_sdn?from=1&to=2", None),
        ("/ui/regimes/dprk", "GET", "/regimes/dprk/size", None),
        ("/ui/audit", "GET", "/audit", None),
    ]


def measure(client: TestClient, path: str, warmup: int, requests: int, method: str = "GET",
            body: dict[str, Any] | None = None) -> dict[str, Any]:
    for _ in range(warmup):
        client.request(method, path, json=body)
    times: list[float] = []
    statuses: set[int] = set()
    for _ in range(requests):
        start = time.perf_counter()
        answer = client.request(method, path, json=body)
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(answer.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"path": path, "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1), "max_ms": round(times[-1], 1),
            "status": sorted(statuses), "under_goal": p95 < GOAL_MS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page")
    parser.add_argument("--customers", type=int, default=2000, help="customers in the book")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"needs the list files at {SHARED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        start = time.perf_counter()
        url = prepare(folder)
        app = create_web_app(ApiSettings(db=url, poll_seconds=60))
        rows: list[dict[str, Any]] = []
        with TestClient(app, base_url="https://testserver") as first:
            if not app.state.services.holder.wait_ready(600):
                raise SystemExit("the index did not load")
            alert_id = screen_book(app, url, folder, args.customers)
            customer = "C000000"
            set_up = time.perf_counter() - start
            clients: dict[str, TestClient] = {}
            for name in PEOPLE:
                client = TestClient(app, base_url="https://testserver")
                sign_in(client, name)
                clients[name] = client
            with Store.open(url) as store:
                key = create_key(store.db, "bench", ("admin",), role="auditor")[1]
            api = TestClient(app, base_url="https://testserver",
                             headers={"Authorization": f"ApiKey {key}"})
            api_times = {page: (f"{method} {path}", measure(api, path, args.warmup,
                                                           args.requests, method, body))
                         for page, method, path, body in baseline_pairs(alert_id)}
            for person, path in pages(alert_id, customer):
                client = first if path == "/ui/login" else clients[person]
                row = measure(client, path, args.warmup, args.requests)
                row["as"] = person
                if path in api_times:
                    call, base = api_times[path]
                    row["api"] = call
                    row["api_median_ms"] = base["median_ms"]
                    row["api_status"] = base["status"]
                    row["ratio"] = round(row["median_ms"] / max(base["median_ms"], 0.01), 2)
                rows.append(row)
    if args.json:
        print(json.dumps({"set_up_s": round(set_up, 1), "requests": args.requests,
                          "customers": args.customers, "pages": rows}, indent=1))
    else:
        print(f"set-up {set_up:.1f} s (lists, index, {args.customers:,} customers screened); "
              f"{args.requests} timed requests per page after {args.warmup} untimed")
        print(f"{'page':58} {'as':4} {'median':>8} {'p95':>8} {'max':>8}  status  "
              "API baseline: median, page/API")
        for row in rows:
            mark = "" if row["under_goal"] else f"  over {GOAL_MS:.0f} ms"
            against = (f"  {row['api']}: {row['api_median_ms']:.1f} ms, x{row['ratio']}"
                       if "api" in row else "")
            print(f"{unquote(row['path'])[:58]:58} {row['as']:4} {row['median_ms']:8.1f} "
                  f"{row['p95_ms']:8.1f} {row['max_ms']:8.1f}  {row['status']}{mark}{against}")
    bad = [r for r in rows if r["status"] != [200] or r.get("api_status", [200]) != [200]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
