"""Features of one result: the evidence the matcher weighed for it, as numbers a model reads.

Read from what a result carries (its :class:`~discreet.match.explain.Explanation`: the
aligned token pairs and how they matched, the unmatched words, the other evidence's deltas,
the notes) and from the name score the kernel explains for the same query reading and list
name (:meth:`Matcher.scores` ... ``name_score``): the per-pair losses, the contradiction and
omission amounts and the cap flags that today's score folds into one number, and the words'
rarity weights and kinds, which the explanation shows only as words.

Study code (issue 10, session 24): not part of the package.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from feature_names import FEATURES, NAMES, SCHEMA_GROUPS

from discreet.match import Matcher
from discreet.match.prepare import PreparedName
from discreet.match.query import MatchResult
from discreet.text.names import name_class

_ORGS = frozenset({"Organization", "Company", "LegalEntity"})

def schema_group(schema: str | None) -> str:
    if schema in _ORGS:
        return "org"
    return schema if schema in SCHEMA_GROUPS else "other"


class Extractor:
    """Features of results of one matcher (the entity's name positions read once)."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, owner in enumerate(matcher.owners):
            self.positions[matcher.entities[owner].id].append(position)
        self.mismatch = 0  # name scores the re-explained pair does not reproduce

    def _reading(self, query: str, schema: str | None, written: str) -> PreparedName:
        cls = name_class(schema)
        for q in self.matcher.readings(query, cls):
            if q.original == written:
                return q
        return self.matcher.prepare(written, cls)

    def features(self, query: str, schema: str | None, result: MatchResult) -> list[float]:
        """The feature vector (in :data:`NAMES`' order) of ``result`` for ``query``."""
        m, e = self.matcher, result.explanation
        pos = next((p for p in self.positions[result.entity.id]
                    if m.names[p].original == e.matched_name), None)
        if pos is None:
            raise LookupError(f"{e.matched_name!r} not a name of {result.entity.id}")
        q, listed = self._reading(query, schema, e.query_name), m.names[pos]
        ns = m.scores(q, [pos]).name_score(0)
        if abs(ns.score - e.name_score) > 1e-6:
            self.mismatch += 1
        al = ns.alignment
        f: dict[str, float] = dict.fromkeys(NAMES, 0.0)
        f["score"], f["name_score"] = result.score, e.name_score
        for feat in e.features:
            f["evidence_delta"] += feat.delta
            if feat.name.startswith("schema"):
                f["schema_delta"] += feat.delta
            elif feat.name != "weak_alias":  # (the weak alias's lowering: "lowering")
                f["script_delta"] += feat.delta
        f["lowering"] = m.lowering[pos]
        if e.name_kind in ("weak", "previous", "alias"):
            f[e.name_kind] = 1.0
        f["q_words"], f["l_words"] = len(q.tokens), len(listed.tokens)
        qt, lt = q.total or 1.0, listed.total or 1.0
        f["q_total"], f["l_total"] = q.total, listed.total
        mq = {i for p in al.pairs for i in p.query}
        ml = {j for p in al.pairs for j in p.listed}
        f["matched_q_share"] = sum(q.weights[i] for i in mq) / qt
        f["matched_l_share"] = sum(listed.weights[j] for j in ml) / lt
        f["unmatched_q_weight"] = sum(q.weights[i] for i in al.unmatched_query) / qt
        f["unmatched_l_weight"] = sum(listed.weights[j] for j in al.unmatched_listed) / lt
        f["unmatched_q_names"] = sum(q.weights[i] for i in al.unmatched_query
                                     if q.kinds[i] == "name") / qt
        f["unmatched_l_names"] = sum(listed.weights[j] for j in al.unmatched_listed
                                     if listed.kinds[j] == "name") / lt
        f["unmatched_q_max"] = max((q.weights[i] for i in al.unmatched_query), default=0.0)
        f["unmatched_l_max"] = max((listed.weights[j] for j in al.unmatched_listed),
                                   default=0.0)
        f["matched_max"] = max((q.weights[i] for i in mq), default=0.0)
        sims, weighted, weight = [], 0.0, 0.0
        for p in al.pairs:
            w = sum(q.weights[i] for i in p.query)
            method = p.method
            if method == "exact" and all(listed.kinds[j] == "legal" for j in p.listed):
                method = "legal-form"
            key = f"m_{method}"
            if key in f:
                f[key] += w / qt
            sims.append(p.sim)
            weighted += w * p.sim
            weight += w
            f["multi_word_pairs"] += float(len(p.query) > 1 or len(p.listed) > 1)
        f["pairs"] = len(al.pairs)
        f["sim_min"] = min(sims, default=0.0)
        f["sim_mean"] = weighted / weight if weight else 0.0
        f["loss_sum"] = sum(ns.losses)
        f["contradiction"], f["omission"] = ns.contradiction, ns.omission
        for flag in ("capped", "legal_conflict", "lineage_crossed", "one_word", "truncated",
                     "lone_variant"):
            f[flag] = float(getattr(ns, flag))
        f["kunya"] = float(any("kunya" in n for n in e.notes))
        f["q_ascii"] = float(query.isascii())
        f["cross_script"] = float(any(t.method == "transliterated" for t in e.tokens))
        f["syllabic"] = float(bool(q.syllabic or listed.syllabic))
        f["abjad"] = float(q.abjad or listed.abjad)
        f["q_org"], f["l_org"] = float(q.org), float(listed.org)
        f["schema_given"] = float(schema is not None)
        f[f"s_{schema_group(result.entity.schema)}"] = 1.0
        f["q_chars"] = len(query)
        return [f[n] for n in NAMES]


def describe() -> list[dict[str, Any]]:
    """The features and their known direction (for the README and the models' constraints)."""
    return [{"feature": n, "direction": d} for n, d in FEATURES.items()]
