"""Draw the hand-checked sample of same-party links again (how link_sample.csv was drawn).

Parses the eight real files of ``tests/regimes/test_link_sample.py``, proposes the links,
and draws with ``random.Random(20261203)``: 25 links by UN reference, 25 by passport/ID
number, 12 by IMO number, every registration/tax link, and 75 by name spread over the pairs
of lists in proportion (at least one per pair). Prints the drawn pairs, or with ``--check``
says which rows of link_sample.csv (drawn ``random``) the current rules would draw
differently. Run from the project root::

    .venv/bin/python tests/regimes/data/link_sample.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.regimes.test_link_sample import FILES, FIXTURES, SAMPLE  # noqa: E402

from discreet.lists.load import read_list  # noqa: E402
from discreet.model import Entity  # noqa: E402
from discreet.regimes.links import propose_links  # noqa: E402
from discreet.store import SameAs  # noqa: E402

SEED = 20261203
QUOTA = {"identifier:un_reference": 25, "identifier:passport_id": 25, "identifier:imo": 12,
         "identifier:registration_tax": 99, "name": 75}
# Lists in the order the store returns active versions: an id on two lists (OFAC SDN and
# consolidated) counts as the first one's.
ORDER = ["au_dfat_sanctions", "ca_dfatd_sema_sanctions", "eu_fsf", "gb_fcdo_sanctions",
         "gb_hmt_sanctions", "un_sc_sanctions", "us_ofac_cons", "us_ofac_sdn"]


def stratum(link: SameAs) -> str:
    """The kind of evidence a link rests on, strongest first."""
    if link.basis == "name":
        return "name"
    kinds = {line.split(" on both")[0].split(" ")[0] for line in link.evidence
             if " on both" in line
             and not line.startswith(("birth", "names", "nationality", "country"))}
    if "UN" in kinds:
        return "identifier:un_reference"
    if "IMO" in kinds:
        return "identifier:imo"
    if "passport/ID" in kinds:
        return "identifier:passport_id"
    return "identifier:registration_tax"


def draw() -> list[tuple[str, SameAs]]:
    """The sample over the links the current rules propose."""
    entities: list[Entity] = []
    for name, _ in FILES:
        parsed = read_list(FIXTURES / name)
        entities.extend(Entity.from_dict(json.loads(data))
                        for _, data in parsed.records.values())
    source: dict[str, str] = {}
    for entity in sorted(entities, key=lambda e: ORDER.index(e.source)):
        source.setdefault(entity.id, entity.source)
    proposals, _ = propose_links(entities)
    best: dict[tuple[str, str], SameAs] = {}
    for link in proposals:  # a pair proposed twice (an id on two lists) is stored once
        if (link.a, link.b) not in best or link.confidence > best[(link.a, link.b)].confidence:
            best[(link.a, link.b)] = link
    strata: dict[str, list[SameAs]] = defaultdict(list)
    for key in sorted(best):
        strata[stratum(best[key])].append(best[key])
    rng = random.Random(SEED)
    chosen: list[tuple[str, SameAs]] = []
    for kind in sorted(strata):
        group = strata[kind]
        quota = min(QUOTA[kind], len(group))
        if kind != "name":
            chosen.extend((kind, link) for link in rng.sample(group, quota))
            continue
        by_pair: dict[str, list[SameAs]] = defaultdict(list)
        for link in group:
            by_pair[" + ".join(sorted((source[link.a], source[link.b])))].append(link)
        for pair in sorted(by_pair):
            share = max(1, round(quota * len(by_pair[pair]) / len(group)))
            chosen.extend((kind, link) for link in
                          rng.sample(by_pair[pair], min(share, len(by_pair[pair]))))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="Compare with the random rows of link_sample.csv.")
    args = parser.parse_args()
    chosen = draw()
    if not args.check:
        for kind, link in chosen:
            print(f"{link.a},{link.b},{link.basis},{kind}")
        return
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        kept = {(r["entity_a"], r["entity_b"]) for r in csv.DictReader(handle)
                if r["drawn"] == "random"}
    now = {(link.a, link.b) for _, link in chosen}
    print(f"drawn {len(now)}, in the file {len(kept)}, the same {len(now & kept)}")
    for a, b in sorted(now ^ kept):
        print(f"  differs: {a} = {b} ({'new draw' if (a, b) in now else 'file only'})")


if __name__ == "__main__":
    main()
