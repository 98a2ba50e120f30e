"""Train the study's models on the training entities and re-rank bench_heldout's test queries.

Reads ``DATA/{train,test}.npz`` and the query files extract.py writes. Models: today's score
(the matcher's own, as the baseline), a logistic regression and a monotone gradient-boosted
model (LightGBM, the known directions of bench/learn/features.py as constraints), each on
every feature ("all") and on the evidence without today's two scores ("evidence"). Each
model re-ranks each test query's candidates (best 5 by its score, as bench_heldout counts)
and is held to the threshold at which 1% of the clean names (with schema) alert, and to a
threshold matching today's default (the same share of clean names alerting as today's
score at 0.70). Only the test split's entities count (held-out aliases and typos of test
entities; near misses of test entities); every clean name counts.

Needs the study's own virtualenv (numpy, scikit-learn, lightgbm):
``/tmp/learn24/bin/python bench/learn/train_eval.py DATA [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feature_names import FEATURES, NAMES, TODAY

LIMIT = 5
FPR = 0.01
DEFAULT = 0.70
ALIAS = ("cross-script", "trivial", "reordered", "partial", "spelling", "other")
KINDS = ("space-shift", "vowels-dropped", "transposition", "truncated-35", "doubled-letter",
         "dropped-letter")
CLASSES = (*ALIAS, *(f"typo:{k}" for k in KINDS), *(f"held-out+typo:{k}" for k in KINDS))
NEAR = ("near: surname replaced", "near: given name replaced",
        "near: organisation word replaced")
GROUPS: dict[str, tuple[str, ...]] = {  # for the ablation: which evidence carries the gain
    "today's score": TODAY,
    "weights and rarity": ("q_words", "l_words", "q_total", "l_total", "matched_q_share",
                           "matched_l_share", "unmatched_q_weight", "unmatched_l_weight",
                           "unmatched_q_names", "unmatched_l_names", "unmatched_q_max",
                           "unmatched_l_max", "matched_max", "q_chars", "pairs",
                           "multi_word_pairs"),
    "how tokens matched": (*(n for n in NAMES if n.startswith("m_")), "sim_min", "sim_mean"),
    "name score's parts": ("loss_sum", "contradiction", "omission", "capped",
                           "legal_conflict", "lineage_crossed", "one_word", "truncated",
                           "lone_variant", "kunya"),
    "schema, script, kind": ("evidence_delta", "schema_delta", "script_delta", "lowering",
                             "weak", "previous", "alias", "q_ascii", "cross_script",
                             "syllabic", "abjad", "q_org", "l_org", "schema_given",
                             *(n for n in NAMES if n.startswith("s_"))),
}


def load(data: Path, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, Any]]]:
    z = np.load(data / f"{name}.npz")
    if tuple(z["names"]) != NAMES:
        raise SystemExit(f"{name}.npz was written with other features: run extract.py again")
    queries = [json.loads(line) for line in (data / f"{name}-queries.jsonl").open()]
    return z["X"], z["y"], z["q"], queries


def columns(which: str) -> list[int]:
    if which == "all":
        return list(range(len(NAMES)))
    if which == "evidence":
        return [i for i, n in enumerate(NAMES) if n not in TODAY]
    if which.startswith("today+"):
        keep = set(TODAY) | set(GROUPS[which[len("today+"):]])
        return [i for i, n in enumerate(NAMES) if n in keep]
    if which.startswith("all-"):
        drop = set(GROUPS[which[len("all-"):]])
        return [i for i, n in enumerate(NAMES) if n not in drop]
    raise ValueError(which)


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def threshold_at(scores: list[float], fpr: float) -> float:
    ordered = sorted(scores, reverse=True)
    return math.nextafter(ordered[int(fpr * len(ordered))], math.inf)


def at_share(scores: list[float], share: float) -> float:
    """The lowest threshold at which at most ``share`` of ``scores`` reach it."""
    ordered = sorted(scores, reverse=True)
    k = round(share * len(ordered))
    return math.nextafter(ordered[k], math.inf) if k < len(ordered) else 0.0


class Ranked:
    """Per test query: the right entity's score if among the best LIMIT by the model; the
    best candidate's score (negatives)."""

    def __init__(self, s: np.ndarray, y: np.ndarray, q: np.ndarray,
                 queries: list[dict[str, Any]]) -> None:
        by: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
        for score, label, query in zip(s.tolist(), y.tolist(), q.tolist(), strict=True):
            by[query].append((score, label))
        self.pos: dict[str, list[float | None]] = defaultdict(list)  # schema given
        self.pos_none: dict[str, list[float | None]] = defaultdict(list)  # no schema
        self.texts: dict[str, list[str]] = defaultdict(list)  # the queries of self.pos
        self.clean: dict[bool, list[float]] = {True: [], False: []}
        self.clean_groups: dict[tuple[str, bool], list[float]] = defaultdict(list)
        self.near: dict[tuple[str, bool], list[float]] = defaultdict(list)
        for number, meta in enumerate(queries):
            ranked = sorted(by.get(number, []), key=lambda t: -t[0])[:LIMIT]
            if meta["type"] == "pos":
                if meta["entity_test"]:
                    found = next((sc for sc, label in ranked if label), None)
                    (self.pos if meta["with_schema"] else self.pos_none)[meta["klass"]].append(
                        found)
                    if meta["with_schema"]:
                        self.texts[meta["klass"]].append(meta["query"])
                continue
            top = ranked[0][0] if ranked else 0.0
            if meta["kind"] == "clean":
                self.clean[meta["with_schema"]].append(top)
                self.clean_groups[meta["group"], meta["with_schema"]].append(top)
            elif meta["entity_test"]:
                self.near[meta["kind"], meta["with_schema"]].append(top)

    def recall(self, klass: str, t: float) -> float:
        v = self.pos[klass]
        return sum(x is not None and x >= t for x in v) / len(v) if v else float("nan")

    def recall_of(self, classes: tuple[str, ...], t: float) -> float:
        v = [x for k in classes for x in self.pos[k]]
        return sum(x is not None and x >= t for x in v) / len(v) if v else float("nan")

    def alerting(self, values: list[float], t: float) -> float:
        return sum(x >= t for x in values) / len(values) if values else float("nan")

    def found_at(self, t: float) -> int:
        """Test queries (schema given, every class) whose entity is found at ``t``."""
        return sum(x is not None and x >= t for k in CLASSES for x in self.pos[k])

    def summary(self, default: float | None, recall: int | None = None) -> dict[str, Any]:
        t1 = threshold_at(self.clean[True], FPR)
        out: dict[str, Any] = {"t1": t1, "t1_none": threshold_at(self.clean[False], FPR),
                               "recall_t1": {k: self.recall(k, t1) for k in CLASSES}}
        out["recall_t1"]["all held-out aliases"] = self.recall_of(ALIAS, t1)
        out["recall_t1"]["all held-out+typos"] = self.recall_of(CLASSES[12:], t1)
        out["recall_t1"]["all typos"] = self.recall_of(CLASSES[6:12], t1)
        out["near_t1"] = {f"{k}, {'schema' if s else 'none'}": self.alerting(v, t1)
                          for (k, s), v in sorted(self.near.items())}
        out["clean_none_at_t1"] = self.alerting(self.clean[False], t1)
        t0 = out["t1_none"]  # the queries without a schema, at their own 1% threshold
        out["recall_none_t1"] = {
            name: share([x is not None and x >= t0 for k in group for x in self.pos_none[k]])
            for name, group in (("held-out aliases", ALIAS), ("typos", CLASSES[6:12]),
                                ("held-out+typos", CLASSES[12:]))}
        out["n"] = {k: len(self.pos[k]) for k in CLASSES}
        if default is not None:
            out["default"] = default
            out["recall_default"] = {k: self.recall(k, default) for k in CLASSES}
            out["clean_default"] = self.alerting(self.clean[True], default)
            out["clean_none_default"] = self.alerting(self.clean[False], default)
        if recall is not None:  # the threshold giving today's recall at its default
            found = sorted((x for k in CLASSES for x in self.pos[k] if x is not None),
                           reverse=True)
            at = found[max(0, min(len(found) - 1, recall - 1))]
            out["same_recall"] = {"threshold": at,
                                  "clean": self.alerting(self.clean[True], at),
                                  "clean_none": self.alerting(self.clean[False], at)}
        return out


