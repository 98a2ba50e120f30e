"""Mutations of a published file's bytes, drawn by hypothesis.

Each mutation is one defect a real download or a hostile sender can produce: a cut at any
byte, a cut inside a quoted value or an element's text, a missing last newline, flipped
bytes, another encoding, a field of many megabytes, deep nesting, wrong JSON types and
broken CSV rows. A mutation is a small value (kind and parameters) so that hypothesis can
shrink it, and ``apply`` turns the original bytes into the mutated file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = ["KINDS", "TRUNCATIONS", "Mutation", "mutations"]

TRUNCATIONS = ("truncate", "truncate_in_field", "drop_last_newline")
COMMON = (*TRUNCATIONS, "flip", "reencode", "huge_field", "nesting")
KINDS: dict[str, tuple[str, ...]] = {
    "xml": COMMON,
    "csv": (*COMMON, "row_structure"),
    "json": (*COMMON, "wrong_types"),
    "xlsx": ("truncate", "flip"),  # a zip: its text mutations would only break the zip
}
ENCODINGS = ("latin-1", "utf-16", "utf-7", "cp1252", "utf-8-sig")

# Where a value starts: after an opening quote (CSV), after a start tag (XML), after
# '": "' (JSON). A cut or an insertion there lands inside a field.
FIELD_STARTS = {
    "csv": re.compile(rb'(?:^|[,;\t])"(?=[^"\r\n])', re.M),
    "xml": re.compile(rb">(?=[^<\s])"),
    "json": re.compile(rb'": "(?=[^"])'),
}
START_TAG = re.compile(rb"<[A-Za-z][^<>/!?]*>")


@dataclass(frozen=True)
class Mutation:
    """One defect: ``kind`` and the fractions / sizes that place it in the file."""

    kind: str
    where: float = 0.5
    size: int = 1
    variant: int = 0

    def describe(self) -> str:
        return f"{self.kind}(where={self.where:.4f}, size={self.size}, variant={self.variant})"

    def apply(self, data: bytes, family: str) -> bytes:
        return getattr(self, f"_{self.kind}")(data, family)  # type: ignore[no-any-return]

    # -- truncations --------------------------------------------------------------------

    def _truncate(self, data: bytes, family: str) -> bytes:
        return data[: max(1, min(len(data) - 1, int(len(data) * self.where)))]

    def _truncate_in_field(self, data: bytes, family: str) -> bytes:
        start = self._field_start(data, family)
        return data[: start + min(self.size % 7, 3)]

    def _drop_last_newline(self, data: bytes, family: str) -> bytes:
        body = data.rstrip(b"\x1a")  # OFAC CSV ends with an EOF byte after the last newline
        marker = data[len(body):]
        return body.rstrip(b"\r\n") + (b"" if self.variant % 2 else marker)

    # -- corruption ---------------------------------------------------------------------

    def _flip(self, data: bytes, family: str) -> bytes:
        out = bytearray(data)
        step = max(1, len(data) // (self.size % 8 + 1))
        for i in range(self.size % 8 + 1):
            pos = (int(len(data) * self.where) + i * step) % len(data)
            out[pos] ^= (self.variant % 255) + 1
        return bytes(out)

    def _reencode(self, data: bytes, family: str) -> bytes:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
        encoding = ENCODINGS[self.variant % len(ENCODINGS)]
        return text.encode(encoding, "replace")

    def _huge_field(self, data: bytes, family: str) -> bytes:
        start = self._field_start(data, family)
        filler = (b"A" if self.variant % 2 else "Ж".encode()) * (1 << (16 + self.size % 9))
        return data[:start] + filler + data[start:]

    def _nesting(self, data: bytes, family: str) -> bytes:
        depth = 1 << (8 + self.size % 10)  # 256 .. 131072 levels
        if family == "xml":
            tags = list(START_TAG.finditer(data))
            at = tags[int(len(tags) * self.where) % len(tags)].end() if tags else len(data) // 2
            return data[:at] + b"<n>" * depth + b"</n>" * depth + data[at:]
        if family == "json":
            lines = data.splitlines(keepends=True)
            deep = b'{"id": "deep", "schema": "Person", "properties": {"name": ' + \
                b"[" * depth + b'"x"' + b"]" * depth + b"}}\n"
            at = int(len(lines) * self.where) % (len(lines) + 1)
            return b"".join([*lines[:at], deep, *lines[at:]])
        # CSV has no nesting; the nearest thing is quotes inside quotes inside quotes.
        start = self._field_start(data, family)
        return data[:start] + b'"' * depth + data[start:]

    # -- format-specific ----------------------------------------------------------------

    def _wrong_types(self, data: bytes, family: str) -> bytes:
        lines = data.splitlines(keepends=True)
        idx = int(len(lines) * self.where) % len(lines)
        try:
            record = json.loads(lines[idx])
        except ValueError:
            return data
        wrong: list[object] = [5, None, True, [], {}, "text", [{"a": 1}], 1.5e308]
        value = wrong[self.variant % len(wrong)]
        target = self.size % 5
        if target == 0 or not isinstance(record, dict):
            record = value  # the whole line
        elif target == 1:
            record["id"] = value
        elif target == 2:
            record["properties"] = value
        elif target == 3:
            record["schema"] = value
        else:
            props = record.get("properties")
            if isinstance(props, dict) and props:
                props[sorted(props)[self.variant % len(props)]] = value
        lines[idx] = json.dumps(record).encode() + b"\n"
        return b"".join(lines)

    def _row_structure(self, data: bytes, family: str) -> bytes:
        lines = data.splitlines(keepends=True)
        idx = 1 + int((len(lines) - 1) * self.where) % max(1, len(lines) - 1)
        line = lines[idx] if idx < len(lines) else lines[-1]
        variant = self.variant % 4
        if variant == 0:  # an extra column
            line = b"x," + line
        elif variant == 1:  # a column short
            line = line.split(b",", 1)[-1]
        elif variant == 2:  # a blank line, then a row of nothing but delimiters
            line = line + b"\r\n" + b"," * (self.size % 200) + b"\r\n"
        else:  # an unterminated quote opening a row
            line = b'"' + line
        lines[min(idx, len(lines) - 1)] = line
        return b"".join(lines)

    def _field_start(self, data: bytes, family: str) -> int:
        starts = [m.end() for m in FIELD_STARTS[family].finditer(data)]
        if not starts:
            return int(len(data) * self.where)
        return starts[min(len(starts) - 1, int(len(starts) * self.where))]


def mutations(family: str, kind: str) -> st.SearchStrategy[Mutation]:
    """Mutations of one kind; ``where`` is kept off the very first and last bytes."""
    return st.builds(Mutation, kind=st.just(kind),
                     where=st.floats(min_value=0.01, max_value=0.99),
                     size=st.integers(min_value=0, max_value=1000),
                     variant=st.integers(min_value=0, max_value=1000))
