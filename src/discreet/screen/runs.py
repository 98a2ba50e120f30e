"""The record a screening run leaves beside its output: what it screened against, and how.

``alerts.jsonl.run.json`` names the version of every source the run used, its threshold and
limit. ``discreet rescreen`` reads it to screen only against what changed since.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from discreet.errors import ConfigError

__all__ = ["RunRecord", "read_run", "run_path", "write_run"]


@dataclass(slots=True)
class RunRecord:
    """Versions screened ({source: version}), with the options that shaped the alerts."""

    versions: dict[str, int]
    threshold: float | None
    limit: int
    finished_at: str = ""


def run_path(output: Path) -> Path:
    return output.with_name(output.name + ".run.json")


def write_run(output: Path, record: RunRecord) -> None:
    """Write the record atomically beside ``output``."""
    record.finished_at = record.finished_at or datetime.now(UTC).isoformat(timespec="seconds")
    path = run_path(output)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def read_run(output: Path) -> RunRecord:
    """The record of the run that wrote ``output``; a clear error when there is none."""
    path = run_path(output)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunRecord({str(k): int(v) for k, v in data["versions"].items()},
                         data.get("threshold"), int(data["limit"]),
                         str(data.get("finished_at", "")))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} not found: re-screening needs the previous run's record "
                          "(written by screen-file to a file), or --since SOURCE:VERSION") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid run record: {exc}") from exc