def against(today: Ranked, model: Ranked) -> dict[str, Any]:
    """Per class group: test queries the model finds and today's score misses, and the
    reverse, each at its own 1% FPR threshold (the same queries, in the same order); and
    each such query ("examples": class, query, today's score, the model's)."""
    t0, t1 = threshold_at(today.clean[True], FPR), threshold_at(model.clean[True], FPR)
    out: dict[str, Any] = {"examples": []}
    for name, group in (("held-out aliases", ALIAS), ("typos", CLASSES[6:12]),
                        ("held-out+typos", CLASSES[12:])):
        gained = lost = 0
        for k in group:
            for a, b, text in zip(today.pos[k], model.pos[k], today.texts[k], strict=True):
                was, now = a is not None and a >= t0, b is not None and b >= t1
                gained += now and not was
                lost += was and not now
                if now != was:
                    out["examples"].append(["+" if now else "-", k, text, a, b])
        out[name] = [gained, lost]
    return out


def lr_model(X: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(X), y)
    return scaler, model


def gbm_model(X: np.ndarray, y: np.ndarray, cols: list[int], trees: int) -> lgb.LGBMClassifier:
    model = lgb.LGBMClassifier(
        n_estimators=trees, learning_rate=0.05, num_leaves=15, min_child_samples=40,
        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, reg_lambda=1.0,
        monotone_constraints=[FEATURES[NAMES[c]] for c in cols],
        monotone_constraints_method="intermediate", verbose=-1, random_state=24)
    return model.fit(X, y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--ablation", action="store_true",
                        help="instead of the four models, one LightGBM per group of evidence "
                             "added to today's scores (which group carries the gain)")
    args = parser.parse_args()
    Xtr, ytr, _, _ = load(args.data, "train")
    Xte, yte, qte, queries = load(args.data, "test")
    print(f"train rows {len(ytr)} (positives {int(ytr.sum())}), test rows {len(yte)}, "
          f"test queries {len(queries)}")
    today = Ranked(Xte[:, NAMES.index("score")], yte, qte, queries)
    found = today.found_at(DEFAULT)
    base = today.summary(DEFAULT, found)
    matched_share = base["clean_default"]  # today's clean alerting at its default
    runs: dict[str, dict[str, Any]] = {"today": base}
    info: dict[str, Any] = {}
    variants = ["all", "evidence"]
    if args.ablation:  # instead: today's two scores and one group of evidence, each
        variants = [f"today+{g}" for g in GROUPS if g != "today's score"]
    for which in variants:
        cols = columns(which)
        kinds = ("lr", "gbm") if which in ("all", "evidence") else ("gbm",)
        for kind in kinds:
            start = time.perf_counter()
            if kind == "lr":
                scaler, model = lr_model(Xtr[:, cols], ytr)
                s = model.predict_proba(scaler.transform(Xte[:, cols]))[:, 1]
                info[f"lr/{which}"] = {"coef": {NAMES[c]: round(float(w), 3) for c, w in zip(
                    cols, model.coef_[0], strict=True)}, "intercept": float(model.intercept_[0]),
                    "wrong_sign": [NAMES[c] for c, w in zip(cols, model.coef_[0], strict=True)
                                   if FEATURES[NAMES[c]] * w < 0]}
            else:
                model = gbm_model(Xtr[:, cols], ytr, cols, args.trees)
                s = model.predict_proba(Xte[:, cols])[:, 1]
                gain = model.booster_.feature_importance("gain")
                dump = json.dumps(model.booster_.dump_model())
                info[f"gbm/{which}"] = {
                    "gain": {NAMES[c]: round(float(g), 1) for c, g in sorted(
                        zip(cols, gain, strict=True), key=lambda t: -t[1]) if g > 0},
                    "json_bytes": len(dump), "trees": model.booster_.num_trees()}
                if which == "all":
                    (args.data / "gbm-all.json").write_text(dump)
                    model.booster_.save_model(str(args.data / "gbm-all.txt"))
            ranked = Ranked(s, yte, qte, queries)
            default = at_share(ranked.clean[True], matched_share)
            runs[f"{kind}/{which}"] = ranked.summary(default, found)
            runs[f"{kind}/{which}"]["against_today"] = against(today, ranked)
            print(f"{kind}/{which}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    report(runs, info, matched_share)
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "info": info}, indent=1))


