"""Held-out aliases: does the matcher find a listed party by a name the index has never seen?

Scenario: the real lists (OFAC SDN CSV 2024-05-03, OFAC consolidated enhanced XML 2025-01-10,
UN consolidated 2026-02-27, the EU and UK excerpts and the OFSI consolidated list 2014) are
parsed. For every entity with at least two names one alias (chosen with a fixed seed) is
removed from the entity before indexing; the removed alias is then screened
(``Query(alias, schema=entity.schema)``, best 5 entities) and counts as found when its
entity is among the results at or above the threshold. Aliases that are also a name of
another entity (the same party on another list) are left out: finding them says nothing.

Each held-out pair is classed against the names that remain: cross-script (no remaining name
in the alias's script), trivial (same words once case, accents and punctuation are
folded), reordered (same words, another order), partial (the alias's words a subset or
superset of a remaining name's), spelling (same script, every word close to a word of a
remaining name and back: typos, transliteration variants) and other (a different name altogether:
acronyms, former names, nicknames, names without letters).

Clean names come from Faker in 20 locales (persons and companies, fixed seed, 5,200 in
all). The threshold at which 1% of them alert (top score per clean query) is found, and
recall per class is reported at that threshold and at DEFAULT_THRESHOLD. In the same run a
brute-force baseline scores every indexed name with rapidfuzz token_sort_ratio
(default_process) and is held to its own 1%-false-positive threshold.

Run from the project root: ``.venv/bin/python bench/bench_heldout.py [--json]``
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from faker import Faker
from rapidfuzz import fuzz, process, utils

from common import FULL_LISTS, Report, load_entities, markdown_table, rss_mb
from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.model import Entity

SEED = 20240503
LIMIT = 5
FPR = 0.01
LISTS = (*FULL_LISTS, "uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv")
LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "ru_RU", "ar_AA", "zh_CN", "ko_KR",
           "ja_JP", "tr_TR", "fa_IR", "pl_PL", "pt_BR", "nl_NL", "uk_UA", "he_IL", "el_GR",
           "hy_AM", "ka_GE")
PERSONS_PER_LOCALE = 200
COMPANIES_PER_LOCALE = 60
CLASSES = ("cross-script", "trivial", "reordered", "partial", "spelling", "other")
ORG_SCHEMATA = ("Organization", "Company", "LegalEntity")


@dataclass(slots=True)
class HeldOut:
    entity_id: str
    schema: str
    alias: str
    remaining: tuple[str, ...]
    klass: str
    source: str = ""
    score: float | None = None  # the entity's score among the best LIMIT results, if there
    base_score: float | None = None


def tokens(text: str) -> list[str]:
    """Words once case, accents and punctuation are folded."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                     if not unicodedata.combining(ch))
    return re.findall(r"\w+", folded.casefold())


