"""A name with none of the signs a field holding more than a name writes (a bracket, ";", a
slash, a lead, a trailing note's word; in a name not all ASCII, a colon or Latin letters
beside another script's) lists no alternatives without running an expression (sp19: the
splitting expression cost a cold query about 1 % of its instructions), and the parts of a
name in one script without brackets are the splitting expression's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match.pairs import alternatives
from discreet.text.compound import SEPARATORS, may_hold_parts
from discreet.text.scripts import scripts_of

_NAME_CHARS = st.sampled_from([*"abcXYZ ();/-.':", "\u0410", "\u062d", "\u4e2d"])


def _alternatives_by_rule(name: str) -> list[str]:
    """:func:`alternatives`' parts as the expression splits them, whatever the name: each
    once, and only those with a letter or a digit (a sign alone names nothing)."""
    parts = [p.strip() for p in SEPARATORS.split(name) if p.strip()]
    if len(parts) < 2:
        return [name]
    return list(dict.fromkeys([name, *(p for p in parts if any(c.isalnum() for c in p))]))


@settings(max_examples=400, deadline=None)
@given(st.text(_NAME_CHARS, max_size=24))
def test_alternatives_as_the_expression_splits(name: str) -> None:
    """Without a bracket, a colon or a second script, the parts are the split's; a name
    the precheck passes has no part at all."""
    if "/" not in name and ";" not in name:
        assert SEPARATORS.split(name) == [name]
    if not set("():").intersection(name) and len(scripts_of(name)) < 2:
        assert alternatives(name) == _alternatives_by_rule(name)
    if not may_hold_parts(name):
        assert alternatives(name) == [name]


def test_the_precheck_passes_plain_names() -> None:
    for name in ("Theodore John Doe", "José Pérez García", "Иван Петров", "محمد علي",
                 "ACME TRADING LLC"):
        assert not may_hold_parts(name)
    assert alternatives("Max Born") == ["Max Born"]  # the word checked, and a name
    for name in ("Ivan Petrov; Ivan Petroff", "Jin Wei (金伟)", "Ivan Petrov Иван Петров",
                 "Wang Wei, born in 1970", "Formerly known as Acme"):
        assert may_hold_parts(name)


def test_alternatives_named() -> None:
    assert alternatives("Al-Qa'ida/Islamic Army") == [
        "Al-Qa'ida/Islamic Army", "Al-Qa'ida", "Islamic Army"]
    assert alternatives("Ivan Petrov; Ivan Petroff") == [
        "Ivan Petrov; Ivan Petroff", "Ivan Petrov", "Ivan Petroff"]
    assert alternatives("Maersk A/S") == ["Maersk A/S"]  # a form, not alternatives
    assert alternatives("Theodore John Doe") == ["Theodore John Doe"]
    assert alternatives("  ") == ["  "]
    assert alternatives("KOREA KWANGSON BANKING CORPORATION (KKBC)") == [
        "KOREA KWANGSON BANKING CORPORATION (KKBC)", "KOREA KWANGSON BANKING CORPORATION"]
