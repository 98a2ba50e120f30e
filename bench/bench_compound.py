"""Names of compound list fields screened alone: does each find its entity?

Scenario: lists publish one name field that holds more than a name: a romanisation and the
original script ("Jin Tiesan (金铁三)"), a label ("Amir Khazmat (original script: Амир
Хазмат)"), a note ("Nik Mohammad (previously listed as)", "…, born in 1963") or an
enumeration. A customer file holds one of those names alone. The fixture lists (the
held-out bench's: OFAC SDN and consolidated, UN, the EU and UK excerpts, OFSI 2014) and the
archive's Australian (DFAT) and Canadian (SEMA) lists are indexed whole, and every name a
compound field holds (:func:`discreet.match.pairs.alternatives` besides the field) is
screened alone with its entity's schema; it is found when its entity is among the best
five at or above DEFAULT_THRESHOLD, and first when its entity ranks first.

To measure another version of discreet on the same parts (one without the rule, say),
write them with ``--save-parts FILE`` and run this script with that version on
``PYTHONPATH`` and ``--parts FILE``: the parts are then read, not made.

Run from the project root: ``.venv/bin/python bench/bench_compound.py [--json]``
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from common import FULL_LISTS, SHARED, Report, load_entities, markdown_table, require
from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.pairs import alternatives
from discreet.model import Entity
from discreet.sources import open_list

LISTS = (*FULL_LISTS, "uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv")
ARCHIVE = ("au_dfat/regulation8_consolidated_2024-11-11.xlsx", "ca_sema/sema-lmes_2025-05.xml")
LIMIT = 5


def archive_entities() -> list[Entity]:
    """The archive's lists whose name fields hold the most compound names."""
    out: list[Entity] = []
    for rel in ARCHIVE:
        meta, parsed = open_list(require(SHARED / "fixtures" / "archive" / rel))
        for entity in parsed:
            entity.source = entity.source or meta.dataset
            out.append(entity)
    return out


def make_parts(entities: list[Entity]) -> list[dict[str, str]]:
    """Every name a compound field of ``entities`` holds, with its entity, once per entity."""
    out: list[dict[str, str]] = []
    for entity in entities:
        seen: set[str] = set()
        for name in entity.names:
            for part in alternatives(name.value):
                if part != name.value and part not in seen:
                    seen.add(part)
                    out.append({"id": entity.id, "schema": entity.schema, "part": part,
                                "field": name.value})
    return out


def screen(matcher: Matcher, parts: list[dict[str, Any]]) -> Counter[str]:
    """How many parts find their entity (among the best five, and first)."""
    counts: Counter[str] = Counter()
    for row in parts:
        results = matcher.match(Query(row["part"], schema=row["schema"]), limit=LIMIT,
                                threshold=DEFAULT_THRESHOLD)
        ids = [r.entity.id for r in results]
        row["found"] = row["id"] in ids
        row["first"] = bool(ids) and ids[0] == row["id"]
        counts["found"] += row["found"]
        counts["first"] += row["first"]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    parser.add_argument("--save-parts", type=Path, help="write the parts screened (JSON)")
    parser.add_argument("--parts", type=Path, help="screen the parts of this file")
    parser.add_argument("--misses", action="store_true", help="list every part not found")
    args = parser.parse_args()
    report = Report("Names of compound list fields screened alone (bench_compound)", args.json)
    entities = load_entities(LISTS) + archive_entities()
    parts = json.loads(args.parts.read_text()) if args.parts else make_parts(entities)
    if args.save_parts:
        args.save_parts.write_text(json.dumps(parts, ensure_ascii=False))
    counts = screen(Matcher.from_entities(entities), parts)
    fields = len({row["field"] for row in parts})
    report.add("counts", {"entities": len(entities), "compound fields": fields,
                          "parts": len(parts), "found": counts["found"],
                          "first": counts["first"], "threshold": DEFAULT_THRESHOLD})
    report.section("Parts found", markdown_table(
        ["entities", "compound fields", "parts", "found (best 5)", "first"],
        [[len(entities), fields, len(parts), counts["found"], counts["first"]]]))
    if args.misses:
        report.section("Parts not found", "\n".join(
            f"- {row['part']!r} of {row['field']!r} ({row['schema']})"
            for row in parts if not row["found"]))
    report.finish()


if __name__ == "__main__":
    main()