def report(runs: dict[str, dict[str, Any]], info: dict[str, Any], share: float) -> None:
    names = list(runs)
    print("\n## Recall per class at each score's 1% FPR threshold (test entities)\n")
    print("| class | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for k in runs["today"]["recall_t1"]:
        print(f"| {k} ({runs['today']['n'].get(k, '')}) | "
              + " | ".join(f"{runs[n]['recall_t1'][k]:.3f}" for n in names) + " |")
    print("| 1% threshold (schema) | " + " | ".join(f"{runs[n]['t1']:.3f}" for n in names)
          + " |")
    print("| 1% threshold (no schema) | " + " | ".join(
        f"{runs[n]['t1_none']:.3f}" for n in names) + " |")
    print("| clean alerting, no schema, at the schema 1% threshold | " + " | ".join(
        f"{runs[n]['clean_none_at_t1']:.3f}" for n in names) + " |")
    for k in runs["today"]["recall_none_t1"]:
        print(f"| no schema: all {k}, at the no-schema 1% threshold | " + " | ".join(
            f"{runs[n]['recall_none_t1'][k]:.3f}" for n in names) + " |")
    for k in runs["today"]["near_t1"]:
        print(f"| {k} alerting at 1% | " + " | ".join(
            f"{runs[n]['near_t1'][k]:.3f}" for n in names) + " |")
    print(f"\n## At a default matching today's 0.70 (clean alerting, schema, {share:.4f})\n")
    print("| class | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for k in CLASSES:
        print(f"| {k} | " + " | ".join(f"{runs[n]['recall_default'][k]:.3f}" for n in names)
              + " |")
    print("| threshold | " + " | ".join(f"{runs[n]['default']:.3f}" for n in names) + " |")
    print("| clean alerting (schema) | " + " | ".join(
        f"{runs[n]['clean_default']:.4f}" for n in names) + " |")
    print("| clean alerting (no schema) | " + " | ".join(
        f"{runs[n]['clean_none_default']:.4f}" for n in names) + " |")
    print("\n## Test queries found by the model and missed by today's score / the reverse "
          "(each at its 1% FPR threshold)\n")
    print("| | " + " | ".join(names[1:]) + " |")
    print("|---|" + "---|" * (len(names) - 1))
    for key in ("held-out aliases", "typos", "held-out+typos"):
        print(f"| {key} | " + " | ".join("+{} / -{}".format(*runs[n]["against_today"][key])
                                        for n in names[1:]) + " |")
    print("\n## At the threshold where as many test queries are found as today's at 0.70\n")
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in ("threshold", "clean", "clean_none"):
        print(f"| {key} | " + " | ".join(f"{runs[n]['same_recall'][key]:.4f}" for n in names)
              + " |")
    for key, value in info.items():
        print(f"\n### {key}\n")
        print(json.dumps(value)[:3000])


if __name__ == "__main__":
    main()
