"""The study's features by name, with the direction each is known to push (importable
without discreet: the training script runs in another virtualenv)."""

from __future__ import annotations

# pair methods as the alignment writes them (explain.py's _HOW adds "legal-form" and
# "transliterated", read from these with the names' kinds and scripts)
METHODS = ("exact", "phonetic", "fuzzy", "skeleton", "initial", "joined", "acronym",
           "declined", "romanised", "vowelless", "regrouped", "truncated", "nickname",
           "equivalent", "legal-form")
SCHEMA_GROUPS = ("Person", "org", "Vessel", "Airplane", "other")

# name -> +1 (more of it, more likely the same party), -1 (less likely), 0 (not known)
FEATURES: dict[str, int] = {
    "score": 1, "name_score": 1, "evidence_delta": 1, "schema_delta": 1, "script_delta": 1,
    "lowering": 1, "weak": 0, "previous": 0, "alias": 0,
    "q_words": 0, "l_words": 0, "q_total": 0, "l_total": 0,
    "matched_q_share": 1, "matched_l_share": 1,
    "unmatched_q_weight": -1, "unmatched_l_weight": -1,
    "unmatched_q_names": -1, "unmatched_l_names": -1,
    "unmatched_q_max": -1, "unmatched_l_max": -1, "matched_max": 1,
    **{f"m_{m}": 0 for m in METHODS},
    "m_exact": 1,
    "sim_min": 1, "sim_mean": 1, "loss_sum": -1, "contradiction": -1, "omission": -1,
    "capped": 0, "legal_conflict": -1, "lineage_crossed": -1, "one_word": 0,
    "truncated": 0, "lone_variant": 0, "kunya": 0,
    "q_ascii": 0, "cross_script": 0, "syllabic": 0, "abjad": 0, "q_org": 0, "l_org": 0,
    "schema_given": 0, **{f"s_{g}": 0 for g in SCHEMA_GROUPS},
    "q_chars": 0, "pairs": 0, "multi_word_pairs": 0,
}
NAMES = tuple(FEATURES)
# the features today's score is made of directly (left out of the "evidence only" models)
TODAY = ("score", "name_score")
