"""A typing slip on top of a spelling variant, in an organisation's name written whole
(issue 10, held-out aliases with a typo).

``score.lone_variant`` caps at ``one_word_cap`` a query whose one word of substance meets a
list word only as a variant more than one slip apart (Vargas / WARGOS INDUSTRY LTD): two
look-alike brands. A held-out alias that is itself a variant of the list word ("Sham" for
CHAM) and then typed with a slip ("Shamm") sat on that cap with the look-alikes. What tells
the two apart: the typed name is the list name whole (every word of both paired, nothing
left over), and one of its edits is a slip of the fingers (a letter typed twice, two
neighbours swapped, a letter dropped), not a letter typed for another, which spells another
name as often. That edit is then not counted against the word. Each case is checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import OSA

from discreet.match.rules import RULES
from discreet.match.score import _slip_undone, lone_variant, name_score
from tests.match.scoring import assert_kernel_scores_as_python, both_scores, prepared


def _lone(query: str, listed: str) -> bool:
    q, name = prepared(query, "org"), prepared(listed, "org")
    return lone_variant(q, name, name_score(q, name).alignment)


@pytest.mark.parametrize(("query", "listed"), [
    ("Vellmora", "VELMURA"),  # l typed twice, on a vowel variant
    ("Kalinor", "KALLINAR"),  # l dropped, on a vowel variant
    ("Gromvel", "GROMWELL"),  # l dropped, on v / w
    ("Tarvisk", "TAVRISQ"),  # r v swapped, on k / q
    ("Dranvok", "DRANOWK"),  # w dropped, o v swapped
    ("Ostrvia", "OSTROVIYA"),  # o dropped, on a y the list writes
    ("Kassrin Trading", "QASRIN TRADING"),  # s typed twice, on k / q; a generic word beside
    ("Zorrkan AO", "ZORKHAN AO"),  # a legal form beside
    ("Shamm Holding", "CHAM HOLDING"),  # real: held-out SHAM HOLDING with m typed twice
    ("Asskam", "SKAM"),  # real: held-out ASKAM with s typed twice
])
def test_a_slip_on_a_variant_of_a_name_written_whole_is_not_capped(
        query: str, listed: str) -> None:
    assert not _lone(query, listed)
    assert both_scores(query, listed, "org", "org") > RULES.one_word_cap


@pytest.mark.parametrize(("query", "listed"), [
    ("Zimmer", "SUMMER"),  # letters typed for others: a look-alike, not a slip
    ("Vargas", "WARGOS"),
    ("Bolton", "BALTAN"),
    ("Dorsen", "DARSON"),
    ("Mitchell", "MECHEL"),  # a slip undone leaves two edits in eight letters
    ("Cassiano", "KAZAN"),
    ("Shamm", "CHAM TRADING"),  # a list word left over: not the name written whole
    ("Vellmora Holding", "VELMURA"),  # a query word left over
    ("Barros", "BARUS LLC"),
    ("Vargas", "WARGOS INDUSTRY LIMITED"),
])
def test_look_alikes_and_names_not_written_whole_stay_capped(query: str, listed: str) -> None:
    assert _lone(query, listed)
    assert both_scores(query, listed, "org", "org") <= RULES.one_word_cap


def test_a_short_word_is_another_word() -> None:
    """Three letters with two edits: another acronym (PPC / PKK), slip or not."""
    assert _lone("PPC", "PKK")
    assert both_scores("PPC", "PKK", "org", "org") <= RULES.one_word_cap


@pytest.mark.parametrize(("a", "b", "slip"), [
    ("shamm", "cham", True),  # doubled
    ("vybso", "vaybos", True),  # swapped
    ("ynarmiya", "yunarmia", True),  # the list's u dropped
    ("zimmer", "summer", False),  # two letters typed for others
    ("vargas", "wargos", False),
    ("dorsen", "darson", False),
    ("cassiano", "kazan", True),  # ss typed twice: a slip, but four edits are left (capped)
])
def test_which_edits_are_slips(a: str, b: str, slip: bool) -> None:
    assert _slip_undone(a, b, OSA.distance(a, b)) is slip


def test_the_kernel_reads_slips_as_python_does() -> None:
    """One- and two-word organisations' names with slips and variants of their words, each
    against all: the kernel's scores, alignments and bounds are Python's."""
    words = ("Vellmora", "Velmura", "Shamm", "Cham", "Holding", "Asskam", "Skam", "Zimmer",
             "Summer", "Tarvisk", "Tavrisq", "Kalinor", "Kallinar", "PPC", "PKK", "AO",
             "Trading", "Gromvel", "Gromwell")
    rng = random.Random(25)
    names = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 3)))
             for _ in range(60)] + list(words)
    listed = [prepared(text.upper(), "org") for text in names]
    for text in names:
        for cls in ("org", "any"):
            assert_kernel_scores_as_python(prepared(text, cls), listed)
