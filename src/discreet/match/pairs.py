"""Pair comparison without an index: the name benchmark's entry point.

Uses the same scorer as :class:`~discreet.match.Matcher`, with the default rarity table.
A name written as alternatives ("Al-Qa'ida/Islamic Army") is compared part by part.
"""

from __future__ import annotations

import re

from discreet.match.explain import Explanation, build_explanation
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import default_rarity
from discreet.match.score import NameScore, name_score
from discreet.text.names import name_class

__all__ = ["alternatives", "compare_names", "explain_pair"]

_SLASH = re.compile(r"(?<=\w\w\w)\s*/\s*(?=\w\w\w)|\s*;\s*")


def alternatives(name: str) -> list[str]:
    """The name, and its parts when it lists alternatives with a slash (not "A/S") or ";"."""
    parts = [p.strip() for p in _SLASH.split(name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


def _best(name1: str, name2: str, schema: str | None,
          ) -> tuple[PreparedName, PreparedName, NameScore]:
    cls = name_class(schema)
    rarity = default_rarity()
    best: tuple[PreparedName, PreparedName, NameScore] | None = None
    for a in alternatives(name1):
        qa = prepare_name(a, cls, rarity)
        for b in alternatives(name2):
            lb = prepare_name(b, cls, rarity)
            ns = name_score(qa, lb)
            if best is None or ns.score > best[2].score:
                best = (qa, lb, ns)
    assert best is not None
    return best


def compare_names(name1: str, name2: str, schema: str | None = None) -> float:
    """Score in [0, 1] that two names designate the same party (alert at DEFAULT_THRESHOLD)."""
    return _best(name1, name2, schema)[2].score


def explain_pair(name1: str, name2: str, schema: str | None = None) -> Explanation:
    """Why :func:`compare_names` gives the score it gives."""
    q, listed, ns = _best(name1, name2, schema)
    return build_explanation(q, listed, ns, score=ns.score)
