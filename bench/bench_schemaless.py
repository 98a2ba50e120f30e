"""Queries without a schema: clean-name alerts by what the alert is on, and recall of listed names.

Scenario: the full fixture lists (``common.FULL_LISTS``) are indexed. Clean names come from
Faker in 20 locales (``--persons`` persons and ``--companies`` companies each, seed fixed;
names equal to a listed name are left out), each screened at DEFAULT_THRESHOLD with its
schema and without one. An alert counts by the query's group (Person / Company) and the
listed schema of the best result, so a person's name on a vessel shows as such. Recall:
``--recall`` entities drawn with the seed, one name each screened without a schema as
listed, with a transposition and with a dropped letter (``bench/typos.py``); found when the
entity is among the best 5 at the threshold.

Every figure is given twice: as the matcher scores (``schema_unlikely`` on) and with that
weight set to 0 (what the name reads as ignored), so one run shows what the reading does.

Run from the project root: ``.venv/bin/python bench/bench_schemaless.py [--json]``
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable

from faker import Faker

from common import FULL_LISTS, Report, load_entities, markdown_table
from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.model import Entity
from typos import dropped_letter, transposition

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "pl_PL",
           "ru_RU", "uk_UA", "tr_TR", "ar_AA", "fa_IR", "hi_IN", "zh_CN", "ja_JP", "ko_KR",
           "id_ID", "sv_SE")
SEED = 777


def clean_names(entities: list[Entity], persons: int, companies: int) -> list[tuple[str, str]]:
    """(group, name) of Faker names in every locale, none a listed name."""
    listed = {n.value.casefold() for e in entities for n in e.names}
    out: dict[str, str] = {}
    for number, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(SEED + number)
        for group, count, make in (("Person", persons, fake.name),
                                   ("Company", companies, fake.company)):
            for _ in range(count):
                name = make()
                if name.casefold() not in listed:
                    out.setdefault(name, group)
    return [(group, name) for name, group in out.items()]


def alerts(matcher: Matcher, names: list[tuple[str, str]], with_schema: bool) -> Counter[str]:
    found: Counter[str] = Counter()
    for group, name in names:
        result = matcher.match(Query(name, schema=group if with_schema else None), limit=1)
        if result:
            found[f"{group} on {result[0].entity.schema}"] += 1
    return found


def recall(matcher: Matcher, entities: list[Entity], count: int) -> Counter[str]:
    rng = random.Random(SEED)
    variants: tuple[tuple[str, Callable[[str, random.Random], str | None]], ...] = (
        ("exact", lambda name, _: name), ("transposition", transposition),
        ("dropped letter", dropped_letter))
    found: Counter[str] = Counter()
    for entity in rng.sample(entities, min(count, len(entities))):
        name = rng.choice(entity.names).value
        for label, make in variants:
            text = make(name, rng)
            if not text:
                continue
            found[f"{label} asked"] += 1
            if any(r.entity.id == entity.id for r in matcher.match(Query(text), limit=5)):
                found[f"{label} found"] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    parser.add_argument("--persons", type=int, default=200, help="persons per locale")
    parser.add_argument("--companies", type=int, default=80, help="companies per locale")
    parser.add_argument("--recall", type=int, default=3000, help="entities for recall")
    args = parser.parse_args()
    report = Report("Queries without a schema (bench_schemaless)", args.json)
    entities = load_entities(FULL_LISTS)
    matcher = Matcher.from_entities(entities)
    names = clean_names(entities, args.persons, args.companies)
    on = matcher.weights["schema_unlikely"]
    runs = {}
    for label, weight in (("reading on", on), ("reading off", 0.0)):
        matcher.weights["schema_unlikely"] = weight
        runs[label] = {"schema": alerts(matcher, names, True),
                       "none": alerts(matcher, names, False),
                       "recall": recall(matcher, entities, args.recall)}
    matcher.weights["schema_unlikely"] = on
    total = len(names)
    rows = []
    for label, run in runs.items():
        for mode in ("schema", "none"):
            count = sum(run[mode].values())
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(run[mode].items()))
            rows.append([label, mode, f"{count} / {total}", round(count / total, 4), kinds])
    report.section(f"Clean names alerting at {DEFAULT_THRESHOLD} ({len(LOCALES)} locales)",
                   markdown_table(["matcher", "schema", "alerts", "rate", "by group on listed"],
                                  rows))
    rows = [[label, kind, f"{run['recall'][kind + ' found']} / {run['recall'][kind + ' asked']}"]
            for label, run in runs.items()
            for kind in ("exact", "transposition", "dropped letter")]
    report.section("Listed names found without a schema (best 5, at the threshold)",
                   markdown_table(["matcher", "query", "found"], rows))
    report.add("entities", len(entities))
    report.add("clean_names", total)
    report.add("runs", {label: {k: dict(v) for k, v in run.items()}
                        for label, run in runs.items()})
    report.finish()


if __name__ == "__main__":
    main()
