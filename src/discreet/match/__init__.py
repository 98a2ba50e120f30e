"""Name matching: screen a query against list entities with one calibrated score.

>>> matcher = Matcher.from_store(store)
>>> for result in matcher.match(Query("Vladimir Vladimirovich PUTIN", schema="Person")):
...     print(result.score, result.entity.caption, result.explanation.to_text())

:func:`compare_names` and :func:`explain_pair` compare two names without an index.
:func:`discreet.match.persist.open_matcher` opens the index persisted for the store's active
versions (memory-mapped files shared by every process), building and writing it when missing.
"""

from __future__ import annotations

from discreet.match.explain import Explanation, TokenMatch
from discreet.match.index import NameIndex, candidate_recall
from discreet.match.matcher import Matcher, settle
from discreet.match.pairs import compare_names, explain_pair
from discreet.match.query import MatchResult, Query
from discreet.match.rules import DEFAULT_THRESHOLD, RULES, WEIGHTS

__all__ = [
    "DEFAULT_THRESHOLD",
    "RULES",
    "WEIGHTS",
    "Explanation",
    "MatchResult",
    "Matcher",
    "NameIndex",
    "Query",
    "TokenMatch",
    "candidate_recall",
    "compare_names",
    "explain_pair",
    "settle",
]
