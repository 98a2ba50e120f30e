"""Score name pairs from a CSV file: what the matcher says about names a person chose.

Input columns ``name1,name2`` and optionally ``schema`` (a header is required; other columns
are kept). The output has the same columns plus ``score`` and ``match`` ("true" when the
score reaches the matcher's default threshold). The file is read by the reader of every
customer file (:func:`discreet.screen.readers.csv_rows`: delimiter from the header, UTF-8
or Windows-1252, an unclosed quote hides no row): a pair that cannot be read or scored is
written with an empty score, counted as rejected and reported by line, never dropped.

>>> summary = compare_file(Path("pairs.csv"), Path("scored.csv"))
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discreet.errors import ParseError
from discreet.screen.readers import csv_table
from discreet.screen.rows import RowError, parse_schema
from discreet.screen.writers import atomic_output, output_label
from discreet.text.csvtext import spreadsheet_safe

__all__ = ["CompareSummary", "compare_file", "compare_pair", "compare_rows"]

REQUIRED = ("name1", "name2")
ADDED = ("score", "match")


@dataclass(slots=True)
class CompareSummary:
    """What a comparison run did: ``pairs`` read, ``matches`` (pairs scoring at or above the
    threshold), ``rejected`` (pairs not scored, each reported with its line)."""

    pairs: int = 0
    matches: int = 0
    rejected: int = 0
    threshold: float = 0.0
    output: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "scored": self.pairs - self.rejected,
                "matches": self.matches, "rejected": self.rejected,
                "threshold": self.threshold, "output": self.output}

    def __str__(self) -> str:
        return (f"{self.pairs} pairs compared, {self.matches} match at >= {self.threshold}, "
                f"{self.rejected} rejected (not scored) -> {self.output}")


def compare_pair(row: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """The row with ``score`` and ``match`` filled in, and the reason when it is not scored."""
    from discreet.match import DEFAULT_THRESHOLD, compare_names

    out = dict(row)
    name1 = " ".join((row.get("name1") or "").split())
    name2 = " ".join((row.get("name2") or "").split())
    schema, error = parse_schema(row.get("schema"))
    if not (name1 and name2):
        error = "the pair needs both name1 and name2"
    if error:
        out.update(score="", match="")
        return out, error
    score = compare_names(name1, name2, schema)
    out.update(score=f"{score:.4f}", match="true" if score >= DEFAULT_THRESHOLD else "false")
    return out, None


def compare_rows(rows: Iterable[Mapping[str, str]]) -> Iterator[dict[str, str]]:
    """Score pairs lazily, in order; a pair that cannot be scored has empty score and match."""
    for row in rows:
        yield compare_pair(row)[0]


def _pairs(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str], str | None]]]:
    """The header (lower-cased) and each non-blank row of a pairs file: (line, values by
    column, why it cannot be read or None). A line that cannot be read gives the values
    its text seems to hold, so that it is written in its place, unscored."""
    names, table = csv_table(path, file=str(path))
    header = [h.lower() for h in names]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "nothing"
        raise ParseError(f"the header must name the columns {', '.join(REQUIRED)} "
                         f"(found: {found})", file=str(path), line=1, field=", ".join(missing))

    def rows() -> Iterator[tuple[int, dict[str, str], str | None]]:
        for row in table:
            padded = row.cells[:len(header)] + [""] * (len(header) - len(row.cells))
            yield row.line, dict(zip(header, padded, strict=True)), row.error

    return header, rows()


def compare_file(input_path: Path, output_path: Path,
                 on_error: Callable[[RowError], None] | None = None) -> CompareSummary:
    """Score every pair of a CSV file (``-``: standard input) into a CSV file (written
    atomically), rows in order; a pair not scored is reported to ``on_error``."""
    from discreet.match import DEFAULT_THRESHOLD

    summary = CompareSummary(threshold=DEFAULT_THRESHOLD, output=output_label(output_path))
    header, rows = _pairs(input_path)  # a bad header fails before any output
    columns = [c for c in dict.fromkeys(header) if c not in ADDED] + list(ADDED)
    with atomic_output(output_path, newline="") as out:
        writer = csv.DictWriter(out, columns, extrasaction="ignore")
        writer.writeheader()
        for line, record, cause in rows:
            error: str | None
            if cause:
                scored, error = {**record, "score": "", "match": ""}, cause
            else:
                scored, error = compare_pair(record)
            writer.writerow({k: spreadsheet_safe(v) for k, v in scored.items()})
            summary.pairs += 1
            summary.matches += scored["match"] == "true"
            if error:
                summary.rejected += 1
                if on_error is not None:
                    on_error(RowError(line, "", error))
    return summary
