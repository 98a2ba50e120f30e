"""Name-pair accuracy: discreet's compare_names against labelled pairs, beside a baseline.

Scenario: an analyst asks "are these two names the same party?" for the 826 labelled pairs
of ``../shared/bench/name_bench_cases.csv`` (OpenSanctions' nomenklatura name_bench). A pair
is called a match when compare_names(name1, name2, schema) >= DEFAULT_THRESHOLD. We report
precision, recall and F1 overall, per case group and per label quality (STRONG pairs must
all be right; WEAK labels are debatable and only reported), the STRONG misses, and in the
same run the baseline the README quotes: rapidfuzz token_sort_ratio / 100 >= 0.70
(default_process: lower case, punctuation stripped). Then the rank (Spearman) correlation
between each score and OFAC Sanctions List Search's on ``ofac_sls_reference_scores.csv``.
Speed: pairs/s of the first pass (cold, also the warmup) and the median of 3 more (hot).

Run from the project root: ``.venv/bin/python bench/bench_names.py [--json]``
"""

from __future__ import annotations

import argparse
import csv
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from common import SHARED, Report, markdown_table, median, require
from discreet.match import DEFAULT_THRESHOLD, compare_names

BASELINE_THRESHOLD = 0.70
CASES = SHARED / "bench" / "name_bench_cases.csv"
OFAC = SHARED / "bench" / "ofac_sls_reference_scores.csv"


@dataclass(frozen=True, slots=True)
class Case:
    group: str
    schema: str
    name1: str
    name2: str
    is_match: bool
    quality: str
    category: str


def load_cases() -> list[Case]:
    with require(CASES).open(encoding="utf-8", newline="") as handle:
        return [Case(r["case_group"], r["schema"], r["name1"], r["name2"],
                     r["is_match"].strip().lower() == "true", r["quality"], r["category"])
                for r in csv.DictReader(handle)]


def baseline(name1: str, name2: str, schema: str | None = None) -> float:
    return float(fuzz.token_sort_ratio(name1, name2, processor=utils.default_process)) / 100


def non_latin(text: str) -> bool:
    return any(ch.isalpha() and not unicodedata.name(ch, "LATIN").startswith("LATIN")
               for ch in text)


