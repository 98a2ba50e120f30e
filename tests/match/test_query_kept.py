"""What a new query's preparation keeps instead of making again (qp22): a query name's
alternatives, made once by Matcher.readings and read again by Matcher.match for its
results' notes (Matcher.written), and the scripts of a text, kept for the names met
lately (text.scripts.scripts_of); each must be what the rule makes."""

from __future__ import annotations

import random

import pytest

from discreet.match import Matcher, Query
from discreet.match.pairs import alternatives, query_alternatives
from discreet.model import Entity, Name
from discreet.text import scripts
from discreet.text.names import name_class
from discreet.text.scripts import scripts_of

_NAMES = ("Nazem SABETI", "Ivan PETROV", "Jin Tiesan", "Hassan GHUL", "Acme Trading LLC",
          "Bank Melli Iran")
# made-up names of several shapes: plain, two scripts side by side, alternatives with a
# slash or a semicolon, a bracketed acronym, Arabic, Cyrillic and Han letters
_QUERIES = ("ناظم ثابتی", "Nazem Sabeti", "Иван Петров", "Jin Tiesan (金铁三)",
            "حسن غول (Hassan Ghul; Hassan Gul)", "Acme Trading LLC/Acme Holdings",
            "KOREA KWANGSON BANKING CORPORATION (KKBC)", "金铁三", "Ab Slmn Al-Shmr", "")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities([
        Entity(id=f"e{i}", schema="Company" if "LLC" in n or "Bank" in n else "Person",
               names=[Name(n)]) for i, n in enumerate(_NAMES)])


@pytest.mark.parametrize("schema", ["Person", "Company", "Organization", None])
@pytest.mark.parametrize("name", _QUERIES)
def test_the_written_alternatives_are_the_rules(matcher: Matcher, name: str,
                                                schema: str | None) -> None:
    cls = name_class(schema)
    readings = matcher.readings(name, cls)
    assert [r.original for r in readings] == query_alternatives(name, cls)
    assert matcher.written(name, cls) == tuple(alternatives(name))
    # asked again (kept): the same answers, a tuple no caller may change
    assert matcher.readings(name, cls) is readings
    assert matcher.written(name, cls) is matcher.written(name, cls)
    assert isinstance(matcher.written(name, cls), tuple)


def test_query_alternatives_given_the_alternatives_reads_them() -> None:
    for name in _QUERIES:
        for cls in ("person", "org", "any", None):
            written = alternatives(name)
            assert query_alternatives(name, cls, written) == query_alternatives(name, cls)
            assert query_alternatives(name, cls, tuple(written)) == \
                query_alternatives(name, cls)
            assert written == alternatives(name)  # (not changed)
    # the texts given are the ones read: another list gives other readings
    assert query_alternatives("Jin Tiesan", "person", ["Jin Tiesan", "Jin Tie"]) == \
        ["Jin Tiesan", "Jin Tie"]


def test_the_note_of_another_reading_still_comes_from_the_written_texts(
        matcher: Matcher) -> None:
    found = matcher.match(Query("ناظم ثابتی", schema="Person"))
    assert found and found[0].entity.id == "e0"
    notes = found[0].explanation.notes if found[0].explanation else ()
    assert any("ناظم ثابتی" in note for note in notes)  # compared as Persian reads it
    # a name compared as written gets no such note
    plain = matcher.match(Query("Nazem Sabeti", schema="Person"))
    assert plain and plain[0].explanation is not None
    assert not any("read" in note and "Persian" in note for note in plain[0].explanation.notes)


def test_kept_scripts_are_the_rules_and_cannot_be_changed() -> None:
    rng = random.Random(11)
    letters = "abcXYZ ивжДЖ ابت אב 金铁 가나 αβ 123-'.()"
    for _ in range(3_000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert scripts_of(text) == scripts._scripts(text)
        assert scripts_of(text) == {s for s in map(scripts.char_script, set(text)) if s}
    found = scripts_of("Иван Smith")
    assert found == {"CYRILLIC", "LATIN"}
    assert isinstance(found, frozenset)  # kept: no caller may change it
    assert scripts_of("Иван Smith") is found


def test_a_long_text_is_read_and_not_kept() -> None:
    scripts._kept_scripts.cache_clear()
    text = "Иван " * 200 + "Smith"
    assert scripts_of(text) == {"CYRILLIC", "LATIN"}
    assert scripts._kept_scripts.cache_info().currsize == 0
    assert scripts_of("Иван") == {"CYRILLIC"}
    assert scripts._kept_scripts.cache_info().currsize == 1


def test_readings_are_kept_by_class_and_bounded_together(
        monkeypatch: pytest.MonkeyPatch, matcher: Matcher) -> None:
    """A name read again in its class is the readings made before (the same objects), in
    another class its own; the names of every class are kept together up to the bound
    (then forgotten, and read again as the rule reads them)."""
    from discreet.match import matcher as matcher_module
    monkeypatch.setattr(matcher_module, "_PREPARED_CACHE", 4)
    monkeypatch.setitem(matcher.__dict__, "_readings", {})
    first = matcher.readings("Ivan Petrov", "person")
    assert matcher.readings("Ivan Petrov", "person") is first
    other = matcher.readings("Ivan Petrov", "org")
    assert other is not first and other == tuple(
        matcher.prepare(text, "org") for text in query_alternatives("Ivan Petrov", "org"))
    matcher.readings("Acme Trading LLC", "org")
    matcher.readings("Hassan Ghul", "any")
    kept = matcher.__dict__["_readings"]
    assert sum(map(len, kept.values())) == 4
    again = matcher.readings("Jin Tiesan", "any")  # the fifth: every class's forgotten
    assert sum(map(len, kept.values())) == 1 and kept["any"] == {
        "Jin Tiesan": (again, matcher.written("Jin Tiesan", "any"))}
    assert matcher.readings("Ivan Petrov", "person") is not first
    assert matcher.readings("Ivan Petrov", "person") == first
