"""Every error of bench_names at the default threshold: the misses and the false alerts.

bench_names reports only its STRONG misses; reading the causes of the others (MEDIUM and
WEAK labels too) means listing them all. One line per wrong pair, misses first, each with
its score, case group, schema, label quality and category, sorted by score, as a
Markdown table (or one JSON document with ``--json``). The same scorer bench_names calls
(``compare_names``), the same pairs, the same threshold.

Run from the project root: ``.venv/bin/python bench/bench_names_errors.py [--json]``
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench_names import load_cases
from common import markdown_table
from discreet.match import DEFAULT_THRESHOLD, compare_names


def errors() -> list[dict[str, Any]]:
    """The wrong pairs: misses (a match labelled, scored below the threshold) first, then
    false alerts, each group by score."""
    out = []
    for case in load_cases():
        score = compare_names(case.name1, case.name2, case.schema or None)
        if (score >= DEFAULT_THRESHOLD) != case.is_match:
            out.append({"error": "miss" if case.is_match else "false alert",
                        "score": round(score, 3), "group": case.group, "schema": case.schema,
                        "quality": case.quality, "category": case.category,
                        "name1": case.name1, "name2": case.name2})
    return sorted(out, key=lambda e: (e["error"] != "miss", e["score"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    args = parser.parse_args()
    found = errors()
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return
    keys = ("error", "score", "group", "schema", "quality", "category", "name1", "name2")
    print(f"{sum(e['error'] == 'miss' for e in found)} misses, "
          f"{sum(e['error'] != 'miss' for e in found)} false alerts at {DEFAULT_THRESHOLD}\n")
    print(markdown_table(list(keys), [[e[k] for k in keys] for e in found]))


if __name__ == "__main__":
    main()
