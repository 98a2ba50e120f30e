"""The record a screening run leaves beside its output: what it screened against, and how.

``alerts.jsonl.run.json`` names the version of every source the run used, its threshold,
limit and date order. ``discreet rescreen`` reads it to screen only against what changed
since, reading birth dates as the run did (else a date read both ways would differ from the
one the run read one way, and the delta would show alerts that changed only by that).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from discreet.errors import ConfigError

__all__ = ["RunRecord", "order_for", "read_run", "run_path", "topics_for", "write_run"]

_ORDERS = frozenset({"DMY", "MDY", "YMD"})


@dataclass(slots=True)
class RunRecord:
    """Versions screened ({source: version}), with the options that shaped the alerts."""

    versions: dict[str, int]
    threshold: float | None
    limit: int
    finished_at: str = ""
    date_order: str | None = None  # DMY, MDY, YMD; None: dates read both ways
    # False for a record written before the date order was kept: its order is unknown
    order_known: bool = True
    topics: tuple[str, ...] = ()  # only entities carrying one of these were screened


def run_path(output: Path) -> Path:
    return output.with_name(output.name + ".run.json")


def write_run(output: Path, record: RunRecord) -> None:
    """Write the record atomically beside ``output``."""
    record.finished_at = record.finished_at or datetime.now(UTC).isoformat(timespec="seconds")
    path = run_path(output)
    tmp = path.with_name(path.name + ".tmp")
    data = asdict(record)
    del data["order_known"]  # the record's own: written, the order is known
    data["topics"] = list(record.topics)
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def read_run(output: Path) -> RunRecord:
    """The record of the run that wrote ``output``; a clear error when there is none."""
    path = run_path(output)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        order = data.get("date_order")
        if order is not None and order not in _ORDERS:
            raise ValueError(f"date_order {order!r} is none of {', '.join(sorted(_ORDERS))}")
        topics = data.get("topics", [])
        if not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics):
            raise ValueError(f"topics {topics!r} is not a list of topics")
        return RunRecord({str(k): int(v) for k, v in data["versions"].items()},
                         data.get("threshold"), int(data["limit"]),
                         str(data.get("finished_at", "")), order, "date_order" in data,
                         tuple(topics))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} not found: re-screening needs the previous run's record "
                          "(written by screen-file to a file), or --since SOURCE:VERSION") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid run record: {exc}") from exc


def order_for(record: RunRecord, given: str | None, path: Path) -> str | None:
    """The date order a re-screen reads with: the run's, unless the run's is unknown (an
    older record: then ``given``). A ``given`` order that differs from the run's is refused:
    the previous alerts were found with the run's, and the delta would report alerts that
    differ only by how a birth date was read."""
    if not record.order_known:
        return given
    if given is not None and given != record.date_order:
        recorded = record.date_order or "none (dates read both ways)"
        raise ConfigError(
            f"--date-order {given} differs from the date order of the previous run "
            f"({recorded}, in {run_path(path)}): re-screening would report alerts that "
            "changed only by how birth dates are read; run screen-file again with "
            f"--date-order {given} instead")
    return record.date_order


def topics_for(record: RunRecord | None, given: tuple[str, ...], path: Path) -> tuple[str, ...]:
    """The topics a re-screen keeps: the run's. ``given`` topics that differ from them are
    refused (the delta would report as new every alert the run left out, or as gone every
    alert outside the new topics); without a record (``--since``) they are ``given``."""
    if record is None:
        return given
    if given and set(given) != set(record.topics):
        recorded = ", ".join(record.topics) or "none (every entity)"
        raise ConfigError(
            f"--topic {', '.join(given)} differs from the topics of the previous run "
            f"({recorded}, in {run_path(path)}): run screen-file again with these topics")
    return record.topics
