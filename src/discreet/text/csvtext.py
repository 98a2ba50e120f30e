"""CSV text rules shared by the list parsers (``sources/``) and the customer-file readers
(``screen/``), so both sides read a file the same way; neither side imports the other;
and the one rule for a cell every CSV discreet writes (``spreadsheet_safe``).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_STARTS", "decode_line", "rowlike_lines", "spreadsheet_safe"]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# list files and customer files are untrusted, so a name may start with one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decode_line(raw: bytes) -> str:
    """UTF-8 when the line is valid UTF-8, else Windows-1252 (undefined bytes replaced):
    what spreadsheets on Windows and older published lists write."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def rowlike_lines(embedded: Iterable[str], delimiter: str, width: int) -> bool:
    """True when the lines after the first of a quoted value look like rows of their own.

    An unbalanced quote merges the rows after it into one field. A real multi-line value
    (an address "Rue X, 10, Paris", notes with commas) may hold a few delimiters on a
    line, so in a narrow file (under 5 columns) it takes two lines each with a row's worth
    of delimiters (``width - 1``, at least 2); in a wide file one such line is a row, free
    text with four or more delimiters on one line being rare.
    """
    need = max(width - 1, 2)
    rowlike = sum(1 for line in embedded if line.count(delimiter) >= need)
    return rowlike >= (1 if width >= 5 else 2)


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, quoted with a leading ``'``
    (shown as text, never run); numbers and other values are kept as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
