"""Same-party links over the real fixture lists: how many parties, on what basis, how fast.

Loads the latest real file of each list into a temporary SQLite store: OFAC SDN (CSV of
2024-05-03, which states no date: given as --published) and consolidated (XML of
2024-05-06), UN (2026-02-27), the EU and UK FCDO excerpts and OFSI's 2014 list from
``../shared/fixtures/lists``; Canada (SEMA, May 2025) and Australia (DFAT, 2024-11-11) from
``../shared/fixtures/archive``. Then computes the links once (``refresh_links``) and reports
links by basis, parties, links and parties per pair of lists, what was refused, and the
time of each step. ``--sample N`` writes N links (seeded, spread over bases and pairs of
lists) with both entities' names, dates and identifiers, for checking by hand.

Run from the project root::

    .venv/bin/python bench/bench_links.py [--json] [--sample 150 --sample-out links.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from discreet.cli.links import entity_brief
from discreet.lists.load import load_file
from discreet.model import Entity
from discreet.regimes.links import refresh_links
from discreet.store import SameAs, Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"
LISTS, ARCHIVE = SHARED / "lists", SHARED / "archive"
FILES: list[tuple[Path, str | None]] = [  # (file, the as-of date to state when it has none)
    (LISTS / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-03.csv", "2024-05-03"),
    (LISTS / "ofac_cons_xml" / "consolidated_2024-05-06.xml", None),
    (LISTS / "un" / "un_consolidated_2026-02-27.xml", None),
    (LISTS / "eu_fsf" / "eu_fsf_1_1_excerpt_2026-08-05.xml", None),
    (LISTS / "uk_fcdo" / "uk_sanctions_list_excerpt_2026-09-10.xml", None),
    (LISTS / "uk_ofsi_conlist" / "sanctionsconlist_2014-04-02.csv", None),
    (ARCHIVE / "ca_sema" / "sema-lmes_2025-05.xml", "2025-05-25"),
    (ARCHIVE / "au_dfat" / "regulation8_consolidated_2024-11-11.xlsx", None),
]


def sample(links: list[SameAs], store: Store, size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` links, the same share of each basis and pair of lists as in the whole (at
    least one of each), each with both entities as `discreet links list --json` gives them."""
    entities: dict[str, Entity] = {}
    for version in store.active():
        for entity in store.entities(version.source):
            entities.setdefault(entity.id, entity)
    strata: dict[tuple[str, str], list[SameAs]] = defaultdict(list)
    for link in links:
        pair = " + ".join(sorted(entities[x].source for x in (link.a, link.b)))
        strata[(link.basis, pair)].append(link)
    rng = random.Random(seed)
    chosen: list[SameAs] = []
    for key in sorted(strata):
        group = strata[key]
        share = max(1, round(size * len(group) / max(len(links), 1)))
        chosen.extend(rng.sample(group, min(share, len(group))))
    rows = []
    for link in sorted(chosen, key=lambda s: (s.basis, s.a, s.b)):
        row: dict[str, Any] = link.to_dict()
        row["entity_a"] = entity_brief(entities.get(link.a), link.a)
        row["entity_b"] = entity_brief(entities.get(link.b), link.b)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    parser.add_argument("--sample", type=int, default=0, help="Links to write for review.")
    parser.add_argument("--sample-out", type=Path, default=Path("links_sample.json"))
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    missing = [str(p) for p, _ in FILES if not p.exists()]
    if missing:
        sys.exit(f"missing fixture files: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "links.db") as store:
        started = time.perf_counter()
        for path, published in FILES:
            load_file(store, path, published=published)
        load_seconds = time.perf_counter() - started
        cpu = time.process_time()
        report = refresh_links(store)
        cpu = time.process_time() - cpu
        links = store.links()
        out: dict[str, Any] = {
            "files": [str(p.relative_to(SHARED)) for p, _ in FILES],
            "entities_per_list": {v.source: v.entities for v in store.active()},
            "load_seconds": round(load_seconds, 1), "links_cpu_seconds": round(cpu, 1),
            **report.to_dict()}
        if args.sample:
            rows = sample(links, store, args.sample, args.seed)
            args.sample_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
            out["sample"] = {"links": len(rows), "file": str(args.sample_out)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    print(f"entities: {out['entities']} in {len(out['entities_per_list'])} lists "
          f"(loaded in {out['load_seconds']} s)")
    print(report.summary() + f"; computed in {report.seconds:.1f} s "
          f"({out['links_cpu_seconds']} s of CPU)")
    for pair, count in report.by_source_pair.items():
        print(f"  {pair}: {count} links, {report.parties_by_source_pair.get(pair, 0)} "
              "parties on both")
    print(f"refused (shared identifier, names differ): {len(report.refused)}; doubtful double "
          f"matches dropped: {len(report.conflicts)}; identifier values several listings "
          f"of one list share: {report.common_values}")
    if args.sample:
        print(f"sample: {out['sample']['links']} links in {out['sample']['file']}")


if __name__ == "__main__":
    main()