def script(text: str) -> str:
    """The script most of the letters are in (first word of their Unicode name)."""
    counts = Counter(unicodedata.name(ch, "UNKNOWN").split()[0]
                     for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else "NONE"


def close_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Every word of each name has a close word (similarity >= 70%) in the other."""
    return (abs(len(a) - len(b)) <= 1
            and all(max(fuzz.ratio(x, y) for y in b) >= 70 for x in a)
            and all(max(fuzz.ratio(y, x) for x in a) >= 70 for y in b))


def classify(alias: str, remaining: Sequence[str]) -> str:
    a_script = script(alias)
    if a_script == "NONE":  # no letters at all: a number or code ("40", "Z-40")
        return "other"
    same = [r for r in remaining if script(r) == a_script]
    if not same:
        return "cross-script"
    a = tokens(alias)
    for klass, test in (
        ("trivial", lambda b: a == b),
        ("reordered", lambda b: sorted(a) == sorted(b)),
        ("partial", lambda b: bool(a and b) and (set(a) < set(b) or set(a) > set(b))),
        ("spelling", lambda b: bool(a and b) and close_words(a, b)),
    ):
        if any(test(tokens(r)) for r in same):
            return klass
    return "other"


def hold_out(entities: Sequence[Entity]) -> tuple[list[Entity], list[HeldOut], int]:
    """The entities to index (one alias removed where possible), the held-out pairs, and
    how many pairs were left out because the alias is also another entity's name."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for name in entity.names:
            owners[" ".join(tokens(name.value))].add(entity.id)
    indexed: list[Entity] = []
    pairs: list[HeldOut] = []
    leaked = 0
    for entity in entities:
        values = list(dict.fromkeys(n.value for n in entity.names))
        aliases = [v for v in values[1:] if tokens(v)]
        if len(values) < 2 or not aliases:
            indexed.append(entity)
            continue
        alias = random.Random(f"{SEED}:{entity.id}").choice(aliases)
        if owners[" ".join(tokens(alias))] - {entity.id}:
            leaked += 1
            indexed.append(entity)
            continue
        kept = [n for n in entity.names if n.value != alias]
        indexed.append(dataclasses.replace(entity, names=kept))
        remaining = tuple(dict.fromkeys(n.value for n in kept))
        pairs.append(HeldOut(entity.id, entity.schema, alias, remaining,
                             classify(alias, remaining), entity.source))
    return indexed, pairs, leaked


def clean_names() -> list[tuple[str, str, str]]:
    """(locale, schema, name) of Faker persons and companies, deduplicated, seed fixed."""
    out: dict[str, tuple[str, str, str]] = {}
    for number, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(SEED + number)
        for _ in range(PERSONS_PER_LOCALE):
            name = fake.name()
            out.setdefault(name, (locale, "Person", name))
        for _ in range(COMPANIES_PER_LOCALE):
            name = fake.company()
            out.setdefault(name, (locale, "Company", name))
    return list(out.values())


def sort_key(name: str) -> str:
    return " ".join(sorted(utils.default_process(name).split()))


class BruteForce:
    """rapidfuzz token_sort_ratio against every indexed name; best LIMIT entities."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.keys: list[str] = []
        self.owners: list[str] = []
        for entity in entities:
            for value in dict.fromkeys(n.value for n in entity.names):
                if key := sort_key(value):
                    self.keys.append(key)
                    self.owners.append(entity.id)

    def search(self, name: str, cutoff: float = 0.0) -> dict[str, float]:
        hits = process.extract(sort_key(name), self.keys, scorer=fuzz.ratio, processor=None,
                               limit=LIMIT * 10, score_cutoff=cutoff * 100)
        found: dict[str, float] = {}
        for _, score, index in hits:
            found.setdefault(self.owners[index], score / 100)
            if len(found) == LIMIT:
                break
        return found


def threshold_at(scores: Sequence[float], fpr: float) -> float:
    """The lowest threshold at which at most ``fpr`` of the clean names alert."""
    ordered = sorted(scores, reverse=True)
    return math.nextafter(ordered[int(fpr * len(ordered))], math.inf)


def share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else float("nan")


def recall(pairs: Sequence[HeldOut], get: Callable[[HeldOut], float | None],
           threshold: float) -> dict[str, float]:
    out = {}
    for klass in (*CLASSES, "all"):
        chosen = [p for p in pairs if klass in ("all", p.klass)]
        out[klass] = share([(s := get(p)) is not None and s >= threshold for p in chosen])
    return out


def run_discreet(indexed: Sequence[Entity], pairs: Sequence[HeldOut],
                 clean: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    start = time.perf_counter()
    matcher = Matcher.from_entities(indexed)
    build = time.perf_counter() - start
    memory = rss_mb()
    start = time.perf_counter()
    tops = []
    for _, schema, name in clean:
        results = matcher.match(Query(name, schema=schema), limit=1, threshold=0)
        tops.append(results[0].score if results else 0.0)
    for pair in pairs:
        results = matcher.match(Query(pair.alias, schema=pair.schema), limit=LIMIT, threshold=0)
        pair.score = next((r.score for r in results if r.entity.id == pair.entity_id), None)
    seconds = time.perf_counter() - start
    return {"build_s": round(build, 2), "memory": memory, "tops": tops,
            "queries_per_s": round((len(clean) + len(pairs)) / seconds, 1)}


def run_baseline(indexed: Sequence[Entity], pairs: Sequence[HeldOut],
                 clean: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    brute = BruteForce(indexed)
    start = time.perf_counter()
    tops = [max(brute.search(name).values(), default=0.0) for _, _, name in clean]
    threshold = threshold_at(tops, FPR)
    floor = min(threshold, 0.70)
    for pair in pairs:
        pair.base_score = brute.search(pair.alias, cutoff=floor).get(pair.entity_id)
    seconds = time.perf_counter() - start
    return {"names": len(brute.keys), "tops": tops, "threshold": threshold,
            "queries_per_s": round((len(clean) + len(pairs)) / seconds, 1)}


def misses(pairs: Sequence[HeldOut], threshold: float, per_class: int = 3) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for klass in CLASSES:
        missed = [p for p in pairs if p.klass == klass and (p.score or 0.0) < threshold]
        for p in missed[:per_class]:
            score = "not in top 5" if p.score is None else round(p.score, 3)
            rows.append([klass, p.alias, " / ".join(p.remaining[:3]), p.schema, score])
    return rows


def print_report(report: Report, facts: dict[str, Any], ours: dict[str, Any],
                 base: dict[str, Any], pairs: Sequence[HeldOut]) -> None:
    report.section("Data", markdown_table(["what", "value"], facts.items()))
    rows = [[f"discreet, 1% FPR ({ours['threshold']:.3f})", *ours["at_fpr"].values()],
            [f"discreet, DEFAULT_THRESHOLD ({DEFAULT_THRESHOLD}; FPR {ours['fpr_default']})",
             *ours["at_default"].values()],
            [f"rapidfuzz brute force, 1% FPR ({base['threshold']:.3f})",
             *base["at_fpr"].values()],
            [f"rapidfuzz brute force, 0.70 (FPR {base['fpr_070']})", *base["at_070"].values()]]
    counts = Counter(p.klass for p in pairs)
    head = ["recall (entity in best 5 at threshold)",
            *(f"{k} ({counts[k]})" for k in CLASSES), f"all ({len(pairs)})"]
    report.section("Recall per class of held-out alias", markdown_table(head, rows))
    report.section("Recall per list at each matcher's 1% FPR threshold", markdown_table(
        ["list", "held-out pairs", "discreet", "rapidfuzz brute force"], per_source(
            pairs, ours["threshold"], base["threshold"])))
    report.section(
        f"Speed (this run, {facts['clean names']} clean + {len(pairs)} held-out queries)",
        markdown_table(["", "discreet", "rapidfuzz brute force"], [
            ["index build (s)", ours["build_s"], "-"],
            ["queries/s", ours["queries_per_s"], base["queries_per_s"]],
            ["RSS after build (MiB)", ours["memory"]["rss_mib"], "-"]]))
    report.section(f"Some of discreet's misses at the 1% FPR threshold ({ours['threshold']:.3f})",
                   markdown_table(["class", "held-out alias", "remaining names (first 3)",
                                   "schema", "score"], misses(pairs, ours["threshold"])))


def per_source(pairs: Sequence[HeldOut], ours: float, base: float) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for source in sorted({p.source for p in pairs}):
        chosen = [p for p in pairs if p.source == source]
        rows.append([source, len(chosen),
                     share([p.score is not None and p.score >= ours for p in chosen]),
                     share([p.base_score is not None and p.base_score >= base
                            for p in chosen])])
    return rows


def summarise(tops: Sequence[float], pairs: Sequence[HeldOut],
              get: Callable[[HeldOut], float | None], fixed: float,
              threshold: float | None = None) -> dict[str, Any]:
    t = threshold_at(tops, FPR) if threshold is None else threshold
    return {"threshold": t, "fpr_at_threshold": share([s >= t for s in tops]),
            "at_fpr": recall(pairs, get, t), "at_fixed": recall(pairs, get, fixed),
            "fpr_at_fixed": share([s >= fixed for s in tops])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    args = parser.parse_args()
    report = Report("Held-out aliases (bench_heldout)", args.json)
    entities = load_entities(LISTS)
    indexed, pairs, leaked = hold_out(entities)
    clean = clean_names()
    ours = run_discreet(indexed, pairs, clean)
    base = run_baseline(indexed, pairs, clean)
    o = summarise(ours["tops"], pairs, lambda p: p.score, DEFAULT_THRESHOLD)
    b = summarise(base["tops"], pairs, lambda p: p.base_score, 0.70, base["threshold"])
    ours.update(threshold=o["threshold"], at_fpr=o["at_fpr"], at_default=o["at_fixed"],
                fpr_default=o["fpr_at_fixed"])
    base.update(at_fpr=b["at_fpr"], at_070=b["at_fixed"], fpr_070=b["fpr_at_fixed"])
    facts = {"lists": ", ".join(LISTS), "entities indexed": len(indexed),
             "names indexed (baseline's distinct keys)": base["names"],
             "held-out pairs": len(pairs), "left out (alias is another entity's name)": leaked,
             "clean names": len(clean), "clean locales": len(LOCALES),
             "clean persons / companies": "{Person} / {Company}".format(
                 **Counter(s for _, s, _ in clean)), "seed": SEED}
    for key, value in (("data", facts), ("classes", dict(Counter(p.klass for p in pairs))),
                       ("discreet", {k: v for k, v in ours.items() if k != "tops"} | o),
                       ("baseline", {k: v for k, v in base.items() if k != "tops"} | b)):
        report.add(key, value)
    report.add("discreet_misses", misses(pairs, o["threshold"], per_class=10))
    report.add("per_list", per_source(pairs, o["threshold"], base["threshold"]))
    print_report(report, facts, ours, base, pairs)
    report.finish()


if __name__ == "__main__":
    main()
