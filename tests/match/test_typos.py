"""Names written with the typing errors of data entry: vowels left out, a space one letter off,
a long name cut by a field limit, two letters swapped.

Each class is tested on this file's own small entities with errors made here (not the
benchmark's generators, not its names), and on the real published lists (skipped outside
CI without them): the listed entity must come first, at or above the default threshold,
and clean names must not start alerting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.explain import build_explanation
from discreet.match.prepare import prepare_name, repair_forms
from discreet.match.rarity import default_rarity
from discreet.match.score import name_score
from discreet.match.similarity import token_similarity
from discreet.model import Entity, Name
from discreet.sources import open_list
from tests.conftest import require_shared

PEOPLE = ("Alexander Grigoryevich LUKASHENKO", "Hassan NASRALLAH", "Igor Ivanovich SECHIN",
          "Gennady Nikolayevich TIMCHENKO", "Yevgeny Viktorovich PRIGOZHIN",
          "Ramzan Akhmatovich KADYROV", "Vladimir PUTIN", "Malik NOORZAI",
          "Jenny Judith CORADO PORTILLO", "Mahmoud AHMADINEJAD")
COMPANIES = ("KALASHNIKOV CONCERN JOINT STOCK COMPANY", "NORTHERN STAR SHIPPING LIMITED",
             "PUBLIC JOINT STOCK COMPANY TRANSNEFT", "BELARUSIAN POTASH COMPANY",
             "SEVERNAYA VERF SHIPBUILDING PLANT OF SAINT PETERSBURG",
             "AKTSIONERNOE OBSHCHESTVO RYAZANSKII ZAVOD METALLOKERAMICHESKIKH PRIBOROV",
             "ARAB TIMBER MANUFACTURING COMPANY", "PORTICO CORP.",
             "TULA CARTRIDGE WORKS MILITARY ENGINEERING HOLDING")
FILLERS = tuple(f"{first} {last}" for first, last in itertools.product(
    ("Anna", "Boris", "Carlos", "Dmitri", "Elena", "Farid"),
    ("Mendez", "Okafor", "Larsen", "Novak", "Tanaka")))


def _vowels_dropped(name: str, y_is_vowel: bool = False) -> str:
    """Every vowel after a word's first letter left out (and y too, when asked)."""
    vowels = "aeiouy" if y_is_vowel else "aeiou"
    return "".join(c for k, c in enumerate(name)
                   if not (k and name[k - 1].isalpha() and c.lower() in vowels))


def _shifts(name: str) -> Iterator[str]:
    """The name with each space between two words of 3+ letters moved one letter either
    way."""
    for i, c in enumerate(name):
        if c == " " and name[max(0, i - 3):i].isalpha() and name[i + 1:i + 4].isalpha():
            yield name[:i - 1] + " " + name[i - 1] + name[i + 1:]
            yield name[:i] + name[i + 1] + " " + name[i + 2:]


def _cut(name: str, limit: int) -> str | None:
    return name[:limit].rstrip() if len(name) > limit else None


def _transpositions(name: str) -> Iterator[str]:
    """Two neighbouring letters of a word of 5+ letters swapped, one place per word."""
    start = 0
    for word in name.split(" "):
        if len(word) >= 5 and word.isalpha():
            i = start + len(word) // 2
            if name[i] != name[i + 1]:
                yield name[:i] + name[i + 1] + name[i] + name[i + 2:]
        start += len(word) + 1


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = [Entity(f"p{i}", "Person", source="test", names=[Name(n)])
                for i, n in enumerate(PEOPLE + FILLERS)]
    entities += [Entity(f"c{i}", "Company", source="test", names=[Name(n)])
                 for i, n in enumerate(COMPANIES)]
    return Matcher.from_entities(entities)


def _found(matcher: Matcher, query: str, schema: str, wanted: str) -> float:
    """The wanted name's score when it is the best result, else 0."""
    results = matcher.match(Query(query, schema=schema), limit=3)
    if results and results[0].entity.names[0].value == wanted:
        return results[0].score
    return 0.0


