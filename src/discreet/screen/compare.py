"""Score name pairs from a CSV file: what the matcher says about names a person chose.

Input columns ``name1,name2`` and optionally ``schema`` (a header is required; other columns
are kept). The output has the same columns plus ``score`` and ``match`` ("true" when the
score reaches the matcher's default threshold). A pair with a blank name is written with an
empty score and reported, never dropped.

>>> summary = compare_file(Path("pairs.csv"), Path("scored.csv"))
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discreet.screen.screen_file import (
    RowError,
    atomic_output,
    csv_records,
    open_input,
    output_label,
    parse_schema,
)

__all__ = ["CompareSummary", "compare_file", "compare_pair", "compare_rows"]

REQUIRED = ("name1", "name2")
ADDED = ("score", "match")


@dataclass(slots=True)
class CompareSummary:
    """What a comparison run did: pairs read, pairs at or above the threshold, pairs in error."""

    pairs: int = 0
    matches: int = 0
    errors: int = 0
    threshold: float = 0.0
    output: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "matches": self.matches, "errors": self.errors,
                "threshold": self.threshold, "output": self.output}

    def __str__(self) -> str:
        return (f"{self.pairs} pairs compared, {self.matches} match at >= {self.threshold}, "
                f"{self.errors} in error -> {self.output}")


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


def compare_file(input_path: Path, output_path: Path,
                 on_error: Callable[[RowError], None] | None = None) -> CompareSummary:
    """Score every pair of a CSV file into a CSV file (written atomically), rows in order."""
    from discreet.match import DEFAULT_THRESHOLD

    summary = CompareSummary(threshold=DEFAULT_THRESHOLD, output=output_label(output_path))
    with open_input(input_path) as source, atomic_output(output_path, newline="") as out:
        writer: csv.DictWriter[str] | None = None
        for line, record in csv_records(source, str(input_path), REQUIRED):
            if writer is None:
                columns = [c for c in record if c not in ADDED] + list(ADDED)
                writer = csv.DictWriter(out, columns, extrasaction="ignore")
                writer.writeheader()
            scored, error = compare_pair(record)
            writer.writerow(scored)
            summary.pairs += 1
            summary.matches += scored["match"] == "true"
            if error:
                summary.errors += 1
                if on_error is not None:
                    on_error(RowError(line, "", error))
        if writer is None:
            csv.writer(out).writerow([*REQUIRED, "schema", *ADDED])
    return summary
