"""One table of rules (match/rules.py) that Python and the compiled kernel both read; the
matcher's tunable weights are honoured wherever they apply; the lone-variant flag is the
score's, read by explanations."""

from __future__ import annotations

import dataclasses

import pytest

from discreet.match import Matcher, MatchResult, Query, _kernel, rules
from discreet.match.pairs import explain_pair
from discreet.match.prepare import prepare_name
from discreet.match.rarity import default_rarity
from discreet.match.score import lone_variant, name_score
from discreet.model import DateSpec, Entity, Name


def test_the_kernel_holds_exactly_the_tables_numbers() -> None:
    """Every number the kernel reads is the table's, under the table's name."""
    held = _kernel.kernel_rules()
    table = rules.kernel_rules()
    assert held, "the kernel reads no rule"
    for name, value in held.items():
        assert name in table, f"the kernel reads {name}, which the table does not have"
        assert value == table[name], name
    # the rules of the name score the kernel scores with are all there
    for name in ("min_sim", "phonetic_sim", "fuzzy_loss", "fuzzy_knee", "omission",
                 "one_word_cap", "lone_letters_per_slip", "truncated_tail", "unmatched"):
        assert name in held


def test_the_table_names_each_number_once() -> None:
    fields = [f.name for f in dataclasses.fields(rules.Rules)]
    assert len(fields) == len(set(fields))
    assert dict(rules.WEIGHTS) == dataclasses.asdict(rules.RULES)
    assert set(rules.UNMATCHED_WEIGHTS) == set(rules.KINDS)


def _entities() -> list[Entity]:
    # a weak alias that is no nickname of his given name (Vova is one: it scores as Vladimir)
    putin = Entity("putin", "Person", source="test", names=[Name("Vladimir Putin")])
    putin.add_name("Vovan Putin", "weak")
    putin.birth_dates.append(DateSpec("1952-10-07"))
    other = Entity("lavrov", "Person", source="test", names=[Name("Sergey Lavrov")])
    return [putin, other]


def test_changing_a_weight_of_the_matcher_changes_its_scores() -> None:
    """Matcher.weights (the evidence besides the name) is read at each match, by Python and
    by the kernel's pruning (a weak alias lowered by the weight set now)."""
    matcher = Matcher.from_entities(_entities())
    weak = Query("Vovan Putin", schema="Person")
    dated = Query("Vladimir Putin", schema="Person", birth_date="1952-10-07")
    before_weak = matcher.match(weak, threshold=0.0, limit=1)[0]
    before_dated = matcher.match(dated, threshold=0.0, limit=1)[0]
    assert before_weak.entity.id == "putin" and before_weak.explanation.name_kind == "weak"
    matcher.weights["weak_alias"] = -0.3
    matcher.weights["dob_exact"] = 0.0
    after_weak = matcher.match(weak, threshold=0.0, limit=1)[0]
    after_dated = matcher.match(dated, threshold=0.0, limit=1)[0]
    assert after_weak.score == pytest.approx(before_weak.score - 0.3 + 0.08)
    def dob(result: MatchResult) -> float:
        return {f.name: f.delta for f in result.explanation.features}["dob_exact"]

    assert dob(before_dated) == rules.RULES.dob_exact and dob(after_dated) == 0.0
    assert {f.name: f.delta for f in after_weak.explanation.features}["weak_alias"] == -0.3
    # a threshold the weak alias reached before and cannot now: the pruning follows too
    bar = before_weak.score - 0.01
    assert matcher.match(weak, threshold=bar) == [] or \
        matcher.match(weak, threshold=bar)[0].explanation.name_kind != "weak"
    # the best name score a prefilter bounds with lowers the weak alias as much
    q = matcher.prepare("Vovan Putin", "person")
    assert matcher.best_name_score(q) == pytest.approx(max(
        name_score(q, n, matcher.tables.swap_readings_of).score + matcher.lowering[p]
        for p, n in enumerate(matcher.names)))


def test_best_name_score_is_the_best_python_name_score() -> None:
    matcher = Matcher.from_entities(_entities())
    for text in ("Vladimir Putin", "Lavrov Sergei", "Vova Putin", "Zzyzx Qwerty"):
        q = matcher.prepare(text, "person")
        best = matcher.best_name_score(q)
        assert best == max(name_score(q, n, matcher.tables.swap_readings_of).score
                           + matcher.lowering[p] for p, n in enumerate(matcher.names))


@pytest.mark.parametrize(("query", "listed", "lone"), [
    ("Marques", "OOO MARKUS", True), ("Vargas", "WARGOS INDUSTRY LTD", True),
    ("Terneftgas", "TERNEFTEGAZ", False), ("Markus", "OOO MARKUS", False),
])
def test_the_lone_variant_flag_is_the_scores(query: str, listed: str, lone: bool) -> None:
    rarity = default_rarity()
    q, name = prepare_name(query, "any", rarity), prepare_name(listed, "org", rarity)
    ns = name_score(q, name)
    assert ns.lone_variant is lone is lone_variant(q, name, ns.alignment)
    if lone:
        assert ns.score <= rules.RULES.one_word_cap
    noted = any("one word of substance" in note
                for note in explain_pair(query, listed, "Company").notes)
    assert noted is (lone and explain_pair(query, listed, "Company").name_score
                     <= rules.RULES.one_word_cap)
