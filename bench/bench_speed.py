"""Index build time, memory and single-name query speed on the real lists, beside brute force.

Scenario: a screening service holds the OFAC SDN CSV (2024-05-03; its side files absent),
the OFAC consolidated enhanced XML (2025-01-10), the UN consolidated list (2026-02-27) and
the EU and UK excerpts in one index, and answers one name at a time, in process, on one core
(the process is pinned to one CPU). We measure:

* index build (``Matcher.from_entities``), median of 3, and resident memory after it
  (VmRSS from /proc/self/status, and the peak ru_maxrss);
* query throughput: a fixed mix of list names with one or two typos (40%), spelling and
  script transliterations of list names (20%) and Faker clean names in 10 locales (40%);
  a warmup of 500 queries, then 3 runs over 5,000 queries at the default threshold and
  limit 5 as a plain process runs them, and 3 runs over 3 other sets once the index is
  settled for Python's cycle collector (``discreet.match.settle``, which the HTTP service
  and the bulk workers call after a build: a full collection otherwise walks the whole
  index, ~0.4 s, every few thousand queries); queries/s is the median run, latency
  percentiles are over each mode's runs; queries/s are given of wall time and of the
  process's CPU time (on a shared machine other work takes the core from the first);
* a brute-force baseline, rapidfuzz ``process.extract`` with ``token_sort_ratio`` over every
  indexed name (choices pre-processed once), on the first 500 queries, and the speed ratio;
* candidate recall: a sample of the typo and transliteration queries is scored against
  every indexed name with the engine's own name scorer (``discreet.match.candidate_recall``):
  the share of names at or above DEFAULT_THRESHOLD that the index proposes as candidates,
  and the share of queries whose best such name's entity is in ``match``'s top 5. This pass
  uses every CPU; the sample is sized so that it takes about 75 s.

Run from the project root: ``.venv/bin/python bench/bench_speed.py [--json] [--speed-only]``
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import random
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from faker import Faker
from rapidfuzz import fuzz, process, utils

from common import (
    FULL_LISTS,
    Report,
    load_entities,
    markdown_table,
    median,
    percentile,
    rss_mb,
    timed,
)
from discreet.match import DEFAULT_THRESHOLD, Matcher, Query, settle
from discreet.model import Entity

SEED = 7
QUERIES = 5000
WARMUP = 500
BASELINE_QUERIES = 500
EXHAUSTIVE_BUDGET_S = 75.0
LISTS = FULL_LISTS
LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "ru_RU", "ar_AA", "zh_CN", "tr_TR", "fa_IR",
           "pt_BR")
VARIANTS = (("ou", "u"), ("kh", "h"), ("y", "i"), ("ee", "i"), ("ph", "f"), ("mohammed",
            "muhammad"), ("muhammad", "mohamed"), ("sh", "ch"), ("j", "dj"), ("v", "w"),
            ("aa", "a"), ("i", "y"), ("abd al", "abdul"), ("el ", "al-"), ("ei", "ey"))
TO_CYRILLIC = (("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"),
               ("ya", "я"), ("yu", "ю"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"),
               ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"),
               ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
               ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"),
               ("j", "дж"), ("q", "к"), ("w", "в"), ("x", "кс"))


def typo(name: str, rng: random.Random) -> str:
    """One or two keyboard slips: a letter dropped, doubled, swapped or replaced."""
    chars = list(name)
    for _ in range(rng.choice((1, 1, 2))):
        letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
        if len(letters) < 4:
            break
        i = rng.choice(letters[1:-1])
        kind = rng.randrange(4)
        if kind == 0:
            del chars[i]
        elif kind == 1:
            chars.insert(i, chars[i])
        elif kind == 2:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            new = rng.choice("aeioulnrstkm")
            chars[i] = new.upper() if chars[i].isupper() else new
    return "".join(chars)


def transliterate(name: str, rng: random.Random) -> str:
    """A spelling variant (half the time) or the name spelled in Cyrillic."""
    text = name.lower()
    if rng.random() < 0.5:
        rules = [r for r in VARIANTS if r[0] in text] or [("a", "e")]
        old, new = rng.choice(rules)
        return text.replace(old, new, 1).title()
    for old, new in TO_CYRILLIC:
        text = text.replace(old, new)
    return text.title()


def make_queries(entities: Sequence[Entity], total: int,
                 seed: int) -> list[tuple[str, Query]]:
    """(kind, query): list names with typos, transliterated list names, clean Faker names."""
    rng = random.Random(seed)
    names = [(n.value, e.schema) for e in entities for n in e.names
             if n.value.isascii() and len(n.value) >= 6]
    fakers = [Faker(locale) for locale in LOCALES]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed * 100 + number)
    out: list[tuple[str, Query]] = []
    for i in range(total):
        bucket = i % 10
        if bucket < 4:
            value, schema = rng.choice(names)
            out.append(("typo", Query(typo(value, rng), schema=schema)))
        elif bucket < 6:
            value, schema = rng.choice(names)
            out.append(("transliteration", Query(transliterate(value, rng), schema=schema)))
        else:
            fake = fakers[i % len(fakers)]
            person = rng.random() < 0.75
            name = fake.name() if person else fake.company()
            out.append(("clean", Query(name, schema="Person" if person else "Company")))
    return out


def build_index(entities: Sequence[Entity]) -> tuple[Matcher, dict[str, Any]]:
    """The index, built 3 times (median time), and memory before and after the last build."""
    gc.collect()
    before = rss_mb()
    runs, matcher = timed(lambda: Matcher.from_entities(entities), repeat=3)
    gc.collect()
    after = rss_mb()
    return matcher, {"runs_s": [round(s, 3) for s in runs], "median_s": round(median(runs), 3),
                     "rss_before_mib": before["rss_mib"], "rss_after_mib": after["rss_mib"],
                     "index_mib": round(after["rss_mib"] - before["rss_mib"], 1),
                     "maxrss_mib": after["maxrss_mib"]}


def run_queries(matcher: Matcher, queries: Sequence[Query],
                ) -> tuple[float, float, list[float]]:
    """Queries/s of one pass (of wall time, and of this process's CPU time: what a shared
    machine's other work takes from the core shows in the first only), and each query's
    latency in ms."""
    latencies = []
    start, cpu = time.perf_counter(), time.process_time()
    for query in queries:
        t0 = time.perf_counter_ns()
        matcher.match(query, limit=5)
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(queries) / wall, len(queries) / max(cpu, 1e-9), latencies


def throughput(matcher: Matcher, entities: Sequence[Entity]) -> dict[str, Any]:
    """Warmup, then 3 runs over 3 different query sets (cold) as a plain process runs them,
    3 more over 3 other sets once the index is settled for the cycle collector (what the
    HTTP service and bulk workers do after a build: :func:`discreet.match.settle`), then
    set 1 again (hot)."""
    sets = [make_queries(entities, QUERIES, SEED + run) for run in range(1, 7)]
    for _, query in make_queries(entities, WARMUP, SEED):
        matcher.match(query, limit=5)
    rates: dict[str, list[float]] = {"plain": [], "settled": []}
    cpu_rates: dict[str, list[float]] = {"plain": [], "settled": []}
    latencies: dict[str, list[float]] = {"plain": [], "settled": []}
    for number, queries in enumerate(sets):
        mode = "plain" if number < 3 else "settled"
        if number == 3:
            settle()
        rate, cpu_rate, lat = run_queries(matcher, [q for _, q in queries])
        rates[mode].append(rate)
        cpu_rates[mode].append(cpu_rate)
        latencies[mode] += lat
    hot, hot_cpu, _ = run_queries(matcher, [q for _, q in sets[0]])
    gc.unfreeze()
    kinds = {k: sum(1 for kind, _ in sets[0] if kind == k) for k, _ in sets[0]}
    out: dict[str, Any] = {"queries_per_run": QUERIES, "warmup": WARMUP, "mix": kinds,
                           "hot_qps": round(hot, 1), "hot_cpu_qps": round(hot_cpu, 1),
                           "queries": sets[0]}
    for mode in ("plain", "settled"):
        lat = latencies[mode]
        out[mode] = {"runs_qps": [round(r, 1) for r in rates[mode]],
                     "qps": round(median(rates[mode]), 1),
                     "runs_cpu_qps": [round(r, 1) for r in cpu_rates[mode]],
                     "cpu_qps": round(median(cpu_rates[mode]), 1),
                     "p50_ms": round(percentile(lat, 50), 3),
                     "p95_ms": round(percentile(lat, 95), 3),
                     "p99_ms": round(percentile(lat, 99), 3), "max_ms": round(max(lat), 3)}
    return out


class Brute:
    """Every indexed name, pre-processed once, with the entity it belongs to."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.keys: list[str] = []
        self.values: list[str] = []
        self.owners: list[Entity] = []
        for entity in entities:
            for value in dict.fromkeys(n.value for n in entity.names):
                self.values.append(value)
                self.keys.append(utils.default_process(value))
                self.owners.append(entity)

    def best(self, name: str) -> tuple[Entity, float] | None:
        hits = process.extract(utils.default_process(name), self.keys,
                               scorer=fuzz.token_sort_ratio, processor=None, limit=5)
        return (self.owners[hits[0][2]], hits[0][1] / 100) if hits else None


def baseline(brute: Brute, matcher: Matcher, queries: Sequence[Query],
             discreet_qps: float, plain_qps: float) -> dict[str, Any]:
    """Brute-force speed on the first queries; how often its best (>= 0.70) is in our top 5."""
    for query in queries[:50]:
        brute.best(query.name)
    start = time.perf_counter()
    bests = [brute.best(q.name) for q in queries]
    qps = len(queries) / (time.perf_counter() - start)
    agree = []
    for query, best in zip(queries, bests, strict=True):
        if best is not None and best[1] >= 0.70:
            ids = {r.entity.id for r in matcher.match(query, limit=5, threshold=0)}
            agree.append(best[0].id in ids)
    return {"queries": len(queries), "names": len(brute.keys), "qps": round(qps, 1),
            "speedup_of_discreet": round(discreet_qps / qps, 1),
            "speedup_plain": round(plain_qps / qps, 1),
            "rapidfuzz_best_ge_070": len(agree),
            "in_discreet_top5": round(sum(agree) / len(agree), 3) if agree else None}


class _Recall:
    """Candidate recall of one query, in a worker process that inherited the matcher.

    Scores the query's name against every indexed name with the engine's own name scorer
    through ``discreet.match.candidate_recall`` (which reports the share of names at or above
    the threshold that the index proposes as candidates); the scorer passed to it also
    counts those names and notes the best one, whose entity must be in ``match``'s results.
    """

    matcher: ClassVar[Matcher | None] = None
    positions: ClassVar[dict[int, int]] = {}

    @classmethod
    def one(cls, query: Query) -> tuple[int, int, bool | None]:
        from discreet.match import candidate_recall as engine_recall
        from discreet.match.matcher import CANDIDATES
        from discreet.match.prepare import PreparedName, prepare_name
        from discreet.match.score import name_score
        from discreet.text.names import name_class

        m = cls.matcher
        assert m is not None
        wanted, best = 0, (0.0, -1)

        def score(q: PreparedName, n: PreparedName) -> float:
            nonlocal wanted, best
            value = name_score(q, n).score
            wanted += value >= DEFAULT_THRESHOLD
            best = max(best, (value, cls.positions[id(n)]))
            return value

        prepared = prepare_name(query.name, name_class(query.schema), m.rarity)
        share = engine_recall([prepared], m.names, m.index, score, DEFAULT_THRESHOLD,
                              CANDIDATES)
        if best[0] < DEFAULT_THRESHOLD:
            return wanted, round(share * wanted), None
        owner = m.entities[m.owners[best[1]]].id
        return wanted, round(share * wanted), owner in {
            r.entity.id for r in m.match(query, limit=5, threshold=0)}


def candidate_recall(matcher: Matcher, queries: Sequence[Query],
                     cpus: set[int]) -> dict[str, Any]:
    """Exhaustive scoring of a sample of queries, on every CPU; sized to the time budget."""
    _Recall.matcher = matcher
    _Recall.positions = {id(n): i for i, n in enumerate(matcher.names)}
    start = time.perf_counter()
    shuffled = random.Random(SEED).sample(list(queries), len(queries))
    rows = [_Recall.one(query) for query in shuffled[:4]]
    per_query = (time.perf_counter() - start) / 4
    count = max(20, int(EXHAUSTIVE_BUDGET_S * len(cpus) / per_query))
    os.sched_setaffinity(0, cpus)
    with multiprocessing.get_context("fork").Pool(len(cpus)) as pool:
        rows += pool.map(_Recall.one, shuffled[4:count], chunksize=4)
    wanted = sum(r[0] for r in rows)
    entity = [r[2] for r in rows if r[2] is not None]
    return {"sampled_queries": len(rows), "names_ge_threshold": wanted,
            "name_recall": round(sum(r[1] for r in rows) / wanted, 4) if wanted else None,
            "with_best_ge_threshold": len(entity),
            "entity_recall": round(sum(entity) / len(entity), 4) if entity else None,
            "seconds": round(time.perf_counter() - start, 1), "workers": len(cpus)}


def print_report(report: Report, facts: dict[str, Any], index: dict[str, Any],
                 speed: dict[str, Any], base: dict[str, Any], recall: dict[str, Any]) -> None:
    report.section("Data", markdown_table(["what", "value"], facts.items()))
    report.section("Index build and memory", markdown_table(["measure", "value"], [
        ["build time, median of 3 (s)", index["median_s"]],
        ["build runs (s)", ", ".join(map(str, index["runs_s"]))],
        ["RSS before build, entities parsed (MiB)", index["rss_before_mib"]],
        ["RSS after build (MiB)", index["rss_after_mib"]],
        ["index (RSS after - before, MiB)", index["index_mib"]],
        ["peak RSS, ru_maxrss (MiB)", index["maxrss_mib"]]]))
    mix = ", ".join(f"{k} {v}" for k, v in speed["mix"].items())
    plain, settled = speed["plain"], speed["settled"]
    report.section(f"Single-name queries, one core ({speed['queries_per_run']} per run: {mix})",
                   markdown_table(["", "discreet, plain process", "discreet, index settled",
                                   "rapidfuzz brute force"], [
                       ["queries/s (median of 3 runs)", plain["qps"], settled["qps"],
                        base["qps"]],
                       ["runs (queries/s)", ", ".join(map(str, plain["runs_qps"])),
                        ", ".join(map(str, settled["runs_qps"])),
                        f"1 run, {base['queries']} queries"],
                       ["queries/s of CPU time (median of 3 runs)", plain["cpu_qps"],
                        settled["cpu_qps"], "-"],
                       ["hot: set 1 again (queries/s)", "-", speed["hot_qps"], "-"],
                       ["hot: set 1 again (queries/s of CPU time)", "-",
                        speed["hot_cpu_qps"], "-"],
                       ["latency p50 / p95 / p99 (ms)",
                        f"{plain['p50_ms']} / {plain['p95_ms']} / {plain['p99_ms']}",
                        f"{settled['p50_ms']} / {settled['p95_ms']} / {settled['p99_ms']}",
                        f"{1000 / base['qps']:.2f} (mean)"],
                       ["speed ratio to brute force", f"{base['speedup_plain']}x",
                        f"{base['speedup_of_discreet']}x", "1x"]]))
    report.section("Candidate recall (index vs exhaustive scoring)", markdown_table(
        ["measure", "value"], [
            ["queries sampled (typo and transliteration kinds)", recall["sampled_queries"]],
            [f"indexed names an exhaustive name_score puts >= {DEFAULT_THRESHOLD}",
             recall["names_ge_threshold"]],
            ["share of them among the index's candidates (discreet.match.candidate_recall)",
             recall["name_recall"]],
            [f"queries whose exhaustive best name is >= {DEFAULT_THRESHOLD}",
             recall["with_best_ge_threshold"]],
            ["share whose best entity is in match()'s top 5", recall["entity_recall"]],
            ["exhaustive pass (s, workers)", f"{recall['seconds']}, {recall['workers']}"],
            ["rapidfuzz best >= 0.70 (of the baseline's queries)",
             base["rapidfuzz_best_ge_070"]],
            ["that entity in discreet's top 5 at threshold 0", base["in_discreet_top5"]]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    parser.add_argument("--speed-only", action="store_true",
                        help="the queries/s alone (one build; no brute force, no recall): "
                             "quick enough to alternate trees several times on a noisy machine")
    args = parser.parse_args()
    report = Report("Index and query speed (bench_speed)", args.json)
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    start = time.perf_counter()
    entities = load_entities(LISTS)
    parse_s = time.perf_counter() - start
    if args.speed_only:
        speed = throughput(Matcher.from_entities(entities), entities)
        print(json.dumps({mode: {"qps": speed[mode]["qps"], "cpu_qps": speed[mode]["cpu_qps"],
                                 "runs_cpu_qps": speed[mode]["runs_cpu_qps"]}
                          for mode in ("plain", "settled")}
                         | {"hot_qps": speed["hot_qps"], "hot_cpu_qps": speed["hot_cpu_qps"]}))
        return
    matcher, index = build_index(entities)
    speed = throughput(matcher, entities)
    queries = [q for _, q in speed.pop("queries")]
    brute = Brute(entities)
    base = baseline(brute, matcher, queries[:BASELINE_QUERIES], speed["settled"]["qps"],
                    speed["plain"]["qps"])
    listed = [q for (kind, q) in make_queries(entities, QUERIES, SEED + 4) if kind != "clean"]
    recall = candidate_recall(matcher, listed, cpus)
    facts = {"lists": ", ".join(LISTS), "entities": len(entities), "matcher size": len(matcher),
             "distinct names": len(brute.keys), "parse time (s)": round(parse_s, 2),
             "CPU for timings": min(cpus)}
    for key, value in (("data", facts), ("index", index), ("queries", speed),
                       ("baseline", base), ("candidate_recall", recall)):
        report.add(key, value)
    print_report(report, facts, index, speed, base, recall)
    report.finish()


if __name__ == "__main__":
    main()
