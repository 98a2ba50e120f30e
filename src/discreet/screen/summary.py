"""What a screening run did: the one run summary of ``screen-file`` (to a file or a pipe),
of the full re-screen inside ``rescreen`` and of ``spark-screen``.

One set of words everywhere: ``rows`` read, ``screened``, ``rows_with_alerts`` (rows with at
least one match), ``alerts`` (matches: one row may have several), ``rejected`` (rows not
screened, each reported by line in ``rejects``), ``unread_dates`` (rows screened without
their birth date, which could not be read, each in ``warnings``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from discreet.screen.rows import ProgrammesOf, alert_listings

__all__ = ["MAX_REJECTS_KEPT", "RunSummary"]

MAX_REJECTS_KEPT = 1000  # rejected rows (and warnings) listed in a summary; all are counted


@dataclass(slots=True)
class RunSummary:
    """Counts of a run, for the closing report (:func:`discreet.cli.render.run_summary`)
    and ``--json`` (:meth:`to_dict`)."""

    rows: int = 0
    screened: int = 0
    rows_with_alerts: int = 0
    alerts: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)
    unread_dates: int = 0
    warnings: list[str] = field(default_factory=list)
    by_dataset: Counter[str] = field(default_factory=Counter)
    by_programme: Counter[str] = field(default_factory=Counter)
    resumed_at: int = 0
    seconds: float = 0.0
    output: str = ""

    def add(self, record: Mapping[str, Any], line: int | None = None,
            programmes: ProgrammesOf | None = None) -> None:
        """Count one output line (``line``: where its row was; ``programmes``: entity id ->
        its programmes, for the alerts by programme)."""
        self.rows += 1
        where = f"line {line}" if line is not None else f"id {record['id']}"
        if "error" in record:
            self.rejected += 1
            if len(self.rejects) < MAX_REJECTS_KEPT:
                self.rejects.append(f"{where}: {record['error']}")
            return
        self.screened += 1
        if "warning" in record:
            self.unread_dates += 1
            if len(self.warnings) < MAX_REJECTS_KEPT:
                self.warnings.append(f"{where}: {record['warning']}")
        self.rows_with_alerts += bool(record["matches"])
        self.alerts += len(record["matches"])
        for match in record["matches"]:  # one per party: its every list and programme
            self.by_dataset.update(match["datasets"])
            self.by_programme.update(list(dict.fromkeys(
                p for eid in alert_listings(match)
                for p in (programmes.get(eid, []) if programmes is not None else ())))
                or ["(none)"])

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "screened": self.screened,
                "rows_with_alerts": self.rows_with_alerts, "alerts": self.alerts,
                "rejected": self.rejected, "rejects": self.rejects,
                "unread_dates": self.unread_dates, "warnings": self.warnings,
                "by_dataset": dict(self.by_dataset.most_common()),
                "by_programme": dict(self.by_programme.most_common()),
                "resumed_at": self.resumed_at, "seconds": round(self.seconds, 2),
                "rows_per_second": round(self.rows / self.seconds, 1) if self.seconds else None,
                "output": self.output}
