"""Build the study's data: every query's candidates with their features (bench/learn/features.py).

Test: exactly bench_heldout.py's queries on its index (its held-out aliases removed): the
held-out aliases, the typos of list names and of held-out aliases, the clean names (with
and without schema) and the near misses. Train: made the same way with another seed on the
entities of the training split only (a hash of the entity id): another alias of each such
entity held out of a second index (the test's held-out aliases are in neither index nor
query: they were removed before), the typo generators applied to those aliases and to
their list names, Faker clean names of other seeds (any equal to a test clean name dropped)
and near misses of training entities. A training row is kept only when its candidate entity
is a training entity: no test entity's names are learned from, as a positive or a negative.

Each query is asked with ``limit=CANDIDATES`` down to CANDIDATE_FLOOR: the candidates a
model may re-rank. Writes ``OUT/{train,test}.npz`` (X, y, query index, today's score) and
``OUT/{train,test}-queries.jsonl`` (what each query is).

Runs with the project's virtualenv:
``PYTHONPATH=src .venv/bin/python bench/learn/extract.py --out /tmp/learn24-data``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from feature_names import NAMES
from features import Extractor

import bench_heldout as bh
from common import load_entities
from discreet.match import Matcher, Query
from discreet.model import Entity

CANDIDATES = 10
# candidates are asked for down to this score (bench_heldout asks at its FLOOR, 0.30): a
# model may lift one today's score puts lower
CANDIDATE_FLOOR = 0.15
TRAIN_SEEDS = (7_2024_1207, 8_2024_1207, 9_2024_1207)  # seeds other than bench_heldout.SEED


def in_train(entity_id: str) -> bool:
    """The entity split: half the entities by a hash of the id, never by what they are."""
    return hashlib.sha256(f"learn24:{entity_id}".encode()).digest()[0] % 2 == 0


@dataclasses.dataclass
class Table:
    """Rows (candidates) and queries of one split."""

    rows: list[list[float]] = dataclasses.field(default_factory=list)
    labels: list[int] = dataclasses.field(default_factory=list)
    query_of: list[int] = dataclasses.field(default_factory=list)
    queries: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def ask(self, matcher: Matcher, ex: Extractor, text: str, schema: str | None,
            right: str | None, meta: dict[str, Any], keep_test_entities: bool) -> None:
        results = matcher.match(Query(text, schema=schema), limit=CANDIDATES,
                                threshold=CANDIDATE_FLOOR)
        number = len(self.queries)
        kept = 0
        for r in results:
            if not keep_test_entities and not in_train(r.entity.id):
                continue
            self.rows.append(ex.features(text, schema, r))
            self.labels.append(int(r.entity.id == right))
            self.query_of.append(number)
            kept += 1
        self.queries.append(meta | {"query": text, "schema": schema, "right": right,
                                    "candidates": kept})

    def save(self, out: Path, name: str) -> None:
        np.savez_compressed(out / f"{name}.npz", X=np.array(self.rows, np.float64).reshape(
            -1, len(NAMES)), y=np.array(self.labels, np.int8),
            q=np.array(self.query_of, np.int32), names=np.array(NAMES))
        with (out / f"{name}-queries.jsonl").open("w", encoding="utf-8") as f:
            for row in self.queries:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


def ask_all(table: Table, matcher: Matcher, pairs: list[bh.HeldOut],
            negatives: list[bh.Negative], keep: bool, split: str) -> None:
    ex = Extractor(matcher)
    for p in pairs:  # as bench_heldout asks them (schema given), and without a schema:
        # a model must not learn that a query without one is never a listed party
        for schema in (p.schema, None):
            table.ask(matcher, ex, p.alias, schema, p.entity_id,
                      {"type": "pos", "klass": p.klass, "split": split,
                       "with_schema": schema is not None,
                       "entity_test": not in_train(p.entity_id)}, keep)
    for n in negatives:
        for schema in (n.schema, None):
            table.ask(matcher, ex, n.name, schema, None,
                      {"type": "neg", "kind": n.kind, "locale": n.locale, "group": n.group,
                       "split": split, "with_schema": schema is not None,
                       "origin": n.origin_id,
                       "entity_test": bool(n.origin_id) and not in_train(n.origin_id)}, keep)
    print(f"{split}: {len(table.queries)} queries, {len(table.rows)} rows, "
          f"name scores not reproduced: {ex.mismatch}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", choices=("train", "test"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    entities = load_entities(bh.LISTS)
    owners = bh.name_owners(entities)
    indexed, held, _ = bh.hold_out(entities, owners)
    typos, _ = bh.typo_pairs(indexed, held, owners)
    clean, _ = bh.clean_names(entities)
    near = bh.near_misses(indexed, owners)
    test_digest = bh.digest(held + typos, clean + near)
    print(f"test queries as bench_heldout (digest {test_digest}) in "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    if args.only != "train":
        table = Table()
        ask_all(table, Matcher.from_entities(indexed), held + typos, clean + near, True,
                "test")
        table.save(args.out, "test")
        print(f"test done at {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if args.only == "test":
        return
    # training: the same generators, other seeds (one index each), training entities only
    test_clean = {n.name for n in clean}
    table = Table()
    for seed in TRAIN_SEEDS:
        saved = bh.SEED
        bh.SEED = seed
        try:
            again, t_held, _ = bh.hold_out(indexed, owners)
            t_held = [p for p in t_held if in_train(p.entity_id)]
            t_index: list[Entity] = [b if in_train(a.id) else a
                                     for a, b in zip(indexed, again, strict=True)]
            t_entities = [e for e in t_index if in_train(e.id)]
            t_typos, _ = bh.typo_pairs(t_entities, t_held, owners)
            t_clean, _ = bh.clean_names(entities)
            t_clean = [n for n in t_clean if n.name not in test_clean]
            t_near = bh.near_misses(t_entities, owners)
        finally:
            bh.SEED = saved
        print(f"train seed {seed}: {len(t_held)} held-out, {len(t_typos)} typos, "
              f"{len(t_clean)} clean, {len(t_near)} near", file=sys.stderr)
        ask_all(table, Matcher.from_entities(t_index), t_held + t_typos, t_clean + t_near,
                False, f"train:{seed}")
    table.save(args.out, "train")
    print(f"all done at {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
