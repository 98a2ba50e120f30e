"""Numbers written as words or ordinals become digits: "Forty-Four" = "44", "1st" = "first"."""

from __future__ import annotations

import re

__all__ = ["NUMBER_SIGNS", "ROMAN", "numbers_to_digits", "roman_value", "writes_number"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# Roman numerals of two letters or more (a lone I or V is more often an initial).
ROMAN = re.compile(r"^(?=[ivxlc]{2,}$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# words that say "number" before one ("Fund No. 5", "Nr. 2", "№ 3", "#3" loses its sign
# when normalised): the number is what tells the entity, the sign says nothing of it
NUMBER_SIGNS = frozenset({"no", "nr", "nos", "num", "nro", "n"})


def roman_value(token: str) -> int:
    """The value of a roman numeral that :data:`ROMAN` reads, or of a lone i, v or x
    ("viii" = 8, "xiv" = 14): a letter before a greater one is subtracted."""
    total = 0
    for k, letter in enumerate(token):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[token[k + 1]] if k + 1 < len(token) else 0
        total += -value if value < following else value
    return total


def writes_number(token: str) -> bool:
    """A token :func:`numbers_to_digits` may read: a number word, or digits first ("1st")."""
    return token in _NUMBER_WORDS or token[:1].isdigit()


def numbers_to_digits(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Replace number words and ordinals by digits; tens and units combine (forty four = 44)."""
    for token in tokens:  # most names write no number: nothing to replace
        if writes_number(token):
            break
    else:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        ordinal = _ORDINAL.match(token)
        if ordinal:
            out.append(ordinal.group(1))
        elif token in _TENS:
            value = _TENS[token]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if _UNITS.get(nxt, 10) < 10:
                value += _UNITS[nxt]
                i += 1
            elif nxt.isdigit() and len(nxt) == 1:
                value += int(nxt)
                i += 1
            out.append(str(value))
        elif token in _UNITS:
            out.append(str(_UNITS[token]))
        else:
            out.append(token)
        i += 1
    return tuple(out)