def _every(matcher: Matcher, make: Callable[[str], Iterator[str | None]]) -> list[str]:
    """Queries made by ``make`` from every fixture name that score below the threshold."""
    missed = []
    for names, schema in ((PEOPLE, "Person"), (COMPANIES, "Company")):
        for name in names:
            for query in make(name):
                if query and query != name and _found(matcher, query, schema,
                                                       name) < DEFAULT_THRESHOLD:
                    missed.append(query)
    return missed


def test_names_without_vowels_are_found(matcher: Matcher) -> None:
    """With or without y read as a vowel; the listed name comes first and alerts."""
    assert _every(matcher, lambda n: iter([_vowels_dropped(n), _vowels_dropped(n, True)])) == []


def test_a_space_one_letter_off_is_found(matcher: Matcher) -> None:
    assert _every(matcher, _shifts) == []


@pytest.mark.parametrize("limit", [30, 35, 40, 50])
def test_a_name_cut_by_a_field_limit_is_found(matcher: Matcher, limit: int) -> None:
    assert _every(matcher, lambda n: iter([_cut(n, limit)])) == []


def test_two_letters_swapped_are_found(matcher: Matcher) -> None:
    assert _every(matcher, _transpositions) == []


@pytest.mark.parametrize(("query", "listed", "cls"), [
    ("Rmzn Kdyrv", "RAMZAN KADYROV", "person"),
    ("Vldmr Ptn", "Vladimir Putin", "person"),
    ("Jnny Jdth CRD PRTLL", "Jenny Judith CORADO PORTILLO", "person"),
    ("MALIKN OORZAI", "MALIK NOORZAI", "person"),
    ("Vladimi rPutin", "Vladimir Putin", "person"),
    ("ARA BWOOD MANUFACTURING COMPANY", "ARAB WOOD MANUFACTURING COMPANY", "org"),
    ("AKTSIONERNOE OBSHCHESTVO RYAZANSKII",
     "AKTSIONERNOE OBSHCHESTVO RYAZANSKII ZAVOD METALLOKERAMICHESKIKH PRIBOROV", "org"),
    ("AHMDEINEJAD", "AHMADINEJAD", "person"),
])
def test_the_issue_s_examples_alert(query: str, listed: str, cls: str) -> None:
    rarity = default_rarity()
    score = name_score(prepare_name(query, cls, rarity),  # type: ignore[arg-type]
                       prepare_name(listed, cls, rarity))  # type: ignore[arg-type]
    assert score.score >= DEFAULT_THRESHOLD, (query, score)


def test_vowelless_words_pair_by_their_skeleton_only() -> None:
    assert token_similarity("lkshnk", "lukashenko", False) == (0.9, "vowelless")
    assert token_similarity("tmchnk", "timchenko", False)[1] == "vowelless"
    assert token_similarity("prgzhn", "prigozhin", False)[0] >= 0.85
    # another skeleton: no pairing by this rule
    assert token_similarity("lkshnk", "lukoshkin", False)[1] != "vowelless"
    assert token_similarity("brn", "bruno", False)[0] == 0.9  # b-r-n, vowels left out
    assert token_similarity("brn", "baron", False)[0] == 0.9
    assert token_similarity("brn", "brian", False)[0] == 0.9
    assert token_similarity("brn", "burton", False)[1] != "vowelless"  # b-r-t-n
    assert token_similarity("km", "kim", False) == (0.81, "vowelless")  # two letters: weaker
    # a word with vowels is no abbreviation of another
    assert token_similarity("sechin", "suchan", False)[1] != "vowelless"


def test_a_short_word_without_vowels_is_an_acronym_s() -> None:
    """An organisation named by one short word without vowels ("JSC SMN") is named by its
    initials, not Simon written without vowels; a person's "Ptn" is Putin."""
    rarity = default_rarity()
    for a, b in (("Simon", "JSC SMN"), ("JSC SMN", "Simon")):
        assert name_score(prepare_name(a, "org", rarity),
                          prepare_name(b, "org", rarity)).score < DEFAULT_THRESHOLD
    assert name_score(prepare_name("Vldmr Ptn", "person", rarity),
                      prepare_name("Vladimir Putin", "person", rarity)).score >= DEFAULT_THRESHOLD


