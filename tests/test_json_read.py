"""The JSON line reader gives what ``json.loads`` gives: the same value (types, key order,
-0.0, long integers) or the same exception, for texts json writes, numbers written every
way, deep nesting and damaged bytes (hypothesis). The reader of the project's own entity
JSON (``loads_canonical``, no scans) gives it too, for every text an entity's writer can
write: that text holds no number (what the scans guard against)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.json_read import loads, loads_canonical
from discreet.model import Entity
from tests.test_model_json import ENTITIES

SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"])
TEXT = st.text(st.one_of(st.characters(), SURROGATES, st.sampled_from('"\\/\x00\x1f\x7f')),
               max_size=12)
NUMBER = st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,24})?([eE][+-]?[0-9]{1,3})?",
                       fullmatch=True)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), TEXT,
                   st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -2**63, -2**63 - 1]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)
# bytes that matter to a JSON reader, to damage a text with
NOISE = st.sampled_from([b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"\\u", b"0", b"9",
                         b"-", b"+", b".", b"e", b" ", b"\t", b"\r", b"\n", b"\x0c", b"\x00",
                         b"\xa0", b"\xc2\xa0", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xff",
                         b"NaN", b"Infinity", b"true", b"null", b"d800"])


def tokens(value: Any) -> Iterator[tuple[str, str]]:
    """The value as a flat sequence of (type, repr): equal only for the same types, values
    and key order (1 is not 1.0 nor True; -0.0 is not 0.0). Without recursion, so a value
    nested as deep as a reader allows can be compared."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield "{", str(len(item))
            for key, inner in reversed(list(item.items())):
                stack.extend([inner, ("key", key)])
        elif isinstance(item, list):
            yield "[", str(len(item))
            stack.extend(reversed(item))
        elif isinstance(item, tuple):
            yield item[0], repr(item[1])
        else:
            yield type(item).__name__, repr(item)


def outcome(read: Callable[[Any], Any], text: Any) -> tuple[Any, ...]:
    """What reading ``text`` gives: its tokens, or the exception's type and message."""
    try:
        value = read(text)
    except (ValueError, RecursionError) as exc:
        return ("raises", type(exc), str(exc))
    return ("value", list(tokens(value)))


def stdlib(text: bytes | str) -> Any:
    return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)


def same(text: bytes | str) -> None:
    assert outcome(loads, text) == outcome(stdlib, text)


