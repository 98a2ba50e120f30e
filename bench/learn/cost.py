"""What a shipped model would cost: its size as JSON and its time per candidate in plain Python.

A model shipped as data in the package would be read by plain Python (no LightGBM, no
scikit-learn at run time): the trees of LightGBM's JSON dump walked node by node, or a
logistic regression's coefficients summed. Both are timed here on test rows, and the walk is
checked against LightGBM's own prediction. Also the per-feature contributions a result's
explanation could show (the trees' path contributions; for the regression each
coefficient times its feature).

``/tmp/learn24/bin/python bench/learn/cost.py DATA`` (after train_eval.py wrote
``DATA/gbm-all.json``).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feature_names import NAMES


def walk(node: dict[str, Any], row: list[float]) -> float:
    """One tree's leaf value for ``row`` (numerical splits, ``<=`` goes left)."""
    while "leaf_value" not in node:
        value = row[node["split_feature"]]
        left = value <= node["threshold"] if not math.isnan(value) else node["default_left"]
        node = node["left_child"] if left else node["right_child"]
    return float(node["leaf_value"])


def compact(node: dict[str, Any]) -> list[Any]:
    """A tree as nested lists [feature, threshold, left, right] / leaf value: what a
    package would ship (smaller than the dump's JSON)."""
    if "leaf_value" in node:
        return round(node["leaf_value"], 5)
    return [node["split_feature"], float(node["threshold"]),
            compact(node["left_child"]), compact(node["right_child"])]


def walk_compact(tree: Any, row: list[float]) -> float:
    while isinstance(tree, list):
        tree = tree[2] if row[tree[0]] <= tree[1] else tree[3]
    return float(tree)


def main() -> None:
    data = Path(sys.argv[1])
    dump = json.loads((data / "gbm-all.json").read_text())
    trees = [t["tree_structure"] for t in dump["tree_info"]]
    compacted = [compact(t) for t in trees]
    shipped = json.dumps(compacted, separators=(",", ":"))
    X = np.load(data / "test.npz")["X"]
    rows = X[:5000].tolist()
    start = time.perf_counter()
    raw = [sum(walk_compact(t, row) for t in compacted) for row in rows]
    per_row = (time.perf_counter() - start) / len(rows)
    booster = lgb.Booster(model_file=str(data / "gbm-all.txt"))
    own = booster.predict(X[:5000], raw_score=True)
    agree = float(np.max(np.abs(own - np.array(raw))))
    contrib = booster.predict(X[:1], pred_contrib=True)[0]  # per feature, + the bias
    example = sorted(((NAMES[i], round(float(c), 3)) for i, c in enumerate(contrib[:-1])
                      if abs(c) > 0.01), key=lambda t: -abs(t[1]))[:10]
    coef = np.random.default_rng(24).normal(size=len(NAMES)).tolist()
    start = time.perf_counter()
    for row in rows:
        sum(c * v for c, v in zip(coef, row, strict=True))
    lr_row = (time.perf_counter() - start) / len(rows)
    depth = max(_depth(t) for t in trees)
    print(json.dumps({
        "trees": len(trees), "max_depth": depth,
        "dump_json_bytes": len(json.dumps(dump)), "compact_json_bytes": len(shipped),
        "gbm_python_us_per_candidate": round(per_row * 1e6, 1),
        "lr_python_us_per_candidate": round(lr_row * 1e6, 2),
        "lr_json_bytes": len(json.dumps({n: 0.123456 for n in NAMES})),
        "walk_vs_lightgbm_max_abs_diff": agree,
        "example_contributions_first_test_row": example,
        "example_bias": round(float(contrib[-1]), 3),
    }, indent=1))


def _depth(node: dict[str, Any]) -> int:
    if "leaf_value" in node:
        return 0
    return 1 + max(_depth(node["left_child"]), _depth(node["right_child"]))


if __name__ == "__main__":
    main()
