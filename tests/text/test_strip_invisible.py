"""A printable text has no format or control character to drop: _strip_invisible returns
it without a look at each character (sp19), and any other text as by the characters'
categories."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.text.normalize import _strip_invisible, to_latin


def test_printable_characters_are_never_format_or_control() -> None:
    """What the printable shortcut rests on, for every code point of this Unicode database."""
    for code in range(0x110000):
        c = chr(code)
        if c.isprintable():
            assert unicodedata.category(c) not in ("Cf", "Cc"), hex(code)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_strip_invisible_as_by_category(text: str) -> None:
    by_category = "".join(c for c in text
                          if c.isspace() or unicodedata.category(c) not in ("Cf", "Cc"))
    assert _strip_invisible(text) == by_category


def test_invisible_characters_named() -> None:
    assert _strip_invisible("Иван\u200bов") == "Иванов"  # a zero-width space
    assert _strip_invisible("\u202bمحمد\u202c") == "محمد"  # bidi embedding marks
    assert _strip_invisible("Иван\tов\x07") == "Иван\tов"  # a tab is a space; a bell is not
    printable = "Владимир Путин"
    assert _strip_invisible(printable) is printable
    assert to_latin("Влади\u200dмир Пу\u00adтин") == to_latin("Владимир Путин")
