"""The name-token cache a full run leaves beside its alerts, for fast re-screening.

``alerts.jsonl.tokens`` holds, for every row of the customer file, each alternative of the
row's name as the matcher prepared it (:class:`~discreet.match.prefilter.NameParts`: tokens,
kinds, sources, legal-form families, abjad flag), so ``discreet rescreen`` can rule out the
customers that cannot match a changed entity without preparing their names again
(:mod:`discreet.match.prefilter`). Nothing in it depends on the lists, only on the customer
file and the code that prepares names, so it stays valid across list versions.

Layout, one line each: a JSON header; one line per input row, in input order: the row's
line number, then a tab and one compact JSON array per alternative (none for a rejected row);
a JSON trailer with the row count and the SHA-256 of every byte before it. The header names
what the content depends on: the customer file (size and SHA-256), how it was read (format,
column mapping), :data:`~discreet.match.prepare.PREPARATION_VERSION` and a digest of a few
probe names prepared by the running code. A cache that does not match all of them, or is
cut short, or fails its checksum, is never used (:class:`StaleCache`); re-screening then
screens every row, as without a cache, and writes a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.match.pairs import query_alternatives
from discreet.match.prefilter import PROBE_NAMES, NameParts, parts_of
from discreet.match.prepare import PREPARATION_VERSION, prepare_name
from discreet.match.rarity import Rarity
from discreet.screen.readers import detect_format

if TYPE_CHECKING:
    from discreet.match.prepare import PreparedName

__all__ = ["UNKNOWN", "StaleCache", "decode_name", "encode_row", "expected_header", "finish",
           "header_line", "partial_path", "read_rows", "split_row", "tokens_path"]

FORMAT = "discreet name tokens 2"  # 2: customer files read by readers.csv_rows
_CHUNK = 1 << 20
# one letter per token kind; a kind without a letter is written out (a list, not a string)
_CODES = {"name": "n", "patronymic": "p", "initial": "i", "number": "d", "generic": "g",
          "particle": "a", "legal": "l", "title": "t"}
_KINDS = {code: kind for kind, code in _CODES.items()}
UNKNOWN = "!"  # a name the cache could not hold: the row is always screened


class StaleCache(Exception):
    """The cache cannot be used for this customer file (the message says why)."""


def tokens_path(output: Path) -> Path:
    """Where the cache of a run writing ``output`` lives: ``OUTPUT.tokens``."""
    return output.with_name(output.name + ".tokens")


def partial_path(path: Path) -> Path:
    """The cache while its run is in progress (checkpointed with the run's output)."""
    return path.with_name(path.name + ".partial")


def _encode_name(prepared: PreparedName) -> str:
    name = parts_of(prepared)
    codes = "".join(_CODES.get(k, "?") for k in name.kinds)
    kinds: str | list[str] = list(name.kinds) if "?" in codes else codes
    item: list[Any] = [list(name.tokens), kinds, int(name.abjad)]
    sources = [[i, s] for i, (s, t) in enumerate(zip(name.sources, name.tokens, strict=True))
               if s != t]
    families = [[i, f] for i, f in enumerate(name.families) if f]
    if sources or families or name.extras:
        item += [sources, families]
    if name.extras:
        item.append(dict(name.extras))
    # JSON escapes tabs and newlines inside strings: the tab-separated line stays parseable
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def encode_row(line: int, names: Sequence[PreparedName]) -> str:
    """One cache line: the row's line number, then each alternative of its name."""
    try:
        encoded = [_encode_name(name) for name in names]
    except (TypeError, ValueError):  # a field JSON cannot hold
        encoded = [UNKNOWN]
    return "\t".join([str(line), *encoded]) + "\n"


def _freeze(value: Any) -> Any:
    """JSON lists back to the tuples a prepared name holds."""
    return tuple(map(_freeze, value)) if isinstance(value, list) else value


def decode_name(text: str) -> NameParts:
    """One alternative as written by :func:`encode_row`; ValueError when malformed."""
    try:
        item = json.loads(text)
        tokens = tuple(str(t) for t in item[0])
        kinds = tuple(_KINDS[c] for c in item[1]) if isinstance(item[1], str) else tuple(
            str(k) for k in item[1])
        sources, families = list(tokens), [""] * len(tokens)
        if len(item) > 3:
            for i, value in item[3]:
                sources[i] = str(value)
            for i, value in item[4]:
                families[i] = str(value)
        extras = tuple(sorted((str(k), _freeze(v)) for k, v in item[5].items())) \
            if len(item) > 5 else ()
        if len(kinds) != len(tokens):
            raise ValueError("kinds and tokens differ in number")
        return NameParts(tokens, kinds, tuple(sources), tuple(families), bool(item[2]), extras)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ValueError(f"malformed cached name: {exc}") from exc


@cache
def _probe_digest() -> str:
    """What the running code makes of the probe names (the rarity does not change it)."""
    rarity = Rarity({}, 0)
    digest = hashlib.sha256()
    for text in PROBE_NAMES:
        for cls in ("person", "org", "any"):
            names = [prepare_name(alt, cls, rarity) for alt in query_alternatives(text, cls)]
            digest.update(encode_row(0, names).encode("utf-8"))
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def expected_header(input_path: Path, input_format: str,
                    mapping: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The header a cache of ``input_path`` read this way has, with the running code."""
    if not input_path.is_file():
        raise StaleCache(f"{input_path} is not a file")
    fmt = detect_format(input_path) if input_format == "auto" else input_format
    return {"format": FORMAT, "preparation": PREPARATION_VERSION, "probe": _probe_digest(),
            "input": {"size": input_path.stat().st_size, "sha256": _file_sha256(input_path)},
            "input_format": fmt, "mapping": sorted([str(k), str(v)] for k, v in mapping)}


def header_line(input_path: Path, input_format: str,
                mapping: Sequence[tuple[str, str]]) -> str:
    return json.dumps(expected_header(input_path, input_format, mapping),
                      ensure_ascii=False) + "\n"


def finish(partial: Path, path: Path, rows: int) -> None:
    """Seal a complete cache (row count, checksum) and rename it into place."""
    with partial.open("rb") as handle:
        digest = hashlib.sha256()
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    trailer = {"end": True, "rows": rows, "sha256": digest.hexdigest()}
    with partial.open("ab") as handle:
        handle.write((json.dumps(trailer) + "\n").encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _check_header(path: Path, first: bytes, expect: dict[str, Any]) -> None:
    try:
        header = json.loads(first)
    except ValueError as exc:
        raise StaleCache(f"{path.name} is damaged (header)") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StaleCache(f"{path.name} is not a name cache of this version")
    what = {"preparation": "was made by code that prepares names differently (version)",
            "probe": "was made by code that prepares names differently (probe names)",
            "input": "is for another version of the customer file",
            "input_format": "was made reading the customer file as another format",
            "mapping": "was made reading the customer file with another column mapping"}
    for key, reason in what.items():
        if header.get(key) != expect[key]:
            raise StaleCache(f"{path.name} {reason}")


def _trailer(path: Path) -> tuple[int, dict[str, Any]]:
    """(offset of the trailer line, its content)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    end = tail.rstrip(b"\n")
    if not tail.endswith(b"\n") or b"\n" not in end:
        raise StaleCache(f"{path.name} is cut short")
    start = end.rindex(b"\n") + 1
    try:
        trailer = json.loads(end[start:])
    except ValueError as exc:
        raise StaleCache(f"{path.name} is cut short") from exc
    if not isinstance(trailer, dict) or trailer.get("end") is not True:
        raise StaleCache(f"{path.name} is cut short")
    return size - len(tail) + start, trailer


def read_rows(path: Path, expect: dict[str, Any]) -> Iterator[str]:
    """Every row line (without its newline, see :func:`split_row`), after checking the file.

    Raises :class:`StaleCache` before yielding anything when the cache is missing, belongs
    to another file, options or code, is cut short or fails its checksum.
    """
    if not path.is_file():
        raise StaleCache(f"{path.name} not found")
    with path.open("rb") as handle:
        first = handle.readline()
    _check_header(path, first, expect)
    body_end, trailer = _trailer(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        left = body_end
        while left > 0 and (chunk := handle.read(min(_CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    if digest.hexdigest() != trailer.get("sha256"):
        raise StaleCache(f"{path.name} is damaged (checksum)")
    return _rows(path, len(first), body_end, trailer.get("rows"))


def _rows(path: Path, start: int, end: int, rows: object) -> Iterator[str]:
    """The lines between the header and the trailer, read in large blocks (a million rows
    must cost well under a second)."""
    count = 0
    with path.open("rb") as handle:
        handle.seek(start)
        left, rest = end - start, b""
        while left > 0 and (chunk := handle.read(min(4 * _CHUNK, left))):
            left -= len(chunk)
            data = rest + chunk
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            try:
                lines = data[:cut].decode("utf-8").split("\n")
            except UnicodeDecodeError as exc:
                raise StaleCache(f"{path.name} is damaged (not UTF-8)") from exc
            lines.pop()  # what follows the last newline: nothing
            count += len(lines)
            yield from lines
    if rest or count != rows:
        raise StaleCache(f"{path.name} holds {count} rows, its trailer says {rows}")


def split_row(row: str) -> tuple[int, str]:
    """(line number in the customer file, the row's names, tab-separated; "" for none)."""
    line, _, names = row.partition("\t")
    try:
        return int(line), names
    except ValueError as exc:
        raise StaleCache(f"damaged row {row[:40]!r} in the name cache") from exc