def confusion(pairs: Sequence[tuple[bool, bool]]) -> dict[str, Any]:
    """Precision, recall, F1 from (predicted, gold) pairs."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right = sum(p == g for p, g in pairs)
    return {"n": len(pairs), "tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3), "right": right}


def evaluate(cases: Sequence[Case], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    verdicts = [(s >= threshold, c.is_match) for c, s in zip(cases, scores, strict=True)]

    def subset(keep: Callable[[Case], bool]) -> dict[str, Any]:
        return confusion([v for v, c in zip(verdicts, cases, strict=True) if keep(c)])

    def where(attr: str, value: str) -> dict[str, Any]:
        return subset(lambda c: bool(getattr(c, attr) == value))

    groups = sorted({c.group for c in cases})
    strong = where("quality", "STRONG")
    misses = [{"name1": c.name1, "name2": c.name2, "schema": c.schema, "is_match": c.is_match,
               "score": round(s, 3)}
              for c, s in zip(cases, scores, strict=True)
              if c.quality == "STRONG" and (s >= threshold) != c.is_match]
    return {
        "threshold": threshold,
        "overall": confusion(verdicts),
        "by_group": {g: where("group", g) for g in groups},
        "by_quality": {q: where("quality", q) for q in ("STRONG", "MEDIUM", "WEAK")},
        "non_latin": subset(lambda c: non_latin(c.name1 + c.name2)),
        "strong_right": f"{strong['right']}/{strong['n']}",
        "synth_people_f1": where("group", "synth_people")["f1"],
        "strong_misses": misses,
    }


def best_f1(cases: Sequence[Case], scores: Sequence[float]) -> dict[str, float]:
    """For information only (not for tuning): the threshold with the highest F1."""
    best = (0.0, 0.0)
    for step in range(30, 100):
        t = step / 100
        f1 = confusion([(s >= t, c.is_match) for c, s in zip(cases, scores, strict=True)])["f1"]
        best = max(best, (f1, t))
    return {"f1": best[0], "threshold": best[1]}


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else float("nan")


def ofac_correlation() -> dict[str, Any]:
    with require(OFAC).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ofac = [float(r["ofac_score"]) for r in rows]
    ours = [compare_names(r["query_name"], r["result_name"]) for r in rows]
    base = [baseline(r["query_name"], r["result_name"]) for r in rows]
    return {"pairs": len(rows), "discreet": round(spearman(ours, ofac), 3),
            "baseline": round(spearman(base, ofac), 3)}


def score_all(func: Callable[[str, str, str | None], float],
              cases: Sequence[Case]) -> tuple[list[float], dict[str, float]]:
    """Scores of every case, and pairs/s: the first (cold) pass, which is also the warmup,
    and the median of 3 more (hot: whatever the scorer caches is warm)."""
    runs = []
    scores: list[float] = []
    for _ in range(4):
        start = time.perf_counter()
        scores = [func(c.name1, c.name2, c.schema or None) for c in cases]
        runs.append(len(cases) / (time.perf_counter() - start))
    return scores, {"cold": round(runs[0]), "hot": round(median(runs[1:]))}


def side_by_side(ours: dict[str, dict[str, Any]],
                 base: dict[str, dict[str, Any]]) -> list[list[Any]]:
    return [[key, ours[key]["n"], ours[key]["precision"], ours[key]["recall"],
             ours[key]["f1"], base[key]["precision"], base[key]["recall"], base[key]["f1"]]
            for key in ours]


def print_report(report: Report, ours: dict[str, Any], base: dict[str, Any],
                 speed: dict[str, dict[str, float]], rho: dict[str, Any],
                 best: dict[str, float]) -> None:
    summary = [[f"discreet compare_names >= {ours['threshold']}", *(
        ours["overall"][k] for k in ("precision", "recall", "f1")), ours["strong_right"],
        ours["synth_people_f1"], ours["non_latin"]["f1"],
        "{cold} / {hot}".format(**speed["discreet"]),
        rho["discreet"]],
        [f"rapidfuzz token_sort_ratio >= {base['threshold']}", *(
            base["overall"][k] for k in ("precision", "recall", "f1")), base["strong_right"],
         base["synth_people_f1"], base["non_latin"]["f1"],
         "{cold} / {hot}".format(**speed["baseline"]),
         rho["baseline"]]]
    report.section(f"Overall ({ours['overall']['n']} pairs)", markdown_table(
        ["matcher", "precision", "recall", "F1", "STRONG right", "synth_people F1",
         "non-Latin F1", "pairs/s cold / hot", f"Spearman vs OFAC SLS ({rho['pairs']})"], summary))
    head = ["", "n", "P", "R", "F1", "baseline P", "baseline R", "baseline F1"]
    report.section("Per case group", markdown_table(
        head, side_by_side(ours["by_group"], base["by_group"])))
    report.section("Per label quality (WEAK labels are debatable: reported, not tuned to)",
                   markdown_table(head, side_by_side(ours["by_quality"], base["by_quality"])))
    misses = [[m["name1"], m["name2"], m["schema"], "match" if m["is_match"] else "no match",
               m["score"]] for m in ours["strong_misses"]]
    report.section(f"discreet's STRONG misses ({len(misses)})", markdown_table(
        ["name1", "name2", "schema", "label", "score"], misses) if misses else "None.")
    report.note(f"For information (not used to tune): discreet's best F1 on this file is "
                f"{best['f1']} at threshold {best['threshold']}; the default is "
                f"{ours['threshold']}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    args = parser.parse_args()
    report = Report("Name-pair accuracy (bench_names)", args.json)
    cases = load_cases()
    ours_scores, ours_speed = score_all(compare_names, cases)
    base_scores, base_speed = score_all(baseline, cases)
    ours = evaluate(cases, ours_scores, DEFAULT_THRESHOLD)
    base = evaluate(cases, base_scores, BASELINE_THRESHOLD)
    rho = ofac_correlation()
    speed = {"discreet": ours_speed, "baseline": base_speed}
    best = best_f1(cases, ours_scores)
    for key, value in (("discreet", ours), ("baseline", base), ("pairs_per_second", speed),
                       ("spearman_vs_ofac_sls", rho), ("discreet_best_f1_info", best)):
        report.add(key, value)
    print_report(report, ours, base, speed, rho, best)
    report.finish()


if __name__ == "__main__":
    main()
