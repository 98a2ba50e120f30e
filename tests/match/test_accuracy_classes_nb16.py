"""A sixteenth-session class found reading the name-pair benchmark's errors: a legal form
written as two letters around a slash.

* Nordic companies write their form A/S (aktieselskab, aksjeselskap), Brazilian ones S/A
  (sociedade anônima). The slash split the form into two letters, each read as a
  person's initial (half a name's weight), so "X A/S" against the listed "X AS" or "X"
  lost what two words left out lose. Two letters around a slash that spell a one-word form
  as the forms table writes it are now that form (``names._slashed_forms``), as dots join
  the letters of S.A.; other letters so written (I/E, J/V: the initials of import /
  export, joint venture) stay letters, and a person's name is left alone.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, compare_names
from discreet.text.names import NameClass, parse_name
from tests.match.scoring import assert_kernel_scores_random_names, both_scores


@pytest.mark.parametrize(("query", "listed", "kind"), [
    ("Fjordvik Rederi A/S", "FJORDVIK REDERI AS", "org"),
    ("Fjordvik Rederi A/S", "FJORDVIK REDERI", "org"),
    ("Cabral Metalurgica S/A", "CABRAL METALURGICA S.A.", "org"),
    ("Fjordvik Rederi A/S", "FJORDVIK REDERI AS", "any"),
    ("Cabral Metalurgica S/A", "CABRAL METALURGICA SA", "any"),
])
def test_a_form_written_with_a_slash_is_the_form(query: str, listed: str,
                                                kind: NameClass) -> None:
    assert both_scores(query, listed, kind, kind) >= 0.95


@pytest.mark.parametrize(("name", "kind", "form"), [
    ("Fjordvik Rederi A/S", "org", "A/S"),
    ("Fjordvik Rederi A/S", "any", "A/S"),
    ("Cabral Metalurgica S/A", "org", "S/A"),
])
def test_the_slashed_letters_are_one_legal_form(name: str, kind: NameClass, form: str) -> None:
    tokens = parse_name(name, kind)
    assert [t.kind for t in tokens][-1] == "legal"
    assert len(tokens) == 3
    assert tokens[-1].source == form.replace("/", "").lower()


@pytest.mark.parametrize(("name", "kind", "letters"), [
    ("Kestrel Trading I/E Co Ltd", "org", ("i", "e")),  # import / export
    ("Kestrel Machinery J/V Corporation", "org", ("j", "v")),  # joint venture
    ("Anand s/o Ravindran", "person", ("s", "o")),  # son of: a person's name is left alone
    ("Anand A/S Ravindran", "person", ("a", "s")),
])
def test_other_slashed_letters_stay_letters(name: str, kind: NameClass,
                                            letters: tuple[str, str]) -> None:
    texts = [t.source for t in parse_name(name, kind)]
    assert any(tuple(texts[k:k + 2]) == letters for k in range(len(texts) - 1))


@pytest.mark.parametrize(("query", "listed"), [
    ("Kestrel Trading I/E Co Ltd", "KESTREL TRADING IMPORT EXPORT CO LTD"),
    ("Kestrel Machinery J/V Corporation", "KESTREL MACHINERY JOINT VENTURE CORPORATION"),
])
def test_slashed_initials_still_meet_their_words(query: str, listed: str) -> None:
    assert compare_names(query, listed, "Company") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Fjordvik Rederi A/S", "FJORDLUND REDERI AS"),  # another company of the trade
    ("Fjordvik A/S", "FJORDVIK HOLDING APS"),  # another form: an anpartsselskab
    ("Cabral Metalurgica S/A", "CARVAL SIDERURGICA S.A."),
])
def test_other_companies_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") < DEFAULT_THRESHOLD


def test_kernel_scores_slashed_forms_as_python() -> None:
    assert_kernel_scores_random_names(
        ("fjordvik", "a/s", "s/a", "rederi", "i/e", "holding", "as", "aps", "cabral"), 1616)
