"""Helpers the matcher benchmarks share: paths, list loading, timing, machine facts, output.

The benchmarks are scripts, not tests: each prints the exact command and the machine it ran on
first, then Markdown tables (or one JSON document with ``--json``). Data comes from
``../shared`` beside the project; a missing file ends the run with a message saying so.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from discreet.model import Entity
from discreet.sources import open_list

__all__ = [
    "FULL_LISTS",
    "LISTS",
    "ROOT",
    "SHARED",
    "Report",
    "load_entities",
    "machine_info",
    "markdown_table",
    "median",
    "percentile",
    "require",
    "rss_mb",
    "timed",
]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LISTS = SHARED / "fixtures" / "lists"
# The full fixture lists every matcher benchmark screens against (relative to LISTS).
FULL_LISTS = (
    "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv",
    "ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML",
    "un/un_consolidated_2026-02-27.xml",
    "eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
    "uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml",
)


def require(path: Path) -> Path:
    """``path`` if it exists; else end the run saying what is missing and why."""
    if not path.exists():
        sys.exit(f"error: {path} is missing. The benchmarks read the shared data beside the "
                 f"project (../shared); check it out next to {ROOT.name}/ and run again.")
    return path


def load_entities(relative_paths: Iterable[str]) -> list[Entity]:
    """Parse list files under ``../shared/fixtures/lists``; each entity's source is set."""
    entities: list[Entity] = []
    for rel in relative_paths:
        meta, parsed = open_list(require(LISTS / rel))
        for entity in parsed:
            entity.source = entity.source or meta.dataset
            entities.append(entity)
    return entities


def machine_info() -> dict[str, Any]:
    """The command as typed and the facts that make timings comparable."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    argv = list(getattr(sys, "orig_argv", sys.argv))
    if argv and Path(argv[0]).name.startswith("python") and Path(argv[0]).is_absolute():
        argv[0] = os.path.relpath(argv[0], Path.cwd())
    return {
        "command": shlex.join(argv),
        "cwd": str(Path.cwd()),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else
        os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
    }


def rss_mb() -> dict[str, float]:
    """Resident memory now (VmRSS from /proc/self/status) and at peak (ru_maxrss), in MiB."""
    now = float("nan")
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"rss_mib": round(now, 1), "maxrss_mib": round(peak, 1)}


def timed(func: Callable[[], Any], repeat: int = 3) -> tuple[list[float], Any]:
    """Run ``func`` ``repeat`` times; the seconds of each run and the last run's result."""
    seconds: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    return str(value).replace("|", "\\|")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


class Report:
    """Collects a benchmark's sections; prints Markdown, or one JSON document with ``--json``."""

    def __init__(self, title: str, as_json: bool) -> None:
        self.title = title
        self.as_json = as_json
        self.machine = machine_info()
        self.data: dict[str, Any] = {}
        self.sections: list[str] = []
        if not as_json:
            print(f"# {title}\n")
            print(f"Command: `{self.machine['command']}` (in {self.machine['cwd']})  ")
            print(f"Machine: {self.machine['nproc']} CPU(s), {self.machine['cpu']}, "
                  f"{self.machine['implementation']} {self.machine['python']}, "
                  f"{self.machine['platform']}; load average "
                  f"{self.machine['loadavg_1m_at_start']} at start\n", flush=True)

    def add(self, key: str, value: Any) -> None:
        self.data[key] = value

    def section(self, heading: str, body: str) -> None:
        if not self.as_json:
            print(f"## {heading}\n\n{body}\n", flush=True)

    def note(self, text: str) -> None:
        if not self.as_json:
            print(text, flush=True)

    def finish(self) -> None:
        self.machine["loadavg_1m_at_end"] = round(os.getloadavg()[0], 2)
        if not self.as_json:
            print(f"Load average at the end: {self.machine['loadavg_1m_at_end']} "
                  f"(other work on the machine makes timings noisy).")
        if self.as_json:
            doc = {"benchmark": self.title, "machine": self.machine, **self.data}
            print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
