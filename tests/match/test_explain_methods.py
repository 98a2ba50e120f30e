"""Every way the matcher pairs two words has words a reviewer reads, in the plain-text
explanation and on the web page: a new method must not show as its bare code name."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher, Query, compare_names
from discreet.match._kernel import METHODS
from discreet.match.explain import _HOW
from discreet.model import Entity, Name

SCREEN_TEXT = Path(__file__).parents[2] / "src" / "discreet" / "web" / "text" / "screen.yml"


def _web_how() -> dict[str, str]:
    doc = yaml.safe_load(SCREEN_TEXT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "how" in node and isinstance(node["how"], dict):
                found.update(node["how"])
            for value in node.values():
                walk(value)
    walk(doc)
    return found


def test_every_kernel_method_is_worded_for_people() -> None:
    web = _web_how()
    methods = (set(METHODS) - {"none"}) | {"transliterated", "legal-form", "nickname", "equivalent"}
    for method in methods:
        assert _HOW.get(method), f"explain.py has no wording for {method!r}"
        assert web.get(method), f"screen.yml has no wording for {method!r}"


def test_a_nickname_pair_reads_as_one() -> None:
    matcher = Matcher.from_entities([Entity("e1", "Person", source="t",
                                            names=[Name("Robert Kowalczyk")])])
    assert compare_names("Bob Kowalczyk", "Robert Kowalczyk") >= 0.7
    text = matcher.match(Query("Bob Kowalczyk"), threshold=0.5)[0].explanation.to_text()
    assert "nickname or short form" in text


def test_words_read_across_scripts_are_transliterated_and_latin_ones_are_not() -> None:
    """A Cyrillic query against its Latin listing reads "transliterated"; a Latin query
    with accents against the same listing reads as the same word (asked again, as each
    result of a query asks it: the same answer)."""
    listed = Matcher.from_entities([Entity("t-1", "Person", names=[Name("Sergei Ivanov")])])
    for _ in range(2):
        cyrillic = listed.match(Query("Сергей Иванов", schema="Person"), threshold=0.5)
        latin = listed.match(Query("Sérgei Ivanov", schema="Person"), threshold=0.5)
        assert {t.method for t in cyrillic[0].explanation.tokens} == {"transliterated"}
        assert "transliterated" not in {t.method for t in latin[0].explanation.tokens}


def test_an_explanation_made_slot_by_slot_is_the_dataclass_s() -> None:
    """Explanations and their token matches are set slot by slot (faster than a frozen
    dataclass's __init__): every field set (one added and forgotten fails here), and the
    objects equal to the ones the constructors make, with the same hash."""
    from dataclasses import fields

    from discreet.match.explain import Explanation, TokenMatch

    listed = Matcher.from_entities([Entity("t-1", "Person", names=[Name("John Smith")])])
    found = listed.match(Query("Jon Smith", schema="Person"), threshold=0.5)[0].explanation
    assert found.tokens
    made_ones: list[Explanation | TokenMatch] = [found, *found.tokens]
    for made in made_ones:
        values = [getattr(made, f.name) for f in fields(made)]
        rebuilt = type(made)(*values)
        assert made == rebuilt and hash(made) == hash(rebuilt)
        assert made.to_dict() == rebuilt.to_dict()
    assert type(found) is Explanation and type(found.tokens[0]) is TokenMatch


def test_an_ascii_character_is_a_latin_letter_or_none() -> None:
    """What lets the test of a name written in another script pass ASCII over."""
    from discreet.text.scripts import char_script

    assert {char_script(chr(code)) for code in range(128)} == {"", "LATIN"}


_MIXED = st.text(st.one_of(st.sampled_from("aZ09 -'.,éøßĳŁ"),
                           st.sampled_from("ЖжДΩλخعגדगक中한ひカ"), st.characters()), max_size=16)


@settings(max_examples=500)
@given(_MIXED)
def test_a_name_written_in_another_script_is_told_as_its_scripts_tell(text: str) -> None:
    """The explanation's test (read up to the first letter of another script) says what
    the set of the text's scripts says, for Latin with accents, other scripts, mixes,
    digits and marks alike."""
    from discreet.match.explain import _written_apart
    from discreet.text.scripts import scripts_of

    assert _written_apart.__wrapped__(text) == bool(scripts_of(text) - {"LATIN"})
