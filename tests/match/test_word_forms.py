"""Organisation names written with another form of the same word (issue 10): a country or
its adjective (Syria / Syrian), a word or its plural (Saving / Savings), a noun or its
adjective (Finance / Financial), in English, French, Spanish or German
(``text/data/word_forms.yml``). A form of a generic word is generic and never carries a name
alone; words that name different things (Petroleum / Petrochemical) are no forms of one.
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD
from discreet.text.names import parse_name
from discreet.text.terms import read_word_forms, terms
from tests.match.scoring import both_scores


def test_different_things_are_not_forms_of_one_word() -> None:
    forms = terms().word_forms
    for one, other in (("petroleum", "petrochemical"), ("arab", "arabian"),
                       ("commerce", "commercial"), ("inversiones", "investments")):
        assert forms.get(one, one) != forms.get(other, other)


def test_a_form_of_a_generic_word_is_generic() -> None:
    """Technological, Traders, Ships are forms of Technology, Trading, Shipping, generic
    words: a generic word's weight, never a name's (they were weighed as names)."""
    for name in ("Ostrava Technological", "Halden Traders", "Varnex Ships"):
        assert [t.kind for t in parse_name(name, "org")] == ["name", "generic"], name
        assert [t.kind for t in parse_name(name, "any")] == ["name", "generic"], name
    assert both_scores("Halden Traders", "Merrow Traders", "org", "org") < DEFAULT_THRESHOLD


def test_a_table_that_would_carry_names_is_refused() -> None:
    with pytest.raises(ValueError, match="generic"):
        read_word_forms({"words": {"harbour": ["trading"]}}, frozenset({"trading"}))
    with pytest.raises(ValueError, match="twice"):
        read_word_forms({"a": {"iran": ["iranian"]}, "b": {"persia": ["iranian"]}},
                        frozenset())
