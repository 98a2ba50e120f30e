"""A name with no article and no number is joined into runs of two and three words without
the rule's per-run tests (align._plain_spans, pn21): the runs are the rule's own
(align._spans_by_rule), in its order, on made-up names with and without the article and
numbers."""

from __future__ import annotations

import random

from discreet.match.align import _spans_by_rule, join_spans

_WORDS = ("john", "smith", "bin", "ltd", "x", "ab", "hassan", "rahman", "din", "abdul", "42",
          "tahrir", "nasr", "hizb", "wa", "li")


def test_runs_are_the_rules_on_made_up_names() -> None:
    rng = random.Random(7)
    plain = 0
    for _ in range(20_000):
        texts = tuple(rng.choice((*_WORDS, "al", "al")) for _ in
                      range(rng.randint(0, 7)))
        kinds = tuple(rng.choice(("name", "name", "particle", "number", "legal", "initial"))
                      if t != "al" else rng.choice(("particle", "name")) for t in texts)
        plain += "al" not in texts and "number" not in kinds
        assert join_spans(texts, kinds) == _spans_by_rule(texts, kinds, "al" in texts)
    assert plain > 2_000  # the shortcut's names were among them


def test_runs_of_a_plain_name() -> None:
    assert join_spans(("a", "b", "c"), ("name",) * 3) == (
        (0, 2, "ab"), (0, 3, "abc"), (1, 2, "bc"))
    assert join_spans(("a",), ("name",)) == ()
    assert join_spans((), ()) == ()