@settings(max_examples=600)
@given(VALUE, st.booleans(), st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", "\r\n: ")]))
def test_texts_json_writes_read_the_same(value: Any, ascii_only: bool,
                                         separators: tuple[str, str]) -> None:
    """Escaped (\\u, surrogate pairs and lone surrogates) or not, NaN and Infinity, long
    integers, any separators; as bytes (a file's line) and as text (a stored row)."""
    text = json.dumps(value, ensure_ascii=ascii_only, separators=separators)
    same(text)
    same(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=400)
@given(st.lists(NUMBER, min_size=1, max_size=6))
def test_numbers_written_every_way_read_the_same(numbers: list[str]) -> None:
    """Long mantissas, exponents, -0, integers around 2**63 and 2**64 and far past them."""
    same(("[" + ",".join(numbers) + "]").encode())
    same(('{"n":' + numbers[0] + "}").encode())


@settings(max_examples=800)
@given(VALUE, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 2), NOISE), max_size=4))
def test_damaged_texts_read_or_fail_the_same(value: Any,
                                             edits: list[tuple[int, int, bytes]]) -> None:
    """A text with bytes inserted, replaced or deleted: the same value or the same error
    (message included), invalid UTF-8 and a BOM among them."""
    raw = bytearray(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    for where, how, noise in edits:
        at = where % (len(raw) + 1)
        if how == 0:
            raw[at:at] = noise
        elif how == 1:
            raw[at:at + len(noise)] = noise
        else:
            del raw[at:at + 1]
    same(bytes(raw))


@pytest.mark.parametrize("depth", [1, 100, 499, 500, 510, 900, 990, 1000, 1023, 1024,
                                   1025, 1500])
@pytest.mark.parametrize("shape", ["list", "object"])
def test_deep_nesting_reads_or_fails_the_same(depth: int, shape: str) -> None:
    """orjson nests up to 1,024 levels, json up to the recursion limit: a deep text is json's
    to read (a RecursionError where json meets the limit)."""
    opening, closing = ("[", "]") if shape == "list" else ('{"a":', "}")
    text = (opening * depth + "1" + closing * depth).encode()
    same(text)
    same(text.decode())


@pytest.mark.parametrize("text", [
    b'{"id":"x","n":123456789012345678901234567890}',  # past 64 bits: an int, not a float
    b'{"n":18446744073709551616}', b'{"n":-9223372036854775809}', b'{"n":9223372036854775808}',
    b'{"n":NaN}', b'{"n":-Infinity}', b'{"n":1e400}',  # json reads these; orjson refuses
    b'{"s":"\\ud800"}', b'{"s":"\\udc00\\ud800"}',  # lone surrogate escapes: json keeps them
    b'{"a":1,"b":2,"a":3}',  # a repeated key: the last value, at the first one's place
    b'{"a":1} x', b'{"a":"\x01"}', b"\xef\xbb\xbf{}", b"",  # refused, with json's message
])
def test_what_orjson_reads_otherwise_is_json_s(text: bytes) -> None:
    same(text)


def test_a_long_digit_run_in_a_string_reads_the_same() -> None:
    """A string of 19 digits or more (an IBAN) sends the text to json: the same value."""
    text = b'{"iban":["DE89370400440532013000"],"n":1}'
    assert loads(text) == {"iban": ["DE89370400440532013000"], "n": 1}
    same(text)


class _Number(Exception):
    """A number met in a JSON text."""


def _refuse(text: str) -> Any:
    raise _Number(text)


def numberless(text: str) -> Any:
    """``json.loads(text)``, raising :class:`_Number` at the first number (NaN and
    Infinity too): what proves a text holds none."""
    return json.loads(text, parse_int=_refuse, parse_float=_refuse, parse_constant=_refuse)


@pytest.mark.parametrize("text", ['{"n":1}', '[0]', '{"a":[{"b":-2.5e3}]}', '[NaN]'])
def test_a_number_is_told(text: str) -> None:
    """The proof's own check finds a number wherever it stands."""
    with pytest.raises(_Number):
        numberless(text)


@settings(max_examples=400)
@given(ENTITIES)
def test_an_entity_s_writer_writes_no_number(entity: Entity) -> None:
    """Every value of the wire form is text, a boolean, None, a list or a mapping: so the
    text an index stores never holds an integer orjson would read as a float, and
    ``loads_canonical`` reads it as ``json.loads`` does (also as a memoryview, as an
    index hands it over). A lone surrogate cannot be stored (UTF-8): not asked."""
    text = entity.to_json()
    value = numberless(text)  # raises at a number
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    assert outcome(loads_canonical, raw) == ("value", list(tokens(value)))
    assert outcome(loads_canonical, memoryview(raw)) == ("value", list(tokens(value)))


@pytest.mark.parametrize("text", [
    b'{"s":"\\ud800"}', b'{"s":["\\udc00\\ud800"]}',  # lone surrogate escapes: orjson refuses
    b'{"id":"x","schema":"Person","n":NaN}',  # json reads it, orjson refuses
    b'{"id":"x"', b"",  # damaged: json's message
])
def test_what_orjson_refuses_of_stored_json_is_json_s(text: bytes) -> None:
    assert outcome(loads_canonical, text) == outcome(stdlib, text)
    assert outcome(loads_canonical, memoryview(text)) == outcome(stdlib, text)
