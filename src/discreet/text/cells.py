"""What one value (a cell of a list file, a field of a query) holds once read: its words
with whitespace collapsed, or None for the markers lists write for "no value".

One rule for every reader, so that a blank written ``-0-`` (OFAC), ``00`` (EU's unknown
country) or ``n/a`` is no value wherever it appears, and never a country or a name.
"""

from __future__ import annotations

__all__ = ["NULLS", "clean"]

NULLS = frozenset({"", "-0-", "-", "n/a", "na", "none", "null", "unknown", "00"})


def clean(value: str | None) -> str | None:
    """Collapse whitespace; the sources' null markers (``-0-``, ``-``, ``""``) become None."""
    if value is None:
        return None
    text = " ".join(value.split())
    if text.lower() in NULLS:
        return None
    return text
