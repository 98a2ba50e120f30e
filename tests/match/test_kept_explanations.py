"""A result's explanation read from the alignment its pass made (Kept) is the one the
kernel makes when it aligns the pair again (Kernel.explain), part for part."""

from __future__ import annotations

import math

import numpy as np
import pytest

from discreet.match._kernel import Kept
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables
from discreet.match.rarity import default_rarity
from discreet.match.score import name_score

NAMES = [
    "Vladimir Vladimirovich PUTIN", "Владимир Путин", "Wladimir Putin", "VladimirPutin",
    "Patr ushev Nikolai", "Nikolai PATRUSHEV", "Mohammed bin Salman Al Saud",
    "Muhammad bin Salman", "محمد بن سلمان", "MOHAMMAD AHMADI", "Abdul Rahman", "Abdulrahman",
    "ABDUL RAHMAN ZAHED", "HABIBULLAH RESHAD", "Kim Jong Un", "김정은", "习近平", "Xi Jinping",
    "V. Putin", "OAO Gazprom", "Open Joint Stock Company Gazprom", "Gazprom Neft",
    "Global Trading Company Ltd", "Trading Company Ltd", "KSK Group", "Sergey Lavrov",
    "Sergey Viktorovich LAVROV", "Sergejs Lavrovs", "Osama bin Laden",
    "Usama bin Muhammad bin Awad bin Ladin", "Ali bin Omar bin Khalid Al-Harbi",
    "Wladimir Putin", "Sergey Lavrov", "Ramzan Kadyrov", "Rmzn Kdyrv", "Qasem SOLEMANI",
    "QasemS OLEMANI", "Banco Nacional de Cuba", "BNC", "Jon Smith Jr",
]


def prepared(text: str) -> PreparedName:
    return prepare_name(text, "any", default_rarity())


def test_what_a_pass_keeps_is_what_explain_makes_again() -> None:
    names = [prepared(n) for n in NAMES]
    tables = NameTables(names)
    kernel = tables.kernel()
    positions = list(range(len(names)))
    read = 0
    for q in names:
        query = tables.query(q, True)
        kept = Kept()
        _, scores, twins = kernel.evaluate(query, positions, -math.inf, tables.unlowered, kept)
        for c, p in enumerate(positions):
            again = kernel.explain(query, p)
            found = kept.explain(c)
            if found is None:  # a twin's (the same name): the pass scored that one
                found = kept.explain(twins[c])
            if again is None:  # Python's to score: the pass keeps nothing of it
                assert math.isnan(scores[c]) and found is None, (q.original, names[p].original)
                continue
            assert found == again, (q.original, names[p].original)
            assert found[0] == scores[c]
            read += 1
    assert read > len(names) * len(names) // 2  # most pairs were kept and compared


def test_a_pass_keeps_nothing_of_a_candidate_below_its_floor() -> None:
    names = [prepared(n) for n in ("Sergey Lavrov", "Ramzan Kadyrov", "Sergey Lavrov")]
    tables = NameTables(names)
    query = tables.query(names[0], True)
    kept = Kept()
    _, scores, twins = tables.kernel().evaluate(query, [0, 1, 2], 0.9, tables.unlowered, kept)
    assert scores[1] == -1.0 and kept.explain(1) is None  # below the floor: not scored
    assert kept.explain(0) is not None and scores[0] == 1.0
    assert twins[2] == 0 and kept.explain(2) is None  # the twin's score, copied
    assert kept.explain(3) is None and kept.explain(-1) is None  # no such candidate
    assert Kept().explain(0) is None  # no pass


def test_an_explanation_below_the_floor_is_aligned_again() -> None:
    names = [prepared(n) for n in ("Sergey Lavrov", "Sergey Viktorovich LAVROV",
                                   "Sergei Lavrof")]
    tables = NameTables(names)
    q = prepared("Sergey Lavrov")
    high = CandidateScores(tables, q, [0, 1, 2], floor=2.0)  # nothing scored in the pass
    low = CandidateScores(tables, q, [0, 1, 2])  # everything scored in the pass
    for k in range(3):
        assert high.name_score(k) == low.name_score(k) == name_score(q, names[k])


def test_a_pass_asks_for_syllable_keys_when_a_candidate_is_written_in_syllables() -> None:
    names = [prepared(n) for n in ("Xi Jinping", "习近平", "Kim Jong Un", "김정은")]
    tables = NameTables(names)
    kernel = tables.kernel()
    q = prepared("Xi Jinping")
    bare, keyed = tables.query(q, False), tables.query(q, True)
    for positions, asks in (([0, 2], False), ([0, 1], True), ([3], True), ([], False)):
        found = kernel.evaluate(bare, positions, -math.inf, tables.unlowered, None, True)
        assert (found is None) == asks, positions
        # with the keys, or not asked, the pass is made
        assert kernel.evaluate(keyed, positions, -math.inf, tables.unlowered, None,
                               True) is not None
        assert kernel.evaluate(bare, positions, -math.inf, tables.unlowered) is not None
    # the scores made with the keys asked for are those of the names scored one by one
    scores = CandidateScores(tables, q, [0, 1, 2, 3])
    assert [scores.score(k) for k in range(4)] == [name_score(q, n).score for n in names]


def test_a_pass_reads_the_lowering_as_it_is_now() -> None:
    """The lowering's data is checked once for the array passed again (Kernel holds it),
    but read at each pass: a change made in place since counts."""
    names = [prepared(n) for n in ("Sergey Lavrov", "Sergey Lavrof", "Ramzan Kadyrov")]
    tables = NameTables(names)
    kernel = tables.kernel()
    query = tables.query(names[0], True)
    lowering = np.zeros(3, np.float64)
    _, scores, _ = kernel.evaluate(query, [0, 1, 2], 0.7, lowering)
    assert scores[0] == 1.0 and scores[1] > 0.7
    lowering[1] = -0.5  # (the matcher lowers a weak alias so)
    _, scores, _ = kernel.evaluate(query, [0, 1, 2], 0.7, lowering)
    assert scores[0] == 1.0 and scores[1] == -1.0  # below its floor now: not scored
    with pytest.raises(TypeError):
        kernel.evaluate(query, [0, 1, 2], 0.7, [0.0, 0.0, 0.0])  # type: ignore[call-overload]
    with pytest.raises(ValueError):
        kernel.evaluate(query, [0, 1, 2], 0.7, np.zeros((3, 2), np.float64)[:, 0])
