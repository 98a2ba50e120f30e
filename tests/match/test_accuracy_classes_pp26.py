"""A person's name part left out with its particle ("de Pfeffel", "al-Rawi", "van der
Bellen", "bin Salman"): one word left out, not two (issue 10, bench_names' people).

The particle costs nothing beside its word and the name is weighed as if it did not write
it, so "Boris Johnson" scores against Alexandre Boris de Pfeffel Johnson as against
Alexandre Boris Pfeffel Johnson. A particle whose word is met still costs its own, and an
organisation's particles are its words (a conjunction before a legal word, "Marie de
Lourdes Company"). Each rule is checked on the Python scorer and on the compiled kernel
(they must agree, the bound never below the score).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD
from discreet.match.score import name_score
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    prepared,
)


def _person(query: str, listed: str) -> float:
    return both_scores(query, listed, "person", "person")


@pytest.mark.parametrize(("query", "with_particle", "without"), [
    # real list names and made-up ones, in the languages that write particles
    ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson", "Alexandre Boris Pfeffel Johnson"),
    ("Juan Perez", "Juan de la Cruz Perez", "Juan Cruz Perez"),
    ("Maria Garcia", "Maria de los Angeles Garcia", "Maria Angeles Garcia"),
    ("Pieter Smit", "Pieter van der Brug Smit", "Pieter Brug Smit"),
    ("Saif Taha", "Saif al-Rawi Taha", "Saif Rawi Taha"),
    ("Luiz Lula", "Luiz Inacio Lula da Silva", "Luiz Inacio Lula Silva"),
    ("Mohammed", "Mohammed bin Salman", "Mohammed Salman"),
])
def test_a_particle_left_out_with_its_word_is_as_if_not_written(
        query: str, with_particle: str, without: str) -> None:
    assert _person(query, with_particle) == pytest.approx(_person(query, without), abs=1e-9)
    assert _person(with_particle, query) == pytest.approx(_person(without, query), abs=1e-9)


@pytest.mark.parametrize(("query", "listed"), [
    ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson"),  # bench_names, nk_checks
    ("Juan Perez", "Juan de la Cruz Perez"),
    ("Maria Garcia", "Maria de los Angeles Garcia"),
    ("Kees Jansen", "Kees van den Heuvel Jansen"),
])
def test_a_given_name_and_surname_met_in_a_longer_name_with_particles_alert(
        query: str, listed: str) -> None:
    assert _person(query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Alexander Bellen", "Alexander van der Bellen"),  # the particle's word is met
    ("Pedro Silva", "Pedro da Silva"),
    ("Omar Rawi", "Omar al-Rawi"),
])
def test_a_particle_whose_word_is_met_still_costs(query: str, listed: str) -> None:
    q, name = prepared(query, "person"), prepared(listed, "person")
    assert name_score(q, name).omission > 0.0
    assert _person(query, listed) < 1.0


@pytest.mark.parametrize(("query", "listed"), [
    ("Marie", "MARIE DE LOURDES COMPANY LIMITED"),
    ("Melo", "QUINONES MELO Y CIA. LTDA."),
])
def test_an_organisations_particles_are_its_words(query: str, listed: str) -> None:
    q, name = prepared(query, "org"), prepared(listed, "org")
    without = listed.replace(" DE ", " ").replace(" Y ", " ")
    assert name_score(q, name).score < name_score(q, prepared(without, "org")).score


def test_the_particles_other_words_are_unchanged() -> None:
    # another word on each side (a different surname) is still a contradiction
    assert _person("Juan de la Cruz Perez", "Juan de la Vega Perez") < DEFAULT_THRESHOLD
    assert _person("Juan Cruz", "Juan de la Vega") < DEFAULT_THRESHOLD


def test_kernel_scores_names_with_particles_as_python() -> None:
    query = prepared("Boris Johnson", "person")
    assert_kernel_scores_as_python(query, [prepared(n, "person") for n in (
        "Alexandre Boris de Pfeffel Johnson", "Boris de Johnson", "de Boris Johnson",
        "Boris Johnson de", "Boris van der Johnson", "Alexandre de la Boris Johnson",
        "Boris al-Johnson bin Pfeffel", "Boris Johnson bin", "van der de la")])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kernel_scores_random_persons_with_particles_as_python(seed: int) -> None:
    assert_kernel_scores_random_names(
        ("boris", "johnson", "de", "la", "van", "der", "al", "bin", "pfeffel", "abu", "cruz"),
        seed, "person")
