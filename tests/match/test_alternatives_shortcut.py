"""A name with no slash and no semicolon lists no alternatives without running the
splitting expression (sp19: the expression cost a cold query about 1 % of its instructions),
and the parts of one with either are the expression's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match.pairs import _SLASH, alternatives

_NAME_CHARS = st.sampled_from([*"abcXYZ ();/-.'", "\u0410", "\u062d", "\u4e2d"])


def _alternatives_by_rule(name: str) -> list[str]:
    """:func:`alternatives`' parts as the expression splits them, whatever the name."""
    parts = [p.strip() for p in _SLASH.split(name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@settings(max_examples=400, deadline=None)
@given(st.text(_NAME_CHARS, max_size=24))
def test_alternatives_as_the_expression_splits(name: str) -> None:
    """Without a bracket (the acronym's rule, after the split), the parts are the split's;
    with neither slash nor semicolon the expression finds nothing to split at."""
    if "/" not in name and ";" not in name:
        assert _SLASH.split(name) == [name]
    if "(" not in name:
        assert alternatives(name) == _alternatives_by_rule(name)


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
