"""Organisation names written with another form of the same word (issue 10): a country or
its adjective (Syria / Syrian), a word or its plural (Saving / Savings), a noun or its
adjective (Finance / Financial), in English, French, Spanish or German.

The lists' names are indexed as written; a name screened (but a person's) is also read with
each such word in its other forms (``text/data/word_forms.yml``, ``text/word_forms.py``,
``match/pairs.py: query_alternatives``): the index proposes the listed name and the scorer
(Python and the kernel alike) compares the same words. Words that name different things
(Petroleum / Petrochemical, Arab / Arabian) stay apart; a form of a generic word is generic
and never carries a name alone.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.matcher import CANDIDATES
from discreet.match.pairs import compare_names, query_alternatives
from discreet.model import Entity, Name
from discreet.text.names import NameClass, parse_name
from discreet.text.terms import read_word_forms, terms
from tests.match.scoring import assert_kernel_scores_as_python, both_scores, prepared

# (the name as one list writes it, as another writes it with other forms of its words)
_FORMS = [
    ("Syria Cement Company", "Syrian Cement Company"),
    ("Korean Mining Development Corporation", "Korea Mining Development Corporation"),
    ("Merrow Savings Cooperative", "Merrow Saving Cooperative"),
    ("Corvane Financial Services", "Corvane Finance Services"),
    ("Tessaro Engineers Group", "Tessaro Engineering Group"),
    ("Banco Financiero Andorin", "Banco Financiera Andorin"),
    ("Banque Libyenne de Transport Marin", "Banque Libye de Transport Marin"),
    ("BELARUSIAN POTASH TRADING", "BELARUS POTASH TRADING"),
    ("Compagnie Coréenne de Navigation Halvane", "Compagnie Corée de Navigation Halvane"),
]


def _matcher(listed: list[tuple[str, str]]) -> Matcher:
    filler = [(f"z{k}", f"{w} {v} Limited") for k, (w, v) in enumerate(
        (w, v) for w in ("Alder", "Birch", "Cedar", "Dorn", "Elm", "Fir", "Gale", "Hazel")
        for v in ("Mining", "Textiles", "Foods", "Motors", "Paper", "Glass", "Cables"))]
    return Matcher.from_entities(
        [Entity(id=i, schema="Company", names=[Name(n)]) for i, n in listed + filler])


@pytest.mark.parametrize(("listed", "query"), _FORMS)
@pytest.mark.parametrize("schema", ["Company", None])
def test_another_form_of_a_word_scores_as_the_word(listed: str, query: str,
                                                   schema: str | None) -> None:
    """Found as the name written with the listed forms is: the same score (fuzzy before),
    the kernel scoring each reading as Python does."""
    matcher = _matcher([("x", listed)])
    same = matcher.match(Query(listed, schema=schema), threshold=0.5)
    found = matcher.match(Query(query, schema=schema), threshold=0.5)
    assert [r.entity.id for r in found][:1] == ["x"]
    assert found[0].score == same[0].score >= DEFAULT_THRESHOLD
    assert compare_names(query, listed, schema) == compare_names(listed, listed, schema)
    cls: NameClass = "org" if schema else "any"
    for text in query_alternatives(query, cls):
        assert_kernel_scores_as_python(prepared(text, cls), [prepared(listed, "org")])


@pytest.mark.parametrize(("one", "other"), [
    ("National Petrochemical Company", "National Petroleum Company"),  # not the same thing
    ("Arab Commercial Bank", "Arabian Commercial Bank"),
    ("Delta Industries", "Omega Industrial"),  # only a generic word alike
    ("Syrian Trading Company", "Syria Marine Company"),  # only a country alike
    ("Korea Zinc Mining", "Korean Steel Works"),
    ("Iranian Tobacco Holdings", "Iran Textile Holding"),
    ("Halden Savings", "Merrow Saving"),
])
@pytest.mark.parametrize("schema", ["Company", None])
def test_other_names_stay_apart(one: str, other: str, schema: str | None) -> None:
    assert compare_names(one, other, schema) < DEFAULT_THRESHOLD
    assert compare_names(other, one, schema) < DEFAULT_THRESHOLD


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


def test_a_persons_name_is_read_as_written() -> None:
    """A surname that is a country's adjective is a surname: a person's name screened is
    not read again, and scores as it did."""
    assert query_alternatives("Maria RUSSIAN", "person") == ["Maria RUSSIAN"]
    matcher = Matcher.from_entities([Entity(id="p", schema="Person",
                                            names=[Name("Maria RUSSIA")])])
    found = matcher.match(Query("Maria RUSSIAN", schema="Person"), threshold=0.3)
    same = matcher.match(Query("Maria RUSSIA", schema="Person"), threshold=0.3)
    assert found[0].score < same[0].score
    assert compare_names("Maria RUSSIAN", "Maria RUSSIA", "Person") < \
        compare_names("Maria RUSSIA", "Maria RUSSIA", "Person")


def test_a_table_that_would_carry_names_is_refused() -> None:
    with pytest.raises(ValueError, match="generic"):
        read_word_forms({"words": {"harbour": ["trading"]}}, frozenset({"trading"}))
    with pytest.raises(ValueError, match="twice"):
        read_word_forms({"a": {"iran": ["iranian"]}, "b": {"persia": ["iranian"]}},
                        frozenset())


def test_the_index_proposes_the_other_form() -> None:
    """The listed name is proposed for a reading of the query, and found."""
    listed = [("a", "Merrow Saving Bank"), ("b", "Syria Cement Company"),
              ("c", "Corvane Finance S.A."), ("e", "Merrow Trust Bank"),
              ("f", "Syria Marine Company")]
    matcher = _matcher(listed)
    for query, expected in (("Merrow Savings Bank", "a"), ("Syrian Cement Company", "b"),
                            ("Corvane Financial S.A.", "c")):
        proposed = {matcher.entities[matcher.owners[pos]].id
                    for text in query_alternatives(query, "any")
                    for pos in matcher.index.candidates(prepared(text, "any"), CANDIDATES)}
        assert expected in proposed, query
        results = matcher.match(Query(query), threshold=0.5)
        assert [r.entity.id for r in results][:1] == [expected]
        assert results[0].score >= DEFAULT_THRESHOLD
