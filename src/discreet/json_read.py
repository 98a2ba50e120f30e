"""One JSON text read as the standard library reads it, by orjson where both read it alike.

Neutral ground (it imports nothing of discreet's): the import of a list file reads its
lines by :func:`loads`, an index reads the entities it stored by :func:`loads_canonical`.

A million-entity FtM file is decoded twice (each pass reads every line) and its related
entities once more; orjson reads a line in about a third of json's time. It does not always
read the same value, though: an integer past 64 bits becomes a float, and it nests up to
1,024 levels where json stops at the recursion limit (a RecursionError). It refuses what
json accepts (NaN, Infinity, a number too big for a float, a lone surrogate escape) and
gives other messages for what both refuse. So a text that could hold a long integer or
nest deeply, and any text orjson refuses, is read by json: the value, or the exception,
is json's.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["loads", "loads_canonical"]

# Every digit made 0 and every other byte a space: a run of digits is found by one search.
_DIGITS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
# The fewest digits of an integer orjson reads as a float (2**63 has 19; JSON writes no
# leading zero); a run this long in a string only sends the text to json.
_LONG_RUN = b"0" * 19
# Brackets a text needs to nest past a depth at which json could meet the recursion limit
# (1,000 frames, some of them the caller's); below it neither reader stops on depth.
_DEEP = 500


def loads(text: bytes | str) -> Any:
    """``json.loads(text)`` (bytes as UTF-8): the same value, or the same exception."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _LONG_RUN not in raw.translate(_DIGITS) and (
            len(raw) < _DEEP or raw.count(b"[") + raw.count(b"{") < _DEEP):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # json says what is wrong, as it always did (or reads what orjson refuses)
    return json.loads(text if isinstance(text, str) else raw.decode("utf-8"))


def loads_canonical(text: bytes | memoryview) -> Any:
    """``json.loads`` of JSON the project wrote itself: an entity's wire form as
    :meth:`~discreet.model.Entity.to_json` writes it (what a store keeps and an index
    holds, read for every result of a query). That text holds no number at all (text,
    booleans, None, lists and mappings: tests/test_json_read.py proves it of the writer)
    and nests a few levels, so none of :func:`loads`' scans is needed: orjson reads it as
    json does. What orjson refuses (a lone surrogate escaped) is json's."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(bytes(text))
