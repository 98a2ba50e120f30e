"""FollowTheMoney entity JSON lines: OpenSanctions' exports, yente's input, our own export.

One JSON object per line, read line by line so that a multi-gigabyte dump needs memory for
one entity only. Entities of schemata the model does not hold (Sanction, Address,
Ownership…) are skipped and counted in ``meta.extra["skipped"]``: they describe the listed
entities rather than being screenable themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from discreet.errors import ParseError
from discreet.ftm import entity_from_ftm, entity_to_ftm, is_supported
from discreet.model import Entity
from discreet.sources.base import ListMeta, Parser

__all__ = ["PARSER", "FtmJsonParser", "write_ftm"]

DEFAULT_DATASET = "ftm"


def _first_line(head: bytes) -> tuple[bytes, bool]:
    """The first non-blank line of ``head`` and whether it is complete (ends in a newline)."""
    for line in head.splitlines(keepends=True):
        if line.strip():
            return line, line.endswith(b"\n")
    return b"", False


class FtmJsonParser(Parser):
    """Reads FtM entity JSON lines into entities; skips schemata the model lacks."""

    format = "ftm_json"
    title = "FollowTheMoney entity JSON lines (OpenSanctions, yente, discreet export)"

    def sniff(self, head: bytes, file_name: str) -> bool:
        """First non-blank line is a JSON object with "schema" and "properties"."""
        line, complete = _first_line(head)
        try:
            data = json.loads(line)
        except ValueError:
            # A first entity longer than the sniffed head is cut off: judge by its start.
            return (not complete and line.lstrip().startswith(b"{")
                    and b'"schema"' in line and b'"properties"' in line)
        return isinstance(data, dict) and "schema" in data and "properties" in data

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Yield supported entities line by line; fill format, authority, dataset, skipped."""
        meta.format = self.format
        meta.authority = "FtM"
        skipped = 0
        seen: set[str] = set()
        for number, raw in enumerate(handle, start=1):
            data = self._decode(raw, number, meta)
            if data is None:
                continue
            if not is_supported(data):
                skipped += 1
                meta.extra["skipped"] = str(skipped)
                continue
            entity = self._entity(data, number, meta)
            seen.add(entity.source)
            yield entity
        meta.extra["skipped"] = str(skipped)
        if not meta.dataset:
            meta.dataset = seen.pop() if len(seen) == 1 else DEFAULT_DATASET

    def _decode(self, raw: bytes, number: int, meta: ListMeta) -> dict[str, Any] | None:
        """One line as a JSON object (None for a blank line); anything else is a ParseError."""
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-8: {exc.reason}", file=meta.file_name,
                             line=number) from exc
        except ValueError as exc:
            raise ParseError(f"malformed JSON: {exc}", file=meta.file_name, line=number) from exc
        if not isinstance(data, dict) or "id" not in data or "schema" not in data:
            raise ParseError("not an FtM entity (needs an object with id and schema)",
                             file=meta.file_name, line=number)
        return data

    def _entity(self, data: dict[str, Any], number: int, meta: ListMeta) -> Entity:
        """Convert one entity; the dataset is the file's, else the entity's first, else ftm."""
        datasets = data.get("datasets") or []
        first = str(datasets[0]) if isinstance(datasets, list) and datasets else ""
        try:
            entity = entity_from_ftm(data, meta.dataset or first or DEFAULT_DATASET)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ParseError(f"invalid FtM entity: {exc}", file=meta.file_name,
                             line=number) from exc
        entity.authority = "FtM"
        return entity


def write_ftm(entities: Iterable[Entity], handle: IO[str]) -> int:
    """Write one FtM JSON object per line (sorted keys, so exports diff cleanly); the count."""
    count = 0
    for entity in entities:
        handle.write(json.dumps(entity_to_ftm(entity), ensure_ascii=False, sort_keys=True))
        handle.write("\n")
        count += 1
    return count


PARSER = FtmJsonParser()
