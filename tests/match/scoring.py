"""One name score for the matching tests: Python's, checked against the compiled kernel's.

Every rule is written once (match/rules.py) but runs twice, in Python and in the kernel; a
test of a matching class asserts both agree, so this helper is the only place that says how.
"""

from __future__ import annotations

import random

from discreet.match import Matcher, _kernel
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables, string_forms
from discreet.match.rarity import default_rarity
from discreet.match.score import name_score
from discreet.match.similarity import token_similarity
from discreet.model import Entity, Name
from discreet.text.names import NameClass


def prepared(text: str, cls: NameClass) -> PreparedName:
    """A name prepared with the default rarity table, as a test's list or query name."""
    return prepare_name(text, cls, default_rarity())


def both_scores(query: str, listed: str, qcls: NameClass, lcls: NameClass) -> float:
    """The name score of query against listed, asserting the kernel gives Python's."""
    q, name = prepared(query, qcls), prepared(listed, lcls)
    tables = NameTables([name])
    real = name_score(q, name, tables.swap_readings_of)  # the words the kernel's tables write
    assert CandidateScores(tables, q, [0]).score(0) == real.score
    return real.score


def assert_kernel_scores_as_python(q: PreparedName, candidates: list[PreparedName]) -> None:
    """The kernel's score, alignment and bound of each candidate against ``q`` are Python's
    (the bound never below the score)."""
    tables = NameTables(candidates)
    scores = CandidateScores(tables, q, range(len(candidates)))
    for k, name in enumerate(candidates):
        real = name_score(q, name, tables.swap_readings_of)
        assert scores.score(k) == real.score, (q.original, name.original)
        assert scores.name_score(k) == real, (q.original, name.original)
        assert scores.loose[k] >= real.score - 1e-9, (q.original, name.original)


def token_similarities(a: str, b: str, abjad: bool | int,
                       ) -> tuple[tuple[float, str], tuple[float, str]]:
    """How two tokens correspond, as the kernel and as Python (uncached) read them: a test
    of a class asserts the two are equal."""
    strings = _kernel.Strings([string_forms(a), string_forms(b)])
    return (_kernel.token_similarity(strings, 0, 1, abjad),
            token_similarity.__wrapped__(a, b, abjad))


def assert_kernel_scores_random_names(words: tuple[str, ...], seed: int,
                                      cls: NameClass = "org") -> None:
    """80 random names of 2 to 6 of ``words``, each against 8 more: the kernel's scores,
    alignments and bounds are Python's (a rule's words placed here and there)."""
    rng = random.Random(seed)

    def name() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randrange(2, 7))).upper()

    for _ in range(80):
        query = prepared(name(), cls)
        assert_kernel_scores_as_python(query, [prepared(name(), cls) for _ in range(8)])


def filler_names() -> list[str]:
    """1,056 made-up two-word persons' names ("Kara Bolak"): enough other people that a
    matcher holding them asks its index rather than comparing every name."""
    return [f"{a}{b} {c}{d}" for a in ("Ka", "Lo", "Mi", "Ta") for b in ("ra", "ni", "zu")
            for c in ("Bo", "De", "Gu", "Ha", "Jo", "Ku", "Ne", "Pi", "Ri", "So", "Ve")
            for d in ("lak", "mir", "ston", "vek", "dor", "gan", "pel", "tun")]


def indexed_persons(names: list[str]) -> Matcher:
    """A matcher of one person per name, beside :func:`filler_names`' others, that asks its
    index (not comparing every name): the path a screen of the full lists takes."""
    found = Matcher.from_entities([Entity(f"e{i}", "Person", source="test", names=[Name(n)])
                                   for i, n in enumerate([*names, *filler_names()])])
    assert not found.scan
    return found