def test_an_organisation_s_form_written_without_vowels_or_with_a_shifted_space_is_read() -> None:
    assert repair_forms("ZLT HLDNGS LMTD") == "zlt holdings limited"
    assert repair_forms("NORTHERN STAR SHIPPINGL IMITED") == "northern star shipping limited"
    assert repair_forms("Northern Star Shipping") is None  # nothing to restore
    assert repair_forms("Brwn Smth") is None  # not a form's word


def test_truncation_needs_a_long_query_whose_every_word_is_the_list_name_s() -> None:
    rarity = default_rarity()
    listed = prepare_name("SEVERNAYA VERF SHIPBUILDING PLANT OF SAINT PETERSBURG", "org", rarity)
    cut = name_score(prepare_name("SEVERNAYA VERF SHIPBUILDING PLA", "org", rarity), listed)
    assert cut.truncated and cut.score >= DEFAULT_THRESHOLD
    note = build_explanation(prepare_name("SEVERNAYA VERF SHIPBUILDING PLA", "org", rarity),
                             listed, cut, score=cut.score)
    assert any("truncated" in n for n in note.notes)
    assert any(t.method == "truncated" for t in note.tokens)
    # a short query is a whole name: the rest of the list name is left out, not cut off
    short = name_score(prepare_name("SEVERNAYA VERF", "org", rarity), listed)
    assert not short.truncated and short.score < cut.score
    # a word of its own (not the list name's): no truncation either
    other = name_score(prepare_name("SEVERNAYA VERF SHIPBUILDING MARINA", "org", rarity),
                       listed)
    assert not other.truncated and other.score < DEFAULT_THRESHOLD


CLEAN = ("Anna Lukas", "Maria Brown", "Hans Peter Schmidt", "Northern Lights Bakery Ltd",
         "Star Shipping Agency", "Mr Brwn", "Ptr Smth", "Jnsn Consulting Group")


def test_clean_names_do_not_alert(matcher: Matcher) -> None:
    for name in CLEAN:
        for schema in (None, "Person", "Company"):
            results = matcher.match(Query(name, schema=schema), limit=1)
            assert not results or results[0].score < DEFAULT_THRESHOLD, (name, results[0])


# -- the real lists ----------------------------------------------------------------------

REAL_LISTS = ("un/un_consolidated_2026-02-27.xml",
              "uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml")
PER_CLASS = 60


@pytest.fixture(scope="module")
def real() -> tuple[Matcher, list[Entity]]:
    folder = require_shared()
    entities: list[Entity] = []
    for rel in REAL_LISTS:
        entities += open_list(folder / rel)[1]
    return Matcher.from_entities(entities), entities


def _recall(real: tuple[Matcher, list[Entity]], make: Callable[[str], str | None],
            start: int) -> float:
    """Share of PER_CLASS list names (from every other eligible one on, after ``start``),
    made into queries by ``make``, whose entity is among the best five at the threshold."""
    matcher, entities = real
    latin = [e for e in entities if e.names and e.names[0].value.isascii()]
    found = total = 0
    for entity in latin[start:] + latin[:start]:
        query = make(entity.names[0].value)
        if not query or query == entity.names[0].value:
            continue
        total += 1
        results = matcher.match(Query(query, schema=entity.schema), limit=5)
        found += any(r.entity.id == entity.id and r.score >= DEFAULT_THRESHOLD
                     for r in results)
        if total == PER_CLASS:
            break
    assert total == PER_CLASS
    return found / total


def test_typos_of_real_list_names_are_found(real: tuple[Matcher, list[Entity]]) -> None:
    assert _recall(real, _vowels_dropped, 0) >= 0.85
    assert _recall(real, lambda n: _vowels_dropped(n, True), 300) >= 0.85
    assert _recall(real, lambda n: next(_shifts(n), None), 100) >= 0.9
    assert _recall(real, lambda n: _cut(n, 30), 200) >= 0.9
    assert _recall(real, lambda n: _cut(n, 40), 0) >= 0.9
    assert _recall(real, lambda n: next(_transpositions(n), None), 400) >= 0.9
